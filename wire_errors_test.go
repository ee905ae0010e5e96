package tim

// How failures reach the caller: the documented error codes as *APIError,
// non-200 statuses, bodies that are not the envelope, odd encodings.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
