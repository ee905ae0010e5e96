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
	// MaxCustomStringBytes is the longest CustomString of a permission group
	// or a topic, in bytes.
	MaxCustomStringBytes = 3000
	// MaxPermissionGroupsPerDestroy is how many permission groups one
	// destroy_permission_group request may name; [Client.DestroyPermissionGroups]
	// splits longer lists.
	MaxPermissionGroupsPerDestroy = 20
)

const (
	cmdCreatePermissionGroup  = CommandCreatePermissionGroup
	cmdModifyPermissionGroup  = CommandModifyPermissionGroup
	cmdDestroyPermissionGroup = CommandDestroyPermissionGroup
)

// CreatePermissionGroupRequest describes a new permission group.
type CreatePermissionGroupRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
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
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, r.GroupID); err != nil {
		return err
	}
	if r.PermissionGroupID != "" {
		if err := checkCustomID(r.PermissionGroupID); err != nil {
			return err
		}
	}
	if r.Name == "" {
		return invalid(cmd, "Name", "PermissionGroupName", "is empty")
	}
	if err := checkName(cmd, r.Name); err != nil {
		return err
	}
	return checkCustomString(cmd, r.CustomString)
}

// CheckCustomPermissionGroupID reports whether id follows the documented
// rules for a custom permission-group ID: "@PMG#_" followed by a suffix,
// not starting "@PMG#_@PMG#" (that prefix is the service's), printable
// ASCII only. The error is a [*ValidationError].
func CheckCustomPermissionGroupID(id string) error { return checkCustomID(id) }

// checkCustomID applies the documented rules for a custom permission-group ID.
func checkCustomID(id string) error {
	const cmd, field, param = cmdCreatePermissionGroup, "PermissionGroupID", "PermissionGroupId"
	if err := checkPermissionGroupID(cmd, field, param, id); err != nil {
		return err
	}
	if strings.HasPrefix(id, serverMadePrefix) {
		return invalid(cmd, field, param, "a custom ID must not start "+serverMadePrefix+", which the server's IDs use")
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7e {
			return invalid(cmd, field, param, "byte "+strconv.Itoa(i)+" is not printable ASCII")
		}
	}
	return nil
}

func checkName(cmd, name string) error {
	return checkText(cmd, "Name", "PermissionGroupName", name, MaxPermissionGroupNameBytes)
}

func checkCustomString(cmd, s string) error {
	const field, param = "CustomString", "CustomString"
	switch {
	case len(s) > MaxCustomStringBytes:
		return invalid(cmd, field, param, strconv.Itoa(len(s))+" bytes is over "+strconv.Itoa(MaxCustomStringBytes))
	case !utf8.ValidString(s):
		// encoding/json would replace the bad bytes and change the string.
		return invalid(cmd, field, param, "is not valid UTF-8")
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
// A custom ID the community already has: the docs name no code for it. The
// SDK expects [ErrIDInUse] (10021, the code for a group ID in use), and the
// fake in package timtest answers it, so
//
//	if errors.Is(err, tim.ErrIDInUse) { ... the group exists: read it, or modify it ... }
//
// is the test to write. The command is not idempotent: a create whose
// answer was lost is not sent again (see [RetryPolicy]).
//
// Docs: https://trtc.io/document/61232
func (c *Client) CreatePermissionGroup(ctx context.Context, req *CreatePermissionGroupRequest) (string, error) {
	if err := c.ready(ctx, cmdCreatePermissionGroup); err != nil {
		return "", err
	}
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
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupID is the permission group to change ("@PMG#_…").
	// Required.
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
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupAndPermissionGroup(cmd, r.GroupID, r.PermissionGroupID); err != nil {
		return err
	}
	if r.Name == nil && r.Permission == nil && r.CustomString == nil {
		return invalid(cmd, "req", "", "sets none of Name, Permission and CustomString")
	}
	if r.Name != nil {
		if *r.Name == "" {
			return invalid(cmd, "Name", "PermissionGroupName", "is empty")
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
	if err := c.ready(ctx, cmdModifyPermissionGroup); err != nil {
		return err
	}
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

// DestroyPermissionGroupsRequest names permission groups to destroy.
type DestroyPermissionGroupsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupIDs are the groups to destroy ("@PMG#_…"): at least
	// one, none twice. Any number; see [Client.DestroyPermissionGroups].
	PermissionGroupIDs []string
}

func (r *DestroyPermissionGroupsRequest) validate() error {
	const cmd = cmdDestroyPermissionGroup
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, r.GroupID); err != nil {
		return err
	}
	return checkList(cmd, "PermissionGroupIDs", "PermissionGroupIdList", r.PermissionGroupIDs, true, func(field, id string) error {
		return checkPermissionGroupID(cmd, field, "PermissionGroupIdList", id)
	})
}

// DestroyPermissionGroups destroys permission groups of a community
// (destroy_permission_group), with their topic permissions and members, and
// returns one result per ID in the order of req.PermissionGroupIDs: an
// unknown ID fails alone with [ErrPermissionGroupNotFound] in its
// [ItemResult]. For one group, [Client.DestroyPermissionGroup] is shorter.
//
// More than [MaxPermissionGroupsPerDestroy] IDs are sent in several requests,
// one after another. If one fails, the call returns the results of the
// requests before it with a *[BatchError] that lists the failed request's IDs
// (Unconfirmed: destroyed or not, as its Err tells) and the IDs never sent.
// The request is checked before anything is sent.
//
// Docs: https://trtc.io/document/61233
func (c *Client) DestroyPermissionGroups(ctx context.Context, req *DestroyPermissionGroupsRequest) ([]ItemResult, error) {
	const cmd = cmdDestroyPermissionGroup
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	groupID, ids := req.GroupID, req.PermissionGroupIDs
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
