package community_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// liveOnFake starts a Live on the demo community of exampleFakeWith, with
// a fake clock for its reloads; the fake sends its callbacks to a
// callback.Handler wired to the Live with callback.OnEvent.
func liveOnFake(t *testing.T) (*community.Live, *timtest.Server, *tim.Client, *fakeClock, *reports) {
	t.Helper()
	var live atomic.Pointer[community.Live]
	const token = "live-test-token"
	app := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, token,
		callback.OnEvent(func(ctx context.Context, e callback.Event) error { return live.Load().HandleCallback(ctx, e) }),
		callback.OnError(func(ctx context.Context, err error) { t.Errorf("callback: %v", err) })))
	t.Cleanup(app.Close)
	srv, client := exampleFakeWith(timtest.WithCallback(app.URL+"/tim/callback", token))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { client.Close() })
	clk, rep := newFakeClock(), &reports{}
	l, err := community.NewLive(ctxT(t), client, demo, &community.LiveOptions{Interval: liveInterval, Debounce: liveDebounce,
		Now: clk.Now, After: clk.After, OnReload: rep.add})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close(context.Background()) })
	live.Store(l)
	clk.waitTimers(t, 1)
	return l, srv, client, clk, rep
}

// reads counts the fake's permission-group reads.
func reads(srv *timtest.Server) int { return len(srv.RequestsFor(tim.CommandGetPermissionGroup)) }

// TestLiveApplyVisibleAtOnce: a plan applied through the Live shows in its
// answers when Apply returns, before any read; the reload it asks for
// confirms it.
func TestLiveApplyVisibleAtOnce(t *testing.T) {
	live, srv, _, clk, rep := liveOnFake(t)
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "permission_groups": [
		{"id": "@PMG#_mods", "name": "Moderators", "permission": ["MuteMembers", "BanMembers", "RecallMessages"], "members": ["alice", "dave"]},
		{"id": "@PMG#_speakers", "name": "Speakers", "permission": ["SendMessage"], "members": ["bob"],
		 "topics": {"@TGS#_demo@TOPIC#_general": ["SendMessage"]}},
		{"id": "@PMG#_news", "name": "Newsroom", "permission": ["AtAll"], "members": ["carol"]}]}`))
	require.NoError(t, err)
	plan, err := community.Diff(live.View().Snapshot, spec)
	require.NoError(t, err)
	readsBefore := reads(srv)

	res, err := live.Apply(ctxT(t), plan, nil)
	require.NoError(t, err)
	require.True(t, res.Complete())
	a := live.Access()
	assert.Equal(t, []string{"@PMG#_mods"}, a.GroupsOf("dave"))
	assert.Equal(t, []string{"@PMG#_news"}, a.GroupsOf("carol"))
	assert.True(t, a.Topic("dave", demoNews).Permission.Has(tim.TopicPermRecallMessages), "a new community bit, in every topic")
	assert.False(t, a.Topic("bob", demoNews).Permission.Has(tim.TopicPermAtAll), "bob's grant in news is gone")
	assert.Equal(t, 1, live.View().Writes)
	assert.Equal(t, readsBefore, reads(srv), "no read made it visible")
	again, err := community.Diff(live.View().Snapshot, spec)
	require.NoError(t, err)
	assert.True(t, again.Empty(), "the view is what the spec says")

	clk.waitTimers(t, 2) // Apply's refresh
	clk.Advance(liveDebounce)
	got := rep.wait(t, 2)[1]
	assert.Equal(t, community.ReasonRefresh, got.Reason)
	assert.True(t, got.Installed)
	assert.Zero(t, live.View().Writes)
	again, err = community.Diff(live.View().Snapshot, spec)
	require.NoError(t, err)
	assert.True(t, again.Empty(), "the reload confirms it")
}

// TestLiveCallbacks: the fake's callbacks, through a callback.Handler,
// patch the view at once and bring one reload per burst.
func TestLiveCallbacks(t *testing.T) {
	live, srv, client, clk, rep := liveOnFake(t)
	ctx := ctxT(t)
	require.Equal(t, []string{"@PMG#_speakers"}, live.Access().GroupsOf("bob"))

	// Members who are in permission groups leave: patched at once, then one
	// reload for the burst.
	for _, a := range []string{"bob", "carol"} {
		_, err := client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{GroupID: demo, Accounts: []string{a}})
		require.NoError(t, err)
	}
	require.NoError(t, srv.WaitCallbacks(ctx))
	assert.Empty(t, live.Access().GroupsOf("bob"))
	assert.Empty(t, live.Access().GroupsOf("carol"))
	assert.Equal(t, 2, live.View().Writes, "two patches")
	assert.Len(t, rep.all(), 1, "no reload yet")
	clk.waitTimers(t, 2) // the debounce
	clk.Advance(liveDebounce)
	got := rep.wait(t, 2)[1]
	assert.Equal(t, community.ReasonRefresh, got.Reason)
	assert.True(t, got.Installed)
	assert.Empty(t, live.Access().GroupsOf("bob"), "the reload confirms the inferred removal")
	assert.Zero(t, live.View().Writes)
	clk.waitTimers(t, 3)

	// A member in no group leaves, members join: nothing a snapshot holds
	// changes, so no patch and no reload.
	view := live.View()
	_, err := client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{GroupID: demo, Accounts: []string{"dave"}})
	require.NoError(t, err)
	_, err = client.AddGroupMembers(ctx, &tim.AddGroupMembersRequest{GroupID: demo, Accounts: []string{"erin"}})
	require.NoError(t, err)
	require.NoError(t, srv.WaitCallbacks(ctx))
	assert.Same(t, view, live.View())

	// A topic is made: it is in the view at once (with the callback's
	// name), and a reload is asked for.
	later := demo + "@TOPIC#_later"
	_, err = client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: demo, TopicID: later, Name: "later", Introduction: "soon"})
	require.NoError(t, err)
	require.NoError(t, srv.WaitCallbacks(ctx))
	var sent []string
	for _, c := range srv.Callbacks() {
		sent = append(sent, c.Command)
	}
	// A before-callback goes out at once, maybe ahead of the after-callbacks queued before it.
	assert.ElementsMatch(t, []string{callback.CommandAfterMemberExit, callback.CommandAfterMemberExit, callback.CommandAfterMemberExit,
		callback.CommandAfterNewMemberJoin, callback.CommandBeforeCreateTopic, callback.CommandAfterCreateTopic}, sent, "the fake sent them")
	assert.Equal(t, &community.Topic{ID: later, Name: "later"}, live.View().Snapshot.Topic(later), "patched at once")
	assert.Equal(t, 1, live.View().Writes)
	clk.waitTimers(t, 4)

	// A topic is destroyed: its grants go at once.
	clk.Advance(liveDebounce)
	rep.wait(t, 3)
	assert.Equal(t, &community.Topic{ID: later, Name: "later", Introduction: "soon"}, live.View().Snapshot.Topic(later), "the reload read it whole")
	clk.waitTimers(t, 5)
	require.Contains(t, live.View().Snapshot.PermissionGroup("@PMG#_mods").Topics, demoGeneral)
	_, err = client.DestroyTopics(ctx, &tim.DestroyTopicsRequest{GroupID: demo, TopicIDs: []string{demoGeneral}})
	require.NoError(t, err)
	require.NoError(t, srv.WaitCallbacks(ctx))
	assert.NotContains(t, live.View().Snapshot.PermissionGroup("@PMG#_mods").Topics, demoGeneral)
	assert.Nil(t, live.View().Snapshot.Topic(demoGeneral), "the topic too")
	assert.Equal(t, 1, live.View().Writes)
	assert.Equal(t, tim.TopicPermMuteMembers|tim.TopicPermReadHistory, live.Access().Topic("alice", demoGeneral).Permission,
		"only the community bits are left there")
	clk.waitTimers(t, 6)
	clk.Advance(liveDebounce)
	rep.wait(t, 4)
	clk.waitTimers(t, 7)

	// The group's info changes: a reload, since the switch or the default
	// may have too.
	require.NoError(t, client.ModifyGroupBaseInfo(ctx, &tim.ModifyGroupBaseInfoRequest{GroupID: demo, Notification: tim.Ptr("Be kind")}))
	require.NoError(t, srv.WaitCallbacks(ctx))
	clk.waitTimers(t, 8)
	clk.Advance(liveDebounce)
	assert.Equal(t, community.ReasonRefresh, rep.wait(t, 5)[4].Reason)

	// Another community's events are not ours.
	view = live.View()
	require.NoError(t, live.HandleCallback(ctx, &callback.AfterMemberExit{GroupID: "@TGS#_other", Accounts: []string{"alice"}}))
	require.NoError(t, live.HandleCallback(ctx, &callback.AfterTopicDestroyed{GroupID: "@TGS#_other", TopicIDs: []string{demoNews}}))
	require.NoError(t, live.HandleCallback(ctx, &callback.Meta{Command: "Group.CallbackAfterSendMsg"}))
	assert.Same(t, view, live.View())
}

// TestLiveApplyTopicsAndSettings: the settings and topics a plan applied
// through the Live changes show in its view when Apply returns, before any
// read.
func TestLiveApplyTopicsAndSettings(t *testing.T) {
	live, srv, _, _, _ := liveOnFake(t)
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo",
		"settings": {"default_permission": ["ReadHistory", "SendMessage"]},
		"topics": [{"id": "@TGS#_demo@TOPIC#_events", "name": "Events", "mute_all": true}, {"id": "@TGS#_demo@TOPIC#_general", "name": "General"}],
		"permission_groups": [{"id": "@PMG#_hosts", "name": "Hosts", "permission": [], "members": ["dave"],
		 "topics": {"@TGS#_demo@TOPIC#_events": ["AtAll"]}}]}`))
	require.NoError(t, err)
	plan, err := community.Diff(live.View().Snapshot, spec)
	require.NoError(t, err)
	readsBefore := len(srv.RequestsFor(tim.CommandGetTopic)) + len(srv.RequestsFor(tim.CommandGetGroupInfo))

	res, err := live.Apply(ctxT(t), plan, nil)
	require.NoError(t, err)
	require.True(t, res.Complete())
	v := live.View()
	assert.Equal(t, &community.Topic{ID: demo + "@TOPIC#_events", Name: "Events", MuteAll: true}, v.Snapshot.Topic(demo+"@TOPIC#_events"))
	assert.Equal(t, "General", v.Snapshot.Topic(demoGeneral).Name)
	assert.Equal(t, tim.GroupPermReadHistory|tim.GroupPermSendMessage, *v.Snapshot.DefaultPermission)
	assert.True(t, live.Access().Topic("dave", demo+"@TOPIC#_events").Permission.Has(tim.TopicPermAtAll))
	assert.True(t, live.Access().Community("erin").Permission.Has(tim.GroupPermSendMessage), "the new default, for anyone")
	assert.Equal(t, readsBefore, len(srv.RequestsFor(tim.CommandGetTopic))+len(srv.RequestsFor(tim.CommandGetGroupInfo)), "no read made it visible")
	again, err := community.Diff(v.Snapshot, spec)
	require.NoError(t, err)
	assert.True(t, again.Empty(), "%s", again)
}

// The callback of a topic the plan itself creates can come while Live.Apply
// runs (the fake sends it once create_topic is answered): it must not stop
// Apply's patch from fitting, which would leave the view without the plan's
// changes until a reload.
func TestLiveApplyOwnTopicCallbackDuringApply(t *testing.T) {
	live, _, _, _, _ := liveOnFake(t)
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo",
		"topics": [{"id": "@TGS#_demo@TOPIC#_events", "name": "Events", "mute_all": true}, {"id": "@TGS#_demo@TOPIC#_general", "name": "General"}], "permission_groups": []}`))
	require.NoError(t, err)
	plan, err := community.Diff(live.View().Snapshot, spec)
	require.NoError(t, err)
	ctx := ctxT(t)
	opts := &community.ApplyOptions{Concurrency: 1, OnOutcome: func(o community.Outcome) {
		if o.Op.Kind == community.KindCreateTopic && o.Status == community.Applied {
			require.NoError(t, live.HandleCallback(ctx, &callback.AfterCreateTopic{GroupID: demo, TopicID: o.Op.TopicID, Name: "Events"}))
		}
	}}
	res, err := live.Apply(ctx, plan, opts)
	require.NoError(t, err)
	require.True(t, res.Complete())
	v := live.View()
	assert.Equal(t, &community.Topic{ID: demo + "@TOPIC#_events", Name: "Events", MuteAll: true}, v.Snapshot.Topic(demo+"@TOPIC#_events"))
	assert.Equal(t, "General", v.Snapshot.Topic(demoGeneral).Name)
}
