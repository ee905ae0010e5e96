package redisrate

import (
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// health tracks whether Redis answers. While it does, every call asks it.
// After a failure the limiter is in an outage: for the probe interval no
// call asks Redis, then one call at a time does (a probe), and the first
// answer ends the outage. The start and the end of an outage are logged
// once each.
type health struct {
	every  time.Duration
	logger *slog.Logger
	attrs  []any // who is logging: the app and the mode

	down atomic.Bool // read without the lock on every call

	mu      sync.Mutex
	since   time.Time // when the outage began
	next    time.Time // when the next probe may go
	probing bool      // a probe is in flight
	lastErr error     // the last Redis error of the outage
}

// ask reports whether this call should ask Redis, and whether it does so
// as the outage's probe (then it must report back with failed, succeeded
// or abandoned). When it should not, lastErr is the outage's last error.
func (h *health) ask() (ask, probe bool, lastErr error) {
	if !h.down.Load() || h.every == 0 {
		return true, false, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down.Load() {
		return true, false, nil
	}
	if h.probing || time.Now().Before(h.next) {
		return false, false, h.lastErr
	}
	h.probing = true
	return true, true, nil
}

// failed records that Redis did not answer: it starts an outage (logged)
// or extends the one under way.
func (h *health) failed(err error, probe bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if !h.down.Load() {
		h.since = now
		h.down.Store(true)
		h.logger.Warn("redisrate: Redis unavailable", slices.Concat(h.attrs, []any{"error", err.Error(), "probe_every", h.every.String()})...)
	}
	h.lastErr = err
	h.next = now.Add(h.every)
	if probe {
		h.probing = false
	}
}

// succeeded records that Redis answered, which ends an outage (logged).
func (h *health) succeeded(probe bool) {
	if !h.down.Load() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if probe {
		h.probing = false
	}
	if h.down.Load() {
		h.down.Store(false)
		h.probing = false
		h.lastErr = nil
		h.logger.Info("redisrate: Redis answers again", slices.Concat(h.attrs, []any{"outage", time.Since(h.since).Round(time.Millisecond).String()})...)
	}
}

// abandoned records that a probe ended with its context before Redis
// answered or failed: the next call may probe.
func (h *health) abandoned(probe bool) {
	if !probe {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.probing = false
}
