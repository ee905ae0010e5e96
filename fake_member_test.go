package tim_test

// Tests of the group-member commands, the group settings and Client.Do
// against the fake.

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// allMembers lists a community's members with the iterator.
func allMembers(t *testing.T, client *tim.Client, req *tim.GetGroupMembersRequest) []tim.GroupMember {
	t.Helper()
	var out []tim.GroupMember
	for m, err := range client.AllGroupMembers(context.Background(), req) {
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}

func accountsOf(members []tim.GroupMember) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.Account
	}
	return out
}

func TestFakeAddListAndDeleteMembers(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	accounts := make([]string, 250)
	for i := range accounts {
		accounts[i] = fmt.Sprintf("user%03d", i)
	}
	res, err := client.AddGroupMembers(ctx, &tim.AddGroupMembersRequest{GroupID: community, Accounts: append([]string{"amy"}, accounts...), Silence: true})
	require.NoError(t, err)
	require.Len(t, res, 251)
	assert.ErrorIs(t, res[0].Err(), tim.ErrAlreadyMember, "Result 2 reads as add_permission_group_member's 10013")
	for _, r := range res[1:] {
		assert.NoError(t, r.Err())
	}

	members := allMembers(t, client, &tim.GetGroupMembersRequest{GroupID: community})
	assert.Equal(t, append([]string{"leckie", "amy", "peter"}, accounts...), accountsOf(members), "every member, in the order joined")
	assert.Len(t, srv.RequestsFor(tim.CommandGetGroupMemberInfo), 3, "253 members at 100 a page")
	assert.Equal(t, tim.RoleOwner, members[0].Role)
	assert.Equal(t, tim.MsgFlagAcceptAndNotify, members[0].MsgFlag)

	page, err := client.GetGroupMembers(ctx, &tim.GetGroupMembersRequest{GroupID: community, Limit: 2, Filter: tim.MemberFilter{Roles: []tim.Role{tim.RoleAdmin, tim.RoleOwner}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"leckie", "amy"}, accountsOf(page.Members))
	assert.Equal(t, 253, page.MemberCount)
	assert.Empty(t, page.Next, "the role filter leaves two")

	// Deleting leaves the permission groups too (inferred), and a non-member succeeds.
	res, err = client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{GroupID: community, Accounts: []string{"amy", "nobody"}, Reason: "bye"})
	require.NoError(t, err)
	assert.Equal(t, []tim.ErrorCode{0, 0}, codes(res))
	inGroup, err := srv.PermissionGroupMembers(community, "@PMG#_mods")
	require.NoError(t, err)
	assert.Equal(t, []string{"peter"}, inGroup)
	roles, err := srv.Members(community)
	require.NoError(t, err)
	assert.NotContains(t, roles, "amy")

	_, err = client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{GroupID: community, Accounts: []string{"peter", "leckie"}})
	assert.ErrorIs(t, err, tim.ErrInvalidParameter, "the owner cannot be removed")
	roles, err = srv.Members(community)
	require.NoError(t, err)
	assert.Contains(t, roles, "peter", "nothing was removed")

	_, err = client.AddGroupMembers(ctx, &tim.AddGroupMembersRequest{GroupID: "@TGS#_nope", Accounts: []string{"a"}})
	assert.ErrorIs(t, err, tim.ErrGroupNotFound)
}

func TestFakeSpecifiedMembersAndModify(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t, timtest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	require.NoError(t, client.ModifyGroupMember(ctx, &tim.ModifyGroupMemberRequest{
		GroupID: community, Account: "peter", Role: tim.Ptr(tim.RoleAdmin), NameCard: tim.Ptr("Pete"), MsgFlag: tim.Ptr(tim.MsgFlagDiscard),
		MuteFor: tim.Ptr(time.Hour), CustomData: map[string]string{"level": "3"},
	}))
	got, err := client.GetSpecifiedGroupMembers(ctx, &tim.GetSpecifiedGroupMembersRequest{GroupID: community, Accounts: []string{"nobody", "peter", "amy"}})
	require.NoError(t, err)
	require.Equal(t, []string{"peter", "amy"}, accountsOf(got), "a non-member is left out")
	peter := got[0]
	assert.Equal(t, []any{tim.RoleAdmin, "Pete", tim.MsgFlagDiscard, int64(1700000000 + 3600), map[string]string{"level": "3"}},
		[]any{peter.Role, peter.NameCard, peter.MsgFlag, peter.MutedUntil, peter.CustomData})

	require.NoError(t, client.ModifyGroupMember(ctx, &tim.ModifyGroupMemberRequest{GroupID: community, Account: "peter", MuteFor: tim.Ptr(time.Duration(0))}))
	got, err = client.GetSpecifiedGroupMembers(ctx, &tim.GetSpecifiedGroupMembersRequest{GroupID: community, Accounts: []string{"peter"}, Filter: tim.MemberFilter{Fields: []string{"MuteUntil"}}})
	require.NoError(t, err)
	assert.Zero(t, got[0].MutedUntil, "0 lifts the mute")
	assert.Empty(t, got[0].NameCard, "the filter left the name card out")

	err = client.ModifyGroupMember(ctx, &tim.ModifyGroupMemberRequest{GroupID: community, Account: "leckie", Role: tim.Ptr(tim.RoleMember)})
	assert.ErrorIs(t, err, tim.ErrInvalidParameter, "the owner's role")
	err = client.ModifyGroupMember(ctx, &tim.ModifyGroupMemberRequest{GroupID: community, Account: "nobody", NameCard: tim.Ptr("x")})
	assert.ErrorIs(t, err, tim.ErrInvalidParameter, "not a member")
	assert.Equal(t, `{"GroupId":"`+community+`","Member_Account":"peter","MuteTime":0}`, string(srv.RequestsFor(tim.CommandModifyGroupMemberInfo)[1].Body))
}

func TestFakeImportMembers(t *testing.T) {
	ctx := context.Background()
	var now atomic.Int64
	now.Store(1700000000)
	srv, client := seeded(t, timtest.WithClock(func() time.Time { return time.Unix(now.Load(), 0) }))
	now.Add(3600) // the community was made an hour ago
	res, err := client.ImportGroupMembers(ctx, &tim.ImportGroupMembersRequest{GroupID: community, Members: []tim.ImportedMember{
		{Account: "old", Role: tim.RoleAdmin, JoinTime: 1700000100},
		{Account: "early", JoinTime: 1600000000},
		{Account: "amy"},
		{Account: "new"},
	}})
	require.NoError(t, err)
	assert.Equal(t, []tim.ErrorCode{0, tim.ErrNotAdded, tim.ErrAlreadyMember, 0}, codes(res), "a JoinTime before the community fails alone")
	roles, err := srv.Members(community)
	require.NoError(t, err)
	assert.Equal(t, tim.RoleAdmin, roles["old"])
	assert.Equal(t, tim.RoleMember, roles["new"])
	assert.NotContains(t, roles, "early")
	got, err := client.GetSpecifiedGroupMembers(ctx, &tim.GetSpecifiedGroupMembersRequest{GroupID: community, Accounts: []string{"old"}})
	require.NoError(t, err)
	assert.Equal(t, int64(1700000100), got[0].JoinTime)
}

func TestFakeGroupSettings(t *testing.T) {
	ctx := context.Background()
	_, client := seeded(t)
	require.NoError(t, client.ModifyGroupBaseInfo(ctx, &tim.ModifyGroupBaseInfoRequest{
		GroupID: community, Name: tim.Ptr("Gamers"), Introduction: tim.Ptr("All games"), MuteAll: tim.Ptr(true),
		PermissionGroupsEnabled: tim.Ptr(true), DefaultPermission: tim.Ptr(tim.GroupPermSendMessage | tim.GroupPermReadHistory),
	}))
	infos, err := client.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{GroupIDs: []string{community}})
	require.NoError(t, err)
	g := infos[0]
	assert.Equal(t, []any{"Gamers", "All games", "", true, true, tim.GroupPermSendMessage | tim.GroupPermReadHistory},
		[]any{g.Name, g.Introduction, g.Notification, *g.MuteAll, *g.PermissionGroupsEnabled, *g.DefaultPermission})

	filtered, err := client.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{GroupIDs: []string{community}, ResponseFilter: &tim.GroupInfoFilter{BaseInfo: []string{"Name"}}})
	require.NoError(t, err)
	assert.Equal(t, "Gamers", filtered[0].Name)
	assert.Nil(t, filtered[0].PermissionGroupsEnabled, "left out by the filter")

	require.NoError(t, client.ModifyGroupBaseInfo(ctx, &tim.ModifyGroupBaseInfoRequest{GroupID: community, PermissionGroupsEnabled: tim.Ptr(false)}))
	err = client.ModifyGroupBaseInfo(ctx, &tim.ModifyGroupBaseInfoRequest{GroupID: community, DefaultPermission: tim.Ptr(tim.GroupPermission(0))})
	assert.ErrorIs(t, err, tim.ErrInvalidParameter, "a default permission needs permission groups enabled")
}

// Do reaches the commands the SDK types, under their services, as the fake
// checks them: the signature verifies and the body is the one given.
func TestFakeDo(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	body := json.RawMessage(`{"GroupId":"` + community + `", "TopicName":"Raw"}`)
	var created struct {
		TopicID string `json:"TopicId"`
	}
	require.NoError(t, client.Do(ctx, tim.ServiceMillionGroup, tim.CommandCreateTopic, body, &created))
	assert.Contains(t, created.TopicID, "@TOPIC#_@TOPIC#")
	req := srv.RequestsFor(tim.CommandCreateTopic)[0]
	assert.True(t, req.UserSigValid)
	assert.Equal(t, string(body), string(req.Body))
	assert.Equal(t, "/v4/million_group_open_http_svc/create_topic", req.Path)

	err := client.Do(ctx, tim.ServiceGroup, tim.CommandCreateTopic, body, nil)
	assert.ErrorIs(t, err, tim.ErrInvalidCommand, "a command under the wrong service: 10003")
	err = client.Do(ctx, "no_such_svc", "create_topic", body, nil)
	assert.ErrorIs(t, err, tim.ErrBadURL, "a service the REST layer does not know: 60002")

	require.NoError(t, srv.FailNext(tim.CommandAddGroupMember, 1, timtest.Fault{Drop: true, AfterApply: true}))
	err = client.Do(ctx, tim.ServiceGroup, tim.CommandAddGroupMember, map[string]any{"GroupId": community, "MemberList": []map[string]string{{"Member_Account": "zoe"}}}, nil)
	require.Error(t, err)
	assert.Len(t, srv.RequestsFor(tim.CommandAddGroupMember), 1, "applied, answer lost: not sent twice")
	roles, err := srv.Members(community)
	require.NoError(t, err)
	assert.Contains(t, roles, "zoe")
}
