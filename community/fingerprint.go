package community

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Fingerprint is what a [Plan] depends on: for each part of the community
// the plan read and would be different without, a digest of what it held
// ("sha256:" and hex), or "absent". [CheckPlan] reads the parts again and
// refuses the plan when any differs. The parts, by key:
//
//	permission_groups             the IDs of every group (when the spec prunes)
//	permission_group ID           the group's name, permission and, when the
//	                              spec manages it, custom string; "absent"
//	permission_group ID topics    its topic permissions, when managed
//	permission_group ID members   its members, when managed
//	settings NAME                 each managed setting ("absent": unknown)
//	topics                        the IDs of every topic (with prune_topics)
//	topic ID                      the topic's managed fields; "absent"
//	topic ID grants               the grants in a topic the plan destroys or keeps
//
// for each group the spec names, for each group the plan destroys (all
// three), for each topic the spec lists, and for each topic the plan
// destroys or keeps (all its fields, and its grants). Parts the spec does not manage
// are left out, so a change there does not make the plan stale. A key a
// reader does not know is compared like any other.
type Fingerprint map[string]string

// The fingerprint's part keys and values.
const (
	partListing  = "permission_groups"
	partGroup    = "permission_group "
	partSettings = "settings "
	partTopics   = "topics"
	partTopic    = "topic "
	absent       = "absent"
)

// fingerprintOf returns the fingerprint of what a plan of spec depends on
// in s. It is pure: Diff and CheckPlan compute it the same way.
func fingerprintOf(s *Snapshot, spec *Spec) Fingerprint {
	f := Fingerprint{}
	f.addCommunity(s, spec)
	named := make(map[string]bool, len(spec.PermissionGroups))
	for i := range spec.PermissionGroups {
		g := &spec.PermissionGroups[i]
		named[g.ID] = true
		cur := s.PermissionGroup(g.ID)
		if cur == nil {
			f[partGroup+g.ID] = absent
			continue
		}
		f.addGroup(cur, g.CustomString != nil, g.Topics != nil, g.Members != nil)
	}
	if !spec.Prune {
		return f
	}
	ids := make([]string, 0, len(s.PermissionGroups))
	for i := range s.PermissionGroups {
		g := &s.PermissionGroups[i]
		ids = append(ids, g.ID)
		if !named[g.ID] && (!g.ServerMade() || spec.PruneServerMade) {
			f.addGroup(g, true, true, true) // destroyed: all of it is shown
		}
	}
	slices.Sort(ids)
	f[partListing] = digest(ids)
	return f
}

// addGroup adds the parts of g: its fields, and its custom string, topics
// and members when asked.
func (f Fingerprint) addGroup(g *PermissionGroup, customString, topics, members bool) {
	fields := struct {
		Name         string  `json:"name"`
		Permission   uint64  `json:"permission"`
		CustomString *string `json:"custom_string,omitempty"`
	}{Name: g.Name, Permission: uint64(g.Permission)}
	if customString {
		fields.CustomString = &g.CustomString
	}
	f[partGroup+g.ID] = digest(fields)
	if topics {
		grants := make([][2]any, 0, len(g.Topics))
		for _, t := range sortedKeys(g.Topics) {
			grants = append(grants, [2]any{t, uint64(g.Topics[t])})
		}
		f[partGroup+g.ID+" topics"] = digest(grants)
	}
	if members {
		f[partGroup+g.ID+" members"] = digest(sortedView(g.Members))
	}
}

func digest(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic("community: fingerprint: " + err.Error()) // strings, numbers and lists only
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// changes describes, sorted, each part that differs between f (the plan's)
// and now (the community's as read again).
func (f Fingerprint) changes(now Fingerprint) []string {
	keys := map[string]bool{}
	for k := range f {
		keys[k] = true
	}
	for k := range now {
		keys[k] = true
	}
	var out []string
	for _, k := range sortedKeys(keys) {
		was, is := f[k], now[k]
		switch {
		case was == is:
			continue
		case k == partListing:
			out = append(out, "the list of permission groups changed")
			continue
		case !strings.HasPrefix(k, partGroup):
			if c := communityChange(k, was, is); c != "" {
				out = append(out, c)
			}
			continue
		}
		id, what, _ := strings.Cut(strings.TrimPrefix(k, partGroup), " ")
		switch {
		case what != "" && (was == "" || is == ""):
			continue // comes with the group's own part
		case what != "":
			out = append(out, "the "+what+" of permission group "+id+" changed")
		case was == absent || was == "":
			out = append(out, "permission group "+id+" was created")
		case is == absent || is == "":
			out = append(out, "permission group "+id+" was destroyed")
		default:
			out = append(out, "permission group "+id+" changed (name, permission or custom string)")
		}
	}
	return out
}
