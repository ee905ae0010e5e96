package timtest

// These tests check the fake over raw HTTP with net/http, independently of
// the SDK's client: every request is built and signed by hand and every
// answer decoded by hand, so a bug shared by the client and the fake cannot
// hide itself. The expected behaviour is the one the service's documentation
// describes for the signed URL, the envelope, IDs, limits and error codes.
//
// This file holds the helpers the raw-HTTP tests share.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
	return srv.URL() + "/v4/" + serviceOf(command) + "/" + command + "?" + q.Encode()
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
