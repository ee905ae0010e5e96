package tim

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// SetAttemptTimeout sets c's per-attempt timeout, below the 3 s floor that
// WithTimeout keeps, so that tests of timed-out attempts stay fast. It is
// compiled into the package for its tests only.
func SetAttemptTimeout(c *Client, d time.Duration) { c.timeout = d }

// SetAttemptTimeouts gives c's attempts, in the order they are sent, the
// timeouts ds, and c's own timeout to every attempt after them: a short
// one for an attempt meant to time out, a long one for the rest.
func SetAttemptTimeouts(c *Client, ds ...time.Duration) {
	var n atomic.Int64
	c.timeouts = func() time.Duration {
		if i := n.Add(1) - 1; i < int64(len(ds)) {
			return ds[i]
		}
		return c.timeout
	}
}

// AllowAt reports whether l would let a call of command start at now without
// waiting, and takes its turn if so: the limiter on a clock the test sets.
func AllowAt(l *CommandRateLimiter, command string, now time.Time) bool {
	return l.bucket(command).allowAt(now)
}

// SetLimiterClock makes l's buckets read the time from c and set their
// timers on it. Set it before the first Wait.
func SetLimiterClock(l *CommandRateLimiter, c clock) { l.clock = c }

// Queued returns how many callers wait for command's turn at l.
func Queued(l *CommandRateLimiter, command string) int {
	b := l.bucket(command)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.queue.Len()
}

// OldBucketLimiter is a RateLimiter on the bucket before issue 17
// (oldBucket), one per command, for BenchmarkLimiterQueueCalls.
func OldBucketLimiter(perSecond float64, burst int) RateLimiter {
	return &oldLimiter{rate: perSecond, burst: float64(burst), buckets: map[string]*oldBucket{}}
}

type oldLimiter struct {
	rate, burst float64
	mu          sync.Mutex
	buckets     map[string]*oldBucket
}

func (l *oldLimiter) Wait(ctx context.Context, command string) error {
	l.mu.Lock()
	b := l.buckets[command]
	if b == nil {
		b = &oldBucket{rate: l.rate, burst: l.burst, tokens: l.burst}
		l.buckets[command] = b
	}
	l.mu.Unlock()
	return b.wait(ctx, command)
}
