package community_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// model is what the fake holds, rebuilt from a snapshot and the requests
// the fake ran, to check that no write was applied twice.
type model struct {
	groups map[string]*modelGroup
}

type modelGroup struct {
	topics  map[string]bool
	members map[string]bool
}

func newModel(s *community.Snapshot) *model {
	m := &model{groups: map[string]*modelGroup{}}
	for _, g := range s.PermissionGroups {
		mg := &modelGroup{topics: map[string]bool{}, members: map[string]bool{}}
		for t := range g.Topics {
			mg.topics[t] = true
		}
		for _, a := range g.Members {
			mg.members[a] = true
		}
		m.groups[g.ID] = mg
	}
	return m
}

// ran reports whether the fake ran the request's command and it succeeded:
// no fault replaced it (or the fault came after the command ran) and its
// code was 0.
func ran(r timtest.Request) bool {
	if r.Fault != nil && !r.Fault.Pass && !r.Fault.AfterApply {
		return false
	}
	return r.ErrorCode == 0
}

// replay applies the write requests to the model and returns every write
// of a change that already held when it ran: a create of an existing ID, an
// add of a member or topic the group had, a delete of a topic it lacked, a
// destroy of a group gone. Idempotent writes (modify, set, delete member)
// that the client may repeat are applied but not checked. The one repeat
// allowed is Apply's: the same write of an item sent again because the
// answer of the first was lost (the fake applied it and then dropped the
// answer), which the service answers "already so".
func (m *model) replay(reqs []timtest.Request) (twice []string) {
	lost := map[string]bool{} // command, group and item of a write whose answer was lost
	var body struct {
		ID      string   `json:"PermissionGroupId"`
		IDs     []string `json:"PermissionGroupIdList"`
		TopicID []string `json:"TopicIdList"`
		Topics  []struct {
			TopicID string `json:"TopicId"`
		} `json:"TopicPermissionList"`
		Members []struct {
			Account string `json:"Member_Account"`
		} `json:"MemberList"`
	}
	for i, r := range reqs {
		if !ran(r) {
			continue
		}
		body.ID, body.IDs, body.TopicID, body.Topics, body.Members = "", nil, nil, nil, nil
		if err := json.Unmarshal(r.Body, &body); err != nil {
			continue
		}
		g := m.groups[body.ID]
		answerLost := r.Fault != nil && r.Fault.AfterApply
		var item string // the item say is about
		say := func(format string, args ...any) {
			key := r.Command + " " + body.ID + " " + item
			if lost[key] {
				delete(lost, key) // the repeat of a lost answer's write
				return
			}
			twice = append(twice, fmt.Sprintf("request %d (%s): ", i, r.Command)+fmt.Sprintf(format, args...))
		}
		var items []string // the items of the request, marked lost after it
		sent := func(it string) {
			item = it
			items = append(items, r.Command+" "+body.ID+" "+it)
		}
		switch r.Command {
		case tim.CommandCreatePermissionGroup:
			sent("")
			if g != nil {
				say("created %s, which existed", body.ID)
			}
			m.groups[body.ID] = &modelGroup{topics: map[string]bool{}, members: map[string]bool{}}
		case tim.CommandDestroyPermissionGroup:
			for _, id := range body.IDs {
				body.ID = id
				sent(id)
				if m.groups[id] == nil {
					say("destroyed %s, which was gone", id)
				}
				delete(m.groups, id)
			}
		case tim.CommandAddTopicPermissionGroup:
			for _, t := range body.Topics {
				sent(t.TopicID)
				if g != nil && g.topics[t.TopicID] {
					say("added topic %s to %s, which had it", t.TopicID, body.ID)
				} else if g != nil {
					g.topics[t.TopicID] = true
				}
			}
		case tim.CommandDeleteTopicPermissionGroup:
			for _, t := range body.TopicID {
				sent(t)
				if g != nil && !g.topics[t] {
					say("deleted topic %s of %s, which lacked it", t, body.ID)
				} else if g != nil {
					delete(g.topics, t)
				}
			}
		case tim.CommandAddPermissionGroupMember:
			for _, a := range body.Members {
				sent(a.Account)
				if g != nil && g.members[a.Account] {
					say("added %s to %s, where it was", a.Account, body.ID)
				} else if g != nil {
					g.members[a.Account] = true
				}
			}
		case tim.CommandDeletePermissionGroupMember:
			for _, a := range body.Members {
				if g != nil {
					delete(g.members, a.Account)
				}
			}
		}
		if answerLost {
			for _, key := range items {
				lost[key] = true
			}
		}
	}
	return twice
}

// equal reports whether the model holds what s holds (groups, topics,
// members).
func (m *model) equal(s *community.Snapshot) bool {
	other := newModel(s)
	return maps.EqualFunc(m.groups, other.groups, func(a, b *modelGroup) bool {
		return maps.Equal(a.topics, b.topics) && maps.Equal(a.members, b.members)
	})
}

func (m *model) ids() []string { return slices.Sorted(maps.Keys(m.groups)) }
