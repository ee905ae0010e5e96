package tim

// Wire tests of the reads (get_permission_group, get_role_in_group,
// get_topic_permission_group): what is sent (path, signed query, exact
// body) and how the answers decode.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetPermissionGroupsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("first page", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group", 200, seedPermissionGroupsAll)
		page, err := m.client.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 20})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_permission_group")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","Limit":20,"Next":""}`, reqs[0].Body)

		require.Len(t, page.PermissionGroups, 3)
		assert.Equal(t, "", page.Next)
		for i, id := range []string{"@PMG#_@PMG#cO4", "@PMG#_@PMG#cP5", "@PMG#_@PMG#cQ6"} {
			g := page.PermissionGroups[i]
			assert.Equal(t, PermissionGroup{ID: id, Name: "test_permission_group", CustomString: "test_custom_string", Permission: 123}, g)
			assert.NoError(t, g.Err())
		}
	})
	t.Run("by id", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group", 200, seedPermissionGroupsByID)
		page, err := m.client.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{
			GroupID:            seedCommunity,
			PermissionGroupIDs: []string{"@PMG#_test_permission_group_with_topic", "@PMG#_@PMG#cA7VPIIM62CJ"},
		})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupIdList":["@PMG#_test_permission_group_with_topic","@PMG#_@PMG#cA7VPIIM62CJ"]}`, reqs[0].Body)
		require.Len(t, page.PermissionGroups, 2)
		assert.Equal(t, "@PMG#_test_permission_group_with_topic", page.PermissionGroups[0].ID)
		assert.Equal(t, 1, page.PermissionGroups[0].MemberCount)
		assert.Equal(t, 0, page.PermissionGroups[1].MemberCount)
	})
	t.Run("later page sends the cursor", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","PermissionGroupInfoList":[],"Next":"40"}`)
		page, err := m.client.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 5, Next: "20"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","Limit":5,"Next":"20"}`, m.requests()[0].Body)
		assert.Equal(t, "40", page.Next)
		assert.NotNil(t, page.PermissionGroups)
	})
}

func TestGetPermissionGroupsDecoding(t *testing.T) {
	cases := []struct {
		name string
		item string
		next string
		want PermissionGroup
		cur  string
	}{
		{"MemberNum instead of MemberCount", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","MemberNum":7,"CreateTime":1700000000}`, `""`,
			PermissionGroup{ID: "@PMG#_a", MemberCount: 7, CreateTime: 1700000000}, ""},
		{"MemberCount wins over MemberNum", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","MemberCount":3,"MemberNum":9}`, `""`,
			PermissionGroup{ID: "@PMG#_a", MemberCount: 3}, ""},
		{"numeric cursor", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `12345`, PermissionGroup{ID: "@PMG#_a"}, "12345"},
		{"numeric zero cursor ends", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `0`, PermissionGroup{ID: "@PMG#_a"}, ""},
		{"null cursor ends", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `null`, PermissionGroup{ID: "@PMG#_a"}, ""},
		{"string cursor", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `"abc"`, PermissionGroup{ID: "@PMG#_a"}, "abc"},
		{"64-bit permission and unknown fields", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","Permission":18446744073709551615,"Extra":{"x":1}}`, `""`,
			PermissionGroup{ID: "@PMG#_a", Permission: 1<<64 - 1}, ""},
		{"per-item failure", `{"ErrorCode":110006,"ErrorInfo":"gone","PermissionGroupId":"@PMG#_gone"}`, `""`,
			PermissionGroup{ID: "@PMG#_gone", ErrorCode: ErrPermissionGroupNotFound, ErrorInfo: "gone"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_permission_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","PermissionGroupInfoList":[`+tc.item+`],"Next":`+tc.next+`}`)
			page, err := m.client.GetPermissionGroups(context.Background(), &GetPermissionGroupsRequest{GroupID: seedCommunity})
			require.NoError(t, err)
			require.Len(t, page.PermissionGroups, 1)
			assert.Equal(t, tc.want, page.PermissionGroups[0])
			assert.Equal(t, tc.cur, page.Next)
		})
	}
	t.Run("per-item error is typed", func(t *testing.T) {
		g := PermissionGroup{ID: "@PMG#_gone", ErrorCode: ErrPermissionGroupNotFound, ErrorInfo: "gone"}
		err := g.Err()
		require.ErrorIs(t, err, ErrPermissionGroupNotFound)
		var itemErr *ItemError
		require.ErrorAs(t, err, &itemErr)
		assert.Equal(t, "get_permission_group", itemErr.Command)
		assert.Equal(t, "permission group", itemErr.Kind)
		assert.Equal(t, "@PMG#_gone", itemErr.ID)
		assert.Equal(t, "gone", itemErr.Info)
		var apiErr *APIError
		assert.False(t, errors.As(err, &apiErr), "a per-item failure is not a failed request")
	})
}

func TestGetRoleInGroupWire(t *testing.T) {
	m := newMock(t)
	m.respond("get_role_in_group", 200, seedRoles)
	roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "get_role_in_group")
	assert.JSONEq(t, `{"GroupId":"@TGS#2C5SZEAEF","User_Account":["leckie","peter","wesley"]}`, reqs[0].Body)
	assert.Equal(t, []MemberRole{{"leckie", RoleOwner}, {"peter", RoleMember}, {"wesley", RoleNotMember}}, roles)
}

func TestGetRoleInGroupDecoding(t *testing.T) {
	ctx := context.Background()
	t.Run("unknown role is kept", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"a","Role":"SuperAdmin"}]}`)
		roles, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.NoError(t, err)
		assert.Equal(t, Role("SuperAdmin"), roles[0].Role)
		assert.False(t, roles[0].Role.Known())
	})
	t.Run("answer out of order is put in input order", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"b","Role":"Admin"},{"Member_Account":"a","Role":"Owner"}]}`)
		roles, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a", "b", "a"}})
		require.NoError(t, err)
		assert.Equal(t, []MemberRole{{"a", RoleOwner}, {"b", RoleAdmin}, {"a", RoleOwner}}, roles)
	})
	t.Run("account missing from the answer", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"a","Role":"Owner"}]}`)
		_, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a", "b"}})
		var decErr *DecodeError
		require.ErrorAs(t, err, &decErr)
		assert.Contains(t, err.Error(), `"b"`)
	})
}

func TestGetRoleInGroupSplitStopsAtFirstFailure(t *testing.T) {
	m := newMock(t, WithMaxConcurrency(1))
	calls := 0
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
		var body getRoleInGroupBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, err
		}
		calls++ // concurrency 1: no race
		if calls == 2 {
			return httpmock.NewStringResponse(200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone"}`), nil
		}
		resp := getRoleInGroupResponse{envelope: envelope{ActionStatus: "OK"}}
		for _, a := range body.Accounts {
			resp.UserIDList = append(resp.UserIDList, roleItem{a, RoleNotMember})
		}
		return httpmock.NewJsonResponse(200, resp)
	})
	accounts := make([]string, 2000)
	for i := range accounts {
		accounts[i] = "u" + strconv.Itoa(i)
	}
	roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: accounts})
	require.ErrorIs(t, err, ErrGroupNotFound)
	assert.Nil(t, roles, "no partial result")
	assert.Equal(t, 2, calls, "the calls after the failure are not sent")
}

func TestGetTopicPermissionsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("all topics: TopicIdList left out", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_topic_permission_group", 200, seedTopicPermissionsAll)
		res, err := m.client.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_test_permission_group_with_topic"})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_topic_permission_group")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic"}`, reqs[0].Body)
		assert.Equal(t, []TopicPermissionResult{
			{TopicID: "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cKXPQIIM62CD", Permission: 1234},
			{TopicID: "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ", Permission: 123456},
		}, res)
	})
	t.Run("chosen topics", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_topic_permission_group", 200, seedTopicPermissionsOne)
		res, err := m.client.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{
			GroupID: seedCommunity, PermissionGroupID: "@PMG#_test_permission_group_with_topic",
			TopicIDs: []string{"@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ"},
		})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicIdList":["@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ"]}`, m.requests()[0].Body)
		require.Len(t, res, 1)
		assert.Equal(t, TopicPermission(123456), res[0].Permission)
	})
	t.Run("per-item failure", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_topic_permission_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","TopicPermissionResultList":[{"ErrorCode":110014,"ErrorInfo":"deleted","TopicId":"t"}]}`)
		res, err := m.client.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_x"})
		require.NoError(t, err)
		require.Len(t, res, 1)
		assert.ErrorIs(t, res[0].Err(), ErrTopicPermissionAlreadyDeleted)
	})
}

func TestGetRoleInGroupFailureCancelsRequestsInFlight(t *testing.T) {
	m := newMock(t, WithMaxConcurrency(2))
	secondArrived := make(chan struct{})
	secondCancelled := make(chan bool, 1)
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
		var body getRoleInGroupBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, err
		}
		if body.Accounts[0] == "u0" { // the first chunk fails once the second is in flight
			select {
			case <-secondArrived:
			case <-time.After(5 * time.Second):
			}
			return httpmock.NewStringResponse(200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone"}`), nil
		}
		close(secondArrived)
		select {
		case <-r.Context().Done():
			secondCancelled <- true
			return nil, r.Context().Err()
		case <-time.After(5 * time.Second):
			secondCancelled <- false
			return httpmock.NewStringResponse(200, okEnvelope), nil
		}
	})
	accounts := make([]string, 1000)
	for i := range accounts {
		accounts[i] = "u" + strconv.Itoa(i)
	}
	roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: accounts})
	require.ErrorIs(t, err, ErrGroupNotFound, "the first failure is the one returned")
	assert.Nil(t, roles)
	assert.True(t, <-secondCancelled, "the request in flight was cancelled")
}
