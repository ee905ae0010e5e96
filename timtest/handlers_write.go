package timtest

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/timkit/tim"
)

// Limits of the write endpoints, as documented.
const (
	maxDestroyIDs     = 20
	maxTopicsPerCall  = 50
	maxMembersPerCall = 100
	maxMembersPerPage = 50
)

func (s *Server) createPermissionGroup(body []byte) (result, *fail) {
	var req struct {
		GroupID    string              `json:"GroupId"`
		ID         string              `json:"PermissionGroupId"`
		Name       string              `json:"PermissionGroupName"`
		Permission tim.GroupPermission `json:"Permission"`
		Custom     string              `json:"CustomString"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.lookupCommunity(req.GroupID)
	if f != nil {
		return nil, f
	}
	p, f := s.createPermGroup(g, PermissionGroup{ID: req.ID, Name: req.Name, CustomString: req.Custom, Permission: req.Permission})
	if f != nil {
		return nil, f
	}
	return result{"PermissionGroupId": p.id}, nil
}

func (s *Server) modifyPermissionGroup(body []byte) (result, *fail) {
	var req struct {
		GroupID    string               `json:"GroupId"`
		ID         string               `json:"PermissionGroupId"`
		Name       *string              `json:"PermissionGroupName"`
		Permission *tim.GroupPermission `json:"Permission"`
		Custom     *string              `json:"CustomString"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	_, p, f := s.lookupPermGroup(req.GroupID, req.ID)
	if f != nil {
		return nil, f
	}
	switch {
	case req.Name != nil && (*req.Name == "" || len(*req.Name) > maxPermGroupNameBytes):
		return nil, failf(tim.ErrInvalidParameter, "PermissionGroupName must be 1 to %d bytes", maxPermGroupNameBytes)
	case req.Custom != nil && len(*req.Custom) > maxCustomStringBytes:
		return nil, failf(tim.ErrInvalidParameter, "CustomString exceeds %d bytes", maxCustomStringBytes)
	}
	if req.Name != nil {
		p.name = *req.Name
	}
	if req.Permission != nil {
		p.permission = *req.Permission
	}
	if req.Custom != nil {
		p.custom = *req.Custom
	}
	return nil, nil
}

func (s *Server) destroyPermissionGroup(body []byte) (result, *fail) {
	var req struct {
		GroupID string   `json:"GroupId"`
		IDs     []string `json:"PermissionGroupIdList"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if f := checkCount("PermissionGroupIdList", len(req.IDs), maxDestroyIDs); f != nil {
		return nil, f
	}
	g, f := s.lookupCommunity(req.GroupID)
	if f != nil {
		return nil, f
	}
	list := make([]map[string]any, len(req.IDs))
	for i, id := range req.IDs {
		_, _, f := s.lookupPermGroup(g.id, id)
		if f != nil {
			list[i] = itemFail(id, f.code, f.info)
			continue
		}
		delete(g.pgs, id) // its topic permissions and members go with it
		list[i] = itemFail(id, 0, "")
	}
	return result{"PermissionGroupResultList": list}, nil
}

// topicSetting is one entry of a TopicPermissionList.
type topicSetting struct {
	TopicID    string              `json:"TopicId"`
	Permission tim.TopicPermission `json:"Permission"`
}

// topicWrite serves add_topic_permission_group (add true) and
// set_topic_permission_group (add false).
func (s *Server) topicWrite(body []byte, add bool) (result, *fail) {
	var req struct {
		GroupID  string         `json:"GroupId"`
		PGID     string         `json:"PermissionGroupId"`
		Settings []topicSetting `json:"TopicPermissionList"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if f := checkCount("TopicPermissionList", len(req.Settings), maxTopicsPerCall); f != nil {
		return nil, f
	}
	g, p, f := s.lookupPermGroup(req.GroupID, req.PGID)
	if f != nil {
		return nil, f
	}
	list := make([]map[string]any, len(req.Settings))
	for i, st := range req.Settings {
		_, has := p.topics[st.TopicID]
		switch {
		case !validTopicID(g.id, st.TopicID) || g.topics[st.TopicID] == nil:
			list[i] = topicResult(st.TopicID, tim.ErrInvalidTopicID, "invalid topic ID")
		case add && has:
			list[i] = topicResult(st.TopicID, tim.ErrTopicAlreadyInPermissionGroup, "topic already in the permission group")
		case !add && !has:
			list[i] = topicResult(st.TopicID, tim.ErrTopicNotInPermissionGroup, "topic not in the permission group")
		default:
			p.topics[st.TopicID] = st.Permission
			delete(p.deleted, st.TopicID)
			list[i] = topicResult(st.TopicID, 0, "")
		}
	}
	return result{"TopicPermissionResultList": list}, nil
}

func (s *Server) deleteTopicPermission(body []byte) (result, *fail) {
	var req topicListRequest
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if f := checkCount("TopicIdList", len(req.TopicIDs), maxTopicsPerCall); f != nil {
		return nil, f
	}
	g, p, f := s.lookupPermGroup(req.GroupID, req.PGID)
	if f != nil {
		return nil, f
	}
	list := make([]map[string]any, len(req.TopicIDs))
	for i, t := range req.TopicIDs {
		_, has := p.topics[t]
		switch {
		case has:
			delete(p.topics, t)
			p.deleted[t] = true
			list[i] = topicResult(t, 0, "")
		case p.deleted[t]:
			list[i] = topicResult(t, tim.ErrTopicPermissionAlreadyDeleted, "topic permission already deleted")
		case !validTopicID(g.id, t) || g.topics[t] == nil:
			list[i] = topicResult(t, tim.ErrInvalidTopicID, "invalid topic ID")
		default:
			list[i] = topicResult(t, tim.ErrTopicNotInPermissionGroup, "topic not in the permission group")
		}
	}
	return result{"TopicPermissionResultList": list}, nil
}

func topicResult(topicID string, code tim.ErrorCode, info string) map[string]any {
	return map[string]any{"ErrorCode": int(code), "ErrorInfo": info, "TopicId": topicID}
}

// memberListRequest is the body of the two permission-group member writes.
type memberListRequest struct {
	GroupID string `json:"GroupId"`
	PGID    string `json:"PermissionGroupId"`
	Members []struct {
		Account string `json:"Member_Account"`
	} `json:"MemberList"`
}

func (s *Server) decodeMemberList(body []byte) (*group, *permGroup, []string, *fail) {
	var req memberListRequest
	if f := decode(body, &req); f != nil {
		return nil, nil, nil, f
	}
	if f := checkCount("MemberList", len(req.Members), maxMembersPerCall); f != nil {
		return nil, nil, nil, f
	}
	accounts := make([]string, len(req.Members))
	for i, m := range req.Members {
		if m.Account == "" {
			return nil, nil, nil, failf(tim.ErrInvalidParameter, "MemberList entry %d has no Member_Account", i)
		}
		accounts[i] = m.Account
	}
	g, p, f := s.lookupPermGroup(req.GroupID, req.PGID)
	if f != nil {
		return nil, nil, nil, f
	}
	return g, p, accounts, nil
}

// addPermissionGroupMember answers MemberList items of {Member_Account,
// Result}, Result being 0 or the account's error code: 10013 for a member
// already in the group, 110012 past the member limit, and 10019 for an
// account that is not a member of the community (the code the real service
// uses for that is not documented).
func (s *Server) addPermissionGroupMember(body []byte) (result, *fail) {
	g, p, accounts, f := s.decodeMemberList(body)
	if f != nil {
		return nil, f
	}
	list := make([]map[string]any, len(accounts))
	for i, a := range accounts {
		code := tim.ErrorCode(0)
		_, inGroup := g.members[a]
		_, already := p.members[a]
		switch {
		case !inGroup:
			code = tim.ErrUserNotFound
		case already:
			code = tim.ErrAlreadyMember
		case s.memberLimit > 0 && len(p.members) >= s.memberLimit:
			code = tim.ErrPermissionGroupMemberLimit
		default:
			s.addPermGroupMember(p, a)
		}
		list[i] = map[string]any{"Member_Account": a, "Result": int(code)}
	}
	return result{"MemberList": list}, nil
}

// deletePermissionGroupMember succeeds for every account, members or not,
// and answers with the envelope alone.
func (s *Server) deletePermissionGroupMember(body []byte) (result, *fail) {
	_, p, accounts, f := s.decodeMemberList(body)
	if f != nil {
		return nil, f
	}
	for _, a := range accounts {
		delete(p.members, a)
	}
	return nil, nil
}

// getPermissionGroupMemberList pages through the members in the order they
// were added; the cursor is the last one's serial. Without a Limit it answers
// every member at once.
func (s *Server) getPermissionGroupMemberList(body []byte) (result, *fail) {
	var req struct {
		GroupID string         `json:"GroupId"`
		PGID    string         `json:"PermissionGroupId"`
		Limit   *int           `json:"Limit"`
		Next    stringOrNumber `json:"Next"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if req.Limit != nil && (*req.Limit < 1 || *req.Limit > maxMembersPerPage) {
		return nil, failf(tim.ErrInvalidParameter, "Limit must be 1 to %d", maxMembersPerPage)
	}
	g, p, f := s.lookupPermGroup(req.GroupID, req.PGID)
	if f != nil {
		return nil, f
	}
	after, f := req.Next.serial()
	if f != nil {
		return nil, f
	}
	accounts := slices.SortedFunc(maps.Keys(p.members), func(a, b string) int { return cmp.Compare(p.members[a], p.members[b]) })
	start := sort.Search(len(accounts), func(i int) bool { return p.members[accounts[i]] > after })
	end := len(accounts)
	if req.Limit != nil {
		end = min(start+*req.Limit, end)
	}
	list := make([]map[string]any, 0, end-start)
	for _, a := range accounts[start:end] {
		list = append(list, memberItem(g, a))
	}
	next := ""
	if end < len(accounts) {
		next = strconv.FormatUint(p.members[accounts[end-1]], 10)
	}
	return result{"MemberList": list, "Next": next}, nil
}

// memberItem is a member as the member list answers it: the account and its
// group profile, under the names get_group_member_info uses (the docs of the
// member list do not name them).
func memberItem(g *group, account string) map[string]any {
	item := map[string]any{"Member_Account": account, "Role": string(g.members[account])}
	if p := g.profiles[account]; p != nil {
		item["JoinTime"] = p.joinTime
		item["NameCard"] = p.NameCard
		if len(p.CustomData) > 0 {
			custom := make([]map[string]string, 0, len(p.CustomData))
			for _, k := range slices.Sorted(maps.Keys(p.CustomData)) {
				custom = append(custom, map[string]string{"Key": k, "Value": p.CustomData[k]})
			}
			item["AppMemberDefinedData"] = custom
		}
	}
	return item
}

// checkCount answers 10004 for a required list that is empty or too long.
func checkCount(field string, n, limit int) *fail {
	switch {
	case n == 0:
		return failf(tim.ErrInvalidParameter, "%s is required", field)
	case n > limit:
		return failf(tim.ErrInvalidParameter, "%s holds %d entries; at most %d", field, n, limit)
	}
	return nil
}
