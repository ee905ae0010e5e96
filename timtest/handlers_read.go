package timtest

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// The read commands: get_permission_group, get_role_in_group and
// get_topic_permission_group. The permission-group member list is with the
// member writes in handlers_write.go; get_group_info is in
// handlers_settings.go.

// stringOrNumber decodes a field the docs show as a string or a number
// (Next, From_Account), as a string.
type stringOrNumber string

func (c *stringOrNumber) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*c = stringOrNumber(str)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*c = stringOrNumber(n.String())
	return nil
}

// serial reads a cursor the fake made, the serial of the previous page's
// last item: 0, before every item, for "" or "0".
func (c stringOrNumber) serial() (uint64, *fail) {
	if c == "" || c == "0" {
		return 0, nil
	}
	n, err := strconv.ParseUint(string(c), 10, 64)
	if err != nil {
		return 0, failf(tim.ErrInvalidParameter, "Next is not a cursor this server made")
	}
	return n, nil
}

func (s *Server) getPermissionGroup(body []byte) (result, *fail) {
	var req struct {
		GroupID string         `json:"GroupId"`
		IDs     []string       `json:"PermissionGroupIdList"`
		Limit   *int           `json:"Limit"`
		Next    stringOrNumber `json:"Next"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	limit := maxPageLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 1 || limit > maxPageLimit {
		return nil, failf(tim.ErrInvalidParameter, "Limit must be 1 to %d", maxPageLimit)
	}
	g, f := s.lookupCommunity(req.GroupID)
	if f != nil {
		return nil, f
	}

	items := []map[string]any{}
	if len(req.IDs) > 0 {
		for _, id := range req.IDs {
			switch p, ok := g.pgs[id]; {
			case !strings.HasPrefix(id, permGroupPrefix):
				items = append(items, itemFail(id, tim.ErrInvalidPermissionGroupID, "invalid permission group ID"))
			case !ok:
				items = append(items, itemFail(id, tim.ErrPermissionGroupNotFound, "permission group does not exist"))
			default:
				items = append(items, permGroupItem(p))
			}
		}
		return result{"PermissionGroupInfoList": items, "Next": ""}, nil
	}

	after, f := req.Next.serial()
	if f != nil {
		return nil, f
	}
	pgs := slices.SortedFunc(maps.Values(g.pgs), func(a, b *permGroup) int { return cmp.Compare(a.serial, b.serial) })
	start := sort.Search(len(pgs), func(i int) bool { return pgs[i].serial > after })
	end := min(start+limit, len(pgs))
	for _, p := range pgs[start:end] {
		items = append(items, permGroupItem(p))
	}
	next := ""
	if end < len(pgs) {
		next = strconv.FormatUint(pgs[end-1].serial, 10)
	}
	return result{"PermissionGroupInfoList": items, "Next": next}, nil
}

func permGroupItem(p *permGroup) map[string]any {
	return map[string]any{
		"ErrorCode":           0,
		"ErrorInfo":           "",
		"PermissionGroupId":   p.id,
		"PermissionGroupName": p.name,
		"CustomString":        p.custom,
		"Permission":          uint64(p.permission),
		"MemberCount":         len(p.members),
	}
}

func itemFail(id string, code tim.ErrorCode, info string) map[string]any {
	return map[string]any{"ErrorCode": int(code), "ErrorInfo": info, "PermissionGroupId": id}
}

func (s *Server) getRoleInGroup(body []byte) (result, *fail) {
	var req struct {
		GroupID  string   `json:"GroupId"`
		Accounts []string `json:"User_Account"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	switch {
	case len(req.Accounts) == 0:
		return nil, failf(tim.ErrInvalidParameter, "User_Account is required")
	case len(req.Accounts) > maxRoleAccounts:
		return nil, failf(tim.ErrInvalidParameter, "at most %d accounts per request", maxRoleAccounts)
	case slices.Contains(req.Accounts, ""):
		return nil, failf(tim.ErrInvalidParameter, "User_Account holds an empty account")
	}
	g, f := s.lookupGroup(req.GroupID)
	if f != nil {
		return nil, f
	}
	if g.typ == AVChatRoom {
		return nil, failf(tim.ErrNoPermission, "AVChatRoom groups do not support this API")
	}
	list := make([]map[string]any, len(req.Accounts))
	for i, a := range req.Accounts {
		role, ok := g.members[a]
		if !ok {
			role = tim.RoleNotMember
		}
		list[i] = map[string]any{"Member_Account": a, "Role": string(role)}
	}
	return result{"UserIdList": list}, nil
}

// topicListRequest is the body of get_topic_permission_group and
// delete_topic_permission_group.
type topicListRequest struct {
	GroupID  string   `json:"GroupId"`
	PGID     string   `json:"PermissionGroupId"`
	TopicIDs []string `json:"TopicIdList"`
}

func (s *Server) getTopicPermissionGroup(body []byte) (result, *fail) {
	var req topicListRequest
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if req.PGID == "" {
		return nil, failf(tim.ErrInvalidParameter, "PermissionGroupId is required")
	}
	g, p, f := s.lookupPermGroup(req.GroupID, req.PGID)
	if f != nil {
		return nil, f
	}
	topics := req.TopicIDs
	if len(topics) == 0 {
		topics = slices.Sorted(maps.Keys(p.topics))
	}
	list := make([]map[string]any, 0, len(topics))
	for _, t := range topics {
		item := map[string]any{"TopicId": t, "ErrorCode": 0, "ErrorInfo": ""}
		perm, has := p.topics[t]
		switch {
		case has:
			item["Permission"] = uint64(perm)
		case p.deleted[t]:
			item["ErrorCode"], item["ErrorInfo"] = int(tim.ErrTopicPermissionAlreadyDeleted), "topic permission already deleted"
		case !validTopicID(g.id, t) || g.topics[t] == nil:
			item["ErrorCode"], item["ErrorInfo"] = int(tim.ErrInvalidTopicID), "invalid topic ID"
		default:
			item["ErrorCode"], item["ErrorInfo"] = int(tim.ErrTopicNotInPermissionGroup), "topic not in the permission group"
		}
		list = append(list, item)
	}
	return result{"TopicPermissionResultList": list}, nil
}

// owner returns the group's owner.
func (g *group) owner() string {
	for a, r := range g.members {
		if r == tim.RoleOwner {
			return a
		}
	}
	return ""
}
