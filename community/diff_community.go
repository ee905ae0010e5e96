package community

import (
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// appendSettings adds the operation that brings the community's settings
// to set's managed fields, if any differs (a value the snapshot does not
// know counts as different).
func appendSettings(ops []Op, s *Snapshot, set *SettingsSpec) []Op {
	if set == nil {
		return ops
	}
	o := Op{Kind: KindSettings, OldSettings: SettingsSpec{PermissionGroupsEnabled: s.PermissionGroupsEnabled, DefaultPermission: s.DefaultPermission}}
	o.OldSettings = *o.OldSettings.clone()
	if want := set.PermissionGroupsEnabled; want != nil && (s.PermissionGroupsEnabled == nil || *s.PermissionGroupsEnabled != *want) {
		o.SettingsChanged |= SettingPermissionGroupsEnabled
		o.Settings.PermissionGroupsEnabled = tim.Ptr(*want)
	}
	if want := set.DefaultPermission; want != nil && (s.DefaultPermission == nil || *s.DefaultPermission != *want) {
		o.SettingsChanged |= SettingDefaultPermission
		o.Settings.DefaultPermission = tim.Ptr(*want)
	}
	if o.SettingsChanged == 0 {
		return ops
	}
	return append(ops, o)
}

// topicDiff is what Diff found to do to the community's topics.
type topicDiff struct {
	ops      []Op            // creates and modifies, by topic ID
	destroys []Op            // with prune_topics, by topic ID
	kept     []KeptTopic     // with prune_topics, the server-made topics kept
	gone     map[string]bool // the topics destroyed
}

// diffTopics compares the snapshot's topics with the spec's.
func diffTopics(s *Snapshot, spec *Spec) topicDiff {
	var d topicDiff
	listed := make(map[string]bool, len(spec.Topics))
	order := make([]*TopicSpec, len(spec.Topics))
	for i := range spec.Topics {
		order[i] = &spec.Topics[i]
		listed[order[i].ID] = true
	}
	slices.SortFunc(order, func(a, b *TopicSpec) int { return strings.Compare(a.ID, b.ID) })
	for _, t := range order {
		want, mask := t.wanted()
		cur := s.Topic(t.ID)
		if cur == nil {
			made := want
			made.MuteAll = false // create_topic has no mute-all: a modify after it sets it
			d.ops = append(d.ops, Op{Kind: KindCreateTopic, TopicID: t.ID, Topic: made})
			if want.MuteAll {
				d.ops = append(d.ops, Op{Kind: KindModifyTopic, TopicID: t.ID, OldTopic: made, Topic: want, TopicChanged: TopicMuteAll})
			}
			continue
		}
		if changed := cur.differs(&want, mask); changed != 0 {
			// Only the managed fields: a change of another one since must
			// not make the plan differ from the one saved.
			old := (Topic{ID: t.ID}).with(cur, mask)
			d.ops = append(d.ops, Op{Kind: KindModifyTopic, TopicID: t.ID, OldTopic: old, Topic: old.with(&want, changed), TopicChanged: changed})
		}
	}
	if !spec.PruneTopics {
		return d
	}
	d.gone = map[string]bool{}
	for i := range s.Topics {
		t := &s.Topics[i]
		switch grants := s.grantsOf(t.ID); {
		case listed[t.ID]:
		case t.ServerMade() && !spec.PruneServerMade:
			d.kept = append(d.kept, KeptTopic{ID: t.ID, Name: t.Name, Grants: len(grants), Reason: KeptServerMade})
		default:
			d.gone[t.ID] = true
			d.destroys = append(d.destroys, Op{Kind: KindDestroyTopic, TopicID: t.ID, Topic: *t, Grants: grants})
		}
	}
	slices.SortFunc(d.destroys, func(a, b Op) int { return strings.Compare(a.TopicID, b.TopicID) })
	slices.SortFunc(d.kept, func(a, b KeptTopic) int { return strings.Compare(a.ID, b.ID) })
	return d
}
