package main

import (
	"context"
	"fmt"
	"sync"
	"time"
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

// applySignals watches interrupts, and the end of -timeout (expired), while
// apply writes: the first of them closes stop (start nothing new) and gives
// the writes in flight e.grace to finish; an interrupt then, or the grace's
// end, cancels ctx (abort them). end ends the watch once its messages are
// written (call it before writing to e.stderr again; it may be called more
// than once) and says what closed stop: "interrupted", "-timeout (…) ran
// out", or "" if nothing did.
func applySignals(ctx context.Context, e *env, expired <-chan struct{}, timeout time.Duration) (_ context.Context, stop <-chan struct{}, end func() (stoppedBy string)) {
	ctx, abort := context.WithCancel(ctx)
	stopCh := make(chan struct{})
	done, exited := make(chan struct{}), make(chan struct{})
	var why string // written before exited is closed
	go func() {
		defer close(exited)
		reason, again := "interrupted", " again"
		select {
		case <-e.signals:
		case <-expired:
			reason, again = timeoutError{timeout}.Error(), ""
		case <-done:
			return
		}
		why = reason
		close(stopCh) // before the message: whoever reads it knows nothing new starts
		fmt.Fprintf(e.stderr, "tim apply: %s: starting nothing new; waiting up to %v for the writes already sent (interrupt%s to abort them)\n", reason, e.grace, again)
		graceOver, stopTimer := e.timer(e.grace)
		defer stopTimer()
		select {
		case <-e.signals:
			fmt.Fprintf(e.stderr, "tim apply: interrupted%s: aborting the writes in flight; their outcomes are unknown\n", again)
		case <-graceOver:
			fmt.Fprintf(e.stderr, "tim apply: the writes in flight did not finish within %v: aborting them; their outcomes are unknown\n", e.grace)
		case <-done:
			return
		}
		abort()
	}()
	var once sync.Once
	return ctx, stopCh, func() string {
		once.Do(func() { close(done); <-exited; abort() })
		return why
	}
}
