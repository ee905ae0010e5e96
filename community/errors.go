package community

import (
	"strings"
)

// LoadError is the failure of [Load]: which community, which permission
// group (when one) and which step failed. It unwraps to the call's error,
// so errors.Is(err, tim.ErrGroupNotFound) works.
type LoadError struct {
	GroupID           string // the community
	PermissionGroupID string // the permission group, "" for a step about the whole community
	// Step is what failed (or, when the context ended, what could no
	// longer start): "get group info", "get topics", "list permission
	// groups", "get topic permissions" or "list members".
	Step string
	Err  error
}

// Error returns "community: load {group}: [permission group {id}: ]{step}: {cause}".
func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("community: load " + e.GroupID + ": ")
	if e.PermissionGroupID != "" {
		b.WriteString("permission group " + e.PermissionGroupID + ": ")
	}
	b.WriteString(e.Step + ": " + e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *LoadError) Unwrap() error { return e.Err }
