package community

import (
	"encoding/json"
	"fmt"

	"github.com/timkit/tim"
)

// communityJSON holds the keys of a spec about the community itself:
// "prune_topics", "settings" and "topics", decoded by decodeCommunity.
type communityJSON struct {
	PruneTopics *bool              `json:"prune_topics"`
	Settings    json.RawMessage    `json:"settings"`
	Topics      *[]json.RawMessage `json:"topics"`
}

// decodeCommunity reads the community's keys of a spec into s, with the
// rules of [ParseSpec]: null refused, no unknown key, the right types.
func (s *Spec) decodeCommunity(w *communityJSON) error {
	s.PruneTopics = w.PruneTopics != nil && *w.PruneTopics
	if w.Settings != nil {
		var set SettingsSpec
		if err := set.decode(w.Settings); err != nil {
			return specError("settings", err)
		}
		s.Settings = &set
	}
	if w.Topics != nil {
		s.Topics = make([]TopicSpec, len(*w.Topics))
		for i, raw := range *w.Topics {
			if err := s.Topics[i].decode(raw); err != nil {
				return specError(fmt.Sprintf("topics[%d]", i), err)
			}
		}
	}
	return nil
}

// decode reads the "settings" object.
func (set *SettingsSpec) decode(data []byte) error {
	var w struct {
		Enabled json.RawMessage `json:"permission_groups_enabled"`
		Default json.RawMessage `json:"default_permission"`
	}
	if isNull(data) {
		return &SpecError{Reason: "is null; leave the key out to leave the settings unmanaged, or write an object"}
	}
	if err := strictDecode(data, &w); err != nil {
		return specError("", err)
	}
	var out SettingsSpec
	if w.Enabled != nil {
		var on bool
		if err := strictField(w.Enabled, &on, "true or false"); err != nil {
			return specError("permission_groups_enabled", err)
		}
		out.PermissionGroupsEnabled = &on
	}
	if w.Default != nil {
		p, err := parsePerm(w.Default, tim.ParseGroupPermission)
		if err != nil {
			return specError("default_permission", err)
		}
		out.DefaultPermission = &p
	}
	*set = out
	return nil
}

// MarshalJSON writes the settings that are managed, the permission as a
// list of names.
func (set SettingsSpec) MarshalJSON() ([]byte, error) {
	var w struct {
		Enabled *bool     `json:"permission_groups_enabled,omitempty"`
		Default *[]string `json:"default_permission,omitempty"`
	}
	w.Enabled = set.PermissionGroupsEnabled
	if p := set.DefaultPermission; p != nil {
		w.Default = tim.Ptr(names(p.BitNames()))
	}
	return json.Marshal(w)
}

func (set *SettingsSpec) clone() *SettingsSpec {
	if set == nil {
		return nil
	}
	c := *set
	if c.PermissionGroupsEnabled != nil {
		c.PermissionGroupsEnabled = tim.Ptr(*c.PermissionGroupsEnabled)
	}
	if c.DefaultPermission != nil {
		c.DefaultPermission = tim.Ptr(*c.DefaultPermission)
	}
	return &c
}

// topicJSONFields are a topic's keys in a spec.
type topicJSONFields struct {
	ID           *string         `json:"id"`
	Name         *string         `json:"name"`
	Introduction json.RawMessage `json:"introduction"`
	Notification json.RawMessage `json:"notification"`
	FaceURL      json.RawMessage `json:"face_url"`
	CustomString json.RawMessage `json:"custom_string"`
	MuteAll      json.RawMessage `json:"mute_all"`
}

// decode reads one topic of a spec.
func (t *TopicSpec) decode(data []byte) error {
	var w topicJSONFields
	if isNull(data) {
		return &SpecError{Reason: "is null; want an object"}
	}
	if err := strictDecode(data, &w); err != nil {
		return specError("", err)
	}
	switch {
	case w.ID == nil:
		return &SpecError{Path: "id", Reason: "is required"}
	case w.Name == nil:
		return &SpecError{Path: "name", Reason: "is required"}
	}
	out := TopicSpec{ID: *w.ID, Name: *w.Name}
	for _, f := range []struct {
		key string
		raw json.RawMessage
		dst **string
	}{
		{"introduction", w.Introduction, &out.Introduction},
		{"notification", w.Notification, &out.Notification},
		{"face_url", w.FaceURL, &out.FaceURL},
		{"custom_string", w.CustomString, &out.CustomString},
	} {
		if f.raw == nil {
			continue
		}
		var v string
		if err := strictField(f.raw, &v, "a string"); err != nil {
			return specError(f.key, err)
		}
		*f.dst = &v
	}
	if w.MuteAll != nil {
		var on bool
		if err := strictField(w.MuteAll, &on, "true or false"); err != nil {
			return specError("mute_all", err)
		}
		out.MuteAll = &on
	}
	*t = out
	return nil
}

// MarshalJSON writes the topic with the fields that are not managed left
// out.
func (t TopicSpec) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID           string  `json:"id"`
		Name         string  `json:"name"`
		Introduction *string `json:"introduction,omitempty"`
		Notification *string `json:"notification,omitempty"`
		FaceURL      *string `json:"face_url,omitempty"`
		CustomString *string `json:"custom_string,omitempty"`
		MuteAll      *bool   `json:"mute_all,omitempty"`
	}{t.ID, t.Name, t.Introduction, t.Notification, t.FaceURL, t.CustomString, t.MuteAll})
}

func (t TopicSpec) clone() TopicSpec {
	for _, p := range []**string{&t.Introduction, &t.Notification, &t.FaceURL, &t.CustomString} {
		if *p != nil {
			*p = tim.Ptr(**p)
		}
	}
	if t.MuteAll != nil {
		t.MuteAll = tim.Ptr(*t.MuteAll)
	}
	return t
}
