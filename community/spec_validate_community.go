package community

import (
	"strconv"

	"github.com/timkit/tim"
)

// validateCommunity checks the spec's settings and topics (see
// [Spec.Validate]), reporting each problem with add.
func (s *Spec) validateCommunity(add func(path, format string, args ...any)) {
	if s.PruneTopics && s.Topics == nil {
		add("prune_topics", "is set without \"topics\" (write \"topics\": [] to destroy every topic)")
	}
	if set := s.Settings; set != nil && set.DefaultPermission != nil && set.PermissionGroupsEnabled != nil && !*set.PermissionGroupsEnabled {
		add("settings.default_permission", "is set while permission_groups_enabled is false: the service takes a default permission only while permission groups are enabled (inferred)")
	}
	groupOK := validCommunityID(s.GroupID)
	seen := make(map[string]int, len(s.Topics))
	for i := range s.Topics {
		t := &s.Topics[i]
		at := "topics[" + strconv.Itoa(i) + "]"
		switch j, dup := seen[t.ID]; {
		case t.ID == "":
			add(at+".id", "is required")
		case !groupOK:
			// group_id is wrong already: the topic's community cannot be told
		case tim.CheckCustomTopicID(s.GroupID, t.ID) != nil:
			add(at+".id", "%s", customIDReason(t.ID, tim.CheckCustomTopicID(s.GroupID, t.ID)))
		case dup:
			add(at+".id", "%s is also topics[%d].id", t.ID, j)
		default:
			seen[t.ID] = i
		}
		checkString(add, at+".name", &t.Name, tim.MaxTopicNameBytes, true)
		checkString(add, at+".introduction", t.Introduction, tim.MaxIntroductionBytes, false)
		checkString(add, at+".notification", t.Notification, tim.MaxNotificationBytes, false)
		checkString(add, at+".face_url", t.FaceURL, tim.MaxFaceURLBytes, false)
		checkString(add, at+".custom_string", t.CustomString, tim.MaxCustomStringBytes, false)
	}
}
