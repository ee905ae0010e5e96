package community_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/community"
)

// TestLiveCloseLeavesNoGoroutine: Lives started, reloading and closed
// leave no goroutine behind.
func TestLiveCloseLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 20 {
		mc := newMemClient(accessSnapshot())
		clk := newFakeClock()
		live, err := community.NewLive(ctxT(t), mc, "@TGS#_c", &community.LiveOptions{Debounce: -1, Now: clk.Now, After: clk.After})
		require.NoError(t, err)
		live.Refresh()
		require.NoError(t, live.Reload(ctxT(t)))
		require.NoError(t, live.Close(ctxT(t)))
	}
	waitFor(t, "the goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}

// TestLiveCloseCancelsTheReload: Close cancels the reload under way, the
// loop's and a Reload's, and keeps the view readable.
func TestLiveCloseCancelsTheReload(t *testing.T) {
	live, mc, clk, rep := newTestLive(t, &community.LiveOptions{Interval: liveInterval, Debounce: -1})
	view := live.View()
	entered := make(chan struct{}, 2)
	mc.infoGate = func(ctx context.Context, _ tim.GroupPermission) error {
		entered <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}
	clk.waitTimers(t, 1)
	live.Refresh()
	<-entered // the loop's reload waits for its context
	reloaded := make(chan error)
	go func() { reloaded <- live.Reload(context.Background()) }()
	<-entered

	require.NoError(t, live.Close(ctxT(t)))
	assert.ErrorIs(t, <-reloaded, context.Canceled)
	assert.Same(t, view, live.View())
	got := rep.wait(t, 3)
	assert.ErrorIs(t, got[1].Err, context.Canceled)
	assert.ErrorIs(t, got[2].Err, context.Canceled)
}

// TestLiveCloseWaitsForCtx: Close returns ctx's error if the reload under
// way does not end first (a Client that ignores its context).
func TestLiveCloseWaitsForCtx(t *testing.T) {
	live, mc, clk, _ := newTestLive(t, &community.LiveOptions{Interval: liveInterval, Debounce: -1})
	entered, release := make(chan struct{}), make(chan struct{})
	mc.infoGate = func(context.Context, tim.GroupPermission) error {
		close(entered)
		<-release
		return nil
	}
	clk.waitTimers(t, 1)
	live.Refresh()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, live.Close(ctx), context.Canceled)
	close(release)
	require.NoError(t, live.Close(ctxT(t)), "once the reload ends")
}

// TestLiveHeapBounded: reload after reload, the live heap stays where one
// view puts it; old views are not kept. BenchmarkLiveReload reports the
// figures at 1,000,000 memberships.
func TestLiveHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	heapMu.Lock()
	defer heapMu.Unlock()
	mc := newMemClient(bigSnapshot(100, 200)) // 20,000 memberships
	clk := newFakeClock()
	base := liveHeap()
	live, err := community.NewLive(ctxT(t), mc, "@TGS#_big", &community.LiveOptions{Now: clk.Now, After: clk.After}) // no reload but ours
	require.NoError(t, err)
	defer live.Close(context.Background())
	view := float64(liveHeap() - base)
	for range 3 {
		require.NoError(t, live.Reload(ctxT(t)))
	}
	settled := float64(liveHeap() - base)
	for range 20 {
		require.NoError(t, live.Reload(ctxT(t)))
		require.NoError(t, live.HandleCallback(ctxT(t), &callback.AfterMemberExit{GroupID: "@TGS#_big", Accounts: []string{bigAccount(100)}}))
	}
	last := float64(liveHeap() - base)
	t.Logf("one view %.0f kB; after 3 reloads %.2f×, after 20 more reloads and patches %.2f×", view/1024, settled/view, last/view)
	assert.Less(t, last, settled+view/2, "the heap does not grow with reloads")
}
