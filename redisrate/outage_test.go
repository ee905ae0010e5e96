package redisrate_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
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

// startRedis starts a redis-server with args added, or skips when there is
// none on PATH (but fails when TIM_REDIS_ADDR is set: the script that sets
// it installs one). It is killed when t ends.
func startRedis(t *testing.T, args ...string) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv(addrEnv) != "" {
			t.Fatalf("redis-server is not on PATH: %v", err)
		}
		t.Skip("needs redis-server on PATH: run ./testdata/with-redis.sh (it installs one)")
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

// kill ends the server with SIGKILL, as a crash does.
func (s *redisServer) kill() {
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
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

// Fallback: while Redis is down calls go at the local limiter's pace (50/s),
// and once Redis is back at the shared one's again (100/s).
func TestOutageFallback(t *testing.T) {
	redisSrv := startRedis(t)
	logger, logs := newLogger()
	local, err := tim.NewRateLimiter(50, 5)
	require.NoError(t, err)
	l, err := redisrate.New(newRedis(t, redisSrv.addr), appID,
		redisrate.WithRate(100, 10), redisrate.WithFallback(local),
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
	time.Sleep(time.Second)
	restarted := time.Now()
	redisSrv.start()
	time.Sleep(1500 * time.Millisecond)
	end := time.Now()
	close(stop)
	assert.Empty(t, wait(), "no call failed")

	in := func(from, to time.Time) int {
		n := 0
		for _, r := range srv.RequestsFor(command) {
			if !r.Time.Before(from) && r.Time.Before(to) {
				n++
			}
		}
		return n
	}
	// After the first 200 ms of the outage the local burst is spent: 0.8 s
	// at 50/s is 40 calls (80 at the shared 100/s).
	outage := in(killed.Add(200*time.Millisecond), restarted)
	// The last 0.5 s: back on Redis, 50 calls (25 at the local pace).
	back := in(end.Add(-500*time.Millisecond), end)
	t.Logf("calls: %d in 0.8 s of the outage (local 50/s), %d in the last 0.5 s after Redis came back (shared 100/s)", outage, back)
	assert.InDelta(t, 40, outage, 8)
	assert.InDelta(t, 50, back, 8)
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), logs.String())
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis answers again"), logs.String())
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
