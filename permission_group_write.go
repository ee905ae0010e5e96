package tim

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the permission-group write endpoints, checked before sending.
const (
	// MaxPermissionGroupNameBytes is the longest PermissionGroupName, in UTF-8 bytes.
	MaxPermissionGroupNameBytes = 150
	// MaxCustomStringBytes is the longest CustomString of a permission group, in bytes.
	MaxCustomStringBytes = 3000
	// MaxPermissionGroupsPerDestroy is how many permission groups one
	// destroy_permission_group request may name; [Client.DestroyPermissionGroups]
	// splits longer lists.
	MaxPermissionGroupsPerDestroy = 20
)

const (
	cmdCreatePermissionGroup  = "create_permission_group"
	cmdModifyPermissionGroup  = "modify_permission_group"
	cmdDestroyPermissionGroup = "destroy_permission_group"

	permissionGroupPrefix = "@PMG#_"
	serverMadePrefix      = "@PMG#_@PMG#"
)

// CreatePermissionGroupRequest describes a new permission group.
type CreatePermissionGroupRequest struct {
	// GroupID is the community's GroupId. Required.
	GroupID string
	// PermissionGroupID is a custom ID: "@PMG#_" followed by printable ASCII,
	// not starting "@PMG#_@PMG#" (that prefix is the server's). Empty lets the
	// server make one.
	PermissionGroupID string
	// Name is the PermissionGroupName: required, at most
	// [MaxPermissionGroupNameBytes] bytes of UTF-8.
	Name string
	// Permission is what the group's members may do in the community.
	Permission GroupPermission
	// CustomString is the app's own data, at most [MaxCustomStringBytes] bytes.
	CustomString string
}

func (r *CreatePermissionGroupRequest) validate() error {
	const cmd = cmdCreatePermissionGroup
	switch {
	case r == nil:
		return invalid(cmd, "request", "is nil")
	case r.GroupID == "":
		return invalid(cmd, "GroupId", "is empty")
	case r.PermissionGroupID != "":
		if err := checkCustomID(r.PermissionGroupID); err != nil {
			return err
		}
	}
	if r.Name == "" {
		return invalid(cmd, "PermissionGroupName", "is empty")
	}
	if err := checkName(cmd, r.Name); err != nil {
		return err
	}
	return checkCustomString(cmd, r.CustomString)
}

// checkCustomID applies the documented rules for a custom permission-group ID.
func checkCustomID(id string) error {
	const cmd, field = cmdCreatePermissionGroup, "PermissionGroupId"
	switch {
	case !strings.HasPrefix(id, permissionGroupPrefix) || len(id) == len(permissionGroupPrefix):
		return invalid(cmd, field, "a custom ID is "+permissionGroupPrefix+" followed by a suffix")
	case strings.HasPrefix(id, serverMadePrefix):
		return invalid(cmd, field, "a custom ID must not start "+serverMadePrefix+", which the server's IDs use")
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7e {
			return invalid(cmd, field, "byte "+strconv.Itoa(i)+" is not printable ASCII")
		}
	}
	return nil
}

func checkName(cmd, name string) error {
	switch {
	case len(name) > MaxPermissionGroupNameBytes:
		return invalid(cmd, "PermissionGroupName", strconv.Itoa(len(name))+" bytes is over "+strconv.Itoa(MaxPermissionGroupNameBytes))
	case !utf8.ValidString(name):
		return invalid(cmd, "PermissionGroupName", "is not valid UTF-8")
	}
	return nil
}

func checkCustomString(cmd, s string) error {
	switch {
	case len(s) > MaxCustomStringBytes:
		return invalid(cmd, "CustomString", strconv.Itoa(len(s))+" bytes is over "+strconv.Itoa(MaxCustomStringBytes))
	case !utf8.ValidString(s):
		// encoding/json would replace the bad bytes and change the string.
		return invalid(cmd, "CustomString", "is not valid UTF-8")
	}
	return nil
}

type createPermissionGroupBody struct {
	GroupID           string          `json:"GroupId"`
	PermissionGroupID string          `json:"PermissionGroupId,omitempty"`
	Name              string          `json:"PermissionGroupName"`
	Permission        GroupPermission `json:"Permission"`
	CustomString      string          `json:"CustomString,omitempty"`
}

// createPermissionGroupResponse holds the new ID. No sample answer was
// published: the ID is read from PermissionGroupId at the top level, or from
// a PermissionGroupInfo object holding it.
type createPermissionGroupResponse struct {
	envelope
	PermissionGroupID string          `json:"PermissionGroupId"`
	Info              json.RawMessage `json:"PermissionGroupInfo"` // read leniently: see idFromInfo
}

// idFromInfo reads PermissionGroupInfo.PermissionGroupId, or "" when the
// field is missing or has another shape.
func (r *createPermissionGroupResponse) idFromInfo() string {
	var info struct {
		PermissionGroupID string `json:"PermissionGroupId"`
	}
	if json.Unmarshal(r.Info, &info) != nil {
		return ""
	}
	return info.PermissionGroupID
}

// CreatePermissionGroup creates a permission group in a community
// (create_permission_group) and returns its ID: the custom ID asked for, or
// the one the server made ("@PMG#_@PMG#...").
//
// The docs publish no sample answer. The ID is read from a top-level
// PermissionGroupId or from a PermissionGroupInfo object; when the answer
// holds neither, the custom ID is returned, and without a custom ID the call
// returns a *DecodeError even though the group was created. The request is
// checked before anything is sent.
//
// Docs: https://trtc.io/document/61232
func (c *Client) CreatePermissionGroup(ctx context.Context, req *CreatePermissionGroupRequest) (string, error) {
	if err := req.validate(); err != nil {
		return "", err
	}
	body := createPermissionGroupBody{
		GroupID:           req.GroupID,
		PermissionGroupID: req.PermissionGroupID,
		Name:              req.Name,
		Permission:        req.Permission,
		CustomString:      req.CustomString,
	}
	var resp createPermissionGroupResponse
	if err := c.call(ctx, cmdCreatePermissionGroup, &body, &resp); err != nil {
		return "", err
	}
	id := resp.PermissionGroupID
	if id == "" {
		id = resp.idFromInfo()
	}
	if id == "" {
		id = req.PermissionGroupID
	}
	if id == "" {
		return "", &DecodeError{Command: cmdCreatePermissionGroup, Err: errors.New("the answer holds no PermissionGroupId (the group was created)")}
	}
	return id, nil
}

// ModifyPermissionGroupRequest changes a permission group. Only the fields
// that are set (not nil) are sent, so the server keeps the others; build
// them with [Ptr]. At least one must be set.
type ModifyPermissionGroupRequest struct {
	// GroupID is the community's GroupId. Required.
	GroupID string
	// PermissionGroupID is the permission group to change. Required.
	PermissionGroupID string
	// Name, when set, is the new name: not empty, at most
	// [MaxPermissionGroupNameBytes] bytes.
	Name *string
	// Permission, when set, replaces the group's permission bitmask
	// (Ptr(GroupPermission(0)) takes every right away).
	Permission *GroupPermission
	// CustomString, when set, replaces the app's data (Ptr("") clears it).
	CustomString *string
}

func (r *ModifyPermissionGroupRequest) validate() error {
	const cmd = cmdModifyPermissionGroup
	switch {
	case r == nil:
		return invalid(cmd, "request", "is nil")
	case r.GroupID == "":
		return invalid(cmd, "GroupId", "is empty")
	case r.PermissionGroupID == "":
		return invalid(cmd, "PermissionGroupId", "is empty")
	case r.Name == nil && r.Permission == nil && r.CustomString == nil:
		return invalid(cmd, "request", "sets none of Name, Permission and CustomString")
	}
	if r.Name != nil {
		if *r.Name == "" {
			return invalid(cmd, "PermissionGroupName", "is empty")
		}
		if err := checkName(cmd, *r.Name); err != nil {
			return err
		}
	}
	if r.CustomString != nil {
		return checkCustomString(cmd, *r.CustomString)
	}
	return nil
}

type modifyPermissionGroupBody struct {
	GroupID           string           `json:"GroupId"`
	PermissionGroupID string           `json:"PermissionGroupId"`
	Name              *string          `json:"PermissionGroupName,omitempty"`
	Permission        *GroupPermission `json:"Permission,omitempty"`
	CustomString      *string          `json:"CustomString,omitempty"`
}

// ModifyPermissionGroup changes the name, permission or custom string of a
// permission group (modify_permission_group). Fields left nil are not sent
// and keep their values.
//
// Docs: https://trtc.io/document/61234
func (c *Client) ModifyPermissionGroup(ctx context.Context, req *ModifyPermissionGroupRequest) error {
	if err := req.validate(); err != nil {
		return err
	}
	body := modifyPermissionGroupBody{
		GroupID:           req.GroupID,
		PermissionGroupID: req.PermissionGroupID,
		Name:              req.Name,
		Permission:        req.Permission,
		CustomString:      req.CustomString,
	}
	var resp envelope
	return c.call(ctx, cmdModifyPermissionGroup, &body, &resp)
}

type destroyPermissionGroupBody struct {
	GroupID            string   `json:"GroupId"`
	PermissionGroupIDs []string `json:"PermissionGroupIdList"`
}

type destroyPermissionGroupResponse struct {
	envelope
	PermissionGroupResultList []*destroyResultItem `json:"PermissionGroupResultList"`
}

type destroyResultItem struct {
	ErrorCode         ErrorCode `json:"ErrorCode"`
	ErrorInfo         string    `json:"ErrorInfo"`
	PermissionGroupID string    `json:"PermissionGroupId"`
}

func (it *destroyResultItem) result() ItemResult {
	return ItemResult{ID: it.PermissionGroupID, ErrorCode: it.ErrorCode, ErrorInfo: it.ErrorInfo}
}

// DestroyPermissionGroups destroys permission groups of a community
// (destroy_permission_group), with their topic permissions and members, and
// returns one result per ID in the order of ids: an unknown ID fails alone
// with [ErrPermissionGroupNotFound] in its [ItemResult].
//
// More than [MaxPermissionGroupsPerDestroy] IDs are sent in several requests,
// one after another. If one fails, the call returns the results of the
// requests before it with a *[BatchError] that lists the failed request's IDs
// (Unconfirmed: destroyed or not, as its Err tells) and the IDs never sent.
// Empty or repeated IDs are rejected before anything is sent.
//
// Docs: https://trtc.io/document/61233
func (c *Client) DestroyPermissionGroups(ctx context.Context, groupID string, ids []string) ([]ItemResult, error) {
	const cmd = cmdDestroyPermissionGroup
	if groupID == "" {
		return nil, invalid(cmd, "GroupId", "is empty")
	}
	if err := checkIDs(cmd, "PermissionGroupIdList", ids); err != nil {
		return nil, err
	}
	return inBatches(ctx, cmd, ids, ids, MaxPermissionGroupsPerDestroy, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		var resp destroyPermissionGroupResponse
		if err := c.call(ctx, cmd, &destroyPermissionGroupBody{GroupID: groupID, PermissionGroupIDs: batch}, &resp); err != nil {
			return nil, err
		}
		got, err := itemResults(cmd, resp.PermissionGroupResultList, (*destroyResultItem).result)
		if err != nil {
			return nil, err
		}
		return inOrder(cmd, batch, got, listDocumented)
	})
}
