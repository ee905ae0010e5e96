package timtest

// These tests check the fake over raw HTTP with net/http, independently of
// the SDK's client: every request is built and signed by hand and every
// answer decoded by hand, so a bug shared by the client and the fake cannot
// hide itself. The expected behaviour is the one the service's documentation
// describes for the signed URL, the envelope, IDs, limits and error codes.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// Commands under test.
const (
	cmdPermGroup      = "get_permission_group"
	cmdRole           = "get_role_in_group"
	cmdTopicPermGroup = "get_topic_permission_group"
)

// Seeded IDs.
const (
	tComm  = "@TGS#_@TGS#cV6IHIIM62C4"
	tComm2 = "@TGS#_@TGS#other"
	tOwner = "leckie"
)

// testHTTPClient is shared by every test; the timeout only stops a hung fake.
var testHTTPClient = &http.Client{Timeout: 10 * time.Second}

// --- helpers ---------------------------------------------------------------

func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// makeSig makes a UserSig with every input under the test's control.
func makeSig(t testing.TB, appID uint64, key, identifier string, issued time.Time, validity time.Duration) string {
	t.Helper()
	sig, err := tim.GenerateUserSig(appID, key, identifier, issued, validity)
	require.NoError(t, err)
	return sig
}

// signedQuery returns a query that passes every check for identifier: the
// fake's sdkappid, a fresh one-hour UserSig, a random uint32 and
// contenttype=json.
func signedQuery(t testing.TB, srv *Server, identifier string) url.Values {
	t.Helper()
	return url.Values{
		"sdkappid":    {strconv.FormatUint(srv.SDKAppID(), 10)},
		"identifier":  {identifier},
		"usersig":     {makeSig(t, srv.SDKAppID(), srv.SecretKey(), identifier, time.Now(), time.Hour)},
		"random":      {strconv.FormatUint(uint64(rand.Uint32()), 10)},
		"contenttype": {"json"},
	}
}

func adminQuery(t testing.TB, srv *Server) url.Values {
	t.Helper()
	return signedQuery(t, srv, srv.Admin())
}

// rawBody turns a test body into bytes: nil is no body, []byte, string and
// json.RawMessage are sent as they are, anything else JSON-encoded.
func rawBody(body any) ([]byte, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	case string:
		return []byte(b), nil
	default:
		return json.Marshal(b)
	}
}

// httpReply is an HTTP answer as received.
type httpReply struct {
	status      int
	contentType string
	body        []byte
}

// send makes one HTTP request. It makes no assertions, so goroutines may use it.
func send(method, target string, body []byte) (httpReply, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return httpReply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := testHTTPClient.Do(req)
	if err != nil {
		return httpReply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return httpReply{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: b}, err
}

func commandURL(srv *Server, command string, q url.Values) string {
	return srv.URL() + "/v4/group_open_http_svc/" + command + "?" + q.Encode()
}

// decodeReply checks that an answer is HTTP 200 with a JSON body and
// decodes it into out (numbers in maps as json.Number).
func decodeReply(rep httpReply, out any) error {
	if rep.status != http.StatusOK {
		return fmt.Errorf("HTTP status %d, want 200 (body %q)", rep.status, rep.body)
	}
	if !strings.HasPrefix(rep.contentType, "application/json") {
		return fmt.Errorf("Content-Type %q, want application/json", rep.contentType)
	}
	dec := json.NewDecoder(bytes.NewReader(rep.body))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("decoding %q: %w", rep.body, err)
	}
	return nil
}

// postErr POSTs body to command with query q and decodes the answer into
// out. It returns errors instead of failing the test: for goroutines.
func postErr(srv *Server, command string, q url.Values, body, out any) error {
	b, err := rawBody(body)
	if err != nil {
		return err
	}
	rep, err := send(http.MethodPost, commandURL(srv, command, q), b)
	if err != nil {
		return err
	}
	return decodeReply(rep, out)
}

// post is postErr for the test goroutine.
func post(t testing.TB, srv *Server, command string, q url.Values, body, out any) {
	t.Helper()
	require.NoError(t, postErr(srv, command, q, body, out))
}

// postMap POSTs and returns the answer as a map.
func postMap(t testing.TB, srv *Server, command string, q url.Values, body any) map[string]any {
	t.Helper()
	var m map[string]any
	post(t, srv, command, q, body, &m)
	return m
}

// envelope is the part of every answer that says how the call went.
type envelope struct {
	ActionStatus string `json:"ActionStatus"`
	ErrorCode    int    `json:"ErrorCode"`
	ErrorInfo    string `json:"ErrorInfo"`
}

func postEnv(t testing.TB, srv *Server, command string, q url.Values, body any) envelope {
	t.Helper()
	var env envelope
	post(t, srv, command, q, body, &env)
	return env
}

// assertCode checks an envelope: OK with code 0 and no text, or FAIL with
// the code and an explanation.
func assertCode(t testing.TB, want tim.ErrorCode, env envelope) bool {
	t.Helper()
	if want == 0 {
		return assert.Equal(t, envelope{ActionStatus: "OK"}, env)
	}
	ok := assert.Equal(t, "FAIL", env.ActionStatus)
	ok = assert.Equal(t, int(want), env.ErrorCode, "ErrorInfo %q", env.ErrorInfo) && ok
	return assert.NotEmpty(t, env.ErrorInfo) && ok
}

// Typed answers of the three commands.
type pgItem struct {
	ErrorCode           int    `json:"ErrorCode"`
	ErrorInfo           string `json:"ErrorInfo"`
	PermissionGroupID   string `json:"PermissionGroupId"`
	PermissionGroupName string `json:"PermissionGroupName"`
	CustomString        string `json:"CustomString"`
	Permission          uint64 `json:"Permission"`
	MemberCount         int    `json:"MemberCount"`
}

type pgReply struct {
	envelope
	PermissionGroupInfoList []pgItem `json:"PermissionGroupInfoList"`
	Next                    string   `json:"Next"`
}

type roleItem struct {
	MemberAccount string `json:"Member_Account"`
	Role          string `json:"Role"`
}

type roleReply struct {
	envelope
	UserIDList []roleItem `json:"UserIdList"`
}

type topicItem struct {
	ErrorCode  int     `json:"ErrorCode"`
	ErrorInfo  string  `json:"ErrorInfo"`
	TopicID    string  `json:"TopicId"`
	Permission *uint64 `json:"Permission"`
}

type topicReply struct {
	envelope
	TopicPermissionResultList []topicItem `json:"TopicPermissionResultList"`
}

// pgPage asks for one page of a community's permission groups; next is sent
// as given (omitted when nil).
func pgPage(t testing.TB, srv *Server, q url.Values, groupID string, limit int, next any) pgReply {
	t.Helper()
	body := map[string]any{"GroupId": groupID, "Limit": limit}
	if next != nil {
		body["Next"] = next
	}
	var rep pgReply
	post(t, srv, cmdPermGroup, q, body, &rep)
	return rep
}

// pgAll pages through every permission group of a community, Limit at a time.
func pgAll(t testing.TB, srv *Server, q url.Values, groupID string, limit int) []string {
	t.Helper()
	var ids []string
	next := ""
	for range 1000 {
		rep := pgPage(t, srv, q, groupID, limit, next)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.LessOrEqual(t, len(rep.PermissionGroupInfoList), limit)
		for _, it := range rep.PermissionGroupInfoList {
			ids = append(ids, it.PermissionGroupID)
		}
		if rep.Next == "" {
			return ids
		}
		require.NotEqual(t, next, rep.Next, "the cursor did not move")
		next = rep.Next
	}
	require.FailNow(t, "paging did not end")
	return nil
}

func pgIDs(items []pgItem) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.PermissionGroupID
	}
	return ids
}

// seedCommunity creates a community owned by tOwner.
func seedCommunity(t testing.TB, srv *Server, groupID string) {
	t.Helper()
	require.NoError(t, srv.CreateCommunity(groupID, tOwner))
}

// seedPGs creates n permission groups in a community, in order, and returns
// their IDs. Every third one has a custom ID that sorts before the ones
// made earlier, so creation order and ID order differ.
func seedPGs(t testing.TB, srv *Server, groupID string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		pg := PermissionGroup{Name: fmt.Sprintf("pg-%02d", i), Permission: tim.GroupPermission(i)}
		if i%3 == 1 {
			pg.ID = fmt.Sprintf("@PMG#_custom%02d", 99-i)
		}
		id, err := srv.CreatePermissionGroup(groupID, pg)
		require.NoError(t, err)
		ids[i] = id
	}
	return ids
}

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// --- the signed URL --------------------------------------------------------

func TestSignedURLChecks(t *testing.T) {
	srv := newTestServer(t)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	body := map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}
	app, key, admin := srv.SDKAppID(), srv.SecretKey(), srv.Admin()

	tests := []struct {
		name     string
		mutate   func(t *testing.T, q url.Values)
		want     tim.ErrorCode
		sigValid bool // what the recorded request says
	}{
		{"valid", func(*testing.T, url.Values) {}, 0, true},
		{"sdkappid missing", func(_ *testing.T, q url.Values) { q.Del("sdkappid") }, tim.ErrSDKAppIDMissing, false},
		{"sdkappid empty", func(_ *testing.T, q url.Values) { q.Set("sdkappid", "") }, tim.ErrSDKAppIDMissing, false},
		{"sdkappid not a number", func(_ *testing.T, q url.Values) { q.Set("sdkappid", "abc") }, tim.ErrBadURLParameters, false},
		{"sdkappid negative", func(_ *testing.T, q url.Values) { q.Set("sdkappid", "-1400000000") }, tim.ErrBadURLParameters, false},
		{"sdkappid of another app", func(_ *testing.T, q url.Values) { q.Set("sdkappid", strconv.FormatUint(app+1, 10)) }, tim.ErrSDKAppIDNotFound, false},
		{"identifier missing", func(_ *testing.T, q url.Values) { q.Del("identifier") }, tim.ErrBadURLParameters, false},
		{"usersig missing", func(_ *testing.T, q url.Values) { q.Del("usersig") }, tim.ErrUserSigEmpty, false},
		{"usersig empty", func(_ *testing.T, q url.Values) { q.Set("usersig", "") }, tim.ErrUserSigEmpty, false},
		{"usersig garbage", func(_ *testing.T, q url.Values) { q.Set("usersig", "not-a-usersig") }, tim.ErrUserSigInvalid, false},
		{"random missing", func(_ *testing.T, q url.Values) { q.Del("random") }, tim.ErrBadURLParameters, false},
		{"random empty", func(_ *testing.T, q url.Values) { q.Set("random", "") }, tim.ErrBadURLParameters, false},
		{"random negative", func(_ *testing.T, q url.Values) { q.Set("random", "-1") }, tim.ErrBadURLParameters, false},
		{"random 4294967296", func(_ *testing.T, q url.Values) { q.Set("random", "4294967296") }, tim.ErrBadURLParameters, false},
		{"random not a number", func(_ *testing.T, q url.Values) { q.Set("random", "12ab") }, tim.ErrBadURLParameters, false},
		{"random 0", func(_ *testing.T, q url.Values) { q.Set("random", "0") }, 0, true},
		{"random 4294967295", func(_ *testing.T, q url.Values) { q.Set("random", "4294967295") }, 0, true},
		{"contenttype missing", func(_ *testing.T, q url.Values) { q.Del("contenttype") }, tim.ErrBadURLParameters, false},
		{"contenttype xml", func(_ *testing.T, q url.Values) { q.Set("contenttype", "xml") }, tim.ErrBadURLParameters, false},
		{"contenttype JSON is case-sensitive", func(_ *testing.T, q url.Values) { q.Set("contenttype", "JSON") }, tim.ErrBadURLParameters, false},
		{"usersig signed with another key", func(t *testing.T, q url.Values) {
			q.Set("usersig", makeSig(t, app, key+"-other", admin, time.Now(), time.Hour))
		}, tim.ErrSecretKeyMismatch, false},
		{"usersig expired", func(t *testing.T, q url.Values) {
			q.Set("usersig", makeSig(t, app, key, admin, time.Now().Add(-2*time.Hour), time.Hour))
		}, tim.ErrUserSigExpired, false},
		{"usersig for another identifier", func(t *testing.T, q url.Values) {
			q.Set("usersig", makeSig(t, app, key, "someone-else", time.Now(), time.Hour))
		}, tim.ErrIdentifierMismatch, false},
		{"usersig for another sdkappid", func(t *testing.T, q url.Values) {
			q.Set("usersig", makeSig(t, app+1, key, admin, time.Now(), time.Hour))
		}, tim.ErrSDKAppIDMismatch, false},
		{"valid usersig of a non-admin", func(t *testing.T, q url.Values) {
			q.Set("identifier", "bob")
			q.Set("usersig", makeSig(t, app, key, "bob", time.Now(), time.Hour))
		}, tim.ErrAdminRequired, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := adminQuery(t, srv)
			tt.mutate(t, q)
			srv.ResetRequests()
			assertCode(t, tt.want, postEnv(t, srv, cmdRole, q, body))
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, reqs[0].ErrorCode)
			assert.Equal(t, tt.sigValid, reqs[0].UserSigValid)
		})
	}
}

func TestWithAdmins(t *testing.T) {
	srv := newTestServer(t, WithAdmins("a", "b"))
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	assert.Equal(t, "a", srv.Admin())
	body := map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}
	for _, tt := range []struct {
		identifier string
		want       tim.ErrorCode
	}{
		{"a", 0},
		{"b", 0},
		{DefaultAdmin, tim.ErrAdminRequired},
		{"c", tim.ErrAdminRequired},
	} {
		t.Run(tt.identifier, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdRole, signedQuery(t, srv, tt.identifier), body))
		})
	}
}

func TestRequestShapeChecks(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	roleBody := `{"GroupId":"` + tComm + `","User_Account":["` + tOwner + `"]}`

	type shapeCase struct {
		name   string
		method string
		path   string // after srv.URL()
		body   any
		want   tim.ErrorCode
	}
	tests := []shapeCase{
		{"POST is accepted", http.MethodPost, "/v4/group_open_http_svc/" + cmdRole, roleBody, 0},
		{"GET instead of POST", http.MethodGet, "/v4/group_open_http_svc/" + cmdRole, nil, tim.ErrBadURL},
		{"GET with a body", http.MethodGet, "/v4/group_open_http_svc/" + cmdRole, roleBody, tim.ErrBadURL},
		{"PUT instead of POST", http.MethodPut, "/v4/group_open_http_svc/" + cmdRole, roleBody, tim.ErrBadURL},
		{"unknown service", http.MethodPost, "/v4/other_svc/" + cmdRole, roleBody, tim.ErrBadURL},
		{"no command", http.MethodPost, "/v4/group_open_http_svc/", roleBody, tim.ErrBadURL},
		{"extra path segment", http.MethodPost, "/v4/group_open_http_svc/" + cmdRole + "/x", roleBody, tim.ErrBadURL},
		{"root", http.MethodPost, "/", roleBody, tim.ErrBadURL},
		{"unknown command", http.MethodPost, "/v4/group_open_http_svc/no_such_command", `{}`, tim.ErrInvalidCommand},
		{"command names are case-sensitive", http.MethodPost, "/v4/group_open_http_svc/GET_ROLE_IN_GROUP", roleBody, tim.ErrInvalidCommand},
		{"empty body", http.MethodPost, "/v4/group_open_http_svc/" + cmdRole, nil, tim.ErrBadJSON},
	}
	for _, cmd := range []string{cmdPermGroup, cmdRole, cmdTopicPermGroup} {
		tests = append(tests,
			shapeCase{cmd + " empty body", http.MethodPost, "/v4/group_open_http_svc/" + cmd, []byte{}, tim.ErrBadJSON},
			shapeCase{cmd + " unparsable JSON", http.MethodPost, "/v4/group_open_http_svc/" + cmd, `{"GroupId":`, tim.ErrBadJSON},
			shapeCase{cmd + " not JSON", http.MethodPost, "/v4/group_open_http_svc/" + cmd, `GroupId=x`, tim.ErrBadJSON},
		)
	}
	wrongTypes := map[string][]string{
		cmdPermGroup: {
			`{"GroupId":123}`,
			`{"GroupId":"` + tComm + `","Limit":"20"}`,
			`{"GroupId":"` + tComm + `","Limit":2.5}`,
			`{"GroupId":"` + tComm + `","PermissionGroupIdList":"@PMG#_x"}`,
			`{"GroupId":"` + tComm + `","PermissionGroupIdList":[1]}`,
		},
		cmdRole: {
			`{"GroupId":123,"User_Account":["a"]}`,
			`{"GroupId":"` + tComm + `","User_Account":"a"}`,
			`{"GroupId":"` + tComm + `","User_Account":[1]}`,
		},
		cmdTopicPermGroup: {
			`{"GroupId":"` + tComm + `","PermissionGroupId":5}`,
			`{"GroupId":"` + tComm + `","PermissionGroupId":"@PMG#_x","TopicIdList":"t"}`,
		},
	}
	for _, cmd := range []string{cmdPermGroup, cmdRole, cmdTopicPermGroup} {
		for i, body := range wrongTypes[cmd] {
			tests = append(tests, shapeCase{fmt.Sprintf("%s wrong type %d", cmd, i), http.MethodPost, "/v4/group_open_http_svc/" + cmd, body, tim.ErrJSONParseFailed})
		}
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := rawBody(tt.body)
			require.NoError(t, err)
			rep, err := send(tt.method, srv.URL()+tt.path+"?"+q.Encode(), b)
			require.NoError(t, err)
			var env envelope
			require.NoError(t, decodeReply(rep, &env))
			assertCode(t, tt.want, env)
		})
	}
}

// --- get_permission_group --------------------------------------------------

func TestGetPermissionGroupErrors(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedPGs(t, srv, tComm, 3)
	require.NoError(t, srv.CreateCommunity("@TGS#_gone", tOwner))
	require.NoError(t, srv.DissolveGroup("@TGS#_gone"))
	for _, typ := range []GroupType{Public, Private, Work, ChatRoom, Meeting, AVChatRoom} {
		require.NoError(t, srv.CreateGroup("@TGS#"+string(typ), typ, tOwner))
	}
	q := adminQuery(t, srv)

	tests := []struct {
		name string
		body string
		want tim.ErrorCode
	}{
		{"all, Limit omitted", `{"GroupId":"` + tComm + `"}`, 0},
		{"Limit 1", `{"GroupId":"` + tComm + `","Limit":1}`, 0},
		{"Limit 20", `{"GroupId":"` + tComm + `","Limit":20}`, 0},
		{"Limit null", `{"GroupId":"` + tComm + `","Limit":null}`, 0},
		{"Limit 21", `{"GroupId":"` + tComm + `","Limit":21}`, tim.ErrInvalidParameter},
		{"Limit 0", `{"GroupId":"` + tComm + `","Limit":0}`, tim.ErrInvalidParameter},
		{"Limit -1", `{"GroupId":"` + tComm + `","Limit":-1}`, tim.ErrInvalidParameter},
		{"Next empty string", `{"GroupId":"` + tComm + `","Limit":20,"Next":""}`, 0},
		{"Next garbage", `{"GroupId":"` + tComm + `","Limit":20,"Next":"garbage"}`, tim.ErrInvalidParameter},
		{"Next negative", `{"GroupId":"` + tComm + `","Limit":20,"Next":"-5"}`, tim.ErrInvalidParameter},
		{"Next fractional number", `{"GroupId":"` + tComm + `","Limit":20,"Next":1.5}`, tim.ErrInvalidParameter},
		{"Next boolean", `{"GroupId":"` + tComm + `","Limit":20,"Next":true}`, tim.ErrJSONParseFailed},
		{"GroupId missing", `{"Limit":20}`, tim.ErrInvalidParameter},
		{"unknown group", `{"GroupId":"@TGS#_nope"}`, tim.ErrGroupNotFound},
		{"dissolved group", `{"GroupId":"@TGS#_gone"}`, tim.ErrGroupNotFound},
	}
	for _, typ := range []GroupType{Public, Private, Work, ChatRoom, Meeting, AVChatRoom} {
		tests = append(tests, struct {
			name string
			body string
			want tim.ErrorCode
		}{string(typ) + " group", `{"GroupId":"@TGS#` + string(typ) + `"}`, tim.ErrNoPermission})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdPermGroup, q, tt.body))
		})
	}

	t.Run("dissolve after seeding", func(t *testing.T) {
		const g = "@TGS#_dissolved-later"
		seedCommunity(t, srv, g)
		seedPGs(t, srv, g, 2)
		assertCode(t, 0, postEnv(t, srv, cmdPermGroup, q, map[string]any{"GroupId": g}))
		require.NoError(t, srv.DissolveGroup(g))
		assertCode(t, tim.ErrGroupNotFound, postEnv(t, srv, cmdPermGroup, q, map[string]any{"GroupId": g}))
	})
}

func TestCommunityEndpointsWithoutCommunitySupport(t *testing.T) {
	srv := newTestServer(t, WithoutCommunitySupport())
	seedCommunity(t, srv, tComm)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv)
	tests := []struct {
		name, cmd string
		body      any
		want      tim.ErrorCode
	}{
		{"get_permission_group", cmdPermGroup, map[string]any{"GroupId": tComm}, tim.ErrCommunityNotSupported},
		{"get_permission_group of an unknown group", cmdPermGroup, map[string]any{"GroupId": "@TGS#_nope"}, tim.ErrCommunityNotSupported},
		{"get_permission_group with a bad Limit", cmdPermGroup, map[string]any{"GroupId": tComm, "Limit": 99}, tim.ErrCommunityNotSupported},
		{"get_topic_permission_group", cmdTopicPermGroup, map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_x"}, tim.ErrCommunityNotSupported},
		{"get_role_in_group still serves a Public group", cmdRole, map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, tt.cmd, q, tt.body))
		})
	}
}

func TestGetPermissionGroupPaging(t *testing.T) {
	const n = 45
	setup := func(t *testing.T) (*Server, url.Values, []string) {
		srv := newTestServer(t)
		seedCommunity(t, srv, tComm)
		// Another community's groups interleave in the server's creation
		// order and must never show up.
		seedCommunity(t, srv, tComm2)
		ids := make([]string, 0, n)
		for i := range n {
			id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: fmt.Sprintf("pg-%02d", i), ID: map[bool]string{true: fmt.Sprintf("@PMG#_custom%02d", 99-i)}[i%3 == 1]})
			require.NoError(t, err)
			ids = append(ids, id)
			if i%10 == 0 {
				_, err := srv.CreatePermissionGroup(tComm2, PermissionGroup{Name: "elsewhere"})
				require.NoError(t, err)
			}
		}
		return srv, adminQuery(t, srv), ids
	}

	t.Run("20/20/5 in creation order", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		assert.Len(t, p1.PermissionGroupInfoList, 20)
		assert.NotEmpty(t, p1.Next)
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		assert.Len(t, p2.PermissionGroupInfoList, 20)
		assert.NotEmpty(t, p2.Next)
		assert.NotEqual(t, p1.Next, p2.Next)
		p3 := pgPage(t, srv, q, tComm, 20, p2.Next)
		require.True(t, assertCode(t, 0, p3.envelope))
		assert.Len(t, p3.PermissionGroupInfoList, 5)
		assert.Equal(t, "", p3.Next)
		got := slices.Concat(pgIDs(p1.PermissionGroupInfoList), pgIDs(p2.PermissionGroupInfoList), pgIDs(p3.PermissionGroupInfoList))
		assert.Equal(t, ids, got)
		for _, it := range slices.Concat(p1.PermissionGroupInfoList, p2.PermissionGroupInfoList, p3.PermissionGroupInfoList) {
			assert.Equal(t, 0, it.ErrorCode)
		}
	})

	t.Run("Next omitted starts at the beginning", func(t *testing.T) {
		srv, q, ids := setup(t)
		p := pgPage(t, srv, q, tComm, 20, nil)
		require.True(t, assertCode(t, 0, p.envelope))
		assert.Equal(t, ids[:20], pgIDs(p.PermissionGroupInfoList))
	})

	t.Run("Limit omitted answers at most 20", func(t *testing.T) {
		srv, q, ids := setup(t)
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Equal(t, ids[:20], pgIDs(rep.PermissionGroupInfoList))
		assert.NotEmpty(t, rep.Next)
	})

	for _, limit := range []int{1, 7, 15, 20} {
		t.Run(fmt.Sprintf("every group once with Limit %d", limit), func(t *testing.T) {
			srv, q, ids := setup(t)
			assert.Equal(t, ids, pgAll(t, srv, q, tComm, limit))
		})
	}

	t.Run("Next as a JSON number", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		require.NotEmpty(t, p1.Next)
		asString := pgPage(t, srv, q, tComm, 20, p1.Next)
		asNumber := pgPage(t, srv, q, tComm, 20, json.RawMessage(p1.Next))
		require.True(t, assertCode(t, 0, asNumber.envelope))
		assert.Equal(t, asString, asNumber)
		assert.Equal(t, ids[20:40], pgIDs(asNumber.PermissionGroupInfoList))
	})

	t.Run("a group created between pages comes at the end", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		// A custom ID that sorts before everything else.
		added, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: "@PMG#_!first", Name: "late"})
		require.NoError(t, err)
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		p3 := pgPage(t, srv, q, tComm, 20, p2.Next)
		require.True(t, assertCode(t, 0, p3.envelope))
		assert.Equal(t, "", p3.Next)
		got := slices.Concat(pgIDs(p1.PermissionGroupInfoList), pgIDs(p2.PermissionGroupInfoList), pgIDs(p3.PermissionGroupInfoList))
		assert.Equal(t, append(slices.Clone(ids), added), got)
	})

	t.Run("a not-yet-returned group destroyed between pages", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		require.NoError(t, srv.DestroyPermissionGroup(tComm, ids[29]))
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		p3 := pgPage(t, srv, q, tComm, 20, p2.Next)
		require.True(t, assertCode(t, 0, p3.envelope))
		assert.Equal(t, "", p3.Next)
		got := slices.Concat(pgIDs(p1.PermissionGroupInfoList), pgIDs(p2.PermissionGroupInfoList), pgIDs(p3.PermissionGroupInfoList))
		assert.Equal(t, slices.Delete(slices.Clone(ids), 29, 30), got)
	})

	t.Run("the last returned group destroyed between pages", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		require.NoError(t, srv.DestroyPermissionGroup(tComm, ids[19]))
		require.NoError(t, srv.DestroyPermissionGroup(tComm, ids[0]))
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		assert.Equal(t, ids[20:40], pgIDs(p2.PermissionGroupInfoList))
	})

	t.Run("exactly one full page ends with an empty Next", func(t *testing.T) {
		srv := newTestServer(t)
		seedCommunity(t, srv, tComm)
		ids := seedPGs(t, srv, tComm, 20)
		p := pgPage(t, srv, adminQuery(t, srv), tComm, 20, "")
		require.True(t, assertCode(t, 0, p.envelope))
		assert.Equal(t, ids, pgIDs(p.PermissionGroupInfoList))
		assert.Equal(t, "", p.Next)
	})

	t.Run("a community without permission groups", func(t *testing.T) {
		srv := newTestServer(t)
		seedCommunity(t, srv, tComm)
		m := postMap(t, srv, cmdPermGroup, adminQuery(t, srv), map[string]any{"GroupId": tComm, "Limit": 20, "Next": ""})
		assert.Equal(t, "OK", m["ActionStatus"])
		assert.Equal(t, []any{}, m["PermissionGroupInfoList"], "an empty list, not null")
		assert.Equal(t, "", m["Next"])
	})
}

// A cursor past every permission group must end the listing (an empty last
// page) or be refused (10004); it must never restart it, or a client holding
// it pages forever.
func TestGetPermissionGroupCursorPastTheEnd(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedPGs(t, srv, tComm, 5)
	q := adminQuery(t, srv)
	check := func(t *testing.T, next any) {
		rep := pgPage(t, srv, q, tComm, 2, next)
		if rep.ErrorCode != 0 {
			assertCode(t, tim.ErrInvalidParameter, rep.envelope)
			return
		}
		assert.Empty(t, pgIDs(rep.PermissionGroupInfoList))
		assert.Equal(t, "", rep.Next)
	}
	t.Run("99999", func(t *testing.T) { check(t, "99999") })
	t.Run("max uint64 as a string", func(t *testing.T) {
		check(t, "18446744073709551615")
	})
	t.Run("max uint64 as a number", func(t *testing.T) {
		check(t, json.RawMessage("18446744073709551615"))
	})
}

func TestGetPermissionGroupFields(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedCommunity(t, srv, tComm2)
	for _, a := range []string{"alice", "bob", "carol"} {
		require.NoError(t, srv.AddMember(tComm, a, tim.RoleMember))
	}
	q := adminQuery(t, srv)

	seeds := []PermissionGroup{
		{Name: "test_permission_group", CustomString: "test_custom_string", Permission: 123},
		{ID: "@PMG#_test_permission_group_with_topic", Name: "with topic", Permission: tim.GroupPermMuteMembers | tim.GroupPermSendMessage},
		{Name: "Модераторы 管理员 \"<&>\"", CustomString: `{"json":"inside","n":1}`, Permission: 1<<63 | 1<<40 | 123456},
		{Name: "no custom string"},
	}
	want := make([]pgItem, len(seeds))
	for i, s := range seeds {
		id, err := srv.CreatePermissionGroup(tComm, s)
		require.NoError(t, err)
		if s.ID == "" {
			assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), "server-made ID %q", id)
		} else {
			assert.Equal(t, s.ID, id)
		}
		want[i] = pgItem{PermissionGroupID: id, PermissionGroupName: s.Name, CustomString: s.CustomString, Permission: uint64(s.Permission)}
	}
	otherID, err := srv.CreatePermissionGroup(tComm2, PermissionGroup{Name: "other community"})
	require.NoError(t, err)

	t.Run("all, as seeded", func(t *testing.T) {
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "Limit": 20, "Next": ""}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Equal(t, want, rep.PermissionGroupInfoList)
		assert.Equal(t, "", rep.Next)
	})

	t.Run("field names", func(t *testing.T) {
		m := postMap(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm})
		assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "Next", "PermissionGroupInfoList"}, keysOf(m))
		list, ok := m["PermissionGroupInfoList"].([]any)
		require.True(t, ok)
		require.NotEmpty(t, list)
		item, ok := list[0].(map[string]any)
		require.True(t, ok)
		assert.Equal(t, []string{"CustomString", "ErrorCode", "ErrorInfo", "MemberCount", "Permission", "PermissionGroupId", "PermissionGroupName"}, keysOf(item))
		// 64-bit permissions travel as exact JSON integers.
		item2 := list[2].(map[string]any)
		assert.Equal(t, json.Number(strconv.FormatUint(1<<63|1<<40|123456, 10)), item2["Permission"])
	})

	t.Run("MemberCount follows AddPermissionGroupMembers", func(t *testing.T) {
		id := want[1].PermissionGroupID
		count := func() int {
			var rep pgReply
			post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &rep)
			require.True(t, assertCode(t, 0, rep.envelope))
			require.Len(t, rep.PermissionGroupInfoList, 1)
			return rep.PermissionGroupInfoList[0].MemberCount
		}
		assert.Equal(t, 0, count())
		require.NoError(t, srv.AddPermissionGroupMembers(tComm, id, "alice", "bob"))
		assert.Equal(t, 2, count())
		require.NoError(t, srv.AddPermissionGroupMembers(tComm, id, "bob", "carol", tOwner))
		assert.Equal(t, 4, count(), "adding bob again does not count him twice")
		members, err := srv.PermissionGroupMembers(tComm, id)
		require.NoError(t, err)
		assert.Equal(t, []string{"alice", "bob", "carol", tOwner}, members)
		assert.Error(t, srv.AddPermissionGroupMembers(tComm, id, "stranger"))
		assert.Equal(t, 4, count())
		// The other groups are untouched.
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{want[0].PermissionGroupID}}, &rep)
		require.Len(t, rep.PermissionGroupInfoList, 1)
		assert.Equal(t, 0, rep.PermissionGroupInfoList[0].MemberCount)
	})

	t.Run("PermissionGroupIdList", func(t *testing.T) {
		var rep pgReply
		ids := []string{want[2].PermissionGroupID, "@PMG#_nope", "bad", otherID, want[0].PermissionGroupID}
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": ids}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope), "per-item failures leave the call OK")
		require.Len(t, rep.PermissionGroupInfoList, len(ids))
		assert.Equal(t, ids, pgIDs(rep.PermissionGroupInfoList), "input order")
		got := rep.PermissionGroupInfoList
		assert.Equal(t, want[2], got[0])
		assert.Equal(t, want[0], got[4])
		for i, code := range map[int]tim.ErrorCode{1: tim.ErrPermissionGroupNotFound, 2: tim.ErrInvalidPermissionGroupID, 3: tim.ErrPermissionGroupNotFound} {
			assert.Equal(t, int(code), got[i].ErrorCode, "item %d %s", i, ids[i])
			assert.NotEmpty(t, got[i].ErrorInfo, "item %d", i)
		}
		assert.Equal(t, "", rep.Next)
	})

	t.Run("destroyed group is 110006 by id and gone from the list", func(t *testing.T) {
		id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: "short-lived"})
		require.NoError(t, err)
		require.NoError(t, srv.DestroyPermissionGroup(tComm, id))
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.Len(t, rep.PermissionGroupInfoList, 1)
		assert.Equal(t, int(tim.ErrPermissionGroupNotFound), rep.PermissionGroupInfoList[0].ErrorCode)
		assert.NotContains(t, pgAll(t, srv, q, tComm, 20), id)
	})
}

func TestCreatePermissionGroupValidation(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv)
	_, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: "@PMG#_taken", Name: "first"})
	require.NoError(t, err)

	tests := []struct {
		name  string
		group string
		pg    PermissionGroup
		want  tim.ErrorCode // 0: created
	}{
		{"server-made ID", tComm, PermissionGroup{Name: "n"}, 0},
		{"custom ID", tComm, PermissionGroup{ID: "@PMG#_mods", Name: "n"}, 0},
		{"custom ID of printable ASCII", tComm, PermissionGroup{ID: "@PMG#_ ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", Name: "n"}, 0},
		{"custom ID starting @PMG#_@PMG#", tComm, PermissionGroup{ID: "@PMG#_@PMG#x", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID with non-ASCII", tComm, PermissionGroup{ID: "@PMG#_modé", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID with a control character", tComm, PermissionGroup{ID: "@PMG#_a\tb", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID without the prefix", tComm, PermissionGroup{ID: "mods", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID that is only the prefix", tComm, PermissionGroup{ID: "@PMG#_", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID already taken", tComm, PermissionGroup{ID: "@PMG#_taken", Name: "n"}, tim.ErrIDInUse},
		{"name missing", tComm, PermissionGroup{}, tim.ErrInvalidParameter},
		{"name of 150 ASCII bytes", tComm, PermissionGroup{Name: strings.Repeat("n", 150)}, 0},
		{"name of 150 UTF-8 bytes", tComm, PermissionGroup{Name: strings.Repeat("é", 75)}, 0},
		{"name of 151 bytes", tComm, PermissionGroup{Name: strings.Repeat("n", 151)}, tim.ErrInvalidParameter},
		{"name of 76 runes, 151 bytes", tComm, PermissionGroup{Name: strings.Repeat("é", 75) + "n"}, tim.ErrInvalidParameter},
		{"custom string of 3000 bytes", tComm, PermissionGroup{Name: "n", CustomString: strings.Repeat("c", 3000)}, 0},
		{"custom string of 3001 bytes", tComm, PermissionGroup{Name: "n", CustomString: strings.Repeat("c", 3001)}, tim.ErrInvalidParameter},
		{"custom string of 3001 UTF-8 bytes", tComm, PermissionGroup{Name: "n", CustomString: strings.Repeat("€", 1000) + "c"}, tim.ErrInvalidParameter},
		{"in a Public group", "@TGS#pub", PermissionGroup{Name: "n"}, tim.ErrNoPermission},
		{"in an unknown group", "@TGS#_nope", PermissionGroup{Name: "n"}, tim.ErrGroupNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := srv.CreatePermissionGroup(tt.group, tt.pg)
			if tt.want != 0 {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.want), "errors.Is(%v, %d)", err, int(tt.want))
				assert.Empty(t, id)
				return
			}
			require.NoError(t, err)
			if tt.pg.ID == "" {
				assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), "server-made ID %q", id)
			} else {
				assert.Equal(t, tt.pg.ID, id)
			}
			var rep pgReply
			post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tt.group, "PermissionGroupIdList": []string{id}}, &rep)
			require.True(t, assertCode(t, 0, rep.envelope))
			require.Len(t, rep.PermissionGroupInfoList, 1)
			assert.Equal(t, pgItem{PermissionGroupID: id, PermissionGroupName: tt.pg.Name, CustomString: tt.pg.CustomString}, rep.PermissionGroupInfoList[0])
		})
	}

	t.Run("server-made IDs are distinct", func(t *testing.T) {
		seen := map[string]bool{}
		for range 30 {
			id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: "n"})
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), id)
			assert.False(t, seen[id], "ID %s made twice", id)
			seen[id] = true
		}
	})
}

// --- get_role_in_group -----------------------------------------------------

func TestGetRoleInGroup(t *testing.T) {
	srv := newTestServer(t)
	q := adminQuery(t, srv)
	for _, typ := range []GroupType{Community, Public, Private, Work, ChatRoom, Meeting, AVChatRoom} {
		g := "@TGS#_" + string(typ)
		require.NoError(t, srv.CreateGroup(g, typ, tOwner))
		if typ != AVChatRoom {
			require.NoError(t, srv.AddMember(g, "peter", tim.RoleMember))
			require.NoError(t, srv.AddMember(g, "anna", tim.RoleAdmin))
		}
	}

	t.Run("roles in input order", func(t *testing.T) {
		for _, typ := range []GroupType{Community, Public, Private, Work, ChatRoom, Meeting} {
			t.Run(string(typ), func(t *testing.T) {
				accounts := []string{"peter", "wesley", tOwner, "anna", "peter"}
				var rep roleReply
				post(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#_" + string(typ), "User_Account": accounts}, &rep)
				require.True(t, assertCode(t, 0, rep.envelope))
				assert.Equal(t, []roleItem{
					{"peter", "Member"}, {"wesley", "NotMember"}, {tOwner, "Owner"}, {"anna", "Admin"}, {"peter", "Member"},
				}, rep.UserIDList)
			})
		}
	})

	t.Run("field names", func(t *testing.T) {
		m := postMap(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#_Public", "User_Account": []string{tOwner}})
		assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "UserIdList"}, keysOf(m))
		list, ok := m["UserIdList"].([]any)
		require.True(t, ok)
		require.Len(t, list, 1)
		assert.Equal(t, map[string]any{"Member_Account": tOwner, "Role": "Owner"}, list[0])
	})

	t.Run("a role change is seen", func(t *testing.T) {
		require.NoError(t, srv.CreateGroup("@TGS#promote", Public, tOwner))
		require.NoError(t, srv.AddMember("@TGS#promote", "x", tim.RoleMember))
		require.NoError(t, srv.AddMember("@TGS#promote", "x", tim.RoleAdmin))
		var rep roleReply
		post(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#promote", "User_Account": []string{"x"}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Equal(t, []roleItem{{"x", "Admin"}}, rep.UserIDList)
	})

	accounts := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("user%03d", i)
		}
		return out
	}

	t.Run("500 accounts", func(t *testing.T) {
		accs := accounts(500)
		accs[250] = "anna"
		var rep roleReply
		post(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#_Public", "User_Account": accs}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.Len(t, rep.UserIDList, 500)
		for i, it := range rep.UserIDList {
			assert.Equal(t, accs[i], it.MemberAccount)
		}
		assert.Equal(t, "Admin", rep.UserIDList[250].Role)
		assert.Equal(t, "NotMember", rep.UserIDList[499].Role)
	})

	require.NoError(t, srv.CreateGroup("@TGS#gone", Public, tOwner))
	require.NoError(t, srv.DissolveGroup("@TGS#gone"))
	errs := []struct {
		name string
		body any
		want tim.ErrorCode
	}{
		{"501 accounts", map[string]any{"GroupId": "@TGS#_Public", "User_Account": accounts(501)}, tim.ErrInvalidParameter},
		{"empty account list", map[string]any{"GroupId": "@TGS#_Public", "User_Account": []string{}}, tim.ErrInvalidParameter},
		{"User_Account missing", map[string]any{"GroupId": "@TGS#_Public"}, tim.ErrInvalidParameter},
		{"an empty account", map[string]any{"GroupId": "@TGS#_Public", "User_Account": []string{tOwner, ""}}, tim.ErrInvalidParameter},
		{"GroupId missing", map[string]any{"User_Account": []string{tOwner}}, tim.ErrInvalidParameter},
		{"unknown group", map[string]any{"GroupId": "@TGS#nope", "User_Account": []string{tOwner}}, tim.ErrGroupNotFound},
		{"dissolved group", map[string]any{"GroupId": "@TGS#gone", "User_Account": []string{tOwner}}, tim.ErrGroupNotFound},
		{"AVChatRoom", map[string]any{"GroupId": "@TGS#_AVChatRoom", "User_Account": []string{tOwner}}, tim.ErrNoPermission},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdRole, q, tt.body))
		})
	}
}

// --- get_topic_permission_group --------------------------------------------

func TestGetTopicPermissionGroup(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedCommunity(t, srv, tComm2)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	require.NoError(t, srv.CreateCommunity("@TGS#_gone", tOwner))
	q := adminQuery(t, srv)

	topic := func(g, suffix string) string { return g + "@TOPIC#_" + suffix }
	t1, t2, t3, t4, t5 := topic(tComm, "@TOPIC#cKXPQIIM62CD"), topic(tComm, "@TOPIC#cTEJHIIM62CJ"), topic(tComm, "three"), topic(tComm, "four"), topic(tComm, "five")
	other := topic(tComm2, "x")
	for _, tp := range []string{t1, t2, t3, t4, t5} {
		require.NoError(t, srv.CreateTopic(tComm, tp))
	}
	require.NoError(t, srv.CreateTopic(tComm2, other))
	require.Error(t, srv.CreateTopic(tComm, topic(tComm2, "y")), "a topic ID of another community")

	const pg = "@PMG#_test_permission_group_with_topic"
	_, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: pg, Name: "with topics"})
	require.NoError(t, err)
	const big = uint64(1<<63 | 1<<40 | 123456)
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t1, 1234))
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t2, 123456))
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t3, tim.TopicPermSendMessage))
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t5, tim.TopicPermission(big)))
	require.NoError(t, srv.DeleteTopicPermission(tComm, pg, t3))
	// t4 is a topic of the community that is not in the permission group.
	emptyPG, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: "no topics"})
	require.NoError(t, err)
	otherPG, err := srv.CreatePermissionGroup(tComm2, PermissionGroup{Name: "other"})
	require.NoError(t, err)
	gonePG, err := srv.CreatePermissionGroup("@TGS#_gone", PermissionGroup{Name: "gone"})
	require.NoError(t, err)
	require.NoError(t, srv.DissolveGroup("@TGS#_gone"))

	u := func(v uint64) *uint64 { return &v }

	t.Run("all topics, TopicIdList omitted", func(t *testing.T) {
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		got := map[string]uint64{}
		for _, it := range rep.TopicPermissionResultList {
			assert.Equal(t, 0, it.ErrorCode, it.TopicID)
			if assert.NotNil(t, it.Permission, it.TopicID) {
				got[it.TopicID] = *it.Permission
			}
		}
		assert.Len(t, rep.TopicPermissionResultList, 3)
		assert.Equal(t, map[string]uint64{t1: 1234, t2: 123456, t5: big}, got)
	})

	t.Run("all topics, TopicIdList empty", func(t *testing.T) {
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": []string{}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Len(t, rep.TopicPermissionResultList, 3)
	})

	t.Run("field names", func(t *testing.T) {
		m := postMap(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": []string{t2}})
		assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "TopicPermissionResultList"}, keysOf(m))
		list, ok := m["TopicPermissionResultList"].([]any)
		require.True(t, ok)
		require.Len(t, list, 1)
		assert.Equal(t, map[string]any{"ErrorCode": json.Number("0"), "ErrorInfo": "", "TopicId": t2, "Permission": json.Number("123456")}, list[0])
	})

	t.Run("a permission group without topics", func(t *testing.T) {
		m := postMap(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": emptyPG})
		assert.Equal(t, "OK", m["ActionStatus"])
		assert.Equal(t, []any{}, m["TopicPermissionResultList"], "an empty list, not null")
	})

	t.Run("given topics, per-item codes in input order", func(t *testing.T) {
		ids := []string{t3, t4, topic(tComm, "never-created"), "garbage", other, t2, t1}
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": ids}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope), "per-item failures leave the call OK")
		require.Len(t, rep.TopicPermissionResultList, len(ids))
		want := []struct {
			code tim.ErrorCode
			perm *uint64
		}{
			{tim.ErrTopicPermissionAlreadyDeleted, nil},
			{tim.ErrTopicNotInPermissionGroup, nil},
			{tim.ErrInvalidTopicID, nil},
			{tim.ErrInvalidTopicID, nil},
			{tim.ErrInvalidTopicID, nil},
			{0, u(123456)},
			{0, u(1234)},
		}
		for i, it := range rep.TopicPermissionResultList {
			assert.Equal(t, ids[i], it.TopicID, "item %d", i)
			assert.Equal(t, int(want[i].code), it.ErrorCode, "item %d %s", i, ids[i])
			assert.Equal(t, want[i].perm, it.Permission, "item %d %s", i, ids[i])
			if want[i].code != 0 {
				assert.NotEmpty(t, it.ErrorInfo, "item %d", i)
			} else {
				assert.Empty(t, it.ErrorInfo, "item %d", i)
			}
		}
	})

	t.Run("a deleted topic permission set again", func(t *testing.T) {
		const g = "@TGS#_again"
		seedCommunity(t, srv, g)
		tp := topic(g, "t")
		require.NoError(t, srv.CreateTopic(g, tp))
		id, err := srv.CreatePermissionGroup(g, PermissionGroup{Name: "n"})
		require.NoError(t, err)
		require.NoError(t, srv.SetTopicPermission(g, id, tp, 5))
		require.NoError(t, srv.DeleteTopicPermission(g, id, tp))
		require.NoError(t, srv.SetTopicPermission(g, id, tp, 7))
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": g, "PermissionGroupId": id, "TopicIdList": []string{tp}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.Len(t, rep.TopicPermissionResultList, 1)
		assert.Equal(t, 0, rep.TopicPermissionResultList[0].ErrorCode)
		assert.Equal(t, u(7), rep.TopicPermissionResultList[0].Permission)
	})

	errs := []struct {
		name string
		body any
		want tim.ErrorCode
	}{
		{"unknown permission group", map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_nope"}, tim.ErrPermissionGroupNotFound},
		{"permission group of another community", map[string]any{"GroupId": tComm, "PermissionGroupId": otherPG}, tim.ErrPermissionGroupNotFound},
		{"malformed permission group id", map[string]any{"GroupId": tComm, "PermissionGroupId": "bad"}, tim.ErrInvalidPermissionGroupID},
		{"PermissionGroupId missing", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
		{"PermissionGroupId missing with topics", map[string]any{"GroupId": tComm, "TopicIdList": []string{t1}}, tim.ErrInvalidParameter},
		{"unknown group", map[string]any{"GroupId": "@TGS#_nope", "PermissionGroupId": pg}, tim.ErrGroupNotFound},
		{"dissolved group", map[string]any{"GroupId": "@TGS#_gone", "PermissionGroupId": gonePG}, tim.ErrGroupNotFound},
		{"Public group", map[string]any{"GroupId": "@TGS#pub", "PermissionGroupId": pg}, tim.ErrNoPermission},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdTopicPermGroup, q, tt.body))
		})
	}
}

// --- recording -------------------------------------------------------------

func TestRecording(t *testing.T) {
	srv := newTestServer(t)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv)
	sig := q.Get("usersig")
	require.NotEmpty(t, sig)
	roleBody := `{"GroupId":"@TGS#pub","User_Account":["` + tOwner + `"]}`
	pgBody := `{"GroupId":"@TGS#pub"}`

	badQ := adminQuery(t, srv)
	badSig := makeSig(t, srv.SDKAppID(), "another-key", srv.Admin(), time.Now(), time.Hour)
	badQ.Set("usersig", badSig)

	assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
	assertCode(t, tim.ErrNoPermission, postEnv(t, srv, cmdPermGroup, q, pgBody))
	assertCode(t, tim.ErrSecretKeyMismatch, postEnv(t, srv, cmdRole, badQ, roleBody))

	reqs := srv.Requests()
	require.Len(t, reqs, 3)

	t.Run("a successful request", func(t *testing.T) {
		r := reqs[0]
		assert.Equal(t, cmdRole, r.Command)
		assert.Equal(t, "/v4/group_open_http_svc/"+cmdRole, r.Path)
		assert.Equal(t, roleBody, string(r.Body))
		assert.Equal(t, tim.ErrorCode(0), r.ErrorCode)
		assert.True(t, r.UserSigValid)
		assert.Equal(t, "[redacted]", r.Query.Get("usersig"))
		for _, k := range []string{"sdkappid", "identifier", "random", "contenttype"} {
			assert.Equal(t, q[k], r.Query[k], k)
		}
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	})
	t.Run("a failed command", func(t *testing.T) {
		r := reqs[1]
		assert.Equal(t, cmdPermGroup, r.Command)
		assert.Equal(t, pgBody, string(r.Body))
		assert.Equal(t, tim.ErrNoPermission, r.ErrorCode)
		assert.True(t, r.UserSigValid)
	})
	t.Run("a bad UserSig", func(t *testing.T) {
		r := reqs[2]
		assert.Equal(t, cmdRole, r.Command)
		assert.Equal(t, tim.ErrSecretKeyMismatch, r.ErrorCode)
		assert.False(t, r.UserSigValid)
		assert.Equal(t, "[redacted]", r.Query.Get("usersig"))
	})
	t.Run("RequestsFor", func(t *testing.T) {
		role := srv.RequestsFor(cmdRole)
		assert.Len(t, role, 2)
		for _, r := range role {
			assert.Equal(t, cmdRole, r.Command)
		}
		require.Len(t, srv.RequestsFor(cmdPermGroup), 1)
		assert.Equal(t, pgBody, string(srv.RequestsFor(cmdPermGroup)[0].Body))
		assert.Empty(t, srv.RequestsFor(cmdTopicPermGroup))
	})
	t.Run("no signature or key in the record", func(t *testing.T) {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			out := fmt.Sprintf(verb, srv.Requests())
			assert.NotContains(t, out, sig, verb)
			assert.NotContains(t, out, badSig, verb)
			assert.NotContains(t, out, srv.SecretKey(), verb)
		}
	})
	t.Run("a returned slice is a copy", func(t *testing.T) {
		got := srv.Requests()
		got[0].Command = "changed"
		assert.Equal(t, cmdRole, srv.Requests()[0].Command)
	})
	t.Run("ResetRequests", func(t *testing.T) {
		srv.ResetRequests()
		assert.Empty(t, srv.Requests())
		assert.Empty(t, srv.RequestsFor(cmdRole))
		assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
		assert.Len(t, srv.Requests(), 1, "recording goes on after a reset")
	})
}

func TestRecordingOfRequestsRefusedEarly(t *testing.T) {
	srv := newTestServer(t)
	q := adminQuery(t, srv)
	sig := q.Get("usersig")
	for _, tt := range []struct {
		name, method, path string
		want               tim.ErrorCode
	}{
		{"unknown service", http.MethodPost, "/v4/other_svc/" + cmdRole, tim.ErrBadURL},
		{"no command", http.MethodPost, "/v4/group_open_http_svc/", tim.ErrBadURL},
		{"unknown command", http.MethodPost, "/v4/group_open_http_svc/no_such_command", tim.ErrInvalidCommand},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			rep, err := send(tt.method, srv.URL()+tt.path+"?"+q.Encode(), []byte(`{}`))
			require.NoError(t, err)
			var env envelope
			require.NoError(t, decodeReply(rep, &env))
			assertCode(t, tt.want, env)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.path, reqs[0].Path)
			assert.Equal(t, tt.want, reqs[0].ErrorCode)
			assert.Equal(t, "[redacted]", reqs[0].Query.Get("usersig"))
			assert.NotContains(t, fmt.Sprintf("%+v", reqs), sig)
		})
	}
	t.Run("an unknown command is recorded under its name", func(t *testing.T) {
		require.Len(t, srv.RequestsFor("no_such_command"), 1)
		assert.True(t, srv.RequestsFor("no_such_command")[0].UserSigValid)
	})
}

// Request.Command is documented as "" only "if the path had none", so a
// user's test can find a request sent with the wrong method with
// RequestsFor.
func TestRecordingNamesTheCommandOfAGET(t *testing.T) {
	srv := newTestServer(t)
	q := adminQuery(t, srv)
	rep, err := send(http.MethodGet, commandURL(srv, cmdRole, q), nil)
	require.NoError(t, err)
	var env envelope
	require.NoError(t, decodeReply(rep, &env))
	assertCode(t, tim.ErrBadURL, env)
	reqs := srv.RequestsFor(cmdRole)
	require.Len(t, reqs, 1)
	assert.Equal(t, cmdRole, reqs[0].Command)
	assert.Equal(t, "/v4/group_open_http_svc/"+cmdRole, reqs[0].Path)
	assert.Equal(t, tim.ErrBadURL, reqs[0].ErrorCode)
	assert.False(t, reqs[0].UserSigValid)
	assert.Equal(t, "[redacted]", reqs[0].Query.Get("usersig"))
	assert.Empty(t, reqs[0].Body)
}

func TestWithoutRecording(t *testing.T) {
	srv := newTestServer(t, WithoutRecording())
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv)
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}))
	assertCode(t, tim.ErrBadJSON, postEnv(t, srv, cmdRole, q, nil))
	assert.Empty(t, srv.Requests())
	assert.Empty(t, srv.RequestsFor(cmdRole))
}

// --- options ---------------------------------------------------------------

func TestWithRateLimit(t *testing.T) {
	start := time.Now().Truncate(time.Second)
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	srv := newTestServer(t, WithRateLimit(5), WithClock(func() time.Time { return time.Unix(0, clock.Load()) }))
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	pgBody := map[string]any{"GroupId": tComm}
	roleBody := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}

	for i := 1; i <= 5; i++ {
		require.True(t, assertCode(t, 0, postEnv(t, srv, cmdPermGroup, q, pgBody)), "call %d", i)
	}
	t.Run("the 6th call in the second", func(t *testing.T) {
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdPermGroup, q, pgBody))
		reqs := srv.RequestsFor(cmdPermGroup)
		require.NotEmpty(t, reqs)
		assert.Equal(t, tim.ErrRateLimitExceeded, reqs[len(reqs)-1].ErrorCode)
	})
	t.Run("a 7th call late in the same second", func(t *testing.T) {
		clock.Store(start.Add(999 * time.Millisecond).UnixNano())
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdPermGroup, q, pgBody))
	})
	t.Run("another command is counted separately", func(t *testing.T) {
		for i := 1; i <= 5; i++ {
			assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
		}
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdRole, q, roleBody))
	})
	t.Run("the next second", func(t *testing.T) {
		clock.Store(start.Add(time.Second).UnixNano())
		for i := 1; i <= 5; i++ {
			assertCode(t, 0, postEnv(t, srv, cmdPermGroup, q, pgBody))
		}
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdPermGroup, q, pgBody))
		assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
	})
}

func TestWithClockChecksUserSigExpiry(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	srv := newTestServer(t, WithClock(func() time.Time { return time.Unix(0, clock.Load()) }))
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv) // valid one hour from now
	body := map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, body))
	clock.Store(time.Now().Add(2 * time.Hour).UnixNano())
	assertCode(t, tim.ErrUserSigExpired, postEnv(t, srv, cmdRole, q, body))
}

func TestWithLatency(t *testing.T) {
	srv := newTestServer(t, WithLatency(20*time.Millisecond))
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	var rep roleReply
	post(t, srv, cmdRole, adminQuery(t, srv), map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}, &rep)
	require.True(t, assertCode(t, 0, rep.envelope))
	assert.Equal(t, []roleItem{{tOwner, "Owner"}}, rep.UserIDList)
}

func TestWithSDKAppIDAndSecretKey(t *testing.T) {
	srv := newTestServer(t, WithSDKAppID(1400123456), WithSecretKey("another-secret"))
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	assert.Equal(t, uint64(1400123456), srv.SDKAppID())
	assert.Equal(t, "another-secret", srv.SecretKey())
	body := map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}
	assertCode(t, 0, postEnv(t, srv, cmdRole, adminQuery(t, srv), body))

	q := adminQuery(t, srv)
	q.Set("usersig", makeSig(t, srv.SDKAppID(), DefaultSecretKey, srv.Admin(), time.Now(), time.Hour))
	assertCode(t, tim.ErrSecretKeyMismatch, postEnv(t, srv, cmdRole, q, body))
	q = adminQuery(t, srv)
	q.Set("sdkappid", strconv.FormatUint(DefaultSDKAppID, 10))
	assertCode(t, tim.ErrSDKAppIDNotFound, postEnv(t, srv, cmdRole, q, body))
}

// --- concurrency -----------------------------------------------------------

func TestConcurrentSeedingAndReads(t *testing.T) {
	const workers = 50
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv) // made here: helpers that require must not run in goroutines

	ids := make([]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("concurrent-%02d", i)
			id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: name, Permission: tim.GroupPermission(i)})
			if !assert.NoError(t, err) {
				return
			}
			ids[i] = id

			// What was created is visible over HTTP at once.
			var one pgReply
			if assert.NoError(t, postErr(srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &one)) &&
				assert.Equal(t, "OK", one.ActionStatus) && assert.Len(t, one.PermissionGroupInfoList, 1) {
				assert.Equal(t, pgItem{PermissionGroupID: id, PermissionGroupName: name, Permission: uint64(i)}, one.PermissionGroupInfoList[0])
			}
			// A page read while others are being created is well-formed.
			var page pgReply
			if assert.NoError(t, postErr(srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "Limit": 20, "Next": ""}, &page)) {
				assert.Equal(t, "OK", page.ActionStatus)
				assert.NotEmpty(t, page.PermissionGroupInfoList)
				assert.LessOrEqual(t, len(page.PermissionGroupInfoList), 20)
			}
			var roles roleReply
			if assert.NoError(t, postErr(srv, cmdRole, q, map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}, &roles)) {
				assert.Equal(t, "OK", roles.ActionStatus)
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())

	listed := pgAll(t, srv, q, tComm, 20)
	assert.Len(t, listed, workers)
	seen := map[string]int{}
	for _, id := range listed {
		seen[id]++
	}
	for _, id := range ids {
		assert.Equal(t, 1, seen[id], "%s listed %d times", id, seen[id])
	}
	assert.Len(t, srv.RequestsFor(cmdPermGroup), 2*workers+(workers+19)/20)
}

// --- printing --------------------------------------------------------------

func TestServerPrintingHidesSecretKey(t *testing.T) {
	const key = "very-secret-key-0123456789abcdef"
	for _, tt := range []struct {
		name string
		srv  *Server
		key  string
	}{
		{"default key", newTestServer(t), DefaultSecretKey},
		{"WithSecretKey", newTestServer(t, WithSecretKey(key)), key},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.srv
			require.Equal(t, tt.key, srv.SecretKey())
			outs := map[string]string{
				"%v %+v %#v":   fmt.Sprintf("%v %+v %#v", srv, srv, srv),
				"%s %q %x %d":  fmt.Sprintf("%s %q %x %d", srv, srv, srv, srv),
				"String":       srv.String(),
				"in a struct":  fmt.Sprintf("%v %+v %#v", struct{ S *Server }{srv}, struct{ S *Server }{srv}, struct{ S *Server }{srv}),
				"in a slice":   fmt.Sprintf("%v %+v %#v", []*Server{srv}, []*Server{srv}, []*Server{srv}),
				"Sprint":       fmt.Sprint(srv),
				"Sprintln %#v": fmt.Sprintln(srv) + fmt.Sprintf("%#v", []any{srv}),
			}
			for name, out := range outs {
				assert.NotContains(t, out, tt.key, name)
			}
			assert.Contains(t, fmt.Sprintf("%v", srv), srv.URL())
		})
	}
}

func TestFailNext(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	body := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}

	require.NoError(t, srv.FailNext(cmdRole, 2, Fault{Code: tim.ErrInternal, Info: "try again"}))
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Code: tim.ErrCallbackDenied}))
	want := []struct {
		code tim.ErrorCode
		info string
	}{{tim.ErrInternal, "try again"}, {tim.ErrInternal, "try again"}, {tim.ErrCallbackDenied, "injected by timtest"}, {0, ""}}
	for i, w := range want {
		env := postEnv(t, srv, cmdRole, q, body)
		assert.Equal(t, int(w.code), env.ErrorCode, "call %d", i)
		assert.Equal(t, w.info, env.ErrorInfo, "call %d", i)
		if w.code != 0 {
			assert.Equal(t, "FAIL", env.ActionStatus)
		}
	}
	// A fault for one command leaves the others alone, and a call refused
	// by the signature checks does not use up a fault.
	require.NoError(t, srv.FailNext(cmdPermGroup, 1, Fault{Code: tim.ErrInternal}))
	env := postEnv(t, srv, cmdRole, q, body)
	assert.Equal(t, 0, env.ErrorCode)
	bad := adminQuery(t, srv)
	bad.Set("usersig", makeSig(t, srv.SDKAppID(), "other-key", srv.Admin(), time.Now(), time.Hour))
	env = postEnv(t, srv, cmdPermGroup, bad, map[string]any{"GroupId": tComm})
	assert.Equal(t, int(tim.ErrSecretKeyMismatch), env.ErrorCode)
	env = postEnv(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm})
	assert.Equal(t, int(tim.ErrInternal), env.ErrorCode)
}
