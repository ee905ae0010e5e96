package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/timkit/tim/community"
)

func runPlan(ctx context.Context, e *env, args []string) int {
	var (
		c                      common
		specPath, out          string
		asJSON, detailedStatus bool
	)
	fs := newFlags("plan", "-f spec.json [-out FILE] [-json] [-detailed-exitcode] [flags]",
		"Plan reads the community the spec names, checks that the spec fits it (every account is\n"+
			"a member, every granted topic exists or is created; nothing is sent otherwise), and\n"+
			"prints what apply would change, one line per change — settings, topics, permission\n"+
			"groups — what a prune keeps and why, and the API calls it takes.\n"+
			"-out saves the plan for tim apply FILE, which applies exactly it if nothing it depends\n"+
			"on changed meanwhile. Exit status: 0 done, 1 error; with -detailed-exitcode 0 no\n"+
			"changes, 2 changes pending, 1 error.", e.stderr, &c)
	fs.StringVar(&specPath, "f", "", "the spec file (JSON); - reads stdin")
	fs.StringVar(&out, "out", "", "save the plan to this file, for tim apply FILE")
	fs.BoolVar(&asJSON, "json", false, "print the plan as one JSON document (format_version "+fmt.Sprint(community.FormatVersion)+")")
	fs.BoolVar(&detailedStatus, "detailed-exitcode", false, "exit 0 for no changes, 2 for changes pending, 1 for an error")
	if _, status, done := parse(fs, args, 0); done {
		return status
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ctx, stopWatching := cancelOnSignal(ctx, e)
	defer stopWatching()
	s, err := prepare(ctx, e, specPath, &c)
	if err != nil {
		return fail(e, "plan", err)
	}
	defer s.close()
	if asJSON {
		data, err := json.MarshalIndent(s.plan, "", "  ")
		if err != nil {
			return fail(e, "plan", err)
		}
		fmt.Fprintf(e.stdout, "%s\n", data)
	} else if _, err := s.plan.WriteTo(e.stdout); err != nil {
		return fail(e, "plan", err)
	}
	if out != "" {
		if err := savePlan(out, s.client.SDKAppID(), s.plan); err != nil {
			return fail(e, "plan", fmt.Errorf("saving the plan: %w", err))
		}
		fmt.Fprintf(e.stderr, "tim plan: saved the plan to %s; apply exactly it with: tim apply %s\n", out, out)
	}
	if detailedStatus && !s.plan.Empty() {
		return exitChanges
	}
	return exitOK
}
