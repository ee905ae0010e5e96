package community

import (
	"fmt"
	"slices"

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
		if o.Kind >= KindSettings {
			if err := simulateCommunity(out, i, o); err != nil {
				return nil, err
			}
			continue
		}
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
	out.sortGroups()
	return out, nil
}

// simulateCommunity applies op i, of the settings or a topic, to out. A
// destroyed topic takes every group's grant in it along.
func simulateCommunity(out *Snapshot, i int, o *Op) error {
	at := slices.IndexFunc(out.Topics, func(t Topic) bool { return t.ID == o.TopicID })
	switch o.Kind {
	case KindSettings:
		if o.SettingsChanged&SettingPermissionGroupsEnabled != 0 && o.Settings.PermissionGroupsEnabled != nil {
			out.PermissionGroupsEnabled = tim.Ptr(*o.Settings.PermissionGroupsEnabled)
		}
		if o.SettingsChanged&SettingDefaultPermission != 0 && o.Settings.DefaultPermission != nil {
			out.DefaultPermission = tim.Ptr(*o.Settings.DefaultPermission)
		}
	case KindCreateTopic:
		if at >= 0 {
			return fmt.Errorf("community: Simulate: op %d creates topic %s, which exists", i, o.TopicID)
		}
		t := o.Topic
		t.ID = o.TopicID
		out.Topics = append(out.Topics, t)
	case KindModifyTopic, KindDestroyTopic:
		if at < 0 {
			return fmt.Errorf("community: Simulate: op %d (%s) is about topic %s, which does not exist", i, o.Kind, o.TopicID)
		}
		if o.Kind == KindModifyTopic {
			out.Topics[at] = out.Topics[at].with(&o.Topic, o.TopicChanged)
			return nil
		}
		out.Topics = slices.Delete(out.Topics, at, at+1)
		for j := range out.PermissionGroups {
			delete(out.PermissionGroups[j].Topics, o.TopicID)
		}
	default:
		return fmt.Errorf("community: Simulate: op %d has unknown kind %d", i, o.Kind)
	}
	return nil
}
