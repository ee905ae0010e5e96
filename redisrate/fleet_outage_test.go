package redisrate_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/timtest"
)

// The outage run: the fleet of TestFleet, each process with a fallback of
// its share, (185 + 5) ÷ 4 = 47.5 → 42 + 5, against a Redis of the test's
// own that it kills after outageKill and starts again (empty) after
// outageRestart.
const (
	outageFor      = 9 * time.Second
	outageKill     = 2 * time.Second
	outageRestart  = 5 * time.Second
	fallbackRate   = 42
	fallbackBurst  = 5
	outagePhaseLag = 1500 * time.Millisecond // the kill's phase: the pause and the fallback's first second
)

// TestFleetOutage checks at the fake that the fleet stays within the
// service's 200 calls in every sliding second while Redis is healthy, at
// the kill, during the outage and at the restart, and reports the most in
// a sliding second in each phase (by where the second starts).
func TestFleetOutage(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	redisSrv := startRedis(t)
	srv := fake(t, timtest.WithRateLimit(serviceLimit), timtest.WithSDKAppID(appID))
	start := time.Now().Add(1500 * time.Millisecond) // every child is up and connected by then
	env := append(os.Environ(),
		fleetChildEnv+"=1",
		addrEnv+"="+redisSrv.addr,
		fleetURLEnv+"="+srv.URL(),
		fleetKeyEnv+"="+srv.SecretKey(),
		fleetPrefEnv+"=outage:",
		fleetStartEnv+"="+strconv.FormatInt(start.UnixNano(), 10),
		fleetForEnv+"="+outageFor.String(),
		fleetLocalEnv+"="+fmt.Sprintf("%d,%d", fallbackRate, fallbackBurst),
	)
	done := make(chan []fleetReport)
	go func() { done <- runFleet(t, env) }()
	time.Sleep(time.Until(start.Add(outageKill)))
	killed := time.Now()
	redisSrv.kill()
	time.Sleep(time.Until(start.Add(outageRestart)))
	redisSrv.start()
	restarted := time.Now()
	ok, times, limited := fleetResults(t, <-done, srv)
	phases := []struct {
		name     string
		from, to time.Time
	}{
		{"healthy", start, killed.Add(-time.Second)},
		{"kill", killed.Add(-time.Second), killed.Add(outagePhaseLag)},
		{"outage", killed.Add(outagePhaseLag), restarted.Add(-time.Second)},
		{"restart", restarted.Add(-time.Second), start.Add(outageFor)},
	}
	var report []string
	most := 0
	for _, p := range phases {
		n, at := mostInASecondFrom(times, p.from, p.to)
		most = max(most, n)
		report = append(report, fmt.Sprintf("%s %d (at %+.2fs)", p.name, n, at.Sub(start).Seconds()))
	}
	t.Logf("%d processes × %d goroutines at 185/s + 5, fallback %d + %d each; Redis killed at %+.2fs, restarted at %+.2fs; %d calls; most in a sliding second by phase: %s; %d answered 60007",
		fleetProcesses, fleetGoroutines, fallbackRate, fallbackBurst, killed.Sub(start).Seconds(), restarted.Sub(start).Seconds(),
		len(times), strings.Join(report, ", "), limited)
	assert.Zero(t, limited, "the fake answered 60007")
	assert.LessOrEqual(t, most, serviceLimit)
	assert.Greater(t, ok, 0)
}

// mostInASecondFrom returns the most times within one second [t, t+1s)
// among the windows that start at a time t in [from, to), and that t.
func mostInASecondFrom(times []time.Time, from, to time.Time) (int, time.Time) {
	most, at := 0, from
	for _, t := range times {
		if t.Before(from) || !t.Before(to) {
			continue
		}
		n := 0
		for _, u := range times {
			if !u.Before(t) && u.Sub(t) < time.Second {
				n++
			}
		}
		if n > most {
			most, at = n, t
		}
	}
	return most, at
}
