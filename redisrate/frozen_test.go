package redisrate_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/redisrate"
)

// countingLimiter is a fallback that lets every call go and counts them.
type countingLimiter struct{ n atomic.Int64 }

func (c *countingLimiter) Wait(ctx context.Context, _ string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.n.Add(1)
	return nil
}

// A frozen Redis (SIGSTOP: it accepts connections and answers nothing),
// with go-redis's default options (3 s read timeout, 3 retries), and
// callers whose 50 ms deadlines are shorter than the limiter's 100 ms
// timeout. Every call ends on time; the round trips the callers left go
// on, time out and declare the outage, so that once the pause is over the
// fallback lets calls go. Once Redis is thawed a probe finds it, and
// after the return pause calls go through Redis again.
func TestFrozenRedisUsesTheFallback(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	redisSrv := startRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: redisSrv.addr}) // go-redis's defaults
	t.Cleanup(func() { rdb.Close() })
	logger, logs := newLogger()
	fallback := &countingLimiter{}
	l, err := redisrate.New(rdb, appID, redisrate.WithFallback(fallback), redisrate.WithLogger(logger),
		redisrate.WithTimeout(100*time.Millisecond), redisrate.WithProbeInterval(300*time.Millisecond))
	require.NoError(t, err)
	for range 3 {
		require.NoError(t, l.Wait(context.Background(), command))
	}
	require.Zero(t, fallback.n.Load())

	redisSrv.freeze()
	var slowest time.Duration
	calls, went := 0, 0
	for end := time.Now().Add(2500 * time.Millisecond); time.Now().Before(end); calls++ {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		start := time.Now()
		err := l.Wait(ctx, command)
		cancel()
		slowest = max(slowest, time.Since(start))
		if err == nil {
			went++
		} else {
			require.ErrorIs(t, err, context.DeadlineExceeded)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("frozen Redis: %d calls with 50 ms deadlines, %d went through the fallback, slowest %s", calls, went, slowest.Round(time.Millisecond))
	assert.Less(t, slowest, 500*time.Millisecond, "every call ends near its deadline, whatever go-redis's timeouts")
	assert.Positive(t, went, "the outage was declared and the fallback used")
	assert.EqualValues(t, went, fallback.n.Load())
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unavailable"), logs.String())
	assert.Contains(t, logs.String(), "redisrate: Redis did not answer within 100ms")

	redisSrv.thaw()
	thawed := time.Now()
	for {
		before := fallback.n.Load()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := l.Wait(ctx, command)
		cancel()
		require.NoError(t, err)
		if fallback.n.Load() == before {
			break // through Redis
		}
		require.Less(t, time.Since(thawed), 10*time.Second, "Redis is thawed but calls still use the fallback")
	}
	t.Logf("back on Redis %s after the thaw", time.Since(thawed).Round(time.Millisecond))
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis answers again"), logs.String())
}

// Failing closed, a frozen Redis fails a call after the limiter's timeout
// with an *UnavailableError that unwraps to a *TimeoutError, even when the
// caller has no deadline and go-redis would wait 3 s; later calls fail at
// once until the probe finds Redis again.
func TestFrozenRedisFailsClosed(t *testing.T) {
	timing.Require(t) // wall-clock bounds: .ci/run runs these in with-redis.sh's timing step
	redisSrv := startRedis(t)
	rdb := redis.NewClient(&redis.Options{Addr: redisSrv.addr})
	t.Cleanup(func() { rdb.Close() })
	logger, _ := newLogger()
	l, err := redisrate.New(rdb, appID, redisrate.WithLogger(logger),
		redisrate.WithTimeout(100*time.Millisecond), redisrate.WithProbeInterval(300*time.Millisecond))
	require.NoError(t, err)
	require.NoError(t, l.Wait(context.Background(), command))

	redisSrv.freeze()
	start := time.Now()
	err = l.Wait(context.Background(), command)
	took := time.Since(start)
	require.ErrorIs(t, err, redisrate.ErrUnavailable)
	var timeout *redisrate.TimeoutError
	require.ErrorAs(t, err, &timeout)
	assert.Equal(t, 100*time.Millisecond, timeout.After)
	assert.Less(t, took, 600*time.Millisecond)
	assert.GreaterOrEqual(t, took, 100*time.Millisecond)
	start = time.Now()
	err = l.Wait(context.Background(), command)
	require.ErrorIs(t, err, redisrate.ErrUnavailable)
	assert.Less(t, time.Since(start), 50*time.Millisecond, "no round trip during the probe interval")

	redisSrv.thaw()
	thawed := time.Now()
	for {
		err := l.Wait(context.Background(), command)
		if err == nil {
			break
		}
		require.True(t, errors.Is(err, redisrate.ErrUnavailable), "%v", err)
		require.Less(t, time.Since(thawed), 10*time.Second, "Redis is thawed but calls still fail")
		time.Sleep(20 * time.Millisecond)
	}
}

var _ tim.RateLimiter = (*countingLimiter)(nil)
