package timtest

import (
	"cmp"
	"maps"
	"slices"

	"github.com/timkit/tim"
)

// The state of a community beyond its permission groups: its profile, its
// topics, and what each member's profile holds besides the name card.

// groupProfile is a group's profile as get_group_info and
// modify_group_base_info see it.
type groupProfile struct {
	name, introduction, notification, faceURL string
	muteAll                                   bool
	destroyedTopics                           map[string]bool // get_topic answers 110003 for these
}

// memberState is the part of a member's profile the member reads return
// besides its join time and name card.
type memberState struct {
	msgFlag    tim.MsgFlag // "" reads as AcceptAndNotify
	mutedUntil int64       // Unix seconds; 0 when not muted
	msgSeq     int64
	lastSend   int64 // LastSendMsgTime
}

// topic is one topic of a community.
type topic struct {
	id, name, faceURL, notification, introduction, custom string
	customData                                            map[string]string
	created                                               int64  // Unix seconds
	serial                                                uint64 // creation order
	muteAll                                               bool
}

// newProfile makes the profile of a member joining at joinTime. The caller
// holds s.mu.
func (s *Server) newProfile(joinTime int64) *profile {
	s.memberSerial++
	return &profile{joinTime: joinTime, serial: s.memberSerial}
}

// addTopic adds t to g. The caller holds s.mu.
func (s *Server) addTopic(g *group, t *topic) {
	s.topicSerial++
	t.serial = s.topicSerial
	g.topics[t.id] = t
	delete(g.destroyedTopics, t.id)
}

// destroyTopic removes a topic from g, and with it every permission
// group's permission in the topic. That a destroyed topic's permissions go
// is inferred: the docs of destroy_topic do not say, but a permission in a
// topic that does not exist cannot be used, and get_topic_permission_group
// then answers 110013 (invalid topic ID) for it.
func (g *group) destroyTopic(id string) {
	delete(g.topics, id)
	g.destroyedTopics[id] = true
	for _, p := range g.pgs {
		delete(p.topics, id)
		delete(p.deleted, id)
	}
}

// removeMember takes account out of g, and out of every permission group
// of g: inferred, as the docs do not say, since a permission group holds
// members of its community.
func (g *group) removeMember(account string) {
	delete(g.members, account)
	delete(g.profiles, account)
	for _, p := range g.pgs {
		delete(p.members, account)
	}
}

// topicsInOrder returns g's topics in the order they were made.
func (g *group) topicsInOrder() []*topic {
	return slices.SortedFunc(maps.Values(g.topics), func(a, b *topic) int { return cmp.Compare(a.serial, b.serial) })
}

// membersInOrder returns g's members in the order they joined.
func (g *group) membersInOrder() []string {
	return slices.SortedFunc(maps.Keys(g.members), func(a, b string) int { return cmp.Compare(g.profiles[a].serial, g.profiles[b].serial) })
}

// Topics returns the IDs of a community's topics, in the order they were
// made.
func (s *Server) Topics(groupID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupCommunity(groupID)
	if f != nil {
		return nil, f
	}
	topics := g.topicsInOrder()
	ids := make([]string, len(topics))
	for i, t := range topics {
		ids[i] = t.id
	}
	return ids, nil
}

// Members returns the members of a group with their roles, the owner
// included.
func (s *Server) Members(groupID string) (map[string]tim.Role, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return nil, f
	}
	return maps.Clone(g.members), nil
}
