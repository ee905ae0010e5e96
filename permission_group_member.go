package tim

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"strconv"
)

const (
	// MaxMembersPerCall is how many accounts one add_permission_group_member
	// or delete_permission_group_member request may name; longer lists are split.
	MaxMembersPerCall = 100
	// MaxMembersPerPage is the largest Limit get_permission_group_member_list accepts.
	MaxMembersPerPage = 50
)

const (
	cmdAddPermissionGroupMember    = CommandAddPermissionGroupMember
	cmdDeletePermissionGroupMember = CommandDeletePermissionGroupMember
	cmdGetPermissionGroupMembers   = CommandGetPermissionGroupMemberList
)

// PermissionGroupMembersRequest names accounts to add to or remove from a
// permission group, for [Client.AddPermissionGroupMembers] and
// [Client.DeletePermissionGroupMembers].
type PermissionGroupMembersRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupID is the permission group ("@PMG#_…"). Required.
	PermissionGroupID string
	// Accounts are the members: at least one, none twice. Any number;
	// longer lists than [MaxMembersPerCall] are split.
	Accounts []string
}

type memberAccount struct {
	Account string `json:"Member_Account"`
}

type permissionGroupMemberBody struct {
	GroupID           string          `json:"GroupId"`
	PermissionGroupID string          `json:"PermissionGroupId"`
	MemberList        []memberAccount `json:"MemberList"`
}

// memberWriteResponse is the answer of add_permission_group_member and
// delete_permission_group_member. The add answer is documented: MemberList
// items of {Member_Account, Result}, Result an error code (0 success, 10013
// already a member, others from the error-code table). The delete answer is
// not: it may hold the same list or only the envelope.
type memberWriteResponse struct {
	envelope
	MemberList []*memberResultItem `json:"MemberList"`
}

// memberResultItem is one account's result. An item with
// ErrorCode/ErrorInfo instead of Result (the shape of the other lists) is
// read as well; when both are there, a non-zero one wins.
type memberResultItem struct {
	Account   string     `json:"Member_Account"`
	Result    *ErrorCode `json:"Result"`
	ErrorCode *ErrorCode `json:"ErrorCode"`
	ErrorInfo string     `json:"ErrorInfo"`
}

func (it *memberResultItem) result() ItemResult {
	r := ItemResult{ID: it.Account, ErrorInfo: it.ErrorInfo}
	switch {
	case it.ErrorCode != nil && *it.ErrorCode != 0:
		r.ErrorCode = *it.ErrorCode
	case it.Result != nil:
		r.ErrorCode = *it.Result
	}
	return r
}

// AddPermissionGroupMembers puts community members into a permission group
// (add_permission_group_member) and returns one result per account, in the
// order of accounts. An account already in the group fails alone with
// [ErrAlreadyMember]:
//
//	for _, r := range results {
//		if err := r.Err(); err != nil && !errors.Is(err, tim.ErrAlreadyMember) {
//			log.Printf("%s: %v", r.ID, err)
//		}
//	}
//
// More than [MaxMembersPerCall] accounts are sent in several requests, one
// after another; if one fails, the call returns the results of the requests
// before it with a *[BatchError] accounting for the other accounts. The
// request is checked before anything is sent. For one account,
// [Client.AddPermissionGroupMember] is shorter.
//
// Each account's Result is an error code, as documented: 0 success, 10013
// already a member.
//
// Docs: https://trtc.io/document/61240
func (c *Client) AddPermissionGroupMembers(ctx context.Context, req *PermissionGroupMembersRequest) ([]ItemResult, error) {
	return c.writeMembers(ctx, cmdAddPermissionGroupMember, req)
}

// DeletePermissionGroupMembers takes accounts out of a permission group
// (delete_permission_group_member). An account that is not in the group
// succeeds, as the service documents. Results, splits and checks are as for
// [Client.AddPermissionGroupMembers]; an answer without a per-member list
// means every account succeeded, and one that names only some accounts
// means the others succeeded.
//
// Docs: https://trtc.io/document/61241
func (c *Client) DeletePermissionGroupMembers(ctx context.Context, req *PermissionGroupMembersRequest) ([]ItemResult, error) {
	return c.writeMembers(ctx, cmdDeletePermissionGroupMember, req)
}

func (c *Client) writeMembers(ctx context.Context, cmd string, req *PermissionGroupMembersRequest) ([]ItemResult, error) {
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupAndPermissionGroup(cmd, req.GroupID, req.PermissionGroupID); err != nil {
		return nil, err
	}
	err := checkList(cmd, "Accounts", "MemberList", req.Accounts, true, func(field, a string) error {
		return checkAccount(cmd, field, "Member_Account", a)
	})
	if err != nil {
		return nil, err
	}
	groupID, permissionGroupID, accounts := req.GroupID, req.PermissionGroupID, req.Accounts
	return inBatches(ctx, cmd, accounts, accounts, MaxMembersPerCall, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		body := permissionGroupMemberBody{GroupID: groupID, PermissionGroupID: permissionGroupID, MemberList: make([]memberAccount, len(batch))}
		for i, a := range batch {
			body.MemberList[i].Account = a
		}
		var resp memberWriteResponse
		if err := c.call(ctx, cmd, &body, &resp); err != nil {
			return nil, err
		}
		got, err := itemResults(cmd, resp.MemberList, (*memberResultItem).result)
		if err != nil {
			return nil, err
		}
		shape := listInferred
		if cmd == cmdDeletePermissionGroupMember {
			// Deleting succeeds for every account, members or not, so a
			// delete answer names failures only: an account it leaves out
			// (or an empty list) succeeded.
			shape = listOfFailures
		}
		return inOrder(cmd, batch, got, shape)
	})
}

// PermissionGroupMember is one member of a permission group, as
// get_permission_group_member_list returns it. The docs say an item carries
// the member's group profile and custom member fields without listing their
// names. The fields below are read under the names the group-member profile
// uses elsewhere in the API (get_group_member_info), when present, and Raw
// keeps the whole item for the rest.
type PermissionGroupMember struct {
	// Account is the Member_Account.
	Account string
	// Role is the member's role in the community (Role), when sent.
	Role Role
	// JoinTime is when the account joined the community, in Unix seconds
	// (JoinTime), when sent.
	JoinTime int64
	// NameCard is the member's name card in the community (NameCard), when
	// sent.
	NameCard string
	// CustomData holds the member's custom fields (AppMemberDefinedData),
	// when sent: read from a list of {"Key", "Value"} objects, as the
	// group-member profile sends them, or from a JSON object. A value that
	// is not a JSON string is kept as its JSON text.
	CustomData map[string]string
	// Raw is the item as the server sent it, for fields not decoded above.
	Raw json.RawMessage
}

// UnmarshalJSON decodes an item of MemberList and keeps its bytes in Raw.
// Role is trimmed of spaces, as for [GroupMember].
func (m *PermissionGroupMember) UnmarshalJSON(b []byte) error {
	it, custom, err := decodeMember(b)
	if err != nil {
		return err
	}
	*m = PermissionGroupMember{
		Account:    it.Account,
		Role:       it.Role,
		JoinTime:   int64(it.JoinTime),
		NameCard:   it.NameCard,
		CustomData: custom,
		Raw:        append(json.RawMessage(nil), b...),
	}
	return nil
}

// customData reads AppMemberDefinedData: [{"Key": k, "Value": v}, ...] or
// {k: v, ...}; nil when absent or null.
func customData(raw json.RawMessage) (map[string]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var pairs map[string]json.RawMessage
	if raw[0] == '[' {
		var list []*struct {
			Key   string          `json:"Key"`
			Value json.RawMessage `json:"Value"`
		}
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
		pairs = make(map[string]json.RawMessage, len(list))
		for _, kv := range list {
			if kv != nil {
				pairs[kv.Key] = kv.Value
			}
		}
	} else if err := json.Unmarshal(raw, &pairs); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(pairs))
	for k, v := range pairs {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		out[k] = s
	}
	return out, nil
}

// GetPermissionGroupMembersRequest asks for one page of a permission group's members.
type GetPermissionGroupMembersRequest struct {
	// GroupID is the community's GroupId ("@TGS#_…"). Required.
	GroupID string
	// PermissionGroupID is the permission group ("@PMG#_…"). Required.
	PermissionGroupID string
	// Limit is the page size, 1 to [MaxMembersPerPage]; 0 leaves it to the
	// server (the iterator asks for the maximum).
	Limit int
	// Next is the cursor from the previous page; "" for the first.
	Next string
}

func (r *GetPermissionGroupMembersRequest) validate() error {
	const cmd = cmdGetPermissionGroupMembers
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupAndPermissionGroup(cmd, r.GroupID, r.PermissionGroupID); err != nil {
		return err
	}
	if r.Limit < 0 || r.Limit > MaxMembersPerPage {
		return invalid(cmd, "Limit", "Limit", strconv.Itoa(r.Limit)+" is outside 0.."+strconv.Itoa(MaxMembersPerPage))
	}
	if reason := badText(r.Next); reason != "" {
		return invalid(cmd, "Next", "Next", reason)
	}
	return nil
}

// PermissionGroupMembersPage is one page of get_permission_group_member_list.
type PermissionGroupMembersPage struct {
	Members []PermissionGroupMember
	// Next is the cursor of the following page; "" on the last page.
	Next string
}

type getPermissionGroupMembersBody struct {
	GroupID           string `json:"GroupId"`
	PermissionGroupID string `json:"PermissionGroupId"`
	Limit             int    `json:"Limit,omitempty"`
	Next              string `json:"Next"`
}

type getPermissionGroupMembersResponse struct {
	envelope
	MemberList []*PermissionGroupMember `json:"MemberList"`
	Next       cursor                   `json:"Next"`
}

// GetPermissionGroupMembers returns one page of a permission group's members
// (get_permission_group_member_list). To walk every page use
// [Client.AllPermissionGroupMembers].
//
// Docs: https://trtc.io/document/61242
func (c *Client) GetPermissionGroupMembers(ctx context.Context, req *GetPermissionGroupMembersRequest) (*PermissionGroupMembersPage, error) {
	if err := c.ready(ctx, cmdGetPermissionGroupMembers); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body := getPermissionGroupMembersBody{GroupID: req.GroupID, PermissionGroupID: req.PermissionGroupID, Limit: req.Limit, Next: req.Next}
	var resp getPermissionGroupMembersResponse
	if err := c.call(ctx, cmdGetPermissionGroupMembers, &body, &resp); err != nil {
		return nil, err
	}
	page := &PermissionGroupMembersPage{Members: make([]PermissionGroupMember, len(resp.MemberList)), Next: string(resp.Next)}
	for i, m := range resp.MemberList {
		if m == nil {
			return nil, nullItem(cmdGetPermissionGroupMembers, i)
		}
		page.Members[i] = *m
	}
	return page, nil
}

// PermissionGroupMemberGetter is the one method a [Paginator] of
// permission-group members needs; *Client implements it.
type PermissionGroupMemberGetter interface {
	GetPermissionGroupMembers(ctx context.Context, req *GetPermissionGroupMembersRequest) (*PermissionGroupMembersPage, error)
}

// NewPermissionGroupMemberPaginator returns a [Paginator] over the members of
// the permission group req names, starting at req.Next. It copies req; with
// Limit 0 it asks for [MaxMembersPerPage] a page. Invalid input is reported
// by the first [Paginator.NextPage] before anything is sent.
func NewPermissionGroupMemberPaginator(api PermissionGroupMemberGetter, req *GetPermissionGroupMembersRequest) *Paginator[PermissionGroupMember] {
	if api == nil {
		return failedPaginator[PermissionGroupMember](invalid(cmdGetPermissionGroupMembers, "api", "", "is nil"))
	}
	if err := req.validate(); err != nil {
		return failedPaginator[PermissionGroupMember](err)
	}
	return memberPages(api, *req)
}

func memberPages(api PermissionGroupMemberGetter, params GetPermissionGroupMembersRequest) *Paginator[PermissionGroupMember] {
	if params.Limit == 0 {
		params.Limit = MaxMembersPerPage
	}
	fetch := func(ctx context.Context, next string) ([]PermissionGroupMember, string, error) {
		pageReq := params
		pageReq.Next = next
		page, err := api.GetPermissionGroupMembers(ctx, &pageReq)
		if err != nil {
			return nil, "", err
		}
		return page.Members, page.Next, nil
	}
	return newPaginator(params.Next, fetch, func(PermissionGroupMember) error { return nil })
}

// AllPermissionGroupMembers returns an iterator over every member of the
// permission group req names, fetching pages as the loop needs them. A failed
// request yields the error and ends the loop (member items carry no
// per-item code, so there is no [*ItemError] here). req is copied when
// AllPermissionGroupMembers is called; each range starts again from req.Next.
//
// Docs: https://trtc.io/document/61242
func (c *Client) AllPermissionGroupMembers(ctx context.Context, req *GetPermissionGroupMembersRequest) iter.Seq2[PermissionGroupMember, error] {
	if err := c.ready(ctx, cmdGetPermissionGroupMembers); err != nil {
		return failedPaginator[PermissionGroupMember](err).All(ctx)
	}
	if err := req.validate(); err != nil {
		return failedPaginator[PermissionGroupMember](err).All(ctx)
	}
	params := *req
	return func(yield func(PermissionGroupMember, error) bool) {
		memberPages(c, params).All(ctx)(yield)
	}
}
