package tim

import "time"

// SetAttemptTimeout sets c's per-attempt timeout, below the 3 s floor that
// WithTimeout keeps, so that tests of timed-out attempts stay fast. It is
// compiled into the package for its tests only.
func SetAttemptTimeout(c *Client, d time.Duration) { c.timeout = d }
