package callback

import (
	"encoding/json"
	"time"
)

// The callback commands this package has types for.
const (
	CommandBeforeCreateTopic       = "Group.CallbackBeforeCreateTopic"
	CommandAfterCreateTopic        = "Group.CallbackAfterCreateTopic"
	CommandAfterTopicDestroyed     = "Group.CallbackAfterTopicDestroyed"
	CommandAfterTopicInfoChanged   = "Group.CallbackAfterTopicInfoChanged"
	CommandAfterNewMemberJoin      = "Group.CallbackAfterNewMemberJoin"
	CommandAfterMemberExit         = "Group.CallbackAfterMemberExit"
	CommandAfterMemberFieldChanged = "Group.CallbackAfterMemberFieldChanged"
	CommandAfterGroupInfoChanged   = "Group.CallbackAfterGroupInfoChanged"
	CommandRequestOverLimit        = "Alert.RequestOverLimit"
)

// Event is a verified callback: one of the typed events (*AfterCreateTopic,
// ...) or, for a command without a type, its *Meta.
type Event interface {
	// Metadata returns the callback's URL fields and raw body.
	Metadata() *Meta
}

// Meta is what every callback carries besides its typed fields: the URL's
// query fields and the body as received. Every typed event embeds it, so
// e.Raw reaches fields this package does not decode.
type Meta struct {
	// Command is the CallbackCommand, e.g. "Group.CallbackAfterMemberExit".
	Command string
	// SDKAppID is the URL's SdkAppid, the Handler's app.
	SDKAppID uint64
	// ClientIP is the IP of the client or REST caller that caused the
	// event ("" when the URL has none, as for Alert.RequestOverLimit).
	ClientIP string
	// OptPlatform is the platform that caused the event: RESTAPI, Web,
	// Android, iOS (IOS in State.StateChange), Windows, Mac, iPad, Unknown.
	OptPlatform string
	// RequestTime is when the service signed the callback (UTC); zero
	// when it came unsigned ([InsecureSkipSignCheck]).
	RequestTime time.Time
	// Raw is the JSON body.
	Raw json.RawMessage
}

// Metadata returns m.
func (m *Meta) Metadata() *Meta { return m }

// KeyValue is a custom field (UserDefinedDataList item).
type KeyValue struct {
	// Key is the field's name, as configured in the console.
	Key string
	// Value is its value; it may hold any bytes ("abc\u0000\u0001").
	Value string
}

// BeforeCreateTopic asks whether a topic may be created
// (Group.CallbackBeforeCreateTopic). The documented body names neither the
// community nor the topic ID: only the operator, the group type and the
// topic's name. Answer it with a [Decision].
type BeforeCreateTopic struct {
	Meta
	// Operator is the account creating the topic (Operator_Account).
	Operator string
	// Type is the group type, "Community".
	Type string
	// Name is the topic's name.
	Name string
}

// AfterCreateTopic reports a created topic (Group.CallbackAfterCreateTopic).
// It does not fire for REST import_topic.
type AfterCreateTopic struct {
	Meta
	// GroupID is the community (GroupId).
	GroupID string
	// TopicID is the new topic (TopicId).
	TopicID string
	// Operator is the account that created it (Operator_Account).
	Operator string
	// Owner is the community's owner (Owner_Account).
	Owner string
	// Type is the group type, "Community".
	Type string
	// Name is the topic's name.
	Name string
	// CustomData is the topic's custom fields at creation
	// (UserDefinedDataList).
	CustomData []KeyValue
}

// AfterTopicDestroyed reports destroyed topics
// (Group.CallbackAfterTopicDestroyed). The body has no operator.
type AfterTopicDestroyed struct {
	Meta
	// GroupID is the community (GroupId).
	GroupID string
	// Type is the group type, "Community".
	Type string
	// TopicIDs are the destroyed topics (TopicIdList). The field table types
	// it String while the sample sends an array; a string is read as one ID.
	TopicIDs []string
}

// AfterTopicInfoChanged reports a change of a topic's name, introduction,
// notification or face URL (Group.CallbackAfterTopicInfoChanged; other
// topic fields do not fire it).
//
// The documented body has no TopicId: it names the community only, so a
// handler cannot tell from the documented fields which topic changed.
// TopicID is filled if a TopicId arrives anyway; Raw holds whatever else
// does. A cache that must be exact reloads the community's topics.
type AfterTopicInfoChanged struct {
	Meta
	// GroupID is the community (GroupId).
	GroupID string
	// TopicID is the topic, if the body names one (undocumented).
	TopicID string
	// Type is the group type, "Community".
	Type string
	// Operator is the account that made the change (Operator_Account).
	Operator string
	// Name, Introduction, Notification and FaceURL hold the values after
	// the change; nil for a field the body does not carry.
	Name, Introduction, Notification, FaceURL *string
}

// AfterNewMemberJoin reports accounts that joined a group
// (Group.CallbackAfterNewMemberJoin), including by REST add_group_member.
type AfterNewMemberJoin struct {
	Meta
	// GroupID is the group (GroupId).
	GroupID string
	// Type is the group type.
	Type string
	// JoinType is "Apply" or "Invited".
	JoinType string
	// Operator is the account that caused it (Operator_Account).
	Operator string
	// Accounts are the new members (NewMemberList[].Member_Account).
	Accounts []string
	// EventTime is when it happened (UTC, from milliseconds sent as a
	// number or as a string); zero when absent.
	EventTime time.Time
	// EventTimeMillis is EventTime as sent, in milliseconds.
	EventTimeMillis int64
}

// AfterMemberExit reports accounts that left a group
// (Group.CallbackAfterMemberExit), including by REST delete_group_member.
type AfterMemberExit struct {
	Meta
	// GroupID is the group (GroupId).
	GroupID string
	// Type is the group type.
	Type string
	// ExitType is "Kicked" or "Quit".
	ExitType string
	// Operator is the account that caused it (Operator_Account).
	Operator string
	// Accounts are the members who left (ExitMemberList[].Member_Account).
	Accounts []string
	// EventTime and EventTimeMillis are as in [AfterNewMemberJoin].
	EventTime       time.Time
	EventTimeMillis int64
}

// AfterMemberFieldChanged reports a change of a member's role or name card
// (Group.CallbackAfterMemberFieldChanged).
type AfterMemberFieldChanged struct {
	Meta
	// GroupID is the group (GroupId).
	GroupID string
	// Type is the group type.
	Type string
	// Operator is the account that made the change (Operator_Account).
	Operator string
	// Account is the member whose fields changed. The Chinese page sends it
	// as Modified_Account, the international copy as Member_Account; both
	// are read (Modified_Account first).
	Account string
	// Role is the role after the change, "Admin" or "Member"; nil if absent.
	Role *string
	// NameCard is the name card after the change; nil if absent.
	NameCard *string
	// EventTime and EventTimeMillis are as in [AfterNewMemberJoin].
	EventTime       time.Time
	EventTimeMillis int64
}

// AfterGroupInfoChanged reports a change of a group's base info
// (Group.CallbackAfterGroupInfoChanged). The body carries only the fields
// that changed; the documented ones do not include the permission switch,
// the default permission or the mute-all flag.
type AfterGroupInfoChanged struct {
	Meta
	// GroupID is the group (GroupId).
	GroupID string
	// Type is the group type.
	Type string
	// Operator is the account that made the change (Operator_Account).
	Operator string
	// Name, Introduction, Notification and FaceURL hold the values after
	// the change; nil for a field that did not change.
	Name, Introduction, Notification, FaceURL *string
	// EventTime and EventTimeMillis are as in [AfterNewMemberJoin].
	EventTime       time.Time
	EventTimeMillis int64
}

// RequestOverLimit reports a REST command called at more than 80% of its
// rate limit (Alert.RequestOverLimit). Its URL has no ClientIP.
type RequestOverLimit struct {
	Meta
	// Service is the internal service name (ServiceName), "openim" in the
	// documented sample.
	Service string
	// APICommand is the command word (Command), e.g. "batchsendmsg".
	APICommand string
	// Rate is the calls per second seen (Request).
	Rate int
	// Limit is the command's limit in calls per second (Limit).
	Limit int
}
