package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// startTimer starts a timer of d: its channel, and a stop that releases it.
// The apply's -timeout and its grace after an interrupt run on one; a test
// gives env its own, a clock that moves when the test says.
type startTimer func(d time.Duration) (fired <-chan time.Time, stop func())

// realTimer is the real clock's startTimer.
func realTimer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// timeoutError is why tim stopped when -timeout ran out.
type timeoutError struct{ d time.Duration }

func (e timeoutError) Error() string { return fmt.Sprintf("-timeout (%v) ran out", e.d) }

// deadline starts -timeout (d) on e's clock: expired is closed when it runs
// out. stop releases it.
func deadline(e *env, d time.Duration) (expired <-chan struct{}, stop func()) {
	fired, stopTimer := e.timer(d)
	ch, done := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-fired:
			close(ch)
		case <-done:
		}
	}()
	var once sync.Once
	return ch, func() { once.Do(func() { stopTimer(); close(done) }) }
}

// until returns ctx cancelled, with cause, once expired is closed; cancel
// releases it.
func until(ctx context.Context, expired <-chan struct{}, cause error) (_ context.Context, cancel func()) {
	ctx, cancelCause := context.WithCancelCause(ctx)
	go func() {
		select {
		case <-expired:
			cancelCause(cause)
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancelCause(context.Canceled) }
}
