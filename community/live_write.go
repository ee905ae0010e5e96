package community

import (
	"context"
	"errors"
	"fmt"
)

// Update makes a change visible at once: fn changes a copy of the current
// snapshot, which becomes the view (with its own index) unless fn returns
// an error, which Update returns. Use it for writes made around the Live
// (with the tim client, say) that should show before the next reload; the
// service is not called. The view's generation is the next number of the
// sequence, so a load that started before Update cannot replace it (see
// [Live]).
//
// Update holds the Live's write lock while fn runs and the index is built:
// readers are not blocked, other writes and the installing of loads wait.
// Its cost is a copy of the snapshot and an index, as [NewAccess]'s.
func (l *Live) Update(fn func(s *Snapshot) error) error {
	return l.replace(func(cur *Snapshot, _ *Access) (*Snapshot, *Access, error) {
		s := cur.Clone()
		if err := fn(s); err != nil {
			return nil, nil, err
		}
		if s.GroupID != cur.GroupID {
			return nil, nil, fmt.Errorf("community: Live.Update: the snapshot's GroupID changed to %s", s.GroupID)
		}
		s.sortGroups()
		return s, nil, nil
	})
}

// patch is what a write makes of the current view: a new snapshot and,
// optionally, its index (nil: NewAccess of the snapshot). It returns a nil
// snapshot for no change, and must not modify the view, which readers
// share.
type patch func(cur *Snapshot, access *Access) (*Snapshot, *Access, error)

// replace installs what fn makes of the current view as a write, with the
// next generation.
func (l *Live) replace(fn patch) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.replaceLocked(fn)
}

// replaceLocked is replace for a caller that holds l.mu.
func (l *Live) replaceLocked(fn patch) error {
	if l.closed {
		return ErrLiveClosed
	}
	cur := l.view.Load()
	next, access, err := fn(cur.Snapshot, cur.Access)
	if err != nil || next == nil {
		return err
	}
	if access == nil {
		access = NewAccess(next)
	}
	gen, err := l.ticket()
	if err != nil {
		return err
	}
	l.install(&View{Snapshot: next, Access: access, Generation: gen, ReadAt: cur.ReadAt, Writes: cur.Writes + 1}, false)
	return nil
}

// Apply applies plan p with [Apply] through the Live's client and patches
// what it applied into the view at once: the operations whose [Outcome] is
// Applied, as [Simulate] would (a partial or unknown operation is left to
// the reload). Then it asks for a reload ([Live.Refresh]), which confirms
// the patch and picks up what was left.
//
// While Apply runs, loads that end are dropped (their reads may have seen
// part of the plan), and a load that started before the patch cannot
// replace it. If the operations do not fit the current snapshot (someone
// changed the same groups meanwhile), nothing is patched and the reload
// alone brings the view up to date. Apply returns what [Apply] returns.
func (l *Live) Apply(ctx context.Context, p *Plan, opts *ApplyOptions) (*Result, error) {
	switch {
	case ctx == nil:
		return nil, errNilContext
	case p == nil:
		return nil, errors.New("community: Live.Apply: nil plan")
	}
	if p.GroupID != l.groupID {
		return nil, fmt.Errorf("community: Live.Apply: the plan is for %s, this Live keeps %s", p.GroupID, l.groupID)
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrLiveClosed
	}
	l.applying++
	l.mu.Unlock()
	var res *Result
	defer func() {
		l.mu.Lock()
		l.applying--
		if ops := appliedOps(res); len(ops) > 0 {
			_ = l.replaceLocked(func(cur *Snapshot, _ *Access) (*Snapshot, *Access, error) {
				next, err := Simulate(cur, &Plan{GroupID: p.GroupID, Ops: ops})
				return next, nil, err
			})
		}
		l.mu.Unlock()
		l.Refresh()
	}()
	res, err := Apply(ctx, l.client, p, opts)
	return res, err
}

// appliedOps returns the operations of r that were applied, in plan order.
func appliedOps(r *Result) []Op {
	if r == nil {
		return nil
	}
	var ops []Op
	for _, o := range r.Outcomes {
		if o.Status == Applied && o.Op != nil {
			ops = append(ops, *o.Op)
		}
	}
	return ops
}
