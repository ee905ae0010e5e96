package tim

// Helpers shared by the package's internal tests: the seed samples, the
// httpmock-backed client (newMock) and its request checks, the list-write
// table (wwWriters) and its answers, and the UserSig test vector with the
// hand-made encoder the UserSig tests check the package against.

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
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
	// groupService is the URL path of the group service's commands, up to the command.
	groupService = "/v4/group_open_http_svc/"
	// millionService is the URL path of the topic commands, up to the command.
	millionService = "/v4/million_group_open_http_svc/"
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
	m.respondAt(groupService, command, status, body)
}

// respondAt is respond for a command under the service path service
// (groupService or millionService).
func (m *mock) respondAt(service, command string, status int, body string) {
	m.mt.RegisterResponder(http.MethodPost, testHost+service+command, func(r *http.Request) (*http.Response, error) {
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
	return assertSignedAt(t, s, groupService, command)
}

// assertSignedAt is assertSigned for a command under the service path
// service (groupService or millionService).
func assertSignedAt(t *testing.T, s sent, service, command string) uint32 {
	t.Helper()
	assert.Equal(t, http.MethodPost, s.Method)
	assert.Equal(t, "adminapisgp.im.qcloud.com", s.URL.Host)
	assert.Equal(t, service+command, s.URL.Path)
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

// mustStatic is StaticUserSig for a signature known to be valid.
func mustStatic(sig string) UserSigner {
	s, err := StaticUserSig(sig)
	if err != nil {
		panic(err)
	}
	return s
}

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
	answerByAt(m, groupService, command, answer)
}

// answerByAt is answerBy for a command under the service path service.
func answerByAt(m *mock, service, command string, answer func(n int, body string) string) {
	var mu sync.Mutex
	n := 0
	m.mt.RegisterResponder(http.MethodPost, testHost+service+command, func(r *http.Request) (*http.Response, error) {
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

// The test vector of API.md §7.
const (
	vecKey        = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
	vecAppID      = uint64(1400000000)
	vecIdentifier = "xiaojun"
	vecTime       = int64(1700000000)
	vecExpire     = int64(15552000) // 180 days
	vecSig        = "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
)

var (
	vecIssued   = time.Unix(vecTime, 0)
	vecValidity = time.Duration(vecExpire) * time.Second
)

// userSigSentinels are the errors VerifyUserSig may match.
var userSigSentinels = []error{ErrUserSigInvalid, ErrSDKAppIDMismatch, ErrIdentifierMismatch, ErrUserSigExpired, ErrSecretKeyMismatch}

// unpackUserSig undoes the UserSig encoding by hand, without the package's
// decoder: alphabet, base64, zlib, JSON (numbers kept as json.Number).
func unpackUserSig(t testing.TB, sig string) map[string]any {
	t.Helper()
	raw := strings.NewReplacer("*", "+", "-", "/", "_", "=").Replace(sig)
	z, err := base64.StdEncoding.DecodeString(raw)
	require.NoError(t, err, "std base64 with padding")
	zr, err := zlib.NewReader(bytes.NewReader(z))
	require.NoError(t, err)
	var js bytes.Buffer
	_, err = js.ReadFrom(zr)
	require.NoError(t, err)
	dec := json.NewDecoder(&js)
	dec.UseNumber()
	var doc map[string]any
	require.NoError(t, dec.Decode(&doc))
	return doc
}

// packUserSig encodes a document the way the official libraries do: JSON,
// zlib at level, standard base64, then + / = replaced by * - _. Without pad
// the base64 padding is dropped.
func packUserSig(t testing.TB, doc any, level int, pad bool) string {
	t.Helper()
	js, err := json.Marshal(doc)
	require.NoError(t, err)
	return packRaw(t, js, level, pad)
}

func packRaw(t testing.TB, js []byte, level int, pad bool) string {
	t.Helper()
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, level)
	require.NoError(t, err)
	_, err = zw.Write(js)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	enc := base64.StdEncoding
	if !pad {
		enc = base64.RawStdEncoding
	}
	return strings.NewReplacer("+", "*", "/", "-", "=", "_").Replace(enc.EncodeToString(z.Bytes()))
}

// officialDoc is the document the official Go library (tls-sig-api-v2-golang)
// builds: a map with int values and TLS.sig the base64 of the HMAC.
func officialDoc(key string, appID uint64, identifier string, issued, expire int64) map[string]any {
	return map[string]any{
		"TLS.ver":        "2.0",
		"TLS.identifier": identifier,
		"TLS.sdkappid":   appID,
		"TLS.expire":     expire,
		"TLS.time":       issued,
		"TLS.sig":        hmacBase64(key, identifier, appID, issued, expire, nil),
	}
}

func vectorSig(t testing.TB) string {
	t.Helper()
	sig, err := GenerateUserSig(vecAppID, vecKey, vecIdentifier, vecIssued, vecValidity)
	require.NoError(t, err)
	return sig
}

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const (
	signerKey   = "key-signer-test-KEY-0123456789abcdef"
	signerAdmin = "administrator"
)
