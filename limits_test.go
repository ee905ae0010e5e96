package tim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The limits are the documented ones (API.md §4, API-community.md A–B).
// The wire tests split and refuse at each constant, so a constant changed by
// mistake would move both the split and its test; this pins the values.
func TestDocumentedLimits(t *testing.T) {
	for name, c := range map[string]struct{ got, want int }{
		"get_permission_group Limit":                     {MaxPermissionGroupsPerPage, 20},
		"get_role_in_group User_Account":                 {MaxRoleAccountsPerCall, 500},
		"destroy_permission_group PermissionGroupIdList": {MaxPermissionGroupsPerDestroy, 20},
		"add/set/delete_topic_permission_group topics":   {MaxTopicsPerCall, 50},
		"add/delete_permission_group_member MemberList":  {MaxMembersPerCall, 100},
		"get_permission_group_member_list Limit":         {MaxMembersPerPage, 50},
		"get_group_info GroupIdList":                     {MaxGroupsPerInfoCall, 50},
		"get_group_member_info Limit (inferred)":         {MaxGroupMembersPerPage, 100},
		"get_specified_group_member_info":                {MaxSpecifiedMembersPerCall, 50},
		"add_group_member / import_group_member":         {MaxGroupMembersPerAdd, 300},
		"delete_group_member MemberToDel_Account":        {MaxGroupMembersPerDelete, 100},
		"destroy_topic TopicIdList (undocumented)":       {MaxTopicsPerDestroy, 50},
		"PermissionGroupName bytes":                      {MaxPermissionGroupNameBytes, 150},
		"CustomString bytes":                             {MaxCustomStringBytes, 3000},
		"NameCard bytes":                                 {MaxNameCardBytes, 50},
		"TopicName bytes":                                {MaxTopicNameBytes, 30},
		"topic FaceUrl bytes":                            {MaxFaceURLBytes, 100},
		"topic Notification bytes":                       {MaxNotificationBytes, 300},
		"topic Introduction bytes":                       {MaxIntroductionBytes, 240},
		"topic ID bytes":                                 {MaxTopicIDBytes, 96},
		"permission-group ID bytes (inferred)":           {MaxPermissionGroupIDBytes, 48},
		"account bytes":                                  {MaxAccountBytes, 32},
	} {
		assert.Equal(t, c.want, c.got, name)
	}
}
