package community

import (
	"context"

	"github.com/timkit/tim"
)

// Client is what [Load], [CheckSpec] and [Apply] call: *tim.Client
// implements it, and a test double can too. Load uses the reads, CheckSpec
// GetRoleInGroup, Apply the writes and, to confirm that a change it was
// told about already holds, the reads. (The topic, settings and role
// methods came with topics and settings as code: a double written before
// needs them too.)
type Client interface {
	// Identifier is the app admin the client acts as: it has every
	// permission in every community.
	Identifier() string

	GetGroupInfo(ctx context.Context, req *tim.GetGroupInfoRequest) ([]tim.GroupInfo, error)
	GetPermissionGroups(ctx context.Context, req *tim.GetPermissionGroupsRequest) (*tim.PermissionGroupsPage, error)
	GetTopicPermissions(ctx context.Context, req *tim.GetTopicPermissionsRequest) ([]tim.TopicPermissionResult, error)
	GetPermissionGroupMembers(ctx context.Context, req *tim.GetPermissionGroupMembersRequest) (*tim.PermissionGroupMembersPage, error)
	GetTopics(ctx context.Context, req *tim.GetTopicsRequest) ([]tim.Topic, error)
	GetRoleInGroup(ctx context.Context, req *tim.GetRoleInGroupRequest) ([]tim.MemberRole, error)

	ModifyGroupBaseInfo(ctx context.Context, req *tim.ModifyGroupBaseInfoRequest) error
	CreateTopic(ctx context.Context, req *tim.CreateTopicRequest) (string, error)
	ModifyTopic(ctx context.Context, req *tim.ModifyTopicRequest) error
	DestroyTopics(ctx context.Context, req *tim.DestroyTopicsRequest) ([]tim.ItemResult, error)

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
