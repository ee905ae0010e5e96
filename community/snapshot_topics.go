package community

import (
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// Topic is one topic of a [Snapshot]: the fields of get_topic that a spec
// manages.
type Topic struct {
	// ID is the TopicId: the community's ID + "@TOPIC#_" + a suffix, or
	// "…@TOPIC#_@TOPIC#…" when the service made it.
	ID   string
	Name string
	// Introduction, Notification, FaceURL and CustomString are the topic's
	// texts.
	Introduction, Notification, FaceURL, CustomString string
	// MuteAll is whether every member is muted in the topic.
	MuteAll bool
}

// ServerMade reports whether the service made the topic's ID
// ("…@TOPIC#_@TOPIC#…"), as it does for a topic created without a custom
// ID. A spec cannot list such a topic (see [Export]).
func (t *Topic) ServerMade() bool { return tim.IsServerMadeTopicID(t.ID) }

// Topic returns the topic with the given ID, or nil.
func (s *Snapshot) Topic(id string) *Topic {
	return findByID(s.Topics, id, func(t *Topic) string { return t.ID })
}

// topicOf is the snapshot's Topic of what get_topic answered.
func topicOf(t *tim.Topic) Topic {
	return Topic{ID: t.ID, Name: t.Name, Introduction: t.Introduction, Notification: t.Notification,
		FaceURL: t.FaceURL, CustomString: t.CustomString, MuteAll: t.MuteAll}
}

// grantsOf returns which permission groups of s grant topic id, and what:
// sorted by group ID.
func (s *Snapshot) grantsOf(id string) []Grant[tim.TopicPermission] {
	var out []Grant[tim.TopicPermission]
	for i := range s.PermissionGroups {
		g := &s.PermissionGroups[i]
		if p, ok := g.Topics[id]; ok {
			out = append(out, Grant[tim.TopicPermission]{PermissionGroupID: g.ID, Permission: p})
		}
	}
	slices.SortFunc(out, func(a, b Grant[tim.TopicPermission]) int {
		return strings.Compare(a.PermissionGroupID, b.PermissionGroupID)
	})
	return out
}
