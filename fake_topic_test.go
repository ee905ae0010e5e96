package tim_test

// Tests of the topic commands against the fake: what each one does to the
// community, and the documented codes.

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// topicByID reads one topic back.
func topicByID(t *testing.T, client *tim.Client, id string) tim.Topic {
	t.Helper()
	topics, err := client.GetTopics(context.Background(), &tim.GetTopicsRequest{GroupID: community, TopicIDs: []string{id}})
	require.NoError(t, err)
	require.Len(t, topics, 1)
	return topics[0]
}

func TestFakeCreateAndGetTopics(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)

	id, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{
		GroupID: community, Name: "News", FaceURL: "http://face", Notification: "read me", Introduction: "about",
		CustomString: "c", CustomData: map[string]string{"color": "blue"},
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(id, community+"@TOPIC#_@TOPIC#"), "a server-made ID: %s", id)
	got := topicByID(t, client, id)
	assert.NoError(t, got.Err())
	assert.Equal(t, []any{id, community, "News", "http://face", "read me", "about", "c", map[string]string{"color": "blue"}, false},
		[]any{got.ID, got.GroupID, got.Name, got.FaceURL, got.Notification, got.Introduction, got.CustomString, got.CustomData, got.MuteAll})
	assert.Positive(t, got.CreateTime)
	assert.Equal(t, int64(1), got.NextMsgSeq)

	custom, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: community, TopicID: community + "@TOPIC#_games", Name: "Games"})
	require.NoError(t, err)
	assert.Equal(t, community+"@TOPIC#_games", custom)
	_, err = client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: community, TopicID: custom, Name: "again"})
	assert.ErrorIs(t, err, tim.ErrIDInUse, "10025 on create_topic")
	assert.ErrorIs(t, err, tim.ErrIDInUseByYou)

	all, err := client.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: community})
	require.NoError(t, err)
	var ids []string
	for _, topic := range all {
		ids = append(ids, topic.ID)
	}
	assert.Equal(t, []string{topicA, topicB, topicC, id, custom}, ids, "every topic, in the order made")
	want, err := srv.Topics(community)
	require.NoError(t, err)
	assert.Equal(t, want, ids)

	filtered, err := client.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: community, TopicIDs: []string{id}, ResponseFilter: []string{"TopicName"}})
	require.NoError(t, err)
	assert.Equal(t, "News", filtered[0].Name)
	assert.Empty(t, filtered[0].Introduction, "a field the filter leaves out")

	get := srv.RequestsFor(tim.CommandGetTopic)[0]
	assert.Equal(t, "/v4/million_group_open_http_svc/get_topic", get.Path)
	assert.JSONEq(t, `{"GroupId":"`+community+`","From_Account":"administrator","TopicIdList":["`+id+`"]}`, string(get.Body))
}

func TestFakeTopicsNeedACommunity(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	require.NoError(t, srv.CreateGroup("@TGS#_public", timtest.Public, "leckie"))
	_, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: "@TGS#_public", Name: "x"})
	assert.ErrorIs(t, err, tim.ErrCommunityNotSupported, "11000: the group does not support topics")
	_, err = client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: "@TGS#_nope", Name: "x"})
	assert.ErrorIs(t, err, tim.ErrGroupNotFound)

	_, noCommunities := seeded(t, timtest.WithoutCommunitySupport())
	_, err = noCommunities.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: community})
	assert.ErrorIs(t, err, tim.ErrCommunityNotSupported)
}

func TestFakeModifyTopic(t *testing.T) {
	ctx := context.Background()
	_, client := seeded(t)
	require.NoError(t, client.ModifyTopic(ctx, &tim.ModifyTopicRequest{GroupID: community, TopicID: topicA, Name: tim.Ptr("Alpha"), Notification: tim.Ptr("n"), MuteAll: tim.Ptr(true)}))
	got := topicByID(t, client, topicA)
	assert.Equal(t, []any{"Alpha", "n", "", true}, []any{got.Name, got.Notification, got.Introduction, got.MuteAll})

	require.NoError(t, client.ModifyTopic(ctx, &tim.ModifyTopicRequest{GroupID: community, TopicID: topicA, MuteAll: tim.Ptr(false)}))
	got = topicByID(t, client, topicA)
	assert.Equal(t, []any{"Alpha", "n", false}, []any{got.Name, got.Notification, got.MuteAll}, "unset fields keep their values")

	err := client.ModifyTopic(ctx, &tim.ModifyTopicRequest{GroupID: community, TopicID: community + "@TOPIC#_nope", Name: tim.Ptr("x")})
	assert.ErrorIs(t, err, tim.ErrGroupNotFound, `10010: "the topic was dissolved"`)
}

func TestFakeDestroyTopics(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	res, err := client.DestroyTopics(ctx, &tim.DestroyTopicsRequest{GroupID: community, TopicIDs: []string{topicA, community + "@TOPIC#_nope"}})
	require.NoError(t, err)
	assert.Equal(t, []tim.ErrorCode{0, tim.ErrTopicNotFound}, codes(res))

	ids, err := srv.Topics(community)
	require.NoError(t, err)
	assert.Equal(t, []string{topicB, topicC}, ids)

	gone := topicByID(t, client, topicA)
	assert.ErrorIs(t, gone.Err(), tim.ErrTopicNotFound, "110003 for a destroyed topic")
	never := topicByID(t, client, community+"@TOPIC#_never")
	assert.ErrorIs(t, never.Err(), tim.ErrGroupNotFound, "10010 for one that never was")

	// The permission group loses its permission in the destroyed topic (inferred).
	perms, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods"})
	require.NoError(t, err)
	require.Len(t, perms, 1)
	assert.Equal(t, topicB, perms[0].TopicID)
	one, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", TopicIDs: []string{topicA}})
	require.NoError(t, err)
	assert.ErrorIs(t, one[0].Err(), tim.ErrInvalidTopicID)

	_, err = client.DestroyTopics(ctx, &tim.DestroyTopicsRequest{GroupID: community, TopicIDs: []string{topicA}})
	require.NoError(t, err, "a second destroy: a per-topic failure, not the request's")
}

func TestFakeSplitDestroy(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	ids := make([]string, tim.MaxTopicsPerDestroy+1)
	for i := range ids {
		ids[i] = community + "@TOPIC#_s" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26))
		require.NoError(t, srv.CreateTopic(community, ids[i]))
	}
	res, err := client.DestroyTopics(ctx, &tim.DestroyTopicsRequest{GroupID: community, TopicIDs: ids})
	require.NoError(t, err)
	assert.Len(t, res, len(ids))
	assert.Len(t, srv.RequestsFor(tim.CommandDestroyTopic), 2)
	left, err := srv.Topics(community)
	require.NoError(t, err)
	assert.Equal(t, []string{topicA, topicB, topicC}, left)
}

func TestFakeImportTopic(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	id, err := client.ImportTopic(ctx, &tim.ImportTopicRequest{GroupID: community, TopicID: community + "@TOPIC#_old", Name: "Old", CreateTime: 1600000000})
	require.NoError(t, err)
	assert.Equal(t, int64(1600000000), topicByID(t, client, id).CreateTime)
	assert.Equal(t, "/v4/group_open_http_svc/import_topic", srv.RequestsFor(tim.CommandImportTopic)[0].Path)

	_, err = client.ImportTopic(ctx, &tim.ImportTopicRequest{GroupID: community, TopicID: id, Name: "again"})
	var apiErr *tim.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, tim.ErrIDInUse, apiErr.Code, "10021 on import_topic")
}

// A create whose answer is lost after the topic was made is not sent
// again: one request, one topic.
func TestFakeLostCreateTopicIsNotRepeated(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	require.NoError(t, srv.FailNext(tim.CommandCreateTopic, 1, timtest.Fault{Drop: true, AfterApply: true}))
	_, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: community, Name: "once"})
	require.Error(t, err)
	assert.True(t, tim.MayHaveApplied(err))
	assert.Len(t, srv.RequestsFor(tim.CommandCreateTopic), 1)
	ids, err := srv.Topics(community)
	require.NoError(t, err)
	assert.Len(t, ids, 4, "made once")
}
