package tim

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testAppID  uint64 = 1400000000
	testAdmin         = "administrator"
	testKey           = "wire-test-secret-key-5bd2850fff3ecb11"
	testHost          = "https://adminapisgp.im.qcloud.com"
	okEnvelope        = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`
)

// The sample responses of the three seed pages, with their comments removed.
const (
	seedPermissionGroupsAll = `{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"PermissionGroupInfoList": [
		{"ErrorCode": 0,"ErrorInfo": "","PermissionGroupId": "@PMG#_@PMG#cO4","PermissionGroupName": "test_permission_group","CustomString": "test_custom_string","Permission": 123,"MemberCount": 0},
		{"ErrorCode": 0,"ErrorInfo": "","PermissionGroupId": "@PMG#_@PMG#cP5","PermissionGroupName": "test_permission_group","CustomString": "test_custom_string","Permission": 123,"MemberCount": 0},
		{"ErrorCode": 0,"ErrorInfo": "","PermissionGroupId": "@PMG#_@PMG#cQ6","PermissionGroupName": "test_permission_group","CustomString": "test_custom_string","Permission": 123,"MemberCount": 0}],"Next": ""}`
	seedPermissionGroupsByID = `{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"PermissionGroupInfoList": [
		{"ErrorCode": 0,"ErrorInfo": "","PermissionGroupId": "@PMG#_test_permission_group_with_topic","PermissionGroupName": "test_permission_group","CustomString": "test_custom_string","Permission": 123,"MemberCount": 1},
		{"ErrorCode": 0,"ErrorInfo": "","PermissionGroupId": "@PMG#_@PMG#cP5","PermissionGroupName": "test_permission_group","CustomString": "test_custom_string","Permission": 123,"MemberCount": 0}],"Next": ""}`
	seedRoles = `{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"UserIdList": [
		{"Member_Account": "leckie","Role": "Owner"},{"Member_Account": "peter","Role": "Member"},{"Member_Account": "wesley","Role": "NotMember"}]}`
	seedTopicPermissionsAll = `{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"TopicPermissionResultList": [
		{"ErrorCode": 0,"ErrorInfo": "","TopicId": "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cKXPQIIM62CD","Permission": 1234},
		{"ErrorCode": 0,"ErrorInfo": "","TopicId": "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ","Permission": 123456}]}`
	seedTopicPermissionsOne = `{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"TopicPermissionResultList": [
		{"ErrorCode": 0,"ErrorInfo": "","TopicId": "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ","Permission": 123456}]}`
	seedCommunity = "@TGS#_@TGS#cV6IHIIM62C4"
)

// sent is one request as the mock transport saw it.
type sent struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   string
}

// mock is a client wired to an httpmock transport that records requests.
type mock struct {
	client *Client
	mt     *httpmock.MockTransport
	mu     sync.Mutex
	sent   []sent
}

// fastRetries is the default retry policy with backoffs of a few
// milliseconds, so tests of retried failures stay fast.
var fastRetries = RetryPolicy{BaseDelay: time.Millisecond, RateLimitDelay: 2 * time.Millisecond, MaxDelay: 4 * time.Millisecond}

// noRetries sends every request once.
var noRetries = RetryPolicy{MaxAttempts: 1}

// newMock returns a client on an httpmock transport, with fastRetries;
// opts come after, so they may change it.
func newMock(t *testing.T, opts ...Option) *mock {
	t.Helper()
	m := &mock{mt: httpmock.NewMockTransport()}
	all := append([]Option{
		WithRegion(RegionSingapore),
		WithSecretKey(testKey),
		WithHTTPClient(&http.Client{Transport: m.mt}),
		WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := NewClient(testAppID, testAdmin, all...)
	require.NoError(t, err)
	m.client = c
	return m
}

// respond answers every POST to command with status and body, recording the request.
func (m *mock) respond(command string, status int, body string) {
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+command, func(r *http.Request) (*http.Response, error) {
		m.record(r)
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
}

func (m *mock) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sent{Method: r.Method, URL: r.URL, Header: r.Header.Clone(), Body: string(b)})
}

func (m *mock) requests() []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sent(nil), m.sent...)
}

// assertSigned checks the signed query of one request: exactly the five
// parameters, a UserSig that verifies, a random in range.
func assertSigned(t *testing.T, s sent, command string) uint32 {
	t.Helper()
	assert.Equal(t, http.MethodPost, s.Method)
	assert.Equal(t, "adminapisgp.im.qcloud.com", s.URL.Host)
	assert.Equal(t, "/v4/group_open_http_svc/"+command, s.URL.Path)
	q := s.URL.Query()
	keys := make([]string, 0, len(q))
	for k, v := range q {
		keys = append(keys, k)
		assert.Len(t, v, 1, "parameter %s", k)
	}
	assert.ElementsMatch(t, []string{"sdkappid", "identifier", "usersig", "random", "contenttype"}, keys)
	assert.Equal(t, "1400000000", q.Get("sdkappid"))
	assert.Equal(t, testAdmin, q.Get("identifier"))
	assert.Equal(t, "json", q.Get("contenttype"))
	info, err := VerifyUserSig(q.Get("usersig"), testAppID, testKey, testAdmin, time.Now())
	assert.NoError(t, err, "usersig must verify")
	assert.Equal(t, testAdmin, info.Identifier)
	r, err := strconv.ParseUint(q.Get("random"), 10, 32)
	assert.NoError(t, err, "random must be an unsigned 32-bit integer")
	assert.Equal(t, "application/json", s.Header.Get("Content-Type"))
	return uint32(r)
}

func TestGetPermissionGroupsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("first page", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group", 200, seedPermissionGroupsAll)
		page, err := m.client.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 20})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_permission_group")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","Limit":20,"Next":""}`, reqs[0].Body)

		require.Len(t, page.PermissionGroups, 3)
		assert.Equal(t, "", page.Next)
		for i, id := range []string{"@PMG#_@PMG#cO4", "@PMG#_@PMG#cP5", "@PMG#_@PMG#cQ6"} {
			g := page.PermissionGroups[i]
			assert.Equal(t, PermissionGroup{ID: id, Name: "test_permission_group", CustomString: "test_custom_string", Permission: 123}, g)
			assert.NoError(t, g.Err())
		}
	})
	t.Run("by id", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group", 200, seedPermissionGroupsByID)
		page, err := m.client.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{
			GroupID:            seedCommunity,
			PermissionGroupIDs: []string{"@PMG#_test_permission_group_with_topic", "@PMG#_@PMG#cA7VPIIM62CJ"},
		})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupIdList":["@PMG#_test_permission_group_with_topic","@PMG#_@PMG#cA7VPIIM62CJ"]}`, reqs[0].Body)
		require.Len(t, page.PermissionGroups, 2)
		assert.Equal(t, "@PMG#_test_permission_group_with_topic", page.PermissionGroups[0].ID)
		assert.Equal(t, 1, page.PermissionGroups[0].MemberCount)
		assert.Equal(t, 0, page.PermissionGroups[1].MemberCount)
	})
	t.Run("later page sends the cursor", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_permission_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","PermissionGroupInfoList":[],"Next":"40"}`)
		page, err := m.client.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 5, Next: "20"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","Limit":5,"Next":"20"}`, m.requests()[0].Body)
		assert.Equal(t, "40", page.Next)
		assert.NotNil(t, page.PermissionGroups)
	})
}

func TestGetPermissionGroupsDecoding(t *testing.T) {
	cases := []struct {
		name string
		item string
		next string
		want PermissionGroup
		cur  string
	}{
		{"MemberNum instead of MemberCount", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","MemberNum":7,"CreateTime":1700000000}`, `""`,
			PermissionGroup{ID: "@PMG#_a", MemberCount: 7, CreateTime: 1700000000}, ""},
		{"MemberCount wins over MemberNum", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","MemberCount":3,"MemberNum":9}`, `""`,
			PermissionGroup{ID: "@PMG#_a", MemberCount: 3}, ""},
		{"numeric cursor", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `12345`, PermissionGroup{ID: "@PMG#_a"}, "12345"},
		{"numeric zero cursor ends", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `0`, PermissionGroup{ID: "@PMG#_a"}, ""},
		{"null cursor ends", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `null`, PermissionGroup{ID: "@PMG#_a"}, ""},
		{"string cursor", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a"}`, `"abc"`, PermissionGroup{ID: "@PMG#_a"}, "abc"},
		{"64-bit permission and unknown fields", `{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","Permission":18446744073709551615,"Extra":{"x":1}}`, `""`,
			PermissionGroup{ID: "@PMG#_a", Permission: 1<<64 - 1}, ""},
		{"per-item failure", `{"ErrorCode":110006,"ErrorInfo":"gone","PermissionGroupId":"@PMG#_gone"}`, `""`,
			PermissionGroup{ID: "@PMG#_gone", ErrorCode: ErrPermissionGroupNotFound, ErrorInfo: "gone"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_permission_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","PermissionGroupInfoList":[`+tc.item+`],"Next":`+tc.next+`}`)
			page, err := m.client.GetPermissionGroups(context.Background(), &GetPermissionGroupsRequest{GroupID: seedCommunity})
			require.NoError(t, err)
			require.Len(t, page.PermissionGroups, 1)
			assert.Equal(t, tc.want, page.PermissionGroups[0])
			assert.Equal(t, tc.cur, page.Next)
		})
	}
	t.Run("per-item error is typed", func(t *testing.T) {
		g := PermissionGroup{ID: "@PMG#_gone", ErrorCode: ErrPermissionGroupNotFound, ErrorInfo: "gone"}
		err := g.Err()
		require.ErrorIs(t, err, ErrPermissionGroupNotFound)
		var itemErr *ItemError
		require.ErrorAs(t, err, &itemErr)
		assert.Equal(t, "get_permission_group", itemErr.Command)
		assert.Equal(t, "permission group", itemErr.Kind)
		assert.Equal(t, "@PMG#_gone", itemErr.ID)
		assert.Equal(t, "gone", itemErr.Info)
		var apiErr *APIError
		assert.False(t, errors.As(err, &apiErr), "a per-item failure is not a failed request")
	})
}

func TestGetRoleInGroupWire(t *testing.T) {
	m := newMock(t)
	m.respond("get_role_in_group", 200, seedRoles)
	roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
	require.NoError(t, err)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "get_role_in_group")
	assert.JSONEq(t, `{"GroupId":"@TGS#2C5SZEAEF","User_Account":["leckie","peter","wesley"]}`, reqs[0].Body)
	assert.Equal(t, []MemberRole{{"leckie", RoleOwner}, {"peter", RoleMember}, {"wesley", RoleNotMember}}, roles)
}

func TestGetRoleInGroupDecoding(t *testing.T) {
	ctx := context.Background()
	t.Run("unknown role is kept", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"a","Role":"SuperAdmin"}]}`)
		roles, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.NoError(t, err)
		assert.Equal(t, Role("SuperAdmin"), roles[0].Role)
		assert.False(t, roles[0].Role.Known())
	})
	t.Run("answer out of order is put in input order", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"b","Role":"Admin"},{"Member_Account":"a","Role":"Owner"}]}`)
		roles, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a", "b", "a"}})
		require.NoError(t, err)
		assert.Equal(t, []MemberRole{{"a", RoleOwner}, {"b", RoleAdmin}, {"a", RoleOwner}}, roles)
	})
	t.Run("account missing from the answer", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"a","Role":"Owner"}]}`)
		_, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a", "b"}})
		var decErr *DecodeError
		require.ErrorAs(t, err, &decErr)
		assert.Contains(t, err.Error(), `"b"`)
	})
}

func TestGetRoleInGroupSplitStopsAtFirstFailure(t *testing.T) {
	m := newMock(t, WithMaxConcurrency(1))
	calls := 0
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
		var body getRoleInGroupBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, err
		}
		calls++ // concurrency 1: no race
		if calls == 2 {
			return httpmock.NewStringResponse(200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone"}`), nil
		}
		resp := getRoleInGroupResponse{envelope: envelope{ActionStatus: "OK"}}
		for _, a := range body.Accounts {
			resp.UserIDList = append(resp.UserIDList, roleItem{a, RoleNotMember})
		}
		return httpmock.NewJsonResponse(200, resp)
	})
	accounts := make([]string, 2000)
	for i := range accounts {
		accounts[i] = "u" + strconv.Itoa(i)
	}
	roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: accounts})
	require.ErrorIs(t, err, ErrGroupNotFound)
	assert.Nil(t, roles, "no partial result")
	assert.Equal(t, 2, calls, "the calls after the failure are not sent")
}

func TestGetTopicPermissionsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("all topics: TopicIdList left out", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_topic_permission_group", 200, seedTopicPermissionsAll)
		res, err := m.client.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_test_permission_group_with_topic"})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSigned(t, reqs[0], "get_topic_permission_group")
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic"}`, reqs[0].Body)
		assert.Equal(t, []TopicPermissionResult{
			{TopicID: "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cKXPQIIM62CD", Permission: 1234},
			{TopicID: "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ", Permission: 123456},
		}, res)
	})
	t.Run("chosen topics", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_topic_permission_group", 200, seedTopicPermissionsOne)
		res, err := m.client.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{
			GroupID: seedCommunity, PermissionGroupID: "@PMG#_test_permission_group_with_topic",
			TopicIDs: []string{"@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ"},
		})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cV6IHIIM62C4","PermissionGroupId":"@PMG#_test_permission_group_with_topic","TopicIdList":["@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_@TOPIC#cTEJHIIM62CJ"]}`, m.requests()[0].Body)
		require.Len(t, res, 1)
		assert.Equal(t, TopicPermission(123456), res[0].Permission)
	})
	t.Run("per-item failure", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_topic_permission_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","TopicPermissionResultList":[{"ErrorCode":110014,"ErrorInfo":"deleted","TopicId":"t"}]}`)
		res, err := m.client.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_x"})
		require.NoError(t, err)
		require.Len(t, res, 1)
		assert.ErrorIs(t, res[0].Err(), ErrTopicPermissionAlreadyDeleted)
	})
}

// callers runs each method once against m, for tests that apply to all.
var callers = []struct {
	command string
	call    func(*Client) error
}{
	{"get_permission_group", func(c *Client) error {
		_, err := c.GetPermissionGroups(context.Background(), &GetPermissionGroupsRequest{GroupID: seedCommunity})
		return err
	}},
	{"get_role_in_group", func(c *Client) error {
		_, err := c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: seedCommunity, Accounts: []string{"a"}})
		return err
	}},
	{"get_topic_permission_group", func(c *Client) error {
		_, err := c.GetTopicPermissions(context.Background(), &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: "@PMG#_x"})
		return err
	}},
}

func TestDocumentedErrorCodes(t *testing.T) {
	// The codes each seed page documents, plus the common ones a caller branches on.
	common := []ErrorCode{ErrRateLimitExceeded, ErrAdminRequired, ErrUserSigExpired, ErrUserSigInvalid, ErrIdentifierMismatch, ErrSDKAppIDMismatch}
	pages := map[string][]ErrorCode{
		"get_permission_group":       {ErrInternal, ErrInvalidCommand, ErrInvalidParameter, ErrNoPermission, ErrGroupNotFound, ErrInvalidGroupID, ErrCallbackDenied, ErrCommunityNotSupported, ErrPermissionGroupNotFound, ErrInvalidPermissionGroupID},
		"get_role_in_group":          {ErrInternal, ErrInvalidCommand, ErrInvalidParameter, ErrNoPermission, ErrGroupNotFound, ErrInvalidGroupID},
		"get_topic_permission_group": {ErrInternal, ErrInvalidCommand, ErrInvalidParameter, ErrNoPermission, ErrGroupNotFound, ErrInvalidGroupID, ErrCallbackDenied, ErrPermissionGroupNotFound, ErrInvalidPermissionGroupID, ErrTopicPermissionAlreadyDeleted},
	}
	for _, c := range callers {
		for _, code := range append(pages[c.command], common...) {
			t.Run(fmt.Sprintf("%s/%d", c.command, code), func(t *testing.T) {
				m := newMock(t)
				m.respond(c.command, 200, fmt.Sprintf(`{"ActionStatus":"FAIL","ErrorCode":%d,"ErrorInfo":"server says no","RequestId":"req-1","ErrorDisplay":"shown"}`, code))
				err := c.call(m.client)
				require.ErrorIs(t, err, code)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				attempts := 1 // a read is retried on every retryable code; 70001 once, with a new UserSig
				switch {
				case code.NeedsNewUserSig():
					attempts = 2
				case code.Retryable():
					attempts = DefaultMaxAttempts
				}
				assert.Equal(t, APIError{Command: c.command, ActionStatus: "FAIL", Code: code, Info: "server says no", Display: "shown", RequestID: "req-1", Attempts: attempts}, *apiErr)
				assert.Len(t, m.requests(), attempts)
				assert.Equal(t, code.Retryable(), apiErr.Retryable())
				if code == ErrRateLimitExceeded {
					assert.ErrorIs(t, err, ErrRateLimited)
				}
			})
		}
	}
}

func TestFailureKinds(t *testing.T) {
	huge := `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"` + strings.Repeat("x", MaxResponseBytes) + `"}`
	cases := []struct {
		name   string
		status int
		body   string
		check  func(t *testing.T, err error)
	}{
		{"502 HTML page", 502, "<html><body>502 Bad Gateway</body></html>", func(t *testing.T, err error) {
			var e *HTTPError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 502, e.StatusCode)
			assert.True(t, e.Retryable())
		}},
		{"404", 404, "not found", func(t *testing.T, err error) {
			var e *HTTPError
			require.ErrorAs(t, err, &e)
			assert.False(t, e.Retryable())
		}},
		{"HTML with 200", 200, "<html></html>", func(t *testing.T, err error) {
			var e *DecodeError
			require.ErrorAs(t, err, &e)
		}},
		{"empty object", 200, `{}`, func(t *testing.T, err error) {
			var e *DecodeError
			require.ErrorAs(t, err, &e)
			assert.Contains(t, err.Error(), "ActionStatus")
		}},
		{"truncated", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Acc`, func(t *testing.T, err error) {
			var e *DecodeError
			require.ErrorAs(t, err, &e)
		}},
		{"empty body", 200, ``, func(t *testing.T, err error) {
			var e *DecodeError
			require.ErrorAs(t, err, &e)
		}},
		{"OK with a field of the wrong type", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":"nope"}`, func(t *testing.T, err error) {
			var e *DecodeError
			require.ErrorAs(t, err, &e)
		}},
		{"FAIL with a field of the wrong type is still the API error", 200, `{"ActionStatus":"FAIL","ErrorCode":10010,"UserIdList":"nope"}`, func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrGroupNotFound)
		}},
		{"FAIL with code 0", 200, `{"ActionStatus":"FAIL","ErrorCode":0,"ErrorInfo":"odd"}`, func(t *testing.T, err error) {
			var e *APIError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "FAIL", e.ActionStatus)
		}},
		{"body over the limit", 200, huge, func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrBodyTooLarge)
			var e *DecodeError
			require.ErrorAs(t, err, &e)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_role_in_group", tc.status, tc.body)
			_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
			require.Error(t, err)
			tc.check(t, err)
			assert.NotContains(t, err.Error(), "usersig")
			want := 1 // a 502 is retried, the rest are not
			if tc.status == 502 {
				want = DefaultMaxAttempts
			}
			assert.Len(t, m.requests(), want)
		})
	}
}

func TestTransportFailures(t *testing.T) {
	t.Run("connection error from the transport", func(t *testing.T) {
		m := newMock(t)
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, DefaultMaxAttempts, te.Attempts, "a read is retried after a reset")
		assert.Equal(t, DefaultMaxAttempts, m.mt.GetTotalCallCount())
		assert.Equal(t, "get_role_in_group", te.Command)
		assert.Contains(t, err.Error(), "connection reset by peer")
		assert.NotContains(t, err.Error(), "usersig")
		assert.NotContains(t, err.Error(), "adminapisgp", "the URL is not in the error")
	})
	t.Run("refused connection on loopback", func(t *testing.T) {
		c, err := NewClient(testAppID, testAdmin, WithBaseURL("http://127.0.0.1:1"), WithSecretKey(testKey), WithRetryPolicy(fastRetries))
		require.NoError(t, err)
		_, err = c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, DefaultMaxAttempts, te.Attempts, "nothing was sent: retried")
		assert.NotContains(t, err.Error(), "usersig")
		assert.NotContains(t, err.Error(), "sdkappid")
	})
	t.Run("caller's deadline", func(t *testing.T) {
		m := newMock(t)
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group",
			httpmock.NewStringResponder(200, seedRoles).Delay(time.Minute))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("redirects are not followed", func(t *testing.T) {
		m := newMock(t)
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
			m.record(r)
			resp := httpmock.NewStringResponse(http.StatusFound, "")
			resp.Header.Set("Location", "https://elsewhere.example/steal")
			return resp, nil
		})
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var he *HTTPError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, http.StatusFound, he.StatusCode)
		assert.Len(t, m.requests(), 1)
		assert.Equal(t, 1, m.mt.GetTotalCallCount())
	})
}

func TestRandomIsFreshAndSpansTheRange(t *testing.T) {
	m := newMock(t)
	m.respond("get_role_in_group", 200, seedRoles)
	seen := map[uint32]bool{}
	for range 20 {
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
		require.NoError(t, err)
	}
	for _, s := range m.requests() {
		seen[assertSigned(t, s, "get_role_in_group")] = true
	}
	assert.Len(t, seen, 20, "a fresh random for every request")

	// Over many URLs the values reach both halves of the 32-bit range.
	var high, low bool
	for range 200 {
		u, err := url.Parse(m.client.requestURL(0, "get_role_in_group"))
		require.NoError(t, err)
		r, err := strconv.ParseUint(u.Query().Get("random"), 10, 32)
		require.NoError(t, err)
		high = high || r >= 1<<31
		low = low || r < 1<<31
	}
	assert.True(t, high && low)
}

func TestRequestURLEscapesTheSignature(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got *url.URL
	mt.RegisterResponder(http.MethodPost, "https://proxy.example/tim/v4/group_open_http_svc/get_role_in_group", func(r *http.Request) (*http.Response, error) {
		got = r.URL
		return httpmock.NewStringResponse(200, seedRoles), nil
	})
	c, err := NewClient(testAppID, "admin+ops", WithBaseURL("https://proxy.example/tim/"),
		WithUserSigner(mustStatic("a*b-c_d/e+f=")), WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter", "wesley"}})
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, "/tim/v4/group_open_http_svc/get_role_in_group", got.Path, "a base path prefix is kept")
	assert.Equal(t, "a*b-c_d/e+f=", got.Query().Get("usersig"))
	assert.Contains(t, got.RawQuery, "usersig=a%2Ab-c_d%2Fe%2Bf%3D&")
	assert.Equal(t, "admin+ops", got.Query().Get("identifier"))
	assert.Equal(t, "json", got.Query().Get("contenttype"))

	// Above the signing layer the URL holds a placeholder.
	u, err := url.Parse(c.requestURL(0, "get_role_in_group"))
	require.NoError(t, err)
	assert.Equal(t, "[redacted]", u.Query().Get("usersig"))
}

func TestUserAgent(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{nil, DefaultUserAgent},
		{[]Option{WithUserAgent("my-backend/1.2")}, "my-backend/1.2"},
	} {
		m := newMock(t, tc.opts...)
		m.respond("get_role_in_group", 200, seedRoles)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter", "wesley"}})
		require.NoError(t, err)
		assert.Equal(t, tc.want, m.requests()[0].Header.Get("User-Agent"))
	}
}

func TestValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	blankAccounts := make([]string, 3)
	const pg = "@PMG#_a"
	cases := []struct {
		name  string
		field string // the Go name
		param string // the wire name
		call  func(*Client) error
	}{
		{"nil page request", "req", "", func(c *Client) error { _, err := c.GetPermissionGroups(ctx, nil); return err }},
		{"page without group", "GroupID", "GroupId", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{})
			return err
		}},
		{"limit 21", "Limit", "Limit", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 21})
			return err
		}},
		{"negative limit", "Limit", "Limit", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: -1})
			return err
		}},
		{"empty permission group id", "PermissionGroupIDs[1]", "PermissionGroupIdList", func(c *Client) error {
			_, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, PermissionGroupIDs: []string{pg, ""}})
			return err
		}},
		{"iterator with limit 21", "Limit", "Limit", func(c *Client) error {
			for _, err := range c.AllPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: seedCommunity, Limit: 21}) {
				return err
			}
			return nil
		}},
		{"roles without group", "GroupID", "GroupId", func(c *Client) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "", Accounts: []string{"a"}})
			return err
		}},
		{"roles without accounts", "Accounts", "User_Account", func(c *Client) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: nil})
			return err
		}},
		{"roles with an empty account", "Accounts[0]", "User_Account", func(c *Client) error {
			_, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: blankAccounts})
			return err
		}},
		{"nil topic request", "req", "", func(c *Client) error { _, err := c.GetTopicPermissions(ctx, nil); return err }},
		{"topics without group", "GroupID", "GroupId", func(c *Client) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{PermissionGroupID: pg})
			return err
		}},
		{"topics without permission group", "PermissionGroupID", "PermissionGroupId", func(c *Client) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity})
			return err
		}},
		{"empty topic id", "TopicIDs[0]", "TopicId", func(c *Client) error {
			_, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: seedCommunity, PermissionGroupID: pg, TopicIDs: []string{""}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.mt.RegisterNoResponder(httpmock.NewStringResponder(200, okEnvelope))
			err := tc.call(m.client)
			require.ErrorIs(t, err, ErrInvalidRequest)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, tc.param, ve.Param)
			assert.Equal(t, 0, m.mt.GetTotalCallCount(), "nothing is sent")
		})
	}
}

func TestNewClientConfig(t *testing.T) {
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	key := WithSecretKey(testKey)
	region := WithRegion(RegionTokyo)
	cases := []struct {
		name  string
		appID uint64
		id    string
		opts  []Option
		want  string // part of the error; "" for success
	}{
		{"ok", testAppID, testAdmin, []Option{region, key}, ""},
		{"ok with signer and base URL", testAppID, testAdmin, []Option{WithBaseURL("https://adminapisgp.my-imcloud.com"), WithUserSigner(mustStatic("s"))}, ""},
		{"zero app", 0, testAdmin, []Option{region, key}, "SDKAppID"},
		{"empty identifier", testAppID, "", []Option{region, key}, "identifier"},
		{"long identifier", testAppID, strings.Repeat("a", 33), []Option{region, key}, "identifier"},
		{"no region", testAppID, testAdmin, []Option{key}, "no region"},
		{"region and base URL", testAppID, testAdmin, []Option{region, WithBaseURL("https://x.example"), key}, "both"},
		{"no credentials", testAppID, testAdmin, []Option{region}, "no credentials"},
		{"key and signer", testAppID, testAdmin, []Option{region, key, WithUserSigner(mustStatic("s"))}, "both"},
		{"unknown region", testAppID, testAdmin, []Option{WithRegion(0), key}, "unknown region"},
		{"http to a remote host", testAppID, testAdmin, []Option{WithBaseURL("http://example.com"), key}, "https"},
		{"empty key", testAppID, testAdmin, []Option{region, WithSecretKey("")}, "key is empty"},
		{"nil signer", testAppID, testAdmin, []Option{region, WithUserSigner(nil)}, "nil"},
		{"short timeout", testAppID, testAdmin, []Option{region, key, WithTimeout(time.Second)}, "3 s"},
		{"nil http client", testAppID, testAdmin, []Option{region, key, WithHTTPClient(nil)}, "nil"},
		{"TLS verification off", testAppID, testAdmin, []Option{region, key, WithHTTPClient(insecure)}, "InsecureSkipVerify"},
		{"nil logger", testAppID, testAdmin, []Option{region, key, WithLogger(nil)}, "nil"},
		{"empty user agent", testAppID, testAdmin, []Option{region, key, WithUserAgent("")}, "user agent"},
		{"header injection in user agent", testAppID, testAdmin, []Option{region, key, WithUserAgent("a\r\nX: y")}, "not printable ASCII"},
		{"zero concurrency", testAppID, testAdmin, []Option{region, key, WithMaxConcurrency(0)}, "less than 1"},
		{"nil option", testAppID, testAdmin, []Option{region, key, nil}, "nil option"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(tc.appID, tc.id, tc.opts...)
			if tc.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestNewClientDoesNotChangeTheCallersHTTPClient(t *testing.T) {
	hc := &http.Client{Timeout: time.Minute}
	_, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.Transport)
	assert.Nil(t, hc.CheckRedirect)
	assert.Equal(t, time.Minute, hc.Timeout)
}

func TestClientAccessors(t *testing.T) {
	c, err := NewClient(testAppID, testAdmin, WithRegion(RegionFrankfurt), WithSecretKey(testKey))
	require.NoError(t, err)
	assert.Equal(t, testAppID, c.SDKAppID())
	assert.Equal(t, testAdmin, c.Identifier())
	assert.Equal(t, "https://adminapiger.im.qcloud.com", c.BaseURL())
}

// TestNoSecretsLeak fails calls in every way and checks that neither the
// errors, nor the log records, nor printing the client show the key, the
// UserSig or the signed URL.
func TestNoSecretsLeak(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newMock(t, WithLogger(logger))
	sig, err := m.client.signer.UserSig(context.Background())
	require.NoError(t, err)

	answers := []httpmock.Responder{
		httpmock.NewErrorResponder(errors.New("connection reset")),
		httpmock.NewStringResponder(502, "<html>bad gateway</html>"),
		httpmock.NewStringResponder(200, "not json"),
		httpmock.NewStringResponder(200, `{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}`),
		httpmock.NewStringResponder(200, seedRoles),
	}
	var errs []string
	for _, a := range answers {
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", a)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))
		}
	}
	require.Len(t, errs, 8, "four failures")
	sig2, err := m.client.signer.UserSig(context.Background())
	require.NoError(t, err)
	require.NotEqual(t, sig, sig2, "the 70001 made a new UserSig")
	printed := fmt.Sprintf("%v %+v %#v %s %d %x %q", m.client, m.client, m.client, m.client, m.client, m.client, m.client) +
		fmt.Sprintf("%v %+v %#v", *m.client, *m.client, *m.client) // the value form skips Format

	static, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithUserSigner(mustStatic("STATIC-SECRET-SIG")))
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", *static, *static, static), "STATIC-SECRET-SIG")

	records := strings.Count(logs.String(), "\n")
	// One record per request: the reset and the 502 are sent three times,
	// the 70001 twice (with a new UserSig), the bad body and the success once.
	assert.Equal(t, 3+3+1+2+1, records)
	assert.Contains(t, logs.String(), `"attempt":2`)
	assert.Contains(t, logs.String(), `"error_code":70001`)
	assert.Contains(t, logs.String(), `"http_status":502`)

	for name, text := range map[string]string{"errors": strings.Join(errs, "\n"), "logs": logs.String(), "printed client": printed} {
		for _, secret := range []string{testKey, sig, url.QueryEscape(sig), sig2, "usersig"} {
			assert.NotContains(t, text, secret, "%s leak a secret", name)
		}
	}
}

func TestExpiredUserSigIsRenewedAndSentOnce(t *testing.T) {
	for _, code := range []ErrorCode{ErrUserSigExpired, ErrUserSigInvalidated} {
		t.Run(strconv.Itoa(int(code)), func(t *testing.T) {
			m := newMock(t)
			calls := 0
			m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
				m.record(r)
				calls++
				if calls == 1 {
					return httpmock.NewStringResponse(200, fmt.Sprintf(`{"ActionStatus":"FAIL","ErrorCode":%d,"ErrorInfo":"expired","RequestId":"first"}`, code)), nil
				}
				return httpmock.NewStringResponse(200, seedRoles), nil
			})
			roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
			require.NoError(t, err)
			assert.Len(t, roles, 3)
			reqs := m.requests()
			require.Len(t, reqs, 2)
			first, second := reqs[0].URL.Query(), reqs[1].URL.Query()
			assert.NotEqual(t, first.Get("usersig"), second.Get("usersig"), "a new UserSig")
			assert.NotEqual(t, first.Get("random"), second.Get("random"), "a new random")
			assertSigned(t, reqs[1], "get_role_in_group")
			assert.Equal(t, reqs[0].Body, reqs[1].Body)
		})
	}
	t.Run("only once", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}`)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, ErrUserSigExpired)
		assert.Len(t, m.requests(), 2)
	})
	t.Run("a static signature is not sent again", func(t *testing.T) {
		m := newMock(t)
		static, err := NewClient(testAppID, testAdmin, WithRegion(RegionSingapore), WithUserSigner(mustStatic("s")), WithHTTPClient(&http.Client{Transport: m.mt}))
		require.NoError(t, err)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}`)
		_, err = static.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, ErrUserSigExpired)
		assert.Len(t, m.requests(), 1)
	})
	t.Run("other codes are not sent again", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"FAIL","ErrorCode":70003,"ErrorInfo":"invalid"}`)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, ErrUserSigInvalid)
		assert.Len(t, m.requests(), 1)
	})
}

func TestOddResponses(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		check func(t *testing.T, page *PermissionGroupsPage, err error)
	}{
		{"code as a string", `{"ActionStatus":"FAIL","ErrorCode":"10010","ErrorInfo":"gone"}`, func(t *testing.T, _ *PermissionGroupsPage, err error) {
			assert.ErrorIs(t, err, ErrGroupNotFound)
		}},
		{"failure with a payload that does not decode", `{"ActionStatus":"FAIL","Next":true,"ErrorCode":10010}`, func(t *testing.T, _ *PermissionGroupsPage, err error) {
			assert.ErrorIs(t, err, ErrGroupNotFound)
		}},
		{"success with a payload that does not decode", `{"ActionStatus":"OK","Next":true,"ErrorCode":0}`, func(t *testing.T, _ *PermissionGroupsPage, err error) {
			var e *DecodeError
			assert.ErrorAs(t, err, &e)
		}},
		{"code out of range", `{"ActionStatus":"FAIL","ErrorCode":99999999999,"ErrorInfo":"x"}`, func(t *testing.T, _ *PermissionGroupsPage, err error) {
			var e *DecodeError
			assert.ErrorAs(t, err, &e)
		}},
		{"null item", `{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[null],"Next":""}`, func(t *testing.T, _ *PermissionGroupsPage, err error) {
			var e *DecodeError
			require.ErrorAs(t, err, &e)
			assert.Contains(t, err.Error(), "item 0")
		}},
		{"null list", `{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":null,"Next":""}`, func(t *testing.T, page *PermissionGroupsPage, err error) {
			require.NoError(t, err)
			assert.Empty(t, page.PermissionGroups)
		}},
		{"numbers as strings and floats", `{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[{"ErrorCode":0,"PermissionGroupId":"@PMG#_a","MemberCount":1e3,"CreateTime":"1700000000"}],"Next":""}`,
			func(t *testing.T, page *PermissionGroupsPage, err error) {
				require.NoError(t, err)
				assert.Equal(t, 1000, page.PermissionGroups[0].MemberCount)
				assert.Equal(t, int64(1700000000), page.PermissionGroups[0].CreateTime)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respond("get_permission_group", 200, tc.body)
			page, err := m.client.GetPermissionGroups(context.Background(), &GetPermissionGroupsRequest{GroupID: seedCommunity})
			tc.check(t, page, err)
		})
	}
}

// leakyTransport fails with an error that quotes the request URL, as a
// careless RoundTripper wrapper might.
type leakyTransport struct{ quoteSig bool }

func (l leakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.quoteSig {
		return nil, errors.New("giving up on " + r.URL.Query().Get("usersig"))
	}
	return nil, errors.New("giving up on " + r.URL.RawQuery)
}

func TestTransportErrorsThatQuoteTheURLAreWithheld(t *testing.T) {
	for _, quoteSig := range []bool{false, true} {
		c, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithHTTPClient(&http.Client{Transport: leakyTransport{quoteSig}}), WithRetryPolicy(fastRetries))
		require.NoError(t, err)
		sig, err := c.signer.UserSig(context.Background())
		require.NoError(t, err)
		_, err = c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Contains(t, err.Error(), "withheld")
		assert.Contains(t, err.Error(), "[redacted]", "the signature's place is marked")
		assert.NotContains(t, err.Error(), sig)
		assert.NotContains(t, err.Error(), url.QueryEscape(sig))
		assert.True(t, te.Retryable())
	}
}

func TestGetRoleInGroupFailureCancelsRequestsInFlight(t *testing.T) {
	m := newMock(t, WithMaxConcurrency(2))
	secondArrived := make(chan struct{})
	secondCancelled := make(chan bool, 1)
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
		var body getRoleInGroupBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, err
		}
		if body.Accounts[0] == "u0" { // the first chunk fails once the second is in flight
			select {
			case <-secondArrived:
			case <-time.After(5 * time.Second):
			}
			return httpmock.NewStringResponse(200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone"}`), nil
		}
		close(secondArrived)
		select {
		case <-r.Context().Done():
			secondCancelled <- true
			return nil, r.Context().Err()
		case <-time.After(5 * time.Second):
			secondCancelled <- false
			return httpmock.NewStringResponse(200, okEnvelope), nil
		}
	})
	accounts := make([]string, 1000)
	for i := range accounts {
		accounts[i] = "u" + strconv.Itoa(i)
	}
	roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: accounts})
	require.ErrorIs(t, err, ErrGroupNotFound, "the first failure is the one returned")
	assert.Nil(t, roles)
	assert.True(t, <-secondCancelled, "the request in flight was cancelled")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadBody(t *testing.T) {
	t.Run("a body of the limit is read whole", func(t *testing.T) {
		data, err := readBody(bytes.NewReader(bytes.Repeat([]byte("x"), MaxResponseBytes)), nil)
		require.NoError(t, err)
		assert.Len(t, data, MaxResponseBytes)
	})
	t.Run("a longer body is read one byte past the limit, no further", func(t *testing.T) {
		cr := &countingReader{r: bytes.NewReader(bytes.Repeat([]byte("x"), MaxResponseBytes+100))}
		data, err := readBody(cr, make([]byte, 0, 4<<10))
		require.NoError(t, err)
		assert.Len(t, data, MaxResponseBytes+1)
		assert.Equal(t, MaxResponseBytes+1, cr.n)
	})
	t.Run("small reads and a reused buffer", func(t *testing.T) {
		buf := []byte("stale content")
		data, err := readBody(iotest.OneByteReader(strings.NewReader(seedRoles)), buf[:0])
		require.NoError(t, err)
		assert.Equal(t, seedRoles, string(data))
	})
	t.Run("a read error is returned", func(t *testing.T) {
		_, err := readBody(iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader(seedRoles))), nil)
		assert.ErrorIs(t, err, iotest.ErrTimeout)
	})
}

// Response bodies are read into pooled buffers: what a call returned must
// not change when later responses reuse the buffer.
func TestDecodedValuesOutliveTheBodyBuffer(t *testing.T) {
	m := newMock(t)
	ctx := context.Background()
	m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"alice","Role":"Owner"}]}`)
	first, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"alice"}})
	require.NoError(t, err)
	m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"bobby","Role":"Admin"}]}`)
	for range 10 {
		_, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"bobby"}})
		require.NoError(t, err)
	}
	assert.Equal(t, []MemberRole{{"alice", RoleOwner}}, first)
}

func TestEscapedUserSigFollowsTheSigner(t *testing.T) {
	escape := newSigEscaper()
	for _, sig := range []string{"a*b-c_", "a*b-c_", "d*e", "a*b-c_"} {
		f := escape(sig)
		assert.Equal(t, sig, f.raw)
		assert.Equal(t, url.QueryEscape(sig), f.query)
		assert.Equal(t, url.PathEscape(sig), f.path)
	}
}

// mustStatic is StaticUserSig for a signature known to be valid.
func mustStatic(sig string) UserSigner {
	s, err := StaticUserSig(sig)
	if err != nil {
		panic(err)
	}
	return s
}
