package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// watchedBuffer is a stream the command writes to while the test waits for
// a text to appear in it.
type watchedBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	waits map[string]chan struct{}
}

func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	for text, ch := range w.waits {
		if strings.Contains(w.b.String(), text) {
			close(ch)
			delete(w.waits, text)
		}
	}
	return n, err
}

func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// await waits until text has been written. The bound only keeps a broken
// command from hanging the test; it measures nothing.
func (w *watchedBuffer) await(t *testing.T, text string) {
	t.Helper()
	w.mu.Lock()
	ch := make(chan struct{})
	if strings.Contains(w.b.String(), text) {
		close(ch)
	} else {
		if w.waits == nil {
			w.waits = map[string]chan struct{}{}
		}
		w.waits[text] = ch
	}
	w.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("%q never came; the output so far:\n%s", text, w.String())
	}
}

// exited waits for the command's exit status, with the same bound.
func exited(t *testing.T, done <-chan int, why string) int {
	t.Helper()
	select {
	case status := <-done:
		return status
	case <-time.After(time.Minute):
		t.Fatalf("tim did not exit: %s", why)
		return -1
	}
}
