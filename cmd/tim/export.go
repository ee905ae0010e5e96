package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/timkit/tim/community"
)

func runExport(ctx context.Context, e *env, args []string) int {
	var (
		c             common
		group, format string
		skipMade      bool
	)
	fs := newFlags("export", "--group GROUP_ID [flags]",
		"Export prints the spec of the community as it is (JSON, or YAML with -format yaml, on\n"+
			"stdout): its settings, every topic with its fields, every permission group with its\n"+
			"custom string, topics and members, permissions as lists of names, \"prune\": false.\n"+
			"Applying it at once changes nothing.\n\n"+
			"Permission groups and topics whose ID the service made (@PMG#_@PMG#…, …@TOPIC#_@TOPIC#…)\n"+
			"cannot be in a spec, which names custom IDs only: export fails naming them, unless\n"+
			"--skip-server-made leaves them out (they are then not managed: a spec without prune or\n"+
			"prune_topics leaves them alone).", e.stderr, &c)
	fs.StringVar(&group, "group", "", "the community's GroupId (@TGS#_…); with --demo, "+demoGroup+" by default")
	fs.BoolVar(&skipMade, "skip-server-made", false, "leave out permission groups and topics with server-made IDs instead of failing")
	fs.StringVar(&format, "format", "json", "json or yaml")
	if _, status, done := parse(fs, args, 0); done {
		return status
	}
	if group == "" && c.demo {
		group = demoGroup
	}
	var f community.SpecFormat
	switch format {
	case "json":
		f = community.SpecJSON
	case "yaml":
		f = community.SpecYAML
	}
	switch {
	case group == "":
		return usageError(e, "export", fs, "--group is required")
	case f == 0:
		return usageError(e, "export", fs, fmt.Sprintf("-format %q: want json or yaml", format))
	}
	ctx, client, done, err := startReading(ctx, e, &c)
	if err != nil {
		return fail(e, "export", err)
	}
	defer done()
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
	out, err := spec.Encode(f)
	if err != nil {
		return fail(e, "export", err)
	}
	if _, err := e.stdout.Write(out); err != nil {
		return fail(e, "export", err)
	}
	return exitOK
}
