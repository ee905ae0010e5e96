package tim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Wire tests of the nine permission-group writes and the member listing:
// what is sent (path, signed query, exact body), how the answers decode,
// per-item results, splitting of long lists, validation, pagination.

// The documented samples of the write pages (API.md §4).
const (
	wwPermissionGroup = "@PMG#_test_permission_group_with_topic"
	wwMemberGroup     = "@PMG#_@PMG#cDR"
	wwTopic           = "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cKXPQIIM62CD"

	wwCreateSample  = `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group","PermissionGroupName":"test_permission_group","Permission":123,"CustomString":"test_custom_string"}`
	wwModifyAnswer  = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`
	wwDestroyAnswer = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupResultList":[{"ErrorCode":0,"ErrorInfo":"","PermissionGroupId":"@PMG#_@PMG#cM2"},{"ErrorCode":0,"ErrorInfo":"","PermissionGroupId":"@PMG#_@PMG#cN3"}]}`
	wwAddTopicBody  = `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicPermissionList":[{"Permission":1234,"TopicId":"@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cKXPQIIM62CD"}]}`
	wwTopicAnswer   = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TopicPermissionResultList":[{"ErrorCode":0,"ErrorInfo":"","TopicId":"@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cKXPQIIM62CD"}]}`
	wwMemberBody    = `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cDR","MemberList":[{"Member_Account":"tommy"},{"Member_Account":"jared"}]}`
	wwTommy         = `{"Member_Account":"tommy","Role":"Member","JoinTime":1700000000,"NameCard":"Tommy","MsgFlag":"AcceptAndNotify","AppMemberDefinedData":[{"Key":"level","Value":"3"}]}`
	wwJared         = `{"Member_Account":"jared","Role":"Admin","JoinTime":"1700000100"}`
	wwMemberPage    = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Next":"TGSMTQ0MTE1MjM1MTUyNDI0MzY1","MemberList":[` + wwTommy + `,` + wwJared + `]}`
	wwFail          = `{"ActionStatus":"FAIL","ErrorCode":10004,"ErrorInfo":"invalid","RequestId":"req-9"}`
)

// answerBy answers every POST to command with what answer returns for the
// request's body, n counting the requests to command from 1, and records
// each request as m.respond does.
func answerBy(m *mock, command string, answer func(n int, body string) string) {
	var mu sync.Mutex
	n := 0
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+command, func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		m.record(r)
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		resp := httpmock.NewStringResponse(http.StatusOK, answer(k, string(b)))
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
}

// wwNamed returns the IDs a write request's body names, in order.
func wwNamed(body string) []string {
	var b struct {
		PermissionGroupIDs []string                 `json:"PermissionGroupIdList"`
		Settings           []TopicPermissionSetting `json:"TopicPermissionList"`
		TopicIDs           []string                 `json:"TopicIdList"`
		Members            []memberAccount          `json:"MemberList"`
	}
	if json.Unmarshal([]byte(body), &b) != nil {
		return nil
	}
	ids := append(b.PermissionGroupIDs, b.TopicIDs...)
	for _, s := range b.Settings {
		ids = append(ids, s.TopicID)
	}
	for _, a := range b.Members {
		ids = append(ids, a.Account)
	}
	return ids
}

// wwListKey is the list field of command's answer.
func wwListKey(command string) string {
	switch command {
	case "destroy_permission_group":
		return "PermissionGroupResultList"
	case "add_permission_group_member", "delete_permission_group_member":
		return "MemberList"
	}
	return "TopicPermissionResultList"
}

// wwItem is one item of command's answer list, for id with code. Member
// answers use the Result form.
func wwItem(command, id string, code ErrorCode) string {
	switch wwListKey(command) {
	case "MemberList":
		return wwJSON(map[string]any{"Member_Account": id, "Result": int(code)})
	case "PermissionGroupResultList":
		return wwJSON(map[string]any{"PermissionGroupId": id, "ErrorCode": int(code), "ErrorInfo": ""})
	}
	return wwJSON(map[string]any{"TopicId": id, "ErrorCode": int(code), "ErrorInfo": ""})
}

// wwAnswerItems is an OK answer of command whose list holds the raw items.
func wwAnswerItems(command string, items ...string) string {
	return `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","` + wwListKey(command) + `":[` + strings.Join(items, ",") + `]}`
}

// wwAnswer is an OK answer of command with one result per ID, in the order
// given; codes holds the IDs that fail.
func wwAnswer(command string, ids []string, codes map[string]ErrorCode) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = wwItem(command, id, codes[id])
	}
	return wwAnswerItems(command, items...)
}

func wwIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return ids
}

// wwTopicPerm is the permission the split tests give a topic: derived from
// its ID so that every batch's expected body can be built alone.
func wwTopicPerm(id string) TopicPermission {
	return TopicPermission(crc32.ChecksumIEEE([]byte(id)) & 0x7f)
}

func wwSettings(ids []string) []TopicPermissionSetting {
	out := make([]TopicPermissionSetting, len(ids))
	for i, id := range ids {
		out[i] = TopicPermissionSetting{TopicID: id, Permission: wwTopicPerm(id)}
	}
	return out
}

func wwJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// wwWriter is one of the six list writes, called with a list of IDs.
type wwWriter struct {
	command  string
	size     int       // the most IDs one request may name
	kind     string    // what an item is, as ItemError.Kind and BatchError's text name it
	list     wwField   // the request's list, as a ValidationError names it
	entry    wwField   // an entry of the list; Go is a format with the index
	itemCode ErrorCode // a per-item failure the command documents
	ids      func(n int) []string
	call     func(c *Client, ids []string) ([]ItemResult, error)
	body     func(batch []string) string // the exact body of one request
}

// wwField is how a ValidationError names a field: Field, its Go name, and
// Param, its name on the wire.
type wwField struct{ Go, Param string }

// entryField is the Go name of entry i of w's list.
func (w wwWriter) entryField(i int) string { return fmt.Sprintf(w.entry.Go, i) }

var wwWriters = func() []wwWriter {
	ctx := context.Background()
	topics := func(n int) []string { return wwIDs(seedCommunity+"@TOPIC#_t", n) }
	accounts := func(n int) []string { return wwIDs("user", n) }
	settingsBody := func(batch []string) string {
		items := make([]map[string]any, len(batch))
		for i, id := range batch {
			items[i] = map[string]any{"TopicId": id, "Permission": uint64(wwTopicPerm(id))}
		}
		return wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupId": wwPermissionGroup, "TopicPermissionList": items})
	}
	membersBody := func(batch []string) string {
		items := make([]map[string]any, len(batch))
		for i, a := range batch {
			items[i] = map[string]any{"Member_Account": a}
		}
		return wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupId": wwMemberGroup, "MemberList": items})
	}
	return []wwWriter{
		{
			"destroy_permission_group", 20, "permission group",
			wwField{"PermissionGroupIDs", "PermissionGroupIdList"}, wwField{"PermissionGroupIDs[%d]", "PermissionGroupIdList"},
			ErrPermissionGroupNotFound,
			func(n int) []string { return wwIDs("@PMG#_@PMG#g", n) },
			func(c *Client, ids []string) ([]ItemResult, error) {
				return c.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: ids})
			},
			func(batch []string) string {
				return wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupIdList": batch})
			},
		},
		{
			"add_topic_permission_group", 50, "topic",
			wwField{"Topics", "TopicPermissionList"}, wwField{"Topics[%d].TopicID", "TopicId"},
			ErrTopicAlreadyInPermissionGroup, topics,
			func(c *Client, ids []string) ([]ItemResult, error) {
				return c.AddTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, Topics: wwSettings(ids)})
			},
			settingsBody,
		},
		{
			"set_topic_permission_group", 50, "topic",
			wwField{"Topics", "TopicPermissionList"}, wwField{"Topics[%d].TopicID", "TopicId"},
			ErrTopicNotInPermissionGroup, topics,
			func(c *Client, ids []string) ([]ItemResult, error) {
				return c.SetTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, Topics: wwSettings(ids)})
			},
			settingsBody,
		},
		{
			"delete_topic_permission_group", 50, "topic",
			wwField{"TopicIDs", "TopicIdList"}, wwField{"TopicIDs[%d]", "TopicId"},
			ErrTopicPermissionAlreadyDeleted, topics,
			func(c *Client, ids []string) ([]ItemResult, error) {
				return c.DeleteTopicPermissions(ctx, &DeleteTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, TopicIDs: ids})
			},
			func(batch []string) string {
				return wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupId": wwPermissionGroup, "TopicIdList": batch})
			},
		},
		{
			"add_permission_group_member", 100, "account",
			wwField{"Accounts", "MemberList"}, wwField{"Accounts[%d]", "Member_Account"},
			ErrAlreadyMember, accounts,
			func(c *Client, ids []string) ([]ItemResult, error) {
				return c.AddPermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: ids})
			},
			membersBody,
		},
		{
			"delete_permission_group_member", 100, "account",
			wwField{"Accounts", "MemberList"}, wwField{"Accounts[%d]", "Member_Account"},
			ErrUserNotFound, accounts,
			func(c *Client, ids []string) ([]ItemResult, error) {
				return c.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: ids})
			},
			membersBody,
		},
	}
}()

// wwMembers ranges over seq and returns the accounts and the errors it yielded.
func wwMembers(seq iter.Seq2[PermissionGroupMember, error]) (accounts []string, errs []error) {
	for m, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		accounts = append(accounts, m.Account)
	}
	return accounts, errs
}

// wwOK returns the results of command for ids that all succeeded.
func wwOK(command string, ids ...string) []ItemResult {
	out := make([]ItemResult, len(ids))
	for i, id := range ids {
		out[i] = ItemResult{Command: command, ID: id}
	}
	return out
}

func TestCreatePermissionGroupWire(t *testing.T) {
	ctx := context.Background()
	t.Run("documented sample", func(t *testing.T) {
		m := newMock(t)
		m.respond("create_permission_group", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_test_permission_group"}`)
		id, err := m.client.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{
			GroupID: seedCommunity, PermissionGroupID: "@PMG#_test_permission_group",
			Name: "test_permission_group", Permission: 123, CustomString: "test_custom_string",
		})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "create_permission_group")
		assert.JSONEq(t, wwCreateSample, reqs[0].Body)
		assert.Equal(t, "@PMG#_test_permission_group", id)
	})

	bodies := []struct {
		name string
		req  CreatePermissionGroupRequest
		want string
	}{
		{"server-made ID and zero permission: optional fields left out, Permission sent",
			CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "mods"},
			`{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupName":"mods","Permission":0}`},
		{"custom string without a custom ID",
			CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "mods", Permission: GroupPermSendMessage | GroupPermAtAll, CustomString: "x"},
			`{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupName":"mods","Permission":192,"CustomString":"x"}`},
		{"custom ID without a custom string",
			CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_mods", Name: "管理员 <&>", Permission: 1},
			`{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_mods","PermissionGroupName":"管理员 <&>","Permission":1}`},
	}
	for _, tc := range bodies {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("create_permission_group", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2"}`)
			req := tc.req
			_, err := m.client.CreatePermissionGroup(ctx, &req)
			require.NoError(t, err)
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assertSigned(t, reqs[0], "create_permission_group")
			assert.JSONEq(t, tc.want, reqs[0].Body)
			assert.Equal(t, tc.req, req, "the request is not changed")
		})
	}
	t.Run("all 64 permission bits are sent exactly", func(t *testing.T) {
		m := newMock(t)
		m.respond("create_permission_group", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2"}`)
		_, err := m.client.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n", Permission: 1<<64 - 1})
		require.NoError(t, err)
		assert.Contains(t, m.requests()[0].Body, `"Permission":18446744073709551615`)
	})
	t.Run("FAIL envelope", func(t *testing.T) {
		m := newMock(t)
		m.respond("create_permission_group", 200, `{"ActionStatus":"FAIL","ErrorCode":110008,"ErrorInfo":"bad id"}`)
		id, err := m.client.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n"})
		require.ErrorIs(t, err, ErrInvalidPermissionGroupID)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, APIError{Command: "create_permission_group", ActionStatus: "FAIL", Code: 110008, Info: "bad id", Attempts: 1}, *apiErr)
		assert.Empty(t, id)
	})
}

// TestCreatePermissionGroupAnswerShapes covers the inferred answer: the new
// ID at the top level, in PermissionGroupInfo, or not at all.
func TestCreatePermissionGroupAnswerShapes(t *testing.T) {
	const ok = `"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0`
	cases := []struct {
		name    string
		custom  string
		answer  string
		want    string
		decodes bool // false: a *DecodeError
	}{
		{"top-level ID", "", `{` + ok + `,"PermissionGroupId":"@PMG#_@PMG#cM2"}`, "@PMG#_@PMG#cM2", true},
		{"nested PermissionGroupInfo", "", `{` + ok + `,"PermissionGroupInfo":{"PermissionGroupId":"@PMG#_@PMG#cN3","PermissionGroupName":"n","Permission":1}}`, "@PMG#_@PMG#cN3", true},
		{"top level wins over nested", "", `{` + ok + `,"PermissionGroupId":"@PMG#_@PMG#cM2","PermissionGroupInfo":{"PermissionGroupId":"@PMG#_@PMG#cN3"}}`, "@PMG#_@PMG#cM2", true},
		{"empty top level falls back to nested", "", `{` + ok + `,"PermissionGroupId":"","PermissionGroupInfo":{"PermissionGroupId":"@PMG#_@PMG#cN3"}}`, "@PMG#_@PMG#cN3", true},
		{"the answer's ID wins over the custom one", "@PMG#_mods", `{` + ok + `,"PermissionGroupId":"@PMG#_mods2"}`, "@PMG#_mods2", true},
		{"neither, with a custom ID", "@PMG#_mods", `{` + ok + `}`, "@PMG#_mods", true},
		{"null info, with a custom ID", "@PMG#_mods", `{` + ok + `,"PermissionGroupInfo":null}`, "@PMG#_mods", true},
		{"info of another shape, with a custom ID", "@PMG#_mods", `{` + ok + `,"PermissionGroupInfo":["x"]}`, "@PMG#_mods", true},
		{"info of another shape, without a custom ID", "", `{` + ok + `,"PermissionGroupInfo":"x"}`, "", false},
		{"neither, without a custom ID", "", `{` + ok + `}`, "", false},
		{"empty nested ID, without a custom ID", "", `{` + ok + `,"PermissionGroupInfo":{"PermissionGroupId":""}}`, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("create_permission_group", 200, tc.answer)
			id, err := m.client.CreatePermissionGroup(context.Background(), &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: tc.custom, Name: "n"})
			assert.Len(t, m.requests(), 1, "sent once")
			if tc.decodes {
				require.NoError(t, err)
				assert.Equal(t, tc.want, id)
				return
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "create_permission_group", de.Command)
			assert.Contains(t, err.Error(), "PermissionGroupId")
			assert.Empty(t, id)
		})
	}
}

func TestModifyPermissionGroupWire(t *testing.T) {
	const head = `"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cM2"`
	cases := []struct {
		name         string
		groupName    *string
		permission   *GroupPermission
		customString *string
		want         string
	}{
		{"name only", Ptr("moderators"), nil, nil, `{` + head + `,"PermissionGroupName":"moderators"}`},
		{"permission only", nil, Ptr(GroupPermSendMessage | GroupPermAtAll), nil, `{` + head + `,"Permission":192}`},
		{"permission zero is sent", nil, Ptr(GroupPermission(0)), nil, `{` + head + `,"Permission":0}`},
		{"custom string only", nil, nil, Ptr("new data"), `{` + head + `,"CustomString":"new data"}`},
		{"empty custom string is sent", nil, nil, Ptr(""), `{` + head + `,"CustomString":""}`},
		{"all three", Ptr("test_permission_group"), Ptr(GroupPermission(123)), Ptr("test_custom_string"),
			`{` + head + `,"PermissionGroupName":"test_permission_group","Permission":123,"CustomString":"test_custom_string"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("modify_permission_group", 200, wwModifyAnswer)
			err := m.client.ModifyPermissionGroup(context.Background(), &ModifyPermissionGroupRequest{
				GroupID: seedCommunity, PermissionGroupID: "@PMG#_@PMG#cM2",
				Name: tc.groupName, Permission: tc.permission, CustomString: tc.customString,
			})
			require.NoError(t, err)
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assertSigned(t, reqs[0], "modify_permission_group")
			assert.JSONEq(t, tc.want, reqs[0].Body)
		})
	}
	t.Run("FAIL envelope", func(t *testing.T) {
		m := newMock(t)
		m.respond("modify_permission_group", 200, `{"ActionStatus":"FAIL","ErrorCode":110006,"ErrorInfo":"gone"}`)
		err := m.client.ModifyPermissionGroup(context.Background(), &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_x", Name: Ptr("n")})
		require.ErrorIs(t, err, ErrPermissionGroupNotFound)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "modify_permission_group", apiErr.Command)
		assert.Equal(t, "gone", apiErr.Info)
	})
}

func TestDestroyPermissionGroupsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("documented sample", func(t *testing.T) {
		m := newMock(t)
		m.respond("destroy_permission_group", 200, wwDestroyAnswer)
		res, err := m.client.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{"@PMG#_@PMG#cM2", "@PMG#_@PMG#cN3"}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "destroy_permission_group")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupIdList":["@PMG#_@PMG#cM2","@PMG#_@PMG#cN3"]}`, reqs[0].Body)
		assert.Equal(t, wwOK("destroy_permission_group", "@PMG#_@PMG#cM2", "@PMG#_@PMG#cN3"), res)
		for _, r := range res {
			assert.NoError(t, r.Err())
		}
	})
	t.Run("per-item code as a string", func(t *testing.T) {
		m := newMock(t)
		m.respond("destroy_permission_group", 200, wwAnswerItems("destroy_permission_group",
			`{"ErrorCode":"110006","ErrorInfo":"no such group","PermissionGroupId":"@PMG#_@PMG#cM2"}`))
		res, err := m.client.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{"@PMG#_@PMG#cM2"}})
		require.NoError(t, err)
		assert.Equal(t, []ItemResult{{Command: "destroy_permission_group", ID: "@PMG#_@PMG#cM2", ErrorCode: ErrPermissionGroupNotFound, ErrorInfo: "no such group"}}, res)
	})
}

func TestAddTopicPermissionsWire(t *testing.T) {
	m := newMock(t)
	m.respond("add_topic_permission_group", 200, wwTopicAnswer)
	res, err := m.client.AddTopicPermissions(context.Background(), &TopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, Topics: []TopicPermissionSetting{{TopicID: wwTopic, Permission: 1234}}})

	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "add_topic_permission_group")
	assert.JSONEq(t, wwAddTopicBody, reqs[0].Body)
	assert.Equal(t, wwOK("add_topic_permission_group", wwTopic), res)
}

func TestSetTopicPermissionsWire(t *testing.T) {
	const other = seedCommunity + "@TOPIC#_@TOPIC#cTEJHIIM62CJ"
	m := newMock(t)
	m.respond("set_topic_permission_group", 200, wwAnswerItems("set_topic_permission_group",
		`{"ErrorCode":0,"ErrorInfo":"","TopicId":"`+wwTopic+`"}`,
		`{"ErrorCode":110011,"ErrorInfo":"topic not in group","TopicId":"`+other+`"}`))
	res, err := m.client.SetTopicPermissions(context.Background(), &TopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, Topics: []TopicPermissionSetting{{TopicID: wwTopic, Permission: 0}, {TopicID: other, Permission: TopicPermSendMessage | TopicPermAtAll}}})

	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "set_topic_permission_group")
	assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicPermissionList":[
		{"TopicId":"`+wwTopic+`","Permission":0},{"TopicId":"`+other+`","Permission":72}]}`, reqs[0].Body)
	assert.Equal(t, []ItemResult{
		{Command: "set_topic_permission_group", ID: wwTopic},
		{Command: "set_topic_permission_group", ID: other, ErrorCode: ErrTopicNotInPermissionGroup, ErrorInfo: "topic not in group"},
	}, res)
	assert.NoError(t, res[0].Err())
	assert.ErrorIs(t, res[1].Err(), ErrTopicNotInPermissionGroup)
}

func TestDeleteTopicPermissionsWire(t *testing.T) {
	m := newMock(t)
	m.respond("delete_topic_permission_group", 200, wwTopicAnswer)
	res, err := m.client.DeleteTopicPermissions(context.Background(), &DeleteTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: wwPermissionGroup, TopicIDs: []string{wwTopic}})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "delete_topic_permission_group")
	assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicIdList":["`+wwTopic+`"]}`, reqs[0].Body)
	assert.Equal(t, wwOK("delete_topic_permission_group", wwTopic), res)
}

func TestAddPermissionGroupMembersWire(t *testing.T) {
	m := newMock(t)
	m.respond("add_permission_group_member", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MemberList":[{"Member_Account":"tommy","Result":0},{"Member_Account":"jared","Result":10013}]}`)
	res, err := m.client.AddPermissionGroupMembers(context.Background(), &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy", "jared"}})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "add_permission_group_member")
	assert.JSONEq(t, wwMemberBody, reqs[0].Body)
	assert.Equal(t, []ItemResult{
		{Command: "add_permission_group_member", ID: "tommy"},
		{Command: "add_permission_group_member", ID: "jared", ErrorCode: ErrAlreadyMember},
	}, res)
	assert.NoError(t, res[0].Err())
	assert.ErrorIs(t, res[1].Err(), ErrAlreadyMember)
}

// TestPermissionGroupMemberResultShapes covers the per-member result of
// add_permission_group_member (and delete, read the same way). Result is an
// error code, as documented: 1 and 2 are codes, not success and
// already-a-member.
func TestPermissionGroupMemberResultShapes(t *testing.T) {
	cases := []struct {
		name string
		item string
		want ItemResult // ID "tommy"
	}{
		{"Result 0 is success", `{"Member_Account":"tommy","Result":0}`, ItemResult{}},
		{"Result 10013 is already a member", `{"Member_Account":"tommy","Result":10013}`, ItemResult{ErrorCode: ErrAlreadyMember}},
		{"Result 1 is error code 1, not success", `{"Member_Account":"tommy","Result":1}`, ItemResult{ErrorCode: 1}},
		{"Result 2 is error code 2, not already a member", `{"Member_Account":"tommy","Result":2}`, ItemResult{ErrorCode: 2}},
		{"Result as a string", `{"Member_Account":"tommy","Result":"10013"}`, ItemResult{ErrorCode: ErrAlreadyMember}},
		{"Result 1 as a string", `{"Member_Account":"tommy","Result":"1"}`, ItemResult{ErrorCode: 1}},
		{"other Result is its code", `{"Member_Account":"tommy","Result":110012}`, ItemResult{ErrorCode: ErrPermissionGroupMemberLimit}},
		{"no Result", `{"Member_Account":"tommy"}`, ItemResult{}},
		{"null Result", `{"Member_Account":"tommy","Result":null}`, ItemResult{}},
		{"ErrorCode form", `{"Member_Account":"tommy","ErrorCode":110012,"ErrorInfo":"full"}`, ItemResult{ErrorCode: ErrPermissionGroupMemberLimit, ErrorInfo: "full"}},
		{"ErrorCode form, success", `{"Member_Account":"tommy","ErrorCode":0,"ErrorInfo":""}`, ItemResult{}},
		{"ErrorCode as a string", `{"Member_Account":"tommy","ErrorCode":"10013","ErrorInfo":"dup"}`, ItemResult{ErrorCode: ErrAlreadyMember, ErrorInfo: "dup"}},
		{"ErrorCode 0 does not hide a Result", `{"Member_Account":"tommy","ErrorCode":0,"Result":10013}`, ItemResult{ErrorCode: ErrAlreadyMember}},
		{"ErrorCode 0 does not hide a Result of 2", `{"Member_Account":"tommy","ErrorCode":0,"Result":2}`, ItemResult{ErrorCode: 2}},
		{"a non-zero ErrorCode wins over Result", `{"Member_Account":"tommy","ErrorCode":110012,"Result":0}`, ItemResult{ErrorCode: ErrPermissionGroupMemberLimit}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("add_permission_group_member", 200, wwAnswerItems("add_permission_group_member", tc.item))
			res, err := m.client.AddPermissionGroupMembers(context.Background(), &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy"}})
			require.NoError(t, err)
			tc.want.Command, tc.want.ID = "add_permission_group_member", "tommy"
			assert.Equal(t, []ItemResult{tc.want}, res)
			if tc.want.ErrorCode == 0 {
				assert.NoError(t, res[0].Err())
			} else {
				assert.ErrorIs(t, res[0].Err(), tc.want.ErrorCode)
			}
		})
	}
	t.Run("Result that is not a number", func(t *testing.T) {
		m := newMock(t)
		m.respond("add_permission_group_member", 200, wwAnswerItems("add_permission_group_member", `{"Member_Account":"tommy","Result":"ok"}`))
		res, err := m.client.AddPermissionGroupMembers(context.Background(), &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy"}})
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, "add_permission_group_member", de.Command)
		assert.Empty(t, res)
	})
}

func TestDeletePermissionGroupMembersWire(t *testing.T) {
	ctx := context.Background()
	t.Run("envelope only: every account succeeded", func(t *testing.T) {
		m := newMock(t)
		m.respond("delete_permission_group_member", 200, okEnvelope)
		res, err := m.client.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy", "jared"}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "delete_permission_group_member")
		assert.JSONEq(t, wwMemberBody, reqs[0].Body)
		assert.Equal(t, wwOK("delete_permission_group_member", "tommy", "jared"), res)
	})
	t.Run("with a member list", func(t *testing.T) {
		m := newMock(t)
		m.respond("delete_permission_group_member", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"MemberList":[{"Member_Account":"tommy","Result":0},{"Member_Account":"jared","ErrorCode":10019,"ErrorInfo":"no such user"}]}`)
		res, err := m.client.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: wwMemberGroup, Accounts: []string{"tommy", "jared"}})
		require.NoError(t, err)
		assert.JSONEq(t, wwMemberBody, m.requests()[0].Body)
		assert.Equal(t, []ItemResult{
			{Command: "delete_permission_group_member", ID: "tommy"},
			{Command: "delete_permission_group_member", ID: "jared", ErrorCode: ErrUserNotFound, ErrorInfo: "no such user"},
		}, res)
		assert.ErrorIs(t, res[1].Err(), ErrUserNotFound)
	})
}

// TestWriteItemResults checks, for each list write, per-item failures, the
// order of results, and answers that do not account for every item.
func TestWriteItemResults(t *testing.T) {
	for _, w := range wwWriters {
		t.Run(w.command, func(t *testing.T) {
			ids := w.ids(3)
			t.Run("per-item failure", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, wwAnswer(w.command, ids, map[string]ErrorCode{ids[1]: w.itemCode}))
				res, err := w.call(m.client, ids)
				require.NoError(t, err, "the call succeeds while an item failed")
				require.Len(t, res, 3)
				assert.NoError(t, res[0].Err())
				assert.NoError(t, res[2].Err())
				err = res[1].Err()
				require.ErrorIs(t, err, w.itemCode)
				var itemErr *ItemError
				require.ErrorAs(t, err, &itemErr)
				assert.Equal(t, ItemError{Command: w.command, Kind: w.kind, ID: ids[1], Code: w.itemCode}, *itemErr)
				assert.Equal(t, ids[1], res[1].ID)
			})
			t.Run("answer out of order is put in request order", func(t *testing.T) {
				m := newMock(t)
				reversed := slices.Clone(ids)
				slices.Reverse(reversed)
				m.respond(w.command, 200, wwAnswer(w.command, reversed, map[string]ErrorCode{ids[0]: w.itemCode}))
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				assert.Equal(t, []ItemResult{{Command: w.command, ID: ids[0], ErrorCode: w.itemCode}, {Command: w.command, ID: ids[1]}, {Command: w.command, ID: ids[2]}}, res)
			})
			t.Run("an item listed twice with the same result counts once", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, wwAnswer(w.command, append(slices.Clone(ids), ids[0]), nil))
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				assert.Equal(t, wwOK(w.command, ids...), res)
			})
			t.Run("envelope only", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, okEnvelope)
				res, err := w.call(m.client, ids)
				if w.command == "destroy_permission_group" || w.command == "add_topic_permission_group" {
					var de *DecodeError
					require.ErrorAs(t, err, &de, "the docs show the list: an answer without it is malformed")
					assert.Empty(t, res)
					return
				}
				require.NoError(t, err, "no sample shows the list: without it every item succeeded")
				assert.Equal(t, wwOK(w.command, ids...), res)
			})
			if w.command == "delete_permission_group_member" {
				t.Run("empty list: every account succeeded", func(t *testing.T) {
					m := newMock(t)
					m.respond(w.command, 200, wwAnswerItems(w.command))
					res, err := w.call(m.client, ids)
					require.NoError(t, err, "deleting succeeds for every account, so an empty list names no failure")
					assert.Equal(t, wwOK(w.command, ids...), res)
				})
			}
			if w.command == "delete_permission_group_member" {
				t.Run("an account the answer leaves out was deleted", func(t *testing.T) {
					m := newMock(t)
					m.respond(w.command, 200, wwAnswer(w.command, []string{ids[1]}, map[string]ErrorCode{ids[1]: w.itemCode}))
					res, err := w.call(m.client, ids)
					require.NoError(t, err)
					assert.Equal(t, []ItemResult{{Command: w.command, ID: ids[0]}, {Command: w.command, ID: ids[1], ErrorCode: w.itemCode}, {Command: w.command, ID: ids[2]}}, res)
				})
			}
			failures := []struct {
				name, answer, text string
			}{}
			if w.command != "delete_permission_group_member" {
				failures = append(failures, struct{ name, answer, text string }{"answer missing an item", wwAnswer(w.command, []string{ids[0], ids[2]}, nil), fmt.Sprintf("%q", ids[1])})
			}
			if w.command != "delete_permission_group_member" {
				failures = append(failures, struct{ name, answer, text string }{"empty list", wwAnswerItems(w.command), fmt.Sprintf("%q", ids[0])})
			}
			failures = append(failures, []struct {
				name, answer, text string
			}{
				{"null item", wwAnswerItems(w.command, wwItem(w.command, ids[0], 0), "null", wwItem(w.command, ids[2], 0)), "item 1"},
				{"list of the wrong type", wwAnswerItems(w.command, `"x"`), ""},
				// An answer about items the request did not name is not the
				// answer to this request: not a silent success.
				{"an item the request did not name", wwAnswer(w.command, append([]string{"stranger"}, ids...), nil), `"stranger", which the request did not name`},
				{"two different results for one item", wwAnswerItems(w.command,
					wwItem(w.command, ids[0], 0), wwItem(w.command, ids[1], 0), wwItem(w.command, ids[2], 0), wwItem(w.command, ids[0], w.itemCode)),
					fmt.Sprintf("two different results for %q", ids[0])},
			}...)
			for _, f := range failures {
				t.Run(f.name, func(t *testing.T) {
					m := newMock(t)
					m.respond(w.command, 200, f.answer)
					res, err := w.call(m.client, ids)
					var de *DecodeError
					require.ErrorAs(t, err, &de)
					assert.Equal(t, w.command, de.Command)
					assert.Contains(t, err.Error(), f.text)
					assert.Empty(t, res, "no result when the only request's answer is unreadable")
				})
			}
			t.Run("FAIL envelope", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone","RequestId":"req-1"}`)
				res, err := w.call(m.client, ids)
				require.ErrorIs(t, err, ErrGroupNotFound)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, APIError{Command: w.command, ActionStatus: "FAIL", Code: ErrGroupNotFound, Info: "gone", RequestID: "req-1", Attempts: 1}, *apiErr)
				var be *BatchError
				assert.False(t, errors.As(err, &be), "a list of one request fails with that request's own error")
				assert.Nil(t, res)
				assert.Len(t, m.requests(), 1)
			})
		})
	}
}

// TestWriteSplitsLongLists sends lists longer than one request allows.
func TestWriteSplitsLongLists(t *testing.T) {
	for _, w := range wwWriters {
		t.Run(w.command, func(t *testing.T) {
			t.Run("exactly the limit is one request", func(t *testing.T) {
				m := newMock(t)
				answerBy(m, w.command, func(_ int, body string) string { return wwAnswer(w.command, wwNamed(body), nil) })
				ids := w.ids(w.size)
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				reqs := m.requests()
				require.Len(t, reqs, 1)
				assert.JSONEq(t, w.body(ids), reqs[0].Body)
				assert.Equal(t, wwOK(w.command, ids...), res)
			})
			t.Run("one over the limit is two requests, merged in input order", func(t *testing.T) {
				m := newMock(t)
				ids := w.ids(w.size + 1)
				failing := map[string]ErrorCode{ids[3]: w.itemCode, ids[w.size]: w.itemCode}
				answerBy(m, w.command, func(_ int, body string) string {
					named := wwNamed(body)
					slices.Reverse(named) // out of order, so each batch must be put back
					return wwAnswer(w.command, named, failing)
				})
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				reqs := m.requests()
				require.Len(t, reqs, 2)
				for i, batch := range [][]string{ids[:w.size], ids[w.size:]} {
					assertSigned(t, reqs[i], w.command)
					assert.JSONEq(t, w.body(batch), reqs[i].Body, "request %d", i)
				}
				require.Len(t, res, w.size+1)
				for i, r := range res {
					assert.Equal(t, ItemResult{Command: w.command, ID: ids[i], ErrorCode: failing[ids[i]]}, r)
				}
			})
			t.Run("a failed request stops the split", func(t *testing.T) {
				m := newMock(t)
				ids := w.ids(2*w.size + 1)
				answerBy(m, w.command, func(n int, body string) string {
					if n == 2 {
						return wwFail
					}
					return wwAnswer(w.command, wwNamed(body), nil)
				})
				res, err := w.call(m.client, ids)
				require.ErrorIs(t, err, ErrInvalidParameter)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, w.command, apiErr.Command)
				assert.Equal(t, "req-9", apiErr.RequestID)
				assert.Equal(t, wwOK(w.command, ids[:w.size]...), res, "the first request's results come with the error")
				var be *BatchError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, w.command, be.Command)
				assert.Equal(t, 2, be.Request, "the second request failed")
				assert.Equal(t, 3, be.Requests)
				assert.Equal(t, res, be.Results, "the error holds the results too")
				assert.Equal(t, ids[w.size:2*w.size], be.Unconfirmed, "the failed request's items")
				assert.Equal(t, ids[2*w.size:], be.NotSent)
				assert.False(t, be.MayHaveApplied(), "the service refused the request")
				assert.Equal(t, fmt.Sprintf("tim: %s: request 2 of 3 failed after %d %ss were done; its %d %ss were not applied, 1 were not sent: error 10004: invalid parameter (invalid)",
					w.command, w.size, w.kind, w.size, w.kind), err.Error())
				reqs := m.requests()
				require.Len(t, reqs, 2, "nothing is sent after the failure")
				assert.JSONEq(t, w.body(ids[w.size:2*w.size]), reqs[1].Body)
			})
			t.Run("an unreadable answer stops the split", func(t *testing.T) {
				m := newMock(t)
				ids := w.ids(2*w.size + 1)
				answerBy(m, w.command, func(n int, body string) string {
					if n == 2 {
						return wwAnswerItems(w.command, "null") // applied, perhaps; the answer does not say
					}
					return wwAnswer(w.command, wwNamed(body), nil)
				})
				res, err := w.call(m.client, ids)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, wwOK(w.command, ids[:w.size]...), res)
				var be *BatchError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, ids[w.size:2*w.size], be.Unconfirmed)
				assert.Equal(t, ids[2*w.size:], be.NotSent)
				assert.True(t, be.MayHaveApplied(), "an unreadable answer says nothing of what was done")
				assert.Contains(t, err.Error(), fmt.Sprintf("its %d %ss may or may not have been applied", w.size, w.kind))
				assert.Len(t, m.requests(), 2)
			})
			t.Run("a duplicate in a later batch is refused before sending", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, okEnvelope)
				ids := w.ids(w.size + 1)
				ids[w.size] = ids[0]
				res, err := w.call(m.client, ids)
				var ve *ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, fmt.Sprintf("%s[%d]", w.list.Go, w.size), ve.Field)
				assert.Equal(t, w.list.Param, ve.Param)
				assert.Nil(t, res)
				assert.Empty(t, m.requests())
			})
		})
	}
}

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

// TestWriteValidationSendsNothing refuses every documented rule's breach
// before anything is sent.
func TestWriteValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	create := func(r *CreatePermissionGroupRequest) func(*Client) error {
		return func(c *Client) error { _, err := c.CreatePermissionGroup(ctx, r); return err }
	}
	createID := func(id string) func(*Client) error {
		return create(&CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: id, Name: "n"})
	}
	createIn := func(group string) func(*Client) error {
		return create(&CreatePermissionGroupRequest{GroupID: group, Name: "n"})
	}
	modify := func(r *ModifyPermissionGroupRequest) func(*Client) error {
		return func(c *Client) error { return c.ModifyPermissionGroup(ctx, r) }
	}
	members := func(r *GetPermissionGroupMembersRequest) func(*Client) error {
		return func(c *Client) error { _, err := c.GetPermissionGroupMembers(ctx, r); return err }
	}
	long := strings.Repeat("a", 151)
	wide := strings.Repeat("中", 50) + "a" // 151 bytes
	var (
		req          = wwField{"req", ""}
		groupID      = wwField{"GroupID", "GroupId"}
		pgID         = wwField{"PermissionGroupID", "PermissionGroupId"}
		name         = wwField{"Name", "PermissionGroupName"}
		customString = wwField{"CustomString", "CustomString"}
		limit        = wwField{"Limit", "Limit"}
	)
	type tcase struct {
		name, command string
		field         wwField
		call          func(*Client) error
	}
	cases := []tcase{
		{"nil request", "create_permission_group", req, create(nil)},
		{"no group", "create_permission_group", groupID, create(&CreatePermissionGroupRequest{Name: "n"})},
		{"group that is not a community", "create_permission_group", groupID, createIn("@TGS#2C5SZEAEF")},
		{"group that is the community prefix alone", "create_permission_group", groupID, createIn("@TGS#_")},
		{"permission group ID for the group", "create_permission_group", groupID, createIn("@PMG#_mods")},
		{"group ID not UTF-8", "create_permission_group", groupID, createIn("@TGS#_\xff")},
		{"group ID with a NUL", "create_permission_group", groupID, createIn("@TGS#_a\x00")},
		{"no name", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity})},
		{"name of 151 bytes", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: long})},
		{"name of 151 bytes in 51 characters", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: wide})},
		{"name not UTF-8", "create_permission_group", name, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "a\xffb"})},
		{"custom string of 3001 bytes", "create_permission_group", customString, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n", CustomString: strings.Repeat("x", 3001)})},
		{"custom string not UTF-8", "create_permission_group", customString, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, Name: "n", CustomString: "\xc3"})},
		{"custom ID with the server's prefix", "create_permission_group", pgID, createID("@PMG#_@PMG#x")},
		{"custom ID that is the server's prefix", "create_permission_group", pgID, createID("@PMG#_@PMG#")},
		{"custom ID that is the prefix alone", "create_permission_group", pgID, createID("@PMG#_")},
		{"custom ID without the prefix", "create_permission_group", pgID, createID("mods")},
		{"custom ID with a lower-case prefix", "create_permission_group", pgID, createID("@pmg#_mods")},
		{"custom ID with a control byte", "create_permission_group", pgID, createID("@PMG#_a\x01")},
		{"custom ID with DEL", "create_permission_group", pgID, createID("@PMG#_a\x7f")},
		{"custom ID not ASCII", "create_permission_group", pgID, createID("@PMG#_é")},
		{"custom ID checked before the name", "create_permission_group", pgID, create(&CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "x"})},

		{"nil request", "modify_permission_group", req, modify(nil)},
		{"no group", "modify_permission_group", groupID, modify(&ModifyPermissionGroupRequest{PermissionGroupID: "@PMG#_a", Name: Ptr("n")})},
		{"group that is not a community", "modify_permission_group", groupID, modify(&ModifyPermissionGroupRequest{GroupID: "g", PermissionGroupID: "@PMG#_a", Name: Ptr("n")})},
		{"no permission group", "modify_permission_group", pgID, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, Name: Ptr("n")})},
		{"permission group without the prefix", "modify_permission_group", pgID, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "pg", Name: Ptr("n")})},
		{"community ID for the permission group", "modify_permission_group", pgID, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: seedCommunity, Name: Ptr("n")})},
		{"nothing to change", "modify_permission_group", req, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a"})},
		{"empty name", "modify_permission_group", name, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr("")})},
		{"name of 151 bytes", "modify_permission_group", name, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr(long)})},
		{"name not UTF-8", "modify_permission_group", name, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr("\xff")})},
		{"custom string of 3001 bytes", "modify_permission_group", customString, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", CustomString: Ptr(strings.Repeat("x", 3001))})},
		{"custom string not UTF-8 beside a valid name", "modify_permission_group", customString, modify(&ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr("n"), CustomString: Ptr("\xff")})},

		{"nil request", "get_permission_group_member_list", req, members(nil)},
		{"no group", "get_permission_group_member_list", groupID, members(&GetPermissionGroupMembersRequest{PermissionGroupID: "@PMG#_a"})},
		{"no permission group", "get_permission_group_member_list", pgID, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity})},
		{"permission group without the prefix", "get_permission_group_member_list", pgID, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "pg"})},
		{"Limit -1", "get_permission_group_member_list", limit, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: -1})},
		{"Limit 51", "get_permission_group_member_list", limit, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: 51})},
		{"Next not UTF-8", "get_permission_group_member_list", wwField{"Next", "Next"}, members(&GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Next: "\xff"})},
	}
	// The list writes: their group, permission group and list checks.
	longTopic := seedCommunity + TopicIDInfix + strings.Repeat("t", MaxTopicIDBytes-len(seedCommunity)-len(TopicIDInfix)+1) // 97 bytes
	for _, w := range wwWriters {
		ids := w.ids(2)
		call := func(ids []string) func(*Client) error {
			return func(c *Client) error {
				res, err := w.call(c, ids)
				if res != nil {
					return fmt.Errorf("results %v with a refused request", res)
				}
				return err
			}
		}
		list, entry := w.list, wwField{w.entryField(1), w.entry.Param}
		cases = append(cases,
			tcase{"nil list", w.command, list, call(nil)},
			tcase{"empty list", w.command, list, call([]string{})},
			tcase{"empty entry", w.command, entry, call([]string{ids[0], ""})},
			tcase{"repeated entry", w.command, wwField{w.list.Go + "[2]", w.list.Param}, call([]string{ids[0], ids[1], ids[0]})},
			tcase{"entry not UTF-8", w.command, entry, call([]string{ids[0], ids[1] + "\xff"})},
			tcase{"entry with a NUL", w.command, entry, call([]string{ids[0], ids[1] + "\x00"})},
		)
		switch w.kind {
		case "permission group":
			cases = append(cases,
				tcase{"entry without the prefix", w.command, entry, call([]string{ids[0], "pg"})},
				tcase{"entry that is the prefix alone", w.command, entry, call([]string{ids[0], PermissionGroupIDPrefix})},
			)
		case "topic":
			cases = append(cases,
				tcase{"topic of another community", w.command, entry, call([]string{ids[0], "@TGS#_other" + TopicIDInfix + "t"})},
				tcase{"topic that is the infix alone", w.command, entry, call([]string{ids[0], seedCommunity + TopicIDInfix})},
				tcase{"topic of 97 bytes", w.command, entry, call([]string{ids[0], longTopic})},
				tcase{"community ID for a topic", w.command, entry, call([]string{ids[0], seedCommunity})},
			)
		}
	}
	groupless := []struct {
		command string
		call    func(c *Client, group, pg string) error
	}{
		{"destroy_permission_group", func(c *Client, group, _ string) error {
			_, err := c.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: group, PermissionGroupIDs: []string{"@PMG#_a"}})
			return err
		}},
		{"add_topic_permission_group", func(c *Client, group, pg string) error {
			_, err := c.AddTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: []TopicPermissionSetting{{TopicID: wwTopic}}})
			return err
		}},
		{"set_topic_permission_group", func(c *Client, group, pg string) error {
			_, err := c.SetTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: []TopicPermissionSetting{{TopicID: wwTopic}}})
			return err
		}},
		{"delete_topic_permission_group", func(c *Client, group, pg string) error {
			_, err := c.DeleteTopicPermissions(ctx, &DeleteTopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, TopicIDs: []string{wwTopic}})
			return err
		}},
		{"add_permission_group_member", func(c *Client, group, pg string) error {
			_, err := c.AddPermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: []string{"tommy"}})
			return err
		}},
		{"delete_permission_group_member", func(c *Client, group, pg string) error {
			_, err := c.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: []string{"tommy"}})
			return err
		}},
	}
	for _, g := range groupless {
		cases = append(cases,
			tcase{"no group", g.command, groupID, func(c *Client) error { return g.call(c, "", wwPermissionGroup) }},
			tcase{"group that is not a community", g.command, groupID, func(c *Client) error { return g.call(c, "@TGS#2C5SZEAEF", wwPermissionGroup) }},
		)
		if g.command != "destroy_permission_group" {
			cases = append(cases,
				tcase{"no permission group", g.command, pgID, func(c *Client) error { return g.call(c, seedCommunity, "") }},
				tcase{"permission group without the prefix", g.command, pgID, func(c *Client) error { return g.call(c, seedCommunity, "pg") }},
			)
		}
	}
	for _, tc := range cases {
		t.Run(tc.command+"/"+tc.name, func(t *testing.T) {
			m := newMock(t)
			m.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				m.record(r)
				return httpmock.NewStringResponse(200, okEnvelope), nil
			})
			err := tc.call(m.client)
			require.ErrorIs(t, err, ErrInvalidRequest)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.command, ve.Command)
			assert.Equal(t, tc.field, wwField{ve.Field, ve.Param})
			assert.NotEmpty(t, ve.Reason)
			assert.Equal(t, "tim: "+tc.command+": invalid "+ve.Field+": "+ve.Reason, err.Error())
			assert.Empty(t, m.requests(), "nothing is sent")
		})
	}
}

// TestWriteLimitsAccepted sends what sits exactly on a documented limit.
func TestWriteLimitsAccepted(t *testing.T) {
	ctx := context.Background()
	name150 := strings.Repeat("a", 150)
	wide150 := strings.Repeat("中", 50)
	custom3000 := strings.Repeat("x", 3000)
	cases := []struct {
		name    string
		command string
		call    func(*Client) error
		body    string
	}{
		{"create: name of 150 bytes, custom string of 3000", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: name150, CustomString: custom3000})
			return err
		}, wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupName": name150, "Permission": 0, "CustomString": custom3000})},
		{"create: name of 150 bytes in 50 characters", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, Name: wide150})
			return err
		}, wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupName": wide150, "Permission": 0})},
		{"create: custom ID of printable ASCII edges", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_ a~", Name: "n"})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_ a~","PermissionGroupName":"n","Permission":0}`},
		{"create: custom ID of one character", "create_permission_group", func(c *Client) error {
			_, err := c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_1", Name: "n"})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_1","PermissionGroupName":"n","Permission":0}`},
		{"modify: name of 150 bytes, custom string of 3000", "modify_permission_group", func(c *Client) error {
			return c.ModifyPermissionGroup(ctx, &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Name: Ptr(name150), CustomString: Ptr(custom3000)})
		}, wwJSON(map[string]any{"GroupId": seedCommunity, "PermissionGroupId": "@PMG#_a", "PermissionGroupName": name150, "CustomString": custom3000})},
		{"modify: any permission group ID", "modify_permission_group", func(c *Client) error {
			return c.ModifyPermissionGroup(ctx, &ModifyPermissionGroupRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_@PMG#cM2", Permission: Ptr(GroupPermission(1))})
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_@PMG#cM2","Permission":1}`},
		{"member list: Limit 50", "get_permission_group_member_list", func(c *Client) error {
			_, err := c.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: 50})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_a","Limit":50,"Next":""}`},
		{"member list: Limit 1", "get_permission_group_member_list", func(c *Client) error {
			_, err := c.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_a", Limit: 1})
			return err
		}, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_a","Limit":1,"Next":""}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond(tc.command, 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2","Next":"","MemberList":[]}`)
			require.NoError(t, tc.call(m.client))
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assert.JSONEq(t, tc.body, reqs[0].Body)
		})
	}
}

func TestItemResultErr(t *testing.T) {
	const cmd = "add_permission_group_member"
	assert.NoError(t, ItemResult{Command: cmd, ID: "a"}.Err())
	assert.NoError(t, ItemResult{Command: cmd, ID: "a", ErrorInfo: "ignored without a code"}.Err())
	err := ItemResult{Command: cmd, ID: "a", ErrorCode: ErrAlreadyMember, ErrorInfo: "dup"}.Err()
	require.ErrorIs(t, err, ErrAlreadyMember)
	assert.False(t, errors.Is(err, ErrPermissionGroupNotFound))
	var itemErr *ItemError
	require.ErrorAs(t, err, &itemErr)
	assert.Equal(t, ItemError{Command: cmd, Kind: "account", ID: "a", Code: ErrAlreadyMember, Info: "dup"}, *itemErr)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "an item's failure is not a failed request")
	assert.Equal(t, "tim: add_permission_group_member: account a: error 10013: already a member (dup)", err.Error())

	// Server text that only repeats the code's meaning is not repeated.
	for _, info := range []string{"already a member", "Already a member.", ""} {
		err := ItemResult{Command: cmd, ID: "a", ErrorCode: ErrAlreadyMember, ErrorInfo: info}.Err()
		assert.Equal(t, "tim: add_permission_group_member: account a: error 10013: already a member", err.Error(), "info %q", info)
	}
}
