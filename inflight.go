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
	known map[string]chan struct{} // the commands of the API; read-only
	mu    sync.Mutex
	other map[string]chan struct{} // any other command, made on first use
}

func newInFlight(n int) *inFlight {
	f := &inFlight{n: n, known: make(map[string]chan struct{}, len(allCommands))}
	for _, cmd := range allCommands {
		f.known[cmd] = make(chan struct{}, n)
	}
	return f
}

func (f *inFlight) places(command string) chan struct{} {
	if ch, ok := f.known[command]; ok {
		return ch
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.other == nil {
		f.other = map[string]chan struct{}{}
	}
	ch, ok := f.other[command]
	if !ok {
		ch = make(chan struct{}, f.n)
		f.other[command] = ch
	}
	return ch
}

// acquire waits for a place for a request of command, or until ctx ends. A
// receive from the channel it returns gives the place back.
func (f *inFlight) acquire(ctx context.Context, command string) (chan struct{}, error) {
	ch := f.places(command)
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
