package redisrate

import (
	"errors"
	"fmt"
	"time"
)

// ErrUnavailable matches, with [errors.Is], the error [Limiter.Wait]
// returns when it fails closed because Redis did not answer.
var ErrUnavailable = errors.New("redisrate: Redis unavailable")

// UnavailableError is the error of a [Limiter.Wait] that failed closed:
// Redis did not answer, and the limiter has no fallback ([WithFallback]).
// The call it was asked for must not go. It matches [ErrUnavailable] and
// unwraps to the Redis client's error.
type UnavailableError struct {
	// Command is the command the call was for, e.g. "get_role_in_group".
	Command string
	// Err is the Redis client's error: the one of this call, or, while the
	// limiter waits to probe Redis again, the last one seen.
	Err error
}

// Error says which command was refused and why, without secrets: go-redis
// does not put passwords in its errors.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("redisrate: %s: Redis unavailable, failing closed: %v", e.Command, e.Err)
}

// Is reports whether target is [ErrUnavailable].
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unwrap returns the Redis client's error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// TimeoutError is the Redis error of a round trip that got no answer within
// the limiter's timeout ([WithTimeout]): an [*UnavailableError] unwraps to
// it, and the outage's log record shows it.
type TimeoutError struct {
	// After is the limiter's timeout.
	After time.Duration
}

// Error says how long the limiter waited.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("redisrate: Redis did not answer within %s", e.After)
}

// Timeout reports true, as a net.Error's does.
func (e *TimeoutError) Timeout() bool { return true }
