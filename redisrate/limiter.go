package redisrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
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
	prefix   string // prefix + SDKAppID + ":"
	sdkAppID uint64
	fallback tim.RateLimiter // nil: fail closed
	mode     string          // "fail closed" or "fallback"
	health   *health
}

var _ tim.RateLimiter = (*Limiter)(nil)

// New returns a [Limiter] for the app sdkAppID that keeps its buckets in
// rdb. Without options it lets [tim.DefaultRateLimit] calls of each command
// start per second in bursts of [tim.DefaultRateBurst], fleet-wide, and
// fails closed when Redis is unavailable.
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
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("redisrate: New: option is nil")
		}
		if err := o(&s); err != nil {
			return nil, err
		}
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
		prefix:   s.prefix + strconv.FormatUint(sdkAppID, 10) + ":",
		sdkAppID: sdkAppID,
		fallback: s.fallback,
		mode:     mode,
		health: &health{
			every:  s.probe,
			logger: s.logger,
			attrs:  []any{"sdkappid", sdkAppID, "mode", mode},
		},
	}, nil
}

// Key returns the Redis key that holds command's bucket, e.g.
// "rate:tim:1400000000:get_role_in_group": redis_rate's "rate:", the key
// prefix, the app ID and the command.
func (l *Limiter) Key(command string) string { return "rate:" + l.prefix + command }

// Wait waits until the shared bucket of command lets a call start, or ctx
// ends. A call that may go costs one Redis round trip; one that may not
// sleeps as long as Redis says and asks again, and takes nothing from the
// bucket until it is let through. When ctx's deadline comes before the
// next possible turn, Wait returns at once with an error matching
// [context.DeadlineExceeded].
//
// When Redis does not answer, Wait returns an [*UnavailableError], or
// waits for the fallback limiter ([WithFallback]).
func (l *Limiter) Wait(ctx context.Context, command string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key := l.prefix + command // redis_rate adds "rate:"
	for {
		ask, probe, lastErr := l.health.ask()
		if !ask {
			return l.unavailable(ctx, command, lastErr)
		}
		res, err := l.rl.Allow(ctx, key, l.limit)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && endedWithContext(err) {
				l.health.abandoned(probe)
				return fmt.Errorf("redisrate: %s: asking Redis: %w", command, ctxErr)
			}
			l.health.failed(err, probe)
			return l.unavailable(ctx, command, err)
		}
		l.health.succeeded(probe)
		if res.Allowed > 0 {
			return nil
		}
		d := res.RetryAfter
		if !fitsDeadline(ctx, d) {
			return fmt.Errorf("%w: the shared rate limit lets the next %s call start in %s, after the deadline", context.DeadlineExceeded, command, d.Round(time.Millisecond))
		}
		if !sleep(ctx, d) {
			return ctx.Err()
		}
	}
}

// unavailable is Wait's answer when Redis did not answer with err.
func (l *Limiter) unavailable(ctx context.Context, command string, err error) error {
	if l.fallback != nil {
		return l.fallback.Wait(ctx, command)
	}
	return &UnavailableError{Command: command, Err: err}
}

// String describes the limiter: its app, key prefix, limit and mode.
func (l *Limiter) String() string {
	return fmt.Sprintf("redisrate.Limiter{SDKAppID: %d, Key: %q, Limit: %s, WhenUnavailable: %s}", l.sdkAppID, l.Key("<command>"), l.limit, l.mode)
}

// Format prints [Limiter.String] for every verb, so that no form of the
// limiter shows the Redis client's options.
func (l *Limiter) Format(f fmt.State, _ rune) { io.WriteString(f, l.String()) }

// endedWithContext reports whether err, the error of a Redis call made
// under a context that has ended, may be the context's doing: the context's
// own error, or a timeout (go-redis sets the socket's deadline from the
// context's). Any other error, such as a refused connection, means Redis
// failed, whatever became of the context.
func endedWithContext(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout())
}

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
