package tim

// Wire tests of get_permission_group_member_list: the page request, the
// member items, and walking the pages with the iterator and the paginator.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetPermissionGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("first page", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group_member_list", 200, wwMemberPage)
		page, err := m.client.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Limit: 50})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_permission_group_member_list")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cDR","Limit":50,"Next":""}`, reqs[0].Body)
		assert.Equal(t, "TGSMTQ0MTE1MjM1MTUyNDI0MzY1", page.Next)
		require.Len(t, page.Members, 2)
		tommy, jared := page.Members[0], page.Members[1]
		assert.Equal(t, "tommy", tommy.Account)
		assert.Equal(t, RoleMember, tommy.Role)
		assert.Equal(t, int64(1700000000), tommy.JoinTime)
		assert.Equal(t, "Tommy", tommy.NameCard)
		assert.JSONEq(t, wwTommy, string(tommy.Raw))
		assert.Equal(t, "jared", jared.Account)
		assert.Equal(t, RoleAdmin, jared.Role)
		assert.Equal(t, int64(1700000100), jared.JoinTime)
		assert.JSONEq(t, wwJared, string(jared.Raw))
	})
	t.Run("Limit 0 is left out, the cursor is sent", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":12345,"MemberList":[]}`)
		page, err := m.client.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Next: "TGSMTQ0MTE1MjM1MTUyNDI0MzY1"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cDR","Next":"TGSMTQ0MTE1MjM1MTUyNDI0MzY1"}`, m.requests()[0].Body)
		assert.Equal(t, "12345", page.Next, "a numeric cursor is kept as its text")
		assert.NotNil(t, page.Members)
		assert.Empty(t, page.Members)
	})
	cursors := []struct{ name, next, want string }{
		{"empty string ends", `""`, ""},
		{"zero ends", `0`, ""},
		{"null ends", `null`, ""},
		{"absent ends", ``, ""},
	}
	for _, tc := range cursors {
		t.Run("cursor "+tc.name, func(t *testing.T) {
			m := newMock(t)
			next := ""
			if tc.next != "" {
				next = `,"Next":` + tc.next
			}
			m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MemberList":[{"Member_Account":"a"}]`+next+`}`)
			page, err := m.client.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup})
			require.NoError(t, err)
			assert.Equal(t, tc.want, page.Next)
			require.Len(t, page.Members, 1)
			assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cDR","Next":""}`, m.requests()[0].Body,
				"first page: Next is sent empty, Limit 0 is left out")
		})
	}
	t.Run("FAIL envelope", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"FAIL","ErrorCode":110006,"ErrorInfo":"gone"}`)
		page, err := m.client.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup})
		require.ErrorIs(t, err, ErrPermissionGroupNotFound)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "get_permission_group_member_list", apiErr.Command)
		assert.Nil(t, page)
	})
}

func TestPermissionGroupMemberDecoding(t *testing.T) {
	cases := []struct {
		name string
		item string
		want PermissionGroupMember // without Raw, which must equal item
	}{
		{"documented fields", wwTommy, PermissionGroupMember{Account: "tommy", Role: RoleMember, JoinTime: 1700000000, NameCard: "Tommy", CustomData: map[string]string{"level": "3"}}},
		{"JoinTime as a numeric string", wwJared, PermissionGroupMember{Account: "jared", Role: RoleAdmin, JoinTime: 1700000100}},
		{"account only", `{"Member_Account":"a"}`, PermissionGroupMember{Account: "a"}},
		{"null JoinTime", `{"Member_Account":"a","JoinTime":null}`, PermissionGroupMember{Account: "a"}},
		{"unknown role kept, unknown fields kept in Raw", `{"Member_Account":"a","Role":"SuperAdmin","LastSendMsgTime":1,"MuteUntil":"0","ShutUpUntil":0,"Custom":{"x":[1,2]}}`,
			PermissionGroupMember{Account: "a", Role: "SuperAdmin"}},
		{"whitespace and order kept", "{ \"NameCard\" : \"N\",\n \"Member_Account\" : \"a\" }", PermissionGroupMember{Account: "a", NameCard: "N"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"","MemberList":[`+tc.item+`]}`)
			page, err := m.client.GetPermissionGroupMembers(context.Background(), &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup})
			require.NoError(t, err)
			require.Len(t, page.Members, 1)
			got := page.Members[0]
			assert.JSONEq(t, tc.item, string(got.Raw))
			assert.Equal(t, tc.item, string(got.Raw), "Raw is the item's bytes as sent")
			got.Raw = nil
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("Raw is a copy of the input", func(t *testing.T) {
		in := []byte(`{"Member_Account":"a","X":1}`)
		var got PermissionGroupMember
		require.NoError(t, json.Unmarshal(in, &got))
		copy(in, bytes.Repeat([]byte("z"), len(in)))
		assert.JSONEq(t, `{"Member_Account":"a","X":1}`, string(got.Raw))
	})
	failures := []struct{ name, list, text string }{
		{"null item", `[{"Member_Account":"a"},null]`, "item 1"},
		{"JoinTime not a number", `[{"Member_Account":"a","JoinTime":"soon"}]`, ""},
		{"item not an object", `["a"]`, ""},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"","MemberList":`+f.list+`}`)
			page, err := m.client.GetPermissionGroupMembers(context.Background(), &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup})
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "get_permission_group_member_list", de.Command)
			assert.Contains(t, err.Error(), f.text)
			assert.Nil(t, page)
		})
	}
}

// wwThreePages answers get_permission_group_member_list with three pages:
// a string cursor, a numeric cursor, then the end.
func wwThreePages(n int, _ string) string {
	switch n {
	case 1:
		return `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"TGSMTQ0MTE1MjM1MTUyNDI0MzY1","MemberList":[{"Member_Account":"a"},{"Member_Account":"b"}]}`
	case 2:
		return `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":12345,"MemberList":[{"Member_Account":"c"}]}`
	case 3:
		return `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"","MemberList":[{"Member_Account":"d"},{"Member_Account":"e"}]}`
	}
	return `{"ActionStatus":"FAIL","ErrorCode":10004,"ErrorInfo":"asked past the last page"}`
}

func TestAllPermissionGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	const head = `"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cDR"`
	t.Run("three pages, Limit 50 by default", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_permission_group_member_list", wwThreePages)
		req := &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup}
		accounts, errs := wwMembers(m.client.AllPermissionGroupMembers(ctx, req))
		assert.Empty(t, errs)
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, accounts)
		reqs := m.requests()
		require.Len(t, reqs, 3, "stops on the empty cursor")
		for i, next := range []string{"", "TGSMTQ0MTE1MjM1MTUyNDI0MzY1", "12345"} {
			assertSigned(t, reqs[i], "get_permission_group_member_list")
			assert.JSONEq(t, `{`+head+`,"Limit":50,"Next":"`+next+`"}`, reqs[i].Body, "page %d", i+1)
		}
		assert.Equal(t, GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup}, *req, "the request is not changed")
	})
	t.Run("the caller's Limit and starting cursor", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"","MemberList":[{"Member_Account":"z"}]}`)
		req := &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Limit: 7, Next: "c9"}
		seq := m.client.AllPermissionGroupMembers(ctx, req)
		req.Limit, req.Next = 1, "changed" // the request was copied by the call
		accounts, errs := wwMembers(seq)
		assert.Empty(t, errs)
		assert.Equal(t, []string{"z"}, accounts)
		require.Len(t, m.requests(), 1)
		assert.JSONEq(t, `{`+head+`,"Limit":7,"Next":"c9"}`, m.requests()[0].Body)
	})
	t.Run("each range starts again", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group_member_list", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"","MemberList":[{"Member_Account":"z"}]}`)
		seq := m.client.AllPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup})
		first, _ := wwMembers(seq)
		second, _ := wwMembers(seq)
		assert.Equal(t, []string{"z"}, first)
		assert.Equal(t, []string{"z"}, second)
		assert.Len(t, m.requests(), 2)
	})
	t.Run("a repeated cursor ends with ErrCursorRepeated", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_permission_group_member_list", func(n int, _ string) string {
			if n > 2 {
				return wwFail
			}
			return fmt.Sprintf(`{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"same","MemberList":[{"Member_Account":"u%d"}]}`, n)
		})
		accounts, errs := wwMembers(m.client.AllPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup}))
		assert.Equal(t, []string{"u1", "u2"}, accounts, "the repeated page's items are still yielded")
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrCursorRepeated)
		assert.Len(t, m.requests(), 2)
	})
	t.Run("the starting cursor coming back is a repeat", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_permission_group_member_list", func(n int, _ string) string {
			if n > 1 {
				return wwFail // a paginator that missed the repeat fails here rather than loop
			}
			return `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"c9","MemberList":[{"Member_Account":"z"}]}`
		})
		accounts, errs := wwMembers(m.client.AllPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Next: "c9"}))
		assert.Equal(t, []string{"z"}, accounts)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrCursorRepeated)
		assert.Len(t, m.requests(), 1)
	})
	t.Run("a failed page ends the loop", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_permission_group_member_list", func(n int, body string) string {
			if n == 2 {
				return wwFail
			}
			return wwThreePages(n, body)
		})
		accounts, errs := wwMembers(m.client.AllPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup}))
		assert.Equal(t, []string{"a", "b"}, accounts)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrInvalidParameter)
		assert.Len(t, m.requests(), 2)
	})
	t.Run("paginator page by page", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_permission_group_member_list", wwThreePages)
		p := NewPermissionGroupMemberPaginator(m.client, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup})
		var pages [][]string
		var cursors []string
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			var accounts []string
			for _, mem := range page {
				accounts = append(accounts, mem.Account)
			}
			pages = append(pages, accounts)
			cursors = append(cursors, p.Cursor())
		}
		assert.Equal(t, [][]string{{"a", "b"}, {"c"}, {"d", "e"}}, pages)
		assert.Equal(t, []string{"TGSMTQ0MTE1MjM1MTUyNDI0MzY1", "12345", ""}, cursors)
		_, err := p.NextPage(ctx)
		assert.ErrorIs(t, err, ErrNoMorePages)
		reqs := m.requests()
		require.Len(t, reqs, 3)
		assert.JSONEq(t, `{`+head+`,"Limit":50,"Next":"12345"}`, reqs[2].Body)
	})
	t.Run("paginator retries a failed page", func(t *testing.T) {
		m := newMock(t)
		answerBy(m, "get_permission_group_member_list", func(n int, body string) string {
			switch n {
			case 1:
				return wwThreePages(1, body)
			case 2:
				return wwFail
			}
			return wwThreePages(n-1, body)
		})
		p := NewPermissionGroupMemberPaginator(m.client, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Limit: 2})
		_, err := p.NextPage(ctx)
		require.NoError(t, err)
		_, err = p.NextPage(ctx)
		require.ErrorIs(t, err, ErrInvalidParameter)
		assert.True(t, p.HasMorePages())
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		require.Len(t, page, 1)
		assert.Equal(t, "c", page[0].Account)
		reqs := m.requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, reqs[1].Body, reqs[2].Body, "the same page is asked again")
		assert.JSONEq(t, `{`+head+`,"Limit":2,"Next":"TGSMTQ0MTE1MjM1MTUyNDI0MzY1"}`, reqs[2].Body)
	})
	invalid := []struct {
		name         string
		req          *GetPermissionGroupMembersRequest
		field, param string
	}{
		{"nil request", nil, "req", ""},
		{"no group", &GetPermissionGroupMembersRequest{PermissionGroupID: wwMemberGroup}, "GroupID", "GroupId"},
		{"no permission group", &GetPermissionGroupMembersRequest{GroupID: seedCommunity}, "PermissionGroupID", "PermissionGroupId"},
		{"Limit 51", &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Limit: 51}, "Limit", "Limit"},
	}
	for _, tc := range invalid {
		t.Run("invalid: "+tc.name, func(t *testing.T) {
			m := newMock(t)
			m.mt.RegisterNoResponder(httpmock.NewStringResponder(200, okEnvelope))
			accounts, errs := wwMembers(m.client.AllPermissionGroupMembers(ctx, tc.req))
			assert.Empty(t, accounts)
			require.Len(t, errs, 1)
			p := NewPermissionGroupMemberPaginator(m.client, tc.req)
			require.True(t, p.HasMorePages())
			_, err := p.NextPage(ctx)
			for _, err := range []error{errs[0], err} {
				require.ErrorIs(t, err, ErrInvalidRequest)
				var ve *ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tc.field, ve.Field)
				assert.Equal(t, tc.param, ve.Param)
				assert.Equal(t, "get_permission_group_member_list", ve.Command)
			}
			assert.Equal(t, 0, m.mt.GetTotalCallCount(), "nothing is sent")
		})
	}
}
