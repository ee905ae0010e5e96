package timtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/timkit/tim"
)

// controlAddToCommunity serves POST /_timfake/add_to_community (see
// WithControlEndpoint): it adds topics and members to a community the fake
// has, as [Server.CreateTopic] and [Server.AddMember] do, and sends no
// callback. The body names the community, the topic IDs and the members'
// roles:
//
//	{"group_id": "@TGS#_demo", "topics": ["@TGS#_demo@TOPIC#_news"], "members": {"amy": "Admin", "bob": "Member"}}
//
// A topic the community has already stays as it is; a member's role is set.
// Everything is checked before anything changes: an unknown community, a
// topic ID that is not the community's ID + "@TOPIC#_" + a suffix of at
// most 96 bytes, a role other than Admin or Member, or the owner among the
// members answer 400 and change nothing.
func (s *Server) controlAddToCommunity(r *http.Request) (any, error) {
	var req struct {
		GroupID string              `json:"group_id"`
		Topics  []string            `json:"topics"`
		Members map[string]tim.Role `json:"members"`
	}
	if err := decodeControl(r, "add_to_community", maxControlBytes, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupCommunity(req.GroupID)
	if f != nil {
		return nil, fmt.Errorf("timtest: add_to_community: group_id: %s", f.info)
	}
	for i, t := range req.Topics {
		if !validTopicID(g.id, t) {
			return nil, fmt.Errorf("timtest: add_to_community: topics[%d]: %q is not %s%s + a suffix, at most %d bytes", i, t, g.id, topicInfix, maxTopicIDLen)
		}
	}
	accounts := slices.Sorted(maps.Keys(req.Members))
	for _, a := range accounts {
		switch role := req.Members[a]; {
		case a == "":
			return nil, fmt.Errorf("timtest: add_to_community: members: an account is empty")
		case role != tim.RoleAdmin && role != tim.RoleMember:
			return nil, fmt.Errorf("timtest: add_to_community: members[%q]: role %q is not Admin or Member", a, role)
		case g.members[a] == tim.RoleOwner:
			return nil, fmt.Errorf("timtest: add_to_community: members[%q]: the owner's role cannot change", a)
		}
	}
	for _, t := range req.Topics {
		if g.topics[t] == nil {
			s.addTopic(g, &topic{id: t, name: topicSuffix(g.id, t), created: s.now().Unix()})
		}
	}
	for _, a := range accounts {
		g.members[a] = req.Members[a]
		if g.profiles[a] == nil {
			g.profiles[a] = s.newProfile(s.now().Unix())
		}
	}
	return controlOK, nil
}
