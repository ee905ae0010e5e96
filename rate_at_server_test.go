package tim_test

// The rate limiter's promise, measured where it matters: at the server.
// The service allows 200 calls of a command in any one second; the fake
// records when each request arrives, and the client must keep that count
// at or under 200 in every sliding one-second window, through a stall of
// the server and under CPU load.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/timtest"
)

// mostInASecond is the largest number of times in any window [t, t+1s).
func mostInASecond(times []time.Time) int {
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	j := 0
	for i := range times {
		for times[i].Sub(times[j]) >= time.Second {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// TestRatePromiseAtTheServer runs 64 goroutines of 1,200-account role
// lookups (3 requests each, 8 in flight per call) against the fake for a
// few seconds, with a 1.5 s stall of the server after the first second:
// the 64 requests that arrive then are answered only after it. Before the
// fix, the requests that took their turn during the stall and then waited
// for a connection arrived together when it ended: 327 in one second.
//
// It measures wall-clock arrivals, so it runs only with TIM_TIMING_TESTS=1
// (.ci/run's timing step); the limiter's logic is tested on a fake clock.
func TestRatePromiseAtTheServer(t *testing.T) {
	timing.Require(t)
	for _, load := range []bool{false, true} {
		t.Run(fmt.Sprintf("cpu load %v", load), func(t *testing.T) {
			srv := timtest.NewServer()
			t.Cleanup(srv.Close)
			const group = "@TGS#_rate"
			require.NoError(t, srv.CreateCommunity(group, "owner"))
			client, err := srv.NewClient()
			require.NoError(t, err)
			defer client.Close()
			accounts := make([]string, 1200)
			for i := range accounts {
				accounts[i] = fmt.Sprintf("user%d", i)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 3500*time.Millisecond)
			defer cancel()
			stop := make(chan struct{})
			var spinners sync.WaitGroup
			if load {
				for range 2 * runtime.GOMAXPROCS(0) {
					spinners.Add(1)
					go func() {
						defer spinners.Done()
						x := 0
						for {
							select {
							case <-stop:
								return
							default:
							}
							for i := range 100000 {
								x += i ^ x
							}
						}
					}()
				}
			}
			time.AfterFunc(time.Second, func() {
				if err := srv.FailNext(tim.CommandGetRoleInGroup, tim.DefaultMaxInFlight, timtest.Fault{Delay: 1500 * time.Millisecond}); err != nil {
					t.Error(err)
				}
			})
			var calls sync.WaitGroup
			for range 64 {
				calls.Add(1)
				go func() {
					defer calls.Done()
					for ctx.Err() == nil {
						_, _ = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: group, Accounts: accounts})
					}
				}()
			}
			calls.Wait()
			close(stop)
			spinners.Wait()

			var times []time.Time
			stalled := 0
			for _, r := range srv.RequestsFor(tim.CommandGetRoleInGroup) {
				times = append(times, r.Time)
				if r.Fault != nil {
					stalled++
				}
			}
			most := mostInASecond(times)
			t.Logf("%d requests, at most %d in a second, %d stalled", len(times), most, stalled)
			assert.Equal(t, tim.DefaultMaxInFlight, stalled, "the stall happened")
			assert.LessOrEqual(t, most, 200, "the service's limit, at the server")
			assert.GreaterOrEqual(t, most, 100, "the load used the budget")
		})
	}
}

// TestCancelledWaitsGiveTheirTurnBackOnTheWallClock is
// TestCancelledWaitsGiveTheirTurnBack in real time: 300 callers cancel
// (context.WithCancel) at random times in the first 0.5 s while 4 others
// wait their turns for 1.5 s, and at least 90 % of the 301 turns must have
// been given. Run with TIM_TIMING_TESTS=1.
func TestCancelledWaitsGiveTheirTurnBackOnTheWallClock(t *testing.T) {
	timing.Require(t)
	const perSecond, window = 200, 1500 * time.Millisecond
	l, err := tim.NewRateLimiter(perSecond, 1)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	var granted atomic.Int64
	var wg sync.WaitGroup
	for range 300 {
		wg.Add(1)
		c, stop := context.WithCancel(ctx)
		timer := time.AfterFunc(time.Duration(rand.Int64N(int64(window/3))), stop)
		go func() {
			defer wg.Done()
			defer timer.Stop()
			defer stop()
			if l.Wait(c, tim.CommandGetRoleInGroup) == nil {
				granted.Add(1)
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l.Wait(ctx, tim.CommandGetRoleInGroup) == nil {
				granted.Add(1)
			}
		}()
	}
	wg.Wait()
	budget := 1 + perSecond*window.Seconds()
	t.Logf("%d of %.0f turns given", granted.Load(), budget)
	assert.GreaterOrEqual(t, float64(granted.Load()), 0.9*budget)
	assert.LessOrEqual(t, float64(granted.Load()), budget+1)
}
