package community

import (
	"strings"
)

// addCommunity adds the parts of the settings and topics a plan of spec
// depends on.
func (f Fingerprint) addCommunity(s *Snapshot, spec *Spec) {
	if set := spec.Settings; set != nil {
		if set.PermissionGroupsEnabled != nil {
			f[partSettings+"permission_groups_enabled"] = digestOrAbsent(s.PermissionGroupsEnabled)
		}
		if set.DefaultPermission != nil {
			f[partSettings+"default_permission"] = digestOrAbsent(s.DefaultPermission)
		}
	}
	listed := make(map[string]bool, len(spec.Topics))
	for i := range spec.Topics {
		t := &spec.Topics[i]
		listed[t.ID] = true
		cur := s.Topic(t.ID)
		if cur == nil {
			f[partTopic+t.ID] = absent
			continue
		}
		_, mask := t.wanted()
		f[partTopic+t.ID] = topicDigest(cur, mask)
	}
	if !spec.PruneTopics {
		return
	}
	ids := make([]string, 0, len(s.Topics))
	for i := range s.Topics {
		t := &s.Topics[i]
		ids = append(ids, t.ID)
		if !listed[t.ID] { // destroyed, or kept: all of it is shown
			f[partTopic+t.ID] = topicDigest(t, ^TopicFieldMask(0))
			grants := make([][2]any, 0)
			for _, g := range s.grantsOf(t.ID) {
				grants = append(grants, [2]any{g.PermissionGroupID, uint64(g.Permission)})
			}
			f[partTopic+t.ID+" grants"] = digest(grants)
		}
	}
	f[partTopics] = digest(sortedCopy(ids))
}

// topicDigest is the digest of t's fields that mask names.
func topicDigest(t *Topic, mask TopicFieldMask) string {
	fields := map[string]any{}
	for _, n := range topicFieldNames {
		if mask&n.mask != 0 {
			fields[n.name] = t.value(n.mask)
		}
	}
	return digest(fields)
}

func digestOrAbsent[T any](v *T) string {
	if v == nil {
		return absent
	}
	return digest(*v)
}

// communityChange says what a changed part of the settings or topics
// means, or "" when another part says it.
func communityChange(key, was, is string) string {
	switch {
	case key == partTopics:
		return "the list of topics changed"
	case strings.HasPrefix(key, partSettings):
		return "the setting " + strings.TrimPrefix(key, partSettings) + " changed"
	case !strings.HasPrefix(key, partTopic):
		return "part " + key + " changed"
	}
	id, what, _ := strings.Cut(strings.TrimPrefix(key, partTopic), " ")
	switch {
	case what != "" && (was == "" || is == ""):
		return "" // comes with the topic's own part
	case what != "":
		return "the " + what + " of topic " + id + " changed"
	case was == absent || was == "":
		return "topic " + id + " was created"
	case is == absent || is == "":
		return "topic " + id + " was destroyed"
	}
	return "topic " + id + " changed"
}
