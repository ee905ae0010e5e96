package tim_test

// Helpers of the tests against the fake service in package timtest: the
// seeded community and its client, and reading the fake's state back
// through the SDK.

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const (
	community = "@TGS#_@TGS#cV6IHIIM62C4"
	topicA    = community + "@TOPIC#_a"
	topicB    = community + "@TOPIC#_b"
	topicC    = community + "@TOPIC#_c"
)

// seeded starts a fake with a community: owner leckie, admin amy, member
// peter; topics a, b, c; permission group @PMG#_mods with amy and peter in
// it and permissions in topics a and b.
func seeded(t *testing.T, opts ...timtest.Option) (*timtest.Server, *tim.Client) {
	t.Helper()
	srv := timtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	require.NoError(t, srv.CreateCommunity(community, "leckie"))
	require.NoError(t, srv.AddMember(community, "amy", tim.RoleAdmin))
	require.NoError(t, srv.AddMember(community, "peter", tim.RoleMember))
	for _, topic := range []string{topicA, topicB, topicC} {
		require.NoError(t, srv.CreateTopic(community, topic))
	}
	_, err := srv.CreatePermissionGroup(community, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods", CustomString: "c", Permission: tim.GroupPermMuteMembers | tim.GroupPermBanMembers})
	require.NoError(t, err)
	require.NoError(t, srv.AddPermissionGroupMembers(community, "@PMG#_mods", "amy", "peter"))
	require.NoError(t, srv.SetTopicPermission(community, "@PMG#_mods", topicA, tim.TopicPermSendMessage))
	require.NoError(t, srv.SetTopicPermission(community, "@PMG#_mods", topicB, 123456))
	client, err := srv.NewClient()
	require.NoError(t, err)
	return srv, client
}

// signedWith returns a client for srv that sends sig as its UserSig.
func signedWith(t *testing.T, srv *timtest.Server, sig string) *tim.Client {
	t.Helper()
	c, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithUserSigner(mustStatic(sig)))
	require.NoError(t, err)
	return c
}

// mustStatic is tim.StaticUserSig for a signature known to be valid.
func mustStatic(sig string) tim.UserSigner {
	s, err := tim.StaticUserSig(sig)
	if err != nil {
		panic(err)
	}
	return s
}

// readGroup returns the permission group id of the seeded community as
// get_permission_group answers it.
func readGroup(t *testing.T, client *tim.Client, id string) tim.PermissionGroup {
	t.Helper()
	page, err := client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{id}})
	require.NoError(t, err)
	require.Len(t, page.PermissionGroups, 1)
	return page.PermissionGroups[0]
}

// readMembers lists a permission group's members through the iterator.
func readMembers(t *testing.T, client *tim.Client, id string, limit int) []string {
	t.Helper()
	var got []string
	for m, err := range client.AllPermissionGroupMembers(context.Background(), &tim.GetPermissionGroupMembersRequest{GroupID: community, PermissionGroupID: id, Limit: limit}) {
		require.NoError(t, err)
		got = append(got, m.Account)
	}
	return got
}

// readTopics returns a permission group's topic permissions.
func readTopics(t *testing.T, client *tim.Client, id string) map[string]tim.TopicPermission {
	t.Helper()
	res, err := client.GetTopicPermissions(context.Background(), &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: id})
	require.NoError(t, err)
	got := map[string]tim.TopicPermission{}
	for _, r := range res {
		require.NoError(t, r.Err())
		got[r.TopicID] = r.Permission
	}
	return got
}

// codes returns the per-item codes of results, in order.
func codes(results []tim.ItemResult) []tim.ErrorCode {
	out := make([]tim.ErrorCode, len(results))
	for i, r := range results {
		out[i] = r.ErrorCode
	}
	return out
}
