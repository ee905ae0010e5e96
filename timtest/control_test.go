package timtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const ctlGroup = "@TGS#_@TGS#ctl"

// ctlServer starts a fake with the control endpoint and one community
// (owner "owner", member "amy") and returns it with a client for it.
func ctlServer(t *testing.T, opts ...timtest.Option) (*timtest.Server, *tim.Client) {
	t.Helper()
	srv := timtest.NewServer(append([]timtest.Option{timtest.WithControlEndpoint()}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, srv.CreateCommunity(ctlGroup, "owner"))
	require.NoError(t, srv.AddMember(ctlGroup, "amy", tim.RoleMember))
	client, err := srv.NewClient()
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	return srv, client
}

// ctlAnswer is a control endpoint's answer.
type ctlAnswer struct {
	Status      int
	ContentType string
	Body        map[string]any
	Raw         string
}

func ctlDo(t *testing.T, method, target, body string) ctlAnswer {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := ctlAnswer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Raw: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &a.Body), "answer %q", raw)
	return a
}

func ctlPost(t *testing.T, srv *timtest.Server, endpoint, body string) ctlAnswer {
	t.Helper()
	return ctlDo(t, http.MethodPost, srv.URL()+"/_timfake/"+endpoint, body)
}

func TestControlFailNext(t *testing.T) {
	srv, client := ctlServer(t)
	ctx := context.Background()

	a := ctlPost(t, srv, "fail_next", `{"command": "get_role_in_group", "n": 2, "fault": {"code": 10007, "info": "no way"}}`)
	assert.Equal(t, http.StatusOK, a.Status)
	assert.Equal(t, "application/json", a.ContentType)
	assert.Equal(t, map[string]any{"ok": true}, a.Body)

	for range 2 {
		_, err := client.RoleOf(ctx, ctlGroup, "amy")
		require.ErrorIs(t, err, tim.ErrNoPermission)
		var apiErr *tim.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "no way", apiErr.Info)
	}
	role, err := client.RoleOf(ctx, ctlGroup, "amy")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleMember, role)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, &timtest.Fault{Code: tim.ErrNoPermission, Info: "no way"}, reqs[0].Fault)
	assert.Nil(t, reqs[2].Fault)
}

func TestControlFailNextFields(t *testing.T) {
	srv, client := ctlServer(t)
	// n defaults to 1; every field of Fault has its snake_case name.
	for _, body := range []string{
		`{"command": "get_role_in_group", "fault": {"status": 502, "delay_ms": 5}}`,
		`{"command": "get_role_in_group", "fault": {"truncate": true}}`,
		`{"command": "get_role_in_group", "fault": {"not_json": true}}`,
		`{"command": "get_role_in_group", "fault": {"drop": true, "after_apply": true}}`,
		`{"command": "get_role_in_group", "fault": {"pass": true}}`,
		`{"command": "get_role_in_group", "fault": {"code": 10002}}`,
	} {
		require.Equal(t, http.StatusOK, ctlPost(t, srv, "fail_next", body).Status, body)
	}
	want := []*timtest.Fault{
		{Status: 502, Delay: 5 * time.Millisecond},
		{Truncate: true},
		{NotJSON: true},
		{Drop: true, AfterApply: true},
		{Pass: true},
		{Code: tim.ErrInternal, Info: "injected by timtest"},
	}
	for range want {
		_, _ = client.RoleOf(context.Background(), ctlGroup, "amy") // FastRetries: one call may take several faults
		if len(srv.Requests()) >= len(want) {
			break
		}
	}
	reqs := srv.Requests()
	require.GreaterOrEqual(t, len(reqs), len(want))
	for i, w := range want {
		assert.Equal(t, w, reqs[i].Fault, "request %d", i)
	}
}

func TestControlFailNextRefuses(t *testing.T) {
	srv, client := ctlServer(t)
	for _, tc := range []struct{ name, body, want string }{
		{"unknown command", `{"command": "get_roles", "n": 1, "fault": {"code": 10002}}`, `no command "get_roles"`},
		{"no command", `{"n": 1, "fault": {"code": 10002}}`, `no command ""`},
		{"command named like the endpoint", `{"command": "_timfake", "fault": {"code": 10002}}`, `no command "_timfake"`},
		{"n zero", `{"command": "get_role_in_group", "n": 0, "fault": {"code": 10002}}`, "n is 0"},
		{"n negative", `{"command": "get_role_in_group", "n": -3, "fault": {"code": 10002}}`, "n is -3"},
		{"no fault", `{"command": "get_role_in_group", "n": 1}`, "sets nothing"},
		{"two kinds", `{"command": "get_role_in_group", "fault": {"code": 10002, "drop": true}}`, "more than one"},
		{"pass with delay", `{"command": "get_role_in_group", "fault": {"pass": true, "delay_ms": 5}}`, "Pass"},
		{"status out of range", `{"command": "get_role_in_group", "fault": {"status": 200}}`, "Status 200"},
		{"negative delay", `{"command": "get_role_in_group", "fault": {"delay_ms": -1}}`, "negative Delay"},
		{"delay overflow", `{"command": "get_role_in_group", "fault": {"delay_ms": 9223372036854775807}}`, "too long"},
		{"unknown field", `{"command": "get_role_in_group", "fault": {"code": 10002}, "times": 2}`, `unknown field "times"`},
		{"unknown fault field", `{"command": "get_role_in_group", "fault": {"code": 10002, "delay": 5}}`, `unknown field "delay"`},
		{"CamelCase field", `{"command": "get_role_in_group", "fault": {"NotJSON": true}}`, `unknown field "NotJSON"`},
		{"wrong type", `{"command": "get_role_in_group", "n": "1", "fault": {"code": 10002}}`, "cannot unmarshal"},
		{"not JSON", `command=get_role_in_group`, "invalid character"},
		{"empty", ``, "body is empty"},
		{"two values", `{"command": "get_role_in_group", "fault": {"code": 10002}} {}`, "after the JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ctlPost(t, srv, "fail_next", tc.body)
			assert.Equal(t, http.StatusBadRequest, a.Status)
			assert.Equal(t, false, a.Body["ok"])
			assert.Contains(t, a.Body["error"], tc.want)
		})
	}
	// Nothing was queued.
	_, err := client.RoleOf(context.Background(), ctlGroup, "amy")
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 1, "control requests are not recorded")
}

func TestControlRoutes(t *testing.T) {
	srv, _ := ctlServer(t)
	a := ctlDo(t, http.MethodGet, srv.URL()+"/_timfake/fail_next", "")
	assert.Equal(t, http.StatusMethodNotAllowed, a.Status)
	assert.Equal(t, false, a.Body["ok"])
	assert.Contains(t, a.Body["error"], "use POST")

	a = ctlDo(t, http.MethodPost, srv.URL()+"/_timfake/requests", "")
	assert.Equal(t, http.StatusMethodNotAllowed, a.Status)

	for _, p := range []string{"/_timfake/", "/_timfake/fail", "/_timfake/fail_next/x"} {
		a = ctlDo(t, http.MethodPost, srv.URL()+p, "{}")
		assert.Equal(t, http.StatusNotFound, a.Status, p)
		assert.Contains(t, a.Body["error"], "no control endpoint", p)
	}
}

// signedURL returns a URL of the REST service path with a valid signed query.
func signedURL(t *testing.T, srv *timtest.Server, path string) string {
	t.Helper()
	sig, err := tim.GenerateUserSig(srv.SDKAppID(), srv.SecretKey(), srv.Admin(), time.Now(), time.Hour)
	require.NoError(t, err)
	q := url.Values{
		"sdkappid": {strconv.FormatUint(srv.SDKAppID(), 10)}, "identifier": {srv.Admin()},
		"usersig": {sig}, "random": {"12345"}, "contenttype": {"json"},
	}
	return srv.URL() + path + "?" + q.Encode()
}

func TestControlNotACommand(t *testing.T) {
	srv, client := ctlServer(t)
	body := `{"command": "get_role_in_group", "n": 1, "fault": {"code": 10002}}`
	for _, tc := range []struct {
		path string
		code tim.ErrorCode
	}{
		{"/v4/group_open_http_svc/_timfake", tim.ErrInvalidCommand},
		{"/v4/group_open_http_svc/_timfake/fail_next", tim.ErrBadURL},
		{"/v4/group_open_http_svc/fail_next", tim.ErrInvalidCommand},
		{"/v4/_timfake/fail_next", tim.ErrBadURL},
		{"/_timfake", tim.ErrBadURL},
	} {
		a := ctlDo(t, http.MethodPost, signedURL(t, srv, tc.path), body)
		assert.Equal(t, http.StatusOK, a.Status, tc.path)
		assert.Equal(t, "FAIL", a.Body["ActionStatus"], tc.path)
		assert.EqualValues(t, tc.code, a.Body["ErrorCode"], tc.path)
	}
	require.Error(t, srv.FailNext("_timfake", 1, timtest.Fault{Code: tim.ErrInternal}))
	// None of them queued a fault.
	_, err := client.RoleOf(context.Background(), ctlGroup, "amy")
	require.NoError(t, err)
}

func TestControlOffByDefault(t *testing.T) {
	srv := timtest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.CreateCommunity(ctlGroup, "owner"))
	for _, endpoint := range []string{"fail_next", "reset", "seed"} {
		a := ctlDo(t, http.MethodPost, srv.URL()+"/_timfake/"+endpoint, `{"command": "get_role_in_group", "n": 1, "fault": {"code": 10002}}`)
		assert.Equal(t, http.StatusOK, a.Status, endpoint)
		assert.EqualValues(t, tim.ErrBadURL, a.Body["ErrorCode"], endpoint)
	}
	a := ctlDo(t, http.MethodGet, srv.URL()+"/_timfake/requests", "")
	assert.EqualValues(t, tim.ErrBadURL, a.Body["ErrorCode"])

	client, err := srv.NewClient()
	require.NoError(t, err)
	defer client.Close()
	_, err = client.RoleOf(context.Background(), ctlGroup, "owner")
	require.NoError(t, err, "no fault was queued")
	reqs := srv.Requests()
	require.Len(t, reqs, 5, "answered and recorded as the service's unknown paths")
	assert.Equal(t, "/_timfake/fail_next", reqs[0].Path)
	assert.Equal(t, "", reqs[0].Command)
}

func TestControlRequests(t *testing.T) {
	srv, client := ctlServer(t)
	ctx := context.Background()
	_, err := client.RoleOf(ctx, ctlGroup, "amy")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, ctlPost(t, srv, "fail_next", `{"command": "get_group_info", "fault": {"code": 10007}}`).Status)
	_, err = client.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{GroupIDs: []string{ctlGroup}})
	require.Error(t, err)

	var list struct {
		OK       bool `json:"ok"`
		Requests []struct {
			Command      string              `json:"command"`
			Path         string              `json:"path"`
			Query        map[string][]string `json:"query"`
			UserSigValid bool                `json:"usersig_valid"`
			Header       map[string][]string `json:"header"`
			Body         string              `json:"body"`
			ErrorCode    int                 `json:"error_code"`
			Fault        map[string]any      `json:"fault"`
			Time         time.Time           `json:"time"`
		} `json:"requests"`
	}
	a := ctlDo(t, http.MethodGet, srv.URL()+"/_timfake/requests", "")
	require.Equal(t, http.StatusOK, a.Status)
	require.NoError(t, json.Unmarshal([]byte(a.Raw), &list))
	assert.True(t, list.OK)
	require.Len(t, list.Requests, 2, "the control requests are not listed")
	r := list.Requests[0]
	assert.Equal(t, "get_role_in_group", r.Command)
	assert.Equal(t, "/v4/group_open_http_svc/get_role_in_group", r.Path)
	assert.Equal(t, []string{"[redacted]"}, r.Query["usersig"])
	assert.NotContains(t, a.Raw, srv.SecretKey())
	assert.True(t, r.UserSigValid)
	assert.JSONEq(t, `{"GroupId": "`+ctlGroup+`", "User_Account": ["amy"]}`, r.Body)
	assert.Equal(t, 0, r.ErrorCode)
	assert.Nil(t, r.Fault)
	assert.WithinDuration(t, time.Now(), r.Time, time.Minute)
	assert.NotEmpty(t, r.Header["Content-Type"])

	r = list.Requests[1]
	assert.Equal(t, "get_group_info", r.Command)
	assert.Equal(t, 10007, r.ErrorCode)
	assert.Equal(t, map[string]any{"code": float64(10007), "info": "injected by timtest"}, r.Fault)

	require.NoError(t, json.Unmarshal([]byte(ctlDo(t, http.MethodGet, srv.URL()+"/_timfake/requests?command=get_group_info", "").Raw), &list))
	require.Len(t, list.Requests, 1)
	assert.Equal(t, "get_group_info", list.Requests[0].Command)

	require.NoError(t, json.Unmarshal([]byte(ctlDo(t, http.MethodGet, srv.URL()+"/_timfake/requests?command=nothing", "").Raw), &list))
	assert.NotNil(t, list.Requests, "an empty list is [], not null")
	assert.Empty(t, list.Requests)
}

func TestControlReset(t *testing.T) {
	srv, client := ctlServer(t, timtest.WithRateLimit(1))
	ctx := context.Background()
	_, err := client.RoleOf(ctx, ctlGroup, "amy")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, ctlPost(t, srv, "fail_next", `{"command": "get_role_in_group", "n": 5, "fault": {"code": 10007}}`).Status)

	for _, body := range []string{"", "{}", " {} \n"} {
		a := ctlPost(t, srv, "reset", body)
		require.Equal(t, http.StatusOK, a.Status, body)
		assert.Equal(t, map[string]any{"ok": true}, a.Body)
	}
	assert.Empty(t, srv.Requests())
	// The faults and the rate-limit count are gone; the groups stay.
	role, err := client.RoleOf(ctx, ctlGroup, "amy")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleMember, role)

	for _, body := range []string{`{"faults": true}`, `[]`, `nope`} {
		a := ctlPost(t, srv, "reset", body)
		assert.Equal(t, http.StatusBadRequest, a.Status, body)
		assert.Contains(t, a.Body["error"], "empty or {}", body)
	}
}

func TestControlSeed(t *testing.T) {
	srv, client := ctlServer(t)
	ctx := context.Background()
	a := ctlPost(t, srv, "seed", `{"communities": [{"group_id": "@TGS#_more", "owner": "leckie", "members": {"peter": "Admin"}}]}`)
	require.Equal(t, http.StatusOK, a.Status, a.Raw)
	assert.Equal(t, map[string]any{"ok": true}, a.Body)
	role, err := client.RoleOf(ctx, "@TGS#_more", "peter")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleAdmin, role)

	for _, tc := range []struct{ body, want string }{
		{`{"communities": [{"group_id": "@TGS#_more", "owner": "x"}]}`, `communities[0] ("@TGS#_more"): group_id: the fake already has a group`},
		{`{"communities": [{"group_id": "@TGS#_x", "owner": "x", "members": {"y": "owner"}}]}`, `members["y"]: role "owner" is not Admin or Member`},
		{`{"groups": []}`, `unknown field "groups"`},
		{``, "the seed is empty"},
	} {
		a := ctlPost(t, srv, "seed", tc.body)
		assert.Equal(t, http.StatusBadRequest, a.Status, tc.body)
		assert.Contains(t, a.Body["error"], tc.want, tc.body)
	}
	_, err = client.RoleOf(ctx, "@TGS#_x", "x")
	assert.True(t, errors.Is(err, tim.ErrGroupNotFound), "a refused seed adds nothing: %v", err)
}
