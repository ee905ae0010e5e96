package tim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// RetryPolicy says when and how soon a [Client] sends a failed request
// again. Set it with [WithRetryPolicy]; without it a client uses
// [DefaultRetryPolicy]. A zero field takes the default's value, so
// RetryPolicy{MaxAttempts: 5} changes the attempts only, and
// RetryPolicy{MaxAttempts: 1} turns retries off.
//
// What is retried, for every command:
//   - a rate limit: the codes 60007, 60011, 60018, 60019, 10006 and 10023, and an
//     HTTP 429, after the longer RateLimitDelay backoff;
//   - a connection that could not be made (refused, DNS, proxy): nothing was
//     sent;
//   - 60014 (account check timed out): the service refused before acting;
//   - 110007 (permission-group deletion failed): the deletion was not made,
//     and the service asks for a retry;
//   - 70001 (UserSig expired) and 70052 (invalidated): the client drops the
//     signature and sends once more, at once, with a new one, when its signer
//     is an [Invalidator] ([KeySigner] is; [StaticUserSig] is not). That one
//     resend is not counted in MaxAttempts and happens even with
//     MaxAttempts 1.
//
// Also retried, with the BaseDelay backoff, but only for idempotent commands
// (every get_* and modify_* command, set_topic_permission_group,
// delete_permission_group_member, delete_group_member) or when
// RetryNonIdempotent is set, since the service may have acted on the
// request before the failure:
//   - a transport failure once the connection was made (reset, dropped,
//     cut short), and an attempt that got no answer within the per-attempt
//     timeout ([WithTimeout], [ErrAttemptTimeout]);
//   - an HTTP 5xx status (a 502 page from a proxy, say);
//   - the internal-error codes 10002, 60008, 70169, 70202 and 70500.
//
// The commands that are not idempotent are create_permission_group,
// destroy_permission_group, add_topic_permission_group,
// delete_topic_permission_group, add_permission_group_member, create_topic,
// destroy_topic, import_topic, add_group_member and import_group_member:
// sending one twice may create two groups, or fail the second time because
// the first one worked. A command sent with [Client.Do] that is not one of
// the SDK's own, under its own service, is never sent again after the
// service may have acted on it, whatever RetryNonIdempotent says: nothing
// tells the SDK what a second request would do.
//
// Never retried: any other code (a bad request stays bad), other HTTP
// statuses, a 200 answer whose body does not decode ([DecodeError]), and
// anything once the caller's context is done. The backoff sleep ends when
// the context does, and a retry whose backoff would end after the context's
// deadline is not made: the call returns the last failure at once.
//
// Every attempt is a new request: a fresh random, a UserSig asked of the
// signer again, and a wait for the rate limiter ([RateLimiter]). The error
// of a call that ran out of attempts is the last attempt's, with its
// Attempts field set.
type RetryPolicy struct {
	// MaxAttempts is the most requests one call sends, the first included
	// (besides the one resend with a new UserSig). 1 means no retries.
	// Default 3.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry of a transient
	// failure; it doubles for each further retry. Default 100 ms.
	BaseDelay time.Duration
	// RateLimitDelay is the backoff before the first retry of a rate-limited
	// call; it doubles for each further retry. Default 1 s: the service
	// counts calls per second.
	RateLimitDelay time.Duration
	// MaxDelay caps every backoff. Default 2 s.
	MaxDelay time.Duration
	// RetryNonIdempotent retries the failures after which the service may
	// have acted for every one of the SDK's commands, not only idempotent
	// ones: set it if a duplicate create or a second, failing destroy is
	// acceptable to you. It does not reach the commands the SDK does not
	// know ([Client.Do]).
	RetryNonIdempotent bool
}

// Defaults of [DefaultRetryPolicy].
const (
	DefaultMaxAttempts    = 3
	DefaultBaseDelay      = 100 * time.Millisecond
	DefaultRateLimitDelay = time.Second
	DefaultMaxDelay       = 2 * time.Second
)

// DefaultRetryPolicy returns the policy of a client built without
// [WithRetryPolicy]: 3 attempts, backoffs from 100 ms (1 s after a rate
// limit) doubling up to 2 s, with jitter; failures after which the service
// may have acted are not retried for commands that are not idempotent.
//
// Each backoff is drawn at random from the upper half of its nominal value
// ("equal jitter"): between 50 and 100 ms before the first retry of an
// internal error, between 0.5 and 1 s before the first retry of a rate limit.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:    DefaultMaxAttempts,
		BaseDelay:      DefaultBaseDelay,
		RateLimitDelay: DefaultRateLimitDelay,
		MaxDelay:       DefaultMaxDelay,
	}
}

// WithRetryPolicy sets how the client retries failed requests; see
// [RetryPolicy] for what is retried. Zero fields take the values of
// [DefaultRetryPolicy]; negative ones are an error.
//
//	tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}) // no retries
func WithRetryPolicy(p RetryPolicy) Option {
	return optionFunc(func(s *settings) error {
		if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.RateLimitDelay < 0 || p.MaxDelay < 0 {
			return errors.New("tim: WithRetryPolicy: negative attempts or delay")
		}
		s.retry = p
		return nil
	})
}

// withDefaults fills the zero fields of p from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	p.MaxAttempts = orDefault(p.MaxAttempts, d.MaxAttempts)
	p.BaseDelay = orDefault(p.BaseDelay, d.BaseDelay)
	p.RateLimitDelay = orDefault(p.RateLimitDelay, d.RateLimitDelay)
	p.MaxDelay = orDefault(p.MaxDelay, d.MaxDelay)
	return p
}

// internalErrors are the retryable codes that the service may answer after
// it acted on the request: an internal error or timeout says nothing about
// how far it got. The other retryable codes (rate limits, 60014, 70001,
// 70052) are refusals before anything was done.
var internalErrors = map[ErrorCode]bool{
	ErrInternal:         true,
	ErrServerTimeout:    true,
	ErrAuthTimeout:      true,
	ErrAuthInternal:     true,
	ErrAuthServiceError: true,
}

// retryReason is why, and so how, a failed attempt is retried.
type retryReason uint8

const (
	noRetry          retryReason = iota
	retryTransient               // BaseDelay backoff
	retryRateLimited             // RateLimitDelay backoff
	retryNewUserSig              // at once, with a new UserSig
	retryStandby                 // at once, to the next base URL (see WithStandby)
)

func (r retryReason) String() string {
	switch r {
	case retryTransient:
		return "transient"
	case retryRateLimited:
		return "rate_limited"
	case retryNewUserSig:
		return "new_signature"
	case retryStandby:
		return "standby"
	default:
		return "none"
	}
}

// retryReasonFor says whether the failure err of one attempt of route r may
// be retried, and why. It does not look at the attempt count, the context
// or the signer: the call loop does.
func retryReasonFor(r *route, err error, retryNonIdempotent bool) retryReason {
	repeatable := r.repeatable(retryNonIdempotent)
	var (
		apiErr   *APIError
		httpErr  *HTTPError
		transErr *TransportError
	)
	switch {
	case errors.As(err, &apiErr):
		switch codeTable[apiErr.Code].retry {
		case retrySlow:
			return retryRateLimited
		case retryNewSig:
			return retryNewUserSig
		case retryNow:
			if repeatable || !internalErrors[apiErr.Code] {
				return retryTransient
			}
		}
	case errors.As(err, &httpErr):
		switch {
		case httpErr.StatusCode == http.StatusTooManyRequests:
			return retryRateLimited
		case httpErr.StatusCode >= 500 && repeatable:
			return retryTransient
		}
	case errors.As(err, &transErr):
		if transErr.Retryable() && (repeatable || transErr.notSent()) {
			return retryTransient
		}
	}
	return noRetry
}

// backoff is the wait before the retry-th retry (1 for the first) of a
// failure of kind why: the nominal delay doubles from its base up to
// MaxDelay, and the wait is drawn from its upper half.
func (p *RetryPolicy) backoff(why retryReason, retry int) time.Duration {
	var d time.Duration
	switch why {
	case retryTransient:
		d = p.BaseDelay
	case retryRateLimited:
		d = p.RateLimitDelay
	default:
		return 0
	}
	for i := 1; i < retry && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	if d <= 1 {
		return d
	}
	half := d / 2
	return d - half + rand.N(half+1)
}

// sleep waits for d or until ctx is done, whichever comes first, and
// reports whether the whole wait passed.
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

// setAttempts records on the typed error err how many requests its call sent.
func setAttempts(err error, n int) {
	var (
		apiErr    *APIError
		httpErr   *HTTPError
		transErr  *TransportError
		decodeErr *DecodeError
	)
	switch {
	case errors.As(err, &apiErr):
		apiErr.Attempts = n
	case errors.As(err, &httpErr):
		httpErr.Attempts = n
	case errors.As(err, &transErr):
		transErr.Attempts = n
	case errors.As(err, &decodeErr):
		decodeErr.Attempts = n
	}
}

// stopped is the error of a call that ended while it waited to send an
// attempt (for a backoff or the rate limiter): cause is why it stopped (the
// context's error, or the limiter's), last the previous attempt's failure,
// if there was one. Both match errors.Is and errors.As.
func stopped(command, waitingFor string, cause error, attempts int, last error) error {
	if last == nil {
		return fmt.Errorf("tim: %s: %s: %w", command, waitingFor, cause)
	}
	setAttempts(last, attempts)
	return fmt.Errorf("tim: %s: %s: %w; the last attempt failed: %w", command, waitingFor, cause, last)
}
