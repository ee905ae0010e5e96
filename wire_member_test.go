package tim

// Wire tests of the group-member commands: paths, bodies, the documented
// splits, the Result of add_group_member and import_group_member, and the
// member items' drifting field names.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gmItem is a member item with every documented field, under the current
// names; gmOldItem one under the older names (ShutUpUntil, a Role with a
// trailing space, numbers as strings), as the older sample shows.
const (
	gmItem    = `{"Member_Account":"bob","Role":"Admin","JoinTime":1425976500,"MsgSeq":1233,"MsgFlag":"AcceptAndNotify","LastSendMsgTime":1425976500,"MuteUntil":1431069882,"NameCard":"bob card","AppMemberDefinedData":[{"Key":"MemberDefined1","Value":"v1"}]}`
	gmOldItem = `{"Member_Account":"peter","Role":"Member ","JoinTime":"1425976500","MsgSeq":0,"MsgFlag":"AcceptNotNotify","LastSendMsgTime":0,"ShutUpUntil":0,"OnlineStatus":"Online"}`
)

func TestGetGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("first page, filters, both item shapes", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_group_member_info", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MemberNum":2,"MemberList":[`+gmItem+`,`+gmOldItem+`],"Next":"c2"}`)
		page, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity, Limit: 100, Filter: MemberFilter{
			Roles: []Role{RoleAdmin, RoleMember}, Fields: []string{"Role", "MuteUntil"}, CustomFields: []string{"MemberDefined1"},
		}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_group_member_info")
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Limit":100,"Next":"","MemberRoleFilter":["Admin","Member"],
			"MemberInfoFilter":["Role","MuteUntil"],"AppDefinedDataFilter_GroupMember":["MemberDefined1"]}`, reqs[0].Body)
		assert.Equal(t, "c2", page.Next)
		assert.Equal(t, 2, page.MemberCount)
		require.Len(t, page.Members, 2)
		bob, peter := page.Members[0], page.Members[1]
		assert.JSONEq(t, gmItem, string(bob.Raw))
		bob.Raw, peter.Raw = nil, nil
		assert.Equal(t, GroupMember{Account: "bob", Role: RoleAdmin, JoinTime: 1425976500, MsgSeq: 1233, MsgFlag: MsgFlagAcceptAndNotify,
			LastSendMsgTime: 1425976500, MutedUntil: 1431069882, NameCard: "bob card", CustomData: map[string]string{"MemberDefined1": "v1"}}, bob)
		assert.Equal(t, GroupMember{Account: "peter", Role: RoleMember, JoinTime: 1425976500, MsgFlag: MsgFlagAcceptNotNotify}, peter,
			`"Member " is trimmed; ShutUpUntil is read`)
	})
	t.Run("ShutUpUntil when MuteUntil is absent", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_group_member_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"a","ShutUpUntil":1700000000}],"Next":""}`)
		page, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity})
		require.NoError(t, err)
		assert.Equal(t, int64(1700000000), page.Members[0].MutedUntil)
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Next":""}`, m.requests()[0].Body, "Limit 0 is left out; Next is sent empty")
	})
	for _, tc := range []struct{ name, next, want string }{
		{"a string cursor", `"TGSMTQ0"`, "TGSMTQ0"},
		{"a number cursor is kept as its text", `12345`, "12345"},
		{"an empty string ends", `""`, ""},
		{"0 ends", `0`, ""},
		{"absent ends", ``, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			next := ""
			if tc.next != "" {
				next = `,"Next":` + tc.next
			}
			m.respond("get_group_member_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[]`+next+`}`)
			page, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity, Next: "prev"})
			require.NoError(t, err)
			assert.Equal(t, tc.want, page.Next)
			assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Next":"prev"}`, m.requests()[0].Body)
		})
	}
	t.Run("the iterator and the paginator walk every page", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_group_member_info", func(_ int, body string) string {
			if strings.Contains(body, `"Next":""`) {
				return `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"a"},{"Member_Account":"b"}],"Next":7}`
			}
			return `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"c"}],"Next":0}`
		})
		var got []string
		for member, err := range m.client.AllGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity}) {
			require.NoError(t, err)
			got = append(got, member.Account)
		}
		assert.Equal(t, []string{"a", "b", "c"}, got)
		reqs := m.requests()
		require.Len(t, reqs, 2)
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Limit":100,"Next":""}`, reqs[0].Body, "the iterator asks for the largest page")
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Limit":100,"Next":"7"}`, reqs[1].Body, "a numeric cursor is sent back as a string")

		p := NewGroupMemberPaginator(m.client, &GetGroupMembersRequest{GroupID: seedCommunity, Limit: 2})
		first, err := p.NextPage(ctx)
		require.NoError(t, err)
		assert.Len(t, first, 2)
		assert.Equal(t, "7", p.Cursor())
	})
	t.Run("a repeated cursor stops the iterator", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_group_member_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"a"}],"Next":"same"}`)
		var errs []error
		for _, err := range m.client.AllGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity}) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrCursorRepeated)
	})
}

func TestGetSpecifiedGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	echo := func(_ int, body string) string {
		var b struct{ Member_List_Account []string }
		_ = json.Unmarshal([]byte(body), &b) // an undecodable body lists no accounts
		items := []string{}
		for _, a := range b.Member_List_Account {
			if !strings.HasPrefix(a, "out") { // accounts named out… are not members
				items = append(items, `{"Member_Account":"`+a+`","Role":"Member"}`)
			}
		}
		return `{"ActionStatus":"OK","ErrorCode":0,"GroupId":"g","MemberList":[` + strings.Join(items, ",") + `]}`
	}
	t.Run("one request; non-members left out; filters sent", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_specified_group_member_info", echo)
		got, err := m.client.GetSpecifiedGroupMembers(ctx, &GetSpecifiedGroupMembersRequest{GroupID: "@TGS#2J4SZEAEL", Accounts: []string{"amy", "out1", "bob"},
			Filter: MemberFilter{Fields: []string{"Role"}}})
		require.NoError(t, err)
		assert.Equal(t, []string{"amy", "bob"}, []string{got[0].Account, got[1].Account})
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_specified_group_member_info")
		assert.JSONEq(t, `{"GroupId":"@TGS#2J4SZEAEL","Member_List_Account":["amy","out1","bob"],"MemberInfoFilter":["Role"]}`, reqs[0].Body,
			"any group type: not only a community")
	})
	for _, n := range []int{MaxSpecifiedMembersPerCall, MaxSpecifiedMembersPerCall + 1} {
		t.Run(fmt.Sprintf("%d accounts", n), func(t *testing.T) {
			m := newMock(t)
			answerBy(m, "get_specified_group_member_info", echo)
			accounts := wwIDs("user", n)
			got, err := m.client.GetSpecifiedGroupMembers(ctx, &GetSpecifiedGroupMembersRequest{GroupID: seedCommunity, Accounts: accounts})
			require.NoError(t, err)
			names := make([]string, len(got))
			for i, g := range got {
				names[i] = g.Account
			}
			assert.Equal(t, accounts, names, "in request order")
			assert.Len(t, m.requests(), (n+MaxSpecifiedMembersPerCall-1)/MaxSpecifiedMembersPerCall)
		})
	}
	t.Run("a member the request did not name is a DecodeError", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_specified_group_member_info", 200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"zed"}]}`)
		_, err := m.client.GetSpecifiedGroupMembers(ctx, &GetSpecifiedGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"amy"}})
		var de *DecodeError
		assert.ErrorAs(t, err, &de)
	})
}

// gmResults answers an add or import with one Result per account, taken
// from results (1 when an account is not in it).
func gmResults(results map[string]int) func(int, string) string {
	return func(_ int, body string) string {
		items := []string{}
		for _, a := range wwNamed(body) {
			r, ok := results[a]
			if !ok {
				r = 1
			}
			items = append(items, fmt.Sprintf(`{"Member_Account":%q,"Result":%d}`, a, r))
		}
		return `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MemberList":[` + strings.Join(items, ",") + `]}`
	}
}

func TestAddGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("each Result maps to the per-item convention of add_permission_group_member", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "add_group_member", gmResults(map[string]int{"failed": 0, "added": 1, "member": 2, "invited": 3, "odd": 7}))
		res, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"added", "member", "failed", "invited", "odd"}, Silence: true})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "add_group_member")
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Silence":1,"MemberList":[{"Member_Account":"added"},{"Member_Account":"member"},{"Member_Account":"failed"},{"Member_Account":"invited"},{"Member_Account":"odd"}]}`, reqs[0].Body)
		assert.Equal(t, []ItemResult{
			{Command: "add_group_member", ID: "added"},
			{Command: "add_group_member", ID: "member", ErrorCode: ErrAlreadyMember},
			{Command: "add_group_member", ID: "failed", ErrorCode: ErrNotAdded},
			{Command: "add_group_member", ID: "invited", ErrorCode: ErrAwaitingConfirmation},
			{Command: "add_group_member", ID: "odd", ErrorCode: 7},
		}, res)
		assert.NoError(t, res[0].Err())
		assert.ErrorIs(t, res[1].Err(), ErrAlreadyMember, "the sentinel add_permission_group_member's 10013 matches")
		assert.ErrorIs(t, res[2].Err(), ErrNotAdded)
		assert.EqualError(t, res[2].Err(), "tim: add_group_member: account failed: not added; the service gave no reason (Result 0)")
		assert.ErrorIs(t, res[3].Err(), ErrAwaitingConfirmation)
		var ie *ItemError
		require.ErrorAs(t, res[3].Err(), &ie)
		assert.Equal(t, "account", ie.Kind)
	})
	t.Run("Silence 0 is left out", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "add_group_member", gmResults(nil))
		_, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: "@TGS#2J4SZEAEL", Accounts: []string{"a"}})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"@TGS#2J4SZEAEL","MemberList":[{"Member_Account":"a"}]}`, m.requests()[0].Body)
	})
	t.Run("an item without Result is a DecodeError", func(t *testing.T) {
		m := newMock(t)
		m.respond("add_group_member", 200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"a"}]}`)
		_, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"a"}})
		var de *DecodeError
		assert.ErrorAs(t, err, &de)
	})
	for _, n := range []int{MaxGroupMembersPerAdd, MaxGroupMembersPerAdd + 1} {
		t.Run(fmt.Sprintf("%d accounts", n), func(t *testing.T) {
			m := newMock(t)
			answerBy(m, "add_group_member", gmResults(nil))
			accounts := wwIDs("user", n)
			res, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: seedCommunity, Accounts: accounts})
			require.NoError(t, err)
			assert.Equal(t, wwOK("add_group_member", accounts...), res)
			reqs := m.requests()
			require.Len(t, reqs, (n+MaxGroupMembersPerAdd-1)/MaxGroupMembersPerAdd)
			assert.Equal(t, accounts[:min(n, MaxGroupMembersPerAdd)], wwNamed(reqs[0].Body))
		})
	}
	t.Run("a second request that fails: a BatchError with the first one's results", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "add_group_member", func(n int, body string) string {
			if n == 2 {
				return `{"ActionStatus":"FAIL","ErrorCode":10014,"ErrorInfo":"full"}`
			}
			return gmResults(nil)(n, body)
		})
		accounts := wwIDs("user", MaxGroupMembersPerAdd+5)
		res, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: seedCommunity, Accounts: accounts})
		var be *BatchError
		require.ErrorAs(t, err, &be)
		assert.ErrorIs(t, err, ErrGroupFull)
		assert.Len(t, res, MaxGroupMembersPerAdd)
		assert.Equal(t, accounts[MaxGroupMembersPerAdd:], be.Unconfirmed)
		assert.False(t, be.MayHaveApplied())
	})
}

func TestDeleteGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("Reason and Silence; an envelope means every account went", func(t *testing.T) {
		m := newMock(t)
		m.respond("delete_group_member", 200, okEnvelope)
		res, err := m.client.DeleteGroupMembers(ctx, &DeleteGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"tommy", "jared"}, Reason: "kick reason", Silence: true})
		require.NoError(t, err)
		assert.Equal(t, wwOK("delete_group_member", "tommy", "jared"), res)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "delete_group_member")
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Silence":1,"Reason":"kick reason","MemberToDel_Account":["tommy","jared"]}`, reqs[0].Body)
	})
	for _, n := range []int{MaxGroupMembersPerDelete, MaxGroupMembersPerDelete + 1} {
		t.Run(fmt.Sprintf("%d accounts", n), func(t *testing.T) {
			m := newMock(t)
			m.respond("delete_group_member", 200, okEnvelope)
			accounts := wwIDs("user", n)
			res, err := m.client.DeleteGroupMembers(ctx, &DeleteGroupMembersRequest{GroupID: seedCommunity, Accounts: accounts})
			require.NoError(t, err)
			assert.Len(t, res, n)
			reqs := m.requests()
			require.Len(t, reqs, (n+MaxGroupMembersPerDelete-1)/MaxGroupMembersPerDelete)
			assert.JSONEq(t, wwJSON(map[string]any{"GroupId": seedCommunity, "MemberToDel_Account": accounts[:min(n, MaxGroupMembersPerDelete)]}), reqs[0].Body)
		})
	}
}

func TestModifyGroupMemberWire(t *testing.T) {
	ctx := context.Background()
	m := newMock(t)
	m.respond("modify_group_member_info", 200, okEnvelope)
	require.NoError(t, m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{
		GroupID: seedCommunity, Account: "bob", Role: Ptr(RoleAdmin), NameCard: Ptr(strings.Repeat("名", 16)), MsgFlag: Ptr(MsgFlagDiscard),
		MuteFor: Ptr(10 * time.Minute), CustomData: map[string]string{"b": "2", "a": "1"},
	}))
	require.NoError(t, m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "bob", MuteFor: Ptr(time.Duration(0)), NameCard: Ptr("")}))
	reqs := m.requests()
	require.Len(t, reqs, 2)
	assertSigned(t, reqs[0], "modify_group_member_info")
	assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Member_Account":"bob","Role":"Admin","NameCard":"`+strings.Repeat("名", 16)+`","MsgFlag":"Discard",
		"MuteTime":600,"AppMemberDefinedData":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]}`, reqs[0].Body, "the mute in seconds, as MuteTime")
	assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","Member_Account":"bob","MuteTime":0,"NameCard":""}`, reqs[1].Body, "0 lifts a mute; an empty name card clears it")
}

func TestImportGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("Role Admin is sent, Member is not; Results read as for add", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "import_group_member", gmResults(map[string]int{"late": 0, "there": 2}))
		res, err := m.client.ImportGroupMembers(ctx, &ImportGroupMembersRequest{GroupID: seedCommunity, Members: []ImportedMember{
			{Account: "amy", Role: RoleAdmin, JoinTime: 1700000000, UnreadMsgNum: 5},
			{Account: "late", Role: RoleMember, JoinTime: 1},
			{Account: "there"},
		}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "import_group_member")
		assert.JSONEq(t, `{"GroupId":"`+seedCommunity+`","MemberList":[{"Member_Account":"amy","Role":"Admin","JoinTime":1700000000,"UnreadMsgNum":5},
			{"Member_Account":"late","JoinTime":1},{"Member_Account":"there"}]}`, reqs[0].Body)
		assert.Equal(t, []ItemResult{
			{Command: "import_group_member", ID: "amy"},
			{Command: "import_group_member", ID: "late", ErrorCode: ErrNotAdded},
			{Command: "import_group_member", ID: "there", ErrorCode: ErrAlreadyMember},
		}, res)
	})
	for _, n := range []int{MaxGroupMembersPerAdd, MaxGroupMembersPerAdd + 1} {
		t.Run(fmt.Sprintf("%d members", n), func(t *testing.T) {
			m := newMock(t)
			answerBy(m, "import_group_member", gmResults(nil))
			accounts := wwIDs("user", n)
			members := make([]ImportedMember, n)
			for i, a := range accounts {
				members[i].Account = a
			}
			res, err := m.client.ImportGroupMembers(ctx, &ImportGroupMembersRequest{GroupID: seedCommunity, Members: members})
			require.NoError(t, err)
			assert.Equal(t, wwOK("import_group_member", accounts...), res)
			assert.Len(t, m.requests(), (n+MaxGroupMembersPerAdd-1)/MaxGroupMembersPerAdd)
		})
	}
}

func TestGroupMemberValidation(t *testing.T) {
	ctx := context.Background()
	m := newMock(t)
	long := strings.Repeat("x", 33)
	assertRefused(t, []refusal{
		{"members: a group ID that is not a community's", func() error {
			_, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: "@TGS#2J4SZEAEL"})
			return err
		}, "GroupID", "GroupId"},
		{"members: Limit 101", func() error {
			_, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity, Limit: 101})
			return err
		}, "Limit", "Limit"},
		{"members: an unknown role filter", func() error {
			_, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity, Filter: MemberFilter{Roles: []Role{"NotMember"}}})
			return err
		}, "Filter.Roles[0]", "MemberRoleFilter"},
		{"members: an empty field name", func() error {
			_, err := m.client.GetGroupMembers(ctx, &GetGroupMembersRequest{GroupID: seedCommunity, Filter: MemberFilter{Fields: []string{"Role", ""}}})
			return err
		}, "Filter.Fields[1]", "MemberInfoFilter"},
		{"specified: no accounts", func() error {
			_, err := m.client.GetSpecifiedGroupMembers(ctx, &GetSpecifiedGroupMembersRequest{GroupID: seedCommunity})
			return err
		}, "Accounts", "Member_List_Account"},
		{"add: an account of 33 bytes", func() error {
			_, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"a", long}})
			return err
		}, "Accounts[1]", "Member_Account"},
		{"add: an account twice", func() error {
			_, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"a", "a"}})
			return err
		}, "Accounts[1]", "MemberList"},
		{"add: no group", func() error {
			_, err := m.client.AddGroupMembers(ctx, &AddGroupMembersRequest{Accounts: []string{"a"}})
			return err
		}, "GroupID", "GroupId"},
		{"delete: an empty account", func() error {
			_, err := m.client.DeleteGroupMembers(ctx, &DeleteGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{""}})
			return err
		}, "Accounts[0]", "MemberToDel_Account"},
		{"delete: a reason with a NUL", func() error {
			_, err := m.client.DeleteGroupMembers(ctx, &DeleteGroupMembersRequest{GroupID: seedCommunity, Accounts: []string{"a"}, Reason: "a\x00"})
			return err
		}, "Reason", "Reason"},
		{"modify: nothing set", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "a"})
		}, "req", ""},
		{"modify: the owner's role", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "a", Role: Ptr(RoleOwner)})
		}, "Role", "Role"},
		{"modify: a name card of 51 bytes", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "a", NameCard: Ptr(strings.Repeat("x", 51))})
		}, "NameCard", "NameCard"},
		{"modify: an unknown message flag", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "a", MsgFlag: Ptr(MsgFlag("Loud"))})
		}, "MsgFlag", "MsgFlag"},
		{"modify: a mute of 1.5 s", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "a", MuteFor: Ptr(1500 * time.Millisecond)})
		}, "MuteFor", "MuteTime"},
		{"modify: a negative mute", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, Account: "a", MuteFor: Ptr(-time.Second)})
		}, "MuteFor", "MuteTime"},
		{"modify: no account", func() error {
			return m.client.ModifyGroupMember(ctx, &ModifyGroupMemberRequest{GroupID: seedCommunity, NameCard: Ptr("n")})
		}, "Account", "Member_Account"},
		{"import: the owner role", func() error {
			_, err := m.client.ImportGroupMembers(ctx, &ImportGroupMembersRequest{GroupID: seedCommunity, Members: []ImportedMember{{Account: "a", Role: RoleOwner}}})
			return err
		}, "Members[0].Role", "Role"},
		{"import: an empty account", func() error {
			_, err := m.client.ImportGroupMembers(ctx, &ImportGroupMembersRequest{GroupID: seedCommunity, Members: []ImportedMember{{Account: "a"}, {}}})
			return err
		}, "Members[1].Account", "Member_Account"},
	})
	assert.Empty(t, m.requests(), "nothing was sent")
}
