package tim

import "context"

// MaxTopicsPerCall is how many topics one add_topic_permission_group,
// set_topic_permission_group or delete_topic_permission_group request may
// name; longer lists are split.
const MaxTopicsPerCall = 50

const (
	cmdAddTopicPermission    = "add_topic_permission_group"
	cmdSetTopicPermission    = "set_topic_permission_group"
	cmdDeleteTopicPermission = "delete_topic_permission_group"
)

// TopicPermissionSetting is a permission group's permission in one topic, as
// [Client.AddTopicPermissions] and [Client.SetTopicPermissions] send it.
type TopicPermissionSetting struct {
	// TopicID is the topic: the community's GroupId + "@TOPIC#_" + a suffix.
	TopicID string `json:"TopicId"`
	// Permission is what the permission group's members may do in the topic.
	Permission TopicPermission `json:"Permission"`
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
// it with a *[BatchError] accounting for the other topics. Empty or repeated
// topic IDs are rejected before anything is sent.
//
// Docs: https://trtc.io/document/61236
func (c *Client) AddTopicPermissions(ctx context.Context, groupID, permissionGroupID string, settings []TopicPermissionSetting) ([]ItemResult, error) {
	return c.writeTopicSettings(ctx, cmdAddTopicPermission, groupID, permissionGroupID, settings)
}

// SetTopicPermissions changes a permission group's permissions in topics it
// already has permissions in (set_topic_permission_group): a topic not in
// the group fails alone with [ErrTopicNotInPermissionGroup]. Results, splits
// and checks are as for [Client.AddTopicPermissions]. The answer's shape is
// not documented; it is read like the add answer.
//
// Docs: https://trtc.io/document/61237
func (c *Client) SetTopicPermissions(ctx context.Context, groupID, permissionGroupID string, settings []TopicPermissionSetting) ([]ItemResult, error) {
	return c.writeTopicSettings(ctx, cmdSetTopicPermission, groupID, permissionGroupID, settings)
}

func (c *Client) writeTopicSettings(ctx context.Context, cmd, groupID, permissionGroupID string, settings []TopicPermissionSetting) ([]ItemResult, error) {
	if err := checkGroupAndPermissionGroup(cmd, groupID, permissionGroupID); err != nil {
		return nil, err
	}
	ids := make([]string, len(settings))
	for i, s := range settings {
		ids[i] = s.TopicID
	}
	if err := checkIDs(cmd, "TopicPermissionList", ids); err != nil {
		return nil, err
	}
	return inBatches(ctx, cmd, settings, ids, MaxTopicsPerCall, func(ctx context.Context, batch []TopicPermissionSetting, batchIDs []string) ([]ItemResult, error) {
		body := topicPermissionWriteBody{GroupID: groupID, PermissionGroupID: permissionGroupID, Settings: batch}
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
func (c *Client) DeleteTopicPermissions(ctx context.Context, groupID, permissionGroupID string, topicIDs []string) ([]ItemResult, error) {
	const cmd = cmdDeleteTopicPermission
	if err := checkGroupAndPermissionGroup(cmd, groupID, permissionGroupID); err != nil {
		return nil, err
	}
	if err := checkIDs(cmd, "TopicIdList", topicIDs); err != nil {
		return nil, err
	}
	return inBatches(ctx, cmd, topicIDs, topicIDs, MaxTopicsPerCall, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		body := topicPermissionWriteBody{GroupID: groupID, PermissionGroupID: permissionGroupID, TopicIDs: batch}
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

func checkGroupAndPermissionGroup(cmd, groupID, permissionGroupID string) error {
	switch {
	case groupID == "":
		return invalid(cmd, "GroupId", "is empty")
	case permissionGroupID == "":
		return invalid(cmd, "PermissionGroupId", "is empty")
	}
	return nil
}
