package tim

// The REST commands the SDK calls: the permission-group family, and
// get_group_info, which says who owns a community and (inferred) its
// default permission. They are the names in the URL path (under
// v4/group_open_http_svc/), what [APIError.Command], [ItemResult.Command]
// and the log records carry, and what package timtest's FailNext and
// RequestsFor take.
const (
	CommandGetPermissionGroup           = "get_permission_group"
	CommandGetRoleInGroup               = "get_role_in_group"
	CommandGetTopicPermissionGroup      = "get_topic_permission_group"
	CommandCreatePermissionGroup        = "create_permission_group"
	CommandModifyPermissionGroup        = "modify_permission_group"
	CommandDestroyPermissionGroup       = "destroy_permission_group"
	CommandAddTopicPermissionGroup      = "add_topic_permission_group"
	CommandSetTopicPermissionGroup      = "set_topic_permission_group"
	CommandDeleteTopicPermissionGroup   = "delete_topic_permission_group"
	CommandAddPermissionGroupMember     = "add_permission_group_member"
	CommandDeletePermissionGroupMember  = "delete_permission_group_member"
	CommandGetPermissionGroupMemberList = "get_permission_group_member_list"
	CommandGetGroupInfo                 = "get_group_info"
)

// allCommands lists every command above.
var allCommands = [...]string{
	CommandGetPermissionGroup, CommandGetRoleInGroup, CommandGetTopicPermissionGroup,
	CommandCreatePermissionGroup, CommandModifyPermissionGroup, CommandDestroyPermissionGroup,
	CommandAddTopicPermissionGroup, CommandSetTopicPermissionGroup, CommandDeleteTopicPermissionGroup,
	CommandAddPermissionGroupMember, CommandDeletePermissionGroupMember, CommandGetPermissionGroupMemberList,
	CommandGetGroupInfo,
}

// Commands returns the REST commands the SDK calls, in the order of the
// constants above.
func Commands() []string { return append([]string(nil), allCommands[:]...) }
