package tim

import "time"

// SetStandbyProbe sets how long c stays on a standby base URL before it
// tries the primary again, below StandbyProbeInterval, for fast tests.
func SetStandbyProbe(c *Client, d time.Duration) { c.endpoints.probe = d }
