package redisrate

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/timkit/tim"
)

// Defaults of a [Limiter] built without options.
const (
	// DefaultKeyPrefix starts every key the limiter asks redis_rate for;
	// redis_rate itself puts "rate:" in front of it.
	DefaultKeyPrefix = "tim:"
	// DefaultProbeInterval is how long the limiter stops asking Redis after
	// a failure before one call tries it again.
	DefaultProbeInterval = time.Second
	// DefaultTimeout is how long the limiter waits for one Redis round trip
	// before it counts Redis as unavailable.
	DefaultTimeout = 200 * time.Millisecond
)

// maxRate is the fastest rate [WithRate] takes: rates travel to the Lua
// script as numbers, exact up to 2^53; 10^15 calls per second is plenty.
const maxRate = 1e15

// Option configures a [Limiter]; see [New].
type Option func(*settings) error

type settings struct {
	perSecond float64
	burst     int
	prefix    string
	fallback  tim.RateLimiter
	logger    *slog.Logger
	probe     time.Duration
	timeout   time.Duration
}

// WithRate lets perSecond calls of each command start per second across
// every process that shares the Redis keys, in bursts of up to burst calls;
// perSecond may be fractional (0.5 is one call every 2 s). The meaning is
// that of [tim.NewRateLimiter]: in any span of t seconds at most
// burst + perSecond×t calls of one command start, so to stay within the
// service's 200 per second choose burst + perSecond ≤ 200, with some room
// for the time a call takes to reach the service. Default
// [tim.DefaultRateLimit] per second in bursts of [tim.DefaultRateBurst]. A
// fleet that calls flat out gets more of the budget from a higher rate and
// a smaller burst: WithRate(185, 5) starts 185 calls in a steady second
// where 175 and 15 start 175, for the same 190 at most.
func WithRate(perSecond float64, burst int) Option {
	return func(s *settings) error {
		switch {
		case !(perSecond > 0) || math.IsInf(perSecond, 0):
			return fmt.Errorf("redisrate: WithRate: rate %v is not a positive, finite number of calls per second", perSecond)
		case perSecond > maxRate:
			return fmt.Errorf("redisrate: WithRate: rate %v is above %g calls per second", perSecond, float64(maxRate))
		case burst < 1:
			return fmt.Errorf("redisrate: WithRate: burst %d is less than 1", burst)
		}
		s.perSecond, s.burst = perSecond, burst
		return nil
	}
}

// WithKeyPrefix sets what every key starts with, after redis_rate's own
// "rate:" (default [DefaultKeyPrefix]): the key of a command is
// "rate:" + prefix + "{" + SDKAppID + "}:" + command ([Limiter.Key]).
// Processes share a budget when they use the same Redis, prefix and app.
// The prefix is printable ASCII without a space or a brace: the braces
// around the app ID are what tells it from the prefix, and they are the
// key's Redis Cluster hash tag.
func WithKeyPrefix(prefix string) Option {
	return func(s *settings) error {
		if prefix == "" {
			return errors.New("redisrate: WithKeyPrefix: prefix is empty")
		}
		for i := 0; i < len(prefix); i++ {
			if c := prefix[i]; c <= ' ' || c > '~' || c == '{' || c == '}' {
				return fmt.Errorf("redisrate: WithKeyPrefix: prefix %q: byte %d is not printable ASCII other than a space or a brace", prefix, i)
			}
		}
		s.prefix = prefix
		return nil
	}
}

// WithFallback makes Wait wait for local when Redis is unavailable, instead
// of failing closed. The processes no longer see each other's calls, so
// give each the share (rate + burst) ÷ N of the shared limit, N being the
// number of processes: with WithRate(185, 5) and four processes,
// tim.NewRateLimiter(42, 5) in each (42 + 5 ≤ 190 ÷ 4).
//
// Each switch between the two budgets pauses: no call starts for a second
// and the limiter's timeout after an outage is seen, nor for a second, the
// probe interval and the timeout after it ends (2.2 s by default). Then no
// sliding second holds calls let through by both Redis and the fallbacks,
// and the fleet stays within the shared limit through the outage; the
// package README gives the argument. A fallback needs a probe interval
// above 0.
func WithFallback(local tim.RateLimiter) Option {
	return func(s *settings) error {
		if local == nil {
			return errors.New("redisrate: WithFallback: limiter is nil")
		}
		s.fallback = local
		return nil
	}
}

// WithLogger sets where the limiter reports that Redis became unavailable
// and that it answers again, once each per outage (default slog.Default()).
// Records hold the app ID, the mode and the Redis client's error; never a
// secret. To log nothing pass a logger with a handler that discards.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("redisrate: WithLogger: logger is nil")
		}
		s.logger = l
		return nil
	}
}

// WithProbeInterval sets how long, after Redis failed, calls fail closed or
// use the fallback without asking Redis, before one call asks it again
// (default [DefaultProbeInterval]). 0 makes every call ask Redis.
func WithProbeInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("redisrate: WithProbeInterval: interval %s is negative", d)
		}
		s.probe = d
		return nil
	}
}

// WithTimeout sets how long Wait waits for one Redis round trip (default
// [DefaultTimeout]). A round trip that takes longer counts as Redis being
// unavailable (the outage begins: Wait fails closed or uses the fallback),
// whatever the go-redis client's own dial, read and write timeouts and
// retries, and whether or not the caller's context ended meanwhile.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return fmt.Errorf("redisrate: WithTimeout: timeout %s is not positive", d)
		}
		s.timeout = d
		return nil
	}
}

// toLimit expresses perSecond calls per second, in bursts of burst, as
// redis_rate's integer Rate per Period. The Lua script spaces calls by
// Period/Rate; an integer rate is Rate per second exactly, and any other is
// ⌈perSecond⌉ per a Period between 1 and 2 seconds, rounded to the
// nanosecond (an error under 10⁻⁹).
func toLimit(perSecond float64, burst int) redis_rate.Limit {
	if perSecond == math.Trunc(perSecond) {
		return redis_rate.Limit{Rate: int(perSecond), Period: time.Second, Burst: burst}
	}
	rate := math.Ceil(perSecond)
	return redis_rate.Limit{
		Rate:   int(rate),
		Period: time.Duration(math.Round(rate / perSecond * float64(time.Second))),
		Burst:  burst,
	}
}
