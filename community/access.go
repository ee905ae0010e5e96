package community

import (
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// Perm is a permission bitmask: of the community ([tim.GroupPermission])
// or of a topic ([tim.TopicPermission]).
type Perm interface {
	tim.GroupPermission | tim.TopicPermission
	String() string
}

// GroupsState is whether a community has permission groups enabled, as far
// as a snapshot knows.
type GroupsState int

// The states of the "permission groups enabled" switch. The switch is
// inferred (see [Snapshot.PermissionGroupsEnabled]).
const (
	GroupsStateUnknown GroupsState = iota // get_group_info did not say
	GroupsEnabled                         // permission groups decide what members may do
	GroupsDisabled                        // the community's roles decide; permission groups do not apply
)

// String returns "unknown", "enabled" or "disabled".
func (s GroupsState) String() string {
	switch s {
	case GroupsEnabled:
		return "enabled"
	case GroupsDisabled:
		return "disabled"
	}
	return "unknown"
}

// Rule is the rule an [Answer] follows.
type Rule int

// The rules of the Permission Group guide (trtc.io/document/59829).
const (
	// RuleDefaultAndGroups: the union of the default permission and of
	// every permission group the account is in.
	RuleDefaultAndGroups Rule = iota
	// RuleOwner: the community's owner has every permission.
	RuleOwner
	// RuleAdmin: the app admin has every permission.
	RuleAdmin
)

// String returns "default and groups", "owner" or "app admin".
func (r Rule) String() string {
	switch r {
	case RuleOwner:
		return "owner"
	case RuleAdmin:
		return "app admin"
	}
	return "default and groups"
}

// Grant is what one permission group gives its members, in an [Answer].
type Grant[P Perm] struct {
	PermissionGroupID string
	Name              string
	Permission        P
}

// Answer is what an account may do in a community or in one of its topics,
// and why, as [Access.Community] and [Access.Topic] work it out.
type Answer[P Perm] struct {
	Account string
	// TopicID is the topic asked about; "" for the community.
	TopicID string
	// Permission is what the account may do: tim.GroupPermAll or
	// tim.TopicPermAll by RuleOwner and RuleAdmin, otherwise Default OR
	// the Permission of every entry of Groups.
	Permission P
	// Rule is the rule that gave Permission.
	Rule Rule
	// Default is the default permission that was part of the union, and
	// DefaultKnown whether it was known. The community's default is
	// inferred (see [Snapshot.DefaultPermission]) and counts as 0 when
	// unknown; a topic's default has no REST field we know of, so for a
	// topic Default is always 0 and DefaultKnown false.
	Default      P
	DefaultKnown bool
	// Groups are the permission groups that were part of the union, by
	// ID: for the community every group the account is in; for a topic
	// those of them that have a permission in the topic. They are filled
	// in for the owner and the admin too, for display.
	Groups []Grant[P]
	// State is the community's "permission groups enabled" switch. When it
	// is GroupsDisabled, permission groups and the default permission do
	// not apply: the community's roles (owner, admin, member) decide, which
	// a snapshot does not hold, and Permission is what the account would
	// have with permission groups enabled (for the owner and the admin,
	// all). See [Answer.Enforced].
	State GroupsState
}

// Enforced reports whether the service applies Permission: true unless the
// community is known to have permission groups disabled (for the owner and
// the admin, always true).
func (a Answer[P]) Enforced() bool {
	return a.Rule != RuleDefaultAndGroups || a.State != GroupsDisabled
}

// String says what the account may do and why, on one line, e.g.
// "alice: SendMessage|AtAll = default SendMessage | @PMG#_mods AtAll", or
// "olga: all (owner)".
func (a Answer[P]) String() string {
	var b strings.Builder
	b.WriteString(a.Account)
	if a.TopicID != "" {
		b.WriteString(" in " + a.TopicID)
	}
	switch a.Rule {
	case RuleOwner, RuleAdmin:
		b.WriteString(": all (" + a.Rule.String() + ")")
	default:
		b.WriteString(": " + a.Permission.String() + " = default " + a.Default.String())
		if !a.DefaultKnown {
			b.WriteString(" (unknown)")
		}
		for _, g := range a.Groups {
			b.WriteString(" | " + g.PermissionGroupID + " " + g.Permission.String())
		}
	}
	if a.State == GroupsDisabled {
		b.WriteString("; permission groups are disabled")
		if !a.Enforced() {
			b.WriteString(", so this does not apply")
		}
	}
	return b.String()
}

// Access answers who may do what in a community from a [Snapshot], with no
// calls. It inverts the snapshot's member lists once (the service has no
// call that lists an account's permission groups). It keeps its own copy of
// what it needs: later changes to the snapshot do not reach it. It is safe
// for concurrent use.
type Access struct {
	owner, admin string
	state        GroupsState
	def          tim.GroupPermission
	defKnown     bool
	groups       []accessGroup
	byAccount    map[string][]int32 // indexes into groups, in ID order
}

type accessGroup struct {
	id, name   string
	permission tim.GroupPermission
	topics     map[string]tim.TopicPermission
}

// NewAccess indexes s for [Access.GroupsOf], [Access.Community] and
// [Access.Topic].
func NewAccess(s *Snapshot) *Access {
	a := &Access{owner: s.Owner, admin: s.Admin, byAccount: map[string][]int32{}}
	if s.PermissionGroupsEnabled != nil {
		a.state = GroupsDisabled
		if *s.PermissionGroupsEnabled {
			a.state = GroupsEnabled
		}
	}
	if s.DefaultPermission != nil {
		a.def, a.defKnown = *s.DefaultPermission, true
	}
	order := make([]int, len(s.PermissionGroups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return strings.Compare(s.PermissionGroups[i].ID, s.PermissionGroups[j].ID) })
	for _, i := range order {
		g := &s.PermissionGroups[i]
		idx := int32(len(a.groups))
		a.groups = append(a.groups, accessGroup{id: g.ID, name: g.Name, permission: g.Permission, topics: g.Topics})
		for _, m := range g.Members {
			if list := a.byAccount[m]; len(list) == 0 || list[len(list)-1] != idx {
				a.byAccount[m] = append(list, idx)
			}
		}
	}
	for i := range a.groups { // copies, so that the snapshot may change
		t := make(map[string]tim.TopicPermission, len(a.groups[i].topics))
		for k, v := range a.groups[i].topics {
			t[k] = v
		}
		a.groups[i].topics = t
	}
	return a
}

// GroupsOf returns the IDs of the permission groups account is in, sorted.
func (a *Access) GroupsOf(account string) []string {
	idx := a.byAccount[account]
	out := make([]string, len(idx))
	for i, g := range idx {
		out[i] = a.groups[g].id
	}
	return out
}

// Community returns what account may do in the community: all for the owner
// and the app admin, otherwise the union of the community's default
// permission and of the Permission of every permission group the account is
// in. The snapshot does not know who is in the community: an account that is
// not may do nothing, but is answered as a member of no group.
func (a *Access) Community(account string) Answer[tim.GroupPermission] {
	ans := Answer[tim.GroupPermission]{Account: account, Default: a.def, DefaultKnown: a.defKnown, State: a.state}
	perm := a.def
	for _, i := range a.byAccount[account] {
		g := &a.groups[i]
		ans.Groups = append(ans.Groups, Grant[tim.GroupPermission]{PermissionGroupID: g.id, Name: g.name, Permission: g.permission})
		perm |= g.permission
	}
	ans.Permission, ans.Rule = perm, a.rule(account)
	if ans.Rule != RuleDefaultAndGroups {
		ans.Permission = tim.GroupPermAll
	}
	return ans
}

// Topic returns what account may do in topic topicID: all for the owner and
// the app admin, otherwise the union of the topic's default permission
// (taken as 0: no REST field for it is known) and of the permissions in the
// topic of every permission group the account is in. The community-wide
// permissions are not part of it, as the guide's rule says; a group with no
// permission in the topic adds nothing.
func (a *Access) Topic(account, topicID string) Answer[tim.TopicPermission] {
	ans := Answer[tim.TopicPermission]{Account: account, TopicID: topicID, State: a.state}
	var perm tim.TopicPermission
	for _, i := range a.byAccount[account] {
		g := &a.groups[i]
		if p, ok := g.topics[topicID]; ok {
			ans.Groups = append(ans.Groups, Grant[tim.TopicPermission]{PermissionGroupID: g.id, Name: g.name, Permission: p})
			perm |= p
		}
	}
	ans.Permission, ans.Rule = perm, a.rule(account)
	if ans.Rule != RuleDefaultAndGroups {
		ans.Permission = tim.TopicPermAll
	}
	return ans
}

func (a *Access) rule(account string) Rule {
	switch {
	case account != "" && account == a.owner:
		return RuleOwner
	case account != "" && account == a.admin:
		return RuleAdmin
	}
	return RuleDefaultAndGroups
}
