package community

import (
	"context"
	"math/rand/v2"
	"time"
)

// run is the Live's goroutine: the reloads on the interval, on Refresh and
// after failures, until Close.
func (l *Live) run() {
	defer close(l.done)
	next := l.opts.After(l.jittered(l.opts.Interval))
	reason := ReasonInterval
	var debounce <-chan time.Time
	for {
		why := reason
		select {
		case <-l.ctx.Done():
			return
		case <-next:
		case <-l.kick:
			if reason == ReasonRetry {
				continue // the retry, due soon, serves it
			}
			if l.opts.Debounce > 0 {
				if debounce == nil {
					debounce = l.opts.After(l.opts.Debounce)
				}
				continue
			}
			why = ReasonRefresh
		case <-debounce:
			why = ReasonRefresh
		}
		debounce = nil
		select {
		case <-l.kick: // a request made before this reload starts is served by it
		default:
		}
		err := l.reload(l.ctx, why)
		if l.ctx.Err() != nil {
			return
		}
		if err != nil {
			reason, next = ReasonRetry, l.opts.After(l.jittered(l.backoff()))
		} else {
			reason, next = ReasonInterval, l.opts.After(l.jittered(l.opts.Interval))
		}
	}
}

// reload runs one load and installs its snapshot if it is the newest
// knowledge (see Live), records the outcome and reports it.
func (l *Live) reload(ctx context.Context, reason string) error {
	l.mu.Lock()
	gen, err := l.ticket()
	l.mu.Unlock()
	if err != nil {
		return err
	}
	start := l.opts.Now()
	var calls int
	lo := LoadOptions{}
	if l.opts.Load != nil {
		lo = *l.opts.Load
	}
	progress := lo.Progress
	lo.Progress = func(p Progress) {
		calls = p.Calls
		if progress != nil {
			progress(p)
		}
	}
	snap, err := Load(ctx, l.client, l.groupID, &lo)
	var v *View
	if err == nil {
		v = &View{Snapshot: snap, Access: NewAccess(snap), Generation: gen, ReadAt: start}
	}
	l.mu.Lock()
	installed := err == nil && l.install(v, true)
	l.record(err, start)
	l.mu.Unlock()
	if l.opts.OnReload != nil {
		l.opts.OnReload(ReloadReport{Reason: reason, Installed: installed, Generation: gen, Calls: calls, Took: l.opts.Now().Sub(start), Err: err})
	}
	return err
}

// record keeps a load's outcome for Err and the backoff. The caller holds
// l.mu.
func (l *Live) record(err error, start time.Time) {
	if err == nil {
		l.failures = 0
		l.failure.Store(nil)
		return
	}
	l.failures++
	since := start
	if prev := l.failure.Load(); prev != nil {
		since = prev.Since
	}
	l.failure.Store(&ReloadError{GroupID: l.groupID, Failures: l.failures, Since: since, Err: err})
}

// backoff is the wait before the next retry: Retry doubled for each
// failure in a row after the first, up to the Interval.
func (l *Live) backoff() time.Duration {
	l.mu.Lock()
	n := l.failures
	l.mu.Unlock()
	d := l.opts.Retry
	for i := 1; i < n && d < l.opts.Interval; i++ {
		d *= 2
	}
	return min(d, l.opts.Interval)
}

// jittered moves d at random by up to Jitter × d either way.
func (l *Live) jittered(d time.Duration) time.Duration {
	if l.opts.Jitter <= 0 {
		return d
	}
	return d + time.Duration(l.opts.Jitter*(2*rand.Float64()-1)*float64(d))
}
