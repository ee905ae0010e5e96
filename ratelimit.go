package tim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
)

// Defaults of the client-side rate limiter (see [WithRateLimit]).
const (
	// DefaultRateLimit is how many calls of one command a client starts per
	// second, sustained. The service allows 200 per second per app and
	// command; with bursts of [DefaultRateBurst] on top, a client starts at
	// most 175 + 15 = 190 calls of a command in any one second. The 10 to
	// spare are for the time between a call's start and its arrival, which
	// a busy CPU or network stretches unevenly.
	DefaultRateLimit = 175
	// DefaultRateBurst is how many calls of one command may start at once
	// before the rate applies, so that one call split into concurrent
	// requests ([Client.GetRoleInGroup] with many accounts) is not spread
	// out over time.
	DefaultRateBurst = 15
)

// RateLimiter makes a call wait for its turn before each attempt, retries
// included. Wait returns nil when the attempt may go, or an error when ctx
// ends first (one that matches ctx's error); any other error fails the call
// with nothing sent. Wait is called from many goroutines at once.
//
// command names the API the attempt calls, and so the budget it counts
// against: the command's name ("get_role_in_group", "create_topic") for
// the SDK's commands ([Commands]), and "service/command"
// ("group_open_http_svc/get_joined_group_list") for any other API called
// through [Client.Do], including one of the SDK's command names under
// another service. The service limits each API on its own, so each of them
// gets its own budget.
//
// The client calls Wait only once the request has its place among the
// command's requests in flight ([WithMaxInFlight]), so the request goes out
// as soon as Wait returns.
//
// The service's limit is per app, so backends that run several processes
// can plug in a limiter they share (backed by Redis, say) with
// [WithRateLimiter]; the in-process default is [NewRateLimiter].
type RateLimiter interface {
	Wait(ctx context.Context, command string) error
}

// CommandRateLimiter is the in-process [RateLimiter]: one token bucket per
// command, each refilled at a steady rate and holding up to a burst of
// calls. Callers waiting for a command's turn are served in the order they
// came; a wait that ends with its context takes no turn. It is safe for
// concurrent use; one limiter may be shared by several clients of the same
// app.
type CommandRateLimiter struct {
	rate  float64
	burst int
	clock clock // realClock{}, or a test's
	mu    sync.Mutex
	lims  map[string]*bucket
}

// NewRateLimiter returns a [CommandRateLimiter] that lets perSecond calls of
// each command start per second, in bursts of up to burst calls.
//
// In any span of t seconds at most burst + perSecond×t calls of one command
// start. A service that counts calls in a sliding one-second window then
// sees up to burst + perSecond in one window, and more if calls take
// unequal times to reach it: to stay within a limit of L per second, choose
// burst + perSecond a little under L (the defaults leave 10).
func NewRateLimiter(perSecond float64, burst int) (*CommandRateLimiter, error) {
	if reason := checkRate(perSecond, burst); reason != "" {
		return nil, errors.New("tim: NewRateLimiter: " + reason)
	}
	return &CommandRateLimiter{rate: perSecond, burst: burst, clock: realClock{}, lims: map[string]*bucket{}}, nil
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

func (l *CommandRateLimiter) bucket(command string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.lims[command]
	if b == nil {
		b = &bucket{rate: l.rate, burst: float64(l.burst), tokens: float64(l.burst), clock: l.clock}
		l.lims[command] = b
	}
	return b
}

// Wait waits until command's bucket has a call to spare or ctx ends. When
// ctx's deadline comes before the turn would, Wait returns at once with an
// error matching [context.DeadlineExceeded]. A wait that ends with ctx takes
// no turn: the next caller gets it.
func (l *CommandRateLimiter) Wait(ctx context.Context, command string) error {
	if l == nil || l.rate == 0 {
		return errors.New("tim: CommandRateLimiter: not made by NewRateLimiter")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return l.bucket(command).wait(ctx, command)
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
	return optionFunc(func(s *settings) error {
		if reason := checkRate(perSecond, burst); reason != "" {
			return errors.New("tim: WithRateLimit: " + reason)
		}
		s.limiter, _ = NewRateLimiter(perSecond, burst)
		return nil
	})
}

// WithRateLimiter makes every attempt wait for l: a limiter shared between
// clients ([NewRateLimiter]) or between processes (your own).
func WithRateLimiter(l RateLimiter) Option {
	return optionFunc(func(s *settings) error {
		if l == nil {
			return errors.New("tim: WithRateLimiter: limiter is nil")
		}
		s.limiter = l
		return nil
	})
}

// WithoutRateLimit turns the client-side rate limiter off: calls go out as
// fast as they are made, and the service answers 60007 past its limit
// (which the client retries, see [RetryPolicy]).
func WithoutRateLimit() Option {
	return optionFunc(func(s *settings) error {
		s.limiter = noLimit{}
		return nil
	})
}
