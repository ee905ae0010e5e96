package tim

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccountAndIDLengths: an account over MaxAccountBytes and a
// permission-group ID over MaxPermissionGroupIDBytes are refused before
// anything is sent, by every command that takes one; what sits on the
// limit is sent.
func TestAccountAndIDLengths(t *testing.T) {
	ctx := context.Background()
	acct32, acct33 := strings.Repeat("a", MaxAccountBytes), strings.Repeat("a", MaxAccountBytes+1)
	id48 := PermissionGroupIDPrefix + strings.Repeat("p", MaxPermissionGroupIDBytes-len(PermissionGroupIDPrefix))
	id49 := id48 + "p"
	members := func(add bool, pg, account string) func(*Client) error {
		return func(c *Client) error {
			req := &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: pg, Accounts: []string{"x", account}}
			if add {
				_, err := c.AddPermissionGroupMembers(ctx, req)
				return err
			}
			_, err := c.DeletePermissionGroupMembers(ctx, req)
			return err
		}
	}
	calls := []struct {
		name, command string
		call          func(c *Client, account, pg string) error
	}{
		{"roles", CommandGetRoleInGroup, func(c *Client, account, _ string) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: seedCommunity, Accounts: []string{"x", account}})
			return err
		}},
		{"add members", CommandAddPermissionGroupMember, func(c *Client, account, pg string) error { return members(true, pg, account)(c) }},
		{"delete members", CommandDeletePermissionGroupMember, func(c *Client, account, pg string) error { return members(false, pg, account)(c) }},
		{"create", CommandCreatePermissionGroup, func(c *Client, _, pg string) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: pg, Name: "n"})
			return err
		}},
		{"modify", CommandModifyPermissionGroup, func(c *Client, _, pg string) error {
			return c.ModifyPermissionGroup(ctx, &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: pg, Name: Ptr("n")})
		}},
		{"destroy", CommandDestroyPermissionGroup, func(c *Client, _, pg string) error {
			_, err := c.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{pg}})
			return err
		}},
		{"topics", CommandGetTopicPermissionGroup, func(c *Client, _, pg string) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: pg})
			return err
		}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				m.record(r)
				return httpmock.NewStringResponse(200, okEnvelope), nil
			})
			for _, bad := range [][2]string{{acct33, id48}, {acct32, id49}} {
				usesAccount := tc.command == CommandGetRoleInGroup || strings.Contains(tc.name, "members")
				if bad[0] == acct33 && !usesAccount {
					continue
				}
				if bad[1] == id49 && tc.command == CommandGetRoleInGroup {
					continue
				}
				err := tc.call(m.client, bad[0], bad[1])
				var ve *ValidationError
				require.ErrorAs(t, err, &ve, "%s with %d-byte account, %d-byte ID", tc.name, len(bad[0]), len(bad[1]))
				if bad[0] == acct33 {
					assert.Contains(t, ve.Reason, "is 33 bytes; accounts are at most 32")
				} else {
					assert.Contains(t, ve.Reason, "is 49 bytes; permission-group IDs are at most 48")
				}
				assert.Empty(t, m.requests(), "nothing is sent")
			}
			_ = tc.call(m.client, acct32, id48) // on the limits: sent (the canned answer may not fit)
			assert.Len(t, m.requests(), 1, "on the limits, the request is sent")
		})
	}
}

func TestCheckAccount(t *testing.T) {
	assert.NoError(t, CheckAccount(strings.Repeat("é", 16)), "32 bytes")
	for _, bad := range []string{"", strings.Repeat("é", 16) + "x", "a\x00", "\xff"} {
		err := CheckAccount(bad)
		assert.ErrorIs(t, err, ErrInvalidRequest, "%q", bad)
	}
}
