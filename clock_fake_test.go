package tim

import (
	"sync"
	"time"
)

// FakeClock is a clock that moves only when a test advances it, for the
// rate limiter (SetLimiterClock) and the standby probe (SetStandbyClock).
// Its timers fire during Advance, in the order they are due; a fired
// timer's value waits in its channel (of one) until it is received.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*fakeTimer]bool // the armed ones
	fired  map[*fakeTimer]bool // fired, and not reset or stopped since
	fires  int                 // timers fired so far
}

// NewFakeClock returns a FakeClock that reads start.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start, timers: map[*fakeTimer]bool{}, fired: map[*fakeTimer]bool{}}
}

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns an armed timer that fires d after now.
func (c *FakeClock) NewTimer(d time.Duration) clockTimer {
	t := &fakeTimer{clock: c, c: make(chan time.Time, 1)}
	t.Reset(d)
	return t
}

// Advance moves the clock forward by d, firing every timer due by then.
func (c *FakeClock) Advance(d time.Duration) { c.AdvanceTo(c.Now().Add(d)) }

// AdvanceTo moves the clock to t (if t is later), firing every timer due
// by then.
func (c *FakeClock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	for ft := range c.timers {
		if !ft.when.After(c.now) {
			delete(c.timers, ft)
			c.fired[ft] = true
			c.fires++
			select {
			case ft.c <- c.now:
			default:
			}
		}
	}
}

// Fires returns how many timers have fired so far.
func (c *FakeClock) Fires() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fires
}

// Next returns when the earliest armed timer is due, and whether one is.
func (c *FakeClock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Time
	for ft := range c.timers {
		if next.IsZero() || ft.when.Before(next) {
			next = ft.when
		}
	}
	return next, !next.IsZero()
}

// Armed returns how many timers are armed, and how many fired whose value
// has not been received yet.
func (c *FakeClock) Armed() (armed, undelivered int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ft := range c.fired {
		if len(ft.c) > 0 {
			undelivered++
		}
	}
	return len(c.timers), undelivered
}

type fakeTimer struct {
	clock *FakeClock
	c     chan time.Time
	when  time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Reset(d time.Duration) {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	t.drain()
	delete(c.fired, t)
	t.when = c.now.Add(d)
	c.timers[t] = true
}

func (t *fakeTimer) Stop() {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	t.drain()
	delete(c.fired, t)
	delete(c.timers, t)
}

// drain drops a value that fired and was not received, as a time.Timer
// does on Reset and Stop since Go 1.23.
func (t *fakeTimer) drain() {
	select {
	case <-t.c:
	default:
	}
}
