package tim_test

import (
	"context"
	"errors"
	"math"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/timtest"
)

// burst fires n concurrent get_role_in_group calls and returns their errors.
func burst(client *tim.Client, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		}()
	}
	wg.Wait()
	return errs
}

// TestRateLimitAtTheFake fires a burst of calls through the client-side
// limiter at a fake that answers 60007 past 20 calls a second, and checks
// that the fake never saw more than it allows. Retries are off, so a 60007
// would show as a failed call. The second half measures arrivals on the
// wall clock and runs only with TIM_TIMING_TESTS=1.
//
// The limiter lets 16 calls a second through, in bursts of 1: in any span of
// one second at most 1 + 16 = 17 calls start, which leaves room under the
// fake's 20 for calls that arrive late. 25 calls take about 1.5 s.
func TestRateLimitAtTheFake(t *testing.T) {
	const fakeLimit, calls = 20, 25
	noRetry := tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1})

	t.Run("without the limiter the fake answers 60007", func(t *testing.T) {
		// The fake's clock stands still: every call lands in one second.
		now := time.Now()
		srv, _ := seeded(t, timtest.WithRateLimit(fakeLimit), timtest.WithClock(func() time.Time { return now }))
		client, err := srv.NewClient(tim.WithoutRateLimit(), noRetry)
		require.NoError(t, err)
		limited := 0
		for _, err := range burst(client, 2*fakeLimit+5) {
			if errors.Is(err, tim.ErrRateLimitExceeded) {
				limited++
			} else {
				require.NoError(t, err)
			}
		}
		assert.Equal(t, fakeLimit+5, limited)
	})

	t.Run("with the limiter it never does", func(t *testing.T) {
		timing.Require(t) // arrivals on the wall clock; the limiter's pace is tested on a fake clock
		srv, _ := seeded(t, timtest.WithRateLimit(fakeLimit))
		client, err := srv.NewClient(tim.WithRateLimit(16, 1), noRetry)
		require.NoError(t, err)
		for i, err := range burst(client, calls) {
			require.NoError(t, err, "call %d", i)
		}
		reqs := srv.RequestsFor("get_role_in_group")
		require.Equal(t, calls, len(reqs))
		times := make([]time.Time, len(reqs))
		for i, r := range reqs {
			assert.Zero(t, r.ErrorCode)
			times[i] = r.Time
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		// The most calls the fake received in any one-second span.
		most := 0
		for i := range times {
			j := i
			for j < len(times) && times[j].Sub(times[i]) < time.Second {
				j++
			}
			most = max(most, j-i)
		}
		assert.LessOrEqual(t, most, fakeLimit)
		assert.Greater(t, most, 1, "some calls did share a second")
	})
}

func TestRateLimiterBurstAndDeadline(t *testing.T) {
	l, err := tim.NewRateLimiter(1.0/60, 20) // one a minute
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range 20 {
		require.NoError(t, l.Wait(ctx, "get_role_in_group"), "call %d of the burst goes at once", i)
	}
	// The 21st must wait about a minute, past the deadline: it says so at
	// once, in terms of the context's error.
	err = l.Wait(ctx, "get_role_in_group")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, ctx.Err(), "without waiting for the deadline")
	// Another command has its own bucket.
	require.NoError(t, l.Wait(ctx, "get_permission_group"))

	cancelled, stop := context.WithCancel(context.Background())
	stop()
	assert.ErrorIs(t, l.Wait(cancelled, "get_topic_permission_group"), context.Canceled)

	// A wait that ends with the context gives its turn back.
	short, cancelShort := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancelShort() }()
	require.ErrorIs(t, l.Wait(short, "get_role_in_group"), context.Canceled)
}

func TestRateLimitOptions(t *testing.T) {
	for _, o := range []tim.Option{tim.WithRateLimit(0, 1), tim.WithRateLimit(-1, 1), tim.WithRateLimit(10, 0), tim.WithRateLimiter(nil)} {
		_, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("k"), o)
		assert.Error(t, err)
	}
	_, err := tim.NewRateLimiter(0, 1)
	assert.ErrorContains(t, err, "NewRateLimiter")
	_, err = tim.NewRateLimiter(1, 0)
	assert.ErrorContains(t, err, "burst")
}

// countingLimiter counts the waits of each command and can refuse.
type countingLimiter struct {
	mu    sync.Mutex
	waits map[string]int
	err   error
}

func (l *countingLimiter) Wait(ctx context.Context, command string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waits == nil {
		l.waits = map[string]int{}
	}
	l.waits[command]++
	return l.err
}

func TestRateLimiterIsAskedBeforeEveryAttempt(t *testing.T) {
	srv, _ := seeded(t)
	limiter := &countingLimiter{}
	client, err := srv.NewClient(tim.WithRateLimiter(limiter), tim.WithRetryPolicy(matrixPolicy))
	require.NoError(t, err)
	require.NoError(t, srv.FailNext("get_role_in_group", 2, internal))
	require.NoError(t, srv.FailNext("get_role_in_group", 1, expiredSig))
	_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"get_role_in_group": 4}, limiter.waits, "two retries and a renewal")
	assert.Equal(t, 4, len(srv.RequestsFor("get_role_in_group")))
}

func TestRateLimiterFailure(t *testing.T) {
	srv, _ := seeded(t)
	down := errors.New("shared limiter unreachable")
	client, err := srv.NewClient(tim.WithRateLimiter(&countingLimiter{err: down}))
	require.NoError(t, err)
	_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
	require.ErrorIs(t, err, down)
	assert.Contains(t, err.Error(), "rate limiter")
	assert.Empty(t, srv.RequestsFor("get_role_in_group"), "nothing sent")
}

// A retry whose turn at the limiter comes after the deadline is not
// waited for: the call returns the failure it had.
func TestRateLimiterTurnAfterTheDeadline(t *testing.T) {
	srv, _ := seeded(t)
	client, err := srv.NewClient(tim.WithRateLimit(1.0/60, 1), tim.WithRetryPolicy(matrixPolicy)) // one a minute
	require.NoError(t, err)
	require.NoError(t, srv.FailNext("get_role_in_group", 1, internal))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
	require.ErrorIs(t, err, tim.ErrInternal)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, ctx.Err(), "returned before the deadline")
	assert.Equal(t, 1, len(srv.RequestsFor("get_role_in_group")))
}

// The default limiter lets a call split into DefaultRateBurst (15) requests
// send them all at once (7,500 accounts with WithMaxConcurrency(15)): a
// burst of 15 needs no wait, and the 16th does. The limiter runs on a fixed
// clock, so the test does not depend on how fast this machine is.
func TestDefaultRateBurstNeedsNoWait(t *testing.T) {
	l, err := tim.NewRateLimiter(tim.DefaultRateLimit, tim.DefaultRateBurst)
	require.NoError(t, err)
	now := time.Now()
	for i := range tim.DefaultRateBurst {
		require.True(t, tim.AllowAt(l, "get_role_in_group", now), "call %d", i)
	}
	assert.False(t, tim.AllowAt(l, "get_role_in_group", now), "the 16th waits")
	// One token's time, rounded up to the nanosecond (1 s / 175 is not a
	// whole number of them).
	oneToken := time.Duration(math.Ceil(float64(time.Second) / tim.DefaultRateLimit))
	assert.False(t, tim.AllowAt(l, "get_role_in_group", now.Add(oneToken-time.Microsecond)), "not before one token's time")
	assert.True(t, tim.AllowAt(l, "get_role_in_group", now.Add(oneToken)), "for one token's time")
}
