package timtest

// What the fake records of the requests it receives.

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

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
