package tim

import (
	"context"
	"encoding/json"
)

// GetTopicsRequest asks for topics of a community, for [Client.GetTopics].
type GetTopicsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// TopicIDs are the topics to read, none twice; empty reads every topic
	// of the community. The docs give no limit, so the list is sent whole.
	TopicIDs []string
	// FromAccount is the account whose own state in each topic
	// ([Topic.Self]) comes back (From_Account, which the service requires);
	// empty sends the client's admin identifier. It is sent as a string, as
	// the samples show (the field table says "uint64").
	FromAccount string
	// ResponseFilter names the topic fields to return, under their wire
	// names ("TopicName", "FaceUrl", "Notification", "Introduction", ...);
	// the others are left out of the answer, and so are zero in [Topic].
	// Empty returns every field.
	ResponseFilter []string
}

func (r *GetTopicsRequest) validate() error {
	const cmd = CommandGetTopic
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, r.GroupID); err != nil {
		return err
	}
	if len(r.TopicIDs) > 0 {
		err := checkList(cmd, "TopicIDs", "TopicIdList", r.TopicIDs, true, func(field, id string) error {
			return checkTopicID(cmd, field, r.GroupID, id)
		})
		if err != nil {
			return err
		}
	}
	if r.FromAccount != "" {
		if err := checkAccount(cmd, "FromAccount", "From_Account", r.FromAccount); err != nil {
			return err
		}
	}
	return checkNames(cmd, "ResponseFilter", "ResponseFilter", r.ResponseFilter)
}

// Topic is one topic of a community as get_topic returns it (an item of
// TopicAndSelfInfo), with the state of the request's FromAccount in it.
type Topic struct {
	// ID is the TopicId.
	ID string
	// GroupID is the community's ID, which the answer sends as "GroupID"
	// (capital D; "GroupId" is read too).
	GroupID string
	// Name is the TopicName.
	Name string
	// FaceURL (FaceUrl), Notification, Introduction and CustomString are
	// the topic's texts; "" when unset, or when a ResponseFilter left them
	// out.
	FaceURL, Notification, Introduction, CustomString string
	// CreateTime and LastMsgTime are Unix seconds; LastMsgTime is 0 before
	// the first message.
	CreateTime, LastMsgTime int64
	// NextMsgSeq is the sequence number the next message will get.
	NextMsgSeq int64
	// MuteAll is whether every member is muted in the topic: read from
	// ShutUpAllFlag (a number, as get_topic's sample sends it) or
	// MuteAllMember ("On"/"Off", the name modify_topic takes).
	MuteAll bool
	// CustomData holds the topic's custom fields (TopicDefinedData), when
	// the answer carries them: read from a list of {"Key", "Value"} objects
	// or a JSON object. get_topic's sample shows none, so this is inferred.
	CustomData map[string]string
	// Self is the state of the request's FromAccount in the topic.
	Self TopicSelfInfo
	// ErrorCode and ErrorInfo are the item's result (110003 for a topic
	// that was destroyed, 10010 for one that does not exist); see
	// [Topic.Err]. The answer's own code says nothing: only these count.
	ErrorCode ErrorCode
	ErrorInfo string
	// Raw is the item as the server sent it, for fields not decoded above.
	Raw json.RawMessage
}

// TopicSelfInfo is one account's state in a topic: get_topic's SelfInfo.
type TopicSelfInfo struct {
	// MsgFlag is how the account receives the topic's messages.
	MsgFlag MsgFlag
	// MuteTime is ShutUpTime (or MuteTime) as the answer sends it: 0 when
	// the account is not muted. The docs do not say whether it is an end
	// time or a length.
	MuteTime int64
	// MsgSeq is the sequence number of the last message the account read.
	MsgSeq int64
}

// Err returns the item's failure as an [*ItemError], or nil.
func (t Topic) Err() error { return itemError(CommandGetTopic, t.ID, t.ErrorCode, t.ErrorInfo) }

// UnmarshalJSON decodes an item of TopicAndSelfInfo and keeps its bytes in
// Raw. A failed item may carry no TopicInfo; its ID is then filled in from
// the request (see Client.GetTopics).
func (t *Topic) UnmarshalJSON(b []byte) error {
	var it struct {
		ErrorCode ErrorCode `json:"ErrorCode"`
		ErrorInfo string    `json:"ErrorInfo"`
		Self      *struct {
			ShutUpTime *flexInt `json:"ShutUpTime"`
			MuteTime   *flexInt `json:"MuteTime"`
			MsgSeq     flexInt  `json:"MsgSeq"`
			MsgFlag    MsgFlag  `json:"MsgFlag"`
		} `json:"SelfInfo"`
		Info *struct {
			ID            string          `json:"TopicId"`
			GroupID       string          `json:"GroupID"` // matches "GroupId" too: encoding/json folds case
			Name          string          `json:"TopicName"`
			FaceURL       string          `json:"FaceUrl"`
			Notification  string          `json:"Notification"`
			Introduction  string          `json:"Introduction"`
			CustomString  string          `json:"CustomString"`
			CreateTime    flexInt         `json:"CreateTime"`
			LastMsgTime   flexInt         `json:"LastMsgTime"`
			NextMsgSeq    flexInt         `json:"NextMsgSeq"`
			ShutUpAllFlag *flexBool       `json:"ShutUpAllFlag"`
			MuteAllMember *flexBool       `json:"MuteAllMember"`
			Custom        json.RawMessage `json:"TopicDefinedData"`
		} `json:"TopicInfo"`
	}
	if err := json.Unmarshal(b, &it); err != nil {
		return err
	}
	*t = Topic{ErrorCode: it.ErrorCode, ErrorInfo: it.ErrorInfo, Raw: append(json.RawMessage(nil), b...)}
	if s := it.Self; s != nil {
		t.Self = TopicSelfInfo{MsgFlag: s.MsgFlag, MsgSeq: int64(s.MsgSeq)}
		switch {
		case s.MuteTime != nil:
			t.Self.MuteTime = int64(*s.MuteTime)
		case s.ShutUpTime != nil:
			t.Self.MuteTime = int64(*s.ShutUpTime)
		}
	}
	if in := it.Info; in != nil {
		custom, err := customData(in.Custom)
		if err != nil {
			return err
		}
		t.ID, t.GroupID, t.Name = in.ID, in.GroupID, in.Name
		t.FaceURL, t.Notification, t.Introduction, t.CustomString = in.FaceURL, in.Notification, in.Introduction, in.CustomString
		t.CreateTime, t.LastMsgTime, t.NextMsgSeq = int64(in.CreateTime), int64(in.LastMsgTime), int64(in.NextMsgSeq)
		t.MuteAll = (in.ShutUpAllFlag != nil && bool(*in.ShutUpAllFlag)) || (in.MuteAllMember != nil && bool(*in.MuteAllMember))
		t.CustomData = custom
	}
	return nil
}

type getTopicBody struct {
	GroupID        string   `json:"GroupId"`
	FromAccount    string   `json:"From_Account"`
	TopicIDs       []string `json:"TopicIdList,omitempty"`
	ResponseFilter []string `json:"ResponseFilter,omitempty"`
}

type getTopicResponse struct {
	envelope
	List []*Topic `json:"TopicAndSelfInfo"`
}

// GetTopics returns topics of a community with one account's state in each
// (get_topic, under [ServiceMillionGroup]): every topic when
// req.TopicIDs is empty, in the answer's order; otherwise one per ID, in
// the order of req.TopicIDs, where a topic that was destroyed comes back
// with its per-item error ([Topic.Err] matches [ErrTopicNotFound]). A
// failed item that carries no TopicId is matched to the request by its
// place in the list (the docs show no failed item). An answer that names a
// topic the request did not, or leaves one out, is a [*DecodeError]. The
// request is checked before anything is sent.
//
// Docs: https://trtc.io/document/49469
func (c *Client) GetTopics(ctx context.Context, req *GetTopicsRequest) ([]Topic, error) {
	const cmd = CommandGetTopic
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body := getTopicBody{GroupID: req.GroupID, FromAccount: req.FromAccount, TopicIDs: req.TopicIDs, ResponseFilter: req.ResponseFilter}
	if body.FromAccount == "" {
		body.FromAccount = c.identifier
	}
	var resp getTopicResponse
	if err := c.call(ctx, cmd, &body, &resp); err != nil {
		return nil, err
	}
	list := resp.List
	for i, t := range list {
		if t == nil {
			return nil, nullItem(cmd, i)
		}
		if t.ID == "" && len(list) == len(req.TopicIDs) {
			t.ID = req.TopicIDs[i]
		}
	}
	if len(req.TopicIDs) == 0 {
		out := make([]Topic, len(list))
		for i, t := range list {
			out[i] = *t
		}
		return out, nil
	}
	return inRequestOrder(cmd, req.TopicIDs, list, func(t *Topic) ItemResult {
		return ItemResult{Command: cmd, ID: t.ID, ErrorCode: t.ErrorCode, ErrorInfo: t.ErrorInfo}
	})
}
