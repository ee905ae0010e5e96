package community

import (
	"maps"
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// Snapshot is the permission model of one community at the time it was
// read: what [Load] returns and what [Diff], [NewAccess] and [Export] work
// from. A snapshot is plain data; tests and callers may build one by hand.
type Snapshot struct {
	// GroupID is the community's GroupId ("@TGS#_…").
	GroupID string
	// Owner is the community's owner (Owner_Account of get_group_info),
	// who has every permission; "" when not known.
	Owner string
	// Admin is the app admin the snapshot was read as (the client's
	// identifier), who has every permission too; "" when not known.
	Admin string
	// PermissionGroupsEnabled is the community's "permission groups
	// enabled" switch; nil when get_group_info did not say.
	//
	// Inferred: read from EnablePermission, a field the official REST pages
	// do not show (see [tim.GroupInfo]).
	PermissionGroupsEnabled *bool
	// DefaultPermission is what every member of the community may do,
	// whatever their permission groups; nil when get_group_info did not
	// say (it then counts as 0).
	//
	// Inferred, as PermissionGroupsEnabled: read from DefaultPermission.
	DefaultPermission *tim.GroupPermission
	// Topics are the community's topics, sorted by ID (get_topic, one call
	// for all); empty when it has none, or when TopicsUnsupported. Load
	// always sets it; nil in a snapshot built without a topic list, for
	// which Access cannot say whether a topic exists.
	Topics []Topic
	// TopicsUnsupported is set when the community does not support topics
	// (get_topic answered 11000, tim.ErrCommunityNotSupported): it then
	// has none, and a spec that lists topics cannot be applied to it.
	TopicsUnsupported bool
	// PermissionGroups are the community's permission groups, sorted by ID.
	PermissionGroups []PermissionGroup
}

// PermissionGroup is one permission group of a [Snapshot], with its topic
// permissions and members.
type PermissionGroup struct {
	// ID is the PermissionGroupId: "@PMG#_…", or "@PMG#_@PMG#…" when the
	// service made it.
	ID string
	// Name is the PermissionGroupName.
	Name string
	// CustomString is the app's own data attached to the group.
	CustomString string
	// Permission is what the group's members may do in the community.
	Permission tim.GroupPermission
	// Topics maps a topic ID to the group's permission in it; a topic that
	// is not a key has no permission of this group.
	Topics map[string]tim.TopicPermission
	// Members are the accounts in the group, sorted.
	Members []string
}

// ServerMade reports whether the service made the group's ID
// ("@PMG#_@PMG#…"), as it does for a group created without a custom ID.
// A spec cannot name such a group (see [Export]).
func (g *PermissionGroup) ServerMade() bool {
	return strings.HasPrefix(g.ID, tim.PermissionGroupIDPrefix+"@PMG#")
}

// PermissionGroup returns the permission group with the given ID, or nil.
func (s *Snapshot) PermissionGroup(id string) *PermissionGroup {
	return findByID(s.PermissionGroups, id, func(g *PermissionGroup) string { return g.ID })
}

// findByID returns the entry of list whose key is id, or nil: a binary
// search, then a scan, since a snapshot built by hand may not be sorted.
func findByID[T any](list []T, id string, key func(*T) string) *T {
	i, ok := slices.BinarySearchFunc(list, id, func(e T, id string) int { return strings.Compare(key(&e), id) })
	if ok {
		return &list[i]
	}
	for i := range list {
		if key(&list[i]) == id {
			return &list[i]
		}
	}
	return nil
}

// Memberships returns how many (permission group, account) pairs the
// snapshot holds.
func (s *Snapshot) Memberships() int {
	n := 0
	for i := range s.PermissionGroups {
		n += len(s.PermissionGroups[i].Members)
	}
	return n
}

// Clone returns a deep copy of s.
func (s *Snapshot) Clone() *Snapshot {
	c := *s
	if s.PermissionGroupsEnabled != nil {
		c.PermissionGroupsEnabled = tim.Ptr(*s.PermissionGroupsEnabled)
	}
	if s.DefaultPermission != nil {
		c.DefaultPermission = tim.Ptr(*s.DefaultPermission)
	}
	c.Topics = slices.Clone(s.Topics)
	c.PermissionGroups = make([]PermissionGroup, len(s.PermissionGroups))
	for i, g := range s.PermissionGroups {
		g.Topics = maps.Clone(g.Topics)
		if g.Topics == nil {
			g.Topics = map[string]tim.TopicPermission{}
		}
		g.Members = slices.Clone(g.Members)
		c.PermissionGroups[i] = g
	}
	return &c
}

// sortGroups sorts a snapshot's topics and groups by ID and each group's
// members.
func (s *Snapshot) sortGroups() {
	slices.SortFunc(s.Topics, func(a, b Topic) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(s.PermissionGroups, func(a, b PermissionGroup) int { return strings.Compare(a.ID, b.ID) })
	for i := range s.PermissionGroups {
		if !slices.IsSorted(s.PermissionGroups[i].Members) {
			slices.Sort(s.PermissionGroups[i].Members)
		}
	}
}
