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
// Callers that find it empty queue up and are served in order by a timer,
// at the moment a token is there, so a turn is given when it can be used
// and never ahead of time. A caller that leaves the queue (its context
// ended) takes nothing; one that was served just as it left gives its token
// back.
type bucket struct {
	rate  float64 // tokens a second
	burst float64

	mu     sync.Mutex
	tokens float64
	last   time.Time   // when tokens was last brought up to date
	queue  list.List   // of *waiter, oldest first
	timer  *time.Timer // serves the queue; armed while it is not empty
}

type waiter struct {
	ready  chan struct{} // closed when served
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
	b.refill(time.Now())
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
	if b.queue.Len() == 1 {
		b.schedule()
	}
	b.mu.Unlock()

	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if w.served {
		b.tokens = min(b.burst, b.tokens+1) // not used: give it back
		b.serve(time.Now())
	} else {
		b.queue.Remove(w.elem)
	}
	return ctx.Err()
}

// serve gives tokens to the queue, oldest first, while there are any, and
// arms the timer for the next one. The caller holds b.mu.
func (b *bucket) serve(now time.Time) {
	b.refill(now)
	for b.queue.Len() > 0 && b.tokens >= 1 {
		w := b.queue.Remove(b.queue.Front()).(*waiter)
		b.tokens--
		w.served = true
		close(w.ready)
	}
	if b.queue.Len() > 0 {
		b.schedule()
	}
}

// schedule arms the timer for when the next token is there. The caller
// holds b.mu.
func (b *bucket) schedule() {
	d := b.duration(1 - b.tokens)
	if b.timer == nil {
		b.timer = time.AfterFunc(d, b.fire)
		return
	}
	b.timer.Reset(d)
}

func (b *bucket) fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.serve(time.Now())
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
