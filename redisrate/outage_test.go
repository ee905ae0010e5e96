package redisrate_test

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/redisrate"
)

// redisServer is a redis-server process of the test's own, on a port of
// its own, that the test may kill and start again.
type redisServer struct {
	t    *testing.T
	bin  string
	addr string
	args []string
	cmd  *exec.Cmd
}

// startRedis starts a redis-server with args added. These tests kill,
// freeze and time Redis, so they run only under testdata/with-redis.sh
// (which sets TIM_REDIS_ADDR and installs redis-server); they skip
// otherwise. It is killed when t ends.
func startRedis(t *testing.T, args ...string) *redisServer {
	t.Helper()
	redisAddr(t) // skips without with-redis.sh
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not on PATH: %v", err)
	}
	s := &redisServer{t: t, bin: bin, addr: closedAddr(t), args: args}
	s.start()
	t.Cleanup(s.kill)
	return s
}

func (s *redisServer) start() {
	s.t.Helper()
	_, port, _ := net.SplitHostPort(s.addr)
	args := append([]string{"--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", s.t.TempDir()}, s.args...)
	s.cmd = exec.Command(s.bin, args...)
	require.NoError(s.t, s.cmd.Start())
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		conn, err := net.Dial("tcp", s.addr)
		if err == nil {
			conn.Close()
			return
		}
		require.True(s.t, time.Now().Before(deadline), "redis-server did not listen on %s: %v", s.addr, err)
	}
}

// freeze stops the server with SIGSTOP: it keeps its connections and
// accepts new ones, but answers nothing until thaw.
func (s *redisServer) freeze() { require.NoError(s.t, s.cmd.Process.Signal(syscall.SIGSTOP)) }

// thaw resumes a frozen server with SIGCONT.
func (s *redisServer) thaw() { require.NoError(s.t, s.cmd.Process.Signal(syscall.SIGCONT)) }

// kill ends the server with SIGKILL, as a crash does.
func (s *redisServer) kill() {
	if s.cmd != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait() // "signal: killed", as intended
		s.cmd = nil
	}
}

// hammer calls get_role_in_group with n goroutines until stop is closed,
// and returns the errors the calls ended with.
func hammer(client *tim.Client, n int, stop <-chan struct{}) func() []error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-stop; cancel() }()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"owner"}})
				if err != nil && ctx.Err() == nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					time.Sleep(time.Millisecond) // fail closed fails fast: do not spin
				}
			}
		}()
	}
	return func() []error { wg.Wait(); return errs }
}

// Fail closed: while Redis is down every call fails with the typed error
// and nothing reaches the fake; once Redis is back, calls go again.
func TestOutageFailClosed(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	redisSrv := startRedis(t)
	logger, logs := newLogger()
	l, err := redisrate.New(newRedis(t, redisSrv.addr), appID, redisrate.WithLogger(logger), redisrate.WithProbeInterval(100*time.Millisecond))
	require.NoError(t, err)
	srv := fake(t)
	client, err := srv.NewClient(tim.WithRateLimiter(l), tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	ctx := context.Background()
	for range 5 {
		_, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"owner"}})
		require.NoError(t, err)
	}

	redisSrv.kill()
	stop := make(chan struct{})
	wait := hammer(client, 4, stop)
	time.Sleep(500 * time.Millisecond)
	close(stop)
	errs := wait()
	require.NotEmpty(t, errs)
	for _, err := range errs {
		require.ErrorIs(t, err, redisrate.ErrUnavailable)
	}
	assert.Len(t, srv.RequestsFor(command), 5, "nothing reached the fake while Redis was down")

	redisSrv.start()
	down := time.Now()
	for {
		_, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"owner"}})
		if err == nil || !assert.ErrorIs(t, err, redisrate.ErrUnavailable) {
			break
		}
		require.Less(t, time.Since(down), 5*time.Second, "Redis is back but calls still fail")
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%d calls failed closed in 0.5 s; calls went again %s after redis-server restarted", len(errs), time.Since(down).Round(time.Millisecond))
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), logs.String())
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis answers again"), logs.String())
}

// Fallback: once Redis is down, no call starts for a second and the
// timeout (the start pause), then calls go at the local limiter's pace
// (50/s); once Redis is back, no call starts for a second, the probe
// interval and the timeout (the return pause), then at the shared pace
// (100/s) again.
func TestOutageFallback(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	redisSrv := startRedis(t)
	logger, logs := newLogger()
	local, err := tim.NewRateLimiter(50, 5)
	require.NoError(t, err)
	l, err := redisrate.New(newRedis(t, redisSrv.addr), appID,
		redisrate.WithRate(100, 10), redisrate.WithFallback(local), redisrate.WithTimeout(100*time.Millisecond),
		redisrate.WithLogger(logger), redisrate.WithProbeInterval(100*time.Millisecond))
	require.NoError(t, err)
	srv := fake(t)
	client, err := srv.NewClient(tim.WithRateLimiter(l), tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)

	stop := make(chan struct{})
	wait := hammer(client, 8, stop)
	time.Sleep(500 * time.Millisecond)
	killed := time.Now()
	redisSrv.kill()
	time.Sleep(3 * time.Second)
	redisSrv.start()
	restarted := time.Now()
	time.Sleep(3300 * time.Millisecond) // go-redis may wait up to 1 s before it dials again
	end := time.Now()
	close(stop)
	assert.Empty(t, wait(), "no call failed")
	answered := logTime(t, logs.String(), "Redis answers again")
	require.Less(t, answered.Sub(restarted), 1500*time.Millisecond)

	in := func(from, to time.Time) int {
		n := 0
		for _, r := range srv.RequestsFor(command) {
			if !r.Time.Before(from) && r.Time.Before(to) {
				n++
			}
		}
		return n
	}
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	startPause := in(killed.Add(ms(100)), killed.Add(ms(1000)))      // of 1.1 s from the failure
	outage := in(killed.Add(ms(1300)), restarted)                    // 1.7 s at 50/s, the burst spent
	returnPause := in(answered.Add(ms(100)), answered.Add(ms(1100))) // of 1.2 s from the probe's answer
	back := in(end.Add(-500*time.Millisecond), end)                  // 0.5 s at 100/s
	t.Logf("calls: %d in the start pause, %d in 1.7 s of the outage (local 50/s), %d in the return pause (Redis answered %s after the restart), %d in the last 0.5 s (shared 100/s)",
		startPause, outage, returnPause, answered.Sub(restarted).Round(time.Millisecond), back)
	assert.Zero(t, startPause)
	assert.InDelta(t, 85, outage, 12)
	assert.Zero(t, returnPause)
	assert.InDelta(t, 50, back, 8)
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), logs.String())
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis answers again"), logs.String())
	assert.Contains(t, logs.String(), "fallback_in=1.1s")
	assert.Contains(t, logs.String(), "resume_in=1.2s")
}

// logTime returns the time of the first log record holding msg.
func logTime(t *testing.T, logs, msg string) time.Time {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, msg) {
			continue
		}
		field, _, _ := strings.Cut(strings.TrimPrefix(line, "time="), " ")
		at, err := time.Parse(time.RFC3339Nano, field)
		require.NoError(t, err, line)
		return at
	}
	t.Fatalf("no log record %q in:\n%s", msg, logs)
	return time.Time{}
}

// A Redis that refuses the client's password fails closed with an error
// and a log record that do not hold the password.
func TestNoPasswordInErrorsOrLogs(t *testing.T) {
	const password = "redis-password-not-to-print"
	redisSrv := startRedis(t, "--requirepass", "the-right-one")
	rdb := newRedis(t, redisSrv.addr)
	rdb.Options().Password = password
	logger, logs := newLogger()
	l, err := redisrate.New(rdb, appID, redisrate.WithLogger(logger))
	require.NoError(t, err)
	err = l.Wait(context.Background(), command)
	require.ErrorIs(t, err, redisrate.ErrUnavailable)
	t.Log(err)
	assert.NotContains(t, err.Error(), password)
	assert.NotContains(t, logs.String(), password)
	assert.Contains(t, logs.String(), "Redis unavailable")
}
