package tim

// The REST commands of the permission-group family, as the service names
// them in the URL path (under v4/group_open_http_svc/). They are what
// [APIError.Command], [ItemResult.Command] and the log records carry, and
// what package timtest's FailNext and RequestsFor take.
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
)

// allCommands lists every command above.
var allCommands = [...]string{
	CommandGetPermissionGroup, CommandGetRoleInGroup, CommandGetTopicPermissionGroup,
	CommandCreatePermissionGroup, CommandModifyPermissionGroup, CommandDestroyPermissionGroup,
	CommandAddTopicPermissionGroup, CommandSetTopicPermissionGroup, CommandDeleteTopicPermissionGroup,
	CommandAddPermissionGroupMember, CommandDeletePermissionGroupMember, CommandGetPermissionGroupMemberList,
}

// Commands returns the REST commands the SDK calls, in the order of the
// constants above.
func Commands() []string { return append([]string(nil), allCommands[:]...) }
