package tim

import (
	"context"
	"iter"
	"strconv"
)

// MaxGroupMembersPerPage is the largest Limit [Client.GetGroupMembers]
// sends. The docs leave a community's bound unstated (the page's text says
// "no more than 200, 100 advised" for the offset paging of other groups):
// 100 is the advised size.
const MaxGroupMembersPerPage = 100

// GetGroupMembersRequest asks for one page of a community's members, for
// [Client.GetGroupMembers]. A community pages with the Next cursor; other
// group types page with an offset, which this request does not send (use
// [Client.Do] for them).
type GetGroupMembersRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// Limit is the page size, 1 to [MaxGroupMembersPerPage]; 0 leaves it to
	// the server (the iterator asks for the maximum).
	Limit int
	// Next is the cursor from the previous page; "" for the first.
	Next string
	// Filter narrows the answer.
	Filter MemberFilter
}

func (r *GetGroupMembersRequest) validate() error {
	const cmd = CommandGetGroupMemberInfo
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, r.GroupID); err != nil {
		return err
	}
	if r.Limit < 0 || r.Limit > MaxGroupMembersPerPage {
		return invalid(cmd, "Limit", "Limit", strconv.Itoa(r.Limit)+" is outside 0.."+strconv.Itoa(MaxGroupMembersPerPage))
	}
	if reason := badText(r.Next); reason != "" {
		return invalid(cmd, "Next", "Next", reason)
	}
	return r.Filter.validate(cmd)
}

// GroupMembersPage is one page of get_group_member_info.
type GroupMembersPage struct {
	// Members are the page's members (MemberList), in the service's order.
	Members []GroupMember
	// Next is the cursor of the following page; "" on the last page.
	Next string
	// MemberCount is the community's member count (MemberNum), whatever
	// the page size.
	MemberCount int
}

type getGroupMembersBody struct {
	GroupID string `json:"GroupId"`
	Limit   int    `json:"Limit,omitempty"`
	Next    string `json:"Next"`
	memberFilterBody
}

// GetGroupMembers returns one page of a community's members with their
// group profiles (get_group_member_info). Next is sent as a string ("" for
// the first page), as the current docs say; the answer's Next is read as a
// string or a number (the older docs make it an integer), and "" or 0
// means the last page. To walk every page use [Client.AllGroupMembers] or
// [NewGroupMemberPaginator].
//
// Docs: https://cloud.tencent.com/document/product/269/1617
func (c *Client) GetGroupMembers(ctx context.Context, req *GetGroupMembersRequest) (*GroupMembersPage, error) {
	const cmd = CommandGetGroupMemberInfo
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body := getGroupMembersBody{GroupID: req.GroupID, Limit: req.Limit, Next: req.Next, memberFilterBody: req.Filter.body()}
	var resp groupMembersResponse
	if err := c.call(ctx, cmd, &body, &resp); err != nil {
		return nil, err
	}
	page := &GroupMembersPage{Members: make([]GroupMember, len(resp.MemberList)), Next: string(resp.Next), MemberCount: int(resp.MemberNum)}
	for i, m := range resp.MemberList {
		if m == nil {
			return nil, nullItem(cmd, i)
		}
		page.Members[i] = *m
	}
	return page, nil
}

// GroupMemberGetter is the one method a [Paginator] of community members
// needs; *Client implements it.
type GroupMemberGetter interface {
	GetGroupMembers(ctx context.Context, req *GetGroupMembersRequest) (*GroupMembersPage, error)
}

// NewGroupMemberPaginator returns a [Paginator] over the members of the
// community req names, starting at req.Next. It copies req; with Limit 0
// it asks for [MaxGroupMembersPerPage] a page. Invalid input is reported by
// the first [Paginator.NextPage] before anything is sent.
func NewGroupMemberPaginator(api GroupMemberGetter, req *GetGroupMembersRequest) *Paginator[GroupMember] {
	if api == nil {
		return failedPaginator[GroupMember](invalid(CommandGetGroupMemberInfo, "api", "", "is nil"))
	}
	if err := req.validate(); err != nil {
		return failedPaginator[GroupMember](err)
	}
	return groupMemberPages(api, *req)
}

func groupMemberPages(api GroupMemberGetter, params GetGroupMembersRequest) *Paginator[GroupMember] {
	if params.Limit == 0 {
		params.Limit = MaxGroupMembersPerPage
	}
	fetch := func(ctx context.Context, next string) ([]GroupMember, string, error) {
		pageReq := params
		pageReq.Next = next
		page, err := api.GetGroupMembers(ctx, &pageReq)
		if err != nil {
			return nil, "", err
		}
		return page.Members, page.Next, nil
	}
	return newPaginator(params.Next, fetch, func(GroupMember) error { return nil })
}

// AllGroupMembers returns an iterator over every member of the community
// req names, fetching pages as the loop needs them (get_group_member_info).
// A failed request yields the error and ends the loop. req is copied when
// AllGroupMembers is called; each range starts again from req.Next.
//
//	for m, err := range client.AllGroupMembers(ctx, &tim.GetGroupMembersRequest{GroupID: groupID}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(m.Account, m.Role)
//	}
//
// Docs: https://cloud.tencent.com/document/product/269/1617
func (c *Client) AllGroupMembers(ctx context.Context, req *GetGroupMembersRequest) iter.Seq2[GroupMember, error] {
	if err := c.ready(ctx, CommandGetGroupMemberInfo); err != nil {
		return failedPaginator[GroupMember](err).All(ctx)
	}
	if err := req.validate(); err != nil {
		return failedPaginator[GroupMember](err).All(ctx)
	}
	params := *req
	return func(yield func(GroupMember, error) bool) {
		groupMemberPages(c, params).All(ctx)(yield)
	}
}
