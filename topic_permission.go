package tim

import (
	"context"
)

const cmdGetTopicPermissionGroup = CommandGetTopicPermissionGroup

// TopicPermissionResult is one topic's permission inside a permission group,
// as get_topic_permission_group returns it.
type TopicPermissionResult struct {
	// TopicID is the topic: the community's GroupId + "@TOPIC#_" + a suffix.
	TopicID string
	// Permission is what the permission group's members may do in the topic.
	Permission TopicPermission
	// ErrorCode and ErrorInfo are the per-item result: when ErrorCode is not
	// 0, Permission is meaningless. See [TopicPermissionResult.Err].
	ErrorCode ErrorCode
	ErrorInfo string
}

// Err returns the item's failure as an [*ItemError] (for example one
// matching [ErrTopicPermissionAlreadyDeleted]), or nil.
func (r TopicPermissionResult) Err() error {
	return itemError(cmdGetTopicPermissionGroup, r.TopicID, r.ErrorCode, r.ErrorInfo)
}

// GetTopicPermissionsRequest asks for the topic permissions of one
// permission group.
type GetTopicPermissionsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupID is the permission group ("@PMG#_…"). Required.
	PermissionGroupID string
	// TopicIDs selects topics (GroupID + "@TOPIC#_…"); empty means every
	// topic the permission group has a permission for (the field is then
	// left out of the request).
	TopicIDs []string
}

func (r *GetTopicPermissionsRequest) validate() error {
	const cmd = cmdGetTopicPermissionGroup
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupAndPermissionGroup(cmd, r.GroupID, r.PermissionGroupID); err != nil {
		return err
	}
	if len(r.TopicIDs) == 0 {
		return nil
	}
	return checkList(cmd, "TopicIDs", "TopicIdList", r.TopicIDs, false, func(field, id string) error {
		return checkTopicID(cmd, field, r.GroupID, id)
	})
}

type getTopicPermissionBody struct {
	GroupID           string   `json:"GroupId"`
	PermissionGroupID string   `json:"PermissionGroupId"`
	TopicIDs          []string `json:"TopicIdList,omitempty"`
}

type getTopicPermissionResponse struct {
	envelope
	TopicPermissionResultList []*topicPermissionItem `json:"TopicPermissionResultList"`
}

type topicPermissionItem struct {
	ErrorCode  ErrorCode       `json:"ErrorCode"`
	ErrorInfo  string          `json:"ErrorInfo"`
	TopicID    string          `json:"TopicId"`
	Permission TopicPermission `json:"Permission"`
}

// GetTopicPermissions returns the topic permissions of a permission group
// (get_topic_permission_group). Topics the server could not answer for carry
// a per-item error: see [TopicPermissionResult.Err].
//
// Docs: https://trtc.io/document/61239
func (c *Client) GetTopicPermissions(ctx context.Context, req *GetTopicPermissionsRequest) ([]TopicPermissionResult, error) {
	if err := c.ready(ctx, cmdGetTopicPermissionGroup); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body := getTopicPermissionBody{GroupID: req.GroupID, PermissionGroupID: req.PermissionGroupID, TopicIDs: req.TopicIDs}
	var resp getTopicPermissionResponse
	if err := c.call(ctx, cmdGetTopicPermissionGroup, &body, &resp); err != nil {
		return nil, err
	}
	out := make([]TopicPermissionResult, len(resp.TopicPermissionResultList))
	for i, it := range resp.TopicPermissionResultList {
		if it == nil {
			return nil, nullItem(cmdGetTopicPermissionGroup, i)
		}
		out[i] = TopicPermissionResult{TopicID: it.TopicID, Permission: it.Permission, ErrorCode: it.ErrorCode, ErrorInfo: it.ErrorInfo}
	}
	return out, nil
}
