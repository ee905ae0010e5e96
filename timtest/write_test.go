package timtest

// Raw-HTTP tests of the fake's write endpoints, without the SDK's client: the
// request shapes, the documented limits, and what each write does to the
// state the read endpoints show.

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// writeFixture is a community with members amy and peter, topics a and b,
// and the permission group @PMG#_mods.
func writeFixture(t *testing.T, opts ...Option) (*Server, url.Values) {
	t.Helper()
	srv := newTestServer(t, opts...)
	seedCommunity(t, srv, tComm)
	require.NoError(t, srv.AddMember(tComm, "amy", tim.RoleAdmin))
	require.NoError(t, srv.AddMember(tComm, "peter", tim.RoleMember))
	require.NoError(t, srv.CreateTopic(tComm, tComm+"@TOPIC#_a"))
	require.NoError(t, srv.CreateTopic(tComm, tComm+"@TOPIC#_b"))
	_, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	require.NoError(t, err)
	return srv, adminQuery(t, srv)
}

// many returns n entries made by f.
func many[T any](n int, f func(i int) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func TestWriteRequestChecks(t *testing.T) {
	srv, q := writeFixture(t)
	pg := "@PMG#_mods"
	member := func(i int) map[string]string { return map[string]string{"Member_Account": fmt.Sprint("u", i)} }
	topic := func(i int) map[string]any {
		return map[string]any{"TopicId": fmt.Sprintf("%s@TOPIC#_%d", tComm, i), "Permission": 1}
	}
	tests := []struct {
		name, cmd string
		body      any
		want      tim.ErrorCode
	}{
		{"create: no name", "create_permission_group", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
		{"create: name of 151 bytes", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupName": strings.Repeat("x", 151)}, tim.ErrInvalidParameter},
		{"create: custom string of 3001 bytes", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupName": "x", "CustomString": strings.Repeat("x", 3001)}, tim.ErrInvalidParameter},
		{"create: custom ID with the server's prefix", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_@PMG#x", "PermissionGroupName": "x"}, tim.ErrInvalidPermissionGroupID},
		{"create: custom ID without the prefix", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": "mods2", "PermissionGroupName": "x"}, tim.ErrInvalidPermissionGroupID},
		{"create: Permission of the wrong type", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupName": "x", "Permission": "all"}, tim.ErrJSONParseFailed},
		{"create: negative Permission", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupName": "x", "Permission": -1}, tim.ErrJSONParseFailed},
		{"create: unparsable JSON", "create_permission_group", `{"GroupId":`, tim.ErrBadJSON},
		{"create: custom ID in use", "create_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "PermissionGroupName": "x"}, tim.ErrIDInUse},
		{"modify: empty name", "modify_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "PermissionGroupName": ""}, tim.ErrInvalidParameter},
		{"modify: custom string of 3001 bytes", "modify_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "CustomString": strings.Repeat("x", 3001)}, tim.ErrInvalidParameter},
		{"modify: no ID", "modify_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupName": "x"}, tim.ErrInvalidPermissionGroupID},
		{"destroy: no list", "destroy_permission_group", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
		{"destroy: 21 IDs", "destroy_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupIdList": many(21, func(i int) string { return fmt.Sprint("@PMG#_", i) })}, tim.ErrInvalidParameter},
		{"destroy: 20 IDs", "destroy_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupIdList": many(20, func(i int) string { return fmt.Sprint("@PMG#_", i) })}, 0},
		{"add topics: none", "add_topic_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg}, tim.ErrInvalidParameter},
		{"add topics: 51", "add_topic_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicPermissionList": many(51, topic)}, tim.ErrInvalidParameter},
		{"add topics: 50", "add_topic_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicPermissionList": many(50, topic)}, 0},
		{"set topics: 51", "set_topic_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicPermissionList": many(51, topic)}, tim.ErrInvalidParameter},
		{"delete topics: 51", "delete_topic_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": many(51, func(i int) string { return fmt.Sprint(i) })}, tim.ErrInvalidParameter},
		{"delete topics: none", "delete_topic_permission_group", map[string]any{"GroupId": tComm, "PermissionGroupId": pg}, tim.ErrInvalidParameter},
		{"add members: 101", "add_permission_group_member", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "MemberList": many(101, member)}, tim.ErrInvalidParameter},
		{"add members: 100", "add_permission_group_member", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "MemberList": many(100, member)}, 0},
		{"add members: an entry without an account", "add_permission_group_member", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "MemberList": []map[string]string{{}}}, tim.ErrInvalidParameter},
		{"delete members: 101", "delete_permission_group_member", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "MemberList": many(101, member)}, tim.ErrInvalidParameter},
		{"delete members: none", "delete_permission_group_member", map[string]any{"GroupId": tComm, "PermissionGroupId": pg}, tim.ErrInvalidParameter},
		{"member list: Limit 51", "get_permission_group_member_list", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "Limit": 51}, tim.ErrInvalidParameter},
		{"member list: Limit 0", "get_permission_group_member_list", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "Limit": 0}, tim.ErrInvalidParameter},
		{"member list: Limit 50", "get_permission_group_member_list", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "Limit": 50}, 0},
		{"member list: a cursor it never made", "get_permission_group_member_list", map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "Next": "abc"}, tim.ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, tt.cmd, q, tt.body))
		})
	}
}

func TestWritesThroughRawHTTP(t *testing.T) {
	srv, q := writeFixture(t)
	topicA, topicB := tComm+"@TOPIC#_a", tComm+"@TOPIC#_b"

	var created struct {
		envelope
		PermissionGroupID string `json:"PermissionGroupId"`
	}
	post(t, srv, "create_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupName": "speakers", "Permission": 64, "CustomString": "c"}, &created)
	require.True(t, assertCode(t, 0, created.envelope))
	id := created.PermissionGroupID
	assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), "server-made ID %q", id)

	post(t, srv, "create_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_custom", "PermissionGroupName": "c"}, &created)
	assert.Equal(t, "@PMG#_custom", created.PermissionGroupID)

	// modify changes only what it is given.
	assertCode(t, 0, postEnv(t, srv, "modify_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "Permission": 1}))
	var page pgReply
	post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &page)
	require.Len(t, page.PermissionGroupInfoList, 1)
	assert.Equal(t, pgItem{PermissionGroupID: id, PermissionGroupName: "speakers", CustomString: "c", Permission: 1}, page.PermissionGroupInfoList[0])

	// Topic permissions: per-item codes.
	var topics topicReply
	post(t, srv, "add_topic_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "TopicPermissionList": []map[string]any{
		{"TopicId": topicA, "Permission": 8}, {"TopicId": tComm + "@TOPIC#_zz", "Permission": 8},
	}}, &topics)
	require.True(t, assertCode(t, 0, topics.envelope))
	assert.Equal(t, []topicItem{{TopicID: topicA}, {ErrorCode: int(tim.ErrInvalidTopicID), ErrorInfo: "invalid topic ID", TopicID: tComm + "@TOPIC#_zz"}}, topics.TopicPermissionResultList)
	post(t, srv, "add_topic_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "TopicPermissionList": []map[string]any{{"TopicId": topicA, "Permission": 9}}}, &topics)
	assert.Equal(t, int(tim.ErrTopicAlreadyInPermissionGroup), topics.TopicPermissionResultList[0].ErrorCode)
	post(t, srv, "set_topic_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "TopicPermissionList": []map[string]any{{"TopicId": topicA, "Permission": 9}, {"TopicId": topicB, "Permission": 9}}}, &topics)
	assert.Equal(t, []int{0, int(tim.ErrTopicNotInPermissionGroup)}, []int{topics.TopicPermissionResultList[0].ErrorCode, topics.TopicPermissionResultList[1].ErrorCode})
	post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": id}, &topics)
	require.Len(t, topics.TopicPermissionResultList, 1)
	assert.Equal(t, uint64(9), *topics.TopicPermissionResultList[0].Permission)
	post(t, srv, "delete_topic_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "TopicIdList": []string{topicA, topicA}}, &topics)
	assert.Equal(t, []int{0, int(tim.ErrTopicPermissionAlreadyDeleted)}, []int{topics.TopicPermissionResultList[0].ErrorCode, topics.TopicPermissionResultList[1].ErrorCode},
		"the second delete of the same topic finds it deleted")

	// Members: per-member Result, counted in MemberCount, listed in pages.
	type memberReply struct {
		envelope
		MemberList []map[string]any `json:"MemberList"`
		Next       string           `json:"Next"`
	}
	var members memberReply
	post(t, srv, "add_permission_group_member", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "MemberList": []map[string]string{
		{"Member_Account": "amy"}, {"Member_Account": "amy"}, {"Member_Account": "nobody"}, {"Member_Account": "peter"},
	}}, &members)
	require.True(t, assertCode(t, 0, members.envelope))
	results := many(len(members.MemberList), func(i int) string {
		return fmt.Sprint(members.MemberList[i]["Member_Account"], "=", members.MemberList[i]["Result"])
	})
	assert.Equal(t, []string{"amy=0", "amy=10013", "nobody=10019", "peter=0"}, results)

	post(t, srv, "get_permission_group_member_list", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "Limit": 1, "Next": ""}, &members)
	require.Len(t, members.MemberList, 1)
	assert.Equal(t, "amy", members.MemberList[0]["Member_Account"])
	assert.Equal(t, "Admin", members.MemberList[0]["Role"])
	require.NotEmpty(t, members.Next)
	post(t, srv, "get_permission_group_member_list", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "Limit": 1, "Next": members.Next}, &members)
	require.Len(t, members.MemberList, 1)
	assert.Equal(t, "peter", members.MemberList[0]["Member_Account"])
	assert.Empty(t, members.Next, "the last page")

	post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &page)
	assert.Equal(t, 2, page.PermissionGroupInfoList[0].MemberCount)

	assertCode(t, 0, postEnv(t, srv, "delete_permission_group_member", q, map[string]any{"GroupId": tComm, "PermissionGroupId": id, "MemberList": []map[string]string{{"Member_Account": "amy"}, {"Member_Account": "nobody"}}}))
	got, err := srv.PermissionGroupMembers(tComm, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"peter"}, got)

	// destroy: per-ID results; the group, its topics and members are gone.
	var destroyed struct {
		envelope
		PermissionGroupResultList []map[string]any `json:"PermissionGroupResultList"`
	}
	post(t, srv, "destroy_permission_group", q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id, id}}, &destroyed)
	require.True(t, assertCode(t, 0, destroyed.envelope))
	require.Len(t, destroyed.PermissionGroupResultList, 2)
	assert.Equal(t, fmt.Sprint(0), fmt.Sprint(destroyed.PermissionGroupResultList[0]["ErrorCode"]))
	assert.Equal(t, fmt.Sprint(int(tim.ErrPermissionGroupNotFound)), fmt.Sprint(destroyed.PermissionGroupResultList[1]["ErrorCode"]), "the second entry finds it gone")
	_, err = srv.PermissionGroupMembers(tComm, id)
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound)
	assertCode(t, tim.ErrPermissionGroupNotFound, postEnv(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": id}))
}

func TestWriteEndpointsNeedCommunities(t *testing.T) {
	plain := newTestServer(t, WithoutCommunitySupport())
	pq := adminQuery(t, plain)
	for _, cmd := range []string{
		"create_permission_group", "modify_permission_group", "destroy_permission_group",
		"add_topic_permission_group", "set_topic_permission_group", "delete_topic_permission_group",
		"add_permission_group_member", "delete_permission_group_member", "get_permission_group_member_list",
	} {
		t.Run(cmd, func(t *testing.T) {
			srv, q := writeFixture(t)
			require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
			pg := "@PMG#_mods"
			if cmd == "create_permission_group" {
				pg = "@PMG#_new"
			}
			// A body that is complete for every command: each reads its own fields.
			body := func(group string) map[string]any {
				return map[string]any{
					"GroupId": group, "PermissionGroupId": pg, "PermissionGroupName": "x",
					"PermissionGroupIdList": []string{"@PMG#_mods"},
					"TopicPermissionList":   []map[string]any{{"TopicId": group + "@TOPIC#_a", "Permission": 1}},
					"TopicIdList":           []string{group + "@TOPIC#_a"},
					"MemberList":            []map[string]string{{"Member_Account": "amy"}},
				}
			}
			assertCode(t, tim.ErrCommunityNotSupported, postEnv(t, plain, cmd, pq, map[string]any{"GroupId": tComm}))
			assertCode(t, tim.ErrNoPermission, postEnv(t, srv, cmd, q, body("@TGS#pub")))
			assertCode(t, tim.ErrGroupNotFound, postEnv(t, srv, cmd, q, body("@TGS#_nope")))
			assertCode(t, 0, postEnv(t, srv, cmd, q, body(tComm)))
		})
	}
}
