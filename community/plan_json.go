package community

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/timkit/tim"
)

// FormatVersion is the version of the JSON documents this package writes:
// a plan ([Plan.MarshalJSON]: tim plan -json and plan files) and a result
// ([Result.MarshalJSON]: tim apply -json). A change that an older reader
// would misread (a new kind of operation, a field whose meaning changes)
// bumps it; new fields that a reader may ignore do not.
//
// Version 2 added the kinds of operation on the community's settings and
// topics (and the summary's counts of topics and settings). [Plan.UnmarshalJSON] reads
// versions 1 (which holds none of them) and 2, and refuses any other.
const FormatVersion = 2

// oldestFormatVersion is the oldest plan version Plan.UnmarshalJSON reads.
const oldestFormatVersion = 1

// The JSON of a plan:
//
//	{"format_version": 1, "group_id": "@TGS#_…",
//	 "operations": [{"kind": "create", "command": "create_permission_group",
//	   "permission_group": "@PMG#_x", "after": {fields}, "api_calls": 1}, …],
//	 "kept": [{"permission_group": "@PMG#_@PMG#…", "name": …, "members": 3, "topic_grants": 1, "reason": "server-made ID"}],
//	 "summary": {"create": 1, "change": 0, "destroy": 0, "api_calls": 3},
//	 "destroys_all": false,
//	 "spec": {the spec}, "fingerprint": {part: digest}}
//
// Fields are {"name", "permission", "custom_string"}; a permission is
// {"value": 64, "names": ["SendMessage"]}. An operation has, by kind:
// create "after"; modify "before", "after" and "changed" (the field names);
// destroy "before", "members" and "topic_grants"; topic operations "topics"
// ([{"topic_id", "before", "after"}], a side null where the topic has no
// permission); member operations "accounts". The operations on the
// community (version 2) have "permission_group": "" and, by kind:
// "settings" (modify_group_base_info) "settings_before", "settings_after"
// ({"permission_groups_enabled": bool or null, "default_permission":
// permission or null}; null where unknown or unchanged) and "changed";
// "create_topic" "topic" and "topic_after"; "modify_topic" "topic",
// "topic_before", "topic_after" and "changed"; "destroy_topic" "topic",
// "topic_before" and "grants" ([{"permission_group", "permission"}]).
// Topic fields are {"name", "introduction", "notification", "face_url",
// "custom_string", "mute_all"}. "kept_topics" lists the topics a plan with
// prune_topics keeps: [{"topic", "name", "grants", "reason"}].
type planJSON struct {
	FormatVersion int             `json:"format_version"`
	GroupID       string          `json:"group_id"`
	Operations    []opJSON        `json:"operations"`
	Kept          []keptJSON      `json:"kept"`
	KeptTopics    []keptTopicJSON `json:"kept_topics"`
	Summary       summaryJSON     `json:"summary"`
	DestroysAll   bool            `json:"destroys_all"`
	Spec          *Spec           `json:"spec,omitempty"`
	Fingerprint   Fingerprint     `json:"fingerprint,omitempty"`
}

type opJSON struct {
	Kind            string      `json:"kind"`
	Command         string      `json:"command"`
	PermissionGroup string      `json:"permission_group"`
	Before          *fieldsJSON `json:"before,omitempty"`
	After           *fieldsJSON `json:"after,omitempty"`
	Changed         []string    `json:"changed,omitempty"`
	Members         *int        `json:"members,omitempty"`
	TopicGrants     *int        `json:"topic_grants,omitempty"`
	Topics          []topicJSON `json:"topics,omitempty"`
	Accounts        []string    `json:"accounts,omitempty"`
	APICalls        int         `json:"api_calls"`
	communityOpJSON
}

type fieldsJSON struct {
	Name         string   `json:"name"`
	Permission   permJSON `json:"permission"`
	CustomString string   `json:"custom_string"`
}

type permJSON struct {
	Value uint64   `json:"value"`
	Names []string `json:"names"`
}

type topicJSON struct {
	TopicID string    `json:"topic_id"`
	Before  *permJSON `json:"before"`
	After   *permJSON `json:"after"`
}

type keptJSON struct {
	PermissionGroup string `json:"permission_group"`
	Name            string `json:"name"`
	Members         int    `json:"members"`
	TopicGrants     int    `json:"topic_grants"`
	Reason          string `json:"reason"`
}

type summaryJSON struct {
	Create   int `json:"create"`
	Change   int `json:"change"`
	Destroy  int `json:"destroy"`
	APICalls int `json:"api_calls"`
}

// kindNames are the JSON names of the kinds.
var kindNames = map[Kind]string{
	KindCreate: "create", KindModify: "modify", KindDeleteTopics: "delete_topics", KindSetTopics: "set_topics",
	KindAddTopics: "add_topics", KindDeleteMembers: "delete_members", KindAddMembers: "add_members", KindDestroy: "destroy",
	KindSettings: "settings", KindCreateTopic: "create_topic", KindModifyTopic: "modify_topic", KindDestroyTopic: "destroy_topic",
}

var fieldNames = []struct {
	mask FieldMask
	name string
}{{FieldName, "name"}, {FieldPermission, "permission"}, {FieldCustomString, "custom_string"}}

func permOf(p uint64, names []string) permJSON {
	if names == nil {
		names = []string{}
	}
	return permJSON{Value: p, Names: names}
}

func fieldsOf(f Fields) *fieldsJSON {
	return &fieldsJSON{Name: f.Name, Permission: permOf(uint64(f.Permission), f.Permission.BitNames()), CustomString: f.CustomString}
}

func (f *fieldsJSON) fields() Fields {
	return Fields{Name: f.Name, Permission: tim.GroupPermission(f.Permission.Value), CustomString: f.CustomString}
}

// MarshalJSON writes the plan in its versioned JSON format (see
// [FormatVersion]), with its spec and fingerprint: everything
// [Plan.UnmarshalJSON] needs to apply it later.
func (p *Plan) MarshalJSON() ([]byte, error) {
	s := p.Summary()
	out := planJSON{FormatVersion: FormatVersion, GroupID: p.GroupID, Operations: make([]opJSON, len(p.Ops)), Kept: []keptJSON{},
		KeptTopics: []keptTopicJSON{}, Summary: summaryJSON{s.Create, s.Change, s.Destroy, s.Calls}, DestroysAll: p.DestroysAll(),
		Spec: p.Spec, Fingerprint: p.Fingerprint}
	destroys := map[Kind]int{}
	for i := range p.Ops {
		if k := p.Ops[i].Kind; k.shared() {
			destroys[k]++
		}
	}
	for i := range p.Ops {
		o := &p.Ops[i]
		j := opJSON{Kind: kindNames[o.Kind], Command: o.Kind.Command(), PermissionGroup: o.PermissionGroupID, APICalls: o.calls()}
		if o.Kind.shared() {
			j.APICalls = 0 // the destroys of a kind share their requests: the first carries them
			if n := destroys[o.Kind]; n > 0 {
				j.APICalls, destroys[o.Kind] = (n+o.Kind.limit()-1)/o.Kind.limit(), 0
			}
		}
		j.communityOpJSON = communityOpOf(o)
		switch o.Kind {
		case KindCreate:
			j.After = fieldsOf(o.Fields)
		case KindModify:
			j.Before, j.After = fieldsOf(o.Old), fieldsOf(o.Fields)
			for _, f := range fieldNames {
				if o.Changed&f.mask != 0 {
					j.Changed = append(j.Changed, f.name)
				}
			}
		case KindDestroy:
			j.Before, j.Members, j.TopicGrants = fieldsOf(o.Fields), tim.Ptr(o.Members), tim.Ptr(o.TopicGrants)
		case KindModifyTopic, KindSettings:
			j.Changed = changedNames(o)
		}
		for _, t := range o.Topics {
			tj := topicJSON{TopicID: t.TopicID}
			if o.Kind != KindAddTopics {
				tj.Before = tim.Ptr(permOf(uint64(t.Old), t.Old.BitNames()))
			}
			if o.Kind != KindDeleteTopics {
				tj.After = tim.Ptr(permOf(uint64(t.New), t.New.BitNames()))
			}
			j.Topics = append(j.Topics, tj)
		}
		j.Accounts = o.Accounts
		out.Operations[i] = j
	}
	for _, k := range p.Kept {
		out.Kept = append(out.Kept, keptJSON{k.ID, k.Name, k.Members, k.TopicGrants, k.Reason})
	}
	for _, k := range p.KeptTopics {
		out.KeptTopics = append(out.KeptTopics, keptTopicJSON{k.ID, k.Name, k.Grants, k.Reason})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a plan that [Plan.MarshalJSON] wrote. It refuses
// another format_version, an unknown kind, and a plan whose spec does not
// pass [Spec.Validate] or names another community.
func (p *Plan) UnmarshalJSON(data []byte) error {
	var version struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &version); err != nil {
		return fmt.Errorf("community: plan: %w", err)
	}
	switch {
	case version.FormatVersion == nil:
		return errors.New("community: plan: no format_version: not a plan")
	case *version.FormatVersion < oldestFormatVersion || *version.FormatVersion > FormatVersion:
		return fmt.Errorf("community: plan: format_version %d; this version reads %d to %d", *version.FormatVersion, oldestFormatVersion, FormatVersion)
	}
	var in planJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("community: plan: %w", err)
	}
	out := Plan{GroupID: in.GroupID, Spec: in.Spec, Fingerprint: in.Fingerprint}
	if out.Spec != nil {
		if err := out.Spec.Validate(); err != nil {
			return fmt.Errorf("community: plan: %w", err)
		}
		if out.Spec.GroupID != out.GroupID {
			return fmt.Errorf("community: plan: for %s, with a spec of %s", out.GroupID, out.Spec.GroupID)
		}
	}
	byName := map[string]Kind{}
	for k, name := range kindNames {
		byName[name] = k
	}
	for i, j := range in.Operations {
		k, ok := byName[j.Kind]
		if !ok {
			return fmt.Errorf("community: plan: operations[%d]: unknown kind %q", i, j.Kind)
		}
		if k >= KindSettings && *version.FormatVersion < 2 {
			return fmt.Errorf("community: plan: operations[%d]: kind %q in a plan of format_version %d", i, j.Kind, *version.FormatVersion)
		}
		o := Op{Kind: k, PermissionGroupID: j.PermissionGroup, Accounts: j.Accounts}
		j.communityOpJSON.into(&o)
		if j.After != nil {
			o.Fields = j.After.fields()
		}
		if j.Before != nil {
			o.Old = j.Before.fields()
		}
		switch k {
		case KindDestroy:
			o.Fields, o.Old = o.Old, Fields{}
			if j.Members != nil {
				o.Members = *j.Members
			}
			if j.TopicGrants != nil {
				o.TopicGrants = *j.TopicGrants
			}
		case KindModify:
			for _, name := range j.Changed {
				for _, f := range fieldNames {
					if f.name == name {
						o.Changed |= f.mask
					}
				}
			}
		case KindModifyTopic, KindSettings:
			setChanged(&o, j.Changed)
		}
		for _, t := range j.Topics {
			tc := TopicChange{TopicID: t.TopicID}
			if t.Before != nil {
				tc.Old = tim.TopicPermission(t.Before.Value)
			}
			if t.After != nil {
				tc.New = tim.TopicPermission(t.After.Value)
			}
			o.Topics = append(o.Topics, tc)
		}
		out.Ops = append(out.Ops, o)
	}
	for _, k := range in.Kept {
		out.Kept = append(out.Kept, KeptGroup{ID: k.PermissionGroup, Name: k.Name, Members: k.Members, TopicGrants: k.TopicGrants, Reason: k.Reason})
	}
	for _, k := range in.KeptTopics {
		out.KeptTopics = append(out.KeptTopics, KeptTopic{ID: k.Topic, Name: k.Name, Grants: k.Grants, Reason: k.Reason})
	}
	*p = out
	return nil
}
