package community

import (
	"github.com/timkit/tim"
)

// Kind is what an [Op] does.
type Kind int

// The kinds of operation, in the order [Apply] runs a permission group's
// operations: create first, the deletes of topics and members before the
// sets and adds (which frees room under a member limit), destroys last.
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
	}
	return 0
}

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

// Op is one operation of a [Plan]: a change of one permission group.
type Op struct {
	Kind Kind
	// PermissionGroupID is the group the operation is about.
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
}

// calls is how many requests the operation takes on its own.
func (o *Op) calls() int {
	n := len(o.Topics) + len(o.Accounts)
	if l := o.Kind.limit(); l > 0 && o.Kind != KindDestroy {
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
	// Ops are the operations, listed per permission group (by ID): create,
	// modify, delete, set and add topics, delete and add members; then
	// every destroy. [Apply] keeps that order within a group where it
	// matters (see Apply).
	Ops []Op
	// Kept are the groups a pruning spec does not name that the plan does
	// not destroy, and why: their ID was made by the service and the spec
	// does not say "prune_server_made".
	Kept []KeptGroup
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

// Summary counts a plan the way its last printed line does.
type Summary struct {
	Create  int // permission groups to create
	Change  int // permission groups to change (modify, topics, members)
	Destroy int // permission groups to destroy
	// Calls is how many write requests the plan takes after splitting:
	// one per create and modify, ⌈n/50⌉ per topic operation, ⌈n/100⌉ per
	// member operation and ⌈destroys/20⌉ in all, since Apply destroys in one
	// split call.
	Calls int
}

// Summary counts the plan.
func (p *Plan) Summary() Summary {
	var s Summary
	changed := map[string]bool{}
	created := map[string]bool{}
	for i := range p.Ops {
		o := &p.Ops[i]
		switch o.Kind {
		case KindCreate:
			s.Create++
			created[o.PermissionGroupID] = true
		case KindDestroy:
			s.Destroy++
			continue
		default:
			if !created[o.PermissionGroupID] {
				changed[o.PermissionGroupID] = true
			}
		}
		s.Calls += o.calls()
	}
	s.Change = len(changed)
	s.Calls += (s.Destroy + tim.MaxPermissionGroupsPerDestroy - 1) / tim.MaxPermissionGroupsPerDestroy
	return s
}

// Empty reports whether the plan has nothing to do: the community matches
// the spec.
func (p *Plan) Empty() bool { return len(p.Ops) == 0 }

// DestroysAll reports whether the plan destroys permission groups because
// its spec prunes and names none ("permission_groups": []): every group of
// the community that may go goes. tim apply asks for that to be confirmed
// at a terminal even with -auto-approve or a saved plan.
func (p *Plan) DestroysAll() bool {
	if p.Spec == nil || !p.Spec.Prune || len(p.Spec.PermissionGroups) > 0 {
		return false
	}
	for i := range p.Ops {
		if p.Ops[i].Kind == KindDestroy {
			return true
		}
	}
	return false
}
