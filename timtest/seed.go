package timtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// Seed is state for a fake, as a seed file holds it in JSON: communities
// with their owner, members, topics and, optionally, permission groups and
// the community's permission defaults. [DecodeSeed] reads a file,
// [Server.LoadSeed] and [Server.ApplySeed] add its state to a fake, and the
// timfake command loads one with --seed:
//
//	{"communities": [{"group_id": "@TGS#_demo", "owner": "leckie",
//	  "members": {"amy": "Admin", "peter": "Member"},
//	  "topics": ["@TGS#_demo@TOPIC#_general"],
//	  "permission_groups": [{"id": "@PMG#_mods", "name": "Moderators", "permission": 32,
//	    "topics": {"@TGS#_demo@TOPIC#_general": 8}, "members": ["amy"]}],
//	  "permission_defaults": {"enabled": true, "permission": 64}}]}
//
// Only group_id and owner are required, and a permission group's name.
// Permissions are the bitmasks as numbers ([tim.GroupPermission],
// [tim.TopicPermission]). A field the format does not have is an error, so
// that a misspelt one does not go unnoticed.
type Seed struct {
	// Communities are created in this order.
	Communities []SeedCommunity `json:"communities"`
}

// SeedCommunity is one community of a [Seed].
type SeedCommunity struct {
	// GroupID is the community's ID; it starts "@TGS#_".
	GroupID string `json:"group_id"`
	// Owner is the owner's account.
	Owner string `json:"owner"`
	// Members maps the other members' accounts to their role, Admin or
	// Member (the owner is Owner).
	Members map[string]tim.Role `json:"members,omitempty"`
	// Topics are the community's topic IDs: GroupID + "@TOPIC#_" + a suffix,
	// at most 96 bytes.
	Topics []string `json:"topics,omitempty"`
	// PermissionGroups are the community's permission groups, created in
	// this order.
	PermissionGroups []SeedPermissionGroup `json:"permission_groups,omitempty"`
	// PermissionDefaults, if set, are the community's permission-group
	// switch and default permission (otherwise: enabled, 0); see
	// [Server.SetPermissionDefaults].
	PermissionDefaults *SeedPermissionDefaults `json:"permission_defaults,omitempty"`
}

// SeedPermissionGroup is one permission group of a [SeedCommunity].
type SeedPermissionGroup struct {
	// ID is a custom ID ("@PMG#_" + printable ASCII); empty lets the fake
	// make one, as [Server.CreatePermissionGroup] does.
	ID string `json:"id,omitempty"`
	// Name is required, at most 150 bytes.
	Name string `json:"name"`
	// CustomString is at most 3000 bytes.
	CustomString string `json:"custom_string,omitempty"`
	// Permission is what the group's members may do in the community.
	Permission tim.GroupPermission `json:"permission,omitempty"`
	// Topics maps topics of the community to the group's permission in each.
	Topics map[string]tim.TopicPermission `json:"topics,omitempty"`
	// Members are accounts of the community (the owner or in Members).
	Members []string `json:"members,omitempty"`
}

// SeedPermissionDefaults are a community's permission-group switch and
// default permission, as [Server.SetPermissionDefaults] sets them. Both are
// applied: an omitted enabled turns permission groups off.
type SeedPermissionDefaults struct {
	// Enabled is the "permission groups enabled" switch.
	Enabled bool `json:"enabled"`
	// Permission is what every member may do, whatever their permission groups.
	Permission tim.GroupPermission `json:"permission"`
}

// DecodeSeed reads a seed file ([Seed]) and checks it: its JSON, with no
// unknown fields, and every value a fake would refuse. An error names the
// community and the field, e.g.
//
//	timtest: seed: communities[1] ("@TGS#_demo"): members["amy"]: role "admin" is not Admin or Member
func DecodeSeed(r io.Reader) (*Seed, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("timtest: seed: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New(`timtest: seed: the seed is empty; want a JSON object such as {"communities": [...]}`)
	}
	var top struct {
		Communities []json.RawMessage `json:"communities"`
	}
	if err := strictJSON(data, &top); err != nil {
		return nil, fmt.Errorf("timtest: seed: %s", jsonError(data, err))
	}
	seed := &Seed{Communities: make([]SeedCommunity, len(top.Communities))}
	for i, raw := range top.Communities {
		if err := strictJSON(raw, &seed.Communities[i]); err != nil {
			var named struct {
				GroupID string `json:"group_id"`
			}
			_ = json.Unmarshal(raw, &named) // only to name the community, if it can
			return nil, fmt.Errorf("timtest: seed: %s: %w", communityName(i, named.GroupID), err)
		}
	}
	if err := seed.check(); err != nil {
		return nil, err
	}
	return seed, nil
}

// LoadSeed reads a seed file with [DecodeSeed] and adds its state to the
// fake with [Server.ApplySeed].
func (s *Server) LoadSeed(r io.Reader) error {
	seed, err := DecodeSeed(r)
	if err != nil {
		return err
	}
	return s.ApplySeed(seed)
}

// ApplySeed adds a seed's communities to the fake through the seeding
// methods ([Server.CreateCommunity], [Server.AddMember],
// [Server.CreateTopic], [Server.SetPermissionDefaults],
// [Server.CreatePermissionGroup], [Server.SetTopicPermission],
// [Server.AddPermissionGroupMembers]), in the seed's order. It checks the
// whole seed first, as [DecodeSeed] does, and that no community's ID is in
// use in the fake. It is atomic: the fake gets the whole seed or, when a
// check fails, nothing, also when other seeds and calls arrive at the same
// time. A nil seed adds nothing.
func (s *Server) ApplySeed(seed *Seed) error {
	if seed == nil {
		return nil
	}
	if err := seed.check(); err != nil {
		return err
	}
	// The seed is built in a scratch fake that numbers permission groups and
	// members on from this one's counters, and moved in whole, all under
	// s.mu, so that no one sees it half made.
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range seed.Communities {
		if g, ok := s.groups[c.GroupID]; ok && !g.dissolved {
			return fmt.Errorf("timtest: seed: %s: group_id: the fake already has a group %s", communityName(i, c.GroupID), c.GroupID)
		}
	}
	scratch := newServer([]Option{WithClock(s.now)})
	scratch.communities = s.communities
	scratch.pgSerial, scratch.memberSerial = s.pgSerial, s.memberSerial
	for i, c := range seed.Communities {
		if err := scratch.applyCommunity(c); err != nil {
			return fmt.Errorf("timtest: seed: %s: %w", communityName(i, c.GroupID), err)
		}
	}
	maps.Copy(s.groups, scratch.groups)
	s.pgSerial, s.memberSerial = scratch.pgSerial, scratch.memberSerial
	return nil
}

// applyCommunity seeds one checked community.
func (s *Server) applyCommunity(c SeedCommunity) error {
	if err := s.CreateCommunity(c.GroupID, c.Owner); err != nil {
		return err
	}
	for _, a := range slices.Sorted(maps.Keys(c.Members)) {
		if err := s.AddMember(c.GroupID, a, c.Members[a]); err != nil {
			return err
		}
	}
	for _, t := range c.Topics {
		if err := s.CreateTopic(c.GroupID, t); err != nil {
			return err
		}
	}
	if d := c.PermissionDefaults; d != nil {
		if err := s.SetPermissionDefaults(c.GroupID, d.Enabled, d.Permission); err != nil {
			return err
		}
	}
	for _, pg := range c.PermissionGroups {
		id, err := s.CreatePermissionGroup(c.GroupID, PermissionGroup{ID: pg.ID, Name: pg.Name, CustomString: pg.CustomString, Permission: pg.Permission})
		if err != nil {
			return err
		}
		for _, t := range slices.Sorted(maps.Keys(pg.Topics)) {
			if err := s.SetTopicPermission(c.GroupID, id, t, pg.Topics[t]); err != nil {
				return err
			}
		}
		if len(pg.Members) > 0 {
			if err := s.AddPermissionGroupMembers(c.GroupID, id, pg.Members...); err != nil {
				return err
			}
		}
	}
	return nil
}

// check reports the first value of the seed a fake would refuse.
func (seed *Seed) check() error {
	seen := map[string]int{}
	for i, c := range seed.Communities {
		if err := c.check(); err != nil {
			return fmt.Errorf("timtest: seed: %s: %w", communityName(i, c.GroupID), err)
		}
		if j, dup := seen[c.GroupID]; dup {
			return fmt.Errorf("timtest: seed: %s: group_id: communities[%d] has the same ID", communityName(i, c.GroupID), j)
		}
		seen[c.GroupID] = i
	}
	return nil
}

func (c *SeedCommunity) check() error {
	switch {
	case c.GroupID == "":
		return errors.New("group_id is required")
	case !strings.HasPrefix(c.GroupID, "@TGS#_") || c.GroupID == "@TGS#_":
		return fmt.Errorf("group_id %q is not a community ID (@TGS#_ + a suffix)", c.GroupID)
	case c.Owner == "":
		return errors.New("owner is required")
	}
	for _, a := range slices.Sorted(maps.Keys(c.Members)) {
		switch role := c.Members[a]; {
		case a == "":
			return errors.New(`members: an account is ""`)
		case a == c.Owner:
			return fmt.Errorf("members[%q]: the owner's role comes from owner; leave the owner out of members", a)
		case role != tim.RoleAdmin && role != tim.RoleMember:
			return fmt.Errorf("members[%q]: role %q is not Admin or Member", a, role)
		}
	}
	topics := map[string]bool{}
	for i, t := range c.Topics {
		switch {
		case !validTopicID(c.GroupID, t):
			return fmt.Errorf("topics[%d]: %q is not group_id + %q + a suffix, at most %d bytes", i, t, topicInfix, maxTopicIDLen)
		case topics[t]:
			return fmt.Errorf("topics[%d]: %q is listed twice", i, t)
		}
		topics[t] = true
	}
	ids := map[string]bool{}
	for i, pg := range c.PermissionGroups {
		if err := pg.check(c, topics); err != nil {
			return fmt.Errorf("permission_groups[%d]%s: %w", i, pgName(pg), err)
		}
		if pg.ID != "" && ids[pg.ID] {
			return fmt.Errorf("permission_groups[%d]%s: id is also an earlier group's", i, pgName(pg))
		}
		ids[pg.ID] = true
	}
	return nil
}

func (pg *SeedPermissionGroup) check(c *SeedCommunity, topics map[string]bool) error {
	switch {
	case pg.Name == "":
		return errors.New("name is required")
	case len(pg.Name) > maxPermGroupNameBytes:
		return fmt.Errorf("name exceeds %d bytes", maxPermGroupNameBytes)
	case len(pg.CustomString) > maxCustomStringBytes:
		return fmt.Errorf("custom_string exceeds %d bytes", maxCustomStringBytes)
	}
	if pg.ID != "" {
		if f := checkCustomPermGroupID(pg.ID); f != nil {
			return fmt.Errorf("id %q: %s", pg.ID, f.info)
		}
	}
	for _, t := range slices.Sorted(maps.Keys(pg.Topics)) {
		if !topics[t] {
			return fmt.Errorf("topics[%q]: not one of the community's topics", t)
		}
	}
	members := map[string]bool{}
	for i, a := range pg.Members {
		switch _, in := c.Members[a]; {
		case a != c.Owner && !in:
			return fmt.Errorf("members[%d]: %q is not the owner or in the community's members", i, a)
		case members[a]:
			return fmt.Errorf("members[%d]: %q is listed twice", i, a)
		}
		members[a] = true
	}
	return nil
}

// communityName names the i-th community of a seed in an error.
func communityName(i int, groupID string) string {
	if groupID == "" {
		return fmt.Sprintf("communities[%d]", i)
	}
	return fmt.Sprintf("communities[%d] (%q)", i, groupID)
}

// pgName names a permission group in an error, after its index.
func pgName(pg SeedPermissionGroup) string {
	switch {
	case pg.ID != "":
		return fmt.Sprintf(" (%q)", pg.ID)
	case pg.Name != "":
		return fmt.Sprintf(" (name %q)", pg.Name)
	}
	return ""
}

// jsonError describes a JSON decoding error of data, with the line and
// column where it has an offset.
func jsonError(data []byte, err error) string {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends early"
	}
	if offset < 0 || offset > int64(len(data)) {
		return err.Error()
	}
	// The offset is just past the byte the decoder stopped at: name that byte.
	before := data[:max(offset-1, 0)]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}
