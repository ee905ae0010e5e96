package tim

import (
	"container/list"
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// oldBucket is the limiter's bucket as it was before issue 17 (commit
// a144322), kept only as BenchmarkLimiterQueue's baseline: one timer per
// bucket, whose function (run in a goroutine of its own by time.AfterFunc)
// closes the channel of the waiter at the head of the queue. Each turn
// wakes two goroutines, the timer's and the waiter's; the bucket in use
// (bucket.go) wakes only the waiter, whose own timer it is.
type oldBucket struct {
	rate  float64 // tokens a second
	burst float64

	mu     sync.Mutex
	tokens float64
	last   time.Time   // when tokens was last brought up to date
	queue  list.List   // of *oldWaiter, oldest first
	timer  *time.Timer // serves the queue; armed while it is not empty
}

type oldWaiter struct {
	ready  chan struct{} // closed when served
	served bool
	elem   *list.Element
}

// refill brings tokens up to date at now. The caller holds b.mu.
func (b *oldBucket) refill(now time.Time) {
	if now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
}

func (b *oldBucket) wait(ctx context.Context, command string) error {
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
	w := &oldWaiter{ready: make(chan struct{})}
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
func (b *oldBucket) serve(now time.Time) {
	b.refill(now)
	for b.queue.Len() > 0 && b.tokens >= 1 {
		w := b.queue.Remove(b.queue.Front()).(*oldWaiter)
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
func (b *oldBucket) schedule() {
	d := b.duration(1 - b.tokens)
	if b.timer == nil {
		b.timer = time.AfterFunc(d, b.fire)
		return
	}
	b.timer.Reset(d)
}

func (b *oldBucket) fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.serve(time.Now())
}

// duration is how long the bucket takes to gain n tokens, rounded up, at
// most maxWait.
func (b *oldBucket) duration(n float64) time.Duration {
	if n <= 0 {
		return 0
	}
	d := math.Ceil(n / b.rate * float64(time.Second))
	if d >= float64(maxWait) {
		return maxWait
	}
	return time.Duration(d)
}
