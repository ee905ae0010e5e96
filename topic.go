package tim

import (
	"context"
	"errors"
	"strings"
)

// serverTopicInfix is in every topic ID the service makes (GroupId +
// "@TOPIC#_@TOPIC#…") and in no custom one.
const serverTopicInfix = TopicIDInfix + "@TOPIC#"

// Limits of a topic's fields, in bytes of UTF-8 (a CJK character is 3), as
// the topic pages document them; checked before sending. The custom string
// is limited by [MaxCustomStringBytes], and a topic ID by [MaxTopicIDBytes].
const (
	// MaxTopicNameBytes is the longest TopicName.
	MaxTopicNameBytes = 30
	// MaxFaceURLBytes is the longest FaceUrl of a topic.
	MaxFaceURLBytes = 100
	// MaxNotificationBytes is the longest Notification of a topic.
	MaxNotificationBytes = 300
	// MaxIntroductionBytes is the longest Introduction of a topic.
	MaxIntroductionBytes = 240
)

// CreateTopicRequest describes a new topic of a community, for
// [Client.CreateTopic].
type CreateTopicRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required; the
	// community must have topics switched on.
	GroupID string
	// TopicID is a custom ID: GroupID + "@TOPIC#_" + a suffix, at most
	// [MaxTopicIDBytes] in all. Empty lets the service make one.
	TopicID string
	// Name is the TopicName: required, at most [MaxTopicNameBytes].
	Name string
	// FromAccount is the From_Account, the member the topic is created as;
	// empty leaves it to the service.
	FromAccount string
	// CustomString is the app's own data, at most [MaxCustomStringBytes].
	CustomString string
	// FaceURL is the topic's picture, at most [MaxFaceURLBytes].
	FaceURL string
	// Notification is at most [MaxNotificationBytes].
	Notification string
	// Introduction is at most [MaxIntroductionBytes].
	Introduction string
	// CustomData are the topic's custom fields (TopicDefinedData), whose
	// keys the app configures in the console; sent sorted by key.
	CustomData map[string]string
}

// ImportTopicRequest describes a topic to import into a community (a
// migration from another system), for [Client.ImportTopic]. Its fields are
// those of [CreateTopicRequest], without custom fields, and with the time
// the topic was created.
type ImportTopicRequest struct {
	GroupID      string // the community's GroupId; required
	TopicID      string // a custom ID, or empty for one the service makes
	Name         string // required, at most MaxTopicNameBytes
	FromAccount  string // the topic's creator (From_Account), or empty
	CustomString string // at most MaxCustomStringBytes
	FaceURL      string // at most MaxFaceURLBytes
	Notification string // at most MaxNotificationBytes
	Introduction string // at most MaxIntroductionBytes
	// CreateTime is when the topic was created, in Unix seconds; 0 leaves
	// it to the service (the time of the request).
	CreateTime int64
}

// topicText is a topic's text fields, nil for one a request leaves out.
type topicText struct {
	name, customString, faceURL, notification, introduction *string
}

// check applies the documented limits to the fields that are set.
func (t topicText) check(cmd string) error {
	if t.name != nil {
		if *t.name == "" {
			return invalid(cmd, "Name", "TopicName", "is empty")
		}
		if err := checkText(cmd, "Name", "TopicName", *t.name, MaxTopicNameBytes); err != nil {
			return err
		}
	}
	if t.customString != nil {
		if err := checkCustomString(cmd, *t.customString); err != nil {
			return err
		}
	}
	return checkTexts(cmd,
		textField{"FaceURL", "FaceUrl", t.faceURL, MaxFaceURLBytes},
		textField{"Notification", "Notification", t.notification, MaxNotificationBytes},
		textField{"Introduction", "Introduction", t.introduction, MaxIntroductionBytes})
}

// checkNewTopic checks what create_topic and import_topic share: the
// community, a custom topic ID if given, the creator, the text fields.
func checkNewTopic(cmd, groupID, topicID, fromAccount string, text topicText) error {
	if err := checkCommunityID(cmd, groupID); err != nil {
		return err
	}
	if topicID != "" {
		if err := checkCustomTopicID(cmd, groupID, topicID); err != nil {
			return err
		}
	}
	if fromAccount != "" {
		if err := checkAccount(cmd, "FromAccount", "From_Account", fromAccount); err != nil {
			return err
		}
	}
	return text.check(cmd)
}

// CheckCustomTopicID reports whether id can be the custom ID of a new topic
// of community groupID, as create_topic documents it: groupID + "@TOPIC#_"
// + a suffix, at most [MaxTopicIDBytes] in all, valid UTF-8 without a NUL,
// the suffix holding neither "@TOPIC#_@TOPIC#" (the service's own IDs do)
// nor "@TGS#_". [Client.CreateTopic] checks a custom TopicID with this
// rule before sending; the error is a [*ValidationError] whose Reason says
// what is wrong.
func CheckCustomTopicID(groupID, id string) error {
	if err := checkCommunityID("", groupID); err != nil {
		return err
	}
	return checkCustomTopicID("", groupID, id)
}

// checkCustomTopicID checks a custom topic ID of community groupID
// (already checked).
func checkCustomTopicID(cmd, groupID, id string) error {
	if err := checkTopicID(cmd, "TopicID", groupID, id); err != nil {
		return err
	}
	if suffix := id[len(groupID+TopicIDInfix):]; strings.Contains(suffix, CommunityIDPrefix) || strings.Contains(id, serverTopicInfix) {
		return invalid(cmd, "TopicID", "TopicId", "a custom ID may not hold "+serverTopicInfix+" (the service's IDs do) nor "+CommunityIDPrefix+" after "+TopicIDInfix)
	}
	return nil
}

// IsServerMadeTopicID reports whether id is a topic ID the service made
// (GroupId + "@TOPIC#_@TOPIC#…"), which no create can choose.
func IsServerMadeTopicID(id string) bool { return strings.Contains(id, serverTopicInfix) }

func (r *CreateTopicRequest) validate() error {
	const cmd = CommandCreateTopic
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	text := topicText{&r.Name, &r.CustomString, &r.FaceURL, &r.Notification, &r.Introduction}
	if err := checkNewTopic(cmd, r.GroupID, r.TopicID, r.FromAccount, text); err != nil {
		return err
	}
	return checkCustomData(cmd, "CustomData", "TopicDefinedData", r.CustomData)
}

func (r *ImportTopicRequest) validate() error {
	const cmd = CommandImportTopic
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if r.CreateTime < 0 {
		return invalid(cmd, "CreateTime", "CreateTime", "is negative")
	}
	text := topicText{&r.Name, &r.CustomString, &r.FaceURL, &r.Notification, &r.Introduction}
	return checkNewTopic(cmd, r.GroupID, r.TopicID, r.FromAccount, text)
}

// newTopicBody is the body of create_topic and import_topic.
type newTopicBody struct {
	GroupID      string     `json:"GroupId"`
	TopicID      string     `json:"TopicId,omitempty"`
	Name         string     `json:"TopicName"`
	FromAccount  string     `json:"From_Account,omitempty"`
	CustomString string     `json:"CustomString,omitempty"`
	FaceURL      string     `json:"FaceUrl,omitempty"`
	Notification string     `json:"Notification,omitempty"`
	Introduction string     `json:"Introduction,omitempty"`
	CustomData   []keyValue `json:"TopicDefinedData,omitempty"`
	CreateTime   int64      `json:"CreateTime,omitempty"`
}

type newTopicResponse struct {
	envelope
	TopicID string `json:"TopicId"`
}

// CreateTopic creates a topic in a community (create_topic, under
// [ServiceMillionGroup]) and returns its ID: the custom ID asked for, or the
// one the service made (GroupID + "@TOPIC#_@TOPIC#…"). The request is
// checked before anything is sent.
//
// A custom ID the community already has matches [ErrIDInUse]: the page of
// create_topic gives 10025 for it, that of import_topic 10021, and both
// match. The app's before-create-topic callback can refuse the topic
// ([ErrCallbackDenied], 10016). A community without topics answers
// [ErrCommunityNotSupported]. The command is not idempotent: a create whose
// answer was lost is not sent again (see [RetryPolicy]); read the topics
// back ([Client.GetTopics]) to know.
//
// Docs: https://trtc.io/document/49471
func (c *Client) CreateTopic(ctx context.Context, req *CreateTopicRequest) (string, error) {
	if err := c.ready(ctx, CommandCreateTopic); err != nil {
		return "", err
	}
	if err := req.validate(); err != nil {
		return "", err
	}
	return c.newTopic(ctx, CommandCreateTopic, req.TopicID, &newTopicBody{
		GroupID: req.GroupID, TopicID: req.TopicID, Name: req.Name, FromAccount: req.FromAccount,
		CustomString: req.CustomString, FaceURL: req.FaceURL, Notification: req.Notification,
		Introduction: req.Introduction, CustomData: customList(req.CustomData),
	})
}

// ImportTopic imports a topic into a community (import_topic, under
// [ServiceGroup], unlike the other topic commands), for a migration: it
// sends no callback and no notification. It returns the topic's ID as
// [Client.CreateTopic] does; a custom ID in use matches [ErrIDInUse]
// (10021). The request is checked before anything is sent; the command is
// not idempotent.
//
// Docs: https://trtc.io/document/53448
func (c *Client) ImportTopic(ctx context.Context, req *ImportTopicRequest) (string, error) {
	if err := c.ready(ctx, CommandImportTopic); err != nil {
		return "", err
	}
	if err := req.validate(); err != nil {
		return "", err
	}
	return c.newTopic(ctx, CommandImportTopic, req.TopicID, &newTopicBody{
		GroupID: req.GroupID, TopicID: req.TopicID, Name: req.Name, FromAccount: req.FromAccount,
		CustomString: req.CustomString, FaceURL: req.FaceURL, Notification: req.Notification,
		Introduction: req.Introduction, CreateTime: req.CreateTime,
	})
}

// newTopic sends a create or an import and returns the topic's ID: the
// answer's TopicId, or the custom ID when the answer has none.
func (c *Client) newTopic(ctx context.Context, cmd, customID string, body *newTopicBody) (string, error) {
	var resp newTopicResponse
	if err := c.call(ctx, cmd, body, &resp); err != nil {
		return "", err
	}
	switch {
	case resp.TopicID != "":
		return resp.TopicID, nil
	case customID != "":
		return customID, nil
	}
	return "", &DecodeError{Command: cmd, Err: errors.New("the answer holds no TopicId (the topic was made)")}
}
