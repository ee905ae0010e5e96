package tim

// The REST services the SDK's commands live under: the segment of the URL
// path after /v4/ and before the command. [Client.Do] takes one of them, or
// any other service's name.
const (
	// ServiceGroup is group_open_http_svc: groups, their members and
	// profiles, permission groups, and import_topic.
	ServiceGroup = "group_open_http_svc"
	// ServiceMillionGroup is million_group_open_http_svc, the service of a
	// community's topics: create_topic, get_topic, modify_topic and
	// destroy_topic.
	ServiceMillionGroup = "million_group_open_http_svc"
)

// The REST commands the SDK calls. They are the last segment of the URL
// path (under the service of [Commands]' table: [ServiceMillionGroup] for
// the four topic commands it names, [ServiceGroup] for the rest), what
// [APIError.Command], [ItemResult.Command] and the log records carry, and
// what package timtest's FailNext and RequestsFor take.
const (
	// The permission-group family, and get_group_info, which says who owns
	// a community and (inferred) its default permission.
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

	// A community's topics: the first four under [ServiceMillionGroup],
	// import_topic under [ServiceGroup].
	CommandCreateTopic  = "create_topic"
	CommandGetTopic     = "get_topic"
	CommandModifyTopic  = "modify_topic"
	CommandDestroyTopic = "destroy_topic"
	CommandImportTopic  = "import_topic"

	// A group's members, and its profile.
	CommandGetGroupMemberInfo          = "get_group_member_info"
	CommandGetSpecifiedGroupMemberInfo = "get_specified_group_member_info"
	CommandAddGroupMember              = "add_group_member"
	CommandDeleteGroupMember           = "delete_group_member"
	CommandModifyGroupMemberInfo       = "modify_group_member_info"
	CommandImportGroupMember           = "import_group_member"
	CommandModifyGroupBaseInfo         = "modify_group_base_info"
)

// commandTable lists every command above with its service and whether it
// is idempotent: whether sending it twice does no more than sending it
// once, so that a request the service may have acted on can be sent again
// (see [RetryPolicy]). Creates, imports, adds and destroys are not: a
// repeat makes a second topic, or fails because the first one worked.
var commandTable = [...]struct {
	command, service string
	idempotent       bool
}{
	{CommandGetPermissionGroup, ServiceGroup, true},
	{CommandGetRoleInGroup, ServiceGroup, true},
	{CommandGetTopicPermissionGroup, ServiceGroup, true},
	{CommandCreatePermissionGroup, ServiceGroup, false},
	{CommandModifyPermissionGroup, ServiceGroup, true},
	{CommandDestroyPermissionGroup, ServiceGroup, false},
	{CommandAddTopicPermissionGroup, ServiceGroup, false},
	{CommandSetTopicPermissionGroup, ServiceGroup, true},
	{CommandDeleteTopicPermissionGroup, ServiceGroup, false},
	{CommandAddPermissionGroupMember, ServiceGroup, false},
	{CommandDeletePermissionGroupMember, ServiceGroup, true},
	{CommandGetPermissionGroupMemberList, ServiceGroup, true},
	{CommandGetGroupInfo, ServiceGroup, true},

	{CommandCreateTopic, ServiceMillionGroup, false},
	{CommandGetTopic, ServiceMillionGroup, true},
	{CommandModifyTopic, ServiceMillionGroup, true},
	{CommandDestroyTopic, ServiceMillionGroup, false},
	{CommandImportTopic, ServiceGroup, false},

	{CommandGetGroupMemberInfo, ServiceGroup, true},
	{CommandGetSpecifiedGroupMemberInfo, ServiceGroup, true},
	{CommandAddGroupMember, ServiceGroup, false},
	// Deleting a non-member succeeds, so a repeat changes nothing, as for
	// delete_permission_group_member.
	{CommandDeleteGroupMember, ServiceGroup, true},
	// A repeat sets the same fields again; a mute (MuteTime, seconds from
	// when it is applied) ends a few milliseconds later.
	{CommandModifyGroupMemberInfo, ServiceGroup, true},
	{CommandImportGroupMember, ServiceGroup, false},
	{CommandModifyGroupBaseInfo, ServiceGroup, true},
}

// Commands returns the REST commands the SDK calls, in the order of the
// constants above.
func Commands() []string {
	out := make([]string, len(commandTable))
	for i, c := range commandTable {
		out[i] = c.command
	}
	return out
}

// route is one REST API as the client calls it: where it is, what its
// calls are paced and counted under, and whether it may be sent twice.
type route struct {
	service, command string
	path             string // service + "/" + command: the URL path after /v4/
	// key is what the rate limiter and the in-flight places count the
	// calls under: the command's name for one of the SDK's commands under
	// its own service, as in earlier versions; "service/command" for any
	// other API called through Client.Do. The service limits each API (a
	// path) on its own, so a command name under another service is another
	// API with its own budget.
	key        string
	idempotent bool // one of the SDK's idempotent commands, under its own service
	known      bool // one of the SDK's commands, under its own service
}

// knownRoutes are the routes of the SDK's commands, by command.
var knownRoutes = func() map[string]*route {
	m := make(map[string]*route, len(commandTable))
	for _, c := range commandTable {
		m[c.command] = &route{service: c.service, command: c.command, path: c.service + "/" + c.command, key: c.command, idempotent: c.idempotent, known: true}
	}
	return m
}()

// routeOf returns the route of the SDK's command, under its own service.
// Any other name gets a route under ServiceGroup that is not retried after
// a possible send.
func routeOf(command string) *route {
	if r, ok := knownRoutes[command]; ok {
		return r
	}
	return &route{service: ServiceGroup, command: command, path: ServiceGroup + "/" + command, key: command}
}

// routeFor returns the route of command under service, for Client.Do.
func routeFor(service, command string) *route {
	if r, ok := knownRoutes[command]; ok && r.service == service {
		return r
	}
	path := service + "/" + command
	return &route{service: service, command: command, path: path, key: path}
}

// repeatable reports whether a request of r that the service may have acted
// on may be sent again: r is idempotent, or the caller opted in with
// RetryPolicy.RetryNonIdempotent for one of the SDK's commands. An API the
// SDK does not know (Client.Do) is never repeatable: nothing says what a
// second request would do.
func (r *route) repeatable(retryNonIdempotent bool) bool {
	return r.idempotent || (retryNonIdempotent && r.known)
}
