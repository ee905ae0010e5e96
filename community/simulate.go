package community

import (
	"fmt"
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// Simulate returns the snapshot a fully successful [Apply] of p would leave
// behind s: a pure function (s is not changed). For a plan [Diff] made from
// s and a spec, what the result holds in the spec's managed fields is the
// spec, exactly, and Diff of the result and the spec is empty. An operation
// that does not fit s (a create of a group s has, a change of one it lacks)
// is an error.
func Simulate(s *Snapshot, p *Plan) (*Snapshot, error) {
	if p.GroupID != s.GroupID {
		return nil, fmt.Errorf("community: Simulate: the plan is for %s, the snapshot of %s", p.GroupID, s.GroupID)
	}
	out := s.Clone()
	index := make(map[string]int, len(out.PermissionGroups))
	for i := range out.PermissionGroups {
		index[out.PermissionGroups[i].ID] = i
	}
	destroyed := map[int]bool{} // by index into out.PermissionGroups
	for i := range p.Ops {
		o := &p.Ops[i]
		at, ok := index[o.PermissionGroupID]
		if ok && destroyed[at] {
			ok = false
		}
		if o.Kind == KindCreate {
			if ok {
				return nil, fmt.Errorf("community: Simulate: op %d creates %s, which exists", i, o.PermissionGroupID)
			}
			index[o.PermissionGroupID] = len(out.PermissionGroups)
			out.PermissionGroups = append(out.PermissionGroups, PermissionGroup{
				ID: o.PermissionGroupID, Name: o.Fields.Name, Permission: o.Fields.Permission, CustomString: o.Fields.CustomString,
				Topics: map[string]tim.TopicPermission{}, Members: []string{},
			})
			continue
		}
		if !ok {
			return nil, fmt.Errorf("community: Simulate: op %d (%s) is about %s, which does not exist", i, o.Kind, o.PermissionGroupID)
		}
		g := &out.PermissionGroups[at]
		switch o.Kind {
		case KindModify:
			if o.Changed&FieldName != 0 {
				g.Name = o.Fields.Name
			}
			if o.Changed&FieldPermission != 0 {
				g.Permission = o.Fields.Permission
			}
			if o.Changed&FieldCustomString != 0 {
				g.CustomString = o.Fields.CustomString
			}
		case KindAddTopics, KindSetTopics:
			for _, t := range o.Topics {
				g.Topics[t.TopicID] = t.New
			}
		case KindDeleteTopics:
			for _, t := range o.Topics {
				delete(g.Topics, t.TopicID)
			}
		case KindAddMembers:
			g.Members = append(g.Members, o.Accounts...)
			slices.Sort(g.Members)
			g.Members = slices.Compact(g.Members)
		case KindDeleteMembers:
			gone := make(map[string]bool, len(o.Accounts))
			for _, a := range o.Accounts {
				gone[a] = true
			}
			g.Members = slices.DeleteFunc(g.Members, func(a string) bool { return gone[a] })
		case KindDestroy:
			destroyed[at] = true
		default:
			return nil, fmt.Errorf("community: Simulate: op %d has unknown kind %d", i, o.Kind)
		}
	}
	kept := out.PermissionGroups[:0]
	for i, g := range out.PermissionGroups {
		if !destroyed[i] {
			kept = append(kept, g)
		}
	}
	out.PermissionGroups = kept
	slices.SortFunc(out.PermissionGroups, func(a, b PermissionGroup) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
