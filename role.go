package tim

import (
	"context"
	"fmt"
	"strconv"

	"golang.org/x/sync/errgroup"
)

// MaxRoleAccountsPerCall is how many accounts one get_role_in_group request
// may ask about; [Client.GetRoleInGroup] splits longer lists.
const MaxRoleAccountsPerCall = 500

const cmdGetRoleInGroup = "get_role_in_group"

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
// (get_role_in_group), in the order of accounts. Accounts that are not
// members have [RoleNotMember].
//
// More than [MaxRoleAccountsPerCall] accounts are split into requests of that
// size, sent with at most the client's [WithMaxConcurrency] in flight; the
// first failure cancels the others and is returned, with no partial result.
// An empty group ID, an empty list or an empty account is rejected before
// anything is sent.
//
// Docs: https://trtc.io/document/34963
func (c *Client) GetRoleInGroup(ctx context.Context, groupID string, accounts []string) ([]MemberRole, error) {
	if groupID == "" {
		return nil, invalid(cmdGetRoleInGroup, "GroupId", "is empty")
	}
	if len(accounts) == 0 {
		return nil, invalid(cmdGetRoleInGroup, "User_Account", "is empty")
	}
	for i, a := range accounts {
		if a == "" {
			return nil, invalid(cmdGetRoleInGroup, "User_Account", "entry "+strconv.Itoa(i)+" is empty")
		}
	}

	out := make([]MemberRole, len(accounts))
	if len(accounts) <= MaxRoleAccountsPerCall {
		if err := c.getRoles(ctx, groupID, accounts, out); err != nil {
			return nil, err
		}
		return out, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.concurrency)
	for start := 0; start < len(accounts); start += MaxRoleAccountsPerCall {
		end := min(start+MaxRoleAccountsPerCall, len(accounts))
		g.Go(func() error {
			return c.getRoles(gctx, groupID, accounts[start:end], out[start:end])
		})
	}
	if err := g.Wait(); err != nil {
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
			out[i] = MemberRole{Account: u.Account, Role: u.Role}
		}
		return nil
	}
	roles := make(map[string]Role, len(list))
	for _, u := range list {
		roles[u.Account] = u.Role
	}
	for i, a := range accounts {
		r, ok := roles[a]
		if !ok {
			return &DecodeError{Command: cmdGetRoleInGroup, Err: fmt.Errorf("no role for account %q in the answer", a)}
		}
		out[i] = MemberRole{Account: a, Role: r}
	}
	return nil
}
