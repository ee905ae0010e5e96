package tim

import (
	"errors"
	"strconv"
	"strings"
)

// The documented shapes of the IDs the SDK checks before sending.
const (
	// CommunityIDPrefix starts the GroupId of every community.
	CommunityIDPrefix = "@TGS#_"
	// PermissionGroupIDPrefix starts every permission-group ID; IDs the
	// service makes start PermissionGroupIDPrefix + "@PMG#".
	PermissionGroupIDPrefix = "@PMG#_"
	// TopicIDInfix joins a community's GroupId and a topic's own suffix in
	// the topic's ID: "@TGS#_…@TOPIC#_…".
	TopicIDInfix = "@TOPIC#_"
	// MaxTopicIDBytes is the longest topic ID, in bytes.
	MaxTopicIDBytes = 96
	// MaxAccountBytes is the longest account (UserID), in bytes: "a string
	// of up to 32 bytes" (account_import, trtc.io/document/34953), the
	// same bound as [MaxIdentifierLen].
	MaxAccountBytes = MaxIdentifierLen
	// MaxPermissionGroupIDBytes is the longest permission-group ID the SDK
	// sends, in bytes. No page documents a limit for it: create_permission_group
	// says only that a custom ID may be chosen (trtc.io/document/61232,
	// cloud.tencent.com/document/product/269/103966). The bound is the one
	// documented for custom group IDs (printable ASCII, at most 48 bytes,
	// not starting with the server's prefix; trtc.io/document/33529), whose
	// rules the permission-group ID rules copy word for word; the IDs the
	// service makes ("@PMG#_@PMG#" and about a dozen more bytes) are well
	// under it.
	MaxPermissionGroupIDBytes = 48

	serverMadePrefix = "@PMG#_@PMG#"
)

// checkGroupID checks the GroupId of a command that serves other group
// types than communities, so any ID is accepted, not only "@TGS#_…".
func checkGroupID(cmd, id string) error {
	if id == "" {
		return invalid(cmd, "GroupID", "GroupId", "is empty")
	}
	if reason := badText(id); reason != "" {
		return invalid(cmd, "GroupID", "GroupId", reason)
	}
	return nil
}

// checkCommunityID checks the GroupId of a community-only command.
func checkCommunityID(cmd, id string) error {
	return checkPrefixed(cmd, "GroupID", "GroupId", id, CommunityIDPrefix, "a community ID")
}

// checkPermissionGroupID checks one permission-group ID.
func checkPermissionGroupID(cmd, field, param, id string) error {
	if err := checkPrefixed(cmd, field, param, id, PermissionGroupIDPrefix, "a permission-group ID"); err != nil {
		return err
	}
	if len(id) > MaxPermissionGroupIDBytes {
		return invalid(cmd, field, param, quoteID(id)+" is "+strconv.Itoa(len(id))+" bytes; permission-group IDs are at most "+strconv.Itoa(MaxPermissionGroupIDBytes))
	}
	return nil
}

// checkPrefixed checks an ID that is prefix followed by a suffix.
func checkPrefixed(cmd, field, param, id, prefix, what string) error {
	if id == "" {
		return invalid(cmd, field, param, "is empty")
	}
	if reason := badText(id); reason != "" {
		return invalid(cmd, field, param, reason)
	}
	if !strings.HasPrefix(id, prefix) || len(id) == len(prefix) {
		return invalid(cmd, field, param, quoteID(id)+" is not "+what+" ("+prefix+"…)"+mixUp(id))
	}
	return nil
}

// checkTopicID checks a topic ID of community groupID (already checked).
func checkTopicID(cmd, field, groupID, id string) error {
	const param = "TopicId"
	if id == "" {
		return invalid(cmd, field, param, "is empty")
	}
	if reason := badText(id); reason != "" {
		return invalid(cmd, field, param, reason)
	}
	prefix := groupID + TopicIDInfix
	switch {
	case strings.HasPrefix(id, prefix) && len(id) > len(prefix):
		if len(id) > MaxTopicIDBytes {
			return invalid(cmd, field, param, "is "+strconv.Itoa(len(id))+" bytes; topic IDs are at most "+strconv.Itoa(MaxTopicIDBytes))
		}
		return nil
	case strings.HasPrefix(id, CommunityIDPrefix) && strings.Contains(id, TopicIDInfix) && !strings.HasPrefix(id, prefix):
		return invalid(cmd, field, param, "is a topic of another community ("+id[:strings.Index(id, TopicIDInfix)]+"), not of "+groupID)
	}
	return invalid(cmd, field, param, quoteID(id)+" is not a topic of "+groupID+" ("+prefix+"…)"+mixUp(id))
}

// CheckTopicID reports whether id can be a topic ID of community groupID
// in a request: groupID + "@TOPIC#_" + a part, at most [MaxTopicIDBytes],
// valid UTF-8 without a NUL. Every command that names topics checks them
// with this rule before sending; server-made IDs ("…@TOPIC#_@TOPIC#…")
// pass (see [CheckCustomTopicID] for the rule of a custom one). The error
// is a [*ValidationError] whose Reason says what is wrong.
func CheckTopicID(groupID, id string) error {
	if err := checkCommunityID("", groupID); err != nil {
		return err
	}
	return checkTopicID("", "TopicID", groupID, id)
}

// CheckAccount reports whether account can be an account (a UserID) of a
// request: 1 to [MaxAccountBytes] bytes of valid UTF-8 without a NUL. Every
// command that names accounts checks them with this rule before sending;
// the error is a [*ValidationError] whose Reason says what is wrong.
func CheckAccount(account string) error { return checkAccount("", "Account", "", account) }

// checkAccount checks one account (a UserID): at most MaxAccountBytes
// bytes, as the account pages document ("a string of up to 32 bytes").
func checkAccount(cmd, field, param, account string) error {
	if account == "" {
		return invalid(cmd, field, param, "is empty")
	}
	if reason := badText(account); reason != "" {
		return invalid(cmd, field, param, reason)
	}
	if len(account) > MaxAccountBytes {
		return invalid(cmd, field, param, quoteID(account)+" is "+strconv.Itoa(len(account))+" bytes; accounts are at most "+strconv.Itoa(MaxAccountBytes))
	}
	return nil
}

// checkList checks a list a request names: not empty, each entry checked by
// check, and, when unique is set, no entry twice (a repeated ID would make
// per-item results ambiguous). check gets the list's Go name; the error
// names the entry, "Accounts[3]" (built only then: a valid list of 500
// accounts costs no string).
func checkList(cmd, field, param string, ids []string, unique bool, check func(field, id string) error) error {
	if len(ids) == 0 {
		return invalid(cmd, field, param, "is empty")
	}
	var seen map[string]int
	if unique {
		seen = make(map[string]int, len(ids))
	}
	for i, id := range ids {
		if err := check(field, id); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) && strings.HasPrefix(ve.Field, field) {
				ve.Field = entry(field, i) + strings.TrimPrefix(ve.Field, field)
			}
			return err
		}
		if unique {
			if j, dup := seen[id]; dup {
				return invalid(cmd, entry(field, i), param, quoteID(id)+" is also "+entry(field, j))
			}
			seen[id] = i
		}
	}
	return nil
}

// entry is the Go name of entry i of list field: "Accounts[3]".
func entry(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// mixUp says what kind of ID id looks like, when it is one the caller
// probably meant for another field.
func mixUp(id string) string {
	switch {
	case strings.Contains(id, TopicIDInfix):
		return "; it looks like a topic ID"
	case strings.HasPrefix(id, PermissionGroupIDPrefix):
		return "; it looks like a permission-group ID"
	case strings.HasPrefix(id, CommunityIDPrefix):
		return "; it looks like a community ID"
	}
	return ""
}

// quoteID quotes an ID for an error message, shortened if it is long.
func quoteID(id string) string {
	if len(id) > 120 {
		id = id[:120] + "…"
	}
	return strconv.Quote(id)
}

// textField is an optional text field of a request, for checkTexts: its Go
// and wire names, its value (nil when not set) and its limit in bytes.
type textField struct {
	field, param string
	value        *string
	max          int
}

// checkTexts applies checkText to each field that is set.
func checkTexts(cmd string, fields ...textField) error {
	for _, f := range fields {
		if f.value == nil {
			continue
		}
		if err := checkText(cmd, f.field, f.param, *f.value, f.max); err != nil {
			return err
		}
	}
	return nil
}

// checkText checks a text field the service limits to max bytes of UTF-8
// (a CJK character is 3): not over max, valid UTF-8 without a NUL.
func checkText(cmd, field, param, s string, max int) error {
	switch {
	case len(s) > max:
		return invalid(cmd, field, param, strconv.Itoa(len(s))+" bytes is over "+strconv.Itoa(max))
	case badText(s) != "":
		return invalid(cmd, field, param, badText(s))
	}
	return nil
}

// checkNames checks a list of field names a request filters with: each
// one not empty and valid text.
func checkNames(cmd, field, param string, names []string) error {
	for i, name := range names {
		if name == "" || badText(name) != "" {
			return invalid(cmd, entry(field, i), param, "is empty or not valid text")
		}
	}
	return nil
}
