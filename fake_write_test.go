package tim_test

// Tests of the permission-group write endpoints against the fake: every
// success path and every documented failure, and the request splits.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func TestFakeCreatePermissionGroup(t *testing.T) {
	ctx := context.Background()
	_, client := seeded(t)

	id, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, Name: "Speakers", Permission: tim.GroupPermSendMessage, CustomString: "blue"})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), "server-made ID %q", id)
	assert.Equal(t, tim.PermissionGroup{ID: id, Name: "Speakers", CustomString: "blue", Permission: tim.GroupPermSendMessage}, readGroup(t, client, id))

	custom, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_readers", Name: strings.Repeat("é", 75)})
	require.NoError(t, err)
	assert.Equal(t, "@PMG#_readers", custom)
	assert.Equal(t, strings.Repeat("é", 75), readGroup(t, client, custom).Name, "150 bytes of UTF-8 is the limit, not 150 characters")

	_, err = client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_readers", Name: "again"})
	assert.ErrorIs(t, err, tim.ErrIDInUse, "a custom ID that exists")
	_, err = client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, Name: strings.Repeat("é", 76)})
	assert.ErrorIs(t, err, tim.ErrInvalidRequest, "152 bytes are refused before sending")
}

func TestFakeModifyPermissionGroupKeepsUnsetFields(t *testing.T) {
	ctx := context.Background()
	_, client := seeded(t)
	before := readGroup(t, client, "@PMG#_mods")

	require.NoError(t, client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Name: tim.Ptr("Moderators")}))
	after := readGroup(t, client, "@PMG#_mods")
	want := before
	want.Name = "Moderators"
	assert.Equal(t, want, after, "only the name changes")

	require.NoError(t, client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Permission: tim.Ptr(tim.GroupPermission(0))}))
	want.Permission = 0
	assert.Equal(t, want, readGroup(t, client, "@PMG#_mods"), "a zero permission is sent, not left out")

	require.NoError(t, client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", CustomString: tim.Ptr("")}))
	want.CustomString = ""
	assert.Equal(t, want, readGroup(t, client, "@PMG#_mods"), "an empty custom string clears it")

	err := client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_nope", Name: tim.Ptr("x")})
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound)
	err = client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: "mods", Name: tim.Ptr("x")})
	assert.ErrorIs(t, err, tim.ErrInvalidRequest, "an ID without the @PMG#_ prefix is refused before sending")
}

func TestFakeDestroyPermissionGroups(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)

	_, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{"@PMG#_mods", "@PMG#_nope", "bad"}})
	assert.ErrorIs(t, err, tim.ErrInvalidRequest, "an ID without the @PMG#_ prefix is refused before sending")
	assert.Empty(t, srv.RequestsFor("destroy_permission_group"))

	res, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{"@PMG#_mods", "@PMG#_nope"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"@PMG#_mods", "@PMG#_nope"}, []string{res[0].ID, res[1].ID})
	assert.Equal(t, []tim.ErrorCode{0, tim.ErrPermissionGroupNotFound}, codes(res))
	assert.ErrorIs(t, res[1].Err(), tim.ErrPermissionGroupNotFound)

	assert.ErrorIs(t, readGroup(t, client, "@PMG#_mods").Err(), tim.ErrPermissionGroupNotFound)
	_, err = client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods"})
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "its topic permissions went with it")
	_, err = client.GetPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{GroupID: community, PermissionGroupID: "@PMG#_mods"})
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "and its members")

	// A group made again under the same ID starts empty.
	_, err = client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Name: "mods"})
	require.NoError(t, err)
	assert.Empty(t, readTopics(t, client, "@PMG#_mods"))
	assert.Empty(t, readMembers(t, client, "@PMG#_mods", 0))
	assert.Zero(t, readGroup(t, client, "@PMG#_mods").MemberCount)

	// 21 IDs take two requests: 20, then 1.
	var ids []string
	for i := range 21 {
		id, err := srv.CreatePermissionGroup(community, timtest.PermissionGroup{Name: "g" + strconv.Itoa(i)})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	srv.ResetRequests()
	res, err = client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: ids})
	require.NoError(t, err)
	require.Len(t, res, 21)
	for i, r := range res {
		assert.Equal(t, ids[i], r.ID)
		assert.NoError(t, r.Err())
	}
	reqs := srv.RequestsFor("destroy_permission_group")
	require.Len(t, reqs, 2)
	assert.Contains(t, string(reqs[1].Body), `"PermissionGroupIdList":["`+ids[20]+`"]`)
	page, err := client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community})
	require.NoError(t, err)
	assert.Len(t, page.PermissionGroups, 1, "only the remade @PMG#_mods is left")
}

func TestFakeTopicPermissions(t *testing.T) {
	ctx := context.Background()
	_, client := seeded(t)
	const pg = "@PMG#_mods" // seeded with topic a (SendMessage) and topic b (123456)
	unknown := community + "@TOPIC#_nope"

	_, err := client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{
		{TopicID: topicC, Permission: tim.TopicPermAtAll},
		{TopicID: "@TGS#_other@TOPIC#_x", Permission: 1},
	}})
	assert.ErrorIs(t, err, tim.ErrInvalidRequest, "a topic of another community is refused before sending")

	res, err := client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{
		{TopicID: topicC, Permission: tim.TopicPermAtAll},
		{TopicID: topicA, Permission: tim.TopicPermAtAll},
		{TopicID: unknown, Permission: 1},
	}})

	require.NoError(t, err)
	assert.Equal(t, []tim.ErrorCode{0, tim.ErrTopicAlreadyInPermissionGroup, tim.ErrInvalidTopicID}, codes(res))
	assert.Equal(t, map[string]tim.TopicPermission{topicA: tim.TopicPermSendMessage, topicB: 123456, topicC: tim.TopicPermAtAll}, readTopics(t, client, pg),
		"a failed add leaves the existing permission alone")

	res, err = client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{
		{TopicID: topicA, Permission: tim.TopicPermRecallMessages},
		{TopicID: unknown, Permission: 1},
	}})

	require.NoError(t, err)
	assert.Equal(t, []tim.ErrorCode{0, tim.ErrInvalidTopicID}, codes(res))

	res, err = client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, TopicIDs: []string{topicB, unknown}})
	require.NoError(t, err)
	assert.Equal(t, []tim.ErrorCode{0, tim.ErrInvalidTopicID}, codes(res))
	assert.Equal(t, map[string]tim.TopicPermission{topicA: tim.TopicPermRecallMessages, topicC: tim.TopicPermAtAll}, readTopics(t, client, pg))

	res, err = client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, TopicIDs: []string{topicB}})
	require.NoError(t, err)
	assert.ErrorIs(t, res[0].Err(), tim.ErrTopicPermissionAlreadyDeleted, "deleting twice")

	res, err = client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{{TopicID: topicB, Permission: 1}}})
	require.NoError(t, err)
	assert.ErrorIs(t, res[0].Err(), tim.ErrTopicNotInPermissionGroup, "set needs an existing permission")

	res, err = client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{{TopicID: topicB, Permission: 7}}})
	require.NoError(t, err)
	require.NoError(t, res[0].Err(), "a deleted permission can be added again")
	assert.Equal(t, tim.TopicPermission(7), readTopics(t, client, pg)[topicB])

	_, err = client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_nope", Topics: []tim.TopicPermissionSetting{{TopicID: topicA}}})
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound)
}

func TestFakeTopicPermissionsSplitAt50(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	var settings []tim.TopicPermissionSetting
	var topicIDs []string
	for i := range 51 {
		id := fmt.Sprintf("%s@TOPIC#_t%02d", community, i)
		require.NoError(t, srv.CreateTopic(community, id))
		settings = append(settings, tim.TopicPermissionSetting{TopicID: id, Permission: tim.TopicPermission(i)})
		topicIDs = append(topicIDs, id)
	}
	srv.ResetRequests()

	res, err := client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Topics: settings})
	require.NoError(t, err)
	require.Len(t, res, 51)
	assert.Equal(t, topicIDs[50], res[50].ID)
	assert.Len(t, srv.RequestsFor("add_topic_permission_group"), 2)
	got := readTopics(t, client, "@PMG#_mods")
	assert.Len(t, got, 53) // the 51 and the seeded a and b
	assert.Equal(t, tim.TopicPermission(50), got[topicIDs[50]])

	for i := range settings {
		settings[i].Permission = 1
	}
	res, err = client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Topics: settings})
	require.NoError(t, err)
	assert.Equal(t, make([]tim.ErrorCode, 51), codes(res))
	assert.Len(t, srv.RequestsFor("set_topic_permission_group"), 2)

	res, err = client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", TopicIDs: topicIDs})
	require.NoError(t, err)
	assert.Equal(t, make([]tim.ErrorCode, 51), codes(res))
	assert.Len(t, srv.RequestsFor("delete_topic_permission_group"), 2)
	assert.Len(t, readTopics(t, client, "@PMG#_mods"), 2)
}

func TestFakePermissionGroupMembers(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t, timtest.WithPermissionGroupMemberLimit(3))
	require.NoError(t, srv.AddMember(community, "wesley", tim.RoleMember))
	require.NoError(t, srv.AddMember(community, "tommy", tim.RoleMember))
	const pg = "@PMG#_mods" // seeded with amy and peter

	res, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: pg, Accounts: []string{"amy", "leckie", "stranger", "wesley"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"amy", "leckie", "stranger", "wesley"}, []string{res[0].ID, res[1].ID, res[2].ID, res[3].ID})
	assert.ErrorIs(t, res[0].Err(), tim.ErrAlreadyMember)
	assert.NoError(t, res[1].Err(), "the owner can be put in a permission group")
	assert.ErrorIs(t, res[2].Err(), tim.ErrUserNotFound, "not in the community")
	assert.ErrorIs(t, res[3].Err(), tim.ErrPermissionGroupMemberLimit, "the fourth member is past the limit of 3")

	assert.Equal(t, []string{"amy", "peter", "leckie"}, readMembers(t, client, pg, 2), "in the order they were added, across pages")
	assert.Equal(t, 3, readGroup(t, client, pg).MemberCount)
	members, err := srv.PermissionGroupMembers(community, pg)
	require.NoError(t, err)
	assert.Equal(t, []string{"amy", "leckie", "peter"}, members)

	res, err = client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: pg, Accounts: []string{"peter", "stranger", "tommy"}})
	require.NoError(t, err)
	assert.Equal(t, make([]tim.ErrorCode, 3), codes(res), "deleting a non-member succeeds")
	assert.Equal(t, []string{"amy", "leckie"}, readMembers(t, client, pg, 0))
	assert.Equal(t, 2, readGroup(t, client, pg).MemberCount)

	_, err = client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: "@PMG#_nope", Accounts: []string{"amy"}})
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound)
	_, err = client.GetPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{GroupID: "@TGS#_nope", PermissionGroupID: pg})
	assert.ErrorIs(t, err, tim.ErrGroupNotFound)
}

func TestFakePermissionGroupMembersSplitAt100(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	pg, err := srv.CreatePermissionGroup(community, timtest.PermissionGroup{Name: "big"})
	require.NoError(t, err)
	accounts := make([]string, 101)
	for i := range accounts {
		accounts[i] = fmt.Sprintf("user%03d", i)
		require.NoError(t, srv.AddMember(community, accounts[i], tim.RoleMember))
	}

	res, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: pg, Accounts: accounts})
	require.NoError(t, err)
	require.Len(t, res, 101)
	assert.Equal(t, make([]tim.ErrorCode, 101), codes(res))
	reqs := srv.RequestsFor("add_permission_group_member")
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{"GroupId":"`+community+`","PermissionGroupId":"`+pg+`","MemberList":[{"Member_Account":"user100"}]}`, string(reqs[1].Body))
	assert.Equal(t, accounts, readMembers(t, client, pg, 0), "one page without a Limit")
	assert.Equal(t, accounts, readMembers(t, client, pg, 7), "15 pages of 7")
	assert.Equal(t, 101, readGroup(t, client, pg).MemberCount)

	res, err = client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: pg, Accounts: accounts})
	require.NoError(t, err)
	assert.Len(t, res, 101)
	assert.Len(t, srv.RequestsFor("delete_permission_group_member"), 2)
	assert.Empty(t, readMembers(t, client, pg, 0))
}

// TestFakeWriteErrors drives the group-level failures of every write through
// the SDK.
func TestFakeWriteErrors(t *testing.T) {
	ctx := context.Background()
	writes := map[string]func(c *tim.Client, group, pg string) error{
		"create_permission_group": func(c *tim.Client, group, _ string) error {
			_, err := c.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: group, Name: "x"})
			return err
		},
		"modify_permission_group": func(c *tim.Client, group, pg string) error {
			return c.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: group, PermissionGroupID: pg, Name: tim.Ptr("x")})
		},
		"destroy_permission_group": func(c *tim.Client, group, pg string) error {
			res, err := c.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: group, PermissionGroupIDs: []string{pg}})
			if err != nil {
				return err
			}
			return res[0].Err() // an unknown or malformed ID fails per item
		},
		// The topics are the written group's own (topicC and topicA in the
		// seeded community), so that the SDK sends the request.
		"add_topic_permission_group": func(c *tim.Client, group, pg string) error {
			_, err := c.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{{TopicID: group + "@TOPIC#_c"}}})
			return err
		},
		"set_topic_permission_group": func(c *tim.Client, group, pg string) error {
			_, err := c.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: []tim.TopicPermissionSetting{{TopicID: group + "@TOPIC#_a"}}})
			return err
		},
		"delete_topic_permission_group": func(c *tim.Client, group, pg string) error {
			_, err := c.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, TopicIDs: []string{group + "@TOPIC#_a"}})
			return err
		},
		"add_permission_group_member": func(c *tim.Client, group, pg string) error {
			_, err := c.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: []string{"leckie"}})
			return err
		},
		"delete_permission_group_member": func(c *tim.Client, group, pg string) error {
			_, err := c.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: []string{"amy"}})
			return err
		},
		"get_permission_group_member_list": func(c *tim.Client, group, pg string) error {
			_, err := c.GetPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg})
			return err
		},
	}
	for command, write := range writes {
		t.Run(command, func(t *testing.T) {
			srv, client := seeded(t)
			// A group that is not a community: under an ID of the community
			// shape the fake answers 10007; under a real one ("@TGS#…")
			// the SDK refuses it before sending.
			require.NoError(t, srv.CreateGroup("@TGS#_pub", timtest.Public, "o"))
			require.NoError(t, srv.CreateGroup("@TGS#pub", timtest.Public, "o"))
			assert.ErrorIs(t, write(client, "@TGS#_nope", "@PMG#_mods"), tim.ErrGroupNotFound)
			assert.ErrorIs(t, write(client, "@TGS#_pub", "@PMG#_mods"), tim.ErrNoPermission)
			assert.ErrorIs(t, write(client, "@TGS#pub", "@PMG#_mods"), tim.ErrInvalidRequest)
			if command != "create_permission_group" {
				assert.ErrorIs(t, write(client, community, "@PMG#_nope"), tim.ErrPermissionGroupNotFound)
				assert.ErrorIs(t, write(client, community, "mods"), tim.ErrInvalidRequest, "refused before sending, where the fake answers 110008")
			}
			require.NoError(t, srv.FailNext(command, 1, timtest.Fault{Code: tim.ErrCallbackDenied}))
			assert.ErrorIs(t, write(client, community, "@PMG#_mods"), tim.ErrCallbackDenied)
			assert.NoError(t, write(client, community, "@PMG#_mods"), "the fault was used up; the call itself works")

			_, plain := seeded(t, timtest.WithoutCommunitySupport())
			assert.ErrorIs(t, write(plain, community, "@PMG#_mods"), tim.ErrCommunityNotSupported)
		})
	}
}

// TestFakeWritesConcurrently adds and removes members of one permission
// group from many goroutines: the member count stays equal to the list.
func TestFakeWritesConcurrently(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	for i := range 40 {
		require.NoError(t, srv.AddMember(community, "u"+strconv.Itoa(i), tim.RoleMember))
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range 25 {
				accounts := []string{"u" + strconv.Itoa(r.IntN(40)), "u" + strconv.Itoa(40+r.IntN(40))} // the second is never a member
				var err error
				if r.IntN(2) == 0 {
					_, err = client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Accounts: accounts})
				} else {
					_, err = client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", Accounts: accounts})
				}
				assert.NoError(t, err)
				_, err = client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	members := readMembers(t, client, "@PMG#_mods", 3)
	assert.Equal(t, len(members), readGroup(t, client, "@PMG#_mods").MemberCount)
	fromFake, err := srv.PermissionGroupMembers(community, "@PMG#_mods")
	require.NoError(t, err)
	assert.ElementsMatch(t, fromFake, members)
}
