package community

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// DefaultApplyConcurrency is how many permission groups [Apply] works on at
// once when [ApplyOptions.Concurrency] is 0.
const DefaultApplyConcurrency = 8

// ApplyOptions tunes [Apply]. A nil *ApplyOptions means the defaults.
type ApplyOptions struct {
	// Concurrency is how many permission groups are worked on at once
	// (default [DefaultApplyConcurrency]); each group's operations run one
	// after another, in the plan's order.
	Concurrency int
	// OnOutcome, when set, is called with each operation's outcome as it is
	// known (the ones never attempted at the end, in plan order), one call
	// at a time.
	OnOutcome func(Outcome)
}

// Result is what [Apply] did: one [Outcome] per operation of the plan, in the
// plan's order, and the calls made.
type Result struct {
	GroupID  string
	Outcomes []Outcome
	// Calls is how many requests Apply made (a request the client retried
	// counts once): the plan's writes and the reads and writes that
	// confirmed answers saying a change already held.
	Calls int
}

// Complete reports whether every operation was applied (or found done).
func (r *Result) Complete() bool { return r.Count(Applied) == len(r.Outcomes) }

// Count returns how many operations ended with status s.
func (r *Result) Count(s Status) int {
	n := 0
	for i := range r.Outcomes {
		if r.Outcomes[i].Status == s {
			n++
		}
	}
	return n
}

// ApplyError is the error of an [Apply] that did not apply every operation:
// the counts of each status and the first failure.
type ApplyError struct {
	GroupID                                string
	Applied, Failed, Unknown, NotAttempted int
	// Op is the operation that failed first, Err its error.
	Op  *Op
	Err error
}

// Error says what was and was not applied, and why Apply stopped.
func (e *ApplyError) Error() string {
	s := "community: apply " + e.GroupID + ": " + itoa(e.Applied) + " applied, " + itoa(e.Failed) + " failed, " +
		itoa(e.Unknown) + " unknown, " + itoa(e.NotAttempted) + " not attempted"
	if e.Op != nil {
		s += ": " + e.Op.Kind.String() + " " + e.Op.PermissionGroupID
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the first failure.
func (e *ApplyError) Unwrap() error { return e.Err }

// Apply runs plan p against the community with c's split writes: each
// permission group's operations in the plan's order (create before its
// topics and members, deletes before sets and adds), several groups at once
// (opts.Concurrency), and every destroy last, in one split call.
//
// An answer that shows the wanted state already holds counts as done, not
// as a failure, and is not written again: an account already a member
// (10013), a topic permission already deleted or absent (110014, 110011), a
// group already gone (110006); a topic already granted (110010) is read
// back and set only if its value differs; a set of a topic the group lacks
// (110011) becomes an add; a create answered 10021 (the ID is in use) reads
// the group back and brings it to the spec (fields, and the topics and
// members the spec manages) instead of the plan's later operations for it.
//
// The first operation that fails stops Apply: no operation starts after it
// (those running finish). Each [Outcome] says whether its operation was
// applied, failed (refused; nothing of it, or only some items, applied),
// is unknown (the request may have been applied: a lost or unreadable
// answer, an internal error; see tim.MayHaveApplied) or was not
// attempted, and which items are which. Running [Load] and [Diff] again
// shows what is left, whatever happened.
//
// The result is always returned; the error is nil when every operation was
// applied, else an [*ApplyError]. When nothing answers "already", the
// writes made are exactly [Summary.Calls]. A panic in a call is raised
// again in the caller's goroutine once the others have ended.
func Apply(ctx context.Context, c Client, p *Plan, opts *ApplyOptions) (*Result, error) {
	if c == nil {
		return nil, errors.New("community: Apply: nil Client")
	}
	var o ApplyOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultApplyConcurrency
	}
	a := &applier{c: c, plan: p, opts: o, res: &Result{GroupID: p.GroupID, Outcomes: make([]Outcome, len(p.Ops))}}
	for i := range p.Ops {
		a.res.Outcomes[i] = Outcome{Op: &p.Ops[i]}
	}
	lanes, destroys := a.lanes()
	a.runLanes(ctx, lanes)
	if a.panicked {
		panic(a.panicValue)
	}
	if len(destroys) > 0 && !a.stopped.Load() && ctx.Err() == nil {
		a.destroy(ctx, destroys)
	}
	for i := range a.res.Outcomes {
		if a.res.Outcomes[i].Status == NotAttempted && !a.reported[i] {
			a.report(i, a.res.Outcomes[i])
		}
	}
	return a.res, a.err(ctx)
}

// applier is the state of one Apply.
type applier struct {
	c    Client
	plan *Plan
	opts ApplyOptions

	stopped    atomic.Bool
	mu         sync.Mutex
	res        *Result
	reported   map[int]bool
	panicked   bool
	panicValue any
}

// lanes returns the indexes of each group's operations (groups in the order
// they first appear) and of the destroys.
func (a *applier) lanes() (lanes [][]int, destroys []int) {
	at := map[string]int{}
	for i := range a.plan.Ops {
		o := &a.plan.Ops[i]
		if o.Kind == KindDestroy {
			destroys = append(destroys, i)
			continue
		}
		j, ok := at[o.PermissionGroupID]
		if !ok {
			j = len(lanes)
			at[o.PermissionGroupID] = j
			lanes = append(lanes, nil)
		}
		lanes[j] = append(lanes[j], i)
	}
	return lanes, destroys
}

// runLanes runs the lanes, opts.Concurrency at a time.
func (a *applier) runLanes(ctx context.Context, lanes [][]int) {
	sem := make(chan struct{}, a.opts.Concurrency)
	var wg sync.WaitGroup
	for _, lane := range lanes {
		if a.stopped.Load() || ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					a.mu.Lock()
					if !a.panicked {
						a.panicked, a.panicValue = true, r
					}
					a.mu.Unlock()
					a.stopped.Store(true)
				}
			}()
			a.runLane(ctx, lane)
		}()
	}
	wg.Wait()
}

// runLane runs one group's operations in order until one does not apply.
func (a *applier) runLane(ctx context.Context, lane []int) {
	for k, i := range lane {
		if a.stopped.Load() || ctx.Err() != nil {
			return
		}
		out, covered := a.run(ctx, &a.plan.Ops[i])
		a.report(i, out)
		if out.Status != Applied {
			a.stopped.Store(true)
			return
		}
		if covered {
			for _, j := range lane[k+1:] {
				a.report(j, Outcome{Op: &a.plan.Ops[j], Status: Applied, Note: "done when the create was found made: see its outcome"})
			}
			return
		}
	}
}

// report records an operation's outcome and passes it to OnOutcome.
func (a *applier) report(i int, out Outcome) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.reported == nil {
		a.reported = map[int]bool{}
	}
	a.res.Outcomes[i] = out
	a.res.Calls += out.Calls
	a.reported[i] = true
	if a.opts.OnOutcome != nil {
		a.opts.OnOutcome(out)
	}
}

// err summarizes the result as an *ApplyError, or nil.
func (a *applier) err(ctx context.Context) error {
	r := a.res
	if r.Complete() {
		return nil
	}
	e := &ApplyError{GroupID: r.GroupID, Applied: r.Count(Applied), Failed: r.Count(Failed), Unknown: r.Count(Unknown), NotAttempted: r.Count(NotAttempted)}
	for i := range r.Outcomes {
		if o := &r.Outcomes[i]; o.Status == Failed || o.Status == Unknown {
			e.Op, e.Err = o.Op, o.Err
			break
		}
	}
	if e.Err == nil {
		e.Err = ctx.Err()
	}
	return e
}
