package tim_test

// A short program written the way a new user would write it from the
// README: a "can this member post?" check, a listing that skips one bad
// item but stops on a failed request, and a split write whose second
// request fails, keeping the confirmed results. It runs against the fake
// and, the same code, against httpmock after httpmock.Activate().

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// canPost is the user's handler logic: members of the community may post.
func canPost(ctx context.Context, client *tim.Client, groupID, account string) (bool, error) {
	role, err := client.RoleOf(ctx, groupID, account)
	if err != nil {
		return false, err
	}
	return role.IsMember(), nil
}

// groupNames lists the names of the permission groups, skipping the ones
// the server could not return.
func groupNames(ctx context.Context, client *tim.Client, req *tim.GetPermissionGroupsRequest) (names []string, skipped []string, err error) {
	for g, err := range client.AllPermissionGroups(ctx, req) {
		var itemErr *tim.ItemError
		if errors.As(err, &itemErr) {
			skipped = append(skipped, itemErr.ID)
			continue
		}
		if err != nil {
			return names, skipped, err
		}
		names = append(names, g.Name)
	}
	return names, skipped, nil
}

// addModerators adds accounts and returns the ones confirmed added, even
// when a later request fails.
func addModerators(ctx context.Context, client *tim.Client, groupID, pgID string, accounts []string) (added []string, err error) {
	results, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: groupID, PermissionGroupID: pgID, Accounts: accounts})
	var batch *tim.BatchError
	if errors.As(err, &batch) {
		results = batch.Results // the same slice: nothing confirmed is lost
	}
	for _, r := range results {
		if r.Err() == nil {
			added = append(added, r.ID)
		}
	}
	return added, err
}

func accountsN(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("m%03d", i)
	}
	return out
}

func TestNewUserProgramAgainstTheFake(t *testing.T) {
	srv, client := seamServer(t)
	ctx := context.Background()
	for _, a := range accountsN(150) {
		require.NoError(t, srv.AddMember(seamGroup, a, tim.RoleMember))
	}
	for i := range 24 {
		_, err := srv.CreatePermissionGroup(seamGroup, timtest.PermissionGroup{ID: fmt.Sprintf("@PMG#_g%02d", i), Name: fmt.Sprintf("g%02d", i)})
		require.NoError(t, err)
	}

	ok, err := canPost(ctx, client, seamGroup, "alice")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = canPost(ctx, client, seamGroup, "stranger")
	require.NoError(t, err)
	assert.False(t, ok)

	names, skipped, err := groupNames(ctx, client, &tim.GetPermissionGroupsRequest{GroupID: seamGroup, PermissionGroupIDs: []string{seamPG, "@PMG#_gone"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"seams"}, names)
	assert.Equal(t, []string{"@PMG#_gone"}, skipped, "the bad ID is skipped, the listing goes on")

	require.NoError(t, srv.FailNext(tim.CommandGetPermissionGroup, 1, timtest.Fault{Pass: true}))
	require.NoError(t, srv.FailNext(tim.CommandGetPermissionGroup, 1, timtest.Fault{Code: tim.ErrGroupNotFound}))
	names, _, err = groupNames(ctx, client, &tim.GetPermissionGroupsRequest{GroupID: seamGroup})
	assert.ErrorIs(t, err, tim.ErrGroupNotFound, "a failed request ends the listing with its error")
	assert.Len(t, names, 20, "the first page came through")

	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Pass: true}))
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Drop: true}))
	added, err := addModerators(ctx, client, seamGroup, seamPG, accountsN(150))
	require.Error(t, err)
	assert.Len(t, added, 100, "the first request's accounts are confirmed")
	var batch *tim.BatchError
	require.ErrorAs(t, err, &batch)
	assert.Len(t, batch.Unconfirmed, 50)
	assert.True(t, batch.MayHaveApplied())
	assert.True(t, strings.HasPrefix(err.Error(), "tim: add_permission_group_member: request 2 of 2 failed after 100 accounts were done; its 50 accounts may or may not have been applied: "), err.Error())
}

func TestNewUserProgramAgainstHTTPMock(t *testing.T) {
	httpmock.Activate()
	t.Cleanup(httpmock.DeactivateAndReset)
	client, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("key"))
	require.NoError(t, err)
	defer client.Close()
	ctx := context.Background()
	const base = "https://adminapisgp.im.qcloud.com/v4/group_open_http_svc/"

	httpmock.RegisterResponder(http.MethodPost, base+"get_role_in_group",
		httpmock.NewStringResponder(200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"alice","Role":"Member"}]}`))
	ok, err := canPost(ctx, client, seamGroup, "alice")
	require.NoError(t, err)
	assert.True(t, ok)

	httpmock.RegisterResponder(http.MethodPost, base+"get_permission_group",
		httpmock.NewStringResponder(200, `{"ActionStatus":"OK","ErrorCode":0,"Next":"","PermissionGroupInfoList":[
			{"PermissionGroupId":"@PMG#_seams","PermissionGroupName":"seams","ErrorCode":0},
			{"PermissionGroupId":"@PMG#_gone","ErrorCode":110006,"ErrorInfo":"permission group does not exist"}]}`))
	names, skipped, err := groupNames(ctx, client, &tim.GetPermissionGroupsRequest{GroupID: seamGroup, PermissionGroupIDs: []string{seamPG, "@PMG#_gone"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"seams"}, names)
	assert.Equal(t, []string{"@PMG#_gone"}, skipped)

	calls := 0
	httpmock.RegisterResponder(http.MethodPost, base+"add_permission_group_member", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 2 {
			return httpmock.NewStringResponse(200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"group not found"}`), nil
		}
		var list []string
		for _, a := range accountsN(100) {
			list = append(list, fmt.Sprintf(`{"Member_Account":%q,"Result":0}`, a))
		}
		return httpmock.NewStringResponse(200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[`+strings.Join(list, ",")+`]}`), nil
	})
	added, err := addModerators(ctx, client, seamGroup, seamPG, accountsN(150))
	assert.ErrorIs(t, err, tim.ErrGroupNotFound)
	assert.Len(t, added, 100)
	var batch *tim.BatchError
	require.ErrorAs(t, err, &batch)
	assert.False(t, batch.MayHaveApplied(), "a refusal: the second request's accounts were not added")
	assert.Equal(t, "tim: add_permission_group_member: request 2 of 2 failed after 100 accounts were done; its 50 accounts were not applied: error 10010: group does not exist or was dissolved (group not found)", err.Error())
}
