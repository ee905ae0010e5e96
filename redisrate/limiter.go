package redisrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"github.com/timkit/tim"
)

// Client is what the limiter needs of a go-redis client: what redis_rate
// needs, to run its script. [*redis.Client], [*redis.ClusterClient],
// [*redis.Ring] and every [redis.UniversalClient] have it.
type Client interface {
	redis.Scripter
	Del(ctx context.Context, keys ...string) *redis.IntCmd
}

// Limiter is a [tim.RateLimiter] whose buckets live in Redis, one per app
// and command, shared by every process that uses the same Redis, key
// prefix and app. Build it with [New]; it is safe for concurrent use.
type Limiter struct {
	rl       *redis_rate.Limiter
	limit    redis_rate.Limit
	prefix   string // prefix + "{" + SDKAppID + "}:"
	sdkAppID uint64
	timeout  time.Duration
	fallback tim.RateLimiter // nil: fail closed
	mode     string          // "fail closed" or "fallback"
	health   *health
}

var _ tim.RateLimiter = (*Limiter)(nil)

// New returns a [Limiter] for the app sdkAppID that keeps its buckets in
// rdb. Without options it lets [tim.DefaultRateLimit] calls of each command
// start per second in bursts of [tim.DefaultRateBurst], fleet-wide, waits
// [DefaultTimeout] for each Redis round trip, and fails closed when Redis
// is unavailable.
func New(rdb Client, sdkAppID uint64, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redisrate: New: Redis client is nil")
	}
	if sdkAppID == 0 {
		return nil, errors.New("redisrate: New: SDKAppID is 0")
	}
	s := settings{
		perSecond: tim.DefaultRateLimit,
		burst:     tim.DefaultRateBurst,
		prefix:    DefaultKeyPrefix,
		probe:     DefaultProbeInterval,
		timeout:   DefaultTimeout,
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("redisrate: New: option is nil")
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if s.fallback != nil && s.probe == 0 {
		return nil, errors.New("redisrate: New: WithFallback needs a probe interval above 0 (WithProbeInterval)")
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	mode := "fail closed"
	if s.fallback != nil {
		mode = "fallback"
	}
	return &Limiter{
		rl:       redis_rate.NewLimiter(rdb),
		limit:    toLimit(s.perSecond, s.burst),
		prefix:   s.prefix + "{" + strconv.FormatUint(sdkAppID, 10) + "}:",
		sdkAppID: sdkAppID,
		timeout:  s.timeout,
		fallback: s.fallback,
		mode:     mode,
		health:   newHealth(s.probe, s.timeout, s.fallback != nil, s.logger, []any{"sdkappid", sdkAppID, "mode", mode}),
	}, nil
}

// Key returns the Redis key that holds command's bucket, e.g.
// "rate:tim:{1400000000}:get_role_in_group": redis_rate's "rate:", the key
// prefix, the app ID in braces and the command. The braces are a Redis
// Cluster hash tag, which keeps an app's buckets in one slot, and they set
// the app ID apart from the prefix, which may not hold a brace: no two
// prefixes and apps share a key.
func (l *Limiter) Key(command string) string { return "rate:" + l.prefix + command }

// Wait waits until the shared bucket of command lets a call start, or ctx
// ends. A call that may go costs one Redis round trip; one that may not
// sleeps as long as Redis says and asks again, and takes nothing from the
// bucket until it is let through. When ctx's deadline comes before the
// next possible turn, Wait returns at once with an error matching
// [context.DeadlineExceeded].
//
// A Redis round trip that takes longer than the limiter's timeout
// ([WithTimeout]) counts as Redis being unavailable, whatever the go-redis
// client's own timeouts; it is not the caller's: the round trip goes on
// when ctx ends, and its outcome still counts. When Redis is unavailable,
// Wait returns an [*UnavailableError], or waits for the fallback limiter
// ([WithFallback]) after the pause that keeps the two budgets apart.
func (l *Limiter) Wait(ctx context.Context, command string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key := l.prefix + command // redis_rate adds "rate:"
	afterFailure := false
	for {
		t := l.health.decide(time.Now(), afterFailure)
		afterFailure = false
		switch t.kind {
		case askRedis:
			res, err, gone := l.ask(ctx, key, t.probe)
			switch {
			case gone:
				return fmt.Errorf("redisrate: %s: asking Redis: %w", command, err)
			case err != nil:
				afterFailure = true
				continue
			case !l.health.mayStart(time.Now()):
				continue // the limiter switched budgets meanwhile: ask again after the pause
			case res.Allowed > 0:
				return nil
			}
			d := res.RetryAfter
			if !fitsDeadline(ctx, d) {
				return fmt.Errorf("%w: the shared rate limit lets the next %s call start in %s, after the deadline", context.DeadlineExceeded, command, d.Round(time.Millisecond))
			}
			if !sleep(ctx, d) {
				return ctx.Err()
			}
		case failClosed:
			return &UnavailableError{Command: command, Err: t.err}
		case useFallback:
			if ok, err := l.viaFallback(ctx, command, t); ok || err != nil {
				return err
			}
		case waitUntil:
			if d := time.Until(t.until); !fitsDeadline(ctx, d) {
				return fmt.Errorf("%w: Redis is unavailable or just came back, and no %s call starts for %s, after the deadline", context.DeadlineExceeded, command, d.Round(time.Millisecond))
			}
			if err := waitFor(ctx, t.until, nil); err != nil {
				return err
			}
		case waitProbe:
			if err := waitFor(ctx, time.Now().Add(l.timeout), t.done); err != nil {
				return err
			}
		}
	}
}

// viaFallback waits for the fallback limiter during an outage. The wait
// gives up when the outage ends or at its probe time (t.until), so that no
// call starts on the fallback after either; ok reports that the call may
// start. With neither ok nor an error, the caller decides again.
func (l *Limiter) viaFallback(ctx context.Context, command string, t turn) (ok bool, err error) {
	fctx, cancel := context.WithDeadline(ctx, t.until)
	defer cancel()
	stop := context.AfterFunc(t.ended, cancel)
	defer stop()
	err = l.fallback.Wait(fctx, command)
	switch {
	case ctx.Err() != nil:
		return false, ctx.Err()
	case t.ended.Err() != nil:
		return false, nil // the outage ended
	case err == nil && time.Now().Before(t.until):
		return true, nil
	case err == nil:
		return false, nil // let through at the probe time: too late for the fallback
	case !errors.Is(err, context.DeadlineExceeded):
		return false, err // the fallback's own failure
	}
	// The fallback's next turn comes after a deadline: the caller's, or the
	// probe time, which the caller then waits for.
	if dl, ok := ctx.Deadline(); ok && !dl.After(t.until) {
		return false, err
	}
	return false, waitFor(ctx, t.until, t.ended.Done())
}

// ask makes one Redis round trip for key within the limiter's timeout and
// reports its outcome to the health tracker. The round trip does not end
// with ctx: if ctx ends first, ask returns ctx's error with gone set, and
// the round trip's outcome still counts when it comes. Otherwise err is
// Redis's failure, or a timeout.
func (l *Limiter) ask(ctx context.Context, key string, probe bool) (res *redis_rate.Result, err error, gone bool) {
	rt := &roundTrip{l: l, probe: probe, start: time.Now(), done: make(chan struct{})}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	timer := time.AfterFunc(l.timeout, func() { rt.finish(nil, &TimeoutError{After: l.timeout}) })
	go func() {
		defer cancel()
		res, err := l.rl.Allow(rctx, key, l.limit)
		timer.Stop()
		rt.finish(res, err)
	}()
	select {
	case <-rt.done:
		return rt.res, rt.err, false
	case <-ctx.Done():
		return nil, ctx.Err(), true
	}
}

// roundTrip is one Redis round trip of [Limiter.ask]: its outcome is
// whichever comes first, Redis's answer or the timeout.
type roundTrip struct {
	l     *Limiter
	probe bool
	start time.Time
	once  sync.Once
	done  chan struct{}
	res   *redis_rate.Result
	err   error
}

func (rt *roundTrip) finish(res *redis_rate.Result, err error) {
	rt.once.Do(func() {
		now := time.Now()
		if err == nil && now.Sub(rt.start) > rt.l.timeout {
			err = &TimeoutError{After: rt.l.timeout} // an answer that came too late
		}
		rt.res, rt.err = res, err
		if err != nil {
			rt.l.health.failed(err, rt.probe, rt.start, now)
		} else {
			rt.l.health.succeeded(now)
		}
		close(rt.done)
	})
}

// String describes the limiter: its app, key prefix, limit and mode.
func (l *Limiter) String() string {
	return fmt.Sprintf("redisrate.Limiter{SDKAppID: %d, Key: %q, Limit: %s, WhenUnavailable: %s}", l.sdkAppID, l.Key("<command>"), l.limit, l.mode)
}

// Format prints [Limiter.String] for every verb, so that no form of the
// limiter shows the Redis client's options.
func (l *Limiter) Format(f fmt.State, _ rune) { io.WriteString(f, l.String()) }

// sleep waits for d or until ctx ends, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// fitsDeadline reports whether a wait of d ends before ctx's deadline.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}
