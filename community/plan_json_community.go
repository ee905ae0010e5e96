package community

import "github.com/timkit/tim"

// communityOpJSON are the fields of an operation on the community's
// settings or a topic, in the plan JSON (see planJSON).
type communityOpJSON struct {
	Topic          string           `json:"topic,omitempty"`
	TopicBefore    *topicFieldsJSON `json:"topic_before,omitempty"`
	TopicAfter     *topicFieldsJSON `json:"topic_after,omitempty"`
	Grants         []grantJSON      `json:"grants,omitempty"`
	SettingsBefore *settingsJSON    `json:"settings_before,omitempty"`
	SettingsAfter  *settingsJSON    `json:"settings_after,omitempty"`
}

type topicFieldsJSON struct {
	Name         string `json:"name"`
	Introduction string `json:"introduction"`
	Notification string `json:"notification"`
	FaceURL      string `json:"face_url"`
	CustomString string `json:"custom_string"`
	MuteAll      bool   `json:"mute_all"`
}

type grantJSON struct {
	PermissionGroup string   `json:"permission_group"`
	Permission      permJSON `json:"permission"`
}

type settingsJSON struct {
	PermissionGroupsEnabled *bool     `json:"permission_groups_enabled"`
	DefaultPermission       *permJSON `json:"default_permission"`
}

type keptTopicJSON struct {
	Topic  string `json:"topic"`
	Name   string `json:"name"`
	Grants int    `json:"grants"`
	Reason string `json:"reason"`
}

func topicFieldsOf(t *Topic) *topicFieldsJSON {
	return &topicFieldsJSON{t.Name, t.Introduction, t.Notification, t.FaceURL, t.CustomString, t.MuteAll}
}

func (f *topicFieldsJSON) topic(id string) Topic {
	if f == nil {
		return Topic{ID: id}
	}
	return Topic{ID: id, Name: f.Name, Introduction: f.Introduction, Notification: f.Notification, FaceURL: f.FaceURL,
		CustomString: f.CustomString, MuteAll: f.MuteAll}
}

func settingsOf(s *SettingsSpec) *settingsJSON {
	out := &settingsJSON{PermissionGroupsEnabled: s.PermissionGroupsEnabled}
	if p := s.DefaultPermission; p != nil {
		out.DefaultPermission = tim.Ptr(permOf(uint64(*p), p.BitNames()))
	}
	return out
}

func (s *settingsJSON) settings() SettingsSpec {
	var out SettingsSpec
	if s == nil {
		return out
	}
	out.PermissionGroupsEnabled = s.PermissionGroupsEnabled
	if s.DefaultPermission != nil {
		out.DefaultPermission = tim.Ptr(tim.GroupPermission(s.DefaultPermission.Value))
	}
	return out
}

// communityOpOf is the JSON of o's settings and topic fields.
func communityOpOf(o *Op) communityOpJSON {
	var j communityOpJSON
	switch o.Kind {
	case KindSettings:
		j.SettingsBefore, j.SettingsAfter = settingsOf(&o.OldSettings), settingsOf(&o.Settings)
	case KindCreateTopic:
		j.Topic, j.TopicAfter = o.TopicID, topicFieldsOf(&o.Topic)
	case KindModifyTopic:
		j.Topic, j.TopicBefore, j.TopicAfter = o.TopicID, topicFieldsOf(&o.OldTopic), topicFieldsOf(&o.Topic)
	case KindDestroyTopic:
		j.Topic, j.TopicBefore, j.Grants = o.TopicID, topicFieldsOf(&o.Topic), []grantJSON{}
		for _, g := range o.Grants {
			j.Grants = append(j.Grants, grantJSON{g.PermissionGroupID, permOf(uint64(g.Permission), g.Permission.BitNames())})
		}
	}
	return j
}

// into fills o's settings and topic fields from j.
func (j *communityOpJSON) into(o *Op) {
	switch o.Kind {
	case KindSettings:
		o.OldSettings, o.Settings = j.SettingsBefore.settings(), j.SettingsAfter.settings()
	case KindCreateTopic:
		o.TopicID, o.Topic = j.Topic, j.TopicAfter.topic(j.Topic)
	case KindModifyTopic:
		o.TopicID, o.OldTopic, o.Topic = j.Topic, j.TopicBefore.topic(j.Topic), j.TopicAfter.topic(j.Topic)
	case KindDestroyTopic:
		o.TopicID, o.Topic = j.Topic, j.TopicBefore.topic(j.Topic)
		for _, g := range j.Grants {
			o.Grants = append(o.Grants, Grant[tim.TopicPermission]{PermissionGroupID: g.PermissionGroup, Permission: tim.TopicPermission(g.Permission.Value)})
		}
	}
}

// settingsFieldNames are the names of the settings in a spec and a plan.
var settingsFieldNames = []struct {
	mask SettingsMask
	name string
}{{SettingPermissionGroupsEnabled, "permission_groups_enabled"}, {SettingDefaultPermission, "default_permission"}}

// changedNames names the fields a KindModifyTopic or KindSettings changes.
func changedNames(o *Op) []string {
	var out []string
	if o.Kind == KindSettings {
		for _, f := range settingsFieldNames {
			if o.SettingsChanged&f.mask != 0 {
				out = append(out, f.name)
			}
		}
		return out
	}
	for _, f := range topicFieldNames {
		if o.TopicChanged&f.mask != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// setChanged sets o's mask from the names changedNames writes.
func setChanged(o *Op, names []string) {
	for _, name := range names {
		for _, f := range settingsFieldNames {
			if o.Kind == KindSettings && f.name == name {
				o.SettingsChanged |= f.mask
			}
		}
		for _, f := range topicFieldNames {
			if o.Kind == KindModifyTopic && f.name == name {
				o.TopicChanged |= f.mask
			}
		}
	}
}
