package tim_test

// Tests of the permission-group write endpoints against the fake: every
// success path and every documented failure, the request splits, and a
// model-based test of the whole family.

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

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

// model is what the permission groups of the seeded community should hold.
type model struct {
	groups map[string]*modelGroup
}

type modelGroup struct {
	name    string
	perm    tim.GroupPermission
	custom  string
	topics  map[string]tim.TopicPermission
	deleted map[string]bool // topics whose permission was deleted
	members []string        // in the order they were added
}

// TestFakeAgreesWithAModel runs random sequences of writes through the SDK
// and checks after each step that the read endpoints agree with a simple
// model of what the writes should have done, per-item codes included.
func TestFakeAgreesWithAModel(t *testing.T) {
	ctx := context.Background()
	topics := []string{topicA, topicB, topicC, community + "@TOPIC#_missing"} // the last is never created
	accounts := []string{"leckie", "amy", "peter", "outsider"}                // the last is not in the community
	for seed := range uint64(8) {
		t.Run("seed"+strconv.FormatUint(seed, 10), func(t *testing.T) {
			srv, client := seeded(t)
			_, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{"@PMG#_mods"}})
			require.NoError(t, err)
			m := model{groups: map[string]*modelGroup{}}
			r := rand.New(rand.NewPCG(seed, 42))
			pick := func(from []string) []string { // 1..3 distinct entries
				out := slices.Clone(from)
				r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
				return out[:1+r.IntN(3)]
			}
			// Some IDs that may or may not exist at any moment.
			candidates := []string{"@PMG#_p0", "@PMG#_p1", "@PMG#_p2"}
			for step := range 60 {
				id := candidates[r.IntN(len(candidates))]
				g := m.groups[id]
				switch op := r.IntN(8); op {
				case 0: // create
					name, perm := fmt.Sprint("n", step), tim.GroupPermission(r.Uint64())
					_, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, PermissionGroupID: id, Name: name, Permission: perm})
					if g != nil {
						require.ErrorIs(t, err, tim.ErrIDInUse, "step %d: %s exists", step, id)
						break
					}
					require.NoError(t, err, "step %d", step)
					m.groups[id] = &modelGroup{name: name, perm: perm, topics: map[string]tim.TopicPermission{}, deleted: map[string]bool{}}
				case 1: // modify
					custom := fmt.Sprint("c", step)
					err := client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: id, CustomString: &custom})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					g.custom = custom
				case 2: // destroy
					res, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{id}})
					require.NoError(t, err, "step %d", step)
					if g == nil {
						require.ErrorIs(t, res[0].Err(), tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, res[0].Err(), "step %d", step)
					delete(m.groups, id)
				case 3, 4: // add or set topic permissions
					add := op == 3
					var settings []tim.TopicPermissionSetting
					for _, topic := range pick(topics) {
						settings = append(settings, tim.TopicPermissionSetting{TopicID: topic, Permission: tim.TopicPermission(r.IntN(128))})
					}
					var res []tim.ItemResult
					var err error
					if add {
						res, err = client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: id, Topics: settings})
					} else {
						res, err = client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: id, Topics: settings})
					}
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					for i, st := range settings {
						_, has := g.topics[st.TopicID]
						var want tim.ErrorCode
						switch {
						case st.TopicID == topics[3]:
							want = tim.ErrInvalidTopicID
						case add && has:
							want = tim.ErrTopicAlreadyInPermissionGroup
						case !add && !has:
							want = tim.ErrTopicNotInPermissionGroup
						default:
							g.topics[st.TopicID] = st.Permission
							delete(g.deleted, st.TopicID)
						}
						require.Equal(t, want, res[i].ErrorCode, "step %d: %s of %s", step, map[bool]string{true: "add", false: "set"}[add], st.TopicID)
					}
				case 5: // delete topic permissions
					ids := pick(topics[:3])
					res, err := client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: community, PermissionGroupID: id, TopicIDs: ids})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					for i, topic := range ids {
						_, has := g.topics[topic]
						switch {
						case has:
							require.NoError(t, res[i].Err(), "step %d", step)
							delete(g.topics, topic)
							g.deleted[topic] = true
						case g.deleted[topic]:
							require.ErrorIs(t, res[i].Err(), tim.ErrTopicPermissionAlreadyDeleted, "step %d: %s", step, topic)
						default:
							require.ErrorIs(t, res[i].Err(), tim.ErrTopicNotInPermissionGroup, "step %d: %s", step, topic)
						}
					}
				case 6: // add members
					who := pick(accounts)
					res, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: id, Accounts: who})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					for i, a := range who {
						switch {
						case a == "outsider":
							require.ErrorIs(t, res[i].Err(), tim.ErrUserNotFound, "step %d", step)
						case slices.Contains(g.members, a):
							require.ErrorIs(t, res[i].Err(), tim.ErrAlreadyMember, "step %d", step)
						default:
							require.NoError(t, res[i].Err(), "step %d", step)
							g.members = append(g.members, a)
						}
					}
				case 7: // delete members
					who := pick(accounts)
					res, err := client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: id, Accounts: who})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					assert.Equal(t, make([]tim.ErrorCode, len(who)), codes(res))
					g.members = slices.DeleteFunc(g.members, func(a string) bool { return slices.Contains(who, a) })
				}
				m.check(t, client, step)
			}
			assert.NotEmpty(t, srv.Requests())
		})
	}
}

// check compares every read endpoint with the model.
func (m model) check(t *testing.T, client *tim.Client, step int) {
	t.Helper()
	ctx := context.Background()
	got := map[string]tim.PermissionGroup{}
	for g, err := range client.AllPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community, Limit: 2}) {
		require.NoError(t, err, "step %d", step)
		got[g.ID] = g
	}
	require.ElementsMatch(t, slices.Collect(maps.Keys(m.groups)), slices.Collect(maps.Keys(got)), "step %d: the permission groups", step)
	for id, want := range m.groups {
		g := got[id]
		require.Equal(t, tim.PermissionGroup{ID: id, Name: want.name, CustomString: want.custom, Permission: want.perm, MemberCount: len(want.members)}, g, "step %d", step)
		require.Equal(t, want.topics, readTopics(t, client, id), "step %d: topics of %s", step, id)
		members := readMembers(t, client, id, 1+step%3)
		if len(want.members) == 0 {
			require.Empty(t, members, "step %d: members of %s", step, id)
		} else {
			require.Equal(t, want.members, members, "step %d: members of %s", step, id)
		}
	}
}

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
			srv, client := seeded(t) // timtest.FastRetries: millisecond backoffs

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
		policy := timtest.FastRetries
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
