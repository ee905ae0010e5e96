package tim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// MaxEmptyPages is how many pages in a row a listing may answer with no
// items and a new cursor before pagination fails with [ErrNoProgress].
const MaxEmptyPages = 10

// Paginator walks a paged listing one page at a time, for callers that want
// page boundaries (to checkpoint a cursor, say); [Paginator.All] walks it item
// by item. It works on its own copy of the request, so the caller's is never
// changed. It stops when the server answers an empty cursor. Rather than
// loop forever on a server that misbehaves, it fails with
// [ErrCursorRepeated] when the server repeats a cursor (at once for a cycle
// of up to 32 pages, within a few turns of a longer cycle), and with
// [ErrNoProgress] after [MaxEmptyPages] empty pages in a row. Its memory
// does not grow with the listing.
//
// A Paginator is not safe for concurrent use.
type Paginator[T any] struct {
	fetch   func(ctx context.Context, cursor string) ([]T, string, error)
	itemErr func(T) error
	cursor  string
	pages   int
	empty   int // pages in a row with no items
	done    bool
	seen    cursorWatch

	// The rest of a page a loop over All stopped in, and the error that came
	// with that page: the next NextPage or All starts with them.
	pending    []T
	pendingErr error
}

func newPaginator[T any](first string, fetch func(context.Context, string) ([]T, string, error), itemErr func(T) error) *Paginator[T] {
	p := &Paginator[T]{fetch: fetch, itemErr: itemErr, cursor: first}
	if first != "" {
		p.seen.repeated(first)
	}
	return p
}

// HasMorePages reports whether [Paginator.NextPage] has a page to return.
func (p *Paginator[T]) HasMorePages() bool {
	return p != nil && (!p.done || len(p.pending) > 0 || p.pendingErr != nil)
}

// Cursor returns the cursor the next page will be requested with ("" before
// the first page of a listing that starts at the beginning).
func (p *Paginator[T]) Cursor() string {
	if p == nil {
		return ""
	}
	return p.cursor
}

// NextPage fetches the next page. After an error from the request the
// paginator stays where it was, so calling NextPage again retries the same
// page. When the server repeats a cursor, NextPage returns the page's items
// with an error matching [ErrCursorRepeated], and there are no more pages.
// After a loop over [Paginator.All] stopped inside a page, NextPage returns
// the rest of that page. With no pages left it returns [ErrNoMorePages].
func (p *Paginator[T]) NextPage(ctx context.Context) ([]T, error) {
	if p == nil || p.fetch == nil {
		return nil, invalid("", "Paginator", "", "was not made by a New…Paginator function")
	}
	if ctx == nil {
		return nil, invalid("", "ctx", "", "is nil; pass context.Background() or a context with a deadline")
	}
	if len(p.pending) > 0 || p.pendingErr != nil {
		items, err := p.pending, p.pendingErr
		p.pending, p.pendingErr = nil, nil
		return items, err
	}
	if p.done {
		return nil, ErrNoMorePages
	}
	items, next, err := p.fetch(ctx, p.cursor)
	if err != nil {
		return nil, err
	}
	p.pages++
	if next == "" {
		p.done = true
		p.cursor = ""
		return items, nil
	}
	if p.seen.repeated(next) {
		p.done = true
		return items, fmt.Errorf("%w: cursor %q came back after page %d", ErrCursorRepeated, next, p.pages)
	}
	if len(items) > 0 {
		p.empty = 0
	} else if p.empty++; p.empty >= MaxEmptyPages {
		p.done = true
		return items, fmt.Errorf("%w: %d pages in a row had no items, the last of them page %d", ErrNoProgress, p.empty, p.pages)
	}
	p.cursor = next
	return items, nil
}

// All returns an iterator over every remaining item. A failed request yields
// a zero item with the error and ends the iteration. An item the server
// could not return (a non-zero per-item ErrorCode) is yielded with its
// [*ItemError]; iteration goes on if the loop does. Only one page is held
// in memory at a time. A loop that stops early leaves the paginator where
// it stopped: ranging over All again resumes with the next item.
func (p *Paginator[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if p == nil || p.fetch == nil || ctx == nil {
			var zero T
			_, err := p.NextPage(ctx)
			yield(zero, err)
			return
		}
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			for i, item := range page {
				if !yield(item, p.itemErr(item)) {
					p.pending, p.pendingErr = page[i+1:], err
					return
				}
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
		}
	}
}

// cursorWatch spots a server that hands back a cursor it gave before, in
// constant memory however long the listing: it remembers the last
// recentCursors cursors, so a cycle of up to that many pages is caught at
// the first repeat, and runs Brent's cycle detection for longer cycles,
// which are caught within two turns of the cycle. (A set of every cursor
// would grow with the listing: BENCHMARKS.md, goal 3.)
type cursorWatch struct {
	recent [recentCursors]string
	n      int // cursors seen so far
	saved  string
	power  int // Brent: saved is replaced after power more cursors
	steps  int
}

const recentCursors = 32

// repeated reports whether c was seen before (as far as the watch can
// tell), and remembers it.
func (w *cursorWatch) repeated(c string) bool {
	for i := range min(w.n, recentCursors) {
		if w.recent[i] == c {
			return true
		}
	}
	if w.n > 0 && c == w.saved {
		return true
	}
	w.recent[w.n%recentCursors] = c
	w.n++
	if w.steps++; w.steps >= w.power {
		w.saved, w.power, w.steps = c, max(1, 2*w.power), 0
	}
	return false
}

// failedPaginator returns a paginator whose first page fails with err: how
// an iterator reports bad input before anything is sent.
func failedPaginator[T any](err error) *Paginator[T] {
	return newPaginator("", func(context.Context, string) ([]T, string, error) { return nil, "", err }, func(T) error { return nil })
}

// cursor is a pagination cursor as the service sends it: the docs call it an
// Integer while every sample carries a string, so both decode. A JSON number
// is kept as its decimal text; 0 and null mean "no more pages", like "".
type cursor string

func (c *cursor) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("tim: empty cursor value")
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = cursor(s)
	case string(b) == "null":
		*c = ""
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("tim: cursor is neither a string nor a number")
		}
		if f, err := n.Float64(); err == nil && f == 0 {
			*c = ""
		} else {
			*c = cursor(n.String())
		}
	}
	return nil
}
