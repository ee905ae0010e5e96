package community

import (
	"context"
	"sync"

	"github.com/timkit/tim/internal/workers"
)

// readQueue holds the reads of a Load until a place is free: first the
// reads that start something (the info, a group's topics, a group's first
// member page), then the next pages of member lists.
type readQueue struct {
	mu          sync.Mutex
	first, next []func(context.Context) error
	outstanding int // reads queued or running, and the listing
	wake        chan struct{}
}

// add counts n more reads (or the listing) outstanding.
func (q *readQueue) add(n int) {
	q.mu.Lock()
	q.outstanding += n
	q.mu.Unlock()
}

// push queues a read; a next page goes behind every first read.
func (q *readQueue) push(next bool, read func(context.Context) error) {
	q.mu.Lock()
	if next {
		q.next = append(q.next, read)
	} else {
		q.first = append(q.first, read)
	}
	q.outstanding++
	q.mu.Unlock()
	q.signal()
}

// done counts one read (or the listing) finished.
func (q *readQueue) done() {
	q.mu.Lock()
	q.outstanding--
	q.mu.Unlock()
	q.signal()
}

func (q *readQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pop returns the next read to start, or nil; idle reports that nothing is
// queued or running.
func (q *readQueue) pop() (read func(context.Context) error, idle bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case len(q.first) > 0:
		read, q.first = q.first[0], q.first[1:]
	case len(q.next) > 0:
		read, q.next = q.next[0], q.next[1:]
	}
	return read, q.outstanding == 0
}

// feed starts the queued reads in g, each once a place is free, until
// every read has ended or ctx has; it returns ctx's error if reads were
// left queued.
func (q *readQueue) feed(ctx context.Context, g *workers.Group) error {
	for {
		read, idle := q.pop()
		switch {
		case read != nil:
			if err := g.Go(func(ctx context.Context) error { defer q.done(); return read(ctx) }); err != nil {
				return err
			}
			continue
		case idle:
			return nil
		}
		select {
		case <-q.wake:
		case <-ctx.Done():
			if read, _ := q.pop(); read != nil {
				return ctx.Err()
			}
			return nil
		}
	}
}
