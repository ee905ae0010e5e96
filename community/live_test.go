package community_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/community"
)

const (
	liveInterval = time.Minute
	liveDebounce = time.Second
)

// newTestLive starts a Live on a memClient serving accessSnapshot (version
// = the default permission, ReadHistory), with a fake clock, a one-minute
// interval with 10% jitter and a one-second debounce.
func newTestLive(t *testing.T, opts *community.LiveOptions) (*community.Live, *memClient, *fakeClock, *reports) {
	t.Helper()
	mc := newMemClient(accessSnapshot())
	clk := newFakeClock()
	rep := &reports{}
	o := community.LiveOptions{Interval: liveInterval, Jitter: 0.1, Debounce: liveDebounce}
	if opts != nil {
		o = *opts
	}
	o.Now, o.After, o.OnReload = clk.Now, clk.After, rep.add
	live, err := community.NewLive(ctxT(t), mc, "@TGS#_c", &o)
	require.NoError(t, err)
	t.Cleanup(func() { live.Close(context.Background()) })
	return live, mc, clk, rep
}

// version is the default permission of the view: what the test's memClient
// served when the view's load read it.
func version(l *community.Live) tim.GroupPermission { return *l.View().Snapshot.DefaultPermission }

func TestLiveStart(t *testing.T) {
	live, mc, clk, rep := newTestLive(t, nil)
	v := live.View()
	assert.Equal(t, "@TGS#_c", live.GroupID())
	assert.Equal(t, 3, len(v.Snapshot.PermissionGroups))
	assert.Same(t, v.Access, live.Access())
	assert.Equal(t, tim.GroupPermReadHistory|tim.GroupPermSendMessage, live.Access().Community("cid").Permission)
	assert.Equal(t, clk.Now(), v.ReadAt)
	assert.Zero(t, live.Age())
	assert.NoError(t, live.Err())
	assert.Equal(t, []community.ReloadReport{{Reason: community.ReasonStart, Installed: true, Generation: v.Generation,
		Calls: int(mc.calls.Load())}}, rep.all())
	assert.Equal(t, 1+1+1+3+3, int(mc.calls.Load()), "info, topics, one page of groups, and per group its topics and members")
	clk.Advance(10 * time.Second)
	assert.Equal(t, 10*time.Second, live.Age())
}

func TestNewLiveRefuses(t *testing.T) {
	_, err := community.NewLive(ctxT(t), nil, "@TGS#_c", nil)
	assert.ErrorContains(t, err, "nil Client")
	mc := newMemClient(accessSnapshot())
	for _, o := range []community.LiveOptions{{Interval: -1}, {Retry: -1}, {Jitter: 1.5}, {Now: time.Now}} {
		_, err := community.NewLive(ctxT(t), mc, "@TGS#_c", &o)
		assert.Error(t, err, "%+v", o)
	}
	assert.Zero(t, mc.calls.Load(), "nothing sent for bad options")

	mc.failWith(tim.ErrInternal)
	_, err = community.NewLive(ctxT(t), mc, "@TGS#_c", nil)
	var le *community.LoadError
	assert.ErrorAs(t, err, &le, "the first load's error")
	_, err = community.NewLive(ctxT(t), mc, "not a community", nil)
	assert.Error(t, err)
}

// TestLiveIntervalReload: a reload comes when the jittered interval has
// passed, not before, and serves what the service holds then.
func TestLiveIntervalReload(t *testing.T) {
	live, mc, clk, rep := newTestLive(t, nil)
	clk.waitTimers(t, 1)
	due := clk.next()
	assert.GreaterOrEqual(t, due, liveInterval*9/10, "jitter: at most 10% early")
	assert.LessOrEqual(t, due, liveInterval*11/10, "jitter: at most 10% late")

	mc.setVersion(tim.GroupPermSendMessage)
	clk.Advance(due - time.Millisecond)
	assert.Len(t, rep.all(), 1, "not due yet")
	first := live.View()

	clk.Advance(time.Millisecond)
	got := rep.wait(t, 2)[1]
	assert.Equal(t, community.ReasonInterval, got.Reason)
	assert.True(t, got.Installed)
	assert.Equal(t, tim.GroupPermSendMessage, version(live))
	assert.Greater(t, live.View().Generation, first.Generation)
	assert.Equal(t, tim.TopicPermSendMessage, live.Access().Topic("dan", topicA).Permission, "the new default reaches every topic")
	assert.Equal(t, tim.TopicPermReadHistory, first.Access.Topic("dan", topicA).Permission, "an old view never changes")
	assert.Zero(t, live.Age())

	clk.waitTimers(t, 2) // and the next interval is set
	clk.Advance(liveInterval * 11 / 10)
	assert.Equal(t, community.ReasonInterval, rep.wait(t, 3)[2].Reason)
}

// TestLiveReloadFailure: a failed reload keeps the last good view, reports
// the error, and retries after 2 s, 4 s, … up to the interval.
func TestLiveReloadFailure(t *testing.T) {
	live, mc, clk, rep := newTestLive(t, &community.LiveOptions{Interval: liveInterval, Jitter: -1, Retry: 2 * time.Second})
	good := live.View()
	mc.failWith(tim.ErrInternal)
	clk.waitTimers(t, 1)
	clk.Advance(liveInterval)
	rep.wait(t, 2)
	assert.Same(t, good, live.View(), "the last good view")
	var re *community.ReloadError
	require.ErrorAs(t, live.Err(), &re)
	assert.Equal(t, 1, re.Failures)
	assert.Equal(t, good.ReadAt.Add(liveInterval), re.Since)
	assert.ErrorIs(t, live.Err(), tim.ErrInternal)
	assert.Contains(t, live.Err().Error(), "1 failed in a row since 2025-01-01T00:01:00Z, serving the last good view")

	for i, wait := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, liveInterval, liveInterval} {
		clk.waitTimers(t, 2+i)
		assert.Equal(t, wait, clk.next(), "retry %d", i+1)
		clk.Advance(wait)
		got := rep.wait(t, 3+i)[2+i]
		assert.Equal(t, community.ReasonRetry, got.Reason)
		require.ErrorAs(t, live.Err(), &re)
		assert.Equal(t, 2+i, re.Failures)
		assert.Equal(t, good.ReadAt.Add(liveInterval), re.Since, "since the first failure")
	}
	clk.waitTimers(t, 9)
	live.Refresh() // served by the retry, not at once
	mc.failWith(nil)
	assert.Equal(t, liveInterval, clk.next())
	clk.Advance(liveInterval)
	got := rep.wait(t, 10)[9]
	assert.True(t, got.Installed)
	assert.NoError(t, live.Err())
	clk.waitTimers(t, 10)
	assert.Equal(t, liveInterval, clk.next(), "back to the interval")
	assert.Len(t, rep.all(), 10, "no refresh left over")
}

// TestLiveRefreshDebounces: a burst of Refresh makes one reload, after the
// debounce; requests during a reload make one more.
func TestLiveRefreshDebounces(t *testing.T) {
	live, mc, clk, rep := newTestLive(t, nil)
	clk.waitTimers(t, 1)
	for range 5 {
		live.Refresh()
	}
	clk.waitTimers(t, 2) // the interval, then the debounce
	clk.Advance(liveDebounce / 2)
	live.Refresh()
	assert.Len(t, rep.all(), 1)
	clk.Advance(liveDebounce / 2)
	got := rep.wait(t, 2)[1]
	assert.Equal(t, community.ReasonRefresh, got.Reason)
	clk.waitTimers(t, 3)
	assert.Len(t, rep.all(), 2, "one reload for six requests")
	assert.Greater(t, clk.next(), liveInterval/2, "the interval restarts after a refresh")

	// Requests while a reload runs make one reload after it.
	// The first reload from here on waits at the gate until the test has
	// seen it there (a send that could be skipped would let a reload that
	// came first pass, and the test wait for ever).
	block, release := make(chan struct{}), make(chan struct{})
	var gate sync.Once
	mc.infoGate = func(ctx context.Context, _ tim.GroupPermission) error {
		gate.Do(func() {
			block <- struct{}{}
			<-release
		})
		return nil
	}
	live.Refresh()
	clk.waitTimers(t, 4)
	clk.Advance(liveDebounce)
	<-block // the reload is under way
	for range 3 {
		live.Refresh()
	}
	close(release)
	rep.wait(t, 3)
	clk.waitTimers(t, 6) // the interval, then the debounce of the requests made meanwhile
	clk.Advance(liveDebounce)
	rep.wait(t, 4)
	clk.waitTimers(t, 7)
	assert.Len(t, rep.all(), 4)
}

// TestLiveNoDebounce: with a negative Debounce, Refresh reloads at once.
func TestLiveNoDebounce(t *testing.T) {
	live, mc, _, rep := newTestLive(t, &community.LiveOptions{Interval: liveInterval, Debounce: -1})
	mc.setVersion(tim.GroupPermAtAll)
	live.Refresh()
	assert.Equal(t, community.ReasonRefresh, rep.wait(t, 2)[1].Reason)
	assert.Equal(t, tim.GroupPermAtAll, version(live))
}

func TestLiveUpdate(t *testing.T) {
	live, _, _, rep := newTestLive(t, nil)
	before := live.View()
	require.NoError(t, live.Update(func(s *community.Snapshot) error {
		g := s.PermissionGroup("@PMG#_send")
		g.Members = append(g.Members, "dan")
		s.PermissionGroups = append(s.PermissionGroups, community.PermissionGroup{ID: "@PMG#_a_new", Members: []string{"zed"}})
		return nil
	}))
	after := live.View()
	assert.Equal(t, []string{"@PMG#_send"}, live.Access().GroupsOf("dan"), "visible at once")
	assert.Equal(t, "@PMG#_a_new", after.Snapshot.PermissionGroups[0].ID, "sorted again")
	assert.Equal(t, []string{"bea", "cid"}, before.Snapshot.PermissionGroup("@PMG#_send").Members, "the old view is untouched")
	assert.Empty(t, before.Access.GroupsOf("dan"))
	assert.Greater(t, after.Generation, before.Generation)
	assert.Equal(t, 1, after.Writes)
	assert.Equal(t, before.ReadAt, after.ReadAt, "a write does not make the data younger")
	assert.Len(t, rep.all(), 1, "no call")

	oops := errors.New("oops")
	assert.ErrorIs(t, live.Update(func(s *community.Snapshot) error { s.Owner = "x"; return oops }), oops)
	assert.ErrorContains(t, live.Update(func(s *community.Snapshot) error { s.GroupID = "@TGS#_other"; return nil }), "GroupID changed")
	assert.Same(t, after, live.View(), "nothing installed")

	require.NoError(t, live.Close(ctxT(t)))
	assert.ErrorIs(t, live.Update(func(*community.Snapshot) error { return nil }), community.ErrLiveClosed)
	assert.ErrorIs(t, live.Reload(ctxT(t)), community.ErrLiveClosed)
	_, err := live.Apply(ctxT(t), &community.Plan{GroupID: "@TGS#_c"}, nil)
	assert.ErrorIs(t, err, community.ErrLiveClosed)
	assert.Same(t, after, live.View(), "still readable")
	live.Refresh() // does nothing
	require.NoError(t, live.Close(ctxT(t)), "idempotent")
}

// TestLivePatchIndex: the index a callback's patch builds (by copying the
// view's index, not rebuilding it) answers as NewAccess of the patched
// snapshot does, and the view before is untouched.
func TestLivePatchIndex(t *testing.T) {
	live, _, _, _ := newTestLive(t, nil)
	ctx := ctxT(t)
	before := live.View()
	require.NoError(t, live.HandleCallback(ctx, &callback.AfterMemberExit{GroupID: "@TGS#_c", Accounts: []string{"bea", "dan", "nobody"}}))
	require.NoError(t, live.HandleCallback(ctx, &callback.AfterTopicDestroyed{GroupID: "@TGS#_c", TopicIDs: []string{topicA, topicC}}))
	require.NoError(t, live.HandleCallback(ctx, &callback.AfterCreateTopic{GroupID: "@TGS#_c", TopicID: "@TGS#_c@TOPIC#_new", Name: "new"}))
	after := live.View()
	assert.Equal(t, 3, after.Writes)
	assert.Equal(t, community.TopicMissing, after.Access.Topic("ann", topicA).Topic, "destroyed")
	assert.Equal(t, community.TopicExists, after.Access.Topic("ann", "@TGS#_c@TOPIC#_new").Topic, "created")
	assert.NotContains(t, after.Snapshot.PermissionGroup("@PMG#_send").Topics, topicA)
	assert.Equal(t, []string{"cid"}, after.Snapshot.PermissionGroup("@PMG#_send").Members)
	rebuilt := community.NewAccess(after.Snapshot)
	for _, account := range []string{"ann", "bea", "cid", "dan", "olga", "admin"} {
		assert.Equal(t, rebuilt.GroupsOf(account), after.Access.GroupsOf(account), account)
		assert.Equal(t, rebuilt.Community(account), after.Access.Community(account), account)
		for _, topic := range []string{topicA, topicB, "@TGS#_c@TOPIC#_new"} {
			assert.Equal(t, rebuilt.Topic(account, topic), after.Access.Topic(account, topic), account+" "+topic)
		}
	}
	assert.Equal(t, []string{"@PMG#_mods", "@PMG#_send"}, before.Access.GroupsOf("bea"), "the view before is untouched")
	assert.Equal(t, []string{"bea", "cid"}, before.Snapshot.PermissionGroup("@PMG#_send").Members)
	assert.Contains(t, before.Snapshot.PermissionGroup("@PMG#_mods").Topics, topicA)
	assert.Equal(t, tim.TopicPermMuteMembers|tim.TopicPermAtAll|tim.TopicPermReadHistory, before.Access.Topic("ann", topicA).Permission)
}

// TestLiveNilContext: a nil context is refused, not a panic; Close waits
// without bound.
func TestLiveNilContext(t *testing.T) {
	var nilCtx context.Context
	_, err := community.NewLive(nilCtx, newMemClient(accessSnapshot()), "@TGS#_c", nil)
	assert.ErrorContains(t, err, "nil context")
	live, _, _, _ := newTestLive(t, nil)
	assert.ErrorContains(t, live.Reload(nilCtx), "nil context")
	_, err = live.Apply(nilCtx, &community.Plan{GroupID: "@TGS#_c"}, nil)
	assert.ErrorContains(t, err, "nil context")
	assert.NoError(t, live.Close(nilCtx))
}
