package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/timkit/tim/community"
)

func runExport(ctx context.Context, e *env, args []string) int {
	var (
		c        common
		group    string
		skipMade bool
	)
	fs := newFlags("export", "--group GROUP_ID [flags]",
		"Export prints the spec of the community as it is (JSON, on stdout): its settings, every\n"+
			"topic with its fields, every permission group with its custom string, topics and members,\n"+
			"permissions as lists of names, \"prune\": false. Applying it at once changes nothing.\n\n"+
			"Permission groups and topics whose ID the service made (@PMG#_@PMG#…, …@TOPIC#_@TOPIC#…)\n"+
			"cannot be in a spec, which names custom IDs only: export fails naming them, unless\n"+
			"--skip-server-made leaves them out (they are then not managed: a spec without prune or\n"+
			"prune_topics leaves them alone).", e.stderr, &c)
	fs.StringVar(&group, "group", "", "the community's GroupId (@TGS#_…); with --demo, "+demoGroup+" by default")
	fs.BoolVar(&skipMade, "skip-server-made", false, "leave out permission groups and topics with server-made IDs instead of failing")
	if _, status, done := parse(fs, args, 0); done {
		return status
	}
	if group == "" && c.demo {
		group = demoGroup
	}
	if group == "" {
		fmt.Fprintln(e.stderr, "tim export: --group is required")
		fs.Usage()
		return exitError
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ctx, stopWatching := cancelOnSignal(ctx, e)
	defer stopWatching()
	client, closeFn, err := connect(&c, e)
	if err != nil {
		return fail(e, "export", err)
	}
	defer closeFn()
	snap, err := load(ctx, e, client, group, &c)
	if err != nil {
		return fail(e, "export", err)
	}
	spec, err := community.Export(snap)
	var made *community.ServerMadeError
	switch {
	case errors.As(err, &made) && skipMade:
		fmt.Fprintf(e.stderr, "tim export: left out %d permission group(s) and %d topic(s) with server-made IDs: %v\n", len(made.IDs), len(made.TopicIDs), append(made.IDs, made.TopicIDs...))
	case err != nil:
		fmt.Fprintf(e.stderr, "tim export: %v\ntim export: --skip-server-made exports the others\n", err)
		return exitError
	}
	out, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return fail(e, "export", err)
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}
