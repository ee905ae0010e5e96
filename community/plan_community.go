package community

import "github.com/timkit/tim"

// The kinds of operation on the community itself.
const (
	KindSettings     Kind = KindDestroy + 1 + iota // modify_group_base_info: the permission-group switch, the default permission
	KindCreateTopic                                // create_topic
	KindModifyTopic                                // modify_topic: name, texts, mute-all
	KindDestroyTopic                               // destroy_topic
)

// TopicFieldMask says which fields of a [Topic] a KindModifyTopic changes.
type TopicFieldMask uint8

// The fields of a topic that modify_topic changes.
const (
	TopicName TopicFieldMask = 1 << iota
	TopicIntroduction
	TopicNotification
	TopicFaceURL
	TopicCustomString
	TopicMuteAll
)

// topicFieldNames are the spec's (and the plan JSON's) names of a topic's
// fields.
var topicFieldNames = []struct {
	mask TopicFieldMask
	name string
}{{TopicName, "name"}, {TopicIntroduction, "introduction"}, {TopicNotification, "notification"},
	{TopicFaceURL, "face_url"}, {TopicCustomString, "custom_string"}, {TopicMuteAll, "mute_all"}}

// SettingsMask says which settings a KindSettings changes.
type SettingsMask uint8

// The community's settings that modify_group_base_info changes.
const (
	SettingPermissionGroupsEnabled SettingsMask = 1 << iota
	SettingDefaultPermission
)

// KeptTopic is a topic that a plan with prune_topics keeps.
type KeptTopic struct {
	ID, Name string
	// Grants is how many permission groups grant a permission in it.
	Grants int
	// Reason says why: [KeptServerMade].
	Reason string
}

// differs returns which of the fields mask names differ between a and b.
func (a *Topic) differs(b *Topic, mask TopicFieldMask) TopicFieldMask {
	var d TopicFieldMask
	for _, f := range topicFieldNames {
		if mask&f.mask != 0 && a.value(f.mask) != b.value(f.mask) {
			d |= f.mask
		}
	}
	return d
}

// with returns t with the fields mask names taken from n.
func (t Topic) with(n *Topic, mask TopicFieldMask) Topic {
	for _, f := range topicFieldNames {
		switch p := t.text(f.mask); {
		case mask&f.mask == 0:
		case p != nil:
			*p = *n.text(f.mask)
		default:
			t.MuteAll = n.MuteAll
		}
	}
	return t
}

// text returns the text field of t that mask (one field) names, or nil for
// mute-all.
func (t *Topic) text(mask TopicFieldMask) *string {
	switch mask {
	case TopicName:
		return &t.Name
	case TopicIntroduction:
		return &t.Introduction
	case TopicNotification:
		return &t.Notification
	case TopicFaceURL:
		return &t.FaceURL
	case TopicCustomString:
		return &t.CustomString
	}
	return nil
}

// value returns the field of t that mask (one field) names: a string, or
// a bool for mute-all.
func (t *Topic) value(mask TopicFieldMask) any {
	if p := t.text(mask); p != nil {
		return *p
	}
	return t.MuteAll
}

// wanted returns the topic a spec describes and which fields it manages.
func (t *TopicSpec) wanted() (Topic, TopicFieldMask) {
	out, mask := Topic{ID: t.ID, Name: t.Name}, TopicName
	for _, f := range []struct {
		v   *string
		dst *string
		m   TopicFieldMask
	}{
		{t.Introduction, &out.Introduction, TopicIntroduction}, {t.Notification, &out.Notification, TopicNotification},
		{t.FaceURL, &out.FaceURL, TopicFaceURL}, {t.CustomString, &out.CustomString, TopicCustomString},
	} {
		if f.v != nil {
			*f.dst, mask = *f.v, mask|f.m
		}
	}
	if t.MuteAll != nil {
		out.MuteAll, mask = *t.MuteAll, mask|TopicMuteAll
	}
	return out, mask
}

// modifyTopicRequest is the modify_topic that makes o's change.
func (o *Op) modifyTopicRequest(groupID string) *tim.ModifyTopicRequest {
	req := &tim.ModifyTopicRequest{GroupID: groupID, TopicID: o.TopicID}
	n, m := &o.Topic, o.TopicChanged
	for _, f := range []struct {
		mask TopicFieldMask
		v    string
		dst  **string
	}{
		{TopicName, n.Name, &req.Name}, {TopicIntroduction, n.Introduction, &req.Introduction},
		{TopicNotification, n.Notification, &req.Notification}, {TopicFaceURL, n.FaceURL, &req.FaceURL},
		{TopicCustomString, n.CustomString, &req.CustomString},
	} {
		if m&f.mask != 0 {
			*f.dst = tim.Ptr(f.v)
		}
	}
	if m&TopicMuteAll != 0 {
		req.MuteAll = tim.Ptr(n.MuteAll)
	}
	return req
}

// target is what the operation is about: its permission group's ID, its
// topic's ID, or "settings".
func (o *Op) target() string {
	switch o.Kind {
	case KindSettings:
		return "settings"
	case KindCreateTopic, KindModifyTopic, KindDestroyTopic:
		return o.TopicID
	}
	return o.PermissionGroupID
}
