// Package workers runs tasks on a bounded number of goroutines: the one
// helper package tim (split calls) and package community (Load, Apply)
// share, so that every pool of the module behaves the same way.
//
// It has errgroup's contract (golang.org/x/sync/errgroup: a limit, the
// first error wins and cancels the others' context) and adds what errgroup
// leaves out:
//
//   - the wait for a free place watches the context, so a caller blocked
//     behind busy workers stops at once when the work is cancelled, and a
//     task that could not start makes [Group.Wait] fail (a caller never
//     mistakes skipped work for done work);
//   - a panic in a task stops the others and is raised again, with its
//     value, in the goroutine that calls [Group.Wait], once every task has
//     ended; a runtime.Goexit in a task (t.FailNow in a test's transport,
//     say) is made again there too, so the caller never reports success
//     for work that did not finish;
//   - the first error is recorded before the context is cancelled and the
//     task's place given back, so a sibling that fails only because of the
//     cancellation never wins, and no task starts after a failure.
package workers

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// errStopped is the cause the group's context ends with when a task panics
// or exits.
var errStopped = errors.New("workers: a task panicked or exited")

// Group runs tasks, at most limit at once. The first task to fail cancels
// the group's context and its error is what [Group.Wait] returns. Create it
// with [New]; a Group is used once.
type Group struct {
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelCauseFunc
	sem    chan struct{}

	mu       sync.Mutex
	err      error // the first task's error
	skipped  error // why a task could not start
	panicked bool
	value    any
	exited   bool
}

// New returns a group of at most limit (at least 1) tasks at once, and its
// context: derived from ctx, it ends when ctx does, when a task fails,
// panics or exits, and when Wait returns.
func New(ctx context.Context, limit int) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{ctx: ctx, cancel: cancel, sem: make(chan struct{}, max(1, limit))}, ctx
}

// Go waits for a free place and runs task in a new goroutine with the
// group's context. If the group's context ends first, task does not run:
// Go returns the context's error, and Wait returns it too unless a task
// failed first.
func (g *Group) Go(task func(ctx context.Context) error) error {
	if err := g.ctx.Err(); err != nil {
		return g.skip(err)
	}
	select {
	case g.sem <- struct{}{}:
	case <-g.ctx.Done():
		return g.skip(g.ctx.Err())
	}
	if err := g.ctx.Err(); err != nil { // both were ready, and select chose the place
		<-g.sem
		return g.skip(err)
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		// The place is given back last, once a failure has cancelled the
		// context, so that no task starts after it.
		defer func() { <-g.sem }()
		returned := false
		defer func() {
			if returned {
				return
			}
			r := recover()
			g.mu.Lock()
			if r != nil && !g.panicked {
				g.panicked, g.value = true, r
			} else if r == nil {
				g.exited = true // runtime.Goexit: nothing to recover
			}
			g.mu.Unlock()
			g.cancel(errStopped)
		}()
		err := task(g.ctx)
		returned = true
		if err != nil {
			g.mu.Lock()
			if g.err == nil {
				g.err = err
			}
			g.mu.Unlock()
			// Not err as the cause: requests cut short by the cancellation
			// would return it as their own error (net/http does), and
			// their callers would share, and change, the failed task's.
			g.cancel(context.Canceled)
		}
	}()
	return nil
}

func (g *Group) skip(err error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.skipped == nil {
		g.skipped = err
	}
	return err
}

// Wait waits for every task started and returns the first task's error,
// else the error of a task that could not start (see [Group.Go]), else
// nil. It raises again a task's panic, or makes again a task's
// runtime.Goexit, in the caller's goroutine.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.cancel(context.Canceled)
	g.mu.Lock()
	err, panicked, value, exited, skipped := g.err, g.panicked, g.value, g.exited, g.skipped
	g.mu.Unlock()
	switch {
	case panicked:
		panic(value)
	case exited:
		runtime.Goexit()
	case err != nil:
		return err
	}
	return skipped
}

// Run runs work(ctx, i) for every i in [0, n), at most limit at once, and
// returns as [Group.Wait] does: the first error (which cancels the context
// of the others), a panic or Goexit raised again in the caller.
func Run(ctx context.Context, limit, n int, work func(ctx context.Context, i int) error) error {
	g, _ := New(ctx, limit)
	for i := range n {
		if g.Go(func(ctx context.Context) error { return work(ctx, i) }) != nil {
			break
		}
	}
	return g.Wait()
}
