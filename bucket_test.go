package tim_test

// The limiter's buckets on a fake clock: turns come exactly when tokens
// do, in the order callers came, and a caller that leaves takes nothing.
// Nothing here depends on how fast the machine is.

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

const cmdBucket = tim.CommandGetRoleInGroup

// clockedLimiter is a limiter of perSecond in bursts of burst on a fake
// clock.
func clockedLimiter(t *testing.T, perSecond float64, burst int) (*tim.CommandRateLimiter, *tim.FakeClock) {
	t.Helper()
	l, err := tim.NewRateLimiter(perSecond, burst)
	require.NoError(t, err)
	clk := tim.NewFakeClock(time.Unix(1_700_000_000, 0))
	tim.SetLimiterClock(l, clk)
	return l, clk
}

// settle waits until queued callers wait at l, with the head's timer
// armed and no fired timer unreceived: nothing more happens until the
// clock moves. The wait is bounded only to fail rather than hang.
func settle(t *testing.T, l *tim.CommandRateLimiter, clk *tim.FakeClock, queued func() int) {
	t.Helper()
	for start := time.Now(); ; {
		want := queued()
		armed, undelivered := clk.Armed()
		if tim.Queued(l, cmdBucket) == want && undelivered == 0 && (armed == 1) == (want > 0) && armed <= 1 {
			return
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the limiter did not settle: %d queued (want %d), %d timers armed, %d fired unreceived", tim.Queued(l, cmdBucket), want, armed, undelivered)
		}
		time.Sleep(20 * time.Microsecond)
	}
}

func TestBucketTurnsOnTheClock(t *testing.T) {
	l, clk := clockedLimiter(t, 10, 1) // a token every 100 ms
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx, cmdBucket), "the burst")

	// Three callers queue, in order.
	served := make(chan int, 3)
	for i := range 3 {
		go func() {
			if l.Wait(ctx, cmdBucket) == nil {
				served <- i
			}
		}()
		settle(t, l, clk, func() int { return i + 1 })
	}
	clk.Advance(99 * time.Millisecond)
	settle(t, l, clk, func() int { return 3 })
	assert.Empty(t, served, "no turn before the token is there")

	for i := range 3 {
		clk.Advance(time.Millisecond)
		assert.Equal(t, i, <-served, "served in the order they came")
		settle(t, l, clk, func() int { return 2 - i })
		clk.Advance(99 * time.Millisecond)
	}
	assert.Empty(t, served)
}

func TestBucketHeadLeavingHandsOn(t *testing.T) {
	l, clk := clockedLimiter(t, 10, 1)
	require.NoError(t, l.Wait(context.Background(), cmdBucket))
	first, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() { errs <- l.Wait(first, cmdBucket) }()
	settle(t, l, clk, func() int { return 1 })
	served := make(chan struct{})
	go func() {
		if l.Wait(context.Background(), cmdBucket) == nil {
			close(served)
		}
	}()
	settle(t, l, clk, func() int { return 2 })

	cancel()
	require.ErrorIs(t, <-errs, context.Canceled)
	settle(t, l, clk, func() int { return 1 })
	clk.Advance(100 * time.Millisecond)
	<-served // the second caller got the first token
	settle(t, l, clk, func() int { return 0 })
	assert.False(t, tim.AllowAt(l, cmdBucket, clk.Now()), "the leaver took nothing, and the token went to the second caller")
}

// TestCancelledWaitsGiveTheirTurnBack makes 300 callers give up waiting
// (context.WithCancel) at random times in the first 0.5 s while 4 others
// wait their turns for 1.5 s, on a fake clock: every turn the limiter had
// in that time — 1 + 200/s × 1.5 s — must have gone to someone. This is
// the case x/time/rate fails: its Reservation.Cancel gives a cancelled
// turn back only in part when others reserved after it, and most of the
// budget was lost (55 of 301 turns in the same setup).
func TestCancelledWaitsGiveTheirTurnBack(t *testing.T) {
	const perSecond, window, leavers, stayers = 200, 1500 * time.Millisecond, 300, 4
	l, clk := clockedLimiter(t, perSecond, 1)
	start := clk.Now()
	end := start.Add(window)
	var granted atomic.Int64
	var pending atomic.Int64 // leavers whose Wait has not returned
	var wg sync.WaitGroup

	type leaver struct {
		at     time.Time
		cancel context.CancelFunc
	}
	var plan []leaver
	for range leavers {
		ctx, cancel := context.WithCancel(context.Background())
		plan = append(plan, leaver{start.Add(time.Duration(rand.Int64N(int64(window / 3)))), cancel})
		pending.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.Wait(ctx, cmdBucket) == nil {
				granted.Add(1)
			}
			pending.Add(-1)
		}()
	}
	slices.SortFunc(plan, func(a, b leaver) int { return a.at.Compare(b.at) })
	stay, stop := context.WithCancel(context.Background())
	for range stayers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l.Wait(stay, cmdBucket) == nil {
				granted.Add(1)
			}
		}()
	}
	queued := func() int { return stayers + int(pending.Load()) }

	// Move the clock from event to event: the next token's timer, or the
	// next caller giving up, until the window ends.
	for {
		settle(t, l, clk, queued)
		next, ok := clk.Next()
		if len(plan) > 0 && (!ok || plan[0].at.Before(next)) {
			next = plan[0].at
		}
		if next.After(end) {
			break
		}
		clk.AdvanceTo(next)
		for len(plan) > 0 && !plan[0].at.After(clk.Now()) {
			plan[0].cancel()
			plan = plan[1:]
		}
	}
	given := granted.Load()
	stop()
	for _, p := range plan {
		p.cancel()
	}
	wg.Wait()

	budget := 1 + int64(perSecond*window.Seconds())
	t.Logf("%d of %d turns given", given, budget)
	assert.LessOrEqual(t, given, budget, "never more turns than tokens")
	assert.GreaterOrEqual(t, given, budget-1, "every turn went to someone (the last token may fall a nanosecond after the window)")
}

// TestBucketWakesOnlyForTurns has 64 callers queue for 2 s of turns at the
// default rate on a fake clock, and counts the timers that fired: one for
// each turn the queue was given (and a few for timers that came a hair
// before their token, float arithmetic). No caller is woken for nothing.
func TestBucketWakesOnlyForTurns(t *testing.T) {
	const callers = 64
	l, clk := clockedLimiter(t, tim.DefaultRateLimit, tim.DefaultRateBurst)
	for i := range tim.DefaultRateBurst {
		require.True(t, tim.AllowAt(l, cmdBucket, clk.Now()), "the burst, call %d", i)
	}
	ctx, stop := context.WithCancel(context.Background())
	var granted atomic.Int64
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l.Wait(ctx, cmdBucket) == nil {
				granted.Add(1)
			}
		}()
	}
	end := clk.Now().Add(2 * time.Second)
	for {
		settle(t, l, clk, func() int { return callers })
		next, ok := clk.Next()
		if !ok || next.After(end) {
			break
		}
		clk.AdvanceTo(next)
	}
	turns, fires := granted.Load(), clk.Fires()
	stop()
	wg.Wait()
	t.Logf("%d turns, %d timer fires", turns, fires)
	assert.InDelta(t, 2*tim.DefaultRateLimit, turns, 1)
	assert.GreaterOrEqual(t, int64(fires), turns, "a turn in the queue comes by its caller's own timer")
	assert.LessOrEqual(t, float64(fires), float64(turns)*1.05, "no wakeups without a turn, but for early timers")
}
