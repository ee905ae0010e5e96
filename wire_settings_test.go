package tim

// Wire tests of a group's settings: modify_group_base_info, and
// get_group_info's ResponseFilter and profile fields.

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModifyGroupBaseInfoWire(t *testing.T) {
	ctx := context.Background()
	m := newMock(t)
	m.respond("modify_group_base_info", 200, okEnvelope)
	require.NoError(t, m.client.ModifyGroupBaseInfo(ctx, &ModifyGroupBaseInfoRequest{
		GroupID: seedCommunity, Name: Ptr("NewName"), Introduction: Ptr("NewIntroduction"), Notification: Ptr(""),
		FaceURL: Ptr("http://this.is.new.face.url"), MuteAll: Ptr(true), PermissionGroupsEnabled: Ptr(true), DefaultPermission: Ptr(GroupPermSendMessage),
	}))
	require.NoError(t, m.client.ModifyGroupBaseInfo(ctx, &ModifyGroupBaseInfoRequest{GroupID: seedCommunity, MuteAll: Ptr(false), PermissionGroupsEnabled: Ptr(false), DefaultPermission: Ptr(GroupPermission(0))}))
	require.NoError(t, m.client.ModifyGroupBaseInfo(ctx, &ModifyGroupBaseInfoRequest{GroupID: "@TGS#1NVTZEAE4", Name: Ptr(strings.Repeat("名", 33))}))
	reqs := m.requests()
	require.Len(t, reqs, 3)
	assertSigned(t, reqs[0], "modify_group_base_info")
	assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Name":"NewName","Introduction":"NewIntroduction","Notification":"",
		"FaceUrl":"http://this.is.new.face.url","MuteAllMember":"On","EnablePermission":1,"DefaultPermission":64}`, reqs[0].Body)
	assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","MuteAllMember":"Off","EnablePermission":0,"DefaultPermission":0}`, reqs[1].Body,
		"off and zero are sent, not left out")
	assert.JSONEq(t, `{"GroupId":"@TGS#1NVTZEAE4","Name":"`+strings.Repeat("名", 33)+`"}`, reqs[2].Body, "any group type; 99 bytes is under the larger limit")

	for _, tc := range []struct {
		name  string
		req   *ModifyGroupBaseInfoRequest
		field string
	}{
		{"nothing set", &ModifyGroupBaseInfoRequest{GroupID: seedCommunity}, "req"},
		{"no group", &ModifyGroupBaseInfoRequest{Name: Ptr("n")}, "GroupID"},
		{"an empty name", &ModifyGroupBaseInfoRequest{GroupID: seedCommunity, Name: Ptr("")}, "Name"},
		{"a name of 101 bytes", &ModifyGroupBaseInfoRequest{GroupID: seedCommunity, Name: Ptr(strings.Repeat("x", 101))}, "Name"},
		{"an introduction of 401 bytes", &ModifyGroupBaseInfoRequest{GroupID: seedCommunity, Introduction: Ptr(strings.Repeat("x", 401))}, "Introduction"},
		{"a face URL of 101 bytes", &ModifyGroupBaseInfoRequest{GroupID: seedCommunity, FaceURL: Ptr(strings.Repeat("x", 101))}, "FaceURL"},
		{"permission settings of another group type", &ModifyGroupBaseInfoRequest{GroupID: "@TGS#1NVTZEAE4", PermissionGroupsEnabled: Ptr(true)}, "GroupID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := m.client.ModifyGroupBaseInfo(ctx, tc.req)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Len(t, m.requests(), 3, "nothing more was sent")
}

func TestGetGroupInfoFilterAndProfile(t *testing.T) {
	ctx := context.Background()
	t.Run("the filter is sent under its wire names", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_group_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[{"GroupId":"`+seedCommunity+`","ErrorCode":0,"EnablePermission":1,"DefaultPermission":64}]}`)
		infos, err := m.client.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: []string{seedCommunity}, ResponseFilter: &GroupInfoFilter{
			BaseInfo: []string{"EnablePermission", "DefaultPermission"}, MemberInfo: []string{"Role"},
			GroupCustomData: []string{"g1"}, MemberCustomData: []string{"m1"},
		}})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupIdList":["`+seedCommunity+`"],"ResponseFilter":{"GroupBaseInfoFilter":["EnablePermission","DefaultPermission"],
			"MemberInfoFilter":["Role"],"AppDefinedDataFilter_Group":["g1"],"AppDefinedDataFilter_GroupMember":["m1"]}}`, m.requests()[0].Body)
		require.NotNil(t, infos[0].PermissionGroupsEnabled)
		assert.True(t, *infos[0].PermissionGroupsEnabled)
		assert.Nil(t, infos[0].MuteAll, "a field the filter left out is nil")
	})
	t.Run("no filter: the body is as before", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_group_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[{"GroupId":"g","ErrorCode":0}]}`)
		_, err := m.client.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: []string{"g"}})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupIdList":["g"]}`, m.requests()[0].Body)
	})
	for _, tc := range []struct {
		name, fields string
		want         bool
	}{
		{"MuteAllMember On", `"MuteAllMember":"On"`, true},
		{"MuteAllMember Off", `"MuteAllMember":"Off"`, false},
		{"the older ShutUpAllMember", `"ShutUpAllMember":"On"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_group_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[{"GroupId":"g","ErrorCode":0,"Name":"N","Introduction":"I","Notification":"No","FaceUrl":"F",`+tc.fields+`}]}`)
			infos, err := m.client.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: []string{"g"}})
			require.NoError(t, err)
			g := infos[0]
			assert.Equal(t, []string{"N", "I", "No", "F"}, []string{g.Name, g.Introduction, g.Notification, g.FaceURL})
			require.NotNil(t, g.MuteAll)
			assert.Equal(t, tc.want, *g.MuteAll)
		})
	}
	t.Run("an empty filter name is refused", func(t *testing.T) {
		m := newMock(t)
		_, err := m.client.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: []string{"g"}, ResponseFilter: &GroupInfoFilter{BaseInfo: []string{""}}})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "ResponseFilter.BaseInfo[0]", ve.Field)
		assert.Equal(t, "GroupBaseInfoFilter", ve.Param)
		assert.Empty(t, m.requests())
	})
}
