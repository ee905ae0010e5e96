package tim

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// Limits of the member writes, as the docs give them; longer lists are
// split, and a name card is checked before sending.
const (
	// MaxGroupMembersPerAdd is how many accounts one add_group_member or
	// import_group_member request may name.
	MaxGroupMembersPerAdd = 300
	// MaxGroupMembersPerDelete is how many accounts one
	// delete_group_member request may name.
	MaxGroupMembersPerDelete = 100
	// MaxNameCardBytes is the longest NameCard, in bytes of UTF-8.
	MaxNameCardBytes = 50
)

// AddGroupMembersRequest names accounts to add to a group, for
// [Client.AddGroupMembers].
type AddGroupMembersRequest struct {
	// GroupID is the group's GroupId: a community, or any type but
	// AVChatRoom. Required.
	GroupID string
	// Accounts are the accounts to add: at least one, none twice. Any
	// number; longer lists than [MaxGroupMembersPerAdd] are split.
	Accounts []string
	// Silence adds them without telling the group (Silence 1).
	Silence bool
}

// DeleteGroupMembersRequest names members to remove from a group, for
// [Client.DeleteGroupMembers].
type DeleteGroupMembersRequest struct {
	// GroupID is the group's GroupId. Required.
	GroupID string
	// Accounts are the members to remove: at least one, none twice. Any
	// number; longer lists than [MaxGroupMembersPerDelete] are split.
	Accounts []string
	// Reason is shown in the removal notice; empty sends none.
	Reason string
	// Silence tells only the removed members (Silence 1).
	Silence bool
}

type addGroupMemberBody struct {
	GroupID string          `json:"GroupId"`
	Members []memberAccount `json:"MemberList"`
	Silence int             `json:"Silence,omitempty"`
}

// groupMemberResultItem is one account's result in the answer of
// add_group_member and import_group_member: {Member_Account, Result}.
type groupMemberResultItem struct {
	Account string   `json:"Member_Account"`
	Result  *flexInt `json:"Result"`
}

func (it *groupMemberResultItem) result() ItemResult {
	return ItemResult{ID: it.Account, ErrorCode: resultCode(int64(*it.Result))}
}

// resultCode turns the Result of add_group_member and import_group_member
// into the per-item code of an [ItemResult], the convention of
// add_permission_group_member: 1 (added) is 0, 2 (already a member) is
// ErrAlreadyMember, 0 (failed, with no code) is ErrNotAdded, 3 (awaiting
// the account's confirmation) is ErrAwaitingConfirmation. Any other value
// is undocumented and kept as it is, as a code.
func resultCode(result int64) ErrorCode {
	switch result {
	case 1:
		return 0
	case 2:
		return ErrAlreadyMember
	case 0:
		return ErrNotAdded
	case 3:
		return ErrAwaitingConfirmation
	}
	return ErrorCode(result)
}

type groupMemberWriteResponse struct {
	envelope
	MemberList []*groupMemberResultItem `json:"MemberList"`
}

// results reads the answer's MemberList in the order of accounts: every
// account once, each with its Result.
func (r *groupMemberWriteResponse) results(cmd string, accounts []string) ([]ItemResult, error) {
	for i, it := range r.MemberList {
		if it != nil && it.Result == nil {
			return nil, &DecodeError{Command: cmd, Err: errors.New("item " + strconv.Itoa(i) + " of MemberList has no Result")}
		}
	}
	got, err := itemResults(cmd, r.MemberList, (*groupMemberResultItem).result)
	if err != nil {
		return nil, err
	}
	return inOrder(cmd, accounts, got, listDocumented)
}

// checkMemberAccounts checks a group and the accounts of a member write:
// list is the Go name of the list (entries are named list[i] + sub), param
// and entryParam the wire names of the list and of an account in it.
func checkMemberAccounts(cmd, groupID, list, sub, param, entryParam string, accounts []string) error {
	if err := checkGroupID(cmd, groupID); err != nil {
		return err
	}
	return checkList(cmd, list, param, accounts, true, func(field, a string) error {
		return checkAccount(cmd, field+sub, entryParam, a)
	})
}

// boolInt is a switch as the service takes it: 1 or 0.
func boolInt(on bool) int {
	if on {
		return 1
	}
	return 0
}

// AddGroupMembers adds accounts to a group (add_group_member) and returns
// one result per account, in the order of req.Accounts. The service
// answers each account with a Result that is not an error code, unlike
// add_permission_group_member; the results use that command's convention,
// so both read alike:
//
//   - added (Result 1): ErrorCode 0, Err() nil;
//   - already a member (2): [ErrAlreadyMember], as add_permission_group_member's 10013;
//   - awaiting the account's confirmation (3): [ErrAwaitingConfirmation] — it
//     is not a member yet, and may become one;
//   - failed (0), for which the service gives no code: [ErrNotAdded].
//
// Every other failure is the whole request's: [ErrGroupFull],
// [ErrUserNotFound] for an account that does not exist, [ErrCallbackDenied]
// when the app's before-invite callback refuses, [ErrGroupCountLimit] when
// an account is in too many groups.
//
// More than [MaxGroupMembersPerAdd] accounts are sent in several requests,
// one after another; if one fails, the call returns the results of the
// requests before it with a *[BatchError] accounting for the other
// accounts. The request is checked before anything is sent. The command is
// not idempotent: an add whose answer was lost is not sent again.
func (c *Client) AddGroupMembers(ctx context.Context, req *AddGroupMembersRequest) ([]ItemResult, error) {
	const cmd = CommandAddGroupMember
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkMemberAccounts(cmd, req.GroupID, "Accounts", "", "MemberList", "Member_Account", req.Accounts); err != nil {
		return nil, err
	}
	groupID, quiet := req.GroupID, boolInt(req.Silence)
	return inBatches(ctx, cmd, req.Accounts, req.Accounts, MaxGroupMembersPerAdd, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		body := addGroupMemberBody{GroupID: groupID, Members: make([]memberAccount, len(batch)), Silence: quiet}
		for i, a := range batch {
			body.Members[i].Account = a
		}
		var resp groupMemberWriteResponse
		if err := c.call(ctx, cmd, &body, &resp); err != nil {
			return nil, err
		}
		return resp.results(cmd, batch)
	})
}

type deleteGroupMemberBody struct {
	GroupID  string   `json:"GroupId"`
	Accounts []string `json:"MemberToDel_Account"`
	Reason   string   `json:"Reason,omitempty"`
	Silence  int      `json:"Silence,omitempty"`
}

// DeleteGroupMembers removes members from a group (delete_group_member).
// The answer is the envelope alone, and removing an account that is not a
// member succeeds, as the docs say; so it returns one successful result
// per account, for the accounting of a split ([BatchError]). More than
// [MaxGroupMembersPerDelete] accounts are sent in several requests, one
// after another. The request is checked before anything is sent.
//
// A removed member leaves its permission groups too (inferred: the docs
// do not say; the fake in package timtest does so).
func (c *Client) DeleteGroupMembers(ctx context.Context, req *DeleteGroupMembersRequest) ([]ItemResult, error) {
	const cmd = CommandDeleteGroupMember
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkMemberAccounts(cmd, req.GroupID, "Accounts", "", "MemberToDel_Account", "MemberToDel_Account", req.Accounts); err != nil {
		return nil, err
	}
	if reason := badText(req.Reason); reason != "" {
		return nil, invalid(cmd, "Reason", "Reason", reason)
	}
	groupID, why, quiet := req.GroupID, req.Reason, boolInt(req.Silence)
	return inBatches(ctx, cmd, req.Accounts, req.Accounts, MaxGroupMembersPerDelete, func(ctx context.Context, batch, _ []string) ([]ItemResult, error) {
		var resp envelope
		if err := c.call(ctx, cmd, &deleteGroupMemberBody{GroupID: groupID, Accounts: batch, Reason: why, Silence: quiet}, &resp); err != nil {
			return nil, err
		}
		return inOrder(cmd, batch, nil, listInferred)
	})
}

// ModifyGroupMemberRequest changes one member's profile in a group, for
// [Client.ModifyGroupMember]. Only the fields that are set are sent; at
// least one must be.
type ModifyGroupMemberRequest struct {
	// GroupID is the group's GroupId. Required.
	GroupID string
	// Account is the member (Member_Account). Required.
	Account string
	// Role, when set, makes the member an admin (RoleAdmin) or takes that
	// away (RoleMember). In a community with permission groups enabled an
	// admin has no more rights than a member.
	Role *Role
	// NameCard, when set, is the member's name card, at most
	// [MaxNameCardBytes] (Ptr("") clears it).
	NameCard *string
	// MsgFlag, when set, is how the member receives the group's messages.
	MsgFlag *MsgFlag
	// MuteFor, when set, mutes the member for that long from now, in whole
	// seconds; 0 lifts a mute. Sent as MuteTime, the current docs' name
	// (ShutUpTime in older ones). Private (Work) groups cannot mute.
	MuteFor *time.Duration
	// CustomData sets the member's custom fields (AppMemberDefinedData),
	// whose keys the app configures in the console; the fields it does not
	// name keep their values.
	CustomData map[string]string
}

func (r *ModifyGroupMemberRequest) validate() error {
	const cmd = CommandModifyGroupMemberInfo
	if r == nil {
		return invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupID(cmd, r.GroupID); err != nil {
		return err
	}
	if err := checkAccount(cmd, "Account", "Member_Account", r.Account); err != nil {
		return err
	}
	switch {
	case r.Role == nil && r.NameCard == nil && r.MsgFlag == nil && r.MuteFor == nil && len(r.CustomData) == 0:
		return invalid(cmd, "req", "", "sets none of Role, NameCard, MsgFlag, MuteFor and CustomData")
	case r.Role != nil && *r.Role != RoleAdmin && *r.Role != RoleMember:
		return invalid(cmd, "Role", "Role", quoteID(string(*r.Role))+" is not Admin or Member (the owner changes with change_group_owner)")
	case r.MsgFlag != nil && !r.MsgFlag.Known():
		return invalid(cmd, "MsgFlag", "MsgFlag", quoteID(string(*r.MsgFlag))+" is not AcceptAndNotify, AcceptNotNotify or Discard")
	case r.MuteFor != nil && (*r.MuteFor < 0 || *r.MuteFor%time.Second != 0):
		return invalid(cmd, "MuteFor", "MuteTime", r.MuteFor.String()+" is not a whole, non-negative number of seconds")
	}
	if r.NameCard != nil {
		if err := checkText(cmd, "NameCard", "NameCard", *r.NameCard, MaxNameCardBytes); err != nil {
			return err
		}
	}
	return checkCustomData(cmd, "CustomData", "AppMemberDefinedData", r.CustomData)
}

type modifyGroupMemberBody struct {
	GroupID    string     `json:"GroupId"`
	Account    string     `json:"Member_Account"`
	Role       *Role      `json:"Role,omitempty"`
	NameCard   *string    `json:"NameCard,omitempty"`
	MsgFlag    *MsgFlag   `json:"MsgFlag,omitempty"`
	MuteTime   *int64     `json:"MuteTime,omitempty"`
	CustomData []keyValue `json:"AppMemberDefinedData,omitempty"`
}

// ModifyGroupMember changes one member's role, name card, message flag,
// mute or custom fields (modify_group_member_info). Fields left nil are not
// sent and keep their values. A change of role or name card makes the
// service send the app's after-member-field-changed callback. The request
// is checked before anything is sent.
//
// Docs: https://cloud.tencent.com/document/product/269/1623
func (c *Client) ModifyGroupMember(ctx context.Context, req *ModifyGroupMemberRequest) error {
	const cmd = CommandModifyGroupMemberInfo
	if err := c.ready(ctx, cmd); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	body := modifyGroupMemberBody{
		GroupID: req.GroupID, Account: req.Account, Role: req.Role, NameCard: req.NameCard,
		MsgFlag: req.MsgFlag, CustomData: customList(req.CustomData),
	}
	if req.MuteFor != nil {
		seconds := int64(*req.MuteFor / time.Second)
		body.MuteTime = &seconds
	}
	var resp envelope
	return c.call(ctx, cmd, &body, &resp)
}

// ImportedMember is one member to import, for [ImportGroupMembersRequest].
type ImportedMember struct {
	// Account is the Member_Account. Required.
	Account string
	// Role is RoleAdmin for an admin (the only role the import takes), or
	// "" or RoleMember for a member.
	Role Role
	// JoinTime is when the member joined, in Unix seconds: after the
	// group was created and before now, or that member fails alone. 0
	// leaves it to the service.
	JoinTime int64
	// UnreadMsgNum is how many of the group's messages the member has not
	// read.
	UnreadMsgNum int
}

// ImportGroupMembersRequest names members to import into a group, for
// [Client.ImportGroupMembers].
type ImportGroupMembersRequest struct {
	// GroupID is the group's GroupId. Required.
	GroupID string
	// Members are the members: at least one, no account twice. Any number;
	// longer lists than [MaxGroupMembersPerAdd] are split.
	Members []ImportedMember
}

type importedMemberBody struct {
	Account      string `json:"Member_Account"`
	Role         Role   `json:"Role,omitempty"`
	JoinTime     int64  `json:"JoinTime,omitempty"`
	UnreadMsgNum int    `json:"UnreadMsgNum,omitempty"`
}

type importGroupMemberBody struct {
	GroupID string               `json:"GroupId"`
	Members []importedMemberBody `json:"MemberList"`
}

// ImportGroupMembers imports members into a group (import_group_member),
// for a migration: no callback, no notification. It returns one result
// per member, in order, read as [Client.AddGroupMembers] reads its
// answer: Result 1 is success, 2 [ErrAlreadyMember], 0 [ErrNotAdded] (a
// JoinTime outside the group's life, say). More than
// [MaxGroupMembersPerAdd] members are sent in several requests, one after
// another, with a *[BatchError] when one fails. The request is checked
// before anything is sent; the command is not idempotent.
func (c *Client) ImportGroupMembers(ctx context.Context, req *ImportGroupMembersRequest) ([]ItemResult, error) {
	const cmd = CommandImportGroupMember
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	accounts := make([]string, len(req.Members))
	for i, m := range req.Members {
		accounts[i] = m.Account
	}
	if err := checkMemberAccounts(cmd, req.GroupID, "Members", ".Account", "MemberList", "Member_Account", accounts); err != nil {
		return nil, err
	}
	for i, m := range req.Members {
		switch {
		case m.Role != "" && m.Role != RoleAdmin && m.Role != RoleMember:
			return nil, invalid(cmd, entry("Members", i)+".Role", "Role", quoteID(string(m.Role))+" is not Admin or Member")
		case m.JoinTime < 0 || m.UnreadMsgNum < 0:
			return nil, invalid(cmd, entry("Members", i), "MemberList", "JoinTime and UnreadMsgNum may not be negative")
		}
	}
	groupID := req.GroupID
	return inBatches(ctx, cmd, req.Members, accounts, MaxGroupMembersPerAdd, func(ctx context.Context, batch []ImportedMember, ids []string) ([]ItemResult, error) {
		body := importGroupMemberBody{GroupID: groupID, Members: make([]importedMemberBody, len(batch))}
		for i, m := range batch {
			role := m.Role
			if role == RoleMember {
				role = "" // omitted means a member; the import takes "Admin" only
			}
			body.Members[i] = importedMemberBody{Account: m.Account, Role: role, JoinTime: m.JoinTime, UnreadMsgNum: m.UnreadMsgNum}
		}
		var resp groupMemberWriteResponse
		if err := c.call(ctx, cmd, &body, &resp); err != nil {
			return nil, err
		}
		return resp.results(cmd, ids)
	})
}
