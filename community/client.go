package community

import (
	"context"

	"github.com/timkit/tim"
)

// Client is what [Load] and [Apply] call: *tim.Client implements it, and a
// test double can too. Load uses the reads, Apply the writes and, to
// confirm that a change it was told about already holds, the reads.
type Client interface {
	// Identifier is the app admin the client acts as: it has every
	// permission in every community.
	Identifier() string

	GetGroupInfo(ctx context.Context, req *tim.GetGroupInfoRequest) ([]tim.GroupInfo, error)
	GetPermissionGroups(ctx context.Context, req *tim.GetPermissionGroupsRequest) (*tim.PermissionGroupsPage, error)
	GetTopicPermissions(ctx context.Context, req *tim.GetTopicPermissionsRequest) ([]tim.TopicPermissionResult, error)
	GetPermissionGroupMembers(ctx context.Context, req *tim.GetPermissionGroupMembersRequest) (*tim.PermissionGroupMembersPage, error)

	CreatePermissionGroup(ctx context.Context, req *tim.CreatePermissionGroupRequest) (string, error)
	ModifyPermissionGroup(ctx context.Context, req *tim.ModifyPermissionGroupRequest) error
	DestroyPermissionGroups(ctx context.Context, req *tim.DestroyPermissionGroupsRequest) ([]tim.ItemResult, error)
	AddTopicPermissions(ctx context.Context, req *tim.TopicPermissionsRequest) ([]tim.ItemResult, error)
	SetTopicPermissions(ctx context.Context, req *tim.TopicPermissionsRequest) ([]tim.ItemResult, error)
	DeleteTopicPermissions(ctx context.Context, req *tim.DeleteTopicPermissionsRequest) ([]tim.ItemResult, error)
	AddPermissionGroupMembers(ctx context.Context, req *tim.PermissionGroupMembersRequest) ([]tim.ItemResult, error)
	DeletePermissionGroupMembers(ctx context.Context, req *tim.PermissionGroupMembersRequest) ([]tim.ItemResult, error)
}

var _ Client = (*tim.Client)(nil)
