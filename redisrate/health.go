package redisrate

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// window is the span the service counts calls in: at most 200 calls of a
// command in any sliding second.
const window = time.Second

// health tracks whether Redis answers, and when calls may start. While it
// answers, every call asks it. After a failure the limiter is in an
// outage: until the probe time no call asks Redis, then one call at a time
// does (a probe; the calls that come meanwhile wait for its answer), and
// the first answer ends the outage. The start and the end of an outage are
// logged once each.
//
// With a fallback, each switch from one budget to the other is followed by
// a pause in which no call starts, so that no sliding second holds calls
// of both budgets (README.md, "The limit through an outage", gives the
// argument):
//   - at the start of an outage, window + timeout: every call Redis let go
//     started before the failure was seen, or within timeout of it;
//   - at its end, window + probe interval + timeout: every other process
//     that uses its fallback sees Redis answer again, or stops using the
//     fallback at its next probe time, within probe interval + timeout of
//     Redis's return.
type health struct {
	every    time.Duration // the probe interval
	timeout  time.Duration // the limiter's bound on one round trip
	fallback bool          // calls use a fallback in an outage: switches pause
	logger   *slog.Logger
	attrs    []any // who is logging: the app and the mode

	calm atomic.Bool // Redis answers and no pause is on: the fast path

	mu      sync.Mutex
	down    bool
	since   time.Time       // when the outage began
	next    time.Time       // when the next probe may go; fallback calls start before it
	probe   chan struct{}   // closed when the probe in flight ends; nil when none is
	ended   context.Context // ends when the outage ends
	end     context.CancelFunc
	lastErr error     // the last Redis error of the outage
	quiet   time.Time // no call starts before this
}

func newHealth(every, timeout time.Duration, fallback bool, logger *slog.Logger, attrs []any) *health {
	h := &health{every: every, timeout: timeout, fallback: fallback, logger: logger, attrs: attrs}
	h.calm.Store(true)
	return h
}

// turnKind is what a call does next.
type turnKind int

const (
	askRedis    turnKind = iota // ask Redis (as the outage's probe if turn.probe)
	useFallback                 // wait for the fallback; give up when turn.ended ends or at turn.until
	failClosed                  // refuse with turn.err
	waitUntil                   // nothing may start before turn.until: wait, then decide again
	waitProbe                   // a probe is in flight: wait for turn.done, then decide again
)

type turn struct {
	kind  turnKind
	probe bool
	until time.Time
	done  <-chan struct{}
	ended context.Context
	err   error
}

// decide says what a call does at now. afterFailure is set for a call whose
// own round trip just failed: it does not probe again at once, but takes
// the outage's answer.
func (h *health) decide(now time.Time, afterFailure bool) turn {
	if h.calm.Load() {
		return turn{kind: askRedis}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down {
		if now.Before(h.quiet) {
			return turn{kind: waitUntil, until: h.quiet}
		}
		h.calm.Store(true)
		return turn{kind: askRedis}
	}
	if !afterFailure && !now.Before(h.next) {
		if h.probe == nil {
			h.probe = make(chan struct{})
			return turn{kind: askRedis, probe: true}
		}
		return turn{kind: waitProbe, done: h.probe}
	}
	if !h.fallback {
		return turn{kind: failClosed, err: h.lastErr}
	}
	if now.Before(h.quiet) {
		return turn{kind: waitUntil, until: minTime(h.quiet, h.next)}
	}
	return turn{kind: useFallback, until: h.next, ended: h.ended}
}

// mayStart reports whether a call Redis just let go may start at now: Redis
// answers and no pause is on. A call that may not asks again later.
func (h *health) mayStart(now time.Time) bool {
	if h.calm.Load() {
		return true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down || now.Before(h.quiet) {
		return false
	}
	h.calm.Store(true)
	return true
}

// failed records that a round trip that began at start did not get an
// answer (err) by now: it starts an outage (logged) or extends the one
// under way. The next probe may go a probe interval after the failure,
// counted from start + timeout at the latest.
func (h *health) failed(err error, probe bool, start, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down {
		h.down = true
		h.calm.Store(false)
		h.since = now
		h.ended, h.end = context.WithCancel(context.Background())
		attrs := []any{"error", err.Error(), "probe_every", h.every.String()}
		if h.fallback {
			h.quiet = maxTime(h.quiet, now.Add(window+h.timeout))
			attrs = append(attrs, "fallback_in", h.quiet.Sub(now).Round(time.Millisecond).String())
		}
		h.logger.Warn("redisrate: Redis unavailable", slices.Concat(h.attrs, attrs)...)
	}
	h.lastErr = err
	h.next = minTime(now, start.Add(h.timeout)).Add(h.every)
	if probe && h.probe != nil {
		close(h.probe)
		h.probe = nil
	}
}

// succeeded records that Redis answered at now, which ends an outage
// (logged).
func (h *health) succeeded(now time.Time) {
	if h.calm.Load() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down {
		return
	}
	h.down = false
	h.lastErr = nil
	if h.probe != nil {
		close(h.probe)
		h.probe = nil
	}
	h.end()
	attrs := []any{"outage", now.Sub(h.since).Round(time.Millisecond).String()}
	if h.fallback {
		h.quiet = maxTime(h.quiet, now.Add(window+h.every+h.timeout))
		attrs = append(attrs, "resume_in", h.quiet.Sub(now).Round(time.Millisecond).String())
	}
	h.logger.Info("redisrate: Redis answers again", slices.Concat(h.attrs, attrs)...)
}

// waitFor waits until t, or until ctx ends or done closes; it returns ctx's
// error, or nil. A nil done never closes.
func waitFor(ctx context.Context, t time.Time, done <-chan struct{}) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
