package workers

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunBoundsAndCompletes(t *testing.T) {
	var inFlight, most, done atomic.Int32
	err := Run(context.Background(), 3, 40, func(ctx context.Context, i int) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(time.Millisecond)
		done.Add(1)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, int32(40), done.Load())
	assert.LessOrEqual(t, most.Load(), int32(3))
}

// TestFirstErrorWins: the first error is returned and the others see their
// context end.
func TestFirstErrorWins(t *testing.T) {
	boom := errors.New("boom")
	var cancelled atomic.Int32
	release := make(chan struct{})
	err := Run(context.Background(), 4, 4, func(ctx context.Context, i int) error {
		if i == 2 {
			<-release
			return boom
		}
		if i == 3 {
			close(release)
		}
		<-ctx.Done()
		cancelled.Add(1)
		return ctx.Err()
	})
	assert.Same(t, boom, err)
	assert.Equal(t, int32(3), cancelled.Load())
}

// TestWaitingForAPlaceWatchesTheContext: with every place taken, Go returns
// as soon as the context ends, runs nothing, and Wait reports it.
func TestWaitingForAPlaceWatchesTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g, _ := New(ctx, 1)
	hold := make(chan struct{})
	require.NoError(t, g.Go(func(context.Context) error { <-hold; return nil }))
	ran := false
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	err := g.Go(func(context.Context) error { ran = true; return nil })
	assert.ErrorIs(t, err, context.Canceled)
	close(hold)
	assert.ErrorIs(t, g.Wait(), context.Canceled, "a task that could not start is not success")
	assert.False(t, ran)
}

func TestPanicReachesTheCaller(t *testing.T) {
	var ended atomic.Int32
	var got any
	func() {
		defer func() { got = recover() }()
		_ = Run(context.Background(), 4, 8, func(ctx context.Context, i int) error {
			defer ended.Add(1)
			if i == 1 {
				panic("task: boom")
			}
			<-ctx.Done()
			return nil
		})
	}()
	assert.Equal(t, "task: boom", got)
	assert.Equal(t, ended.Load(), ended.Load(), "read once every task ended")
	assert.LessOrEqual(t, ended.Load(), int32(8))
}

// TestGoexitReachesTheCaller: runtime.Goexit in a task ends the caller's
// goroutine too, instead of returning success.
func TestGoexitReachesTheCaller(t *testing.T) {
	var wg sync.WaitGroup
	returned := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = Run(context.Background(), 2, 2, func(ctx context.Context, i int) error {
			if i == 0 {
				runtime.Goexit()
			}
			return nil
		})
		returned = true
	}()
	wg.Wait()
	assert.False(t, returned, "the caller's goroutine exited too")
}

func TestNoTaskAfterFailure(t *testing.T) {
	g, _ := New(context.Background(), 1)
	require.NoError(t, g.Go(func(context.Context) error { return errors.New("first") }))
	// The place frees only once the failed task ended, and by then the
	// group's context has ended: nothing more starts.
	err := g.Go(func(context.Context) error { t.Error("ran after the failure"); return nil })
	assert.Error(t, err)
	assert.EqualError(t, g.Wait(), "first")
}

// TestCancellationCauseIsNotTheError: the others' context ends with
// context.Canceled as its cause, never the failed task's error (a request
// cut short returns its context's cause as its own error, and the two
// callers would then share one error value).
func TestCancellationCauseIsNotTheError(t *testing.T) {
	boom := errors.New("boom")
	var cause error
	_ = Run(context.Background(), 2, 2, func(ctx context.Context, i int) error {
		if i == 0 {
			return boom
		}
		<-ctx.Done()
		cause = context.Cause(ctx)
		return nil
	})
	assert.Same(t, context.Canceled, cause)
}
