package community

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// Validate checks every rule of a spec, all of them before anything is
// called, and returns every problem found (joined with errors.Join, each a
// [*SpecError]), or nil:
//
//   - group_id is a community ID ("@TGS#_…");
//   - each id is a custom permission-group ID
//     (tim.CheckCustomPermissionGroupID), named by one group only;
//   - each name is 1 to 150 bytes, each custom_string at most 3000, and
//     every string valid UTF-8 without NUL bytes;
//   - each topic is a topic ID of this community ("{group_id}@TOPIC#_…", at
//     most 96 bytes);
//   - each member is an account (tim.CheckAccount: 1 to 32 bytes), listed
//     once;
//   - prune_server_made is set only with prune or prune_topics, and
//     prune_topics only with topics;
//   - each topic id is a custom topic ID of this community
//     (tim.CheckCustomTopicID), listed once; each name is 1 to 30 bytes,
//     and the texts within the limits of create_topic;
//   - settings do not set a default_permission while turning permission
//     groups off (the service takes it only while they are on).
func (s *Spec) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, &SpecError{Path: path, Reason: fmt.Sprintf(format, args...), Pos: s.Position(path)})
	}
	switch {
	case s.GroupID == "":
		add("group_id", "is required")
	case badText(s.GroupID) != "":
		add("group_id", "%s", badText(s.GroupID))
	case !validCommunityID(s.GroupID):
		add("group_id", "%s is not a community ID (%s…)", quote(s.GroupID, 80), tim.CommunityIDPrefix)
	}
	if s.PruneServerMade && !s.Prune && !s.PruneTopics {
		add("prune_server_made", "is set without \"prune\": true or \"prune_topics\": true")
	}
	s.validateCommunity(add)
	seen := make(map[string]int, len(s.PermissionGroups))
	for i := range s.PermissionGroups {
		g := &s.PermissionGroups[i]
		at := "permission_groups[" + strconv.Itoa(i) + "]"
		if g.ID == "" {
			add(at+".id", "is required")
		} else if err := tim.CheckCustomPermissionGroupID(g.ID); err != nil {
			add(at+".id", "%s", customIDReason(g.ID, err))
		} else if j, dup := seen[g.ID]; dup {
			add(at+".id", "%s is also permission_groups[%d].id", g.ID, j)
		} else {
			seen[g.ID] = i
		}
		checkString(add, at+".name", &g.Name, tim.MaxPermissionGroupNameBytes, true)
		checkString(add, at+".custom_string", g.CustomString, tim.MaxCustomStringBytes, false)
		for _, t := range sortedKeys(g.Topics) {
			if reason := topicIDProblem(s.GroupID, t); reason != "" {
				add(at+".topics["+quote(t, 120)+"]", "%s", reason)
			}
		}
		accounts := make(map[string]int, len(g.Members))
		for j, m := range g.Members {
			path := at + ".members[" + strconv.Itoa(j) + "]"
			switch k, dup := accounts[m]; {
			case tim.CheckAccount(m) != nil:
				add(path, "%s", reasonOf(tim.CheckAccount(m)))
			case dup:
				add(path, "%s is also members[%d]", quote(m, 80), k)
			default:
				accounts[m] = j
			}
		}
	}
	return errors.Join(errs...)
}

// topicIDProblem says what is wrong with topic ID t of community groupID,
// or "".
func topicIDProblem(groupID, t string) string {
	if err := tim.CheckTopicID(groupID, t); err != nil {
		return reasonOf(err)
	}
	return ""
}

// reasonOf is the reason of a *tim.ValidationError, or its text.
func reasonOf(err error) string {
	var ve *tim.ValidationError
	if errors.As(err, &ve) && ve.Reason != "" {
		return ve.Reason
	}
	return err.Error()
}

// customIDReason is the reason of a *tim.ValidationError for id, without
// the command and field that do not apply to a spec, naming the ID.
func customIDReason(id string, err error) string {
	reason := reasonOf(err)
	if !strings.Contains(reason, strconv.Quote(id)) {
		reason = quote(id, 80) + ": " + reason
	}
	return reason
}

// checkString checks a text field of a spec (nil: not set): valid UTF-8
// without NUL, at most max bytes, and not empty when required.
func checkString(add func(path, format string, args ...any), path string, v *string, max int, required bool) {
	switch {
	case v == nil:
	case *v == "" && required:
		add(path, "is required (1 to %d bytes)", max)
	case badText(*v) != "":
		add(path, "%s", badText(*v))
	case len(*v) > max:
		add(path, "is %d bytes; at most %d", len(*v), max)
	}
}
