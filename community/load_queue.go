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
	first, next []queuedRead
	outstanding int // reads queued or running, and the listing
	wake        chan struct{}
}

// queuedRead is one read of a Load, and what it reads (as a [LoadError]
// names it) for the error of a read that could not start.
type queuedRead struct {
	pgID, step string
	run        func(context.Context) error
}

// add counts n more reads (or the listing) outstanding.
func (q *readQueue) add(n int) {
	q.mu.Lock()
	q.outstanding += n
	q.mu.Unlock()
}

// push queues a read; a next page goes behind every first read.
func (q *readQueue) push(next bool, read queuedRead) {
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

// pop returns the next read to start (ok), if any; idle reports that
// nothing is queued or running.
func (q *readQueue) pop() (read queuedRead, ok, idle bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case len(q.first) > 0:
		read, q.first, ok = q.first[0], q.first[1:], true
	case len(q.next) > 0:
		read, q.next, ok = q.next[0], q.next[1:], true
	}
	return read, ok, q.outstanding == 0
}

// feed starts the queued reads in g, each once a place is free, until no
// read is queued or running and the listing has ended. It returns nil only
// then: every read queued has started. It does not stop when the load's
// context ends, since a read still running may then queue another (a
// group's next member page): it waits for the running reads, which see the
// context end, and returns the first read that cannot start (notStarted)
// with g.Go's error, which g.Wait reports too.
func (q *readQueue) feed(g *workers.Group) (notStarted *queuedRead, err error) {
	for {
		read, ok, idle := q.pop()
		switch {
		case ok:
			if err := g.Go(func(ctx context.Context) error { defer q.done(); return read.run(ctx) }); err != nil {
				return &read, err
			}
			continue
		case idle:
			return nil, nil
		}
		<-q.wake // a read queued or ended
	}
}
