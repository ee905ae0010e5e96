package community

import (
	"strings"
)

// ServerMadeError is returned by [Export] with the spec when the community
// has permission groups whose ID the service made ("@PMG#_@PMG#…"). A spec
// cannot name them: create_permission_group takes custom IDs only in the
// "@PMG#_" + suffix form that does not start "@PMG#", so a spec naming one
// could not recreate it. Export leaves them out of the spec; since the
// spec it makes does not prune, applying it leaves them alone. To manage
// them as code, create custom-ID copies and destroy the originals.
type ServerMadeError struct {
	GroupID string
	// IDs are the permission groups left out, sorted.
	IDs []string
}

// Error names the groups left out.
func (e *ServerMadeError) Error() string {
	return "community: export " + e.GroupID + ": " + itoa(len(e.IDs)) + " permission group(s) have IDs the service made, which a spec cannot name, and were left out: " + strings.Join(e.IDs, ", ")
}

// Export returns the spec of what s holds, every field managed: each
// permission group with its custom string, its topics and its members
// (permissions print as lists of names), and "prune": false, so that a team
// can start from the community it has and applying the spec at once changes
// nothing.
//
// Groups whose ID the service made cannot be in a spec. When s has any,
// Export returns the spec of the others together with a
// [*ServerMadeError] naming them: a caller that accepts leaving them
// unmanaged uses the spec, others stop at the error.
func Export(s *Snapshot) (*Spec, error) {
	spec := &Spec{GroupID: s.GroupID, PermissionGroups: []GroupSpec{}}
	var made []string
	for i := range s.PermissionGroups {
		g := &s.PermissionGroups[i]
		if g.ServerMade() {
			made = append(made, g.ID)
			continue
		}
		spec.PermissionGroups = append(spec.PermissionGroups, groupSpecOf(g))
	}
	if len(made) > 0 {
		return spec, &ServerMadeError{GroupID: s.GroupID, IDs: sortedCopy(made)}
	}
	return spec, nil
}
