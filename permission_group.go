package tim

import (
	"context"
	"iter"
	"slices"
	"strconv"
)

// MaxPermissionGroupsPerPage is the largest Limit get_permission_group accepts.
const MaxPermissionGroupsPerPage = 20

const cmdGetPermissionGroup = CommandGetPermissionGroup

// PermissionGroup is one permission group of a community, as
// get_permission_group returns it.
type PermissionGroup struct {
	// ID is the PermissionGroupId, "@PMG#_..." ("@PMG#_@PMG#..." when the
	// server made it).
	ID string
	// Name is the PermissionGroupName.
	Name string
	// CustomString is the app's own data attached to the group.
	CustomString string
	// Permission is what the group's members may do in the community.
	Permission GroupPermission
	// MemberCount is the number of members. The sample responses name it
	// MemberCount and the data-model page MemberNum; either is decoded.
	MemberCount int
	// CreateTime is the creation time in Unix seconds, when the server sends it.
	CreateTime int64
	// ErrorCode and ErrorInfo are the per-item result: when ErrorCode is not
	// 0 the other fields are meaningless. See [PermissionGroup.Err].
	ErrorCode ErrorCode
	ErrorInfo string
}

// Err returns the item's failure as an [*ItemError] (for example one
// matching [ErrPermissionGroupNotFound] for an ID that does not exist), or
// nil.
func (g PermissionGroup) Err() error {
	return itemError(cmdGetPermissionGroup, g.ID, g.ErrorCode, g.ErrorInfo)
}

// GetPermissionGroupsRequest asks for the permission groups of a community.
type GetPermissionGroupsRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupIDs selects groups by ID ("@PMG#_…"); empty means all
	// of them.
	PermissionGroupIDs []string
	// Limit is the page size, 1 to [MaxPermissionGroupsPerPage]; 0 leaves it
	// to the server (the iterator asks for the maximum).
	Limit int
	// Next is the cursor from the previous page; "" for the first.
	Next string
}

func (r *GetPermissionGroupsRequest) validate() error {
	const cmd = cmdGetPermissionGroup
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkCommunityID(cmd, r.GroupID); err != nil {
		return err
	}
	if r.Limit < 0 || r.Limit > MaxPermissionGroupsPerPage {
		return invalid(cmd, "Limit", "Limit", strconv.Itoa(r.Limit)+" is outside 0.."+strconv.Itoa(MaxPermissionGroupsPerPage))
	}
	if reason := badText(r.Next); reason != "" {
		return invalid(cmd, "Next", "Next", reason)
	}
	if len(r.PermissionGroupIDs) == 0 {
		return nil
	}
	return checkList(cmd, "PermissionGroupIDs", "PermissionGroupIdList", r.PermissionGroupIDs, false, func(field, id string) error {
		return checkPermissionGroupID(cmd, field, "PermissionGroupIdList", id)
	})
}

// PermissionGroupsPage is one page of get_permission_group.
type PermissionGroupsPage struct {
	PermissionGroups []PermissionGroup
	// Next is the cursor of the following page; "" on the last page.
	Next string
}

type getPermissionGroupBody struct {
	GroupID            string   `json:"GroupId"`
	PermissionGroupIDs []string `json:"PermissionGroupIdList,omitempty"`
	Limit              int      `json:"Limit,omitempty"`
	Next               *string  `json:"Next,omitempty"`
}

type permissionGroupItem struct {
	ErrorCode           ErrorCode       `json:"ErrorCode"`
	ErrorInfo           string          `json:"ErrorInfo"`
	PermissionGroupID   string          `json:"PermissionGroupId"`
	PermissionGroupName string          `json:"PermissionGroupName"`
	CustomString        string          `json:"CustomString"`
	Permission          GroupPermission `json:"Permission"`
	MemberCount         *flexInt        `json:"MemberCount"`
	MemberNum           *flexInt        `json:"MemberNum"`
	CreateTime          flexInt         `json:"CreateTime"`
}

type getPermissionGroupResponse struct {
	envelope
	PermissionGroupInfoList []*permissionGroupItem `json:"PermissionGroupInfoList"`
	Next                    cursor                 `json:"Next"`
}

// GetPermissionGroups returns one page of a community's permission groups
// (get_permission_group). The request is checked before anything is sent.
// Items the server could not return carry a per-item error: see
// [PermissionGroup.Err]. To walk every page use [Client.AllPermissionGroups];
// for one group by ID, [Client.GetPermissionGroup].
//
// Docs: https://trtc.io/document/61235
func (c *Client) GetPermissionGroups(ctx context.Context, req *GetPermissionGroupsRequest) (*PermissionGroupsPage, error) {
	if err := c.ready(ctx, cmdGetPermissionGroup); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body := getPermissionGroupBody{
		GroupID:            req.GroupID,
		PermissionGroupIDs: req.PermissionGroupIDs,
		Limit:              req.Limit,
	}
	if len(req.PermissionGroupIDs) == 0 || req.Next != "" {
		// Paging: the first page sends "Next": "", as the docs ask.
		body.Next = &req.Next
	}
	var resp getPermissionGroupResponse
	if err := c.call(ctx, cmdGetPermissionGroup, &body, &resp); err != nil {
		return nil, err
	}
	page := &PermissionGroupsPage{
		PermissionGroups: make([]PermissionGroup, len(resp.PermissionGroupInfoList)),
		Next:             string(resp.Next),
	}
	for i, it := range resp.PermissionGroupInfoList {
		if it == nil {
			return nil, nullItem(cmdGetPermissionGroup, i)
		}
		g := PermissionGroup{
			ID:           it.PermissionGroupID,
			Name:         it.PermissionGroupName,
			CustomString: it.CustomString,
			Permission:   it.Permission,
			CreateTime:   int64(it.CreateTime),
			ErrorCode:    it.ErrorCode,
			ErrorInfo:    it.ErrorInfo,
		}
		if it.MemberCount != nil {
			g.MemberCount = int(*it.MemberCount)
		} else if it.MemberNum != nil {
			g.MemberCount = int(*it.MemberNum)
		}
		page.PermissionGroups[i] = g
	}
	return page, nil
}

// PermissionGroupGetter is the one method a [Paginator] of permission groups
// needs; *Client implements it, and a test double can too.
type PermissionGroupGetter interface {
	GetPermissionGroups(ctx context.Context, req *GetPermissionGroupsRequest) (*PermissionGroupsPage, error)
}

// NewPermissionGroupPaginator returns a [Paginator] over the permission groups
// req selects, starting at req.Next. It copies req; with Limit 0 it asks for
// [MaxPermissionGroupsPerPage] a page. Invalid input is reported by the first
// [Paginator.NextPage] before anything is sent.
func NewPermissionGroupPaginator(api PermissionGroupGetter, req *GetPermissionGroupsRequest) *Paginator[PermissionGroup] {
	if api == nil {
		return failedPaginator[PermissionGroup](invalid(cmdGetPermissionGroup, "api", "", "is nil"))
	}
	if err := req.validate(); err != nil {
		return failedPaginator[PermissionGroup](err)
	}
	return permissionGroupPages(api, req.clone())
}

// permissionGroupPages pages through the groups params selects; params is
// valid and owned by the paginator.
func permissionGroupPages(api PermissionGroupGetter, params GetPermissionGroupsRequest) *Paginator[PermissionGroup] {
	if params.Limit == 0 {
		params.Limit = MaxPermissionGroupsPerPage
	}
	fetch := func(ctx context.Context, next string) ([]PermissionGroup, string, error) {
		pageReq := params // each page works on its own copy
		pageReq.Next = next
		page, err := api.GetPermissionGroups(ctx, &pageReq)
		if err != nil {
			return nil, "", err
		}
		return page.PermissionGroups, page.Next, nil
	}
	return newPaginator(params.Next, fetch, PermissionGroup.Err)
}

func (r *GetPermissionGroupsRequest) clone() GetPermissionGroupsRequest {
	c := *r
	c.PermissionGroupIDs = slices.Clone(r.PermissionGroupIDs)
	return c
}

// AllPermissionGroups returns an iterator over every permission group req
// selects, fetching pages as the loop needs them. Two kinds of error come
// out of it: an item the server could not return (an ID that does not
// exist, say) is yielded with an [*ItemError], and the loop may go on; a
// failed request is yielded with its own error and ends the loop:
//
//	for g, err := range client.AllPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: id}) {
//		var itemErr *tim.ItemError
//		if errors.As(err, &itemErr) {
//			continue // this group only
//		}
//		if err != nil {
//			return err // the listing failed
//		}
//		fmt.Println(g.ID, g.Name, g.Permission)
//	}
//
// req is copied when AllPermissionGroups is called and never modified; each
// range over the iterator starts again from req.Next.
func (c *Client) AllPermissionGroups(ctx context.Context, req *GetPermissionGroupsRequest) iter.Seq2[PermissionGroup, error] {
	if err := c.ready(ctx, cmdGetPermissionGroup); err != nil {
		return failedPaginator[PermissionGroup](err).All(ctx)
	}
	if err := req.validate(); err != nil {
		return failedPaginator[PermissionGroup](err).All(ctx)
	}
	params := req.clone()
	return func(yield func(PermissionGroup, error) bool) {
		permissionGroupPages(c, params).All(ctx)(yield)
	}
}
