package community

import (
	"slices"
	"strings"

	"github.com/timkit/tim"
)

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
	// topics maps the community's topics to whether all their members are
	// muted; nil when the snapshot holds no topic list (see TopicState).
	topics map[string]bool
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
	if s.Topics != nil || s.TopicsUnsupported {
		a.topics = make(map[string]bool, len(s.Topics))
		for _, t := range s.Topics {
			a.topics[t.ID] = t.MuteAll
		}
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
// in. An account in no permission group gets the default. The snapshot does
// not know who is in the community: an account that is not may do nothing,
// but is answered as a member of no group.
func (a *Access) Community(account string) Answer[tim.GroupPermission] {
	ans := Answer[tim.GroupPermission]{Account: account, Default: a.def, DefaultKnown: a.defKnown, State: a.state}
	ans.Permission, ans.Groups = a.union(account)
	ans.Rule = a.rule(account)
	if ans.Rule != RuleDefaultAndGroups {
		ans.Permission = tim.GroupPermAll
	}
	return ans
}

// Topic returns what account may do in topic topicID: all for the owner and
// the app admin, otherwise the union of
//
//   - the topic's default permission, taken as 0: no REST field for it is
//     known;
//   - the permissions in the topic of every permission group the account is
//     in (a group with no permission in the topic adds nothing);
//   - the topic bits that the account's community permission (the default
//     OR its groups, as [Access.Community] answers) gives in every topic
//     ([InAllTopics]; inferred), so that an account in no permission group
//     gets the community default's all-topic bits.
//
// The answer's Topic says whether the community has the topic and whether
// all its members are muted there, which the permission bits do not show
// (see [TopicState]).
func (a *Access) Topic(account, topicID string) Answer[tim.TopicPermission] {
	c := a.Community(account)
	ans := Answer[tim.TopicPermission]{Account: account, TopicID: topicID, Rule: c.Rule, State: a.state, Community: &c, Topic: a.topicState(topicID)}
	var perm tim.TopicPermission
	for _, i := range a.byAccount[account] {
		g := &a.groups[i]
		if p, ok := g.topics[topicID]; ok {
			ans.Groups = append(ans.Groups, Grant[tim.TopicPermission]{PermissionGroupID: g.id, Name: g.name, Permission: p})
			perm |= p
		}
	}
	communityPerm := c.Permission
	if c.Rule != RuleDefaultAndGroups {
		communityPerm, _ = a.union(account) // what the owner has besides the rule, for display
	}
	ans.AllTopics, ans.Probable = InAllTopics(communityPerm)
	perm |= ans.AllTopics
	ans.Permission, ans.Probable = perm, ans.Probable&^perm
	if ans.Rule != RuleDefaultAndGroups {
		ans.Permission, ans.Probable = tim.TopicPermAll, 0
	}
	return ans
}

// topicState is what the snapshot says of topic id.
func (a *Access) topicState(id string) TopicState {
	muted, ok := a.topics[id]
	switch {
	case a.topics == nil:
		return TopicUnknown
	case !ok:
		return TopicMissing
	case muted:
		return TopicMuted
	}
	return TopicExists
}

// union returns the default OR the permission of every group account is
// in, and those groups.
func (a *Access) union(account string) (tim.GroupPermission, []Grant[tim.GroupPermission]) {
	perm := a.def
	idx := a.byAccount[account]
	if len(idx) == 0 {
		return perm, nil
	}
	grants := make([]Grant[tim.GroupPermission], len(idx))
	for k, i := range idx {
		g := &a.groups[i]
		grants[k] = Grant[tim.GroupPermission]{PermissionGroupID: g.id, Name: g.name, Permission: g.permission}
		perm |= g.permission
	}
	return perm, grants
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
