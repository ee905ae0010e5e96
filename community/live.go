package community

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrLiveClosed is the error of [Live.Reload], [Live.Update] and
// [Live.Apply] once the Live is closed; its view stays readable.
var ErrLiveClosed = errors.New("community: Live is closed")

// errNilContext is the error of a Live's methods given a nil context.
var errNilContext = errors.New("community: nil context")

// Live keeps the permission model of one community fresh in memory and
// answers from it without blocking, the way client-go's informers and
// listers do: one [Load], then
//
//   - a reload every [LiveOptions.Interval], moved at random by up to
//     [LiveOptions.Jitter] either way so that many backends do not reload
//     together;
//   - a reload soon after [Live.Refresh], which [Live.HandleCallback] calls
//     for the callbacks that change the model; requests within
//     [LiveOptions.Debounce] of each other, or made while a reload runs,
//     make one reload;
//   - the writes made through it ([Live.Apply], [Live.Update]) visible at
//     once, as a patched copy of the snapshot.
//
// Readers call [Live.View] or [Live.Access]: an atomic load of a pointer to
// an immutable [View], never blocked by a reload or a write. Each reload or
// write builds a new snapshot and index aside and replaces the view whole.
//
// No older view ever replaces a newer one. Every load and every write takes
// the next number of one sequence when it starts, and a view carries the
// number of what made it ([View.Generation]). A load that ends installs its
// snapshot only if its number is higher than the view's: a load that
// started before another one that is already installed, or before a write
// made through the Live, is dropped (a write's patch holds the write; the
// older load might not). A load that ends while a Live.Apply is under way
// is dropped too, since its reads may have seen part of the plan; Apply
// asks for a reload once it is done.
//
// A reload that fails keeps the view it had; [Live.Err] reports the failure
// until a reload succeeds, and the next attempt waits [LiveOptions.Retry],
// doubled after each failure in a row, up to the Interval. The reloads run
// on one goroutine, which [Live.Close] ends.
//
// A Live is safe for concurrent use.
type Live struct {
	client  Client
	groupID string
	opts    LiveOptions // defaults filled in
	view    atomic.Pointer[View]
	failure atomic.Pointer[ReloadError] // nil while the last reload succeeded

	mu       sync.Mutex
	seq      uint64 // the sequence of loads and writes; see Live
	applying int    // Live.Apply calls under way
	failures int    // reloads failed in a row
	closed   bool

	kick   chan struct{} // Refresh's requests; one is enough
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the loop has ended
}

// View is one state of a [Live]'s model: a snapshot, its index, and where
// they come from. A View never changes; a reload or a write makes a new one.
type View struct {
	// Snapshot is the model. It is shared by every reader of the View: do
	// not modify it (use [Live.Update]).
	Snapshot *Snapshot
	// Access answers who may do what from Snapshot.
	Access *Access
	// Generation is the sequence number of the load or write that made the
	// view (see [Live]): a view with a higher generation holds newer
	// knowledge. Numbers may be skipped (a dropped load takes one too).
	Generation uint64
	// ReadAt is when the load the view comes from started: the snapshot
	// holds every change made before then, and the writes made through the
	// Live since (Writes of them).
	ReadAt time.Time
	// Writes counts the writes made through the Live that were patched into
	// the view since its load.
	Writes int
}

// NewLive loads community groupID through c and returns a [Live] that keeps
// it fresh until [Live.Close]. ctx bounds the first load only; the Live's
// own reloads end at Close. A nil opts means the defaults. If the first
// load fails, NewLive returns its error and starts nothing.
//
// A reload costs what [Load] costs: ⌈groups/20⌉ + groups + Σ⌈members/50⌉ + 1
// calls, paced by c's rate limiter.
func NewLive(ctx context.Context, c Client, groupID string, opts *LiveOptions) (*Live, error) {
	switch {
	case ctx == nil:
		return nil, errNilContext
	case c == nil:
		return nil, errors.New("community: NewLive: nil Client")
	}
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	l := &Live{client: c, groupID: groupID, opts: o, kick: make(chan struct{}, 1), done: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	if err := l.reload(ctx, ReasonStart); err != nil {
		l.cancel()
		return nil, err
	}
	go l.run()
	return l, nil
}

// GroupID returns the community l keeps.
func (l *Live) GroupID() string { return l.groupID }

// View returns the current view. It never blocks and never returns nil.
func (l *Live) View() *View { return l.view.Load() }

// Access returns the current view's index: l.View().Access.
func (l *Live) Access() *Access { return l.view.Load().Access }

// Age returns how old the current view's data is: the time since its load
// started, by [LiveOptions.Now]'s clock. Writes made through l since do
// not make it younger.
func (l *Live) Age() time.Duration { return l.opts.Now().Sub(l.view.Load().ReadAt) }

// Err returns the failure of the reloads since the last one that succeeded,
// as a [*ReloadError], or nil. The view is then the last good one.
func (l *Live) Err() error {
	if e := l.failure.Load(); e != nil {
		return e
	}
	return nil
}

// Refresh asks for a reload soon: after [LiveOptions.Debounce], or, if a
// reload is under way, once it is done. Requests made meanwhile make that
// one reload. While reloads are failing, the next retry serves the
// request. Refresh never blocks; it does nothing once l is closed.
func (l *Live) Refresh() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Reload loads the community now, on the caller's goroutine, and installs
// the snapshot unless a load or write that started later has been
// installed already (see [Live]). It returns the load's error, or nil.
// After a nil error the view holds every change made before the call,
// except in two cases: a [Live.Apply] under way made l drop the load (that
// Apply asks for a reload when done), or a write made through l after the
// load started replaced a view older than the load (Apply and
// [Live.HandleCallback] ask for a reload then; after [Live.Update], call
// Refresh or Reload if the rest must be fresh too). Close cancels a Reload
// under way.
func (l *Live) Reload(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	defer context.AfterFunc(l.ctx, stop)()
	return l.reload(ctx, ReasonReload)
}

// Close stops the reloads, cancels the one under way and waits for it to
// end, or for ctx (a nil ctx waits without bound). The last view stays
// readable; Reload, Update and Apply return [ErrLiveClosed]. Close is
// idempotent.
func (l *Live) Close(ctx context.Context) error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ticket returns the next number of the sequence, or ErrLiveClosed. The
// caller holds l.mu.
func (l *Live) ticket() (uint64, error) {
	if l.closed {
		return 0, ErrLiveClosed
	}
	l.seq++
	return l.seq, nil
}

// install makes v the view if its generation is newer than the view's and
// no Apply is under way. The caller holds l.mu.
func (l *Live) install(v *View, fromLoad bool) bool {
	if cur := l.view.Load(); cur != nil && v.Generation <= cur.Generation {
		return false
	}
	if fromLoad && l.applying > 0 {
		return false
	}
	l.view.Store(v)
	return true
}
