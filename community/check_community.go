package community

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// Problem is one place where a spec does not fit its community, as
// [CheckSpec] finds it: the place (Path, as a [SpecError]'s, and its
// Position in the spec's text when known) and what is wrong.
type Problem struct {
	Path     string
	Position Position
	Reason   string
	at       [4]int // the place in the spec's own order: section, group, field, entry
}

// String prints the problem as a [SpecError] at the same place does:
// "{file}:{line}:{col}: {path}: {reason}", "spec: {line}:{col}: {path}:
// {reason}" for a spec read without a file name, "spec: {path}: {reason}"
// for one built in code.
func (p Problem) String() string {
	return (&SpecError{Path: p.Path, Reason: p.Reason, Pos: p.Position}).Error()
}

// CheckError is a spec that does not fit its community: every problem
// [CheckSpec] found, sorted by place. Nothing was written.
type CheckError struct {
	GroupID  string
	Problems []Problem
}

// Error returns one line per problem (see [Problem.String]).
func (e *CheckError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// CheckSpec checks, before anything is written, that spec fits the
// community s is a snapshot of, and returns a [*CheckError] naming every
// place where it does not (all of them, sorted by their place in the
// spec), or nil:
//
//   - every account the spec names is a member of the community (in any
//     role): asked with get_role_in_group, 500 accounts a call, so
//     ⌈accounts ÷ 500⌉ calls (each account once), never a listing of the
//     community's members;
//   - every topic a permission group grants exists (in s.Topics, read with
//     Load's one get_topic) and is not destroyed by prune_topics, or is
//     created by the spec's "topics";
//   - a spec that lists topics is for a community that supports them;
//   - a default_permission the spec changes is for a community whose
//     permission groups are (or the spec turns them) on, the service
//     taking it only then (inferred).
//
// Other failures (a failed get_role_in_group) are returned as they are.
// [CheckPlan] runs the same check again before a saved plan is applied.
func CheckSpec(ctx context.Context, c Client, s *Snapshot, spec *Spec) error {
	if c == nil {
		return errors.New("community: CheckSpec: nil Client")
	}
	if s.GroupID != spec.GroupID {
		return errors.New("community: CheckSpec: the snapshot is of " + s.GroupID + ", the spec of " + spec.GroupID)
	}
	var problems []Problem
	add := func(at [4]int, path, reason string) {
		problems = append(problems, Problem{Path: path, Position: spec.Position(path), Reason: reason, at: at})
	}
	checkSettings(s, spec, add)
	checkTopics(s, spec, add)
	if err := checkAccounts(ctx, c, spec, add); err != nil {
		return err
	}
	if len(problems) == 0 {
		return nil
	}
	known := problems[0].Position.Line > 0
	slices.SortStableFunc(problems, func(a, b Problem) int {
		if known {
			return cmp.Or(strings.Compare(a.Position.File, b.Position.File), cmp.Compare(a.Position.Line, b.Position.Line),
				cmp.Compare(a.Position.Column, b.Position.Column))
		}
		return slices.Compare(a.at[:], b.at[:]) // settings, topics, then each group's topics and members
	})
	return &CheckError{GroupID: spec.GroupID, Problems: problems}
}

// checkSettings reports a default permission the service would refuse.
func checkSettings(s *Snapshot, spec *Spec, add func(at [4]int, path, reason string)) {
	set := spec.Settings
	if set == nil || set.DefaultPermission == nil || set.PermissionGroupsEnabled != nil {
		return // a spec that sets both is checked by Validate
	}
	changes := s.DefaultPermission == nil || *s.DefaultPermission != *set.DefaultPermission
	if changes && s.PermissionGroupsEnabled != nil && !*s.PermissionGroupsEnabled {
		add([4]int{0}, "settings.default_permission", "the community's permission groups are off, and the service takes a default permission only while they are on (inferred): add \"permission_groups_enabled\": true")
	}
}

// checkTopics reports granted topics that will not exist, and topics
// listed for a community without topics.
func checkTopics(s *Snapshot, spec *Spec, add func(at [4]int, path, reason string)) {
	if s.TopicsUnsupported && len(spec.Topics) > 0 {
		add([4]int{1}, "topics", "the community does not support topics (get_topic answered 11000): none can be created")
	}
	listed := make(map[string]bool, len(spec.Topics))
	for _, t := range spec.Topics {
		listed[t.ID] = true
	}
	for i, g := range spec.PermissionGroups {
		for k, t := range sortedKeys(g.Topics) {
			at := [4]int{2, i, 0, k}
			path := "permission_groups[" + strconv.Itoa(i) + "].topics[" + strconv.Quote(t) + "]"
			switch {
			case listed[t]:
			case s.Topic(t) == nil:
				add(at, path, "topic "+t+" does not exist in "+s.GroupID+", and the spec's \"topics\" does not create it")
			case spec.PruneTopics && (!s.Topic(t).ServerMade() || spec.PruneServerMade):
				add(at, path, "topic "+t+" is not listed in \"topics\", so \"prune_topics\" destroys it")
			}
		}
	}
}

// checkAccounts asks the community for the role of every account the spec
// names, and reports each place of an account that is not a member.
func checkAccounts(ctx context.Context, c Client, spec *Spec, add func(at [4]int, path, reason string)) error {
	var accounts []string
	seen := map[string]bool{}
	for _, g := range spec.PermissionGroups {
		for _, a := range g.Members {
			if !seen[a] {
				seen[a] = true
				accounts = append(accounts, a)
			}
		}
	}
	if len(accounts) == 0 {
		return nil
	}
	roles, err := c.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: spec.GroupID, Accounts: accounts})
	if err != nil {
		return &LoadError{GroupID: spec.GroupID, Step: "check the spec's accounts (get_role_in_group)", Err: err}
	}
	outside := map[string]bool{}
	for _, r := range roles {
		if r.Role == tim.RoleNotMember {
			outside[r.Account] = true
		}
	}
	for i, g := range spec.PermissionGroups {
		for j, a := range g.Members {
			if outside[a] {
				add([4]int{2, i, 1, j}, "permission_groups["+strconv.Itoa(i)+"].members["+strconv.Itoa(j)+"]", "account "+quoteAccount(a)+" is not a member of "+spec.GroupID)
			}
		}
	}
	return nil
}
