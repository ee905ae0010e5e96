package tim

// Wire tests of the permission-group writes: the exact body each sends, how
// its answer decodes (the documented samples and the inferred shapes), and
// per-item results.

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreatePermissionGroupWire(t *testing.T) {
	ctx := context.Background()
	t.Run("documented sample", func(t *testing.T) {
		m := newMock(t)
		m.respond("create_permission_group", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_test_permission_group"}`)
		id, err := m.client.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{
			GroupID: seedCommunity, PermissionGroupID: "@PMG#_test_permission_group",
			Name: "test_permission_group", Permission: 123, CustomString: "test_custom_string",
		})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "create_permission_group")
		assert.JSONEq(t, wwCreateSample, reqs[0].Body)
		assert.Equal(t, "@PMG#_test_permission_group", id)
	})

	bodies := []struct {
		name string
		req  CreatePermissionGroupRequest
		want string
	}{
		{"server-made ID and zero permission: optional fields left out, Permission sent",
			CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "mods"},
			`{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupName":"mods","Permission":0}`},
		{"custom string without a custom ID",
			CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "mods", Permission: GroupPermSendMessage | GroupPermAtAll, CustomString: "x"},
			`{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupName":"mods","Permission":192,"CustomString":"x"}`},
		{"custom ID without a custom string",
			CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_mods", Name: "管理员 <&>", Permission: 1},
			`{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_mods","PermissionGroupName":"管理员 <&>","Permission":1}`},
	}
	for _, tc := range bodies {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("create_permission_group", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2"}`)
			req := tc.req
			_, err := m.client.CreatePermissionGroup(ctx, &req)
			require.NoError(t, err)
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assertSigned(t, reqs[0], "create_permission_group")
			assert.JSONEq(t, tc.want, reqs[0].Body)
			assert.Equal(t, tc.req, req, "the request is not changed")
		})
	}
	t.Run("all 64 permission bits are sent exactly", func(t *testing.T) {
		m := newMock(t)
		m.respond("create_permission_group", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2"}`)
		_, err := m.client.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n", Permission: 1<<64 - 1})
		require.NoError(t, err)
		assert.Contains(t, m.requests()[0].Body, `"Permission":18446744073709551615`)
	})
	t.Run("FAIL envelope", func(t *testing.T) {
		m := newMock(t)
		m.respond("create_permission_group", 200, `{"ActionStatus":"FAIL","ErrorCode":110008,"ErrorInfo":"bad id"}`)
		id, err := m.client.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n"})
		require.ErrorIs(t, err, ErrInvalidPermissionGroupID)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, APIError{Command: "create_permission_group", ActionStatus: "FAIL", Code: 110008, Info: "bad id", Attempts: 1}, *apiErr)
		assert.Empty(t, id)
	})
}

// TestCreatePermissionGroupAnswerShapes covers the inferred answer: the new
// ID at the top level, in PermissionGroupInfo, or not at all.
func TestCreatePermissionGroupAnswerShapes(t *testing.T) {
	const ok = `"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0`
	cases := []struct {
		name    string
		custom  string
		answer  string
		want    string
		decodes bool // false: a *DecodeError
	}{
		{"top-level ID", "", `{` + ok + `,"PermissionGroupId":"@PMG#_@PMG#cM2"}`, "@PMG#_@PMG#cM2", true},
		{"nested PermissionGroupInfo", "", `{` + ok + `,"PermissionGroupInfo":{"PermissionGroupId":"@PMG#_@PMG#cN3","PermissionGroupName":"n","Permission":1}}`, "@PMG#_@PMG#cN3", true},
		{"top level wins over nested", "", `{` + ok + `,"PermissionGroupId":"@PMG#_@PMG#cM2","PermissionGroupInfo":{"PermissionGroupId":"@PMG#_@PMG#cN3"}}`, "@PMG#_@PMG#cM2", true},
		{"empty top level falls back to nested", "", `{` + ok + `,"PermissionGroupId":"","PermissionGroupInfo":{"PermissionGroupId":"@PMG#_@PMG#cN3"}}`, "@PMG#_@PMG#cN3", true},
		{"the answer's ID wins over the custom one", "@PMG#_mods", `{` + ok + `,"PermissionGroupId":"@PMG#_mods2"}`, "@PMG#_mods2", true},
		{"neither, with a custom ID", "@PMG#_mods", `{` + ok + `}`, "@PMG#_mods", true},
		{"null info, with a custom ID", "@PMG#_mods", `{` + ok + `,"PermissionGroupInfo":null}`, "@PMG#_mods", true},
		{"info of another shape, with a custom ID", "@PMG#_mods", `{` + ok + `,"PermissionGroupInfo":["x"]}`, "@PMG#_mods", true},
		{"info of another shape, without a custom ID", "", `{` + ok + `,"PermissionGroupInfo":"x"}`, "", false},
		{"neither, without a custom ID", "", `{` + ok + `}`, "", false},
		{"empty nested ID, without a custom ID", "", `{` + ok + `,"PermissionGroupInfo":{"PermissionGroupId":""}}`, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("create_permission_group", 200, tc.answer)
			id, err := m.client.CreatePermissionGroup(context.Background(), &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: tc.custom, Name: "n"})
			assert.Len(t, m.requests(), 1, "sent once")
			if tc.decodes {
				require.NoError(t, err)
				assert.Equal(t, tc.want, id)
				return
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "create_permission_group", de.Command)
			assert.Contains(t, err.Error(), "PermissionGroupId")
			assert.Empty(t, id)
		})
	}
}

func TestModifyPermissionGroupWire(t *testing.T) {
	const head = `"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cM2"`
	cases := []struct {
		name         string
		groupName    *string
		permission   *GroupPermission
		customString *string
		want         string
	}{
		{"name only", Ptr("moderators"), nil, nil, `{` + head + `,"PermissionGroupName":"moderators"}`},
		{"permission only", nil, Ptr(GroupPermSendMessage | GroupPermAtAll), nil, `{` + head + `,"Permission":192}`},
		{"permission zero is sent", nil, Ptr(GroupPermission(0)), nil, `{` + head + `,"Permission":0}`},
		{"custom string only", nil, nil, Ptr("new data"), `{` + head + `,"CustomString":"new data"}`},
		{"empty custom string is sent", nil, nil, Ptr(""), `{` + head + `,"CustomString":""}`},
		{"all three", Ptr("test_permission_group"), Ptr(GroupPermission(123)), Ptr("test_custom_string"),
			`{` + head + `,"PermissionGroupName":"test_permission_group","Permission":123,"CustomString":"test_custom_string"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("modify_permission_group", 200, wwModifyAnswer)
			err := m.client.ModifyPermissionGroup(context.Background(), &ModifyPermissionGroupRequest{
				GroupID: seedCommunity, PermissionGroupID: "@PMG#_@PMG#cM2",
				Name: tc.groupName, Permission: tc.permission, CustomString: tc.customString,
			})
			require.NoError(t, err)
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assertSigned(t, reqs[0], "modify_permission_group")
			assert.JSONEq(t, tc.want, reqs[0].Body)
		})
	}
	t.Run("FAIL envelope", func(t *testing.T) {
		m := newMock(t)
		m.respond("modify_permission_group", 200, `{"ActionStatus":"FAIL","ErrorCode":110006,"ErrorInfo":"gone"}`)
		err := m.client.ModifyPermissionGroup(context.Background(), &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_x", Name: Ptr("n")})
		require.ErrorIs(t, err, ErrPermissionGroupNotFound)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "modify_permission_group", apiErr.Command)
		assert.Equal(t, "gone", apiErr.Info)
	})
}

func TestDestroyPermissionGroupsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("documented sample", func(t *testing.T) {
		m := newMock(t)
		m.respond("destroy_permission_group", 200, wwDestroyAnswer)
		res, err := m.client.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{"@PMG#_@PMG#cM2", "@PMG#_@PMG#cN3"}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "destroy_permission_group")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupIdList":["@PMG#_@PMG#cM2","@PMG#_@PMG#cN3"]}`, reqs[0].Body)
		assert.Equal(t, wwOK("destroy_permission_group", "@PMG#_@PMG#cM2", "@PMG#_@PMG#cN3"), res)
		for _, r := range res {
			assert.NoError(t, r.Err())
		}
	})
	t.Run("per-item code as a string", func(t *testing.T) {
		m := newMock(t)
		m.respond("destroy_permission_group", 200, wwAnswerItems("destroy_permission_group",
			`{"ErrorCode":"110006","ErrorInfo":"no such group","PermissionGroupId":"@PMG#_@PMG#cM2"}`))
		res, err := m.client.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{"@PMG#_@PMG#cM2"}})
		require.NoError(t, err)
		assert.Equal(t, []ItemResult{{Command: "destroy_permission_group", ID: "@PMG#_@PMG#cM2", ErrorCode: ErrPermissionGroupNotFound, ErrorInfo: "no such group"}}, res)
	})
}

func TestAddTopicPermissionsWire(t *testing.T) {
	m := newMock(t)
	m.respond("add_topic_permission_group", 200, wwTopicAnswer)
	res, err := m.client.AddTopicPermissions(context.Background(), &TopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, Topics: []TopicPermissionSetting{{TopicID: wwTopic, Permission: 1234}}})

	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "add_topic_permission_group")
	assert.JSONEq(t, wwAddTopicBody, reqs[0].Body)
	assert.Equal(t, wwOK("add_topic_permission_group", wwTopic), res)
}

func TestSetTopicPermissionsWire(t *testing.T) {
	const other = seedCommunity + "@TOPIC#_@TOPIC#cTEJHIIM62CJ"
	m := newMock(t)
	m.respond("set_topic_permission_group", 200, wwAnswerItems("set_topic_permission_group",
		`{"ErrorCode":0,"ErrorInfo":"","TopicId":"`+wwTopic+`"}`,
		`{"ErrorCode":110011,"ErrorInfo":"topic not in group","TopicId":"`+other+`"}`))
	res, err := m.client.SetTopicPermissions(context.Background(), &TopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, Topics: []TopicPermissionSetting{{TopicID: wwTopic, Permission: 0}, {TopicID: other, Permission: TopicPermSendMessage | TopicPermAtAll}}})

	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "set_topic_permission_group")
	assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicPermissionList":[
		{"TopicId":"`+wwTopic+`","Permission":0},{"TopicId":"`+other+`","Permission":72}]}`, reqs[0].Body)
	assert.Equal(t, []ItemResult{
		{Command: "set_topic_permission_group", ID: wwTopic},
		{Command: "set_topic_permission_group", ID: other, ErrorCode: ErrTopicNotInPermissionGroup, ErrorInfo: "topic not in group"},
	}, res)
	assert.NoError(t, res[0].Err())
	assert.ErrorIs(t, res[1].Err(), ErrTopicNotInPermissionGroup)
}

func TestDeleteTopicPermissionsWire(t *testing.T) {
	m := newMock(t)
	m.respond("delete_topic_permission_group", 200, wwTopicAnswer)
	res, err := m.client.DeleteTopicPermissions(context.Background(), &DeleteTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, TopicIDs: []string{wwTopic}})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "delete_topic_permission_group")
	assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicIdList":["`+wwTopic+`"]}`, reqs[0].Body)
	assert.Equal(t, wwOK("delete_topic_permission_group", wwTopic), res)
}

func TestAddPermissionGroupMembersWire(t *testing.T) {
	m := newMock(t)
	m.respond("add_permission_group_member", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MemberList":[{"Member_Account":"tommy","Result":0},{"Member_Account":"jared","Result":10013}]}`)
	res, err := m.client.AddPermissionGroupMembers(context.Background(), &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy", "jared"}})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "add_permission_group_member")
	assert.JSONEq(t, wwMemberBody, reqs[0].Body)
	assert.Equal(t, []ItemResult{
		{Command: "add_permission_group_member", ID: "tommy"},
		{Command: "add_permission_group_member", ID: "jared", ErrorCode: ErrAlreadyMember},
	}, res)
	assert.NoError(t, res[0].Err())
	assert.ErrorIs(t, res[1].Err(), ErrAlreadyMember)
}

// TestPermissionGroupMemberResultShapes covers the per-member result of
// add_permission_group_member (and delete, read the same way). Result is an
// error code, as documented: 1 and 2 are codes, not success and
// already-a-member.
func TestPermissionGroupMemberResultShapes(t *testing.T) {
	cases := []struct {
		name string
		item string
		want ItemResult // ID "tommy"
	}{
		{"Result 0 is success", `{"Member_Account":"tommy","Result":0}`, ItemResult{}},
		{"Result 10013 is already a member", `{"Member_Account":"tommy","Result":10013}`, ItemResult{ErrorCode: ErrAlreadyMember}},
		{"Result 1 is error code 1, not success", `{"Member_Account":"tommy","Result":1}`, ItemResult{ErrorCode: 1}},
		{"Result 2 is error code 2, not already a member", `{"Member_Account":"tommy","Result":2}`, ItemResult{ErrorCode: 2}},
		{"Result as a string", `{"Member_Account":"tommy","Result":"10013"}`, ItemResult{ErrorCode: ErrAlreadyMember}},
		{"Result 1 as a string", `{"Member_Account":"tommy","Result":"1"}`, ItemResult{ErrorCode: 1}},
		{"other Result is its code", `{"Member_Account":"tommy","Result":110012}`, ItemResult{ErrorCode: ErrPermissionGroupMemberLimit}},
		{"no Result", `{"Member_Account":"tommy"}`, ItemResult{}},
		{"null Result", `{"Member_Account":"tommy","Result":null}`, ItemResult{}},
		{"ErrorCode form", `{"Member_Account":"tommy","ErrorCode":110012,"ErrorInfo":"full"}`, ItemResult{ErrorCode: ErrPermissionGroupMemberLimit, ErrorInfo: "full"}},
		{"ErrorCode form, success", `{"Member_Account":"tommy","ErrorCode":0,"ErrorInfo":""}`, ItemResult{}},
		{"ErrorCode as a string", `{"Member_Account":"tommy","ErrorCode":"10013","ErrorInfo":"dup"}`, ItemResult{ErrorCode: ErrAlreadyMember, ErrorInfo: "dup"}},
		{"ErrorCode 0 does not hide a Result", `{"Member_Account":"tommy","ErrorCode":0,"Result":10013}`, ItemResult{ErrorCode: ErrAlreadyMember}},
		{"ErrorCode 0 does not hide a Result of 2", `{"Member_Account":"tommy","ErrorCode":0,"Result":2}`, ItemResult{ErrorCode: 2}},
		{"a non-zero ErrorCode wins over Result", `{"Member_Account":"tommy","ErrorCode":110012,"Result":0}`, ItemResult{ErrorCode: ErrPermissionGroupMemberLimit}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("add_permission_group_member", 200, wwAnswerItems("add_permission_group_member", tc.item))
			res, err := m.client.AddPermissionGroupMembers(context.Background(), &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy"}})
			require.NoError(t, err)
			tc.want.Command, tc.want.ID = "add_permission_group_member", "tommy"
			assert.Equal(t, []ItemResult{tc.want}, res)
			if tc.want.ErrorCode == 0 {
				assert.NoError(t, res[0].Err())
			} else {
				assert.ErrorIs(t, res[0].Err(), tc.want.ErrorCode)
			}
		})
	}
	t.Run("Result that is not a number", func(t *testing.T) {
		m := newMock(t)
		m.respond("add_permission_group_member", 200, wwAnswerItems("add_permission_group_member", `{"Member_Account":"tommy","Result":"ok"}`))
		res, err := m.client.AddPermissionGroupMembers(context.Background(), &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy"}})
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, "add_permission_group_member", de.Command)
		assert.Empty(t, res)
	})
}

func TestDeletePermissionGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("envelope only: every account succeeded", func(t *testing.T) {
		m := newMock(t)
		m.respond("delete_permission_group_member", 200, okEnvelope)
		res, err := m.client.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy", "jared"}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "delete_permission_group_member")
		assert.JSONEq(t, wwMemberBody, reqs[0].Body)
		assert.Equal(t, wwOK("delete_permission_group_member", "tommy", "jared"), res)
	})
	t.Run("with a member list", func(t *testing.T) {
		m := newMock(t)
		m.respond("delete_permission_group_member", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MemberList":[{"Member_Account":"tommy","Result":0},{"Member_Account":"jared","ErrorCode":10019,"ErrorInfo":"no such user"}]}`)
		res, err := m.client.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy", "jared"}})
		require.NoError(t, err)
		assert.JSONEq(t, wwMemberBody, m.requests()[0].Body)
		assert.Equal(t, []ItemResult{
			{Command: "delete_permission_group_member", ID: "tommy"},
			{Command: "delete_permission_group_member", ID: "jared", ErrorCode: ErrUserNotFound, ErrorInfo: "no such user"},
		}, res)
		assert.ErrorIs(t, res[1].Err(), ErrUserNotFound)
	})
}

func TestItemResultErr(t *testing.T) {
	const cmd = "add_permission_group_member"
	assert.NoError(t, ItemResult{Command: cmd, ID: "a"}.Err())
	assert.NoError(t, ItemResult{Command: cmd, ID: "a", ErrorInfo: "ignored without a code"}.Err())
	err := ItemResult{Command: cmd, ID: "a", ErrorCode: ErrAlreadyMember, ErrorInfo: "dup"}.Err()
	require.ErrorIs(t, err, ErrAlreadyMember)
	assert.False(t, errors.Is(err, ErrPermissionGroupNotFound))
	var itemErr *ItemError
	require.ErrorAs(t, err, &itemErr)
	assert.Equal(t, ItemError{Command: cmd, Kind: "account", ID: "a", Code: ErrAlreadyMember, Info: "dup"}, *itemErr)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "an item's failure is not a failed request")
	assert.Equal(t, "tim: add_permission_group_member: account a: error 10013: already a member (dup)", err.Error())

	// Server text that only repeats the code's meaning is not repeated.
	for _, info := range []string{"already a member", "Already a member.", ""} {
		err := ItemResult{Command: cmd, ID: "a", ErrorCode: ErrAlreadyMember, ErrorInfo: info}.Err()
		assert.Equal(t, "tim: add_permission_group_member: account a: error 10013: already a member", err.Error(), "info %q", info)
	}
}
