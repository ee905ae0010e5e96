package tim

import (
	"container/list"
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// bucket is the token bucket of one command in a [CommandRateLimiter]. It
// holds up to burst tokens and gains rate tokens a second; a call takes one.
// Callers that find it empty queue up and are served in order, each at the
// moment a token is there, so a turn is given when it can be used and never
// ahead of time. Only the caller at the head of the queue has a timer
// armed, for when the next token comes; it wakes, takes the token, and arms
// the timer of the next one. So every wakeup is a turn given (but for a
// timer that fires a hair before its token, which is set again): no caller
// is woken to find nothing for it, and no goroutine stands between the
// timer and the caller. A caller that leaves the queue (its context ended) takes
// nothing; one that was served just as it left gives its token back.
type bucket struct {
	rate  float64 // tokens a second
	burst float64
	clock clock

	mu     sync.Mutex
	tokens float64
	last   time.Time    // when tokens was last brought up to date
	queue  list.List    // of *waiter, oldest first
	spare  []clockTimer // stopped timers of callers gone, for the next ones
}

type waiter struct {
	ready  chan struct{} // closed when another caller gives it its turn
	timer  clockTimer    // armed while it is at the head of the queue
	served bool
	elem   *list.Element
}

// refill brings tokens up to date at now. The caller holds b.mu.
func (b *bucket) refill(now time.Time) {
	if now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
}

// allowAt takes a token at now if one is there and nobody is queued.
func (b *bucket) allowAt(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if b.queue.Len() > 0 || b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) wait(ctx context.Context, command string) error {
	b.mu.Lock()
	b.refill(b.clock.Now())
	if b.queue.Len() == 0 && b.tokens >= 1 {
		b.tokens--
		b.mu.Unlock()
		return nil
	}
	// The callers queued ahead each take a token before this one.
	eta := b.duration(float64(b.queue.Len()+1) - b.tokens)
	if !fitsDeadline(ctx, eta) {
		b.mu.Unlock()
		return fmt.Errorf("%w: the rate limit lets the next %s call start in %s, after the deadline", context.DeadlineExceeded, command, eta.Round(time.Millisecond))
	}
	w := &waiter{ready: make(chan struct{})}
	w.elem = b.queue.PushBack(w)
	if n := len(b.spare); n > 0 {
		w.timer, b.spare = b.spare[n-1], b.spare[:n-1]
	} else {
		w.timer = b.clock.NewTimer(maxWait)
		w.timer.Stop()
	}
	if b.queue.Len() == 1 {
		b.arm()
	}
	b.mu.Unlock()

	for {
		select {
		case <-w.ready:
			b.mu.Lock()
			b.retire(w)
			b.mu.Unlock()
			return nil
		case <-w.timer.C():
			if b.take(w) {
				return nil
			}
		case <-ctx.Done():
			b.leave(w)
			return ctx.Err()
		}
	}
}

// retire stops the timer of w, whose wait is over, and keeps it for a
// later caller. The caller holds b.mu.
func (b *bucket) retire(w *waiter) {
	w.timer.Stop()
	if len(b.spare) < maxSpareTimers {
		b.spare = append(b.spare, w.timer)
	}
}

// maxSpareTimers bounds the timers a bucket keeps for reuse.
const maxSpareTimers = 64

// take gives w, whose timer fired, its turn if a token is there.
func (b *bucket) take(w *waiter) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if w.served {
		b.retire(w)
		return true
	}
	now := b.clock.Now()
	b.refill(now)
	if b.queue.Front() != w.elem || b.tokens < 1 {
		b.arm() // a timer a little early: wait for the rest of the token
		return false
	}
	b.tokens--
	b.queue.Remove(w.elem)
	w.served = true
	b.retire(w)
	b.serve(now)
	return true
}

// leave takes w, whose context ended, out of the queue; if it was given a
// turn just then, the turn goes back.
func (b *bucket) leave(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.retire(w)
	if w.served {
		b.tokens = min(b.burst, b.tokens+1) // not used: give it back
	} else {
		head := b.queue.Front() == w.elem
		b.queue.Remove(w.elem)
		if !head {
			return
		}
	}
	b.serve(b.clock.Now())
}

// serve gives the tokens there are to the queue, oldest first, and arms
// the timer of the new head. The caller holds b.mu.
func (b *bucket) serve(now time.Time) {
	b.refill(now)
	for b.queue.Len() > 0 && b.tokens >= 1 {
		w := b.queue.Remove(b.queue.Front()).(*waiter)
		b.tokens--
		w.served = true
		close(w.ready)
	}
	b.arm()
}

// arm sets the timer of the head of the queue, if any, for when the next
// token is there. The caller holds b.mu.
func (b *bucket) arm() {
	if e := b.queue.Front(); e != nil {
		e.Value.(*waiter).timer.Reset(b.duration(1 - b.tokens))
	}
}

// duration is how long the bucket takes to gain n tokens, rounded up, at
// most maxWait.
func (b *bucket) duration(n float64) time.Duration {
	if n <= 0 {
		return 0
	}
	d := math.Ceil(n / b.rate * float64(time.Second))
	if d >= float64(maxWait) {
		return maxWait
	}
	return time.Duration(d)
}

// maxWait caps a wait, so that a rate of almost nothing cannot overflow a
// time.Duration: over a hundred years.
const maxWait = time.Duration(1 << 62)
