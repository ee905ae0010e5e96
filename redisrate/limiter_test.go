package redisrate_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/redisrate"
	"github.com/timkit/tim/timtest"
)

const appID uint64 = 1400000000

func TestNewValidates(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t)}) // New does not connect
	defer rdb.Close()
	for _, tc := range []struct {
		name string
		rdb  redisrate.Client
		app  uint64
		opt  redisrate.Option
		want string
	}{
		{"nil client", nil, appID, nil, "Redis client is nil"},
		{"app 0", rdb, 0, nil, "SDKAppID is 0"},
		{"rate 0", rdb, appID, redisrate.WithRate(0, 1), "rate 0 is not a positive, finite number"},
		{"rate negative", rdb, appID, redisrate.WithRate(-1, 1), "rate -1 is not"},
		{"rate NaN", rdb, appID, redisrate.WithRate(math.NaN(), 1), "rate NaN is not"},
		{"rate +Inf", rdb, appID, redisrate.WithRate(math.Inf(1), 1), "rate +Inf is not"},
		{"rate too fast", rdb, appID, redisrate.WithRate(1e16, 1), "above 1e+15 calls per second"},
		{"burst 0", rdb, appID, redisrate.WithRate(10, 0), "burst 0 is less than 1"},
		{"empty prefix", rdb, appID, redisrate.WithKeyPrefix(""), "prefix is empty"},
		{"prefix with a brace", rdb, appID, redisrate.WithKeyPrefix("x:{1}:"), `prefix "x:{1}:": byte 2 is not printable ASCII other than a space or a brace`},
		{"prefix with a closing brace", rdb, appID, redisrate.WithKeyPrefix("x}"), "byte 1 is not"},
		{"prefix with a space", rdb, appID, redisrate.WithKeyPrefix("my app:"), "byte 2 is not"},
		{"prefix with a newline", rdb, appID, redisrate.WithKeyPrefix("x\n"), "byte 1 is not"},
		{"prefix not ASCII", rdb, appID, redisrate.WithKeyPrefix("é:"), "byte 0 is not"},
		{"timeout 0", rdb, appID, redisrate.WithTimeout(0), "WithTimeout: timeout 0s is not positive"},
		{"timeout negative", rdb, appID, redisrate.WithTimeout(-time.Second), "timeout -1s is not positive"},
		{"nil fallback", rdb, appID, redisrate.WithFallback(nil), "WithFallback: limiter is nil"},
		{"nil logger", rdb, appID, redisrate.WithLogger(nil), "WithLogger: logger is nil"},
		{"negative probe", rdb, appID, redisrate.WithProbeInterval(-time.Second), "interval -1s is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []redisrate.Option
			if tc.opt != nil {
				opts = append(opts, tc.opt)
			}
			l, err := redisrate.New(tc.rdb, tc.app, opts...)
			require.Error(t, err)
			assert.Nil(t, l)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "redisrate: "), err.Error())
		})
	}
	_, err := redisrate.New(rdb, appID, nil)
	assert.ErrorContains(t, err, "option is nil")
	l, err := redisrate.New(rdb, appID, redisrate.WithRate(0.5, 1), redisrate.WithProbeInterval(0))
	require.NoError(t, err)
	assert.NotNil(t, l)
	local, err := tim.NewRateLimiter(1, 1)
	require.NoError(t, err)
	_, err = redisrate.New(rdb, appID, redisrate.WithFallback(local), redisrate.WithProbeInterval(0))
	assert.EqualError(t, err, "redisrate: New: WithFallback needs a probe interval above 0 (WithProbeInterval)")
}

func TestKeyIsAppAndCommand(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t)})
	defer rdb.Close()
	l, err := redisrate.New(rdb, appID)
	require.NoError(t, err)
	assert.Equal(t, "rate:tim:{1400000000}:get_role_in_group", l.Key(command))
	l, err = redisrate.New(rdb, 1400000001, redisrate.WithKeyPrefix("shop-eu:tim:"))
	require.NoError(t, err)
	assert.Equal(t, "rate:shop-eu:tim:{1400000001}:get_permission_group", l.Key("get_permission_group"))
}

// A prefix and an app ID cannot be split another way into the same key:
// prefix "x:" with app 123 and prefix "x:1" with app 23 used to share
// "rate:x:123:…". The app ID sits in braces, which a prefix may not hold.
func TestKeysDoNotCollide(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t)})
	defer rdb.Close()
	a, err := redisrate.New(rdb, 123, redisrate.WithKeyPrefix("x:"))
	require.NoError(t, err)
	b, err := redisrate.New(rdb, 23, redisrate.WithKeyPrefix("x:1"))
	require.NoError(t, err)
	assert.NotEqual(t, a.Key(command), b.Key(command))
	assert.Equal(t, "rate:x:{123}:"+command, a.Key(command))
	assert.Equal(t, "rate:x:1{23}:"+command, b.Key(command))
}

// Against Redis: the two limiters of TestKeysDoNotCollide have a bucket
// each. With a burst of 1 and a rate of one call an hour, each lets one
// call through at once; a shared bucket would let only one in all.
func TestKeysDoNotCollideInRedis(t *testing.T) {
	rdb := sharedRedis(t)
	prefix := uniquePrefix(t, rdb)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, tc := range []struct {
		prefix string
		app    uint64
	}{{prefix + "x:", 123}, {prefix + "x:1", 23}} {
		l, err := redisrate.New(rdb, tc.app, redisrate.WithKeyPrefix(tc.prefix), redisrate.WithRate(1.0/3600, 1))
		require.NoError(t, err)
		assert.NoError(t, l.Wait(ctx, command), "prefix %q, app %d", tc.prefix, tc.app)
	}
	assert.Len(t, keys(t, rdb, prefix), 2)
}

// The only keys a fleet of calls leaves in Redis are the per-command
// buckets, and they hold a number (the GCRA's theoretical arrival time):
// neither key nor value has the secret key, the admin or a UserSig.
func TestKeysHoldNoSecrets(t *testing.T) {
	rdb := sharedRedis(t)
	prefix := uniquePrefix(t, rdb)
	const secret = "tim-secret-key-that-must-not-reach-redis"
	srv := fake(t, timtest.WithSecretKey(secret))
	l, err := redisrate.New(rdb, srv.SDKAppID(), redisrate.WithKeyPrefix(prefix))
	require.NoError(t, err)
	client, err := srv.NewClient(tim.WithRateLimiter(l))
	require.NoError(t, err)
	ctx := context.Background()
	for range 3 {
		_, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"owner"}})
		require.NoError(t, err)
		_, err = client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community})
		require.NoError(t, err)
	}
	sig, err := tim.GenerateUserSig(srv.SDKAppID(), secret, srv.Admin(), time.Now(), time.Hour)
	require.NoError(t, err)
	got := keys(t, rdb, prefix)
	assert.ElementsMatch(t, []string{l.Key("get_role_in_group"), l.Key("get_permission_group")}, got)
	for _, k := range got {
		v, err := rdb.Get(ctx, k).Result()
		require.NoError(t, err)
		_, err = fmt.Sscanf(v, "%g", new(float64))
		assert.NoError(t, err, "%s holds a number, not %q", k, v)
		for _, s := range []string{secret, srv.Admin(), sig[:16]} {
			assert.NotContains(t, k+" "+v, s)
		}
	}
}

// The printed limiter shows the app, key and limit, never the Redis
// client's password.
func TestStringHasNoSecrets(t *testing.T) {
	const password = "redis-password-not-to-print"
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t), Password: password})
	defer rdb.Close()
	l, err := redisrate.New(rdb, appID, redisrate.WithRate(185, 5))
	require.NoError(t, err)
	want := `redisrate.Limiter{SDKAppID: 1400000000, Key: "rate:tim:{1400000000}:<command>", Limit: 185 req/s (burst 5), WhenUnavailable: fail closed}`
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.Equal(t, want, fmt.Sprintf(verb, l), verb)
	}
}

// A burst of calls goes at once, and the call after it goes one interval
// (1/perSecond) after the burst began. The intervals are long enough (50 ms
// and more) that a slow machine finishes the burst well within one.
func TestRateAndBurstInRedis(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	rdb := sharedRedis(t)
	for _, tc := range []struct {
		perSecond float64
		burst     int
	}{{2.5, 3}, {20, 20}, {4.0 / 3, 2}} {
		t.Run(fmt.Sprint(tc.perSecond), func(t *testing.T) {
			l, err := redisrate.New(rdb, appID, redisrate.WithKeyPrefix(uniquePrefix(t, rdb)), redisrate.WithRate(tc.perSecond, tc.burst))
			require.NoError(t, err)
			interval := time.Duration(float64(time.Second) / tc.perSecond)
			ctx := context.Background()
			start := time.Now()
			for i := range tc.burst {
				require.NoError(t, l.Wait(ctx, command), "call %d of the burst", i)
			}
			require.Less(t, time.Since(start), interval/4, "the burst goes at once")
			// The next call's turn is an interval after the start: with a
			// deadline before it, Wait says so at once ...
			short, cancel := context.WithTimeout(ctx, interval/2)
			defer cancel()
			err = l.Wait(short, command)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NoError(t, short.Err(), "at once")
			// ... and otherwise waits for it.
			require.NoError(t, l.Wait(ctx, command))
			took := time.Since(start)
			assert.GreaterOrEqual(t, took, interval-2*time.Millisecond, "not before its turn")
			assert.Less(t, took, interval+max(interval/4, 50*time.Millisecond), "nor long after (a busy machine oversleeps)")
			t.Logf("went %s after the burst began, for an interval of %s", took, interval)
		})
	}
}

func TestWaitDeadlineReturnsAtOnce(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	rdb := sharedRedis(t)
	l, err := redisrate.New(rdb, appID, redisrate.WithKeyPrefix(uniquePrefix(t, rdb)), redisrate.WithRate(1, 2))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	require.NoError(t, l.Wait(ctx, command))
	require.NoError(t, l.Wait(ctx, command))
	start := time.Now()
	err = l.Wait(ctx, command)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 100*time.Millisecond)
	assert.NoError(t, ctx.Err(), "before the deadline")
	assert.Contains(t, err.Error(), "shared rate limit lets the next get_role_in_group call start in")
	// Another command has its own bucket.
	require.NoError(t, l.Wait(ctx, "get_permission_group"))
}

// Waits that end with their context take nothing from the bucket: after
// five cancelled waiters, the next call gets the very next turn.
func TestCancelledWaitConsumesNothing(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	hook := &counter{}
	rdb := sharedRedis(t, hook)
	l, err := redisrate.New(rdb, appID, redisrate.WithKeyPrefix(uniquePrefix(t, rdb)), redisrate.WithRate(10, 1))
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, l.Wait(context.Background(), command))

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.ErrorIs(t, l.Wait(ctx, command), context.DeadlineExceeded)
		}()
	}
	wg.Wait()
	require.NoError(t, l.Wait(context.Background(), command))
	took := time.Since(start)
	assert.InDelta(t, 0.100, took.Seconds(), 0.040, "the second call goes one interval (100 ms) after the first, not after six: %s", took)

	// A context that has ended asks Redis nothing.
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	before := hook.commands.Load()
	assert.ErrorIs(t, l.Wait(cancelled, command), context.Canceled)
	assert.Equal(t, before, hook.commands.Load())
}

// A waiter whose context is cancelled while it sleeps returns at once with
// the context's error.
func TestWaitEndsWithTheContext(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	rdb := sharedRedis(t)
	l, err := redisrate.New(rdb, appID, redisrate.WithKeyPrefix(uniquePrefix(t, rdb)), redisrate.WithRate(0.5, 1))
	require.NoError(t, err)
	require.NoError(t, l.Wait(context.Background(), command))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	require.ErrorIs(t, l.Wait(ctx, command), context.Canceled)
	assert.Less(t, time.Since(start), 500*time.Millisecond, "not the 2 s turn")
}

// A call that may go costs one Redis round trip (EVALSHA), once the script
// is loaded.
func TestOneRoundTripPerAdmittedCall(t *testing.T) {
	hook := &counter{}
	rdb := sharedRedis(t, hook)
	l, err := redisrate.New(rdb, appID, redisrate.WithKeyPrefix(uniquePrefix(t, rdb)), redisrate.WithRate(1000, 100))
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx, command)) // loads the script if this Redis has not seen it
	before := hook.commands.Load()
	for range 50 {
		require.NoError(t, l.Wait(ctx, command))
	}
	assert.Equal(t, int64(50), hook.commands.Load()-before)
}

// Fail closed, the default: Wait returns an *UnavailableError, the tim
// client fails the call with nothing sent, and the outage is logged once.
// Until the probe interval has passed, no call tries Redis.
func TestFailClosed(t *testing.T) {
	hook := &counter{}
	rdb := newRedis(t, closedAddr(t), hook)
	logger, logs := newLogger()
	l, err := redisrate.New(rdb, appID, redisrate.WithLogger(logger), redisrate.WithProbeInterval(time.Hour))
	require.NoError(t, err)

	err = l.Wait(context.Background(), command)
	require.ErrorIs(t, err, redisrate.ErrUnavailable)
	var unavailable *redisrate.UnavailableError
	require.ErrorAs(t, err, &unavailable)
	assert.Equal(t, command, unavailable.Command)
	var opErr *net.OpError
	assert.ErrorAs(t, err, &opErr, "unwraps to the Redis client's error")
	assert.Contains(t, err.Error(), "redisrate: get_role_in_group: Redis unavailable, failing closed: dial tcp")
	dials := hook.dials.Load()
	assert.NotZero(t, dials)

	srv := fake(t)
	client, err := srv.NewClient(tim.WithRateLimiter(l))
	require.NoError(t, err)
	for range 10 {
		_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"owner"}})
		require.ErrorIs(t, err, redisrate.ErrUnavailable)
		assert.Contains(t, err.Error(), "waiting for the rate limiter")
	}
	assert.Empty(t, srv.RequestsFor(command), "nothing sent")
	assert.Equal(t, dials, hook.dials.Load(), "no call tried Redis during the probe interval")
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), logs.String())
	assert.Contains(t, logs.String(), "level=WARN msg=\"redisrate: Redis unavailable\" sdkappid=1400000000 mode=\"fail closed\" error=\"dial tcp")
}

// With a fallback, calls wait for it while Redis is unavailable, after a
// pause of a second and the limiter's timeout in which nothing starts: the
// local limiter's burst goes at once, and the next call waits for its rate.
func TestFallback(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	rdb := newRedis(t, closedAddr(t))
	logger, logs := newLogger()
	local, err := tim.NewRateLimiter(50, 5)
	require.NoError(t, err)
	l, err := redisrate.New(rdb, appID, redisrate.WithFallback(local), redisrate.WithLogger(logger), redisrate.WithTimeout(100*time.Millisecond))
	require.NoError(t, err)
	failed := time.Now()
	short, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err = l.Wait(short, command)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the pause outlasts a 10 ms deadline")
	assert.NotErrorIs(t, err, redisrate.ErrUnavailable)
	assert.Contains(t, err.Error(), "no get_role_in_group call starts for 1")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range 5 {
		require.NoError(t, l.Wait(ctx, command), "call %d", i)
	}
	assert.GreaterOrEqual(t, time.Since(failed), 1100*time.Millisecond, "the fallback starts after the pause")
	short, cancel = context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err = l.Wait(short, command)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the 6th waits 20 ms for the local limiter")
	assert.NotContains(t, err.Error(), "no get_role_in_group call starts", "the local limiter's deadline error")
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), logs.String())
	assert.Contains(t, logs.String(), `probe_every=1s fallback_in=1.1s`)
}

func TestUnavailableError(t *testing.T) {
	cause := errors.New("redis: connection pool timeout")
	err := error(&redisrate.UnavailableError{Command: command, Err: cause})
	assert.ErrorIs(t, err, redisrate.ErrUnavailable)
	assert.ErrorIs(t, err, cause)
	assert.NotErrorIs(t, redisrate.ErrUnavailable, cause)
	assert.Equal(t, "redisrate: get_role_in_group: Redis unavailable, failing closed: redis: connection pool timeout", err.Error())
}
