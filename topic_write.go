package tim

import "context"

// MaxTopicsPerDestroy is how many topics one destroy_topic request names;
// [Client.DestroyTopics] splits longer lists. The docs set no limit ("may
// hold several"): 50 is the documented limit of every other topic list of
// the same family (add, set and delete_topic_permission_group), a size the
// service is known to take, and small enough that an answer never nears
// the 1 MB cap.
const MaxTopicsPerDestroy = 50

// ModifyTopicRequest changes a topic, for [Client.ModifyTopic]. Only the
// fields that are set (not nil) are sent, so the service keeps the others;
// build them with [Ptr]. At least one must be set.
type ModifyTopicRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// TopicID is the topic to change. Required.
	TopicID string
	// FromAccount is the From_Account, the member the change is made as;
	// empty leaves it to the service. It is not a field to change.
	FromAccount string
	// Name, when set, is the new TopicName: not empty, at most
	// [MaxTopicNameBytes].
	Name *string
	// CustomString, FaceURL, Notification and Introduction, when set,
	// replace the topic's (Ptr("") clears one), within the limits of
	// [CreateTopicRequest].
	CustomString, FaceURL, Notification, Introduction *string
	// MuteAll, when set, mutes every member in the topic (true) or lifts
	// that (false): MuteAllMember "On" or "Off".
	MuteAll *bool
}

func (r *ModifyTopicRequest) validate() error {
	const cmd = CommandModifyTopic
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, r.GroupID); err != nil {
		return err
	}
	if err := checkTopicID(cmd, "TopicID", r.GroupID, r.TopicID); err != nil {
		return err
	}
	if r.FromAccount != "" {
		if err := checkAccount(cmd, "FromAccount", "From_Account", r.FromAccount); err != nil {
			return err
		}
	}
	text := topicText{r.Name, r.CustomString, r.FaceURL, r.Notification, r.Introduction}
	if text == (topicText{}) && r.MuteAll == nil {
		return invalid(cmd, "req", "", "sets none of Name, CustomString, FaceURL, Notification, Introduction and MuteAll")
	}
	return text.check(cmd)
}

type modifyTopicBody struct {
	GroupID       string  `json:"GroupId"`
	TopicID       string  `json:"TopicId"`
	FromAccount   string  `json:"From_Account,omitempty"`
	Name          *string `json:"TopicName,omitempty"`
	CustomString  *string `json:"CustomString,omitempty"`
	FaceURL       *string `json:"FaceUrl,omitempty"`
	Notification  *string `json:"Notification,omitempty"`
	Introduction  *string `json:"Introduction,omitempty"`
	MuteAllMember string  `json:"MuteAllMember,omitempty"`
}

// onOff is a switch as the service's *AllMember fields take it.
func onOff(v *bool) string {
	switch {
	case v == nil:
		return ""
	case *v:
		return "On"
	}
	return "Off"
}

// ModifyTopic changes a topic's name, texts or mute switch (modify_topic,
// under [ServiceMillionGroup]). Fields left nil are not sent and keep their
// values. A topic that was destroyed fails with [ErrGroupNotFound] (10010,
// "the topic was dissolved"). The request is checked before anything is
// sent. A change of the name, introduction, notification or picture makes
// the service send the app's after-topic-info-changed callback.
//
// Docs: https://trtc.io/document/49468
func (c *Client) ModifyTopic(ctx context.Context, req *ModifyTopicRequest) error {
	const cmd = CommandModifyTopic
	if err := c.ready(ctx, cmd); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	body := modifyTopicBody{
		GroupID: req.GroupID, TopicID: req.TopicID, FromAccount: req.FromAccount,
		Name: req.Name, CustomString: req.CustomString, FaceURL: req.FaceURL,
		Notification: req.Notification, Introduction: req.Introduction, MuteAllMember: onOff(req.MuteAll),
	}
	var resp envelope
	return c.call(ctx, cmd, &body, &resp)
}

// DestroyTopicsRequest names topics to destroy, for [Client.DestroyTopics].
type DestroyTopicsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// TopicIDs are the topics: at least one, none twice. Any number;
	// longer lists than [MaxTopicsPerDestroy] are split.
	TopicIDs []string
}

type destroyTopicBody struct {
	GroupID  string   `json:"GroupId"`
	TopicIDs []string `json:"TopicIdList"`
}

type destroyTopicResponse struct {
	envelope
	DestroyResultItem []*topicResultItem `json:"DestroyResultItem"`
}

// DestroyTopics destroys topics of a community (destroy_topic, under
// [ServiceMillionGroup]), which cannot be undone, and returns one result
// per topic in the order of req.TopicIDs: a topic already destroyed fails
// alone with [ErrTopicNotFound] (110003). Every permission group loses its
// permissions in a destroyed topic (inferred: the docs do not say; the fake
// does so).
//
// More than [MaxTopicsPerDestroy] topics are sent in several requests, one
// after another; if one fails, the call returns the results of the
// requests before it with a *[BatchError] accounting for the other topics.
// The request is checked before anything is sent. The command is not
// idempotent: a destroy whose answer was lost is not sent again.
//
// Docs: https://trtc.io/document/49470
func (c *Client) DestroyTopics(ctx context.Context, req *DestroyTopicsRequest) ([]ItemResult, error) {
	const cmd = CommandDestroyTopic
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, req.GroupID); err != nil {
		return nil, err
	}
	err := checkList(cmd, "TopicIDs", "TopicIdList", req.TopicIDs, true, func(field, id string) error {
		return checkTopicID(cmd, field, req.GroupID, id)
	})
	if err != nil {
		return nil, err
	}
	groupID, ids := req.GroupID, req.TopicIDs
	return inBatches(ctx, cmd, ids, ids, MaxTopicsPerDestroy, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		var resp destroyTopicResponse
		if err := c.call(ctx, cmd, &destroyTopicBody{GroupID: groupID, TopicIDs: batch}, &resp); err != nil {
			return nil, err
		}
		got, err := itemResults(cmd, resp.DestroyResultItem, (*topicResultItem).result)
		if err != nil {
			return nil, err
		}
		return inOrder(cmd, batch, got, listDocumented)
	})
}
