package community

import (
	"github.com/timkit/tim"
)

// Kind is what an [Op] does.
type Kind int

// The kinds of operation on a permission group, in the order [Apply] runs
// a group's operations: create first, the deletes of topics and members
// before the sets and adds (which frees room under a member limit),
// destroys last. The kinds on the community itself (settings and topics)
// follow.
const (
	KindCreate        Kind = iota + 1 // create_permission_group
	KindModify                        // modify_permission_group: name, permission, custom string
	KindDeleteTopics                  // delete_topic_permission_group
	KindSetTopics                     // set_topic_permission_group: topics the group has, to a new value
	KindAddTopics                     // add_topic_permission_group: topics the group has no permission in
	KindDeleteMembers                 // delete_permission_group_member
	KindAddMembers                    // add_permission_group_member
	KindDestroy                       // destroy_permission_group
)

// String returns the kind's name: "create", "modify", "delete topics", ...
func (k Kind) String() string {
	switch k {
	case KindCreate:
		return "create"
	case KindModify:
		return "modify"
	case KindDeleteTopics:
		return "delete topics"
	case KindSetTopics:
		return "set topics"
	case KindAddTopics:
		return "add topics"
	case KindDeleteMembers:
		return "delete members"
	case KindAddMembers:
		return "add members"
	case KindDestroy:
		return "destroy"
	case KindSettings:
		return "settings"
	case KindCreateTopic:
		return "create topic"
	case KindModifyTopic:
		return "modify topic"
	case KindDestroyTopic:
		return "destroy topic"
	}
	return "unknown"
}

// Command returns the REST command the kind calls.
func (k Kind) Command() string {
	switch k {
	case KindCreate:
		return tim.CommandCreatePermissionGroup
	case KindModify:
		return tim.CommandModifyPermissionGroup
	case KindDeleteTopics:
		return tim.CommandDeleteTopicPermissionGroup
	case KindSetTopics:
		return tim.CommandSetTopicPermissionGroup
	case KindAddTopics:
		return tim.CommandAddTopicPermissionGroup
	case KindDeleteMembers:
		return tim.CommandDeletePermissionGroupMember
	case KindAddMembers:
		return tim.CommandAddPermissionGroupMember
	case KindDestroy:
		return tim.CommandDestroyPermissionGroup
	case KindSettings:
		return tim.CommandModifyGroupBaseInfo
	case KindCreateTopic:
		return tim.CommandCreateTopic
	case KindModifyTopic:
		return tim.CommandModifyTopic
	case KindDestroyTopic:
		return tim.CommandDestroyTopic
	}
	return ""
}

// limit is how many items one request of the kind takes (0: one request).
func (k Kind) limit() int {
	switch k {
	case KindDeleteTopics, KindSetTopics, KindAddTopics:
		return tim.MaxTopicsPerCall
	case KindDeleteMembers, KindAddMembers:
		return tim.MaxMembersPerCall
	case KindDestroy:
		return tim.MaxPermissionGroupsPerDestroy
	case KindDestroyTopic:
		return tim.MaxTopicsPerDestroy
	}
	return 0
}

// shared reports whether the kind's operations share their requests: one
// per item, the items of several operations split together.
func (k Kind) shared() bool { return k == KindDestroy || k == KindDestroyTopic }

// Fields are the scalar fields of a permission group.
type Fields struct {
	Name         string
	Permission   tim.GroupPermission
	CustomString string
}

// FieldMask says which [Fields] a modify changes.
type FieldMask uint8

// The fields of a permission group that modify_permission_group changes.
const (
	FieldName FieldMask = 1 << iota
	FieldPermission
	FieldCustomString
)

// TopicChange is one topic of a topic operation: its permission before
// (Old; 0 for an add) and after (New; 0 for a delete).
type TopicChange struct {
	TopicID string
	Old     tim.TopicPermission
	New     tim.TopicPermission
}

// Op is one operation of a [Plan]: a change of one permission group, of
// one topic, or of the community's settings.
type Op struct {
	Kind Kind
	// PermissionGroupID is the group the operation is about ("" for the
	// settings and topic kinds).
	PermissionGroupID string
	// Fields are, for KindCreate, the new group's fields; for KindModify,
	// the values after the change (of the fields Changed names); for
	// KindDestroy, the destroyed group's (for display).
	Fields Fields
	// Members and TopicGrants are, for KindDestroy, how many members and
	// topic permissions go with the group.
	Members, TopicGrants int
	// Old and Changed are, for KindModify, the values before and which
	// fields change.
	Old     Fields
	Changed FieldMask
	// Topics are the topics of KindAddTopics, KindSetTopics and
	// KindDeleteTopics, sorted by ID.
	Topics []TopicChange
	// Accounts are the accounts of KindAddMembers and KindDeleteMembers,
	// sorted.
	Accounts []string

	// TopicID is the topic of KindCreateTopic, KindModifyTopic and
	// KindDestroyTopic.
	TopicID string
	// Topic are, for KindCreateTopic, the new topic's fields; for
	// KindModifyTopic, the values after the change (of the fields
	// TopicChanged names); for KindDestroyTopic, the destroyed topic's.
	Topic Topic
	// OldTopic and TopicChanged are, for KindModifyTopic, the values before
	// and which fields change.
	OldTopic     Topic
	TopicChanged TopicFieldMask
	// Grants are, for KindDestroyTopic, the permission groups whose
	// permissions in the topic go with it, sorted by group ID.
	Grants []Grant[tim.TopicPermission]
	// Settings and OldSettings are, for KindSettings, the values after
	// (of the settings SettingsChanged names) and before (nil where the
	// community did not say).
	Settings, OldSettings SettingsSpec
	SettingsChanged       SettingsMask
}

// calls is how many requests the operation takes on its own.
func (o *Op) calls() int {
	n := len(o.Topics) + len(o.Accounts)
	if l := o.Kind.limit(); l > 0 && !o.Kind.shared() {
		return (n + l - 1) / l
	}
	return 1
}

// Plan is what [Diff] found to do to make a community match a spec: data
// first, counted by [Plan.Summary], printed by [Plan.WriteTo], written as
// JSON by [Plan.MarshalJSON] (the format of tim plan -json and of plan
// files).
type Plan struct {
	// GroupID is the community.
	GroupID string
	// Ops are the operations: the settings' change; each topic's create
	// (and its modify, for mute_all) or modify, by topic ID; then per
	// permission group (by ID): create, modify, delete, set and add
	// topics, delete and add members; then every group destroy; then every
	// topic destroy. [Apply] keeps that order where it matters (see
	// Apply).
	Ops []Op
	// Kept are the groups a pruning spec does not name that the plan does
	// not destroy, and why: their ID was made by the service and the spec
	// does not say "prune_server_made".
	Kept []KeptGroup
	// KeptTopics are likewise the topics a spec with prune_topics does not
	// list that the plan does not destroy.
	KeptTopics []KeptTopic
	// Spec is the spec the plan was made from (nil for a plan built by
	// hand). [CheckPlan] and [Verify] read the community again with it.
	Spec *Spec
	// Fingerprint is a digest of every part of the snapshot the plan
	// depends on: [CheckPlan] compares it with the community as it is now.
	Fingerprint Fingerprint
}

// KeptGroup is a permission group that a pruning plan keeps.
type KeptGroup struct {
	ID, Name             string
	Members, TopicGrants int
	// Reason says why: [KeptServerMade].
	Reason string
}

// KeptServerMade is the [KeptGroup.Reason] of a group whose ID the service
// made: a spec cannot name it, so pruning it needs "prune_server_made".
const KeptServerMade = "server-made ID"

// Summary counts a plan the way its last printed line does: the things
// created, changed and destroyed — permission groups, topics, and the
// community's settings (one thing) — as terraform counts resources.
type Summary struct {
	Create  int // permission groups and topics to create
	Change  int // permission groups (modify, topics, members), topics and the settings to change
	Destroy int // permission groups and topics to destroy
	// Calls is how many write requests the plan takes after splitting:
	// one per create and modify (of a group, a topic or the settings),
	// ⌈n/50⌉ per topic-permission operation, ⌈n/100⌉ per member
	// operation, ⌈group destroys/20⌉ and ⌈topic destroys/50⌉ in all, since
	// Apply destroys each kind in one split call.
	Calls int
}

// Summary counts the plan.
func (p *Plan) Summary() Summary {
	var s Summary
	changed := map[string]bool{}
	created := map[string]bool{}
	destroys := map[Kind]int{}
	for i := range p.Ops {
		o := &p.Ops[i]
		key := o.resource()
		switch o.Kind {
		case KindCreate, KindCreateTopic:
			s.Create++
			created[key] = true
		case KindDestroy, KindDestroyTopic:
			s.Destroy++
			destroys[o.Kind]++
			continue
		default:
			if !created[key] {
				changed[key] = true
			}
		}
		s.Calls += o.calls()
	}
	s.Change = len(changed)
	for k, n := range destroys {
		s.Calls += (n + k.limit() - 1) / k.limit()
	}
	return s
}

// resource names what the operation changes: "settings", "topic {id}" or
// "permission group {id}".
func (o *Op) resource() string {
	switch o.Kind {
	case KindSettings:
		return "settings"
	case KindCreateTopic, KindModifyTopic, KindDestroyTopic:
		return "topic " + o.TopicID
	}
	return "permission group " + o.PermissionGroupID
}

// Empty reports whether the plan has nothing to do: the community matches
// the spec.
func (p *Plan) Empty() bool { return len(p.Ops) == 0 }

// DestroysAll reports whether the plan destroys permission groups because
// its spec prunes and names none ("permission_groups": []), or topics
// because it prunes topics and lists none ("topics": []): every group, or
// every topic, of the community that may go goes. tim apply asks for that
// to be confirmed at a terminal even with -auto-approve or a saved plan.
func (p *Plan) DestroysAll() bool {
	groups, topics := p.destroysAll()
	return groups || topics
}

// destroysAll says whether the plan destroys every group, and every topic,
// that may go (see DestroysAll).
func (p *Plan) destroysAll() (groups, topics bool) {
	if p.Spec == nil {
		return false, false
	}
	pruneGroups := p.Spec.Prune && len(p.Spec.PermissionGroups) == 0
	pruneTopics := p.Spec.PruneTopics && len(p.Spec.Topics) == 0
	for i := range p.Ops {
		switch p.Ops[i].Kind {
		case KindDestroy:
			groups = groups || pruneGroups
		case KindDestroyTopic:
			topics = topics || pruneTopics
		}
	}
	return groups, topics
}
