package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// applyRun is one tim apply: its flags and what it did.
type applyRun struct {
	e           *env
	c           common
	specPath    string
	planPath    string
	autoApprove bool
	asJSON      bool

	client *tim.Client
	plan   *community.Plan
	report applyReport
}

func runApply(ctx context.Context, e *env, args []string) int {
	a := &applyRun{e: e}
	var verify bool
	fs := newFlags("apply", "-f spec.json [-auto-approve] | FILE [flags]",
		"Apply brings the community to the spec. With -f it reads the community, prints the plan\n"+
			"and asks for 'yes' (unless -auto-approve; with no terminal on stdin it refuses). With a\n"+
			"plan FILE saved by tim plan -out it applies exactly that plan without asking, after\n"+
			"reading again what the plan depends on: if any of it changed, it refuses (\"saved plan\n"+
			"is stale\") and writes nothing. A plan that destroys every permission group is always\n"+
			"asked about at a terminal. It then prints each operation's outcome, reads the changed\n"+
			"groups again and prints what still differs. The first interrupt starts nothing new and\n"+
			"waits for the writes in flight; a second aborts them (at the prompt, an interrupt\n"+
			"cancels). -timeout bounds the reads before the prompt and, from the answer on, the\n"+
			"writes and the check; when it runs out during the writes, apply stops as on the first\n"+
			"interrupt. Exit status: 0 the community now matches, 1 it does not (or an error, or\n"+
			"nothing was applied).", e.stderr, &a.c)
	fs.StringVar(&a.specPath, "f", "", "the spec file (JSON); - reads stdin")
	fs.BoolVar(&a.autoApprove, "auto-approve", false, "apply without asking")
	fs.BoolVar(&a.asJSON, "json", false, "print the plan, the outcomes and the check as one JSON document (needs -auto-approve or FILE)")
	fs.BoolVar(&verify, "verify", false, "(always on: apply checks the groups it changed; kept for old scripts)")
	pos, status, done := parse(fs, args, 1)
	if done {
		return status
	}
	if len(pos) == 1 {
		a.planPath = pos[0]
	}
	switch {
	case a.planPath != "" && a.specPath != "":
		return fail(e, "apply", errors.New("give -f spec.json or a saved plan FILE, not both"))
	case a.planPath == "" && a.specPath == "":
		return fail(e, "apply", errors.New("-f is required: the spec file (- for stdin), or give a saved plan FILE"))
	case a.asJSON && a.planPath == "" && !a.autoApprove:
		return fail(e, "apply", errors.New("-json needs -auto-approve or a saved plan FILE: a JSON reader cannot answer a question"))
	}
	return a.run(ctx)
}

// run plans (or reads and checks the saved plan), asks, applies and checks.
// -timeout bounds the reads before the question and, from the answer on,
// the writes and the check after them; the time at the prompt does not
// count. When it runs out while apply writes, apply stops as on an
// interrupt: nothing new starts, and the writes in flight get the grace.
func (a *applyRun) run(ctx context.Context) int {
	readCtx, endReads := context.WithTimeout(ctx, a.c.timeout)
	readCtx, stopWatching := cancelOnSignal(readCtx, a.e)
	closeFn, err := a.preparePlan(readCtx)
	stopWatching()
	endReads()
	if closeFn != nil {
		defer closeFn()
	}
	if err != nil {
		return a.fail(err)
	}
	if a.plan.Empty() {
		return a.finish(exitOK)
	}
	if a.planPath == "" && !a.autoApprove || a.plan.DestroysAll() {
		if !a.confirm() {
			return a.finish(exitError)
		}
	}
	expired, stopClock := deadline(a.e, a.c.timeout)
	defer stopClock()
	if status, ok := a.apply(ctx, expired); !ok {
		return a.finish(status)
	}
	checkCtx, endCheck := until(ctx, expired, timeoutError{a.c.timeout})
	defer endCheck()
	return a.finish(a.verify(checkCtx))
}

// preparePlan makes the plan from the spec, or reads the saved plan and
// checks that nothing it depends on changed, and prints it.
func (a *applyRun) preparePlan(ctx context.Context) (closeFn func(), err error) {
	if a.planPath == "" {
		s, err := prepare(ctx, a.e, a.specPath, &a.c)
		if err != nil {
			return nil, err
		}
		a.client, a.plan = s.client, s.plan
		return s.close, a.printPlan()
	}
	pf, err := readPlan(a.planPath)
	if err != nil {
		return nil, err
	}
	client, closeFn, err := connect(&a.c, a.e)
	if err != nil {
		return nil, err
	}
	a.client, a.plan = client, pf.Plan
	if client.SDKAppID() != pf.SDKAppID {
		return closeFn, fmt.Errorf("the plan was made for app %d, and tim is set up for app %d", pf.SDKAppID, client.SDKAppID())
	}
	if err := a.printPlan(); err != nil {
		return closeFn, err
	}
	if !a.c.quiet {
		fmt.Fprintf(a.e.stderr, "tim apply: reading again what the saved plan depends on in %s\n", a.plan.GroupID)
	}
	return closeFn, community.CheckPlan(ctx, client, a.plan, a.c.loadOptions())
}

func (a *applyRun) printPlan() error {
	a.report.Plan = a.plan
	if a.asJSON {
		return nil
	}
	_, err := a.plan.WriteTo(a.e.stdout)
	return err
}

// apply runs the plan, printing each outcome in plan order, until it is
// done, interrupted or -timeout has expired; ok reports that every
// operation was applied.
func (a *applyRun) apply(ctx context.Context, expired <-chan struct{}) (status int, ok bool) {
	writeCtx, stop, endSignals := applySignals(ctx, a.e, expired, a.c.timeout)
	defer endSignals()
	if !a.asJSON {
		fmt.Fprintln(a.e.stdout, "\nApplying:")
	}
	res, err := community.Apply(writeCtx, a.client, a.plan, &community.ApplyOptions{
		Concurrency: a.c.concurrency,
		Stop:        stop,
		OnOutcome: inPlanOrder(a.plan, func(o community.Outcome) {
			if !a.asJSON {
				fmt.Fprintln(a.e.stdout, "  "+o.String())
			}
		}),
	})
	aborted := writeCtx.Err() != nil
	stoppedBy := endSignals() // its messages come before ours
	a.report.Result = res
	if !a.asJSON {
		fmt.Fprintln(a.e.stdout, "\n"+res.SummaryLine())
	}
	if err != nil {
		what := "the community does not match the spec yet; run tim plan to see what is left"
		switch {
		case stoppedBy != "":
			what = stoppedBy + ": " + what
		case errors.Is(err, community.ErrStopped) || aborted:
			what = "interrupted: " + what
		}
		a.report.Error = err.Error()
		fmt.Fprintf(a.e.stderr, "tim apply: %v\ntim apply: %s\n", err, what)
		return exitError, false
	}
	return exitOK, true
}

// verify reads the changed groups again and prints what differs.
func (a *applyRun) verify(ctx context.Context) int {
	drift, err := community.Verify(ctx, a.client, a.plan, a.c.loadOptions())
	if err != nil {
		var te timeoutError
		if errors.As(context.Cause(ctx), &te) {
			err = fmt.Errorf("%w: %w", te, err)
		}
		return a.fail(fmt.Errorf("checking the groups it changed: %w", err))
	}
	a.report.Verify = &verifyReport{Matches: drift.Empty()}
	if !drift.Empty() {
		a.report.Verify.Drift = drift
		if !a.asJSON {
			fmt.Fprintf(a.e.stdout, "\nDrift: the groups it changed do not match the spec (changed meanwhile?):\n%s", drift)
		}
		fmt.Fprintln(a.e.stderr, "tim apply: the community does not match the spec: run tim plan again")
		return exitError
	}
	if !a.c.quiet {
		fmt.Fprintln(a.e.stderr, "tim apply: checked: the settings, topics and permission groups it changed match the spec")
	}
	return exitOK
}

// fail reports err and returns exitError.
func (a *applyRun) fail(err error) int {
	a.report.Error = err.Error()
	fail(a.e, "apply", err)
	return a.finish(exitError)
}

// finish prints the JSON report, with -json, and returns status.
func (a *applyRun) finish(status int) int {
	if a.asJSON && !a.report.printed {
		a.report.printed = true
		a.report.write(a.e.stdout)
	}
	return status
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
