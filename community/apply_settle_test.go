package community_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// TestApplyConvergesThroughLostAnswers: the answer of a write is lost after
// the fake applied it (or the connection drops before it runs). One Apply
// settles it in the same run and succeeds; nothing is applied twice; the
// community then matches the spec. The client does not retry, so that
// every lost answer reaches Apply (with the default policy the client
// itself retries the idempotent writes: modify, set, delete members).
func TestApplyConvergesThroughLostAnswers(t *testing.T) {
	spec := &community.Spec{GroupID: ac, Prune: true, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_base", Name: "Renamed", Permission: tim.GroupPermSendMessage,
			Topics:  map[string]tim.TopicPermission{topicID(0): tim.TopicPermAtAll, topicID(1): tim.TopicPermSendMessage},
			Members: []string{"m0001", "m0002"}},
		{ID: "@PMG#_new", Name: "New", Topics: map[string]tim.TopicPermission{topicID(2): tim.TopicPermAtAll}, Members: []string{"m0003"}},
	}}
	for _, tc := range []struct {
		command string
		fault   timtest.Fault
	}{
		{tim.CommandCreatePermissionGroup, timtest.Fault{Drop: true, AfterApply: true}},
		{tim.CommandAddPermissionGroupMember, timtest.Fault{Drop: true, AfterApply: true}},
		{tim.CommandDeletePermissionGroupMember, timtest.Fault{Drop: true, AfterApply: true}},
		{tim.CommandModifyPermissionGroup, timtest.Fault{Drop: true, AfterApply: true}},
		{tim.CommandModifyPermissionGroup, timtest.Fault{Drop: true}},
		{tim.CommandAddTopicPermissionGroup, timtest.Fault{Drop: true, AfterApply: true}},
		{tim.CommandSetTopicPermissionGroup, timtest.Fault{Drop: true, AfterApply: true}},
		{tim.CommandSetTopicPermissionGroup, timtest.Fault{Status: 502}},
		{tim.CommandDestroyPermissionGroup, timtest.Fault{Drop: true, AfterApply: true}},
	} {
		name := tc.command
		if tc.fault.AfterApply {
			name += " applied, answer lost"
		} else {
			name += " not applied, answer lost"
		}
		t.Run(name, func(t *testing.T) {
			srv, client := applyWorld(t)
			_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_old", Name: "Old"})
			require.NoError(t, err)
			snap, plan := planFor(t, client, spec)
			client, err = srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			defer client.Close()
			require.NoError(t, srv.FailNext(tc.command, 1, tc.fault))
			srv.ResetRequests()
			res, err := community.Apply(ctxT(t), client, plan, nil)
			require.NoError(t, err, "%s", res)
			settled := false
			for _, o := range res.Outcomes {
				assert.Equal(t, community.Applied, o.Status, "%s", o)
				settled = settled || o.Note != ""
			}
			assert.True(t, settled, "an outcome says what settled the lost answer:\n%s", res)
			assert.Empty(t, newModel(snap).replay(srv.Requests()), "nothing applied twice")
			assert.Greater(t, res.Calls, plan.Summary().Calls, "the settling costs a call or two")
			requireConverged(t, client, spec)
		})
	}
}

// gate wraps a Client: the first member add waits until released, and
// signals when it has been sent.
type gate struct {
	community.Client
	sent    chan struct{}
	release chan struct{}
	once    sync.Once
	mu      sync.Mutex
	after   []string // the commands sent after the first member add
	opened  bool
}

func (g *gate) AddPermissionGroupMembers(ctx context.Context, req *tim.PermissionGroupMembersRequest) ([]tim.ItemResult, error) {
	first := false
	g.once.Do(func() { first = true })
	if !first {
		g.note(tim.CommandAddPermissionGroupMember)
		return g.Client.AddPermissionGroupMembers(ctx, req)
	}
	res, err := g.Client.AddPermissionGroupMembers(ctx, req) // applied at the fake
	close(g.sent)
	<-g.release // the answer is still on its way when Stop comes
	g.mu.Lock()
	g.opened = true
	g.mu.Unlock()
	return res, err
}

func (g *gate) CreatePermissionGroup(ctx context.Context, req *tim.CreatePermissionGroupRequest) (string, error) {
	g.note(tim.CommandCreatePermissionGroup)
	return g.Client.CreatePermissionGroup(ctx, req)
}

func (g *gate) note(command string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.opened || g.sent != nil && isClosed(g.sent) {
		g.after = append(g.after, command)
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// TestApplyStopLetsSentWritesFinish: when Stop is closed while a write is
// in flight, Apply starts nothing new, waits for that write's answer and
// reports it applied (not unknown); the rest is not attempted.
func TestApplyStopLetsSentWritesFinish(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage, Members: []string{"m0000", "m0001", "m0002"}},
		{ID: "@PMG#_c", Name: "C"}, {ID: "@PMG#_d", Name: "D"}, {ID: "@PMG#_e", Name: "E"},
	}}
	_, plan := planFor(t, client, spec)
	require.Equal(t, community.KindAddMembers, plan.Ops[0].Kind)
	g := &gate{Client: client, sent: make(chan struct{}), release: make(chan struct{})}
	stop := make(chan struct{})
	go func() {
		<-g.sent
		close(stop)
		time.Sleep(50 * time.Millisecond) // Apply has seen Stop by now; then the answer arrives
		close(g.release)
	}()
	res, err := community.Apply(ctxT(t), g, plan, &community.ApplyOptions{Concurrency: 1, Stop: stop})
	require.Error(t, err)
	assert.ErrorIs(t, err, community.ErrStopped)
	assert.Equal(t, community.Applied, res.Outcomes[0].Status, "the write in flight finished: %s", res.Outcomes[0])
	assert.Equal(t, []string{"m0002"}, res.Outcomes[0].Done)
	for _, o := range res.Outcomes[1:] {
		assert.Equal(t, community.NotAttempted, o.Status, "%s", o)
	}
	assert.Empty(t, g.after, "nothing was sent after Stop")
	members, err := srv.PermissionGroupMembers(ac, "@PMG#_base")
	require.NoError(t, err)
	assert.Equal(t, []string{"m0000", "m0001", "m0002"}, members)
}

// TestApplyFailureLeavesTheRestUnsent: the first chunk of a member add is
// refused; the operation's other chunks are not sent and say so (the
// operation is not reported applied because the chunks that did not run
// had no answer).
func TestApplyFailureLeavesTheRestUnsent(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage, Members: accounts("m", 252)},
	}}
	_, plan := planFor(t, client, spec)
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Code: tim.ErrInvalidParameter}))
	res, err := community.Apply(ctxT(t), client, plan, &community.ApplyOptions{Concurrency: 1})
	require.Error(t, err)
	out := res.Outcomes[0]
	assert.Equal(t, community.Failed, out.Status)
	assert.Len(t, out.Failed, 100)
	assert.Len(t, out.NotSent, 150)
	assert.Empty(t, out.Done)
	assert.Len(t, srv.RequestsFor(tim.CommandAddPermissionGroupMember), 1)
}
