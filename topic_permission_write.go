package tim

import "context"

// MaxTopicsPerCall is how many topics one add_topic_permission_group,
// set_topic_permission_group or delete_topic_permission_group request may
// name; longer lists are split.
const MaxTopicsPerCall = 50

const (
	cmdAddTopicPermission    = CommandAddTopicPermissionGroup
	cmdSetTopicPermission    = CommandSetTopicPermissionGroup
	cmdDeleteTopicPermission = CommandDeleteTopicPermissionGroup
)

// TopicPermissionSetting is a permission group's permission in one topic, as
// [Client.AddTopicPermissions] and [Client.SetTopicPermissions] send it.
type TopicPermissionSetting struct {
	// TopicID is the topic: the community's GroupId + "@TOPIC#_" + a suffix.
	TopicID string `json:"TopicId"`
	// Permission is what the permission group's members may do in the topic.
	Permission TopicPermission `json:"Permission"`
}

// TopicPermissionsRequest gives a permission group permissions in topics,
// for [Client.AddTopicPermissions] and [Client.SetTopicPermissions].
type TopicPermissionsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupID is the permission group ("@PMG#_…"). Required.
	PermissionGroupID string
	// Topics are the topics and their permissions: at least one, no topic
	// twice. Any number; longer lists than [MaxTopicsPerCall] are split.
	Topics []TopicPermissionSetting
}

// DeleteTopicPermissionsRequest takes topic permissions away from a
// permission group, for [Client.DeleteTopicPermissions].
type DeleteTopicPermissionsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupID is the permission group ("@PMG#_…"). Required.
	PermissionGroupID string
	// TopicIDs are the topics: at least one, none twice. Any number;
	// longer lists than [MaxTopicsPerCall] are split.
	TopicIDs []string
}

type topicPermissionWriteBody struct {
	GroupID           string                   `json:"GroupId"`
	PermissionGroupID string                   `json:"PermissionGroupId"`
	Settings          []TopicPermissionSetting `json:"TopicPermissionList,omitempty"`
	TopicIDs          []string                 `json:"TopicIdList,omitempty"`
}

// topicWriteResponse is the answer of the three topic-permission writes: a
// TopicPermissionResultList of {ErrorCode, ErrorInfo, TopicId}. Only the add
// answer is documented; the set and delete answers are taken to be the same,
// and an answer without the list means every topic succeeded.
type topicWriteResponse struct {
	envelope
	TopicPermissionResultList []*topicResultItem `json:"TopicPermissionResultList"`
}

type topicResultItem struct {
	ErrorCode ErrorCode `json:"ErrorCode"`
	ErrorInfo string    `json:"ErrorInfo"`
	TopicID   string    `json:"TopicId"`
}

func (it *topicResultItem) result() ItemResult {
	return ItemResult{ID: it.TopicID, ErrorCode: it.ErrorCode, ErrorInfo: it.ErrorInfo}
}

// AddTopicPermissions gives a permission group permissions in topics it has
// none in yet (add_topic_permission_group). It returns one result per topic,
// in order: a topic the community does not have fails alone with
// [ErrInvalidTopicID], one the group already has with
// [ErrTopicAlreadyInPermissionGroup] (use [Client.SetTopicPermissions] to
// change it).
//
// More than [MaxTopicsPerCall] topics are sent in several requests, one after
// another; if one fails, the call returns the results of the requests before
// it with a *[BatchError] accounting for the other topics. The request is
// checked before anything is sent.
//
// Docs: https://trtc.io/document/61236
func (c *Client) AddTopicPermissions(ctx context.Context, req *TopicPermissionsRequest) ([]ItemResult, error) {
	return c.writeTopicSettings(ctx, cmdAddTopicPermission, req)
}

// SetTopicPermissions changes a permission group's permissions in topics it
// already has permissions in (set_topic_permission_group): a topic not in
// the group fails alone with [ErrTopicNotInPermissionGroup]. Results, splits
// and checks are as for [Client.AddTopicPermissions]. The answer's shape is
// not documented; it is read like the add answer.
//
// Docs: https://trtc.io/document/61237
func (c *Client) SetTopicPermissions(ctx context.Context, req *TopicPermissionsRequest) ([]ItemResult, error) {
	return c.writeTopicSettings(ctx, cmdSetTopicPermission, req)
}

func (c *Client) writeTopicSettings(ctx context.Context, cmd string, req *TopicPermissionsRequest) ([]ItemResult, error) {
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupAndPermissionGroup(cmd, req.GroupID, req.PermissionGroupID); err != nil {
		return nil, err
	}
	ids := make([]string, len(req.Topics))
	for i, s := range req.Topics {
		ids[i] = s.TopicID
	}
	err := checkList(cmd, "Topics", "TopicPermissionList", ids, true, func(field, id string) error {
		return checkTopicID(cmd, field+".TopicID", req.GroupID, id)
	})
	if err != nil {
		return nil, err
	}
	groupID, pgID := req.GroupID, req.PermissionGroupID
	return inBatches(ctx, cmd, req.Topics, ids, MaxTopicsPerCall, func(ctx context.Context, batch []TopicPermissionSetting, batchIDs []string) ([]ItemResult, error) {
		body := topicPermissionWriteBody{GroupID: groupID, PermissionGroupID: pgID, Settings: batch}
		return c.writeTopics(ctx, cmd, &body, batchIDs)
	})
}

// DeleteTopicPermissions removes a permission group's permissions in topics
// (delete_topic_permission_group). A topic whose permission was already
// deleted fails alone with [ErrTopicPermissionAlreadyDeleted]. The request
// is sent as a TopicIdList and the answer read like the add answer; neither
// shape is documented with a sample. Splits and checks are as for
// [Client.AddTopicPermissions].
//
// Docs: https://trtc.io/document/61238
func (c *Client) DeleteTopicPermissions(ctx context.Context, req *DeleteTopicPermissionsRequest) ([]ItemResult, error) {
	const cmd = cmdDeleteTopicPermission
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupAndPermissionGroup(cmd, req.GroupID, req.PermissionGroupID); err != nil {
		return nil, err
	}
	err := checkList(cmd, "TopicIDs", "TopicIdList", req.TopicIDs, true, func(field, id string) error {
		return checkTopicID(cmd, field, req.GroupID, id)
	})
	if err != nil {
		return nil, err
	}
	groupID, pgID := req.GroupID, req.PermissionGroupID
	return inBatches(ctx, cmd, req.TopicIDs, req.TopicIDs, MaxTopicsPerCall, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		body := topicPermissionWriteBody{GroupID: groupID, PermissionGroupID: pgID, TopicIDs: batch}
		return c.writeTopics(ctx, cmd, &body, batch)
	})
}

// writeTopics sends one topic-permission write and returns its per-topic
// results in the order of ids.
func (c *Client) writeTopics(ctx context.Context, cmd string, body *topicPermissionWriteBody, ids []string) ([]ItemResult, error) {
	var resp topicWriteResponse
	if err := c.call(ctx, cmd, body, &resp); err != nil {
		return nil, err
	}
	got, err := itemResults(cmd, resp.TopicPermissionResultList, (*topicResultItem).result)
	if err != nil {
		return nil, err
	}
	shape := listInferred // set and delete: no sample answer in API.md
	if cmd == cmdAddTopicPermission {
		shape = listDocumented
	}
	return inOrder(cmd, ids, got, shape)
}

// checkGroupAndPermissionGroup checks the two IDs that name a permission
// group.
func checkGroupAndPermissionGroup(cmd, groupID, permissionGroupID string) error {
	if err := checkCommunityID(cmd, groupID); err != nil {
		return err
	}
	return checkPermissionGroupID(cmd, "PermissionGroupID", "PermissionGroupId", permissionGroupID)
}
