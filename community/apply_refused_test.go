package community_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// TestApplyRefusedResendAfterALostAnswer: a write's answer is lost, and the
// resend that would settle it is refused (10004). Where the resend goes out
// without a read (creates, adds, deletes, destroys), the first send may
// have applied the write (here it did): the outcome is unknown, for the
// lost answer, never failed. Where a read back came first and showed the
// old values (modify, set, settings), the first send did not apply, and
// the refusal is a failure. Either way no outcome says a lost answer was
// settled.
func TestApplyRefusedResendAfterALostAnswer(t *testing.T) {
	topics := make([]community.TopicSpec, 69) // all of applyWorld's topics but t069
	for i := range topics {
		topics[i] = community.TopicSpec{ID: topicID(i), Name: fmt.Sprintf("t%03d", i)}
	}
	base := func(edit func(g *community.GroupSpec)) []community.GroupSpec {
		g := community.GroupSpec{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage}
		if edit != nil {
			edit(&g)
		}
		return []community.GroupSpec{g}
	}
	for _, tc := range []struct {
		command    string
		spec       community.Spec
		readsFirst bool // the resend follows a read showing the old values
	}{
		{command: tim.CommandCreatePermissionGroup, spec: community.Spec{PermissionGroups: append(base(nil), community.GroupSpec{ID: "@PMG#_new", Name: "New"})}},
		{command: tim.CommandAddPermissionGroupMember, spec: community.Spec{PermissionGroups: base(func(g *community.GroupSpec) { g.Members = []string{"m0000", "m0001", "m0005"} })}},
		{command: tim.CommandDeletePermissionGroupMember, spec: community.Spec{PermissionGroups: base(func(g *community.GroupSpec) { g.Members = []string{"m0000"} })}},
		{command: tim.CommandDestroyPermissionGroup, spec: community.Spec{Prune: true, PermissionGroups: base(nil)}},
		{command: tim.CommandAddTopicPermissionGroup, spec: community.Spec{PermissionGroups: base(func(g *community.GroupSpec) {
			g.Topics = map[string]tim.TopicPermission{topicID(0): tim.TopicPermSendMessage, topicID(1): tim.TopicPermAtAll}
		})}},
		{command: tim.CommandDeleteTopicPermissionGroup, spec: community.Spec{PermissionGroups: base(func(g *community.GroupSpec) { g.Topics = map[string]tim.TopicPermission{} })}},
		{command: tim.CommandCreateTopic, spec: community.Spec{Topics: []community.TopicSpec{{ID: ac + "@TOPIC#_fresh", Name: "Fresh"}}, PermissionGroups: base(nil)}},
		{command: tim.CommandDestroyTopic, spec: community.Spec{PruneTopics: true, Topics: topics, PermissionGroups: base(nil)}},
		{command: tim.CommandModifyPermissionGroup, readsFirst: true, spec: community.Spec{PermissionGroups: base(func(g *community.GroupSpec) { g.Name = "Renamed" })}},
		{command: tim.CommandSetTopicPermissionGroup, readsFirst: true, spec: community.Spec{PermissionGroups: base(func(g *community.GroupSpec) {
			g.Topics = map[string]tim.TopicPermission{topicID(0): tim.TopicPermAtAll}
		})}},
		{command: tim.CommandModifyTopic, readsFirst: true, spec: community.Spec{Topics: []community.TopicSpec{{ID: topicID(0), Name: "Renamed"}}, PermissionGroups: base(nil)}},
		{command: tim.CommandModifyGroupBaseInfo, readsFirst: true, spec: community.Spec{Settings: &community.SettingsSpec{DefaultPermission: tim.Ptr(tim.GroupPermSendMessage)}, PermissionGroups: base(nil)}},
	} {
		t.Run(tc.command, func(t *testing.T) {
			srv, client := applyWorld(t)
			_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_old", Name: "Old"})
			require.NoError(t, err)
			spec := tc.spec
			spec.GroupID = ac
			if !spec.Prune {
				spec.PermissionGroups = append(spec.PermissionGroups, community.GroupSpec{ID: "@PMG#_old", Name: "Old"})
			}
			_, plan := planFor(t, client, &spec)
			require.Len(t, plan.Ops, 1, "%s", plan)
			client, err = srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1})) // every lost answer reaches Apply
			require.NoError(t, err)
			defer client.Close()
			lost := timtest.Fault{Drop: true, AfterApply: !tc.readsFirst}
			require.NoError(t, srv.FailNext(tc.command, 1, lost))
			require.NoError(t, srv.FailNext(tc.command, 1, timtest.Fault{Code: tim.ErrInvalidParameter}))

			res, err := community.Apply(ctxT(t), client, plan, nil)

			require.Error(t, err)
			out := res.Outcomes[0]
			assert.Empty(t, out.Note, "nothing was settled: %s", out)
			_, left := planFor(t, client, &spec)
			if tc.readsFirst {
				assert.Equal(t, community.Failed, out.Status, "%s", out)
				assert.ErrorIs(t, out.Err, tim.ErrInvalidParameter)
				assert.Equal(t, plan.Ops, left.Ops, "nothing was applied")
				return
			}
			assert.Equal(t, community.Unknown, out.Status, "the first send applied it: %s", out)
			assert.Empty(t, out.Failed)
			assert.True(t, tim.MayHaveApplied(out.Err), "the lost answer's error is kept: %v", out.Err)
			assert.ErrorContains(t, out.Err, "refused", "and the refusal of the resend is told")
			assert.True(t, left.Empty(), "the first send applied the write; left:\n%s", left)
		})
	}
}
