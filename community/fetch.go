package community

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/timkit/tim"
)

// fetchGroup reads one permission group by ID: its fields and, when asked,
// its topic permissions and members. calls counts the requests made.
func fetchGroup(ctx context.Context, c Client, groupID, pgID string, topics, members bool) (g *PermissionGroup, calls int, err error) {
	page, err := c.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: groupID, PermissionGroupIDs: []string{pgID}})
	calls = callsOf(err)
	if err == nil && len(page.PermissionGroups) != 1 {
		err = fmt.Errorf("the answer holds %d groups, not 1", len(page.PermissionGroups))
	}
	if err == nil {
		err = page.PermissionGroups[0].Err()
	}
	if err != nil {
		return nil, calls, err
	}
	pg := page.PermissionGroups[0]
	g = &PermissionGroup{ID: pgID, Name: pg.Name, CustomString: pg.CustomString, Permission: pg.Permission,
		Topics: map[string]tim.TopicPermission{}, Members: []string{}}
	if topics {
		t, n, err := fetchTopics(ctx, c, groupID, pgID, nil)
		calls += n
		if err != nil {
			return nil, calls, err
		}
		g.Topics = t
	}
	if members {
		m, n, err := fetchMembers(ctx, c, groupID, pgID, pg.MemberCount)
		calls += n
		if err != nil {
			return nil, calls, err
		}
		g.Members = m
	}
	return g, calls, nil
}

// fetchTopics reads a group's topic permissions: all of them (one call)
// for nil topicIDs, else those topics, 50 a call. Topics the group has no
// permission in are left out.
func fetchTopics(ctx context.Context, c Client, groupID, pgID string, topicIDs []string) (map[string]tim.TopicPermission, int, error) {
	out := map[string]tim.TopicPermission{}
	calls := 0
	if topicIDs != nil && len(topicIDs) == 0 {
		return out, 0, nil
	}
	for start := 0; start == 0 || start < len(topicIDs); start += tim.MaxTopicsPerCall {
		var ids []string
		if topicIDs != nil {
			ids = topicIDs[start:min(start+tim.MaxTopicsPerCall, len(topicIDs))]
		}
		res, err := c.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: groupID, PermissionGroupID: pgID, TopicIDs: ids})
		calls += callsOf(err)
		if err != nil {
			return nil, calls, err
		}
		for _, r := range res {
			switch err := r.Err(); {
			case err == nil:
				out[r.TopicID] = r.Permission
			case errors.Is(err, tim.ErrTopicPermissionAlreadyDeleted), errors.Is(err, tim.ErrTopicNotInPermissionGroup):
				// no permission in the topic
			default:
				return nil, calls, err
			}
		}
		if topicIDs == nil {
			break
		}
	}
	return out, calls, nil
}

// fetchMembers pages through a group's members, 50 a page, and returns them
// sorted, each once.
func fetchMembers(ctx context.Context, c Client, groupID, pgID string, hint int) ([]string, int, error) {
	p := tim.NewPermissionGroupMemberPaginator(c, &tim.GetPermissionGroupMembersRequest{
		GroupID: groupID, PermissionGroupID: pgID, Limit: tim.MaxMembersPerPage,
	})
	members := make([]string, 0, max(0, min(hint, 1<<16)))
	calls := 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		calls++
		if err != nil {
			return nil, calls, err
		}
		for _, m := range page {
			members = append(members, m.Account)
		}
	}
	members = sortedUnique(members)
	return members, calls, nil
}

// callsOf is how many requests a one-request call that returned err made:
// none when the SDK refused the input.
func callsOf(err error) int {
	var ve *tim.ValidationError
	if errors.As(err, &ve) {
		return 0
	}
	return 1
}

// fetchTopicList reads topics of community groupID with one get_topic: all
// of them for nil ids, else those (a topic that was destroyed, 110003, or
// never was, 10010, is left out). A community without topics (11000)
// reads as none, with unsupported set.
func fetchTopicList(ctx context.Context, c Client, groupID string, ids []string) (topics []Topic, unsupported bool, err error) {
	list, err := c.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: groupID, TopicIDs: ids})
	switch {
	case errors.Is(err, tim.ErrCommunityNotSupported):
		return []Topic{}, true, nil
	case err != nil:
		return nil, false, err
	}
	topics = make([]Topic, 0, len(list))
	for i := range list {
		switch err := list[i].Err(); {
		case err == nil:
			topics = append(topics, topicOf(&list[i]))
		case ids != nil && (errors.Is(err, tim.ErrTopicNotFound) || errors.Is(err, tim.ErrGroupNotFound)):
			// asked for by ID, and gone
		default:
			return nil, false, err
		}
	}
	return topics, false, nil
}

// fetchInfo reads the community's profile with one get_group_info, and
// refuses a group that is not a community.
func fetchInfo(ctx context.Context, c Client, groupID string) (*tim.GroupInfo, error) {
	infos, err := c.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{GroupIDs: []string{groupID}})
	if err == nil && len(infos) != 1 {
		err = errors.New("the answer holds no profile of the community")
	}
	if err == nil {
		err = infos[0].Err()
	}
	if err == nil && infos[0].Type != "" && !strings.EqualFold(infos[0].Type, "Community") {
		err = errors.New("the group is of type " + infos[0].Type + ", not a community")
	}
	if err != nil {
		return nil, err
	}
	return &infos[0], nil
}

// setInfo copies the owner and the settings of info into s.
func (s *Snapshot) setInfo(info *tim.GroupInfo) {
	s.Owner = info.Owner
	if info.PermissionGroupsEnabled != nil {
		s.PermissionGroupsEnabled = tim.Ptr(*info.PermissionGroupsEnabled)
	}
	if info.DefaultPermission != nil {
		s.DefaultPermission = tim.Ptr(*info.DefaultPermission)
	}
}
