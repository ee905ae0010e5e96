package community_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// TestCheckSpec: every account that is not a member of the community and
// every granted topic that will not exist is named with its place, sorted
// by place, in one error; the accounts are asked about 500 a call
// (⌈accounts ÷ 500⌉ get_role_in_group), each once; nothing is written.
func TestCheckSpec(t *testing.T) {
	srv, client := applyWorld(t)
	require.NoError(t, srv.SetPermissionDefaults(ac, false, 0))
	snap, err := community.Load(ctxT(t), client, ac, nil)
	require.NoError(t, err)

	var many []string // 300 members and 801 outsiders: 1101 accounts, 3 calls
	many = append(many, accounts("m", 300)...)
	many = append(many, accounts("x", 801)...)
	spec := &community.Spec{GroupID: ac, PruneTopics: true,
		Settings: &community.SettingsSpec{DefaultPermission: tim.Ptr(tim.GroupPermSendMessage)},
		Topics:   []community.TopicSpec{{ID: topicID(1), Name: "t001"}, {ID: ac + "@TOPIC#_fresh", Name: "Fresh"}},
		PermissionGroups: []community.GroupSpec{
			{ID: "@PMG#_a", Name: "A", Members: many,
				Topics: map[string]tim.TopicPermission{ac + "@TOPIC#_typo": 8, ac + "@TOPIC#_fresh": 8, topicID(1): 8, topicID(2): 8}},
			{ID: "@PMG#_b", Name: "B", Members: []string{"m0001", "x0000", "owner"}},
		}}
	srv.ResetRequests()
	err = community.CheckSpec(ctxT(t), client, snap, spec)
	var ce *community.CheckError
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Len(t, srv.RequestsFor(tim.CommandGetRoleInGroup), 3, "⌈1101 ÷ 500⌉ calls")
	assert.Len(t, srv.Requests(), 3, "nothing else: no listing of the community, no write")
	require.Len(t, ce.Problems, 1+2+801+1)
	lines := strings.Split(err.Error(), "\n")
	assert.Equal(t, []string{
		"spec: settings.default_permission: the community's permission groups are off, and the service takes a default permission only while they are on (inferred): add \"permission_groups_enabled\": true",
		`spec: permission_groups[0].topics["@TGS#_ac@TOPIC#_t002"]: topic @TGS#_ac@TOPIC#_t002 is not listed in "topics", so "prune_topics" destroys it`,
		`spec: permission_groups[0].topics["@TGS#_ac@TOPIC#_typo"]: topic @TGS#_ac@TOPIC#_typo does not exist in @TGS#_ac, and the spec's "topics" does not create it`,
		"spec: permission_groups[0].members[300]: account x0000 is not a member of @TGS#_ac",
	}, lines[:4])
	assert.Equal(t, "spec: permission_groups[1].members[1]: account x0000 is not a member of @TGS#_ac", lines[len(lines)-1],
		"each place of an account; the owner is a member")
	assert.Equal(t, community.Position{}, ce.Problems[0].Position, "no positions for a spec built in code")

	// A spec that fits: one call for its accounts, no error.
	fits := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{{ID: "@PMG#_a", Name: "A", Members: accounts("m", 10),
		Topics: map[string]tim.TopicPermission{topicID(3): 8}}}}
	srv.ResetRequests()
	require.NoError(t, community.CheckSpec(ctxT(t), client, snap, fits))
	assert.Len(t, srv.Requests(), 1)
}

// TestCheckPlanRechecks: a saved plan is checked again before it is
// applied: an account that left the community since is named, and a topic
// renamed since makes the plan stale.
func TestCheckPlanRechecks(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, Topics: []community.TopicSpec{{ID: topicID(5), Name: "Five"}},
		PermissionGroups: []community.GroupSpec{{ID: "@PMG#_a", Name: "A", Members: []string{"m0007"}, Topics: map[string]tim.TopicPermission{topicID(6): 8}}}}
	snap, plan := planFor(t, client, spec)
	require.NoError(t, community.CheckSpec(ctxT(t), client, snap, spec))
	require.NoError(t, community.CheckPlan(ctxT(t), client, plan, nil))

	_, err := client.DeleteGroupMembers(ctxT(t), &tim.DeleteGroupMembersRequest{GroupID: ac, Accounts: []string{"m0007"}})
	require.NoError(t, err)
	err = community.CheckPlan(ctxT(t), client, plan, nil)
	var ce *community.CheckError
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Equal(t, "spec: permission_groups[0].members[0]: account m0007 is not a member of @TGS#_ac", err.Error())

	require.NoError(t, srv.AddMember(ac, "m0007", tim.RoleMember))
	require.NoError(t, community.CheckPlan(ctxT(t), client, plan, nil), "a member again")

	require.NoError(t, client.ModifyTopic(ctxT(t), &tim.ModifyTopicRequest{GroupID: ac, TopicID: topicID(5), Introduction: tim.Ptr("x")}))
	require.NoError(t, community.CheckPlan(ctxT(t), client, plan, nil), "the introduction is not managed")
	require.NoError(t, client.ModifyTopic(ctxT(t), &tim.ModifyTopicRequest{GroupID: ac, TopicID: topicID(5), Name: tim.Ptr("Cinq")}))
	err = community.CheckPlan(ctxT(t), client, plan, nil)
	var stale *community.StaleError
	require.True(t, errors.As(err, &stale), "%v", err)
	assert.Equal(t, []string{"topic " + topicID(5) + " changed"}, stale.Changes)
}

// TestLoadWithoutTopics: a community whose get_topic answers 11000 (no
// topic support) loads with no topics and TopicsUnsupported; a spec that
// lists topics for it fails the check, naming "topics".
func TestLoadWithoutTopics(t *testing.T) {
	srv, client := applyWorld(t)
	require.NoError(t, srv.FailNext(tim.CommandGetTopic, 1, timtest.Fault{Code: tim.ErrCommunityNotSupported}))
	snap, err := community.Load(ctxT(t), client, ac, nil)
	require.NoError(t, err)
	assert.True(t, snap.TopicsUnsupported)
	assert.Empty(t, snap.Topics)
	spec := &community.Spec{GroupID: ac, Topics: []community.TopicSpec{{ID: ac + "@TOPIC#_x", Name: "x"}}, PermissionGroups: []community.GroupSpec{}}
	err = community.CheckSpec(ctxT(t), client, snap, spec)
	assert.EqualError(t, err, "spec: topics: the community does not support topics (get_topic answered 11000): none can be created")
}
