package tim

import "time"

// SetStandbyClock makes c's standby probe read the time from now.
func SetStandbyClock(c *Client, now func() time.Time) { c.endpoints.now = now }
