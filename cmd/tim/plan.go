package main

import (
	"context"
)

func runPlan(ctx context.Context, e *env, args []string) int {
	var (
		c        common
		specPath string
	)
	fs := newFlags("plan", "-f spec.json [flags]",
		"Plan reads the community the spec names and prints what apply would change, one line per\n"+
			"change, and the API calls it takes. Exit status: 0 no changes, 2 changes pending, 1 error.", e.stderr, &c)
	fs.StringVar(&specPath, "f", "", "the spec file (JSON); - reads stdin")
	if status, done := parse(fs, args); done {
		return status
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	s, err := prepare(ctx, e, "plan", specPath, &c)
	if err != nil {
		return fail(e, "plan", err)
	}
	defer s.close()
	if _, err := s.plan.WriteTo(e.stdout); err != nil {
		return fail(e, "plan", err)
	}
	if s.plan.Empty() {
		return exitOK
	}
	return exitChanges
}
