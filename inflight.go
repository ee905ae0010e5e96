package tim

import (
	"context"
	"sync"
)

// inFlight caps the requests of each command a client has in flight (see
// [WithMaxInFlight]). A request takes its place before its turn at the rate
// limiter: had it taken the turn first, it could wait for a connection with
// the turn in hand and go out late, together with every other request held
// up the same way, and the service would see more than the limiter let
// start in a second.
type inFlight struct {
	n     int
	known map[string]chan struct{} // the SDK's commands; read-only
	mu    sync.Mutex
	other map[string]chan struct{} // any other key (see route.key), made on first use
}

func newInFlight(n int) *inFlight {
	f := &inFlight{n: n, known: make(map[string]chan struct{}, len(commandTable))}
	for _, c := range commandTable {
		f.known[c.command] = make(chan struct{}, n)
	}
	return f
}

func (f *inFlight) places(key string) chan struct{} {
	if ch, ok := f.known[key]; ok {
		return ch
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.other == nil {
		f.other = map[string]chan struct{}{}
	}
	ch, ok := f.other[key]
	if !ok {
		ch = make(chan struct{}, f.n)
		f.other[key] = ch
	}
	return ch
}

// acquire waits for a place for a request counted under key (a route's
// key: see route), or until ctx ends. A receive from the channel it returns
// gives the place back.
func (f *inFlight) acquire(ctx context.Context, key string) (chan struct{}, error) {
	ch := f.places(key)
	select {
	case ch <- struct{}{}:
		return ch, nil
	default:
	}
	select {
	case ch <- struct{}{}:
		return ch, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
