package timtest

// Raw-HTTP tests of the topic, member and settings commands, without the
// SDK's client (requests signed by hand with tim.GenerateUserSig, answers
// decoded by hand): the documented shapes, the routing by service, and the
// documented limits and codes.

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// serviceURL is the URL of command under service.
func serviceURL(srv *Server, service, command string, q url.Values) string {
	return srv.URL() + "/v4/" + service + "/" + command + "?" + q.Encode()
}

// postAt POSTs body to command under service and decodes the answer as a map.
func postAt(t *testing.T, srv *Server, service, command string, q url.Values, body any) map[string]any {
	t.Helper()
	b, err := rawBody(body)
	require.NoError(t, err)
	rep, err := send("POST", serviceURL(srv, service, command, q), b)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, decodeReply(rep, &m))
	return m
}

// codeOf is an answer's ErrorCode.
func codeOf(m map[string]any) int {
	code, _ := strconv.Atoi(fmt.Sprint(m["ErrorCode"]))
	return code
}

// communityFixture is tComm with members amy (Admin) and peter, topic a,
// and the permission group @PMG#_mods holding peter and a permission in a.
func communityFixture(t *testing.T, opts ...Option) (*Server, url.Values) {
	t.Helper()
	srv := newTestServer(t, opts...)
	seedCommunity(t, srv, tComm)
	require.NoError(t, srv.AddMember(tComm, "amy", tim.RoleAdmin))
	require.NoError(t, srv.AddMember(tComm, "peter", tim.RoleMember))
	require.NoError(t, srv.CreateTopic(tComm, tComm+"@TOPIC#_a"))
	_, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	require.NoError(t, err)
	require.NoError(t, srv.AddPermissionGroupMembers(tComm, "@PMG#_mods", "peter"))
	require.NoError(t, srv.SetTopicPermission(tComm, "@PMG#_mods", tComm+"@TOPIC#_a", tim.TopicPermSendMessage))
	return srv, adminQuery(t, srv)
}

func TestGetTopicAnswersTheDocumentedShape(t *testing.T) {
	srv, q := communityFixture(t)
	rep := postAt(t, srv, millionService, "get_topic", q, map[string]any{"GroupId": tComm, "From_Account": "peter"})
	assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "TopicAndSelfInfo"}, keysOf(rep))
	assert.Equal(t, "OK", rep["ActionStatus"])
	assert.Equal(t, "ok", rep["ErrorInfo"], `the sample's top-level ErrorInfo is "ok"`)
	items := rep["TopicAndSelfInfo"].([]any)
	require.Len(t, items, 1)
	item := items[0].(map[string]any)
	assert.Equal(t, []string{"ErrorCode", "ErrorInfo", "SelfInfo", "TopicInfo"}, keysOf(item))
	assert.Equal(t, "ok", item["ErrorInfo"])
	assert.Equal(t, []string{"MsgFlag", "MsgSeq", "ShutUpTime"}, keysOf(item["SelfInfo"].(map[string]any)))
	info := item["TopicInfo"].(map[string]any)
	assert.Equal(t, []string{"CreateTime", "CustomString", "FaceUrl", "GroupID", "Introduction", "LastMsgTime", "NextMsgSeq",
		"Notification", "ShutUpAllFlag", "TopicId", "TopicName"}, keysOf(info), "the sample's keys, GroupID with a capital D")
	assert.Equal(t, tComm, info["GroupID"])
	assert.Equal(t, tComm+"@TOPIC#_a", info["TopicId"])
	assert.Equal(t, "0", fmt.Sprint(info["ShutUpAllFlag"]), "a number, not On/Off")

	rep = postAt(t, srv, millionService, "get_topic", q, map[string]any{"GroupId": tComm, "From_Account": 1400187352, "ResponseFilter": []string{"TopicName"}})
	info = rep["TopicAndSelfInfo"].([]any)[0].(map[string]any)["TopicInfo"].(map[string]any)
	assert.Equal(t, []string{"TopicId", "TopicName"}, keysOf(info), "From_Account as a number is taken; the filter keeps TopicId and what it names")
}

func TestCommandsRouteByService(t *testing.T) {
	srv, q := communityFixture(t)
	create := map[string]any{"GroupId": tComm, "TopicName": "x"}
	tests := []struct {
		service, command string
		body             any
		want             tim.ErrorCode
	}{
		{millionService, "create_topic", create, 0},
		{groupService, "create_topic", create, tim.ErrInvalidCommand},
		{groupService, "get_topic", map[string]any{"GroupId": tComm, "From_Account": "amy"}, tim.ErrInvalidCommand},
		{millionService, "import_topic", create, tim.ErrInvalidCommand},
		{groupService, "import_topic", create, 0},
		{millionService, "get_role_in_group", map[string]any{"GroupId": tComm, "User_Account": []string{"amy"}}, tim.ErrInvalidCommand},
		{"nosuch_svc", "get_topic", create, tim.ErrBadURL},
		{"openim", "sendmsg", create, tim.ErrBadURL},
	}
	for _, tc := range tests {
		t.Run(tc.service+"/"+tc.command, func(t *testing.T) {
			rep := postAt(t, srv, tc.service, tc.command, q, tc.body)
			assert.Equal(t, int(tc.want), codeOf(rep), "%v", rep["ErrorInfo"])
		})
	}
}

func TestTopicCodes(t *testing.T) {
	srv, q := communityFixture(t)
	require.NoError(t, srv.CreateGroup("@TGS#_public", Public, tOwner))
	long := func(n int) string { return strings.Repeat("x", n) }
	topic := tComm + "@TOPIC#_a"
	tests := []struct {
		name, service, command string
		body                   map[string]any
		want                   tim.ErrorCode
	}{
		{"create: a name of 31 bytes", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicName": long(31)}, tim.ErrInvalidParameter},
		{"create: a name of 30 bytes", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicName": long(30)}, 0},
		{"create: no name", millionService, "create_topic", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
		{"create: an introduction of 241 bytes", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicName": "x", "Introduction": long(241)}, tim.ErrInvalidParameter},
		{"create: a notification of 301 bytes", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicName": "x", "Notification": long(301)}, tim.ErrInvalidParameter},
		{"create: a face URL of 101 bytes", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicName": "x", "FaceUrl": long(101)}, tim.ErrInvalidParameter},
		{"create: a custom string of 3001 bytes", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicName": "x", "CustomString": long(3001)}, tim.ErrInvalidParameter},
		{"create: a custom ID in use", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicId": topic, "TopicName": "x"}, tim.ErrIDInUseByYou},
		{"create: a custom ID of another community", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicId": tComm2 + "@TOPIC#_z", "TopicName": "x"}, tim.ErrInvalidParameter},
		{"create: a custom ID in the service's form", millionService, "create_topic", map[string]any{"GroupId": tComm, "TopicId": tComm + "@TOPIC#_@TOPIC#z", "TopicName": "x"}, tim.ErrInvalidParameter},
		{"create: a group that is not a community", millionService, "create_topic", map[string]any{"GroupId": "@TGS#_public", "TopicName": "x"}, tim.ErrCommunityNotSupported},
		{"create: a group that does not exist", millionService, "create_topic", map[string]any{"GroupId": tComm2, "TopicName": "x"}, tim.ErrGroupNotFound},
		{"import: a custom ID in use", groupService, "import_topic", map[string]any{"GroupId": tComm, "TopicId": topic, "TopicName": "x"}, tim.ErrIDInUse},
		{"import: a Type other than Community", groupService, "import_topic", map[string]any{"Type": "Public", "GroupId": tComm, "TopicName": "x"}, tim.ErrInvalidParameter},
		{"get: no From_Account", millionService, "get_topic", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
		{"modify: a topic that does not exist", millionService, "modify_topic", map[string]any{"GroupId": tComm, "TopicId": tComm + "@TOPIC#_nope", "TopicName": "y"}, tim.ErrGroupNotFound},
		{"modify: MuteAllMember yes", millionService, "modify_topic", map[string]any{"GroupId": tComm, "TopicId": topic, "MuteAllMember": "yes"}, tim.ErrInvalidParameter},
		{"destroy: no topics", millionService, "destroy_topic", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := postAt(t, srv, tc.service, tc.command, q, tc.body)
			assert.Equal(t, int(tc.want), codeOf(rep), "%v", rep["ErrorInfo"])
		})
	}
	rep := postAt(t, srv, millionService, "destroy_topic", q, map[string]any{"GroupId": tComm, "TopicIdList": []string{topic, topic}})
	assert.Equal(t, "ok", rep["ErrorInfo"])
	items := rep["DestroyResultItem"].([]any)
	assert.Equal(t, []string{"ErrorCode", "ErrorInfo", "TopicId"}, keysOf(items[0].(map[string]any)))
	assert.Equal(t, []int{0, int(tim.ErrTopicNotFound)}, []int{codeOf(items[0].(map[string]any)), codeOf(items[1].(map[string]any))}, "destroyed, then already destroyed")
	var tp topicReply
	post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_mods"}, &tp)
	assert.Empty(t, tp.TopicPermissionResultList, "the destroyed topic's permission went with it")
}

func TestMemberCodes(t *testing.T) {
	srv, q := communityFixture(t)
	require.NoError(t, srv.CreateGroup("@TGS#_live", AVChatRoom, tOwner))
	members := func(n int) []map[string]string {
		return many(n, func(i int) map[string]string { return map[string]string{"Member_Account": fmt.Sprint("u", i)} })
	}
	accounts := func(n int) []string { return many(n, func(i int) string { return fmt.Sprint("u", i) }) }
	tests := []struct {
		name, command string
		body          map[string]any
		want          tim.ErrorCode
	}{
		{"add: 301 accounts", "add_group_member", map[string]any{"GroupId": tComm, "MemberList": members(301)}, tim.ErrTooManyAccounts},
		{"add: 300 accounts", "add_group_member", map[string]any{"GroupId": tComm, "MemberList": members(300)}, 0},
		{"add: none", "add_group_member", map[string]any{"GroupId": tComm, "MemberList": members(0)}, tim.ErrInvalidParameter},
		{"add: an AVChatRoom", "add_group_member", map[string]any{"GroupId": "@TGS#_live", "MemberList": members(1)}, tim.ErrNoPermission},
		{"import: 301 members", "import_group_member", map[string]any{"GroupId": tComm, "MemberList": members(301)}, tim.ErrTooManyAccounts},
		{"import: the role Member", "import_group_member", map[string]any{"GroupId": tComm, "MemberList": []map[string]string{{"Member_Account": "x", "Role": "Member"}}}, tim.ErrInvalidParameter},
		{"specified: 51 accounts", "get_specified_group_member_info", map[string]any{"GroupId": tComm, "Member_List_Account": accounts(51)}, tim.ErrInvalidParameter},
		{"specified: 50 accounts", "get_specified_group_member_info", map[string]any{"GroupId": tComm, "Member_List_Account": accounts(50)}, 0},
		{"delete: 101 accounts", "delete_group_member", map[string]any{"GroupId": tComm, "MemberToDel_Account": accounts(101)}, tim.ErrInvalidParameter},
		{"delete: 100 accounts", "delete_group_member", map[string]any{"GroupId": tComm, "MemberToDel_Account": accounts(100)}, 0},
		{"delete: an AVChatRoom answers 10004", "delete_group_member", map[string]any{"GroupId": "@TGS#_live", "MemberToDel_Account": accounts(1)}, tim.ErrInvalidParameter},
		{"delete: the owner", "delete_group_member", map[string]any{"GroupId": tComm, "MemberToDel_Account": []string{tOwner}}, tim.ErrInvalidParameter},
		{"list: Limit 101", "get_group_member_info", map[string]any{"GroupId": tComm, "Limit": 101, "Next": ""}, tim.ErrInvalidParameter},
		{"list: Offset in a community", "get_group_member_info", map[string]any{"GroupId": tComm, "Offset": 0}, tim.ErrInvalidParameter},
		{"list: Next as a number", "get_group_member_info", map[string]any{"GroupId": tComm, "Next": 0}, 0},
		{"modify: a name card of 51 bytes", "modify_group_member_info", map[string]any{"GroupId": tComm, "Member_Account": "amy", "NameCard": strings.Repeat("x", 51)}, tim.ErrInvalidParameter},
		{"modify: the role Owner", "modify_group_member_info", map[string]any{"GroupId": tComm, "Member_Account": "amy", "Role": "Owner"}, tim.ErrInvalidParameter},
		{"modify: the older ShutUpTime", "modify_group_member_info", map[string]any{"GroupId": tComm, "Member_Account": "amy", "ShutUpTime": 60}, 0},
		{"base info: a name of 101 bytes", "modify_group_base_info", map[string]any{"GroupId": tComm, "Name": strings.Repeat("x", 101)}, tim.ErrInvalidParameter},
		{"base info: permission groups of an AVChatRoom", "modify_group_base_info", map[string]any{"GroupId": "@TGS#_live", "EnablePermission": 1}, tim.ErrInvalidParameter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := postAt(t, srv, groupService, tc.command, q, tc.body)
			assert.Equal(t, int(tc.want), codeOf(rep), "%v", rep["ErrorInfo"])
		})
	}
}

func TestMemberAnswersShapes(t *testing.T) {
	srv, q := communityFixture(t)
	rep := postAt(t, srv, groupService, "add_group_member", q, map[string]any{"GroupId": tComm, "MemberList": []map[string]string{{"Member_Account": "amy"}, {"Member_Account": "zoe"}}})
	assert.Equal(t, []any{
		map[string]any{"Member_Account": "amy", "Result": jsonNumber(2)},
		map[string]any{"Member_Account": "zoe", "Result": jsonNumber(1)},
	}, rep["MemberList"], "Result 2: already a member; 1: added")

	var pages [][]string
	next := any("")
	for range 10 {
		rep := postAt(t, srv, groupService, "get_group_member_info", q, map[string]any{"GroupId": tComm, "Limit": 2, "Next": next})
		assert.Equal(t, jsonNumber(4), rep["MemberNum"])
		var page []string
		for _, it := range rep["MemberList"].([]any) {
			item := it.(map[string]any)
			assert.Equal(t, []string{"JoinTime", "LastSendMsgTime", "Member_Account", "MsgFlag", "MsgSeq", "MuteUntil", "NameCard", "Role"}, keysOf(item))
			page = append(page, item["Member_Account"].(string))
		}
		pages = append(pages, page)
		if rep["Next"] == "" {
			break
		}
		next = rep["Next"]
	}
	assert.Equal(t, [][]string{{tOwner, "amy"}, {"peter", "zoe"}}, pages)

	rep = postAt(t, srv, groupService, "get_group_member_info", q, map[string]any{"GroupId": tComm, "Next": "", "MemberRoleFilter": []string{"Admin"}, "MemberInfoFilter": []string{"Role"}})
	assert.Equal(t, []any{map[string]any{"Member_Account": "amy", "Role": "Admin"}}, rep["MemberList"])

	// Removing peter takes him out of @PMG#_mods as well.
	assertCode(t, 0, postEnv(t, srv, "delete_group_member", q, map[string]any{"GroupId": tComm, "MemberToDel_Account": []string{"peter"}}))
	inGroup, err := srv.PermissionGroupMembers(tComm, "@PMG#_mods")
	require.NoError(t, err)
	assert.Empty(t, inGroup)
}

// jsonNumber is n as decodeReply decodes numbers.
func jsonNumber(n int) any {
	var m map[string]any
	_ = decodeReply(httpReply{status: 200, contentType: "application/json", body: []byte(fmt.Sprintf(`{"n":%d}`, n))}, &m)
	return m["n"]
}
