package tim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of the client-side rate limiter (see [WithRateLimit]).
const (
	// DefaultRateLimit is how many calls of one command a client starts per
	// second, sustained. The service allows 200 per second per app and
	// command; with bursts of [DefaultRateBurst] on top, a client never
	// starts more than 180 + 20 = 200 calls of a command in any one second.
	DefaultRateLimit = 180
	// DefaultRateBurst is how many calls of one command may start at once
	// before the rate applies, so that one call split into concurrent
	// requests ([Client.GetRoleInGroup] with 10,000 accounts: 20) is not
	// spread out over time.
	DefaultRateBurst = 20
)

// RateLimiter makes a call wait for its turn before each attempt, retries
// included. Wait returns nil when the attempt may go, or an error when ctx
// ends first (one that matches ctx's error); any other error fails the call
// with nothing sent. Wait is called from many goroutines at once.
//
// The service's limit is per app, so backends that run several processes
// can plug in a limiter they share (backed by Redis, say) with
// [WithRateLimiter]; the in-process default is [NewRateLimiter].
type RateLimiter interface {
	Wait(ctx context.Context, command string) error
}

// CommandRateLimiter is the in-process [RateLimiter]: one token bucket per
// command (golang.org/x/time/rate), each refilled at a steady rate and
// holding up to a burst of calls. It is safe for concurrent use; one
// limiter may be shared by several clients of the same app.
type CommandRateLimiter struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	lims  map[string]*rate.Limiter
}

// NewRateLimiter returns a [CommandRateLimiter] that lets perSecond calls of
// each command start per second, in bursts of up to burst calls.
//
// In any span of t seconds at most burst + perSecond×t calls of one command
// start. A service that counts calls in fixed one-second windows can then
// see up to burst + perSecond in one window; to stay within a limit
// of L per second, choose burst + perSecond ≤ L.
func NewRateLimiter(perSecond float64, burst int) (*CommandRateLimiter, error) {
	if reason := checkRate(perSecond, burst); reason != "" {
		return nil, errors.New("tim: NewRateLimiter: " + reason)
	}
	return &CommandRateLimiter{limit: rate.Limit(perSecond), burst: burst, lims: map[string]*rate.Limiter{}}, nil
}

// checkRate says what is wrong with a rate and burst, or "".
func checkRate(perSecond float64, burst int) string {
	switch {
	case !(perSecond > 0) || math.IsInf(perSecond, 0):
		return fmt.Sprintf("rate %v is not a positive, finite number of calls per second", perSecond)
	case burst < 1:
		return fmt.Sprintf("burst %d is less than 1", burst)
	}
	return ""
}

func (l *CommandRateLimiter) bucket(command string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.lims[command]
	if lim == nil {
		lim = rate.NewLimiter(l.limit, l.burst)
		l.lims[command] = lim
	}
	return lim
}

// Wait waits until command's bucket has a call to spare or ctx ends. When
// ctx's deadline comes before the turn would, Wait returns at once with an
// error matching [context.DeadlineExceeded], and gives the turn back.
func (l *CommandRateLimiter) Wait(ctx context.Context, command string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := l.bucket(command).Reserve() // burst ≥ 1, so always OK
	d := r.Delay()
	if d <= 0 {
		return nil
	}
	if !fitsDeadline(ctx, d) {
		r.Cancel()
		return fmt.Errorf("%w: the rate limit lets the next %s call start in %s, after the deadline", context.DeadlineExceeded, command, d.Round(time.Millisecond))
	}
	if !sleep(ctx, d) {
		r.Cancel()
		return ctx.Err()
	}
	return nil
}

// noLimit is the RateLimiter of [WithoutRateLimit].
type noLimit struct{}

func (noLimit) Wait(context.Context, string) error { return nil }

// WithRateLimit makes the client start at most perSecond calls of each
// command per second, in bursts of up to burst (default [DefaultRateLimit]
// per second, bursts of [DefaultRateBurst]). Calls wait for their turn under
// their context; retries wait too. The limit applies to this client; to
// share one between clients use [WithRateLimiter] with [NewRateLimiter].
//
// The last of WithRateLimit, [WithRateLimiter] and [WithoutRateLimit] wins.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(s *settings) error {
		if reason := checkRate(perSecond, burst); reason != "" {
			return errors.New("tim: WithRateLimit: " + reason)
		}
		s.limiter, _ = NewRateLimiter(perSecond, burst)
		return nil
	}
}

// WithRateLimiter makes every attempt wait for l: a limiter shared between
// clients ([NewRateLimiter]) or between processes (your own).
func WithRateLimiter(l RateLimiter) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("tim: WithRateLimiter: limiter is nil")
		}
		s.limiter = l
		return nil
	}
}

// WithoutRateLimit turns the client-side rate limiter off: calls go out as
// fast as they are made, and the service answers 60007 past its limit
// (which the client retries, see [RetryPolicy]).
func WithoutRateLimit() Option {
	return func(s *settings) error {
		s.limiter = noLimit{}
		return nil
	}
}
