package timtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// Raw-HTTP tests of the faults FailNext injects.

func TestFaultKinds(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	roleBody, err := rawBody(map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}})
	require.NoError(t, err)
	target := commandURL(srv, cmdRole, q)

	t.Run("error code", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Code: tim.ErrInternal}))
		rep, err := send(http.MethodPost, target, roleBody)
		require.NoError(t, err)
		var env envelope
		require.NoError(t, decodeReply(rep, &env))
		assert.Equal(t, envelope{ActionStatus: "FAIL", ErrorCode: int(tim.ErrInternal), ErrorInfo: "injected by timtest"}, env)
	})
	t.Run("HTTP status with an HTML page", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Status: http.StatusBadGateway}))
		rep, err := send(http.MethodPost, target, roleBody)
		require.NoError(t, err)
		assert.Equal(t, http.StatusBadGateway, rep.status)
		assert.Equal(t, "text/html; charset=utf-8", rep.contentType)
		assert.Contains(t, string(rep.body), "<title>502 Bad Gateway</title>")
	})
	t.Run("not JSON", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{NotJSON: true}))
		rep, err := send(http.MethodPost, target, roleBody)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, rep.status)
		assert.True(t, strings.HasPrefix(string(rep.body), "<html>"))
		assert.False(t, json.Valid(rep.body))
	})
	t.Run("truncated JSON", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Truncate: true}))
		rep, err := send(http.MethodPost, target, roleBody)
		require.NoError(t, err, "the HTTP message itself is whole")
		assert.Equal(t, http.StatusOK, rep.status)
		assert.Equal(t, "application/json", rep.contentType)
		require.NotEmpty(t, rep.body)
		var v map[string]any
		var syntaxErr *json.SyntaxError
		require.ErrorAs(t, json.Unmarshal(rep.body, &v), &syntaxErr)
		assert.Contains(t, syntaxErr.Error(), "unexpected end")
		assert.True(t, bytes.HasPrefix(rep.body, []byte(`{"ActionStatus":"OK"`)), "the first half of a success: %s", rep.body)
	})
	t.Run("dropped connection", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Drop: true}))
		_, err := send(http.MethodPost, target, roleBody)
		require.Error(t, err)
		assert.ErrorIs(t, err, io.EOF)
	})
	t.Run("a delay alone delays a normal answer", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Delay: 10 * time.Millisecond}))
		assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
	})
	t.Run("a delay before a fault", func(t *testing.T) {
		require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Delay: 10 * time.Millisecond, Status: http.StatusServiceUnavailable}))
		rep, err := send(http.MethodPost, target, roleBody)
		require.NoError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, rep.status)
	})
	t.Run("then normal answers again", func(t *testing.T) {
		assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
	})
	t.Run("recorded", func(t *testing.T) {
		reqs := srv.RequestsFor(cmdRole)
		want := []*Fault{
			{Code: tim.ErrInternal, Info: "injected by timtest"},
			{Status: http.StatusBadGateway},
			{NotJSON: true},
			{Truncate: true},
			{Drop: true},
			{Delay: 10 * time.Millisecond},
			{Delay: 10 * time.Millisecond, Status: http.StatusServiceUnavailable},
			nil,
		}
		require.Equal(t, len(want), len(reqs))
		for i, r := range reqs {
			assert.Equal(t, want[i], r.Fault, "request %d", i)
			assert.False(t, r.Time.IsZero())
		}
		assert.Equal(t, tim.ErrInternal, reqs[0].ErrorCode)
		assert.Equal(t, tim.ErrorCode(0), reqs[1].ErrorCode, "the command did not run")
	})
}

func TestFaultDelayEndsWhenTheClientGivesUp(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Delay: time.Hour}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, commandURL(srv, cmdRole, q), strings.NewReader(`{"GroupId":"`+tComm+`","User_Account":["`+tOwner+`"]}`))
	require.NoError(t, err)
	resp, err := testHTTPClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)

	// The fake records the request when it stops waiting: at once, not in
	// an hour (srv.Close in the cleanup would hang too).
	require.Eventually(t, func() bool { return len(srv.RequestsFor(cmdRole)) == 1 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, &Fault{Delay: time.Hour}, srv.RequestsFor(cmdRole)[0].Fault)
}

func TestFaultAfterApply(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	missing := map[string]any{"GroupId": "@TGS#_missing", "User_Account": []string{tOwner}}
	present := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}

	// The command runs (its answer would have been 10010) and the
	// connection is dropped: the client cannot know.
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Drop: true, AfterApply: true}))
	b, err := rawBody(missing)
	require.NoError(t, err)
	_, err = send(http.MethodPost, commandURL(srv, cmdRole, q), b)
	require.Error(t, err)
	// Without AfterApply the command does not run.
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Drop: true}))
	_, err = send(http.MethodPost, commandURL(srv, cmdRole, q), b)
	require.Error(t, err)
	// A code after applying answers the code.
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Code: tim.ErrInternal, AfterApply: true}))
	assertCode(t, tim.ErrInternal, postEnv(t, srv, cmdRole, q, present))

	reqs := srv.RequestsFor(cmdRole)
	require.Len(t, reqs, 3)
	assert.Equal(t, tim.ErrGroupNotFound, reqs[0].ErrorCode, "the command ran")
	assert.Equal(t, tim.ErrorCode(0), reqs[1].ErrorCode, "the command did not run")
	assert.Equal(t, tim.ErrInternal, reqs[2].ErrorCode)
}

func TestFaultsWaitForTheChecksAndTheRateLimit(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	srv := newTestServer(t, WithRateLimit(1), WithClock(func() time.Time { return time.Unix(0, clock.Load()) }))
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	body := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, body)) // uses up the second
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Code: tim.ErrInternal}))
	assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdRole, q, body))
	clock.Add(int64(time.Second))
	assertCode(t, tim.ErrInternal, postEnv(t, srv, cmdRole, q, body)) // the fault was still there
}

func TestFailNextRefusesBadFaults(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	for name, f := range map[string]Fault{
		"nothing":              {},
		"only Info":            {Info: "x"},
		"two kinds":            {Code: tim.ErrInternal, Drop: true},
		"three kinds":          {Status: 502, Truncate: true, NotJSON: true},
		"status 200":           {Status: http.StatusOK},
		"status 600":           {Status: 600},
		"negative":             {Delay: -time.Second},
		"Pass with a Code":     {Pass: true, Code: tim.ErrInternal},
		"Pass with a Delay":    {Pass: true, Delay: time.Second},
		"Pass with AfterApply": {Pass: true, AfterApply: true},
	} {
		assert.Error(t, srv.FailNext(cmdRole, 1, f), name)
	}
	for _, n := range []int{0, -1} {
		assert.Error(t, srv.FailNext(cmdRole, n, Fault{Code: tim.ErrInternal}), "n %d", n)
	}
	for _, command := range []string{"no_such_command", "GET_ROLE_IN_GROUP", ""} {
		err := srv.FailNext(command, 1, Fault{Code: tim.ErrInternal})
		assert.ErrorContains(t, err, "tim.Commands", "command %q", command)
	}
	// Nothing was queued by the refused calls.
	q := adminQuery(t, srv)
	body := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, body))

	for _, status := range []int{300, 429, 502, 599} {
		assert.NoError(t, srv.FailNext(cmdRole, 1, Fault{Status: status}), strconv.Itoa(status))
	}
	assert.NoError(t, srv.FailNext(cmdRole, 1, Fault{Pass: true}))
	for _, command := range tim.Commands() {
		assert.NoError(t, srv.FailNext(command, 1, Fault{Pass: true}), command)
	}
}

// Fault{Pass: true} answers normally: it lets one call through so that a
// later one fails.
func TestFaultPassLetsOneCallThrough(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	body := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}
	require.NoError(t, srv.FailNext(cmdRole, 2, Fault{Pass: true}))
	require.NoError(t, srv.FailNext(cmdRole, 1, Fault{Code: tim.ErrInternal}))
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, body))
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, body))
	assertCode(t, tim.ErrInternal, postEnv(t, srv, cmdRole, q, body))
	assertCode(t, 0, postEnv(t, srv, cmdRole, q, body))
	reqs := srv.RequestsFor(cmdRole)
	require.Len(t, reqs, 4)
	for i, r := range reqs[:2] {
		require.NotNil(t, r.Fault, "request %d", i)
		assert.True(t, r.Fault.Pass, "request %d", i)
		assert.Equal(t, tim.ErrorCode(0), r.ErrorCode)
	}
	assert.Nil(t, reqs[3].Fault)
}

// A delayed answer after applying: the client gives up, the change stays
// made. That is the case a client must not blindly repeat for a create.
func TestFaultAfterApplyWithDelay(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	require.NoError(t, srv.FailNext("create_permission_group", 1, Fault{Delay: time.Hour, AfterApply: true}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, commandURL(srv, "create_permission_group", q), strings.NewReader(`{"GroupId":"`+tComm+`","PermissionGroupName":"slow"}`))
	require.NoError(t, err)
	resp, err := testHTTPClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Eventually(t, func() bool { return len(srv.RequestsFor("create_permission_group")) == 1 }, 5*time.Second, 5*time.Millisecond)
	assert.Len(t, pgAll(t, srv, q, tComm, 20), 1, "the group was created before the delay")
}

// Close ends the waits of delayed answers instead of sitting them out.
func TestCloseEndsDelays(t *testing.T) {
	srv := NewServer(WithLatency(time.Hour))
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	errc := make(chan error, 1)
	go func() {
		_, err := send(http.MethodPost, commandURL(srv, cmdRole, q), []byte(`{"GroupId":"`+tComm+`","User_Account":["`+tOwner+`"]}`))
		errc <- err
	}()
	// Let the request reach the wait. (Should it not have yet, Close comes
	// first, and the test proves less, but nothing false.)
	time.Sleep(100 * time.Millisecond)
	srv.Close()
	// Had Close waited for the latency, the request would have ended by
	// the test client's 10 s timeout; no wall-clock bound is needed.
	err := <-errc
	var ne net.Error
	assert.False(t, errors.As(err, &ne) && ne.Timeout(), "the request ended by the client's timeout: Close waited for the latency (%v)", err)
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
