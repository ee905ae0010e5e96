package timtest

// The checks the fake makes before it acts, over raw HTTP: the signed URL
// (sdkappid, identifier, UserSig, random, contenttype), the admin accounts,
// and the request's method, path and JSON body.

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

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
