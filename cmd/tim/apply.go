package main

import (
	"context"
	"fmt"

	"github.com/timkit/tim/community"
)

func runApply(ctx context.Context, e *env, args []string) int {
	var (
		c           common
		specPath    string
		verify      bool
		concurrency int
	)
	fs := newFlags("apply", "-f spec.json [flags]",
		"Apply reads the community the spec names, prints the plan, makes its changes and prints\n"+
			"each operation's outcome (applied, failed, unknown, not attempted). It stops at the first\n"+
			"failure; running plan again shows what is left. Exit status: 0 the community now matches\n"+
			"the spec, 1 it does not (or an error).", e.stderr, &c)
	fs.StringVar(&specPath, "f", "", "the spec file (JSON); - reads stdin")
	fs.BoolVar(&verify, "verify", false, "read the community again afterwards and check that it matches")
	fs.IntVar(&concurrency, "concurrency", community.DefaultApplyConcurrency, "how many permission groups to change at once")
	if status, done := parse(fs, args); done {
		return status
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	s, err := prepare(ctx, e, "apply", specPath, &c)
	if err != nil {
		return fail(e, "apply", err)
	}
	defer s.close()
	if _, err := s.plan.WriteTo(e.stdout); err != nil {
		return fail(e, "apply", err)
	}
	if s.plan.Empty() {
		return exitOK
	}
	fmt.Fprintln(e.stdout, "\nApplying:")
	res, err := community.Apply(ctx, s.client, s.plan, &community.ApplyOptions{
		Concurrency: concurrency,
		OnOutcome:   inPlanOrder(s.plan, func(o community.Outcome) { fmt.Fprintln(e.stdout, "  "+o.String()) }),
	})
	fmt.Fprintln(e.stdout, "\n"+res.SummaryLine())
	if err != nil {
		fmt.Fprintf(e.stderr, "tim apply: %v\ntim apply: the community does not match the spec yet; run tim plan to see what is left\n", err)
		return exitError
	}
	if verify {
		snap, err := load(ctx, e, s.client, s.spec.GroupID, c.quiet)
		if err != nil {
			return fail(e, "apply", fmt.Errorf("verify: %w", err))
		}
		left, err := community.Diff(snap, s.spec)
		if err != nil {
			return fail(e, "apply", fmt.Errorf("verify: %w", err))
		}
		if !left.Empty() {
			fmt.Fprintf(e.stderr, "tim apply: verify: the community does not match the spec (changed meanwhile?):\n%s", left)
			return exitError
		}
		fmt.Fprintln(e.stderr, "tim apply: verified: the community matches the spec")
	}
	return exitOK
}

// inPlanOrder returns an OnOutcome that passes outcomes to print in the
// plan's order, each as soon as those before it are known: Apply works on
// several permission groups at once, and finishes them in any order.
func inPlanOrder(p *community.Plan, print func(community.Outcome)) func(community.Outcome) {
	index := make(map[*community.Op]int, len(p.Ops))
	for i := range p.Ops {
		index[&p.Ops[i]] = i
	}
	known := make([]*community.Outcome, len(p.Ops))
	next := 0
	return func(o community.Outcome) { // Apply calls it one call at a time
		known[index[o.Op]] = &o
		for next < len(known) && known[next] != nil {
			print(*known[next])
			next++
		}
	}
}
