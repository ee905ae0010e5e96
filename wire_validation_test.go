package tim

// Validation: every documented rule a request breaks is refused with a
// *ValidationError before anything is sent, and what sits exactly on a
// limit is sent.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	blankAccounts := make([]string, 3)
	const pg = "@PMG#_a"
	cases := []struct {
		name  string
		field string // the Go name
		param string // the wire name
		call  func(*Client) error
	}{
		{"nil page request", "req", "", func(c *Client) error { _, err := c.GetPermissionGroups(ctx, nil); return err }},
		{"page without group", "GroupID", "GroupId", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{})
			return err
		}},
		{"limit 21", "Limit", "Limit", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 21})
			return err
		}},
		{"negative limit", "Limit", "Limit", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: -1})
			return err
		}},
		{"empty permission group id", "PermissionGroupIDs[1]", "PermissionGroupIdList", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{pg, ""}})
			return err
		}},
		{"iterator with limit 21", "Limit", "Limit", func(c *Client) error {
			for _, err := range c.AllPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 21}) {
				return err
			}
			return nil
		}},
		{"roles without group", "GroupID", "GroupId", func(c *Client) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "", Accounts: []string{"a"}})
			return err
		}},
		{"roles without accounts", "Accounts", "User_Account", func(c *Client) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: nil})
			return err
		}},
		{"roles with an empty account", "Accounts[0]", "User_Account", func(c *Client) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: blankAccounts})
			return err
		}},
		{"nil topic request", "req", "", func(c *Client) error { _, err := c.GetTopicPermissions(ctx, nil); return err }},
		{"topics without group", "GroupID", "GroupId", func(c *Client) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{PermissionGroupID: pg})
			return err
		}},
		{"topics without permission group", "PermissionGroupID", "PermissionGroupId", func(c *Client) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity})
			return err
		}},
		{"empty topic id", "TopicIDs[0]", "TopicId", func(c *Client) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: pg, TopicIDs: []string{""}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.mt.RegisterNoResponder(httpmock.NewStringResponder(200, okEnvelope))
			err := tc.call(m.client)
			require.ErrorIs(t, err, ErrInvalidRequest)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, tc.param, ve.Param)
			assert.Equal(t, 0, m.mt.GetTotalCallCount(), "nothing is sent")
		})
	}
}

// TestWriteValidationSendsNothing refuses every documented rule's breach
// before anything is sent.
func TestWriteValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	create := func(r *CreatePermissionGroupRequest) func(*Client) error {
		return func(c *Client) error { _, err := c.CreatePermissionGroup(ctx, r); return err }
	}
	createID := func(id string) func(*Client) error {
		return create(&CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: id, Name: "n"})
	}
	createIn := func(group string) func(*Client) error {
		return create(&CreatePermissionGroupRequest{GroupID: group, Name: "n"})
	}
	modify := func(r *ModifyPermissionGroupRequest) func(*Client) error {
		return func(c *Client) error { return c.ModifyPermissionGroup(ctx, r) }
	}
	members := func(r *GetPermissionGroupMembersRequest) func(*Client) error {
		return func(c *Client) error { _, err := c.GetPermissionGroupMembers(ctx, r); return err }
	}
	long := strings.Repeat("a", 151)
	wide := strings.Repeat("中", 50) + "a" // 151 bytes
	var (
		req          = wwField{"req", ""}
		groupID      = wwField{"GroupID", "GroupId"}
		pgID         = wwField{"PermissionGroupID", "PermissionGroupId"}
		name         = wwField{"Name", "PermissionGroupName"}
		customString = wwField{"CustomString", "CustomString"}
		limit        = wwField{"Limit", "Limit"}
	)
	type tcase struct {
		name, command string
		field         wwField
		call          func(*Client) error
	}
	cases := []tcase{
		{"nil request", "create_permission_group", req, create(nil)},
		{"no group", "create_permission_group", groupID, create(&CreatePermissionGroupRequest{Name: "n"})},
		{"group that is not a community", "create_permission_group", groupID, createIn("@TGS#2C5SZEAEF")},
		{"group that is the community prefix alone", "create_permission_group", groupID, createIn("@TGS#_")},
		{"permission group ID for the group", "create_permission_group", groupID, createIn("@PMG#_mods")},
		{"group ID not UTF-8", "create_permission_group", groupID, createIn("@TGS#_\xff")},
		{"group ID with a NUL", "create_permission_group", groupID, createIn("@TGS#_a\x00")},
		{"no name", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity})},
		{"name of 151 bytes", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: long})},
		{"name of 151 bytes in 51 characters", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: wide})},
		{"name not UTF-8", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "a\xffb"})},
		{"custom string of 3001 bytes", "create_permission_group", customString, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n", CustomString: strings.Repeat("x", 3001)})},
		{"custom string not UTF-8", "create_permission_group", customString, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n", CustomString: "\xc3"})},
		{"custom ID with the server's prefix", "create_permission_group", pgID, createID("@PMG#_@PMG#x")},
		{"custom ID that is the server's prefix", "create_permission_group", pgID, createID("@PMG#_@PMG#")},
		{"custom ID that is the prefix alone", "create_permission_group", pgID, createID("@PMG#_")},
		{"custom ID without the prefix", "create_permission_group", pgID, createID("mods")},
		{"custom ID with a lower-case prefix", "create_permission_group", pgID, createID("@pmg#_mods")},
		{"custom ID with a control byte", "create_permission_group", pgID, createID("@PMG#_a\x01")},
		{"custom ID with DEL", "create_permission_group", pgID, createID("@PMG#_a\x7f")},
		{"custom ID not ASCII", "create_permission_group", pgID, createID("@PMG#_é")},
		{"custom ID checked before the name", "create_permission_group", pgID, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "x"})},

		{"nil request", "modify_permission_group", req, modify(nil)},
		{"no group", "modify_permission_group", groupID, modify(&ModifyPermissionGroupRequest{PermissionGroupID: "@PMG#_a", Name: Ptr("n")})},
		{"group that is not a community", "modify_permission_group", groupID, modify(&ModifyPermissionGroupRequest{GroupID: "g", PermissionGroupID: "@PMG#_a", Name: Ptr("n")})},
		{"no permission group", "modify_permission_group", pgID, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, Name: Ptr("n")})},
		{"permission group without the prefix", "modify_permission_group", pgID, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "pg", Name: Ptr("n")})},
		{"community ID for the permission group", "modify_permission_group", pgID, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: seedCommunity, Name: Ptr("n")})},
		{"nothing to change", "modify_permission_group", req, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a"})},
		{"empty name", "modify_permission_group", name, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr("")})},
		{"name of 151 bytes", "modify_permission_group", name, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr(long)})},
		{"name not UTF-8", "modify_permission_group", name, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr("\xff")})},
		{"custom string of 3001 bytes", "modify_permission_group", customString, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", CustomString: Ptr(strings.Repeat("x", 3001))})},
		{"custom string not UTF-8 beside a valid name", "modify_permission_group", customString, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr("n"), CustomString: Ptr("\xff")})},

		{"nil request", "get_permission_group_member_list", req, members(nil)},
		{"no group", "get_permission_group_member_list", groupID, members(&GetPermissionGroupMembersRequest{PermissionGroupID: "@PMG#_a"})},
		{"no permission group", "get_permission_group_member_list", pgID, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity})},
		{"permission group without the prefix", "get_permission_group_member_list", pgID, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "pg"})},
		{"Limit -1", "get_permission_group_member_list", limit, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: -1})},
		{"Limit 51", "get_permission_group_member_list", limit, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: 51})},
		{"Next not UTF-8", "get_permission_group_member_list", wwField{"Next", "Next"}, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Next: "\xff"})},
	}
	// The list writes: their group, permission group and list checks.
	longTopic := seedCommunity + TopicIDInfix + strings.Repeat("t", MaxTopicIDBytes-len(seedCommunity)-len(TopicIDInfix)+1) // 97 bytes
	for _, w := range wwWriters {
		ids := w.ids(2)
		call := func(ids []string) func(*Client) error {
			return func(c *Client) error {
				res, err := w.call(c, ids)
				if res != nil {
					return fmt.Errorf("results %v with a refused request", res)
				}
				return err
			}
		}
		list, entry := w.list, wwField{w.entryField(1), w.entry.Param}
		cases = append(cases,
			tcase{"nil list", w.command, list, call(nil)},
			tcase{"empty list", w.command, list, call([]string{})},
			tcase{"empty entry", w.command, entry, call([]string{ids[0], ""})},
			tcase{"repeated entry", w.command, wwField{w.list.Go + "[2]", w.list.Param}, call([]string{ids[0], ids[1], ids[0]})},
			tcase{"entry not UTF-8", w.command, entry, call([]string{ids[0], ids[1] + "\xff"})},
			tcase{"entry with a NUL", w.command, entry, call([]string{ids[0], ids[1] + "\x00"})},
		)
		switch w.kind {
		case "permission group":
			cases = append(cases,
				tcase{"entry without the prefix", w.command, entry, call([]string{ids[0], "pg"})},
				tcase{"entry that is the prefix alone", w.command, entry, call([]string{ids[0], PermissionGroupIDPrefix})},
			)
		case "topic":
			cases = append(cases,
				tcase{"topic of another community", w.command, entry, call([]string{ids[0], "@TGS#_other" + TopicIDInfix + "t"})},
				tcase{"topic that is the infix alone", w.command, entry, call([]string{ids[0], seedCommunity + TopicIDInfix})},
				tcase{"topic of 97 bytes", w.command, entry, call([]string{ids[0], longTopic})},
				tcase{"community ID for a topic", w.command, entry, call([]string{ids[0], seedCommunity})},
			)
		}
	}
	groupless := []struct {
		command string
		call    func(c *Client, group, pg string) error
	}{
		{"destroy_permission_group", func(c *Client, group, _ string) error {
			_, err := c.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: group, PermissionGroupIDs: []string{"@PMG#_a"}})
			return err
		}},
		{"add_topic_permission_group", func(c *Client, group, pg string) error {
			_, err := c.AddTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: []TopicPermissionSetting{{TopicID: wwTopic}}})
			return err
		}},
		{"set_topic_permission_group", func(c *Client, group, pg string) error {
			_, err := c.SetTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: []TopicPermissionSetting{{TopicID: wwTopic}}})
			return err
		}},
		{"delete_topic_permission_group", func(c *Client, group, pg string) error {
			_, err := c.DeleteTopicPermissions(ctx, &DeleteTopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, TopicIDs: []string{wwTopic}})
			return err
		}},
		{"add_permission_group_member", func(c *Client, group, pg string) error {
			_, err := c.AddPermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: []string{"tommy"}})
			return err
		}},
		{"delete_permission_group_member", func(c *Client, group, pg string) error {
			_, err := c.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: []string{"tommy"}})
			return err
		}},
	}
	for _, g := range groupless {
		cases = append(cases,
			tcase{"no group", g.command, groupID, func(c *Client) error { return g.call(c, "", wwPermissionGroup) }},
			tcase{"group that is not a community", g.command, groupID, func(c *Client) error { return g.call(c, "@TGS#2C5SZEAEF", wwPermissionGroup) }},
		)
		if g.command != "destroy_permission_group" {
			cases = append(cases,
				tcase{"no permission group", g.command, pgID, func(c *Client) error { return g.call(c, seedCommunity, "") }},
				tcase{"permission group without the prefix", g.command, pgID, func(c *Client) error { return g.call(c, seedCommunity, "pg") }},
			)
		}
	}
	for _, tc := range cases {
		t.Run(tc.command+"/"+tc.name, func(t *testing.T) {
			m := newMock(t)
			m.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				m.record(r)
				return httpmock.NewStringResponse(200, okEnvelope), nil
			})
			err := tc.call(m.client)
			require.ErrorIs(t, err, ErrInvalidRequest)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.command, ve.Command)
			assert.Equal(t, tc.field, wwField{ve.Field, ve.Param})
			assert.NotEmpty(t, ve.Reason)
			assert.Equal(t, "tim: "+tc.command+": invalid "+ve.Field+": "+ve.Reason, err.Error())
			assert.Empty(t, m.requests(), "nothing is sent")
		})
	}
}

// TestWriteLimitsAccepted sends what sits exactly on a documented limit.
func TestWriteLimitsAccepted(t *testing.T) {
	ctx := context.Background()
	name150 := strings.Repeat("a", 150)
	wide150 := strings.Repeat("中", 50)
	custom3000 := strings.Repeat("x", 3000)
	cases := []struct {
		name    string
		command string
		call    func(*Client) error
		body    string
	}{
		{"create: name of 150 bytes, custom string of 3000", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: name150, CustomString: custom3000})
			return err
		}, wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupName": name150, "Permission": 0, "CustomString": custom3000})},
		{"create: name of 150 bytes in 50 characters", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: wide150})
			return err
		}, wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupName": wide150, "Permission": 0})},
		{"create: custom ID of printable ASCII edges", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_ a~", Name: "n"})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_ a~","PermissionGroupName":"n","Permission":0}`},
		{"create: custom ID of one character", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_1", Name: "n"})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_1","PermissionGroupName":"n","Permission":0}`},
		{"modify: name of 150 bytes, custom string of 3000", "modify_permission_group", func(c *Client) error {
			return c.ModifyPermissionGroup(ctx, &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr(name150), CustomString: Ptr(custom3000)})
		}, wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupId": "@PMG#_a", "PermissionGroupName": name150, "CustomString": custom3000})},
		{"modify: any permission group ID", "modify_permission_group", func(c *Client) error {
			return c.ModifyPermissionGroup(ctx, &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_@PMG#cM2", Permission: Ptr(GroupPermission(1))})
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cM2","Permission":1}`},
		{"member list: Limit 50", "get_permission_group_member_list", func(c *Client) error {
			_, err := c.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: 50})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_a","Limit":50,"Next":""}`},
		{"member list: Limit 1", "get_permission_group_member_list", func(c *Client) error {
			_, err := c.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: 1})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_a","Limit":1,"Next":""}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond(tc.command, 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2","Next":"","MemberList":[]}`)
			require.NoError(t, tc.call(m.client))
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assert.JSONEq(t, tc.body, reqs[0].Body)
		})
	}
}
