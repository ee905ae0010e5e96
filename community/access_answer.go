package community

import (
	"strings"

	"github.com/timkit/tim"
)

// Perm is a permission bitmask: of the community ([tim.GroupPermission])
// or of a topic ([tim.TopicPermission]).
type Perm interface {
	tim.GroupPermission | tim.TopicPermission
	String() string
}

// GroupsState is whether a community has permission groups enabled, as far
// as a snapshot knows.
type GroupsState int

// The states of the "permission groups enabled" switch. The switch is
// inferred (see [Snapshot.PermissionGroupsEnabled]).
const (
	GroupsStateUnknown GroupsState = iota // get_group_info did not say
	GroupsEnabled                         // permission groups decide what members may do
	GroupsDisabled                        // the community's roles decide; permission groups do not apply
)

// String returns "unknown", "enabled" or "disabled".
func (s GroupsState) String() string {
	switch s {
	case GroupsEnabled:
		return "enabled"
	case GroupsDisabled:
		return "disabled"
	}
	return "unknown"
}

// Rule is the rule an [Answer] follows.
type Rule int

// The rules of the Permission Group guide (trtc.io/document/59829).
const (
	// RuleDefaultAndGroups: the union of the default permission and of
	// every permission group the account is in; in a topic, of the topic
	// grants of those groups and of the community bits that cover all
	// topics (see [InAllTopics]).
	RuleDefaultAndGroups Rule = iota
	// RuleOwner: the community's owner has every permission.
	RuleOwner
	// RuleAdmin: the app admin has every permission.
	RuleAdmin
)

// String returns "default and groups", "owner" or "app admin".
func (r Rule) String() string {
	switch r {
	case RuleOwner:
		return "owner"
	case RuleAdmin:
		return "app admin"
	}
	return "default and groups"
}

// Grant is what one permission group gives its members, in an [Answer].
type Grant[P Perm] struct {
	PermissionGroupID string
	Name              string
	Permission        P
}

// Answer is what an account may do in a community or in one of its topics,
// and why, as [Access.Community] and [Access.Topic] work it out.
// [Answer.Reasons] names the rule and the groups behind each bit, and
// [Answer.Explain] prints them.
type Answer[P Perm] struct {
	Account string
	// TopicID is the topic asked about; "" for the community.
	TopicID string
	// Permission is what the account may do: tim.GroupPermAll or
	// tim.TopicPermAll by RuleOwner and RuleAdmin; otherwise, in the
	// community, Default OR the Permission of every entry of Groups, and in
	// a topic, Default OR the entries of Groups OR AllTopics.
	Permission P
	// Rule is the rule that gave Permission.
	Rule Rule
	// Default is the default permission that was part of the union, and
	// DefaultKnown whether it was known. The community's default is
	// inferred (see [Snapshot.DefaultPermission]) and counts as 0 when
	// unknown; a topic's default has no REST field we know of, so for a
	// topic Default is always 0 and DefaultKnown false (the community's
	// default still reaches the topic through AllTopics).
	Default      P
	DefaultKnown bool
	// Groups are the permission groups that were part of the union, by
	// ID: for the community every group the account is in; for a topic
	// those of them that grant a permission in the topic. They are filled
	// in for the owner and the admin too, for display.
	Groups []Grant[P]
	// AllTopics is, in an answer about a topic, the topic bits that the
	// account's community permission (Community.Permission) gives in every
	// topic: mute, send, @all, read history and recall, which the client
	// SDKs document as applying "in all topics of the community". That
	// this is how the service checks a topic is inferred ([InAllTopics]).
	// It is 0 in an answer about the community.
	AllTopics P
	// Probable is, in an answer about a topic, the topic bits that the
	// probable part of the mapping would add (ManageTopics → manage this
	// topic's info, ManagePermissionGroups → manage permission groups in
	// this topic): not counted in Permission, since nothing documents them.
	Probable P
	// Community is, in an answer about a topic, the account's answer for
	// the community, whose default and groups AllTopics comes from; nil in
	// an answer about the community.
	Community *Answer[tim.GroupPermission]
	// Topic is, in an answer about a topic, what the snapshot says of the
	// topic: whether the community has it, and whether all its members are
	// muted there. Permission does not depend on it: it is what the
	// account's permissions give, which a muted or missing topic does not
	// let it use. It is TopicUnknown in an answer about the community.
	Topic TopicState
	// State is the community's "permission groups enabled" switch. When it
	// is GroupsDisabled, permission groups and the default permission do
	// not apply: the community's roles (owner, admin, member) decide, which
	// a snapshot does not hold, and Permission is what the account would
	// have with permission groups enabled (for the owner and the admin,
	// all). See [Answer.Enforced]. While permission groups are enabled, a
	// community admin (the Admin role) is an ordinary member, which is why
	// an Access needs no roles.
	State GroupsState
}

// TopicState is what a snapshot says of the topic of an [Answer].
type TopicState int

// The states of a topic.
const (
	// TopicUnknown: the snapshot holds no topic list (one built by hand),
	// or the answer is about the community.
	TopicUnknown TopicState = iota
	// TopicExists: the community has the topic.
	TopicExists
	// TopicMuted: the community has the topic, and all its members are
	// muted there (mute_all): they cannot send, whatever their
	// permissions. That the owner and the app admin still can is inferred.
	TopicMuted
	// TopicMissing: the community has no such topic (the snapshot's list,
	// read with one get_topic, does not hold it).
	TopicMissing
)

// String returns "unknown", "exists", "muted" or "missing".
func (s TopicState) String() string {
	switch s {
	case TopicExists:
		return "exists"
	case TopicMuted:
		return "muted"
	case TopicMissing:
		return "missing"
	}
	return "unknown"
}

// Enforced reports whether the service applies Permission: true unless the
// community is known to have permission groups disabled (for the owner and
// the admin, always true).
func (a Answer[P]) Enforced() bool {
	return a.Rule != RuleDefaultAndGroups || a.State != GroupsDisabled
}

// String says what the account may do and why, on one line, e.g.
// "alice: SendMessage|AtAll = default SendMessage | @PMG#_mods AtAll",
// "bob in …@TOPIC#_news: SendMessage|ReadHistory = default 0 (unknown) |
// @PMG#_speakers SendMessage | all topics ReadHistory (inferred)" or
// "olga: all (owner)".
func (a Answer[P]) String() string {
	var b strings.Builder
	b.WriteString(a.Account)
	if a.TopicID != "" {
		b.WriteString(" in " + a.TopicID)
	}
	switch a.Rule {
	case RuleOwner, RuleAdmin:
		b.WriteString(": all (" + a.Rule.String() + ")")
	default:
		b.WriteString(": " + a.Permission.String() + " = default " + a.Default.String())
		if !a.DefaultKnown {
			b.WriteString(" (unknown)")
		}
		for _, g := range a.Groups {
			b.WriteString(" | " + g.PermissionGroupID + " " + g.Permission.String())
		}
		if a.AllTopics != 0 {
			b.WriteString(" | all topics " + a.AllTopics.String() + " (inferred)")
		}
	}
	switch a.Topic {
	case TopicMuted:
		b.WriteString("; all members are muted in the topic")
	case TopicMissing:
		b.WriteString("; the community has no such topic")
	}
	if a.State == GroupsDisabled {
		b.WriteString("; permission groups are disabled")
		if !a.Enforced() {
			b.WriteString(", so this does not apply")
		}
	}
	return b.String()
}
