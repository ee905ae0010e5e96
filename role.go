package tim

import (
	"context"
	"errors"

	"github.com/timkit/tim/internal/workers"
)

// MaxRoleAccountsPerCall is how many accounts one get_role_in_group request
// may ask about; [Client.GetRoleInGroup] splits longer lists.
const MaxRoleAccountsPerCall = 500

const cmdGetRoleInGroup = CommandGetRoleInGroup

// Role is a member's role in a group. Values the SDK does not know are kept
// as the server sent them.
type Role string

// The roles get_role_in_group answers.
const (
	RoleOwner     Role = "Owner"
	RoleAdmin     Role = "Admin"
	RoleMember    Role = "Member"
	RoleNotMember Role = "NotMember"
)

// Known reports whether r is one of the documented roles.
func (r Role) Known() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleMember, RoleNotMember:
		return true
	}
	return false
}

// IsMember reports whether r is a member of the group in any role.
func (r Role) IsMember() bool { return r == RoleOwner || r == RoleAdmin || r == RoleMember }

// MemberRole is one account's role in a group.
type MemberRole struct {
	Account string // the Member_Account asked about
	Role    Role   // its role; RoleNotMember when it is not in the group
}

// GetRoleInGroupRequest asks for the roles of accounts in a group.
type GetRoleInGroupRequest struct {
	// GroupID is the group's GroupId. Required. get_role_in_group serves
	// every group type but AVChatRoom, so any ID is accepted, not only a
	// community's.
	GroupID string
	// Accounts are the accounts to ask about. Required; any number (see
	// [Client.GetRoleInGroup]).
	Accounts []string
}

func (r *GetRoleInGroupRequest) validate() error {
	const cmd = cmdGetRoleInGroup
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupID(cmd, r.GroupID); err != nil {
		return err
	}
	return checkList(cmd, "Accounts", "User_Account", r.Accounts, false, func(field, a string) error {
		return checkAccount(cmd, field, "User_Account", a)
	})
}

type getRoleInGroupBody struct {
	GroupID  string   `json:"GroupId"`
	Accounts []string `json:"User_Account"`
}

type getRoleInGroupResponse struct {
	envelope
	UserIDList []roleItem `json:"UserIdList"`
}

type roleItem struct {
	Account string `json:"Member_Account"`
	Role    Role   `json:"Role"`
}

// GetRoleInGroup returns the role of each account in the group
// (get_role_in_group), in the order of req.Accounts. Accounts that are not
// members have [RoleNotMember]. For one account, [Client.RoleOf] is shorter.
//
// More than [MaxRoleAccountsPerCall] accounts are split into requests of that
// size, sent with at most the client's [WithMaxConcurrency] in flight; the
// first failure cancels the others and is returned, with no partial result.
// A panic in one of them (in a transport, signer or limiter of yours) is
// raised again in the caller's goroutine. The request is checked before
// anything is sent.
//
// Docs: https://trtc.io/document/34963
func (c *Client) GetRoleInGroup(ctx context.Context, req *GetRoleInGroupRequest) ([]MemberRole, error) {
	if err := c.ready(ctx, cmdGetRoleInGroup); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	groupID, accounts := req.GroupID, req.Accounts
	out := make([]MemberRole, len(accounts))
	if len(accounts) <= MaxRoleAccountsPerCall {
		if err := c.getRoles(ctx, groupID, accounts, out); err != nil {
			return nil, err
		}
		return out, nil
	}
	err := workers.Run(ctx, c.concurrency, (len(accounts)+MaxRoleAccountsPerCall-1)/MaxRoleAccountsPerCall, func(ctx context.Context, i int) error {
		start := i * MaxRoleAccountsPerCall
		end := min(start+MaxRoleAccountsPerCall, len(accounts))
		return c.getRoles(ctx, groupID, accounts[start:end], out[start:end])
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getRoles asks about one chunk of at most 500 accounts and fills out, which
// has the chunk's length.
func (c *Client) getRoles(ctx context.Context, groupID string, accounts []string, out []MemberRole) error {
	if err := ctx.Err(); err != nil {
		return err // a sibling chunk failed: do not send
	}
	var resp getRoleInGroupResponse
	if err := c.call(ctx, cmdGetRoleInGroup, &getRoleInGroupBody{GroupID: groupID, Accounts: accounts}, &resp); err != nil {
		return err
	}
	list := resp.UserIDList
	inOrder := len(list) == len(accounts)
	for i := 0; inOrder && i < len(list); i++ {
		inOrder = list[i].Account == accounts[i]
	}
	if inOrder { // the usual case: the server answers in request order
		for i, u := range list {
			out[i] = MemberRole(u)
		}
		return nil
	}
	asked := make(map[string]bool, len(accounts))
	for _, a := range accounts {
		asked[a] = true
	}
	roles := make(map[string]Role, len(list))
	for _, u := range list {
		if !asked[u.Account] {
			return &DecodeError{Command: cmdGetRoleInGroup, Err: errors.New("the answer has a role for " + quoteID(u.Account) + ", which the request did not name")}
		}
		if prev, dup := roles[u.Account]; dup && prev != u.Role {
			return &DecodeError{Command: cmdGetRoleInGroup, Err: errors.New("the answer has two different roles for " + quoteID(u.Account))}
		}
		roles[u.Account] = u.Role
	}
	for i, a := range accounts {
		r, ok := roles[a]
		if !ok {
			return &DecodeError{Command: cmdGetRoleInGroup, Err: errors.New("no role for account " + quoteID(a) + " in the answer")}
		}
		out[i] = MemberRole{Account: a, Role: r}
	}
	return nil
}
