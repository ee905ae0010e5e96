package community

import (
	"errors"
	"fmt"
	"time"
)

// The defaults of [LiveOptions].
const (
	DefaultLiveInterval = 5 * time.Minute
	DefaultLiveJitter   = 0.1
	DefaultLiveDebounce = time.Second
	DefaultLiveRetry    = 2 * time.Second
)

// LiveOptions tunes a [Live]. A nil *LiveOptions means the defaults.
type LiveOptions struct {
	// Interval is the time between reloads (default [DefaultLiveInterval]).
	// It restarts after every reload, whatever asked for it.
	Interval time.Duration
	// Jitter is the fraction of the Interval (and of a retry's wait) by
	// which each wait is moved at random, either way (default
	// [DefaultLiveJitter]; negative for none; at most 1).
	Jitter float64
	// Debounce is how long a [Live.Refresh] waits for more requests before
	// reloading (default [DefaultLiveDebounce]; negative for none).
	Debounce time.Duration
	// Retry is the wait after a failed reload, doubled after each failure
	// in a row, up to the Interval (default [DefaultLiveRetry]).
	Retry time.Duration
	// Load is passed to every [Load]. Its Progress is called from the
	// Live's goroutine, and from the callers of [Live.Reload]: from several
	// goroutines at once if loads overlap.
	Load *LoadOptions
	// OnReload, when set, is called after each load with what happened,
	// from the goroutine that ran it, one at a time per goroutine. It must
	// not block for long: the next reload waits for it.
	OnReload func(ReloadReport)
	// Now and After are the clock (default time.Now and time.After): tests
	// give a fake one to drive the reloads. After must return a channel
	// that receives once d has passed.
	Now   func() time.Time
	After func(d time.Duration) <-chan time.Time
}

// resolve returns the options with the defaults filled in.
func (o *LiveOptions) resolve() (LiveOptions, error) {
	var r LiveOptions
	if o != nil {
		r = *o
	}
	switch {
	case r.Interval < 0:
		return r, fmt.Errorf("community: LiveOptions.Interval %v is negative", r.Interval)
	case r.Retry < 0:
		return r, fmt.Errorf("community: LiveOptions.Retry %v is negative", r.Retry)
	case r.Jitter > 1:
		return r, fmt.Errorf("community: LiveOptions.Jitter %v is over 1", r.Jitter)
	case (r.Now == nil) != (r.After == nil):
		return r, errors.New("community: LiveOptions: give both Now and After, or neither")
	}
	if r.Interval == 0 {
		r.Interval = DefaultLiveInterval
	}
	if r.Jitter == 0 {
		r.Jitter = DefaultLiveJitter
	}
	if r.Debounce == 0 {
		r.Debounce = DefaultLiveDebounce
	}
	if r.Retry == 0 {
		r.Retry = DefaultLiveRetry
	}
	if r.Now == nil {
		r.Now, r.After = time.Now, time.After
	}
	return r, nil
}

// What started a load, in a [ReloadReport].
const (
	ReasonStart    = "start"    // NewLive's first load
	ReasonInterval = "interval" // the Interval passed
	ReasonRefresh  = "refresh"  // Live.Refresh (a callback, an Apply)
	ReasonRetry    = "retry"    // the previous reload failed
	ReasonReload   = "reload"   // Live.Reload
)

// ReloadReport is what one load of a [Live] did, for
// [LiveOptions.OnReload]: logs and metrics.
type ReloadReport struct {
	// Reason is what started the load: ReasonStart, ReasonInterval,
	// ReasonRefresh, ReasonRetry or ReasonReload.
	Reason string
	// Installed is whether the snapshot became the view. A load that
	// succeeded but was not installed was superseded (see [Live]).
	Installed bool
	// Generation is the load's number in the Live's sequence.
	Generation uint64
	// Calls is how many API calls the load made.
	Calls int
	// Took is how long the load took, by the Live's clock.
	Took time.Duration
	// Err is the load's error.
	Err error
}

// ReloadError is the failure of a [Live]'s reloads since the last one that
// succeeded: [Live.Err] returns it while the Live serves its last good
// view.
type ReloadError struct {
	GroupID string
	// Failures is how many reloads failed in a row; Since is when the
	// first of them started.
	Failures int
	Since    time.Time
	// Err is the last one's error.
	Err error
}

// Error says how many reloads failed since when, and the last error.
func (e *ReloadError) Error() string {
	return fmt.Sprintf("community: reload %s: %d failed in a row since %s, serving the last good view: %v",
		e.GroupID, e.Failures, e.Since.Format(time.RFC3339), e.Err)
}

// Unwrap returns the last error.
func (e *ReloadError) Unwrap() error { return e.Err }
