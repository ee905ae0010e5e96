package timtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// GroupType is a group type of the Chat service.
type GroupType string

// The group types. Permission groups exist only in communities;
// get_role_in_group serves every type but AVChatRoom.
const (
	Community  GroupType = "Community"
	Public     GroupType = "Public"
	Private    GroupType = "Private" // "Work" in the new naming
	Work       GroupType = "Work"
	ChatRoom   GroupType = "ChatRoom" // "Meeting" in the new naming
	Meeting    GroupType = "Meeting"
	AVChatRoom GroupType = "AVChatRoom"
)

// Documented limits the fake enforces.
const (
	maxTopicIDLen         = 96
	maxPermGroupNameBytes = 150
	maxCustomStringBytes  = 3000
	serverMadePrefix      = "@PMG#_@PMG#"
	permGroupPrefix       = "@PMG#_"
	topicInfix            = "@TOPIC#_"
)

type group struct {
	id        string
	typ       GroupType
	created   int64 // Unix seconds, by the fake's clock
	dissolved bool
	// The community's permission-group switch and default permission, as
	// get_group_info answers them (EnablePermission, DefaultPermission:
	// names inferred, see tim.GroupInfo).
	permEnabled bool
	defaultPerm tim.GroupPermission
	members     map[string]tim.Role // the owner included
	profiles    map[string]*profile // of every member
	topics      map[string]*topic
	pgs         map[string]*permGroup
	groupProfile
}

// profile is a member's group profile.
type profile struct {
	joinTime int64  // Unix seconds, by the fake's clock
	serial   uint64 // when it joined, from Server.memberSerial: the member list's order
	memberState
	MemberProfile
}

// MemberProfile is the group profile of a community member that
// get_permission_group_member_list returns with the member, besides its
// role and join time; seed it with [Server.SetMemberProfile].
type MemberProfile struct {
	// NameCard is the member's name card in the group.
	NameCard string
	// CustomData holds the member's custom fields (AppMemberDefinedData).
	CustomData map[string]string
}

type permGroup struct {
	id         string
	name       string
	custom     string
	permission tim.GroupPermission
	serial     uint64 // creation order, the pagination key
	topics     map[string]tim.TopicPermission
	deleted    map[string]bool   // topics whose permission was deleted
	members    map[string]uint64 // account → when it was added (a serial), the pagination key
}

// PermissionGroup seeds a permission group with [Server.CreatePermissionGroup].
type PermissionGroup struct {
	// ID is a custom ID ("@PMG#_" + printable ASCII, not "@PMG#_@PMG#...");
	// empty lets the fake make one ("@PMG#_@PMG#...").
	ID           string
	Name         string
	CustomString string
	Permission   tim.GroupPermission
}

// fail is a service error code with the text the fake answers it with.
type fail struct {
	code tim.ErrorCode
	info string
}

func (f *fail) Error() string { return fmt.Sprintf("timtest: %d: %s", int(f.code), f.info) }

// Unwrap lets seeding errors match the SDK's sentinels.
func (f *fail) Unwrap() error { return f.code }

func failf(code tim.ErrorCode, format string, args ...any) *fail {
	return &fail{code: code, info: fmt.Sprintf(format, args...)}
}

// CreateGroup adds a group of type typ owned by owner. Community IDs must
// start "@TGS#_".
func (s *Server) CreateGroup(groupID string, typ GroupType, owner string) error {
	if groupID == "" || owner == "" {
		return failf(tim.ErrInvalidParameter, "group ID and owner are required")
	}
	if typ == Community && !strings.HasPrefix(groupID, "@TGS#_") {
		return failf(tim.ErrInvalidGroupID, "community IDs start with @TGS#_")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if g, ok := s.groups[groupID]; ok && !g.dissolved {
		return failf(tim.ErrInvalidParameter, "group %s already exists", groupID)
	}
	s.groups[groupID] = &group{
		id:           groupID,
		typ:          typ,
		created:      s.now().Unix(),
		permEnabled:  typ == Community,
		members:      map[string]tim.Role{owner: tim.RoleOwner},
		profiles:     map[string]*profile{owner: s.newProfile(s.now().Unix())},
		topics:       map[string]*topic{},
		pgs:          map[string]*permGroup{},
		groupProfile: groupProfile{name: groupID, destroyedTopics: map[string]bool{}},
	}
	return nil
}

// CreateCommunity adds a community owned by owner.
func (s *Server) CreateCommunity(groupID, owner string) error {
	return s.CreateGroup(groupID, Community, owner)
}

// SetPermissionDefaults sets a community's "permission groups enabled"
// switch and its default permission, which get_group_info answers as
// EnablePermission and DefaultPermission. A new community has permission
// groups enabled and a default permission of 0.
func (s *Server) SetPermissionDefaults(groupID string, enabled bool, defaults tim.GroupPermission) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupCommunity(groupID)
	if f != nil {
		return f
	}
	g.permEnabled, g.defaultPerm = enabled, defaults
	return nil
}

// DissolveGroup dissolves a group: calls about it answer 10010 afterwards.
func (s *Server) DissolveGroup(groupID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return f
	}
	g.dissolved = true
	return nil
}

// AddMember adds account to the group as role [tim.RoleAdmin] or
// [tim.RoleMember], or changes its role.
func (s *Server) AddMember(groupID, account string, role tim.Role) error {
	if account == "" || (role != tim.RoleAdmin && role != tim.RoleMember) {
		return failf(tim.ErrInvalidParameter, "need an account and the role Admin or Member")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return f
	}
	if g.members[account] == tim.RoleOwner {
		return failf(tim.ErrInvalidParameter, "%s is the owner", account)
	}
	g.members[account] = role
	if g.profiles[account] == nil {
		g.profiles[account] = s.newProfile(s.now().Unix())
	}
	return nil
}

// SetMemberProfile sets the name card and custom fields of a member of the
// group (the owner included), which get_permission_group_member_list
// returns with the member.
func (s *Server) SetMemberProfile(groupID, account string, p MemberProfile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return f
	}
	prof, ok := g.profiles[account]
	if !ok {
		return failf(tim.ErrInvalidParameter, "%s is not a member of %s", account, groupID)
	}
	prof.MemberProfile = MemberProfile{NameCard: p.NameCard, CustomData: maps.Clone(p.CustomData)}
	return nil
}

// CreateTopic adds a topic to a community, named after its ID's suffix,
// unless it has it already. Its ID must be the community's ID + "@TOPIC#_"
// + a suffix, at most 96 bytes. It sends no callback.
func (s *Server) CreateTopic(groupID, topicID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupCommunity(groupID)
	if f != nil {
		return f
	}
	if !validTopicID(groupID, topicID) {
		return failf(tim.ErrInvalidTopicID, "topic ID %q is not %s%s... of at most %d bytes", topicID, groupID, topicInfix, maxTopicIDLen)
	}
	if g.topics[topicID] == nil {
		s.addTopic(g, &topic{id: topicID, name: topicSuffix(groupID, topicID), created: s.now().Unix()})
	}
	return nil
}

// CreatePermissionGroup adds a permission group to a community and returns
// its ID.
func (s *Server) CreatePermissionGroup(groupID string, pg PermissionGroup) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, f := s.lookupCommunity(groupID)
	if f != nil {
		return "", f
	}
	p, f := s.createPermGroup(g, pg)
	if f != nil {
		return "", f
	}
	return p.id, nil
}

// createPermGroup validates and adds a permission group. The caller holds s.mu.
func (s *Server) createPermGroup(g *group, pg PermissionGroup) (*permGroup, *fail) {
	switch {
	case pg.Name == "":
		return nil, failf(tim.ErrInvalidParameter, "PermissionGroupName is required")
	case len(pg.Name) > maxPermGroupNameBytes:
		return nil, failf(tim.ErrInvalidParameter, "PermissionGroupName exceeds %d bytes", maxPermGroupNameBytes)
	case len(pg.CustomString) > maxCustomStringBytes:
		return nil, failf(tim.ErrInvalidParameter, "CustomString exceeds %d bytes", maxCustomStringBytes)
	}
	s.pgSerial++
	id := pg.ID
	if id == "" {
		id = fmt.Sprintf("%sc%06X", serverMadePrefix, s.pgSerial)
	} else if f := checkCustomPermGroupID(id); f != nil {
		return nil, f
	}
	if _, exists := g.pgs[id]; exists {
		// The docs name no code for it; the SDK and the fake use 10021,
		// the code for a group ID in use.
		return nil, failf(tim.ErrIDInUse, "permission group ID %s is already in use", id)
	}
	p := &permGroup{
		id: id, name: pg.Name, custom: pg.CustomString, permission: pg.Permission, serial: s.pgSerial,
		topics: map[string]tim.TopicPermission{}, deleted: map[string]bool{}, members: map[string]uint64{},
	}
	g.pgs[id] = p
	return p, nil
}

// SetTopicPermission gives a permission group perm in a topic of the community.
func (s *Server) SetTopicPermission(groupID, permissionGroupID, topicID string, perm tim.TopicPermission) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, p, f := s.lookupPermGroup(groupID, permissionGroupID)
	if f != nil {
		return f
	}
	if g.topics[topicID] == nil {
		return failf(tim.ErrInvalidTopicID, "no topic %s in %s", topicID, groupID)
	}
	p.topics[topicID] = perm
	delete(p.deleted, topicID)
	return nil
}

// DeleteTopicPermission removes a topic's permission from a permission group;
// asking for it afterwards answers 110014.
func (s *Server) DeleteTopicPermission(groupID, permissionGroupID, topicID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p, f := s.lookupPermGroup(groupID, permissionGroupID)
	if f != nil {
		return f
	}
	if _, ok := p.topics[topicID]; !ok {
		return failf(tim.ErrTopicNotInPermissionGroup, "topic %s is not in %s", topicID, permissionGroupID)
	}
	delete(p.topics, topicID)
	p.deleted[topicID] = true
	return nil
}

// AddPermissionGroupMembers puts community members into a permission group.
func (s *Server) AddPermissionGroupMembers(groupID, permissionGroupID string, accounts ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, p, f := s.lookupPermGroup(groupID, permissionGroupID)
	if f != nil {
		return f
	}
	for _, a := range accounts {
		if _, ok := g.members[a]; !ok {
			return failf(tim.ErrInvalidParameter, "%s is not a member of %s", a, groupID)
		}
	}
	for _, a := range accounts {
		s.addPermGroupMember(p, a)
	}
	return nil
}

// PermissionGroupMembers returns the members of a permission group, sorted.
func (s *Server) PermissionGroupMembers(groupID, permissionGroupID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p, f := s.lookupPermGroup(groupID, permissionGroupID)
	if f != nil {
		return nil, f
	}
	return slices.Sorted(maps.Keys(p.members)), nil
}

// DestroyPermissionGroup removes a permission group with its topic
// permissions and members.
func (s *Server) DestroyPermissionGroup(groupID, permissionGroupID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, _, f := s.lookupPermGroup(groupID, permissionGroupID)
	if f != nil {
		return f
	}
	delete(g.pgs, permissionGroupID)
	return nil
}

// addPermGroupMember puts account into p, keeping its place if it is
// already there. The caller holds s.mu.
func (s *Server) addPermGroupMember(p *permGroup, account string) {
	if _, ok := p.members[account]; ok {
		return
	}
	s.memberSerial++
	p.members[account] = s.memberSerial
}

// lookupGroup finds a live group of any type. The caller holds s.mu.
func (s *Server) lookupGroup(groupID string) (*group, *fail) {
	if groupID == "" {
		return nil, failf(tim.ErrInvalidParameter, "GroupId is required")
	}
	g, ok := s.groups[groupID]
	if !ok || g.dissolved {
		return nil, failf(tim.ErrGroupNotFound, "group %s does not exist or was dissolved", groupID)
	}
	return g, nil
}

// lookupCommunity finds a live community, answering as the
// permission-group endpoints do (but for 11000: see communityOnly). The
// caller holds s.mu.
func (s *Server) lookupCommunity(groupID string) (*group, *fail) {
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return nil, f
	}
	if g.typ != Community {
		return nil, failf(tim.ErrNoPermission, "group type %s does not support permission groups", g.typ)
	}
	return g, nil
}

// lookupPermGroup finds a permission group of a live community. The caller holds s.mu.
func (s *Server) lookupPermGroup(groupID, permissionGroupID string) (*group, *permGroup, *fail) {
	g, f := s.lookupCommunity(groupID)
	if f != nil {
		return nil, nil, f
	}
	if !strings.HasPrefix(permissionGroupID, permGroupPrefix) {
		return nil, nil, failf(tim.ErrInvalidPermissionGroupID, "permission group IDs start with %s", permGroupPrefix)
	}
	p, ok := g.pgs[permissionGroupID]
	if !ok {
		return nil, nil, failf(tim.ErrPermissionGroupNotFound, "permission group %s does not exist or was dissolved", permissionGroupID)
	}
	return g, p, nil
}

func checkCustomPermGroupID(id string) *fail {
	if !strings.HasPrefix(id, permGroupPrefix) || strings.HasPrefix(id, serverMadePrefix) || len(id) == len(permGroupPrefix) {
		return failf(tim.ErrInvalidPermissionGroupID, "custom IDs are %s + a suffix and must not start %s", permGroupPrefix, serverMadePrefix)
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7e {
			return failf(tim.ErrInvalidPermissionGroupID, "custom IDs are printable ASCII")
		}
	}
	return nil
}

func validTopicID(groupID, topicID string) bool {
	prefix := groupID + topicInfix
	return len(topicID) > len(prefix) && len(topicID) <= maxTopicIDLen && strings.HasPrefix(topicID, prefix)
}
