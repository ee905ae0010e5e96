package main

import (
	"context"
	"fmt"
)

// cancelOnSignal returns ctx cancelled on the first interrupt: for the
// verbs and phases that write nothing. stop ends the watch.
func cancelOnSignal(ctx context.Context, e *env) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		select {
		case <-e.signals:
			fmt.Fprintln(e.stderr, "tim: interrupted: stopping (nothing was written)")
			cancel()
		case <-done:
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// applySignals watches interrupts while apply writes: the first closes
// stop (start nothing new) and gives the writes in flight e.grace to
// finish; the second, or the grace's end, cancels ctx (abort them). end
// ends the watch.
func applySignals(ctx context.Context, e *env) (_ context.Context, stop <-chan struct{}, end func()) {
	ctx, abort := context.WithCancel(ctx)
	stopCh := make(chan struct{})
	done := make(chan struct{})
	go func() {
		select {
		case <-e.signals:
		case <-done:
			return
		}
		fmt.Fprintf(e.stderr, "tim apply: interrupted: starting nothing new; waiting up to %v for the writes already sent (interrupt again to abort them)\n", e.grace)
		close(stopCh)
		graceOver, stopTimer := e.timer(e.grace)
		defer stopTimer()
		select {
		case <-e.signals:
			fmt.Fprintln(e.stderr, "tim apply: interrupted again: aborting the writes in flight; their outcomes are unknown")
		case <-graceOver:
			fmt.Fprintf(e.stderr, "tim apply: the writes in flight did not finish within %v: aborting them; their outcomes are unknown\n", e.grace)
		case <-done:
			return
		}
		abort()
	}()
	return ctx, stopCh, func() { close(done); abort() }
}
