package community

import (
	"math/bits"
	"strings"

	"github.com/timkit/tim"
)

// Via is the rule by which one source gives a bit of an [Answer].
type Via int

// The sources of a bit. The all-topics ones stand on an inferred rule (see
// [InAllTopics]); the others are the documented rule.
const (
	ViaOwner   Via = iota + 1 // the account is the community's owner: all
	ViaAdmin                  // the account is the app admin: all
	ViaDefault                // the community's default permission
	ViaGroup                  // a permission group's community permission
	// ViaTopicGrant: a permission group's permission in the topic.
	ViaTopicGrant
	// ViaAllTopicsDefault: a bit of the community default that covers
	// every topic (inferred).
	ViaAllTopicsDefault
	// ViaAllTopicsGroup: a bit of a permission group's community permission
	// that covers every topic (inferred).
	ViaAllTopicsGroup
)

// String returns "owner", "app admin", "community default", "group",
// "topic grant", "community default via the all-topics rule" or "group
// via the all-topics rule".
func (v Via) String() string {
	switch v {
	case ViaOwner:
		return "owner"
	case ViaAdmin:
		return "app admin"
	case ViaDefault:
		return "community default"
	case ViaGroup:
		return "group"
	case ViaTopicGrant:
		return "topic grant"
	case ViaAllTopicsDefault:
		return "community default via the all-topics rule"
	case ViaAllTopicsGroup:
		return "group via the all-topics rule"
	}
	return "Via(" + itoa(int(v)) + ")"
}

// Inferred reports whether the rule is inferred rather than documented:
// true for the all-topics sources.
func (v Via) Inferred() bool { return v == ViaAllTopicsDefault || v == ViaAllTopicsGroup }

// Source is one reason a bit of an [Answer] is set.
type Source struct {
	Via Via
	// PermissionGroupID is the group, for ViaGroup, ViaTopicGrant and
	// ViaAllTopicsGroup.
	PermissionGroupID string
	// From is the community bit the topic bit comes from, for
	// ViaAllTopicsDefault and ViaAllTopicsGroup.
	From tim.GroupPermission
	// Probable is set when the source is the probable part of the
	// all-topics mapping, which an answer does not count.
	Probable bool
}

// String says where the bit came from, e.g. "topic grant from @PMG#_mods",
// "community default ReadHistory via the all-topics rule (inferred)" or
// "community SendMessage from @PMG#_speakers via the all-topics rule
// (inferred)".
func (s Source) String() string {
	note := " via the all-topics rule (inferred)"
	if s.Probable {
		note = " via the all-topics rule (probable)"
	}
	switch s.Via {
	case ViaGroup:
		return "group " + s.PermissionGroupID
	case ViaTopicGrant:
		return "topic grant from " + s.PermissionGroupID
	case ViaAllTopicsDefault:
		return "community default " + s.From.String() + note
	case ViaAllTopicsGroup:
		return "community " + s.From.String() + " from " + s.PermissionGroupID + note
	}
	return s.Via.String()
}

// BitReason is one bit of an [Answer] and every source that gives it.
type BitReason[P Perm] struct {
	Bit     P
	Sources []Source
	// Probable is set for a bit that only the probable part of the
	// all-topics mapping gives: it is in the answer's Probable, not in its
	// Permission.
	Probable bool
}

// Inferred reports whether the bit stands on the inferred all-topics rule
// alone: every source is inferred.
func (r BitReason[P]) Inferred() bool {
	for _, s := range r.Sources {
		if !s.Via.Inferred() {
			return false
		}
	}
	return len(r.Sources) > 0
}

// String prints the bit and its sources, e.g. "SendMessage: topic grant
// from @PMG#_a; community SendMessage from @PMG#_b via the all-topics rule
// (inferred)", or, for a probable bit, "probably ManageTopicInfo (not
// counted): …".
func (r BitReason[P]) String() string {
	var b strings.Builder
	if r.Probable {
		b.WriteString("probably " + r.Bit.String() + " (not counted): ")
	} else {
		b.WriteString(r.Bit.String() + ": ")
	}
	for i, s := range r.Sources {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// knownBits is the mask of the named bits of P.
func knownBits[P Perm]() uint64 {
	var p P
	if _, ok := any(p).(tim.GroupPermission); ok {
		return uint64(tim.GroupPermBanMembers<<1 - 1)
	}
	return uint64(tim.TopicPermAtAll<<1 - 1)
}

// Reasons returns each bit of Permission, lowest first, with every source
// that gives it, then each bit of Probable (with Probable set). For the
// owner and the app admin it returns every named bit, each by ViaOwner or
// ViaAdmin alone.
func (a Answer[P]) Reasons() []BitReason[P] {
	var out []BitReason[P]
	if a.Rule != RuleDefaultAndGroups {
		via := ViaOwner
		if a.Rule == RuleAdmin {
			via = ViaAdmin
		}
		for rest := knownBits[P](); rest != 0; rest &= rest - 1 {
			out = append(out, BitReason[P]{Bit: P(rest & -rest), Sources: []Source{{Via: via}}})
		}
		return out
	}
	for _, probable := range []bool{false, true} {
		set := uint64(a.Permission)
		if probable {
			set = uint64(a.Probable)
		}
		for rest := set; rest != 0; rest &= rest - 1 {
			bit := uint64(1) << bits.TrailingZeros64(rest)
			out = append(out, BitReason[P]{Bit: P(bit), Sources: a.sources(bit, probable), Probable: probable})
		}
	}
	return out
}

// sources lists what gives bit, of the default and groups rule.
func (a Answer[P]) sources(bit uint64, probable bool) []Source {
	var out []Source
	if !probable {
		if uint64(a.Default)&bit != 0 {
			out = append(out, Source{Via: ViaDefault})
		}
		via := ViaGroup
		if a.Community != nil {
			via = ViaTopicGrant
		}
		for _, g := range a.Groups {
			if uint64(g.Permission)&bit != 0 {
				out = append(out, Source{Via: via, PermissionGroupID: g.PermissionGroupID})
			}
		}
	}
	c := a.Community
	if c == nil {
		return out
	}
	for _, m := range allTopics {
		if uint64(m.topic) != bit || m.probable != probable {
			continue
		}
		if c.Default&m.community != 0 {
			out = append(out, Source{Via: ViaAllTopicsDefault, From: m.community, Probable: probable})
		}
		for _, g := range c.Groups {
			if g.Permission&m.community != 0 {
				out = append(out, Source{Via: ViaAllTopicsGroup, PermissionGroupID: g.PermissionGroupID, From: m.community, Probable: probable})
			}
		}
	}
	return out
}

// Explain prints the answer on several lines: what the account may do by
// which rule, one line per bit with its sources ([Answer.Reasons]), and
// what the answer had to assume (the switch, an unknown default, a
// topic's default, the inferred all-topics rule).
func (a Answer[P]) Explain() string {
	var b strings.Builder
	b.WriteString(a.Account)
	if a.TopicID != "" {
		b.WriteString(" in " + a.TopicID)
	}
	b.WriteString(": " + a.Permission.String() + " (" + a.Rule.String() + ")\n")
	reasons := a.Reasons()
	inferred := false
	for _, r := range reasons {
		b.WriteString("  " + r.String() + "\n")
		for _, s := range r.Sources {
			inferred = inferred || s.Via.Inferred()
		}
	}
	if len(reasons) == 0 {
		b.WriteString("  no permission: no default bit and no group grants one here\n")
	}
	switch a.Topic {
	case TopicMuted:
		b.WriteString("  all members are muted in this topic (mute_all): they cannot send, whatever the above (for the owner and the app admin, inferred)\n")
	case TopicMissing:
		b.WriteString("  the community has no such topic: the above is what the account would have in it\n")
	}
	switch {
	case a.State == GroupsDisabled && !a.Enforced():
		b.WriteString("  permission groups are disabled in this community: its roles decide, and the above is what permission groups would give\n")
	case a.State == GroupsStateUnknown:
		b.WriteString("  whether permission groups are enabled is not known (get_group_info did not say): answered as if they were\n")
	}
	if a.Rule != RuleDefaultAndGroups {
		return b.String()
	}
	if known := a.DefaultKnown || a.Community != nil && a.Community.DefaultKnown; !known {
		b.WriteString("  the community's default permission is not known: counted as 0\n")
	}
	if a.Community != nil {
		b.WriteString("  a topic's own default permission has no REST field: counted as 0\n")
	}
	if inferred {
		b.WriteString("  inferred: community mute, send, @all, history and recall bits apply in every topic (see InAllTopics)\n")
	}
	return b.String()
}
