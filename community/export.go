package community

import (
	"slices"
	"strings"

	"github.com/timkit/tim"
)

// ServerMadeError is returned by [Export] with the spec when the community
// has permission groups or topics whose ID the service made
// ("@PMG#_@PMG#…", "…@TOPIC#_@TOPIC#…"). A spec cannot name them: the
// creates take custom IDs only in forms that exclude the service's, so a
// spec naming one could not recreate it. Export leaves them out of the
// spec (a group's grant in such a topic stays: grants may name any topic);
// since the spec it makes does not prune, applying it leaves them alone.
// To manage them as code, create custom-ID copies and destroy the
// originals.
type ServerMadeError struct {
	GroupID string
	// IDs are the permission groups left out, sorted.
	IDs []string
	// TopicIDs are the topics left out, sorted.
	TopicIDs []string
}

// Error names the groups and topics left out.
func (e *ServerMadeError) Error() string {
	var parts []string
	if len(e.IDs) > 0 {
		parts = append(parts, itoa(len(e.IDs))+" permission group(s)")
	}
	if len(e.TopicIDs) > 0 {
		parts = append(parts, itoa(len(e.TopicIDs))+" topic(s)")
	}
	return "community: export " + e.GroupID + ": " + strings.Join(parts, " and ") +
		" have IDs the service made, which a spec cannot name, and were left out: " + strings.Join(append(slices.Clone(e.IDs), e.TopicIDs...), ", ")
}

// Export returns the spec of what s holds, every field managed: the
// settings the snapshot knows (not the default permission while
// permission groups are off: the service takes it only while they are
// on), every topic with all its fields ("topics" is left out for a
// snapshot whose Topics is nil, built by hand without them), each
// permission group with its custom string, its topics and its members
// (permissions print as lists of names), and "prune": false, so that a
// team can start from the community it has and applying the spec at once
// changes nothing.
//
// Groups and topics whose ID the service made cannot be in a spec. When s
// has any, Export returns the spec of the others together with a
// [*ServerMadeError] naming them: a caller that accepts leaving them
// unmanaged uses the spec, others stop at the error.
func Export(s *Snapshot) (*Spec, error) {
	spec := &Spec{GroupID: s.GroupID, PermissionGroups: []GroupSpec{}}
	if s.Topics != nil {
		spec.Topics = []TopicSpec{} // read (Load): list them all, none for a community without
	}
	if s.PermissionGroupsEnabled != nil || s.DefaultPermission != nil {
		spec.Settings = (&SettingsSpec{PermissionGroupsEnabled: s.PermissionGroupsEnabled, DefaultPermission: s.DefaultPermission}).clone()
		if off := s.PermissionGroupsEnabled; off != nil && !*off {
			spec.Settings.DefaultPermission = nil // taken only while permission groups are on
		}
	}
	made := &ServerMadeError{GroupID: s.GroupID}
	for i := range s.Topics {
		t := &s.Topics[i]
		if t.ServerMade() {
			made.TopicIDs = append(made.TopicIDs, t.ID)
			continue
		}
		spec.Topics = append(spec.Topics, TopicSpec{ID: t.ID, Name: t.Name, Introduction: tim.Ptr(t.Introduction),
			Notification: tim.Ptr(t.Notification), FaceURL: tim.Ptr(t.FaceURL), CustomString: tim.Ptr(t.CustomString), MuteAll: tim.Ptr(t.MuteAll)})
	}
	for i := range s.PermissionGroups {
		g := &s.PermissionGroups[i]
		if g.ServerMade() {
			made.IDs = append(made.IDs, g.ID)
			continue
		}
		spec.PermissionGroups = append(spec.PermissionGroups, groupSpecOf(g))
	}
	if len(made.IDs)+len(made.TopicIDs) > 0 {
		made.IDs, made.TopicIDs = sortedCopy(made.IDs), sortedCopy(made.TopicIDs)
		return spec, made
	}
	return spec, nil
}
