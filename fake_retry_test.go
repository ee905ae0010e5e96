package tim_test

// Writes whose answer is lost or refused, against the fake's state: what
// is sent again, what is not, and how a split write that failed accounts
// for every item.

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// TestFakeLostWriteResponsesAreNotSentAgain checks the retry rule for writes
// that are not idempotent against the fake's state: when the service applied
// a request and the answer was lost, the client does not send it again, so
// nothing is done twice; an idempotent write is sent again.
func TestFakeLostWriteResponsesAreNotSentAgain(t *testing.T) {
	ctx := context.Background()
	lost := map[string]timtest.Fault{
		"dropped connection": {Drop: true, AfterApply: true},
		"502 page":           {Status: http.StatusBadGateway, AfterApply: true},
		"10002":              {Code: tim.ErrInternal, AfterApply: true},
	}
	for name, fault := range lost {
		t.Run(name+" after applying", func(t *testing.T) {
			srv, client := seeded(t) // timtest.FastRetries(): millisecond backoffs

			require.NoError(t, srv.FailNext("create_permission_group", 1, fault))
			_, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, Name: "once"})
			require.Error(t, err)
			assert.Len(t, srv.RequestsFor("create_permission_group"), 1, "a create that may have been applied is not sent again")
			page, err := client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community})
			require.NoError(t, err)
			assert.Len(t, page.PermissionGroups, 2, "@PMG#_mods and the one create, applied once")

			require.NoError(t, srv.FailNext("add_permission_group_member", 1, fault))
			_, err = client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Accounts: []string{"leckie"}})
			require.Error(t, err)
			assert.Len(t, srv.RequestsFor("add_permission_group_member"), 1)
			assert.Equal(t, []string{"amy", "peter", "leckie"}, readMembers(t, client, "@PMG#_mods", 0), "applied once")

			// modify_permission_group is idempotent: sent again, and the answer arrives.
			require.NoError(t, srv.FailNext("modify_permission_group", 1, fault))
			require.NoError(t, client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Name: tim.Ptr("m2")}))
			assert.Len(t, srv.RequestsFor("modify_permission_group"), 2)
			assert.Equal(t, "m2", readGroup(t, client, "@PMG#_mods").Name)
		})
	}

	t.Run("opted in", func(t *testing.T) {
		srv, _ := seeded(t)
		policy := timtest.FastRetries()
		policy.RetryNonIdempotent = true
		client, err := srv.NewClient(tim.WithRetryPolicy(policy))
		require.NoError(t, err)
		require.NoError(t, srv.FailNext("add_permission_group_member", 1, timtest.Fault{Drop: true, AfterApply: true}))
		res, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Accounts: []string{"leckie"}})
		require.NoError(t, err)
		assert.Len(t, srv.RequestsFor("add_permission_group_member"), 2)
		assert.ErrorIs(t, res[0].Err(), tim.ErrAlreadyMember, "the resend finds the first one's work done")
	})

	t.Run("refused before acting: retried for every command", func(t *testing.T) {
		srv, client := seeded(t)
		require.NoError(t, srv.FailNext("create_permission_group", 1, timtest.Fault{Code: tim.ErrRateLimitExceeded}))
		require.NoError(t, srv.FailNext("create_permission_group", 1, timtest.Fault{Drop: true})) // dropped before applying: still unknown to the client
		_, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, Name: "n"})
		var te *tim.TransportError
		require.ErrorAs(t, err, &te, "a dropped connection may have been applied, so the create stops there")
		assert.Equal(t, 2, te.Attempts, "the 60007 was retried, the drop was not")
	})
}

// TestFakeSplitWriteFailureAccountsForEveryItem destroys 25 groups when the
// second request is applied but its answer is unreadable: the first 20 come
// back confirmed, the other 5 as unconfirmed, and reading back shows what
// the service did.
func TestFakeSplitWriteFailureAccountsForEveryItem(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	var ids []string
	for i := range 25 {
		id, err := srv.CreatePermissionGroup(community, timtest.PermissionGroup{Name: "g" + strconv.Itoa(i)})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	require.NoError(t, srv.FailNext("destroy_permission_group", 1, timtest.Fault{Pass: true}))                       // the first request is answered
	require.NoError(t, srv.FailNext("destroy_permission_group", 1, timtest.Fault{Truncate: true, AfterApply: true})) // the second is applied, its answer cut

	res, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: ids})
	var be *tim.BatchError
	require.ErrorAs(t, err, &be)
	var de *tim.DecodeError
	assert.ErrorAs(t, err, &de, "the cause is still reachable")
	require.Len(t, res, 20)
	for i, r := range res {
		assert.Equal(t, tim.ItemResult{Command: tim.CommandDestroyPermissionGroup, ID: ids[i]}, r)
	}
	assert.Equal(t, res, be.Results)
	assert.Equal(t, 2, be.Request)
	assert.Equal(t, 2, be.Requests)
	assert.True(t, be.MayHaveApplied(), "the answer was cut: the service may have acted")
	assert.Equal(t, ids[20:], be.Unconfirmed)
	assert.Empty(t, be.NotSent)
	assert.Len(t, srv.RequestsFor("destroy_permission_group"), 2, "a destroy that may have been applied is not sent again")

	// Reading back settles the unconfirmed ones: the service did destroy them.
	page, err := client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: be.Unconfirmed})
	require.NoError(t, err)
	for _, g := range page.PermissionGroups {
		assert.ErrorIs(t, g.Err(), tim.ErrPermissionGroupNotFound, g.ID)
	}
}
