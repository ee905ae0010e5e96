package tim

import "time"

// SetAttemptTimeout sets c's per-attempt timeout, below the 3 s floor that
// WithTimeout keeps, so that tests of timed-out attempts stay fast. It is
// compiled into the package for its tests only.
func SetAttemptTimeout(c *Client, d time.Duration) { c.timeout = d }

// AllowAt reports whether l would let a call of command start at now without
// waiting, and takes its turn if so: the limiter on a clock the test sets.
func AllowAt(l *CommandRateLimiter, command string, now time.Time) bool {
	return l.bucket(command).allowAt(now)
}
