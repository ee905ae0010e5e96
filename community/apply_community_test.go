package community_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// topicsSpec manages ac's settings and three topics (one new, muted; one
// renamed), grants the new one to a new group, and with prune_topics
// destroys the 67 other topics of applyWorld: two destroy_topic calls.
func topicsSpec() *community.Spec {
	return &community.Spec{GroupID: ac, PruneTopics: true,
		Settings: &community.SettingsSpec{PermissionGroupsEnabled: tim.Ptr(true), DefaultPermission: tim.Ptr(tim.GroupPermSendMessage)},
		Topics: []community.TopicSpec{
			{ID: topicID(0), Name: "t000"},
			{ID: topicID(1), Name: "Renamed", Introduction: tim.Ptr("new")},
			{ID: ac + "@TOPIC#_fresh", Name: "Fresh", Notification: tim.Ptr("hello"), MuteAll: tim.Ptr(true)},
		},
		PermissionGroups: []community.GroupSpec{
			{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage},
			{ID: "@PMG#_new", Name: "New", Topics: map[string]tim.TopicPermission{ac + "@TOPIC#_fresh": tim.TopicPermSendMessage, topicID(1): tim.TopicPermAtAll},
				Members: []string{"m0003"}},
		}}
}

// TestApplyCommunityOrder: Apply sends the settings first, then the topic
// creates and changes, then the groups' changes, and the topic destroys
// last; its writes are the plan's count, and planning again is empty.
func TestApplyCommunityOrder(t *testing.T) {
	srv, client := applyWorld(t)
	require.NoError(t, srv.SetPermissionDefaults(ac, false, 0))
	spec := topicsSpec()
	_, plan := planFor(t, client, spec)
	srv.ResetRequests()
	res, err := community.Apply(ctxT(t), client, plan, &community.ApplyOptions{Concurrency: 4})
	require.NoError(t, err, "%s", res)
	assert.Equal(t, plan.Summary().Calls, writes(srv), "the planned writes, no more")
	assert.Len(t, srv.RequestsFor(tim.CommandDestroyTopic), 2, "67 topics, 50 a call")

	var order []string
	for _, r := range srv.Requests() {
		if slices.Contains(writeCommands, r.Command) && (len(order) == 0 || order[len(order)-1] != r.Command) {
			order = append(order, r.Command)
		}
	}
	first := func(cmd string) int { return slices.Index(order, cmd) }
	assert.Equal(t, tim.CommandModifyGroupBaseInfo, order[0], "settings first: %v", order)
	for _, c := range []string{tim.CommandCreatePermissionGroup, tim.CommandAddTopicPermissionGroup, tim.CommandAddPermissionGroupMember} {
		assert.Greater(t, first(c), slices.Index(order, tim.CommandCreateTopic), "%s after the topic creates: %v", c, order)
		assert.Greater(t, first(c), slices.Index(order, tim.CommandModifyTopic), "%s after the topic changes: %v", c, order)
	}
	assert.Equal(t, tim.CommandDestroyTopic, order[len(order)-1], "topic destroys last: %v", order)
	requireConverged(t, client, spec)
	topics, err := client.GetTopics(ctxT(t), &tim.GetTopicsRequest{GroupID: ac, TopicIDs: []string{ac + "@TOPIC#_fresh"}})
	require.NoError(t, err)
	assert.True(t, topics[0].MuteAll, "mute_all set by the modify after the create")
}

// TestApplyTopicLostAnswers: the answer of a topic or settings write is
// lost after the fake applied it (or before it ran): one Apply settles it
// in the same run — a create is sent again (10025, then read back), a
// destroy again (110003), a modify after reading back — and converges,
// with each write sent at most twice.
func TestApplyTopicLostAnswers(t *testing.T) {
	for _, tc := range []struct {
		command string
		fault   timtest.Fault
		sent    int // how many times the command is sent in all
	}{
		{tim.CommandCreateTopic, timtest.Fault{Drop: true, AfterApply: true}, 2},
		{tim.CommandCreateTopic, timtest.Fault{Drop: true}, 2},
		{tim.CommandDestroyTopic, timtest.Fault{Drop: true, AfterApply: true}, 3},
		{tim.CommandModifyTopic, timtest.Fault{Drop: true, AfterApply: true}, 2},
		{tim.CommandModifyTopic, timtest.Fault{Drop: true}, 3},
		{tim.CommandModifyGroupBaseInfo, timtest.Fault{Drop: true, AfterApply: true}, 1},
		{tim.CommandModifyGroupBaseInfo, timtest.Fault{Status: 502}, 2},
	} {
		t.Run(fmt.Sprintf("%s applied %v", tc.command, tc.fault.AfterApply), func(t *testing.T) {
			srv, client := applyWorld(t)
			require.NoError(t, srv.SetPermissionDefaults(ac, false, 0))
			spec := topicsSpec()
			_, plan := planFor(t, client, spec)
			client, err := srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			defer client.Close()
			require.NoError(t, srv.FailNext(tc.command, 1, tc.fault))
			srv.ResetRequests()
			res, err := community.Apply(ctxT(t), client, plan, &community.ApplyOptions{Concurrency: 1})
			require.NoError(t, err, "%s", res)
			assert.Len(t, srv.RequestsFor(tc.command), tc.sent)
			requireConverged(t, client, spec)
		})
	}
}

// TestApplyTopicTakeover: a topic created with the plan's ID by someone
// else after the plan is not adopted: the create fails, "changed since the
// plan", and the topic is left as it is.
func TestApplyTopicTakeover(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, Topics: []community.TopicSpec{{ID: ac + "@TOPIC#_fresh", Name: "Fresh"}}, PermissionGroups: []community.GroupSpec{}}
	_, plan := planFor(t, client, spec)
	_, err := client.CreateTopic(ctxT(t), &tim.CreateTopicRequest{GroupID: ac, TopicID: ac + "@TOPIC#_fresh", Name: "Theirs"})
	require.NoError(t, err)
	res, err := community.Apply(ctxT(t), client, plan, nil)
	require.ErrorIs(t, err, community.ErrChangedSincePlan)
	assert.Equal(t, community.Failed, res.Outcomes[0].Status)
	assert.Contains(t, res.Outcomes[0].String(), "topic "+ac+"@TOPIC#_fresh was created by someone else since the plan")
	topics, err := client.GetTopics(ctxT(t), &tim.GetTopicsRequest{GroupID: ac, TopicIDs: []string{ac + "@TOPIC#_fresh"}})
	require.NoError(t, err)
	assert.Equal(t, "Theirs", topics[0].Name)
	assert.Len(t, srv.RequestsFor(tim.CommandModifyTopic), 0)
}

// TestVerifyCommunity: after an apply, Verify reads back the settings and
// the topics the plan changed (one get_group_info, one get_topic naming
// them) and shows what differs; a topic destroyed again by someone else's
// create shows as a destroy to make.
func TestVerifyCommunity(t *testing.T) {
	srv, client := applyWorld(t)
	require.NoError(t, srv.SetPermissionDefaults(ac, false, 0))
	spec := topicsSpec()
	_, plan := planFor(t, client, spec)
	_, err := community.Apply(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	srv.ResetRequests()
	drift, err := community.Verify(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	assert.True(t, drift.Empty(), "%s", drift)
	assert.Len(t, srv.RequestsFor(tim.CommandGetGroupInfo), 1)
	assert.Len(t, srv.RequestsFor(tim.CommandGetTopic), 1)

	ctx := ctxT(t)
	require.NoError(t, client.ModifyTopic(ctx, &tim.ModifyTopicRequest{GroupID: ac, TopicID: topicID(1), Name: tim.Ptr("Theirs")}))
	require.NoError(t, client.ModifyGroupBaseInfo(ctx, &tim.ModifyGroupBaseInfoRequest{GroupID: ac, DefaultPermission: tim.Ptr(tim.GroupPermAtAll)}))
	_, err = client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: ac, TopicID: topicID(9), Name: "back"})
	require.NoError(t, err)
	drift, err = community.Verify(ctx, client, plan, nil)
	require.NoError(t, err)
	assert.Contains(t, drift.String(), "~ default_permission AtAll -> SendMessage")
	assert.Contains(t, drift.String(), `~ name "Theirs" -> "Renamed"`)
	assert.Contains(t, drift.String(), "- topic "+topicID(9))
}

// TestExportCommunity: Export writes the settings and every custom topic
// with all its fields; read back, its spec plans nothing; a server-made
// topic is left out and named.
func TestExportCommunity(t *testing.T) {
	srv, client := applyWorld(t)
	ctx := ctxT(t)
	require.NoError(t, client.ModifyTopic(ctx, &tim.ModifyTopicRequest{GroupID: ac, TopicID: topicID(2), Introduction: tim.Ptr("i"),
		Notification: tim.Ptr("n"), FaceURL: tim.Ptr("https://f"), CustomString: tim.Ptr("c"), MuteAll: tim.Ptr(true)}))
	made, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: ac, Name: "made"})
	require.NoError(t, err)
	require.NoError(t, srv.SetPermissionDefaults(ac, true, tim.GroupPermAtAll))
	snap, err := community.Load(ctx, client, ac, nil)
	require.NoError(t, err)
	spec, err := community.Export(snap)
	var sm *community.ServerMadeError
	require.True(t, errors.As(err, &sm), "%v", err)
	assert.Equal(t, []string{made}, sm.TopicIDs)
	require.Len(t, spec.Topics, 70)
	assert.Equal(t, community.TopicSpec{ID: topicID(2), Name: "t002", Introduction: tim.Ptr("i"), Notification: tim.Ptr("n"),
		FaceURL: tim.Ptr("https://f"), CustomString: tim.Ptr("c"), MuteAll: tim.Ptr(true)}, spec.Topics[2])
	assert.Equal(t, &community.SettingsSpec{PermissionGroupsEnabled: tim.Ptr(true), DefaultPermission: tim.Ptr(tim.GroupPermAtAll)}, spec.Settings)

	data, err := json.Marshal(spec)
	require.NoError(t, err)
	back, err := community.ParseSpec(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, community.CheckSpec(ctx, client, snap, back))
	plan, err := community.Diff(snap, back)
	require.NoError(t, err)
	assert.True(t, plan.Empty(), "%s", plan)
}
