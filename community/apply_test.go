package community_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

const ac = "@TGS#_ac" // the community of the apply tests

// applyWorld seeds ac: members m0000…m0299, topics t000…t069, and group
// @PMG#_base (name Base, SendMessage; topic t000: SendMessage; members
// m0000, m0001).
func applyWorld(t *testing.T) (*timtest.Server, *tim.Client) {
	srv, client := newFake(t)
	require.NoError(t, srv.CreateCommunity(ac, "owner"))
	for _, a := range accounts("m", 300) {
		require.NoError(t, srv.AddMember(ac, a, tim.RoleMember))
	}
	for i := range 70 {
		require.NoError(t, srv.CreateTopic(ac, topicID(i)))
	}
	_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage})
	require.NoError(t, err)
	require.NoError(t, srv.SetTopicPermission(ac, "@PMG#_base", topicID(0), tim.TopicPermSendMessage))
	require.NoError(t, srv.AddPermissionGroupMembers(ac, "@PMG#_base", "m0000", "m0001"))
	return srv, client
}

func topicID(i int) string { return fmt.Sprintf("%s@TOPIC#_t%03d", ac, i) }

// planFor loads ac and diffs it with spec.
func planFor(t *testing.T, client *tim.Client, spec *community.Spec) (*community.Snapshot, *community.Plan) {
	t.Helper()
	snap, err := community.Load(ctxT(t), client, ac, nil)
	require.NoError(t, err)
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)
	return snap, plan
}

func requireConverged(t *testing.T, client *tim.Client, spec *community.Spec) {
	t.Helper()
	_, plan := planFor(t, client, spec)
	require.True(t, plan.Empty(), "left to do:\n%s", plan)
}

// TestApplyCallsArePlanned: the writes Apply makes are the plan's count,
// the fewest the split limits allow.
func TestApplyCallsArePlanned(t *testing.T) {
	srv, client := applyWorld(t)
	for i := range 41 {
		_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: fmt.Sprintf("@PMG#_old%02d", i), Name: "Old"})
		require.NoError(t, err)
	}
	big := map[string]tim.TopicPermission{}
	for i := range 70 {
		big[topicID(i)] = tim.TopicPermAtAll
	}
	spec := &community.Spec{GroupID: ac, Prune: true, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage, Topics: big, Members: accounts("m", 300)[2:]}, // 1 set, 69 adds, 2 deletes, 298 adds
		{ID: "@PMG#_new", Name: "New", Topics: big, Members: accounts("m", 201)},
	}}
	_, plan := planFor(t, client, spec)
	want := (1 + 2 + 1 + 3) + (1 + 2 + 3) + 3 // base: set, add 69 topics, delete 2, add 298; new: create, 70 topics, 201 members; 41 destroys
	require.Equal(t, want, plan.Summary().Calls)
	srv.ResetRequests()
	res, err := community.Apply(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	assert.Equal(t, want, writes(srv))
	assert.Equal(t, want, res.Calls)
	assert.Len(t, srv.RequestsFor(tim.CommandDestroyPermissionGroup), 3)
	requireConverged(t, client, spec)
}

// TestApplyAlreadyHolds: answers that show the wanted state holds count as
// done, without a second write of the same change. The plans are made from
// a snapshot, then the fake is changed behind their back.
func TestApplyAlreadyHolds(t *testing.T) {
	base := func(mod func(g *community.GroupSpec)) *community.Spec {
		g := community.GroupSpec{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage}
		mod(&g)
		return &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{g}}
	}
	for _, tc := range []struct {
		name   string
		spec   *community.Spec
		behind func(srv *timtest.Server) error // what changes after the plan
		// the outcome of the plan's only operation, and the requests made
		done, already []string
		requests      []string
		// refused, when the change after the plan is not one the plan
		// shows: the operation fails with ErrChangedSincePlan, and the
		// requests are the planned write and its read back
		refused string
	}{
		{
			name:     "member already added (10013)",
			spec:     base(func(g *community.GroupSpec) { g.Members = []string{"m0000", "m0001", "m0002", "m0003"} }),
			behind:   func(srv *timtest.Server) error { return srv.AddPermissionGroupMembers(ac, "@PMG#_base", "m0002") },
			done:     []string{"m0003"},
			already:  []string{"m0002"},
			requests: []string{tim.CommandAddPermissionGroupMember},
		},
		{
			name: "topic already granted with the wanted value (110010)",
			spec: base(func(g *community.GroupSpec) {
				g.Topics = map[string]tim.TopicPermission{topicID(0): tim.TopicPermSendMessage, topicID(1): tim.TopicPermAtAll}
			}),
			behind: func(srv *timtest.Server) error {
				return srv.SetTopicPermission(ac, "@PMG#_base", topicID(1), tim.TopicPermAtAll)
			},
			already:  []string{topicID(1)},
			requests: []string{tim.CommandAddTopicPermissionGroup, tim.CommandGetTopicPermissionGroup},
		},
		{
			name: "topic granted with another value (110010): refused",
			spec: base(func(g *community.GroupSpec) {
				g.Topics = map[string]tim.TopicPermission{topicID(0): tim.TopicPermSendMessage, topicID(1): tim.TopicPermAtAll}
			}),
			behind: func(srv *timtest.Server) error {
				return srv.SetTopicPermission(ac, "@PMG#_base", topicID(1), tim.TopicPermMuteMembers)
			},
			refused:  "topic " + topicID(1) + " of permission group @PMG#_base was granted MuteMembers by someone else since the plan; plan again",
			requests: []string{tim.CommandAddTopicPermissionGroup, tim.CommandGetTopicPermissionGroup},
		},
		{
			name: "topic to set no longer granted (110011): refused",
			spec: base(func(g *community.GroupSpec) {
				g.Topics = map[string]tim.TopicPermission{topicID(0): tim.TopicPermAtAll}
			}),
			behind:   func(srv *timtest.Server) error { return srv.DeleteTopicPermission(ac, "@PMG#_base", topicID(0)) },
			refused:  "topic " + topicID(0) + " of permission group @PMG#_base was deleted by someone else since the plan; plan again",
			requests: []string{tim.CommandSetTopicPermissionGroup},
		},
		{
			name:     "topic permission already deleted (110014)",
			spec:     base(func(g *community.GroupSpec) { g.Topics = map[string]tim.TopicPermission{} }),
			behind:   func(srv *timtest.Server) error { return srv.DeleteTopicPermission(ac, "@PMG#_base", topicID(0)) },
			already:  []string{topicID(0)},
			requests: []string{tim.CommandDeleteTopicPermissionGroup},
		},
		{
			name:     "group already destroyed (110006)",
			spec:     &community.Spec{GroupID: ac, Prune: true, PermissionGroups: []community.GroupSpec{}},
			behind:   func(srv *timtest.Server) error { return srv.DestroyPermissionGroup(ac, "@PMG#_base") },
			already:  []string{"@PMG#_base"},
			requests: []string{tim.CommandDestroyPermissionGroup},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, client := applyWorld(t)
			_, plan := planFor(t, client, tc.spec)
			require.Len(t, plan.Ops, 1, "%s", plan)
			require.NoError(t, tc.behind(srv))
			srv.ResetRequests()
			res, err := community.Apply(ctxT(t), client, plan, nil)
			var got []string
			for _, r := range srv.Requests() {
				got = append(got, r.Command)
			}
			assert.Equal(t, tc.requests, got, "no write beyond the planned one")
			assert.Equal(t, len(tc.requests), res.Calls)
			out := res.Outcomes[0]
			if tc.refused != "" {
				assert.ErrorIs(t, err, community.ErrChangedSincePlan)
				assert.ErrorContains(t, err, tc.refused)
				assert.Equal(t, community.Failed, out.Status)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, community.Applied, out.Status)
			assert.Equal(t, tc.done, out.Done)
			assert.Equal(t, tc.already, out.AlreadyDone)
			requireConverged(t, client, tc.spec)
		})
	}
}

// TestApplyTakeover: a create answered 10021 reads the group back. Someone
// else's group (other fields, members, a topic grant) fails the operation,
// "created by someone else since the plan", and nothing of it is changed:
// the plan showed a create, not a takeover.
func TestApplyTakeover(t *testing.T) {
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{{
		ID: "@PMG#_x", Name: "X", Permission: tim.GroupPermSendMessage, Members: []string{"m0001"},
	}}}
	srv, client := applyWorld(t)
	_, plan := planFor(t, client, spec)
	require.Len(t, plan.Ops, 2, "%s", plan) // create, add members
	require.Equal(t, 2, plan.Summary().Calls)
	// Operator 2 creates @PMG#_x meanwhile, with bob, carol and a grant.
	_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_x", Name: "Theirs", Permission: tim.GroupPermAtAll})
	require.NoError(t, err)
	require.NoError(t, srv.AddPermissionGroupMembers(ac, "@PMG#_x", "m0002", "m0003"))
	require.NoError(t, srv.SetTopicPermission(ac, "@PMG#_x", topicID(1), tim.TopicPermAtAll))
	srv.ResetRequests()

	res, err := community.Apply(ctxT(t), client, plan, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, community.ErrChangedSincePlan)
	assert.ErrorContains(t, err, "permission group @PMG#_x was created by someone else since the plan; plan again")
	assert.Equal(t, community.Failed, res.Outcomes[0].Status)
	assert.Equal(t, community.NotAttempted, res.Outcomes[1].Status)
	assert.Equal(t, 1, writes(srv), "the create only: no modify, no member or topic change")
	members, err := srv.PermissionGroupMembers(ac, "@PMG#_x")
	require.NoError(t, err)
	assert.Equal(t, []string{"m0002", "m0003"}, members, "their group is as they made it")
}

// TestApplyAdoptsItsOwnCreate: a create answered 10021 whose group is what
// the create makes (this run's own create, whose answer was lost) counts as
// done, and the plan goes on.
func TestApplyAdoptsItsOwnCreate(t *testing.T) {
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{{
		ID: "@PMG#_x", Name: "X", Permission: tim.GroupPermSendMessage, CustomString: tim.Ptr("c"), Members: []string{"m0001"},
	}}}
	srv, client := applyWorld(t)
	_, plan := planFor(t, client, spec)
	_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_x", Name: "X", Permission: tim.GroupPermSendMessage, CustomString: "c"})
	require.NoError(t, err)
	srv.ResetRequests()
	res, err := community.Apply(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"@PMG#_x"}, res.Outcomes[0].AlreadyDone)
	assert.Contains(t, res.Outcomes[0].Note, "the ID was in use (10021): read back, the group is what this create makes")
	assert.Equal(t, 2, writes(srv), "the create (10021) and the planned add")
	requireConverged(t, client, spec)
}

// TestApplyStops: the first failure stops Apply; the outcomes say what was
// applied, what failed and what was not attempted, and a new plan shows
// only what is left.
func TestApplyStops(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_a", Name: "A", Members: []string{"m0001"}},
		{ID: "@PMG#_b", Name: "B", Members: []string{"m0002"}},
		{ID: "@PMG#_c", Name: "C", Members: []string{"m0003"}},
	}}
	_, plan := planFor(t, client, spec)
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Pass: true}))
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Code: tim.ErrInvalidParameter}))
	var seen []string
	res, err := community.Apply(ctxT(t), client, plan, &community.ApplyOptions{Concurrency: 1, OnOutcome: func(o community.Outcome) {
		seen = append(seen, o.Status.String()+" "+o.Op.Kind.String()+" "+o.Op.PermissionGroupID)
	}})
	var ae *community.ApplyError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, tim.ErrInvalidParameter)
	assert.Equal(t, community.ApplyError{GroupID: ac, Applied: 4, Failed: 1, NotAttempted: 1, Op: &plan.Ops[3], Err: ae.Err}, *ae)
	// One request at a time, in plan order as each becomes possible: the
	// creates first, then each group's member add.
	assert.Equal(t, []string{
		"applied create @PMG#_a", "applied create @PMG#_b", "applied create @PMG#_c", "applied add members @PMG#_a",
		"failed add members @PMG#_b", "not attempted add members @PMG#_c",
	}, seen)
	assert.Equal(t, []string{"m0002"}, res.Outcomes[3].Failed)
	assert.Contains(t, res.String(), "failed         + add members @PMG#_b: 1 account (1 failed) [1 call]: tim: add_permission_group_member: error 10004")
	assert.Contains(t, res.String(), "Apply: 4 applied, 1 failed, 0 unknown, 1 not attempted; 5 API calls.")

	_, left := planFor(t, client, spec)
	assert.Equal(t, []community.Op{plan.Ops[3], plan.Ops[5]}, left.Ops, "what is left")
}

// TestApplyLostAnswerInABatch: of a member add split in three requests,
// one's answer is lost after the fake applied it. Apply sends that chunk
// again, the repeat answers 10013 for each account, and the run converges:
// nothing was added twice.
func TestApplyLostAnswerInABatch(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage, Members: accounts("m", 252)},
	}}
	snap, plan := planFor(t, client, spec)
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Pass: true}))
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Drop: true, AfterApply: true}))
	srv.ResetRequests()
	res, err := community.Apply(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	out := res.Outcomes[0]
	assert.Equal(t, community.Applied, out.Status)
	// The three chunks go out at once, so any of them may be the one whose
	// answer the fake drops: its accounts are answered 10013 on the repeat.
	assert.Len(t, append(out.Done, out.AlreadyDone...), 250)
	assert.Contains(t, []int{50, 100}, len(out.AlreadyDone), "the lost answer's accounts")
	assert.Equal(t, 4, out.Calls)
	assert.Contains(t, out.Note, "a lost answer was settled")
	assert.Len(t, srv.RequestsFor(tim.CommandAddPermissionGroupMember), 4)
	assert.Empty(t, newModel(snap).replay(srv.Requests()), "nothing added twice")
	requireConverged(t, client, spec)
}

// panicky panics in every topic write.
type panicky struct{ community.Client }

func (panicky) AddTopicPermissions(context.Context, *tim.TopicPermissionsRequest) ([]tim.ItemResult, error) {
	panic("panicky: boom")
}

func TestApplyPanic(t *testing.T) {
	_, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_p", Name: "P", Topics: map[string]tim.TopicPermission{topicID(1): 1}},
	}}
	_, plan := planFor(t, client, spec)
	var got any
	func() {
		defer func() { got = recover() }()
		_, _ = community.Apply(ctxT(t), panicky{client}, plan, nil)
	}()
	assert.Equal(t, "panicky: boom", got)
}

func TestApplyCancelled(t *testing.T) {
	_, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{{ID: "@PMG#_x", Name: "X"}}}
	_, plan := planFor(t, client, spec)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := community.Apply(ctx, client, plan, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, community.NotAttempted, res.Outcomes[0].Status)
}
