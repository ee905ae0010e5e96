package tim

import (
	"context"
	"errors"
)

// The one-item shortcuts below take the IDs positionally, community first,
// and return a plain error: an item's own failure comes back as its
// [*ItemError] (errors.Is(err, tim.ErrPermissionGroupNotFound), say). Each
// ID is checked as the request structs' are, so IDs passed in the wrong
// order fail before anything is sent.

// RoleOf returns the role of one account in a group (get_role_in_group):
// [RoleNotMember] when it is not in it.
//
//	role, err := client.RoleOf(ctx, groupID, "alice")
//	if err == nil && role.IsMember() { ... }
//
// Docs: https://trtc.io/document/34963
func (c *Client) RoleOf(ctx context.Context, groupID, account string) (Role, error) {
	roles, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: groupID, Accounts: []string{account}})
	if err != nil {
		return "", err
	}
	return roles[0].Role, nil
}

// GetPermissionGroup returns one permission group of a community
// (get_permission_group by ID). A group that does not exist fails with an
// [*ItemError] matching [ErrPermissionGroupNotFound].
//
// Docs: https://trtc.io/document/61235
func (c *Client) GetPermissionGroup(ctx context.Context, groupID, permissionGroupID string) (*PermissionGroup, error) {
	const cmd = cmdGetPermissionGroup
	if err := checkPermissionGroupID(cmd, "permissionGroupID", "PermissionGroupIdList", permissionGroupID); err != nil {
		return nil, err
	}
	page, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: groupID, PermissionGroupIDs: []string{permissionGroupID}})
	if err != nil {
		return nil, err
	}
	for _, g := range page.PermissionGroups {
		if g.ID == permissionGroupID {
			if err := g.Err(); err != nil {
				return nil, err
			}
			return &g, nil
		}
	}
	return nil, &DecodeError{Command: cmd, Err: errors.New("the answer has no item for " + quoteID(permissionGroupID))}
}

// DestroyPermissionGroup destroys one permission group
// (destroy_permission_group), with its topic permissions and members. One
// that does not exist fails with an [*ItemError] matching
// [ErrPermissionGroupNotFound].
//
// Docs: https://trtc.io/document/61233
func (c *Client) DestroyPermissionGroup(ctx context.Context, groupID, permissionGroupID string) error {
	return firstItem(c.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: groupID, PermissionGroupIDs: []string{permissionGroupID}}))
}

// AddPermissionGroupMember puts one community member into a permission
// group (add_permission_group_member). An account already in it fails with
// an [*ItemError] matching [ErrAlreadyMember].
//
// Docs: https://trtc.io/document/61240
func (c *Client) AddPermissionGroupMember(ctx context.Context, groupID, permissionGroupID, account string) error {
	return firstItem(c.AddPermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: groupID, PermissionGroupID: permissionGroupID, Accounts: []string{account}}))
}

// DeletePermissionGroupMember takes one account out of a permission group
// (delete_permission_group_member); an account that is not in it succeeds.
//
// Docs: https://trtc.io/document/61241
func (c *Client) DeletePermissionGroupMember(ctx context.Context, groupID, permissionGroupID, account string) error {
	return firstItem(c.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: groupID, PermissionGroupID: permissionGroupID, Accounts: []string{account}}))
}

// firstItem is the error of a one-item write: the call's, or the item's.
func firstItem(results []ItemResult, err error) error {
	if err != nil {
		return err
	}
	return results[0].Err()
}
