package main

import (
	"sync"
	"time"
)

// fakeClock is a startTimer whose time moves only on advance, which fires
// the timers then due.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers map[*fakeTimer]bool
}

type fakeTimer struct {
	at time.Duration
	c  chan time.Time
}

func (c *fakeClock) timer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now + d, c: make(chan time.Time, 1)}
	if c.timers == nil {
		c.timers = map[*fakeTimer]bool{}
	}
	c.timers[t] = true
	return t.c, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.timers, t)
	}
}

// advance moves the time on by d and fires the timers due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
	for t := range c.timers {
		if t.at <= c.now {
			t.c <- time.Time{}
			delete(c.timers, t)
		}
	}
}
