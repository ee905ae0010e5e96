package main

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/timkit/tim/community"
)

// accessJSON is tim access -json: one document, format_version 1.
// Permissions are lists of names as String prints them (hex for bits
// without a name; the owner's and the admin's "all" is every named bit).
type accessJSON struct {
	FormatVersion int    `json:"format_version"`
	GroupID       string `json:"group_id"`
	Account       string `json:"account"`
	// Role is get_role_in_group's answer: Owner, Admin, Member or
	// NotMember. An account that is not a member, but for the app admin,
	// may do nothing: the document then has no more fields.
	Role string `json:"role"`
	// PermissionGroupsEnabled is the community's switch (inferred), and
	// DefaultPermission the community default (inferred); each is left out
	// when not known.
	PermissionGroupsEnabled *bool       `json:"permission_groups_enabled,omitempty"`
	DefaultPermission       []string    `json:"default_permission,omitempty"`
	PermissionGroups        []jsonGroup `json:"permission_groups,omitempty"`
	Community               *jsonAnswer `json:"community,omitempty"`
	Topic                   *jsonAnswer `json:"topic,omitempty"`
}

type jsonGroup struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Permission []string `json:"permission"`
}

// jsonAnswer is a community.Answer.
type jsonAnswer struct {
	TopicID string `json:"topic_id,omitempty"`
	// TopicState is, for a topic, "exists", "muted" (all members are muted
	// there: they cannot send, whatever permission says) or "missing".
	TopicState string   `json:"topic_state,omitempty"`
	Permission []string `json:"permission"`
	// Rule is "owner", "admin" or "default_and_groups".
	Rule string `json:"rule"`
	// Enforced is false when permission groups are disabled and the rule
	// is default_and_groups: roles decide then.
	Enforced bool      `json:"enforced"`
	Bits     []jsonBit `json:"bits"`
	// Probable are the topic bits the probable part of the all-topics
	// mapping would add, not counted in permission.
	Probable []string `json:"probable,omitempty"`
	// Explanation is what tim access prints for the answer.
	Explanation string `json:"explanation"`
}

type jsonBit struct {
	Bit string `json:"bit"`
	// Probable is set for a bit in probable, not in permission; Inferred
	// when every source stands on the inferred all-topics rule.
	Probable bool         `json:"probable,omitempty"`
	Inferred bool         `json:"inferred,omitempty"`
	Sources  []jsonSource `json:"sources"`
}

type jsonSource struct {
	// Via is "owner", "admin", "default", "group", "topic_grant",
	// "all_topics_default" or "all_topics_group".
	Via               string `json:"via"`
	PermissionGroupID string `json:"permission_group_id,omitempty"`
	// From is the community bit a topic bit comes from, by the
	// all-topics rule.
	From     string `json:"from,omitempty"`
	Inferred bool   `json:"inferred,omitempty"`
	Probable bool   `json:"probable,omitempty"`
}

func (r *accessReport) writeJSON(w io.Writer) error {
	doc := accessJSON{FormatVersion: 1, GroupID: r.group, Account: r.account, Role: string(r.role)}
	if r.snap != nil {
		doc.PermissionGroupsEnabled = r.snap.PermissionGroupsEnabled
		if d := r.snap.DefaultPermission; d != nil {
			doc.DefaultPermission = permNames(*d)
		}
		doc.PermissionGroups = []jsonGroup{}
		for _, g := range r.community.Groups {
			doc.PermissionGroups = append(doc.PermissionGroups, jsonGroup{ID: g.PermissionGroupID, Name: g.Name, Permission: permNames(g.Permission)})
		}
		doc.Community = answerJSON(r.community)
		if r.topic != nil {
			doc.Topic = answerJSON(*r.topic)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func answerJSON[P community.Perm](a community.Answer[P]) *jsonAnswer {
	out := &jsonAnswer{TopicID: a.TopicID, Permission: permNames(a.Permission), Rule: ruleName(a.Rule), Enforced: a.Enforced(),
		Bits: []jsonBit{}, Explanation: a.Explain()}
	if a.TopicID != "" && a.Topic != community.TopicUnknown {
		out.TopicState = a.Topic.String()
	}
	if a.Probable != 0 {
		out.Probable = permNames(a.Probable)
	}
	for _, r := range a.Reasons() {
		bit := jsonBit{Bit: r.Bit.String(), Probable: r.Probable, Inferred: r.Inferred(), Sources: []jsonSource{}}
		for _, s := range r.Sources {
			src := jsonSource{Via: viaName(s.Via), PermissionGroupID: s.PermissionGroupID, Inferred: s.Via.Inferred(), Probable: s.Probable}
			if s.From != 0 {
				src.From = s.From.String()
			}
			bit.Sources = append(bit.Sources, src)
		}
		out.Bits = append(out.Bits, bit)
	}
	return out
}

// permNames lists the names p prints as ([] for 0).
func permNames[P community.Perm](p P) []string {
	if s := p.String(); s != "0" {
		return strings.Split(s, "|")
	}
	return []string{}
}

func ruleName(r community.Rule) string {
	switch r {
	case community.RuleOwner:
		return "owner"
	case community.RuleAdmin:
		return "admin"
	}
	return "default_and_groups"
}

func viaName(v community.Via) string {
	switch v {
	case community.ViaOwner:
		return "owner"
	case community.ViaAdmin:
		return "admin"
	case community.ViaDefault:
		return "default"
	case community.ViaGroup:
		return "group"
	case community.ViaTopicGrant:
		return "topic_grant"
	case community.ViaAllTopicsDefault:
		return "all_topics_default"
	case community.ViaAllTopicsGroup:
		return "all_topics_group"
	}
	return v.String()
}
