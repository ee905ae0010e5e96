package tim

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/timkit/tim/internal/workers"
)

// MsgFlag is how a member receives a group's (or a topic's) messages.
type MsgFlag string

// The message flags the docs list.
const (
	MsgFlagAcceptAndNotify MsgFlag = "AcceptAndNotify" // receive, with notifications
	MsgFlagAcceptNotNotify MsgFlag = "AcceptNotNotify" // receive, without notifications
	MsgFlagDiscard         MsgFlag = "Discard"         // do not receive
)

// Known reports whether f is one of the documented flags.
func (f MsgFlag) Known() bool {
	return f == MsgFlagAcceptAndNotify || f == MsgFlagAcceptNotNotify || f == MsgFlagDiscard
}

// GroupMember is one member of a group with its group profile, as
// get_group_member_info and get_specified_group_member_info return it. A
// field the request's filters left out is zero.
type GroupMember struct {
	// Account is the Member_Account.
	Account string
	// Role is the member's role: RoleOwner, RoleAdmin or RoleMember (the
	// docs' samples include "Member " with a trailing space, which is
	// trimmed).
	Role Role
	// JoinTime is when the member joined, in Unix seconds.
	JoinTime int64
	// MsgSeq is the sequence number of the last message the member read.
	MsgSeq int64
	// MsgFlag is how the member receives the group's messages.
	MsgFlag MsgFlag
	// LastSendMsgTime is when the member last sent a message, in Unix
	// seconds; 0 if never.
	LastSendMsgTime int64
	// MutedUntil is when the member's mute ends, in Unix seconds; 0 when
	// the member is not muted. Read from MuteUntil, the name of the current
	// docs, or ShutUpUntil, the name of the older ones.
	MutedUntil int64
	// NameCard is the member's name card in the group.
	NameCard string
	// CustomData holds the member's custom fields (AppMemberDefinedData):
	// read from a list of {"Key", "Value"} objects, or from a JSON object.
	CustomData map[string]string
	// Raw is the item as the server sent it, for fields not decoded above
	// (OnlineStatus, say).
	Raw json.RawMessage
}

// memberFields are the fields of a member item: get_group_member_info's,
// and (inferred) those of get_permission_group_member_list.
type memberFields struct {
	Account         string          `json:"Member_Account"`
	Role            Role            `json:"Role"`
	JoinTime        flexInt         `json:"JoinTime"`
	MsgSeq          flexInt         `json:"MsgSeq"`
	MsgFlag         MsgFlag         `json:"MsgFlag"`
	LastSendMsgTime flexInt         `json:"LastSendMsgTime"`
	MuteUntil       *flexInt        `json:"MuteUntil"`
	ShutUpUntil     *flexInt        `json:"ShutUpUntil"`
	NameCard        string          `json:"NameCard"`
	Custom          json.RawMessage `json:"AppMemberDefinedData"`
}

// decodeMember reads a member item; its Role is trimmed of spaces.
func decodeMember(b []byte) (memberFields, map[string]string, error) {
	var it memberFields
	if err := json.Unmarshal(b, &it); err != nil {
		return it, nil, err
	}
	it.Role = Role(strings.TrimSpace(string(it.Role)))
	custom, err := customData(it.Custom)
	return it, custom, err
}

// UnmarshalJSON decodes a member item and keeps its bytes in Raw.
func (m *GroupMember) UnmarshalJSON(b []byte) error {
	it, custom, err := decodeMember(b)
	if err != nil {
		return err
	}
	*m = GroupMember{
		Account: it.Account, Role: it.Role, JoinTime: int64(it.JoinTime), MsgSeq: int64(it.MsgSeq),
		MsgFlag: it.MsgFlag, LastSendMsgTime: int64(it.LastSendMsgTime), NameCard: it.NameCard,
		CustomData: custom, Raw: append(json.RawMessage(nil), b...),
	}
	switch {
	case it.MuteUntil != nil:
		m.MutedUntil = int64(*it.MuteUntil)
	case it.ShutUpUntil != nil:
		m.MutedUntil = int64(*it.ShutUpUntil)
	}
	return nil
}

// MemberFilter narrows what a member read returns, for
// [GetGroupMembersRequest] and [GetSpecifiedGroupMembersRequest]. Every
// field is optional.
type MemberFilter struct {
	// Roles keeps the members of these roles (MemberRoleFilter): RoleOwner,
	// RoleAdmin, RoleMember.
	Roles []Role
	// Fields names the profile fields to return (MemberInfoFilter), under
	// their wire names ("Role", "JoinTime", "NameCard", "MuteUntil", ...);
	// Member_Account always comes back. Empty returns every field.
	Fields []string
	// CustomFields names the custom member fields to return
	// (AppDefinedDataFilter_GroupMember).
	CustomFields []string
}

func (f *MemberFilter) validate(cmd string) error {
	for i, r := range f.Roles {
		if r != RoleOwner && r != RoleAdmin && r != RoleMember {
			return invalid(cmd, entry("Filter.Roles", i), "MemberRoleFilter", quoteID(string(r))+" is not Owner, Admin or Member")
		}
	}
	if err := checkNames(cmd, "Filter.Fields", "MemberInfoFilter", f.Fields); err != nil {
		return err
	}
	return checkNames(cmd, "Filter.CustomFields", "AppDefinedDataFilter_GroupMember", f.CustomFields)
}

// memberFilterBody is a MemberFilter on the wire.
type memberFilterBody struct {
	Roles        []Role   `json:"MemberRoleFilter,omitempty"`
	Fields       []string `json:"MemberInfoFilter,omitempty"`
	CustomFields []string `json:"AppDefinedDataFilter_GroupMember,omitempty"`
}

func (f MemberFilter) body() memberFilterBody { return memberFilterBody(f) }

// MaxSpecifiedMembersPerCall is how many accounts one
// get_specified_group_member_info request may name;
// [Client.GetSpecifiedGroupMembers] splits longer lists.
const MaxSpecifiedMembersPerCall = 50

// GetSpecifiedGroupMembersRequest asks for the profiles of some members of
// a group, for [Client.GetSpecifiedGroupMembers].
type GetSpecifiedGroupMembersRequest struct {
	// GroupID is the group's GroupId: a community, or any type but
	// AVChatRoom. Required.
	GroupID string
	// Accounts are the accounts to read: at least one, none twice. Any
	// number; longer lists than [MaxSpecifiedMembersPerCall] are split.
	Accounts []string
	// Filter narrows the answer.
	Filter MemberFilter
}

type getSpecifiedMembersBody struct {
	GroupID  string   `json:"GroupId"`
	Accounts []string `json:"Member_List_Account"`
	memberFilterBody
}

type groupMembersResponse struct {
	envelope
	MemberNum  flexInt        `json:"MemberNum"`
	MemberList []*GroupMember `json:"MemberList"`
	Next       cursor         `json:"Next"`
}

// GetSpecifiedGroupMembers returns the profiles of the accounts that are
// members of the group (get_specified_group_member_info), in the order of
// req.Accounts; an account that is not a member is left out (no sample
// answer is published: a member absent from the answer is taken to be no
// member). More than [MaxSpecifiedMembersPerCall] accounts are split into
// requests of that size, sent with at most the client's
// [WithMaxConcurrency] in flight; the first failure is returned, with no
// partial result. An answer naming an account the request did not is a
// [*DecodeError]. The request is checked before anything is sent.
//
// Docs: https://trtc.io/document/64897
func (c *Client) GetSpecifiedGroupMembers(ctx context.Context, req *GetSpecifiedGroupMembersRequest) ([]GroupMember, error) {
	const cmd = CommandGetSpecifiedGroupMemberInfo
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	if err := checkGroupID(cmd, req.GroupID); err != nil {
		return nil, err
	}
	err := checkList(cmd, "Accounts", "Member_List_Account", req.Accounts, true, func(field, a string) error {
		return checkAccount(cmd, field, "Member_List_Account", a)
	})
	if err != nil {
		return nil, err
	}
	if err := req.Filter.validate(cmd); err != nil {
		return nil, err
	}
	accounts := req.Accounts
	chunks := (len(accounts) + MaxSpecifiedMembersPerCall - 1) / MaxSpecifiedMembersPerCall
	found := make([][]GroupMember, chunks)
	err = workers.Run(ctx, c.concurrency, chunks, func(ctx context.Context, i int) error {
		if err := ctx.Err(); err != nil {
			return err // a sibling chunk failed: do not send
		}
		batch := accounts[i*MaxSpecifiedMembersPerCall : min((i+1)*MaxSpecifiedMembersPerCall, len(accounts))]
		var resp groupMembersResponse
		body := getSpecifiedMembersBody{GroupID: req.GroupID, Accounts: batch, memberFilterBody: req.Filter.body()}
		if err := c.call(ctx, cmd, &body, &resp); err != nil {
			return err
		}
		members, err := membersOf(cmd, batch, resp.MemberList)
		found[i] = members
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]GroupMember, 0, len(accounts))
	for _, f := range found {
		out = append(out, f...)
	}
	return out, nil
}

// membersOf returns the members of an answer in the order of accounts,
// leaving out the accounts the answer does not name.
func membersOf(cmd string, accounts []string, list []*GroupMember) ([]GroupMember, error) {
	byAccount := make(map[string]*GroupMember, len(list))
	for i, m := range list {
		if m == nil {
			return nil, nullItem(cmd, i)
		}
		byAccount[m.Account] = m
	}
	out := make([]GroupMember, 0, len(list))
	for _, a := range accounts {
		if m, ok := byAccount[a]; ok {
			out = append(out, *m)
			delete(byAccount, a)
		}
	}
	for a := range byAccount {
		return nil, &DecodeError{Command: cmd, Err: errors.New("the answer has a member " + quoteID(a) + ", which the request did not name")}
	}
	return out, nil
}
