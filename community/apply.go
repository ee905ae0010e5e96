package community

import (
	"context"
	"errors"
	"sync"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/workers"
)

// DefaultApplyConcurrency is how many requests [Apply] keeps in flight when
// [ApplyOptions.Concurrency] is 0. The client paces them with its own rate
// limiter, per command; the bound is sized so that every command a plan
// uses can run at its rate limit at once with 50 ms round trips (four
// commands × 175/s × 0.05 s = 35 in flight), with room to spare: see
// BENCHMARKS.md.
const DefaultApplyConcurrency = 64

// ErrStopped is the error of the operations [Apply] did not send because
// [ApplyOptions.Stop] was closed.
var ErrStopped = errors.New("community: apply stopped: not sent")

// ApplyOptions tunes [Apply]. A nil *ApplyOptions means the defaults.
type ApplyOptions struct {
	// Concurrency bounds the requests in flight (default
	// [DefaultApplyConcurrency]).
	Concurrency int
	// OnOutcome, when set, is called with each operation's outcome as it is
	// known (the ones never attempted at the end, in plan order), one call
	// at a time.
	OnOutcome func(Outcome)
	// Stop, when closed, makes Apply start no new request (nor settle an
	// unknown outcome) and return once the requests already sent have been
	// answered; their outcomes are reported, and the operations not sent
	// are not attempted ([ErrStopped]). Cancelling Apply's context instead
	// aborts the requests in flight, whose outcomes are then unknown.
	Stop <-chan struct{}
}

// Result is what [Apply] did: one [Outcome] per operation of the plan, in the
// plan's order, and the calls made.
type Result struct {
	GroupID  string
	Outcomes []Outcome
	// Calls is how many requests Apply made (a request the client retried
	// counts once): the plan's writes and the reads and writes that
	// settled answers saying a change already held or lost answers.
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
		s += ": " + e.Op.Kind.String() + " " + e.Op.target()
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the first failure.
func (e *ApplyError) Unwrap() error { return e.Err }

// Apply runs plan p against the community with c, one request per list
// chunk of the split limits (50 topics, 100 accounts, 20 group destroys,
// 50 topic destroys), at most opts.Concurrency in flight, in this order:
// the settings; the topic creates and changes (a topic's create before
// its modify); then the groups: a group's create before any other change
// of it; its topic deletes before its topic adds and its member deletes
// before its member adds (which frees room under a member limit); the
// group destroys once everything else is applied; the topic destroys
// last. Changes of different groups, and a group's field, topic and
// member changes, run at once; so do the topic creates and changes.
//
// Every change Apply makes is one the plan shows. An answer showing the
// planned state already holds counts as done, with no second write: an
// account already a member (10013), a topic permission already deleted or
// absent (110014, 110011), a group already gone (110006), a topic already
// granted (110010) with the planned value. A create answered 10021 (the ID
// is in use) reads the group back and counts as done only if it is what the
// create makes (the plan's fields, no topics, no members: this run's own
// create whose answer was lost); otherwise the operation fails, "created
// by someone else since the plan", and nothing of it is changed. Likewise a
// topic granted with another value, or no longer granted when the plan sets
// it, fails instead of being overwritten.
//
// A topic create answered "ID in use" (10021 or 10025) reads the topic back
// and counts as done only if it is what the create makes, likewise; a
// topic destroy answered 110003 (or 10010 for the item) is already so.
//
// A lost answer (the request may have been applied: see
// tim.MayHaveApplied) is settled in the same run, up to three times, never
// by a write that could apply twice: a create (of a group or a topic), an
// add or delete of topics or members, or a destroy (of groups or topics) is
// sent again (its repeat answers "already so" when the first one was
// applied); a modify (of a group, a topic or the settings) or a set of
// topics reads the values back (get_permission_group, get_topic,
// get_group_info) and is sent again only if they are still the old ones.
//
// The first operation that fails stops Apply: no request starts after it
// (those in flight finish). Each [Outcome] says whether its operation was
// applied, failed (refused; nothing of it, or only some items, applied),
// is unknown (a lost answer that could not be settled) or was not
// attempted, and which items are which. Running [Load] and [Diff] again
// shows what is left, whatever happened.
//
// The result is always returned; the error is nil when every operation was
// applied, else an [*ApplyError]. When nothing answers "already" and no
// answer is lost, the writes made are exactly [Summary.Calls]. A panic in a
// call is raised again in the caller's goroutine once the others have
// ended.
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
	startCtx, stopStarting := context.WithCancel(ctx)
	defer stopStarting()
	a.stopStarting = stopStarting
	if o.Stop != nil {
		select {
		case <-o.Stop: // stopped before anything starts
			a.stopped(ErrStopped)
		default:
		}
		go func() {
			select {
			case <-o.Stop:
				a.stopped(ErrStopped)
			case <-startCtx.Done():
			}
		}()
	}
	a.run(ctx, startCtx)
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, u := range a.units { // the requests never sent: their items were not
		if !u.ran {
			a.recordUnit(u, listRun{notSent: u.items})
		}
	}
	for i := range a.res.Outcomes {
		if !a.ops[i].reported {
			a.finish(i)
		}
	}
	return a.res, a.err(ctx)
}

// applier is the state of one Apply.
type applier struct {
	c            Client
	plan         *Plan
	opts         ApplyOptions
	stopStarting context.CancelFunc

	mu      sync.Mutex
	res     *Result
	units   []*unit
	ops     []opState
	why     error // why no more requests start: a failure, or ErrStopped
	queue   []*unit
	running int
	wake    chan struct{}
}

// stopped records why no request starts any more and stops them.
func (a *applier) stopped(why error) {
	a.mu.Lock()
	if a.why == nil {
		a.why = why
	}
	a.mu.Unlock()
	a.stopStarting()
}

// run schedules the units: each starts once its dependencies are applied,
// in the plan's order, while no failure or stop has happened.
func (a *applier) run(ctx, startCtx context.Context) {
	roots := a.plan.units(a)
	a.wake = make(chan struct{}, 1)
	a.queue = roots
	g, gctx := workers.New(startCtx, a.opts.Concurrency) // gctx also ends when a unit panics
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			idle := a.running == 0
			a.mu.Unlock()
			if idle {
				break
			}
			select {
			case <-a.wake:
			case <-gctx.Done():
			}
			if gctx.Err() != nil {
				break
			}
			continue
		}
		u := a.queue[0]
		a.queue = a.queue[1:]
		a.running++
		a.mu.Unlock()
		if g.Go(func(context.Context) error { a.runUnit(ctx, startCtx, u); return nil }) != nil {
			a.mu.Lock()
			a.running--
			a.mu.Unlock()
			break
		}
	}
	_ = g.Wait() // tasks report through their outcomes; a panic is raised again
}

// err summarizes the result as an *ApplyError, or nil. The caller holds
// a.mu.
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
	if e.Err == nil {
		e.Err = a.why
	}
	return e
}

// mayHaveApplied reports whether a failed request may have been acted on.
// For the SDK's errors it asks tim.MayHaveApplied, which knows whether a
// transport failure happened before anything was sent; an error of another
// kind (from a Client of yours) may have, unless it is only the context's.
func mayHaveApplied(err error) bool {
	var (
		ve *tim.ValidationError
		ae *tim.APIError
		te *tim.TransportError
		he *tim.HTTPError
		de *tim.DecodeError
	)
	switch {
	case errors.As(err, &ve), errors.As(err, &ae), errors.As(err, &te), errors.As(err, &he), errors.As(err, &de):
		return tim.MayHaveApplied(err)
	case isContextErr(err):
		return false
	}
	return true
}
