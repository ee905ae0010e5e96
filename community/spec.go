package community

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/timkit/tim"
)

// Spec is the permission model of one community as the app wants it: the
// JSON (or YAML, see [ParseSpecFile]) a team keeps in git.
//
//	{"group_id": "@TGS#_…", "prune": false, "prune_server_made": false,
//	 "permission_groups": [
//	   {"id": "@PMG#_moderators", "name": "Moderators", "permission": ["MuteMembers", "SendMessage"],
//	    "custom_string": "…", "topics": {"@TGS#_…@TOPIC#_general": 8}, "members": ["alice", "bob"]}]}
//
// "group_id" and "permission_groups" (which may be empty) are required. A
// spec holds only custom permission-group IDs: the service's own
// ("@PMG#_@PMG#…") cannot be created with a chosen ID, so a spec cannot name
// them (see [Export]). See [GroupSpec] for a group's fields and [ParseSpec]
// for the rules.
type Spec struct {
	// GroupID is the community ("group_id").
	GroupID string
	// Prune ("prune") destroys the community's permission groups that
	// PermissionGroups does not name; without it they are never touched.
	// Groups whose ID the service made ("@PMG#_@PMG#…", which no spec can
	// name) are kept even then, and the plan lists them as kept, unless
	// PruneServerMade is set too.
	Prune bool
	// PruneServerMade ("prune_server_made") lets Prune destroy the groups
	// whose ID the service made. It is an error without Prune.
	PruneServerMade bool
	// PruneTopics ("prune_topics") destroys the community's topics that
	// Topics does not list, with every permission group's grants in them;
	// without it no topic is ever destroyed. It needs "topics" (write []
	// to destroy every topic). Topics whose ID the service made
	// ("…@TOPIC#_@TOPIC#…", which no spec can list) are kept, and listed as
	// kept, unless PruneServerMade is set too.
	PruneTopics bool
	// Settings ("settings") are the community's settings the spec manages;
	// nil (left out) manages none.
	Settings *SettingsSpec
	// Topics ("topics") are the topics the spec manages: each is created
	// when the community lacks it and changed to the spec's fields when it
	// differs. Nil (left out) manages none; [] lists none (with
	// PruneTopics: destroys every topic the spec may destroy).
	Topics []TopicSpec
	// PermissionGroups ("permission_groups") are the groups the spec
	// manages.
	PermissionGroups []GroupSpec
}

// SettingsSpec is the community's settings as a [Spec] wants them. Each
// field is managed only when set (non-nil); null is refused in JSON.
//
// Inferred: the service's fields (EnablePermission, DefaultPermission of
// modify_group_base_info and get_group_info) are not on the official REST
// pages reachable; see tim.ModifyGroupBaseInfoRequest.
type SettingsSpec struct {
	// PermissionGroupsEnabled ("permission_groups_enabled") is the
	// community's permission-group switch.
	PermissionGroupsEnabled *bool
	// DefaultPermission ("default_permission") is what every member may do
	// whatever their permission groups: a number or a list of names, as a
	// group's "permission". The service takes it only while permission
	// groups are enabled.
	DefaultPermission *tim.GroupPermission
}

// TopicSpec is one topic of a [Spec].
//
// ID and Name are required and always managed. The other fields are
// managed only when set (non-nil), and then exact: "" clears a text. A
// topic the community lacks is created with them (create_topic; mute_all
// true takes a modify_topic after it).
type TopicSpec struct {
	// ID ("id") is a custom topic ID of the spec's community: group_id +
	// "@TOPIC#_" + a suffix (tim.CheckCustomTopicID).
	ID string
	// Name ("name"): 1 to tim.MaxTopicNameBytes bytes.
	Name string
	// Introduction ("introduction"), Notification ("notification"),
	// FaceURL ("face_url") and CustomString ("custom_string"), within
	// tim.MaxIntroductionBytes, tim.MaxNotificationBytes,
	// tim.MaxFaceURLBytes and tim.MaxCustomStringBytes.
	Introduction, Notification, FaceURL, CustomString *string
	// MuteAll ("mute_all") mutes every member in the topic.
	MuteAll *bool
}

// GroupSpec is one permission group of a [Spec].
//
// ID, Name and Permission are required and always managed. CustomString,
// Topics and Members are managed only when set (non-nil): then they are
// exact (an empty map or list means none), and when nil the group keeps
// what it has. In JSON a field left out is nil; null is refused, so that a
// template's null cannot silently mean "not managed".
type GroupSpec struct {
	// ID ("id") is a custom permission-group ID: "@PMG#_" and a suffix
	// (tim.CheckCustomPermissionGroupID).
	ID string
	// Name ("name"): 1 to 150 bytes of UTF-8.
	Name string
	// Permission ("permission"): a number, a list of the names
	// tim.GroupPermission.String prints (["SendMessage", "AtAll"]; hex such
	// as "0x800" for bits without a name), or those names joined by "|" in
	// one string ("SendMessage|AtAll").
	Permission tim.GroupPermission
	// CustomString ("custom_string"): at most 3000 bytes.
	CustomString *string
	// Topics ("topics") maps topics of the community to the group's
	// permission in each, written as Permission is, with the names
	// tim.TopicPermission.String prints.
	Topics map[string]tim.TopicPermission
	// Members ("members") are accounts of the community.
	Members []string
}

// UnmarshalJSON decodes a spec with the rules of [ParseSpec] (but for
// [Spec.Validate], which ParseSpec calls).
func (s *Spec) UnmarshalJSON(data []byte) error {
	if err := checkText(data); err != nil {
		return err
	}
	var w struct {
		GroupID          *string            `json:"group_id"`
		Prune            *bool              `json:"prune"`
		PruneServerMade  *bool              `json:"prune_server_made"`
		PermissionGroups *[]json.RawMessage `json:"permission_groups"`
		communityJSON
	}
	if err := strictDecode(data, &w); err != nil {
		return specError("", err)
	}
	switch {
	case w.GroupID == nil:
		return &SpecError{Path: "group_id", Reason: "is required"}
	case w.PermissionGroups == nil:
		return &SpecError{Path: "permission_groups", Reason: "is required (write [] for none)"}
	}
	out := Spec{GroupID: *w.GroupID, Prune: w.Prune != nil && *w.Prune, PruneServerMade: w.PruneServerMade != nil && *w.PruneServerMade}
	if err := out.decodeCommunity(&w.communityJSON); err != nil {
		return err
	}
	out.PermissionGroups = make([]GroupSpec, len(*w.PermissionGroups))
	for i, raw := range *w.PermissionGroups {
		if err := out.PermissionGroups[i].decode(raw); err != nil {
			var se *SpecError
			if errors.As(err, &se) {
				se.Path = joinPath(fmt.Sprintf("permission_groups[%d]", i), se.Path)
				return se
			}
			return err
		}
	}
	*s = out
	return nil
}

// MarshalJSON writes the spec as ParseSpec reads it, with "prune" always
// present, "prune_server_made" and "prune_topics" when set, and
// "settings" and "topics" when managed.
func (s Spec) MarshalJSON() ([]byte, error) {
	groups := s.PermissionGroups
	if groups == nil {
		groups = []GroupSpec{}
	}
	var topics *[]TopicSpec
	if s.Topics != nil {
		topics = &s.Topics
	}
	return json.Marshal(struct {
		GroupID          string        `json:"group_id"`
		Prune            bool          `json:"prune"`
		PruneServerMade  bool          `json:"prune_server_made,omitempty"`
		PruneTopics      bool          `json:"prune_topics,omitempty"`
		Settings         *SettingsSpec `json:"settings,omitempty"`
		Topics           *[]TopicSpec  `json:"topics,omitempty"`
		PermissionGroups []GroupSpec   `json:"permission_groups"`
	}{s.GroupID, s.Prune, s.PruneServerMade, s.PruneTopics, s.Settings, topics, groups})
}

// UnmarshalJSON decodes one permission group of a spec, with the rules of
// [ParseSpec].
func (g *GroupSpec) UnmarshalJSON(data []byte) error {
	if err := checkText(data); err != nil {
		return err
	}
	return g.decode(data)
}

// checkText checks what the decoders cannot see of JSON text: valid UTF-8,
// and (for valid JSON: the decoders report syntax errors) no key twice and
// no lone surrogate escape.
func checkText(data []byte) error {
	if !utf8.Valid(data) {
		return &SpecError{Reason: fmt.Sprintf("is not valid UTF-8 (at byte %d)", firstInvalidUTF8(data))}
	}
	if json.Valid(data) {
		return checkJSONText(data)
	}
	return nil
}

// MarshalJSON writes the group with permissions as lists of names and
// the fields that are not managed left out.
func (g GroupSpec) MarshalJSON() ([]byte, error) {
	var w struct {
		ID           string          `json:"id"`
		Name         string          `json:"name"`
		Permission   []string        `json:"permission"`
		CustomString *string         `json:"custom_string,omitempty"`
		Topics       json.RawMessage `json:"topics,omitempty"`  // nil: not managed; {} none
		Members      json.RawMessage `json:"members,omitempty"` // nil: not managed; [] none
	}
	w.ID, w.Name, w.Permission, w.CustomString = g.ID, g.Name, names(g.Permission.BitNames()), g.CustomString
	if g.Topics != nil {
		topics := make(map[string][]string, len(g.Topics))
		for t, p := range g.Topics {
			topics[t] = names(p.BitNames())
		}
		raw, err := json.Marshal(topics)
		if err != nil {
			return nil, err
		}
		w.Topics = raw
	}
	if g.Members != nil {
		raw, err := json.Marshal(g.Members)
		if err != nil {
			return nil, err
		}
		w.Members = raw
	}
	return json.Marshal(w)
}

// names returns list, or an empty list for nil, so that 0 is written [].
func names(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// Clone returns a deep copy of s.
func (s *Spec) Clone() *Spec {
	c := *s
	c.Settings = s.Settings.clone()
	if s.Topics != nil {
		c.Topics = make([]TopicSpec, len(s.Topics))
		for i, t := range s.Topics {
			c.Topics[i] = t.clone()
		}
	}
	keepSource(s, &c)
	c.PermissionGroups = make([]GroupSpec, len(s.PermissionGroups))
	for i, g := range s.PermissionGroups {
		c.PermissionGroups[i] = g.clone()
	}
	return &c
}

func (g GroupSpec) clone() GroupSpec {
	if g.CustomString != nil {
		g.CustomString = tim.Ptr(*g.CustomString)
	}
	if g.Topics != nil {
		g.Topics = maps.Clone(g.Topics)
	}
	if g.Members != nil {
		g.Members = append([]string{}, g.Members...)
	}
	return g
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
