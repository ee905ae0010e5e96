package redisrate_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/redisrate"
	"github.com/timkit/tim/timtest"
)

// The fleet: processes × goroutines call one command as fast as they can
// for fleetFor, sharing one Redis limiter.
const (
	fleetProcesses  = 4
	fleetGoroutines = 8
	fleetFor        = 3 * time.Second

	// serviceLimit is the service's limit per command and app, per second.
	serviceLimit = 200

	// The shared limit. In any span of t seconds the limiter lets at most
	// burst + rate×t calls start: 190 in a second. The 10 to spare are for
	// the time a call takes from Redis to the fake, which varies (tens of
	// milliseconds under -race with five processes on two cores): a second
	// at the fake can hold the calls Redis let go in a little more than a
	// second. The rate alone, 185, keeps every steady second above the 90 %
	// (180) the test asks of the budget, and the burst lets a few late
	// turns catch up.
	// TIM_REDISRATE_FLEET_RATE and _BURST override them, to try others.
	fleetRate  = 185
	fleetBurst = 5
)

// The helper-process environment: TestMain runs fleetChild instead of the
// tests when fleetChildEnv is "1".
const (
	fleetChildEnv = "TIM_REDISRATE_FLEET_CHILD"
	fleetURLEnv   = "TIM_REDISRATE_FLEET_URL"
	fleetKeyEnv   = "TIM_REDISRATE_FLEET_SECRET"
	fleetPrefEnv  = "TIM_REDISRATE_FLEET_PREFIX"
	fleetStartEnv = "TIM_REDISRATE_FLEET_START" // Unix nanoseconds
	fleetRateEnv  = "TIM_REDISRATE_FLEET_RATE"
	fleetBurstEnv = "TIM_REDISRATE_FLEET_BURST"
	fleetForEnv   = "TIM_REDISRATE_FLEET_FOR"      // a duration; default fleetFor
	fleetLocalEnv = "TIM_REDISRATE_FLEET_FALLBACK" // "rate,burst" of a fallback; none by default
)

// fleetLimit returns the shared limit: the constants, or the environment's.
func fleetLimit() (rate float64, burst int, err error) {
	rate, burst = fleetRate, fleetBurst
	if v := os.Getenv(fleetRateEnv); v != "" {
		if rate, err = strconv.ParseFloat(v, 64); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", fleetRateEnv, err)
		}
	}
	if v := os.Getenv(fleetBurstEnv); v != "" {
		if burst, err = strconv.Atoi(v); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", fleetBurstEnv, err)
		}
	}
	return rate, burst, nil
}

// fleetReport is what a child prints on stdout.
type fleetReport struct {
	OK     int      `json:"ok"`
	Failed int      `json:"failed"`
	Errors []string `json:"errors,omitempty"` // the first few
}

// TestFleet runs fleetProcesses copies of this test binary against one
// fake and one Redis, and checks at the fake that the fleet stayed within
// the service's limit in every sliding second while using most of it.
func TestFleet(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	rdb := sharedRedis(t)
	prefix := uniquePrefix(t, rdb)
	rate, burst, err := fleetLimit()
	if err != nil {
		t.Fatal(err)
	}
	srv := fake(t, timtest.WithRateLimit(serviceLimit), timtest.WithSDKAppID(appID))

	start := time.Now().Add(1500 * time.Millisecond) // every child is up and connected by then
	env := append(os.Environ(),
		fleetChildEnv+"=1",
		fleetURLEnv+"="+srv.URL(),
		fleetKeyEnv+"="+srv.SecretKey(),
		fleetPrefEnv+"="+prefix,
		fleetStartEnv+"="+strconv.FormatInt(start.UnixNano(), 10),
	)
	ok, times, limited := fleetResults(t, runFleet(t, env), srv)
	most, at := mostInASecond(times)
	t.Logf("%d processes × %d goroutines, %s at %g/s + burst %d: %d calls, most in a sliding second %d of %d (%.1f%%), from %s after the start; %d answered 60007",
		fleetProcesses, fleetGoroutines, fleetFor, rate, burst, len(times), most, serviceLimit,
		100*float64(most)/serviceLimit, at.Sub(start).Round(time.Millisecond), limited)
	assert.Zero(t, limited, "the fake answered 60007")
	assert.LessOrEqual(t, most, serviceLimit)
	assert.GreaterOrEqual(t, most, serviceLimit*9/10, "the fleet used at least 90 %% of the budget")
	assert.GreaterOrEqual(t, ok, int(rate*fleetFor.Seconds()*0.9), "calls that succeeded")
}

// runFleet runs fleetProcesses children with env and returns their
// reports.
func runFleet(t *testing.T, env []string) []fleetReport {
	t.Helper()
	reports := make([]fleetReport, fleetProcesses)
	var wg sync.WaitGroup
	for i := range fleetProcesses {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = env
		cmd.Stderr = os.Stderr
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.Output()
			if !assert.NoError(t, err, "process %d", i) {
				return
			}
			assert.NoError(t, json.Unmarshal(out, &reports[i]), "process %d printed %q", i, out)
		}()
	}
	wg.Wait()
	return reports
}

// fleetResults checks that no process of the fleet failed a call, and
// returns the calls that succeeded, the arrival times of the command's
// calls at the fake, and how many of them it answered 60007.
func fleetResults(t *testing.T, reports []fleetReport, srv *timtest.Server) (ok int, times []time.Time, limited int) {
	t.Helper()
	for i, r := range reports {
		assert.Zero(t, r.Failed, "process %d: %v", i, r.Errors)
		ok += r.OK
	}
	for _, r := range srv.RequestsFor(command) {
		times = append(times, r.Time)
		if r.ErrorCode == tim.ErrRateLimitExceeded {
			limited++
		}
	}
	return ok, times, limited
}

// mostInASecond returns the most times within any one second (a half-open
// window [t, t+1s)), and where that window starts.
func mostInASecond(times []time.Time) (int, time.Time) {
	times = slices.Clone(times)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most, at, j := 0, time.Time{}, 0
	for i := range times {
		for j < len(times) && times[j].Sub(times[i]) < time.Second {
			j++
		}
		if j-i > most {
			most, at = j-i, times[i]
		}
	}
	return most, at
}

// fleetChild is one process of the fleet: it calls the fake with
// fleetGoroutines goroutines from the start time for fleetFor, and prints
// a fleetReport. A call the end of the run cut short is not a failure.
func fleetChild() int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "fleet child:", err); return 2 }
	startNs, err := strconv.ParseInt(os.Getenv(fleetStartEnv), 10, 64)
	if err != nil {
		return fail(err)
	}
	rate, burst, err := fleetLimit()
	if err != nil {
		return fail(err)
	}
	runFor := fleetFor
	if v := os.Getenv(fleetForEnv); v != "" {
		if runFor, err = time.ParseDuration(v); err != nil {
			return fail(err)
		}
	}
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv(addrEnv), PoolSize: fleetGoroutines})
	defer rdb.Close()
	opts := []redisrate.Option{redisrate.WithKeyPrefix(os.Getenv(fleetPrefEnv)), redisrate.WithRate(rate, burst),
		redisrate.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil)))}
	if v := os.Getenv(fleetLocalEnv); v != "" {
		var localRate float64
		var localBurst int
		if _, err := fmt.Sscanf(v, "%g,%d", &localRate, &localBurst); err != nil {
			return fail(fmt.Errorf("%s=%q: %w", fleetLocalEnv, v, err))
		}
		local, err := tim.NewRateLimiter(localRate, localBurst)
		if err != nil {
			return fail(err)
		}
		opts = append(opts, redisrate.WithFallback(local))
	}
	limiter, err := redisrate.New(rdb, appID, opts...)
	if err != nil {
		return fail(err)
	}
	client, err := tim.NewClient(appID, timtest.DefaultAdmin,
		tim.WithBaseURL(os.Getenv(fleetURLEnv)),
		tim.WithSecretKey(os.Getenv(fleetKeyEnv)),
		tim.WithRateLimiter(limiter),
		tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1})) // a 60007 shows as a failure
	if err != nil {
		return fail(err)
	}
	// Open the connections to the fake and to Redis before the start, with
	// calls of another command: a dial in the measured run delays some
	// calls' arrival (by 100 ms and more under -race) and bunches them with
	// later ones, which measures the dialing, not the limiter.
	var warm sync.WaitGroup
	for range fleetGoroutines {
		warm.Add(1)
		go func() {
			defer warm.Done()
			_, _ = client.GetGroupInfo(context.Background(), &tim.GetGroupInfoRequest{GroupIDs: []string{community}}) // only warms the connections
		}()
	}
	warm.Wait()
	start := time.Unix(0, startNs)
	time.Sleep(time.Until(start))
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(runFor))
	defer cancel()

	var (
		mu     sync.Mutex
		report fleetReport
		wg     sync.WaitGroup
	)
	for range fleetGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"owner"}})
				if err != nil && (ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded)) {
					return // the run is over
				}
				mu.Lock()
				if err == nil {
					report.OK++
				} else {
					report.Failed++
					if len(report.Errors) < 5 {
						report.Errors = append(report.Errors, err.Error())
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := json.NewEncoder(os.Stdout).Encode(report); err != nil {
		return fail(err)
	}
	return 0
}
