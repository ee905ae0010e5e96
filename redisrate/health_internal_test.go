package redisrate

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The switch-overs on a made-up clock: P is the probe interval, T the
// timeout. With a fallback, nothing starts for window + T after the
// failure is seen, fallback calls start only before the probe time, and
// after Redis answers again nothing starts for window + P + T.
func TestHealthSwitchOvers(t *testing.T) {
	const (
		P = time.Second
		T = 200 * time.Millisecond
	)
	h := newHealth(P, T, true, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	refused := errors.New("connection refused")

	assert.Equal(t, askRedis, h.decide(at(0), false).kind, "healthy: ask Redis")
	assert.True(t, h.mayStart(at(0)))

	// A round trip that began at 0 times out at T.
	h.failed(refused, false, at(0), at(T))
	assert.False(t, h.mayStart(at(T)), "an answer that comes now may not start")
	tr := h.decide(at(T), true)
	assert.Equal(t, waitUntil, tr.kind, "the call that failed waits out the pause")
	assert.Equal(t, at(T+P), tr.until, "until the probe time, the earlier of it and the pause's end")

	// At the probe time one call probes, the others wait for its answer.
	probe := h.decide(at(T+P), false)
	require.Equal(t, askRedis, probe.kind)
	assert.True(t, probe.probe)
	other := h.decide(at(T+P), false)
	require.Equal(t, waitProbe, other.kind)

	// The probe fails at once (refused): the pause (until T + window + T)
	// still holds, then the fallback may start until the next probe time.
	h.failed(refused, true, at(T+P), at(T+P+time.Millisecond))
	select {
	case <-other.done:
	default:
		t.Fatal("the waiters are told the probe ended")
	}
	tr = h.decide(at(T+P+time.Millisecond), true)
	assert.Equal(t, waitUntil, tr.kind)
	assert.Equal(t, at(T+window+T), tr.until)
	tr = h.decide(at(T+window+T), false)
	require.Equal(t, useFallback, tr.kind, "after the pause: the fallback")
	assert.Equal(t, at(T+P+time.Millisecond+P), tr.until, "fallback calls start before the next probe time")
	ended := tr.ended

	// Redis answers the next probe at R: the outage ends, the fallback
	// waits are cut, and nothing starts for window + P + T.
	R := T + P + time.Millisecond + P
	probe = h.decide(at(R), false)
	require.True(t, probe.probe)
	h.succeeded(at(R + time.Millisecond))
	assert.Error(t, ended.Err(), "fallback waits end with the outage")
	tr = h.decide(at(R+time.Millisecond), false)
	assert.Equal(t, waitUntil, tr.kind)
	resume := at(R + time.Millisecond + window + P + T)
	assert.Equal(t, resume, tr.until)
	assert.False(t, h.mayStart(resume.Add(-time.Nanosecond)), "the probe's own call waits too")
	assert.True(t, h.mayStart(resume))
	assert.Equal(t, askRedis, h.decide(resume, false).kind)
	assert.True(t, h.calm.Load(), "back on the fast path")
}

// Failing closed, nothing pauses: calls fail at once during the outage and
// ask Redis again as soon as it answers.
func TestHealthFailClosedDoesNotPause(t *testing.T) {
	h := newHealth(time.Second, 200*time.Millisecond, false, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	refused := errors.New("connection refused")
	h.failed(refused, false, t0, t0)
	tr := h.decide(t0, true)
	assert.Equal(t, failClosed, tr.kind)
	assert.Equal(t, refused, tr.err)
	assert.Equal(t, failClosed, h.decide(t0.Add(999*time.Millisecond), false).kind)
	probe := h.decide(t0.Add(time.Second), false)
	require.True(t, probe.probe)
	h.succeeded(t0.Add(time.Second))
	assert.Equal(t, askRedis, h.decide(t0.Add(time.Second), false).kind)
	assert.True(t, h.mayStart(t0.Add(time.Second)))
}

// A round trip that fails late (a timer that fired late) counts from its
// start + T: the next probe is P after that, not later.
func TestHealthNextProbeFromTheTimeout(t *testing.T) {
	h := newHealth(time.Second, 200*time.Millisecond, true, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h.failed(errors.New("timeout"), false, t0, t0.Add(700*time.Millisecond))
	assert.Equal(t, t0.Add(1200*time.Millisecond), h.next)
}
