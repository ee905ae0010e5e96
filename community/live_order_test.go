package community_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// holdNext makes the next get_group_info hold, once it has read the
// version, until release is called; arrived is closed when it holds.
func holdNext(mc *memClient) (arrived <-chan struct{}, release func()) {
	var once sync.Once
	in, out := make(chan struct{}), make(chan struct{})
	mc.infoGate = func(ctx context.Context, _ tim.GroupPermission) error {
		first := false
		once.Do(func() { first = true })
		if first {
			close(in)
			<-out
		}
		return nil
	}
	return in, func() { close(out) }
}

// TestLiveOlderLoadLoses: a load that started before a newer load, or
// before a write, is dropped when it ends, in either order of events.
func TestLiveOlderLoadLoses(t *testing.T) {
	t.Run("a newer load", func(t *testing.T) {
		live, mc, _, rep := newTestLive(t, nil)
		mc.setVersion(1)
		arrived, release := holdNext(mc)
		done := make(chan error)
		go func() { done <- live.Reload(context.Background()) }() // L1 reads version 1 and holds
		<-arrived
		mc.setVersion(2)
		require.NoError(t, live.Reload(ctxT(t))) // L2 starts later, reads 2, ends first
		assert.Equal(t, tim.GroupPermission(2), version(live))
		newer := live.View()

		release()
		require.NoError(t, <-done, "a superseded load is not an error")
		assert.Same(t, newer, live.View(), "L1 ended last but started first: dropped")
		got := rep.all()
		require.Len(t, got, 3)
		assert.True(t, got[1].Installed, "L2")
		assert.False(t, got[2].Installed, "L1")
		assert.Less(t, got[2].Generation, got[1].Generation)
	})

	t.Run("a write", func(t *testing.T) {
		live, mc, _, rep := newTestLive(t, nil)
		arrived, release := holdNext(mc)
		done := make(chan error)
		go func() { done <- live.Reload(context.Background()) }() // L1 starts before the write
		<-arrived
		require.NoError(t, live.Update(func(s *community.Snapshot) error {
			g := s.PermissionGroup("@PMG#_send")
			g.Members = append(g.Members, "dan")
			return nil
		}))
		patched := live.View()

		release()
		require.NoError(t, <-done)
		assert.Same(t, patched, live.View(), "L1 holds no write: dropped")
		assert.Equal(t, []string{"@PMG#_send"}, live.Access().GroupsOf("dan"))
		assert.False(t, rep.all()[1].Installed)

		require.NoError(t, live.Reload(ctxT(t)), "a load that starts after the write wins")
		assert.Empty(t, live.Access().GroupsOf("dan"), "the service never had it: Update is local")
		assert.Zero(t, live.View().Writes)
	})

	t.Run("an older load ends first", func(t *testing.T) {
		live, mc, _, _ := newTestLive(t, nil)
		mc.setVersion(1)
		require.NoError(t, live.Reload(ctxT(t)))
		first := live.View()
		mc.setVersion(2)
		require.NoError(t, live.Reload(ctxT(t)))
		assert.Greater(t, live.View().Generation, first.Generation)
		assert.Equal(t, tim.GroupPermission(2), version(live))
	})
}

// TestLiveLoadDuringApply: a load that ends while Live.Apply runs may
// have seen part of the plan, and is dropped; the patch shows the plan at
// once, and the reload Apply asks for confirms it.
func TestLiveLoadDuringApply(t *testing.T) {
	live, mc, clk, rep := newTestLive(t, nil)
	in, out := make(chan struct{}), make(chan struct{})
	mc.writeGate = func(context.Context) error {
		close(in)
		<-out
		return nil
	}
	plan := &community.Plan{GroupID: "@TGS#_c", Ops: []community.Op{
		{Kind: community.KindAddMembers, PermissionGroupID: "@PMG#_send", Accounts: []string{"dan"}},
	}}
	type applied struct {
		res *community.Result
		err error
	}
	done := make(chan applied)
	go func() {
		res, err := live.Apply(context.Background(), plan, nil)
		done <- applied{res, err}
	}()
	<-in // the write is under way
	before := live.View()
	require.NoError(t, live.Reload(ctxT(t)))
	assert.Same(t, before, live.View(), "a load that ends during Apply is dropped")
	assert.False(t, rep.all()[1].Installed)

	close(out)
	got := <-done
	require.NoError(t, got.err)
	assert.True(t, got.res.Complete())
	assert.Equal(t, []string{"@PMG#_send"}, live.Access().GroupsOf("dan"), "visible at once")
	assert.Equal(t, 1, live.View().Writes)
	assert.Len(t, rep.all(), 2, "no reload made it visible")

	clk.waitTimers(t, 2) // the interval, then Apply's refresh
	clk.Advance(liveDebounce)
	r := rep.wait(t, 3)[2]
	assert.Equal(t, community.ReasonRefresh, r.Reason)
	assert.True(t, r.Installed)
	assert.Equal(t, []string{"@PMG#_send"}, live.Access().GroupsOf("dan"), "confirmed by the reload")
	assert.Zero(t, live.View().Writes)

	_, err := live.Apply(ctxT(t), &community.Plan{GroupID: "@TGS#_other"}, nil)
	assert.ErrorContains(t, err, "the plan is for @TGS#_other")
	_, err = live.Apply(ctxT(t), nil, nil)
	assert.Error(t, err)
}

// TestLiveRacingLoads: many loads race each other while the service's data
// changes. Whoever's Reload returns sees data at least as new as when it
// was called, and readers never see the generation go back. Run it with
// -race.
func TestLiveRacingLoads(t *testing.T) {
	live, mc, _, _ := newTestLive(t, nil)
	var server atomic.Uint64 // the version the service holds
	mc.setVersion(0)
	mc.infoGate = func(ctx context.Context, _ tim.GroupPermission) error {
		time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond) // shuffle the loads
		return nil
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the service's data changes all the time
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			mc.setVersion(tim.GroupPermission(server.Add(1)))
			time.Sleep(50 * time.Microsecond)
		}
	}()
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() { // readers: lock-free, never going back
			defer readers.Done()
			last := uint64(0)
			for {
				select {
				case <-stop:
					return
				default:
				}
				v := live.View()
				assert.GreaterOrEqual(t, v.Generation, last)
				last = v.Generation
				_ = v.Access.Topic("bea", topicA).Permission
			}
		}()
	}
	var loaders sync.WaitGroup
	for range 8 {
		loaders.Add(1)
		go func() {
			defer loaders.Done()
			for range 25 {
				before := *mc.snap.Load().DefaultPermission // what the service holds now
				if !assert.NoError(t, live.Reload(context.Background())) {
					return
				}
				assert.GreaterOrEqual(t, version(live), before, "a reload never leaves data older than its call")
			}
		}()
	}
	live.Refresh()
	loaders.Wait()
	close(stop)
	wg.Wait()
	readers.Wait()
}
