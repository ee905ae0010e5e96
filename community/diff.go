package community

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// Diff compares a snapshot of a community with a spec for it and returns the
// plan that makes the community match: the settings' change when a managed
// setting differs; for each topic of the spec, a create when the snapshot
// lacks it (and a modify after it for "mute_all": true, which create_topic
// cannot set) or a modify of the managed fields that differ; with
// spec.PruneTopics, a destroy of each topic the spec does not list (but
// for server-made IDs, kept in [Plan.KeptTopics] unless
// spec.PruneServerMade), which takes the groups' grants in it along; for
// each group of the spec, a create
// (then its topics and members) when the snapshot lacks it, or the
// modify, topic and member operations that its managed fields need; with
// spec.Prune, a destroy of each group the spec does not name, but for the
// groups whose ID the service made, which are kept ([Plan.Kept]) unless
// spec.PruneServerMade. Fields the spec does not manage are not compared.
// The plan takes the fewest write calls the split limits allow
// ([Summary.Calls]), holds a copy of the spec and the [Fingerprint] of what
// it read.
//
// Diff is a pure function of its arguments, which it does not change. It
// validates the spec first ([Spec.Validate]) and refuses a snapshot of
// another community.
func Diff(s *Snapshot, spec *Spec) (*Plan, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if s.GroupID != spec.GroupID {
		return nil, fmt.Errorf("community: Diff: the snapshot is of %s, the spec of %s", s.GroupID, spec.GroupID)
	}
	p := &Plan{GroupID: spec.GroupID, Spec: spec.Clone(), Fingerprint: fingerprintOf(s, spec)}
	p.Ops = appendSettings(p.Ops, s, spec.Settings)
	topics := diffTopics(s, spec)
	p.Ops, p.KeptTopics = append(p.Ops, topics.ops...), topics.kept
	order := make([]*GroupSpec, len(spec.PermissionGroups))
	named := make(map[string]bool, len(order))
	for i := range spec.PermissionGroups {
		order[i] = &spec.PermissionGroups[i]
		named[order[i].ID] = true
	}
	slices.SortFunc(order, func(a, b *GroupSpec) int { return strings.Compare(a.ID, b.ID) })
	for _, g := range order {
		if cur := s.PermissionGroup(g.ID); cur != nil {
			p.Ops = appendGroupDiff(p.Ops, cur, g, topics.gone)
			continue
		}
		p.Ops = appendCreate(p.Ops, g)
	}
	if spec.Prune {
		var gone []*PermissionGroup
		for i := range s.PermissionGroups {
			if g := &s.PermissionGroups[i]; !named[g.ID] {
				gone = append(gone, g)
			}
		}
		slices.SortFunc(gone, func(a, b *PermissionGroup) int { return strings.Compare(a.ID, b.ID) })
		for _, g := range gone {
			if g.ServerMade() && !spec.PruneServerMade {
				p.Kept = append(p.Kept, KeptGroup{ID: g.ID, Name: g.Name, Members: len(g.Members), TopicGrants: len(g.Topics), Reason: KeptServerMade})
				continue
			}
			p.Ops = append(p.Ops, Op{Kind: KindDestroy, PermissionGroupID: g.ID,
				Fields:  Fields{Name: g.Name, Permission: g.Permission, CustomString: g.CustomString},
				Members: len(g.Members), TopicGrants: len(g.Topics)})
		}
	}
	p.Ops = append(p.Ops, topics.destroys...)
	return p, nil
}

// appendCreate adds the operations that make group g from nothing.
func appendCreate(ops []Op, g *GroupSpec) []Op {
	f := Fields{Name: g.Name, Permission: g.Permission}
	if g.CustomString != nil {
		f.CustomString = *g.CustomString
	}
	ops = append(ops, Op{Kind: KindCreate, PermissionGroupID: g.ID, Fields: f})
	if len(g.Topics) > 0 {
		add := make([]TopicChange, 0, len(g.Topics))
		for _, t := range sortedKeys(g.Topics) {
			add = append(add, TopicChange{TopicID: t, New: g.Topics[t]})
		}
		ops = append(ops, Op{Kind: KindAddTopics, PermissionGroupID: g.ID, Topics: add})
	}
	if len(g.Members) > 0 {
		ops = append(ops, Op{Kind: KindAddMembers, PermissionGroupID: g.ID, Accounts: sortedCopy(g.Members)})
	}
	return ops
}

// appendGroupDiff adds the operations that bring cur to g's managed fields.
// A grant in a topic the plan destroys (gone) is not deleted: the topic's
// destroy takes it, and the destroy line shows it.
func appendGroupDiff(ops []Op, cur *PermissionGroup, g *GroupSpec, gone map[string]bool) []Op {
	old := Fields{Name: cur.Name, Permission: cur.Permission, CustomString: cur.CustomString}
	mod := Op{Kind: KindModify, PermissionGroupID: g.ID, Old: old, Fields: old}
	if g.Name != cur.Name {
		mod.Changed |= FieldName
		mod.Fields.Name = g.Name
	}
	if g.Permission != cur.Permission {
		mod.Changed |= FieldPermission
		mod.Fields.Permission = g.Permission
	}
	if g.CustomString != nil && *g.CustomString != cur.CustomString {
		mod.Changed |= FieldCustomString
		mod.Fields.CustomString = *g.CustomString
	}
	if mod.Changed != 0 {
		ops = append(ops, mod)
	}
	if g.Topics != nil {
		var del, set, add []TopicChange
		for _, t := range sortedKeys(cur.Topics) {
			if _, keep := g.Topics[t]; !keep && !gone[t] {
				del = append(del, TopicChange{TopicID: t, Old: cur.Topics[t]})
			}
		}
		for _, t := range sortedKeys(g.Topics) {
			want := g.Topics[t]
			switch have, ok := cur.Topics[t]; {
			case !ok:
				add = append(add, TopicChange{TopicID: t, New: want})
			case have != want:
				set = append(set, TopicChange{TopicID: t, Old: have, New: want})
			}
		}
		ops = appendTopicOp(ops, KindDeleteTopics, g.ID, del)
		ops = appendTopicOp(ops, KindSetTopics, g.ID, set)
		ops = appendTopicOp(ops, KindAddTopics, g.ID, add)
	}
	if g.Members != nil {
		del, add := diffSorted(sortedView(cur.Members), sortedView(g.Members))
		if len(del) > 0 {
			ops = append(ops, Op{Kind: KindDeleteMembers, PermissionGroupID: g.ID, Accounts: del})
		}
		if len(add) > 0 {
			ops = append(ops, Op{Kind: KindAddMembers, PermissionGroupID: g.ID, Accounts: add})
		}
	}
	return ops
}

func appendTopicOp(ops []Op, k Kind, id string, topics []TopicChange) []Op {
	if len(topics) == 0 {
		return ops
	}
	return append(ops, Op{Kind: k, PermissionGroupID: id, Topics: topics})
}

// diffSorted returns the entries of have not in want (gone) and of want not
// in have (added), both sorted; have and want are sorted.
func diffSorted(have, want []string) (gone, added []string) {
	i, j := 0, 0
	for i < len(have) || j < len(want) {
		switch {
		case j == len(want) || (i < len(have) && have[i] < want[j]):
			gone = append(gone, have[i])
			i++
		case i == len(have) || want[j] < have[i]:
			added = append(added, want[j])
			j++
		default:
			i++
			j++
		}
	}
	return gone, added
}

// sortedView returns list if it is sorted, else a sorted copy.
func sortedView(list []string) []string {
	if slices.IsSorted(list) {
		return list
	}
	return sortedCopy(list)
}

func sortedCopy(list []string) []string {
	c := slices.Clone(list)
	slices.Sort(c)
	return c
}

// groupSpecOf is the spec that describes g fully, every field managed.
func groupSpecOf(g *PermissionGroup) GroupSpec {
	topics := make(map[string]tim.TopicPermission, len(g.Topics))
	for t, p := range g.Topics {
		topics[t] = p
	}
	return GroupSpec{ID: g.ID, Name: g.Name, Permission: g.Permission, CustomString: tim.Ptr(g.CustomString),
		Topics: topics, Members: append([]string{}, g.Members...)}
}
