package timtest

import (
	"slices"
	"strconv"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
)

// The member commands of group_open_http_svc: get_group_member_info,
// get_specified_group_member_info, add_group_member, delete_group_member,
// modify_group_member_info and import_group_member. Every one serves every
// group type but AVChatRoom.

// Documented limits of the member commands.
const (
	maxGroupMembersPerPage = 100 // a community's Limit: inferred, see tim.MaxGroupMembersPerPage
	maxSpecifiedMembers    = 50
	maxAddMembers          = 300
	maxDeleteMembers       = 100
	maxNameCardBytes       = 50
)

// lookupMemberGroup finds a live group whose members the member commands
// serve: avChatRoom is the code an AVChatRoom gets (10007 on most pages,
// 10004 on delete_group_member's).
func (s *Server) lookupMemberGroup(groupID string, avChatRoom tim.ErrorCode) (*group, *fail) {
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return nil, f
	}
	if g.typ == AVChatRoom {
		return nil, failf(avChatRoom, "AVChatRoom groups do not support this API")
	}
	return g, nil
}

// memberFilter is the filter part of a member read.
type memberFilter struct {
	Fields []string `json:"MemberInfoFilter"`
	Roles  []string `json:"MemberRoleFilter"`
	Custom []string `json:"AppDefinedDataFilter_GroupMember"`
}

// keeps reports whether the filter's roles take a member of role r.
func (f *memberFilter) keeps(r tim.Role) bool {
	return len(f.Roles) == 0 || slices.Contains(f.Roles, string(r))
}

// item is a member as the member reads answer it, under
// get_group_member_info's names: every field, or Member_Account and the
// fields MemberInfoFilter names; AppMemberDefinedData holds the custom
// fields AppDefinedDataFilter_GroupMember names, or all of them.
func (f *memberFilter) item(g *group, account string) map[string]any {
	p := g.profiles[account]
	item := map[string]any{
		"Member_Account": account, "Role": string(g.members[account]), "JoinTime": p.joinTime,
		"MsgSeq": p.msgSeq, "MsgFlag": string(msgFlagOf(p)), "LastSendMsgTime": p.lastSend,
		"MuteUntil": p.mutedUntil, "NameCard": p.NameCard,
	}
	custom := map[string]string{}
	for k, v := range p.CustomData {
		if len(f.Custom) == 0 || slices.Contains(f.Custom, k) {
			custom[k] = v
		}
	}
	if len(custom) > 0 {
		item["AppMemberDefinedData"] = keyValues(custom)
	}
	if len(f.Fields) > 0 {
		for k := range item {
			if k != "Member_Account" && k != "AppMemberDefinedData" && !slices.Contains(f.Fields, k) {
				delete(item, k)
			}
		}
	}
	return item
}

// getGroupMemberInfo pages a community's members with Next, in the order
// they joined: the cursor is sent as a string (or a number), "" or 0 for
// the first page, and answered as a string, "" after the last page; Offset
// is refused ("communities do not support Offset"). Other groups page with
// Limit and Offset and get no Next. Without a Limit every member from the
// cursor on is answered.
func (s *Server) getGroupMemberInfo(body []byte) (result, *fail) {
	var req struct {
		GroupID string         `json:"GroupId"`
		Limit   *int           `json:"Limit"`
		Offset  *int           `json:"Offset"`
		Next    stringOrNumber `json:"Next"`
		memberFilter
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.lookupMemberGroup(req.GroupID, tim.ErrNoPermission)
	if f != nil {
		return nil, f
	}
	var members []string
	for _, a := range g.membersInOrder() {
		if req.keeps(g.members[a]) {
			members = append(members, a)
		}
	}
	out := result{"MemberNum": len(g.members)}
	start, end := 0, len(members)
	if g.typ == Community {
		switch {
		case req.Offset != nil:
			return nil, failf(tim.ErrInvalidParameter, "communities do not support Offset; page with Next")
		case req.Limit != nil && (*req.Limit < 1 || *req.Limit > maxGroupMembersPerPage):
			return nil, failf(tim.ErrInvalidParameter, "Limit must be 1 to %d", maxGroupMembersPerPage)
		}
		after, f := req.Next.serial()
		if f != nil {
			return nil, f
		}
		for start < len(members) && g.profiles[members[start]].serial <= after {
			start++
		}
		if req.Limit != nil {
			end = min(start+*req.Limit, end)
		}
		out["Next"] = ""
		if end < len(members) {
			out["Next"] = strconv.FormatUint(g.profiles[members[end-1]].serial, 10)
		}
	} else {
		if req.Offset != nil {
			start = min(max(*req.Offset, 0), len(members))
		}
		if req.Limit != nil {
			end = min(start+max(*req.Limit, 0), end)
		}
	}
	list := make([]map[string]any, 0, end-start)
	for _, a := range members[start:end] {
		list = append(list, req.item(g, a))
	}
	out["MemberList"] = list
	return out, nil
}

// getSpecifiedGroupMemberInfo answers the named accounts that are members,
// in the order named; the others are left out (the docs show no sample).
func (s *Server) getSpecifiedGroupMemberInfo(body []byte) (result, *fail) {
	var req struct {
		GroupID  string   `json:"GroupId"`
		Accounts []string `json:"Member_List_Account"`
		memberFilter
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if f := checkCount("Member_List_Account", len(req.Accounts), maxSpecifiedMembers); f != nil {
		return nil, f
	}
	g, f := s.lookupMemberGroup(req.GroupID, tim.ErrNoPermission)
	if f != nil {
		return nil, f
	}
	list := []map[string]any{}
	for _, a := range req.Accounts {
		if role, ok := g.members[a]; ok && req.keeps(role) {
			list = append(list, req.item(g, a))
		}
	}
	return result{"GroupId": g.id, "MemberList": list}, nil
}

// newMember is an entry of the MemberList of add_group_member (the account
// only) and import_group_member.
type newMember struct {
	Account  string `json:"Member_Account"`
	Role     string `json:"Role"`
	JoinTime *int64 `json:"JoinTime"`
	Unread   int    `json:"UnreadMsgNum"`
}

// newMembersGroup checks the MemberList of an add or an import (10004 when
// empty or an entry has no account, 10005 "too many accounts" past 300, as
// those pages document) and finds the group.
func (s *Server) newMembersGroup(groupID string, members []newMember) (*group, *fail) {
	switch {
	case len(members) == 0:
		return nil, failf(tim.ErrInvalidParameter, "MemberList is required")
	case len(members) > maxAddMembers:
		return nil, failf(tim.ErrTooManyAccounts, "MemberList holds %d accounts; at most %d", len(members), maxAddMembers)
	}
	g, f := s.lookupMemberGroup(groupID, tim.ErrNoPermission)
	if f != nil {
		return nil, f
	}
	for i, m := range members {
		if m.Account == "" {
			return nil, failf(tim.ErrInvalidParameter, "MemberList entry %d has no Member_Account", i)
		}
	}
	return g, nil
}

// addGroupMember adds the accounts as members and answers each with its
// Result: 1 added, 2 already a member. The fake knows no account that does
// not exist, nor a full group, so it never answers 0 or 3. The accounts
// added make one after-new-member-join callback (JoinType "Invited"), even
// with Silence 1: the docs say Silence mutes the notice only (inferred).
func (s *Server) addGroupMember(body []byte) (result, *fail) {
	var req struct {
		GroupID string      `json:"GroupId"`
		Silence int         `json:"Silence"`
		Members []newMember `json:"MemberList"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.newMembersGroup(req.GroupID, req.Members)
	if f != nil {
		return nil, f
	}
	list := make([]map[string]any, len(req.Members))
	var added []map[string]string
	for i, m := range req.Members {
		res := 2
		if _, ok := g.members[m.Account]; !ok {
			g.members[m.Account] = tim.RoleMember
			g.profiles[m.Account] = s.newProfile(s.now().Unix())
			added = append(added, map[string]string{"Member_Account": m.Account})
			res = 1
		}
		list[i] = map[string]any{"Member_Account": m.Account, "Result": res}
	}
	if len(added) > 0 {
		s.emitCallback(callback.CommandAfterNewMemberJoin, map[string]any{
			"GroupId": g.id, "Type": string(g.typ), "JoinType": "Invited", "Operator_Account": s.operator,
			"NewMemberList": added,
		})
	}
	return result{"MemberList": list}, nil
}

// deleteGroupMember removes the members named, with their places in the
// community's permission groups (inferred), and succeeds for an account
// that is not a member, as documented. The owner cannot be removed
// (10004, before anything is). The members removed make one
// after-member-exit callback (ExitType "Kicked").
func (s *Server) deleteGroupMember(body []byte) (result, *fail) {
	var req struct {
		GroupID  string   `json:"GroupId"`
		Silence  int      `json:"Silence"`
		Reason   string   `json:"Reason"`
		Accounts []string `json:"MemberToDel_Account"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if f := checkCount("MemberToDel_Account", len(req.Accounts), maxDeleteMembers); f != nil {
		return nil, f
	}
	g, f := s.lookupMemberGroup(req.GroupID, tim.ErrInvalidParameter)
	if f != nil {
		return nil, f
	}
	for _, a := range req.Accounts {
		if g.members[a] == tim.RoleOwner {
			return nil, failf(tim.ErrInvalidParameter, "%s is the owner and cannot be removed", a)
		}
	}
	var removed []map[string]string
	for _, a := range req.Accounts {
		if _, ok := g.members[a]; ok {
			g.removeMember(a)
			removed = append(removed, map[string]string{"Member_Account": a})
		}
	}
	if len(removed) > 0 {
		s.emitCallback(callback.CommandAfterMemberExit, map[string]any{
			"GroupId": g.id, "Type": string(g.typ), "ExitType": "Kicked", "Operator_Account": s.operator,
			"ExitMemberList": removed,
		})
	}
	return nil, nil
}

// modifyGroupMemberInfo changes a member's role (Admin or Member, never the
// owner's), name card (at most 50 bytes), message flag, mute (MuteTime, or
// the older ShutUpTime, in seconds from now; 0 lifts it) and custom
// fields. A change of role or name card sends the
// after-member-field-changed callback with the fields that changed.
func (s *Server) modifyGroupMemberInfo(body []byte) (result, *fail) {
	var req struct {
		GroupID    string     `json:"GroupId"`
		Account    string     `json:"Member_Account"`
		Role       *string    `json:"Role"`
		NameCard   *string    `json:"NameCard"`
		MsgFlag    *string    `json:"MsgFlag"`
		MuteTime   *int64     `json:"MuteTime"`
		ShutUpTime *int64     `json:"ShutUpTime"`
		Custom     []keyValue `json:"AppMemberDefinedData"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.lookupMemberGroup(req.GroupID, tim.ErrNoPermission)
	if f != nil {
		return nil, f
	}
	role, ok := g.members[req.Account]
	mute := req.MuteTime
	if mute == nil {
		mute = req.ShutUpTime
	}
	switch {
	case !ok:
		return nil, failf(tim.ErrInvalidParameter, "%s is not a member of %s", req.Account, g.id)
	case req.Role != nil && *req.Role != string(tim.RoleAdmin) && *req.Role != string(tim.RoleMember):
		return nil, failf(tim.ErrInvalidParameter, "Role must be Admin or Member")
	case req.Role != nil && role == tim.RoleOwner:
		return nil, failf(tim.ErrInvalidParameter, "the owner's role cannot change")
	case req.NameCard != nil && len(*req.NameCard) > maxNameCardBytes:
		return nil, failf(tim.ErrInvalidParameter, "NameCard exceeds %d bytes", maxNameCardBytes)
	case req.MsgFlag != nil && !tim.MsgFlag(*req.MsgFlag).Known():
		return nil, failf(tim.ErrInvalidParameter, "MsgFlag must be AcceptAndNotify, AcceptNotNotify or Discard")
	case mute != nil && *mute < 0:
		return nil, failf(tim.ErrInvalidParameter, "MuteTime is negative")
	}
	p := g.profiles[req.Account]
	changed := map[string]any{}
	if req.Role != nil && tim.Role(*req.Role) != role {
		g.members[req.Account] = tim.Role(*req.Role)
		changed["Role"] = *req.Role
	}
	if req.NameCard != nil && *req.NameCard != p.NameCard {
		p.NameCard = *req.NameCard
		changed["NameCard"] = *req.NameCard
	}
	if req.MsgFlag != nil {
		p.msgFlag = tim.MsgFlag(*req.MsgFlag)
	}
	if mute != nil {
		p.mutedUntil = 0
		if *mute > 0 {
			p.mutedUntil = s.now().Unix() + *mute
		}
	}
	if len(req.Custom) > 0 && p.CustomData == nil {
		p.CustomData = map[string]string{}
	}
	for _, kv := range req.Custom {
		p.CustomData[kv.Key] = kv.Value
	}
	if len(changed) > 0 {
		changed["GroupId"], changed["Type"], changed["Operator_Account"] = g.id, string(g.typ), s.operator
		changed["Modified_Account"] = req.Account
		s.emitCallback(callback.CommandAfterMemberFieldChanged, changed)
	}
	return nil, nil
}

// importGroupMember adds members as they were in another system, with no
// callback: Result 1 imported, 2 already a member, 0 for a JoinTime that
// is not after the group's creation and before now (the one per-member
// failure the docs name). Role may be "Admin" only.
func (s *Server) importGroupMember(body []byte) (result, *fail) {
	var req struct {
		GroupID string      `json:"GroupId"`
		Members []newMember `json:"MemberList"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.newMembersGroup(req.GroupID, req.Members)
	if f != nil {
		return nil, f
	}
	for i, m := range req.Members {
		if m.Role != "" && m.Role != string(tim.RoleAdmin) {
			return nil, failf(tim.ErrInvalidParameter, "MemberList entry %d: Role may only be Admin", i)
		}
	}
	now := s.now().Unix()
	list := make([]map[string]any, len(req.Members))
	for i, m := range req.Members {
		res := 1
		_, member := g.members[m.Account]
		switch {
		case member:
			res = 2
		case m.JoinTime != nil && (*m.JoinTime <= g.created || *m.JoinTime >= now):
			res = 0
		default:
			joined := now
			if m.JoinTime != nil {
				joined = *m.JoinTime
			}
			g.members[m.Account] = tim.RoleMember
			if m.Role != "" {
				g.members[m.Account] = tim.RoleAdmin
			}
			g.profiles[m.Account] = s.newProfile(joined)
		}
		list[i] = map[string]any{"Member_Account": m.Account, "Result": res}
	}
	return result{"MemberList": list}, nil
}
