package timtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// rawControl sends a control request with the given headers ("Host" sets
// the Host) and returns the status and the answer's text.
func rawControl(t *testing.T, srv *timtest.Server, method, endpoint, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+"/_timfake/"+endpoint, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(raw)
}

const faultBody = `{"command": "get_role_in_group", "n": 1, "fault": {"code": 10002}}`

// assertNoFault checks that no fault was queued: a call succeeds.
func assertNoFault(t *testing.T, client *tim.Client) {
	t.Helper()
	_, err := client.RoleOf(context.Background(), ctlGroup, "amy")
	assert.NoError(t, err, "a refused control request queued a fault")
}

// A POST a web page can make without a CORS preflight (text/plain, a form,
// no Content-Type) is refused with 415 and changes nothing.
func TestControlTakesOnlyJSON(t *testing.T) {
	srv, client := ctlServer(t)
	for _, ct := range []string{"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"} {
		for _, endpoint := range []string{"fail_next", "reset", "seed"} {
			status, raw := rawControl(t, srv, http.MethodPost, endpoint, faultBody, map[string]string{"Content-Type": ct})
			assert.Equal(t, http.StatusUnsupportedMediaType, status, "%s %q: %s", endpoint, ct, raw)
			assert.Contains(t, raw, "takes Content-Type: application/json", "%s %q", endpoint, ct)
		}
	}
	assertNoFault(t, client)
	status, raw := rawControl(t, srv, http.MethodPost, "fail_next", faultBody, map[string]string{"Content-Type": "application/json; charset=utf-8"})
	assert.Equal(t, http.StatusOK, status, raw)
}

// Any Origin header is refused (403), on every endpoint, before anything
// is read or changed.
func TestControlRefusesOrigin(t *testing.T) {
	srv, client := ctlServer(t)
	_, err := client.RoleOf(context.Background(), ctlGroup, "owner")
	require.NoError(t, err)
	for _, origin := range []string{"http://evil.example", "null", srv.URL()} {
		h := map[string]string{"Content-Type": "application/json", "Origin": origin}
		for _, endpoint := range []string{"fail_next", "reset", "seed"} {
			status, raw := rawControl(t, srv, http.MethodPost, endpoint, faultBody, h)
			assert.Equal(t, http.StatusForbidden, status, "%s %q: %s", endpoint, origin, raw)
			assert.Contains(t, raw, "refuses requests with an Origin header")
		}
		status, raw := rawControl(t, srv, http.MethodGet, "requests", "", h)
		assert.Equal(t, http.StatusForbidden, status, raw)
		assert.NotContains(t, raw, "get_role_in_group", "nothing recorded is shown")
	}
	assertNoFault(t, client)
	assert.Len(t, srv.Requests(), 2, "reset did not run")
}

// A Host that is not loopback (a DNS-rebinding page's own name) is refused
// (403); localhost and loopback IPs, with or without a port, are served.
func TestControlRefusesNonLoopbackHost(t *testing.T) {
	srv, client := ctlServer(t)
	_, err := client.RoleOf(context.Background(), ctlGroup, "owner")
	require.NoError(t, err)
	_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL(), "http://"))
	require.NoError(t, err)
	for _, host := range []string{"rebind.example:" + port, "rebind.example", "10.0.0.1:" + port, "localhost.evil.example", "127.0.0.1.nip.io:" + port} {
		h := map[string]string{"Content-Type": "application/json", "Host": host}
		status, raw := rawControl(t, srv, http.MethodGet, "requests", "", h)
		assert.Equal(t, http.StatusForbidden, status, "%s: %s", host, raw)
		assert.Contains(t, raw, "only requests addressed to localhost or a loopback IP", host)
		assert.NotContains(t, raw, "get_role_in_group", host)
		status, _ = rawControl(t, srv, http.MethodPost, "fail_next", faultBody, h)
		assert.Equal(t, http.StatusForbidden, status, host)
	}
	assertNoFault(t, client)
	for _, host := range []string{"localhost:" + port, "LOCALHOST", "127.0.0.1:" + port, "127.1.2.3", "[::1]:" + port, "[::1]"} {
		status, raw := rawControl(t, srv, http.MethodGet, "requests", "", map[string]string{"Host": host})
		assert.Equal(t, http.StatusOK, status, "%s: %s", host, raw)
	}
}

// At most 100000 faults wait in all the queues together, however many
// requests queue them.
func TestControlCapsQueuedFaults(t *testing.T) {
	srv, client := ctlServer(t)
	a := ctlPost(t, srv, "fail_next", `{"command": "get_role_in_group", "n": 60000, "fault": {"code": 10002}}`)
	require.Equal(t, http.StatusOK, a.Status, a.Raw)
	a = ctlPost(t, srv, "fail_next", `{"command": "get_group_info", "n": 40000, "fault": {"code": 10002}}`)
	require.Equal(t, http.StatusOK, a.Status, a.Raw)
	a = ctlPost(t, srv, "fail_next", `{"command": "get_permission_group", "n": 1, "fault": {"code": 10002}}`)
	assert.Equal(t, http.StatusBadRequest, a.Status, a.Raw)
	assert.Contains(t, a.Body["error"], "100000 faults are queued and 1 more would pass the limit of 100000")
	err := srv.FailNext(tim.CommandGetPermissionGroup, 1, timtest.Fault{Code: tim.ErrInternal})
	assert.ErrorContains(t, err, "would pass the limit")

	// A call takes a fault off its queue, which makes room for one more.
	_, err = client.RoleOf(context.Background(), ctlGroup, "amy")
	require.ErrorIs(t, err, tim.ErrInternal)
	a = ctlPost(t, srv, "fail_next", `{"command": "get_permission_group", "n": 1, "fault": {"code": 10002}}`)
	assert.Equal(t, http.StatusOK, a.Status, a.Raw)
}

// seedOf returns a seed body with the communities named.
func seedOf(ids ...string) string {
	var b strings.Builder
	b.WriteString(`{"communities": [`)
	for i, id := range ids {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"group_id": %q, "owner": "o", "members": {"m": "Member"}, "permission_groups": [{"name": "n", "members": ["m"]}]}`, id)
	}
	b.WriteString("]}")
	return b.String()
}

// Two seeds posted at once that share a community: one is applied whole,
// the other answered 400 and leaves no trace of its other communities.
func TestControlSeedIsAtomic(t *testing.T) {
	const n = 3000
	for round := range 3 {
		srv, _ := ctlServer(t)
		var a, b []string
		for i := range n {
			a = append(a, fmt.Sprintf("@TGS#_a%d", i))
			b = append(b, fmt.Sprintf("@TGS#_b%d", i))
		}
		a, b = append(a, "@TGS#_shared"), append(b, "@TGS#_shared") // last in both
		bodies := []string{seedOf(a...), seedOf(b...)}
		status := make([]int, 2)
		var wg sync.WaitGroup
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status[i], _ = rawControl(t, srv, http.MethodPost, "seed", bodies[i], map[string]string{"Content-Type": "application/json"})
			}()
		}
		wg.Wait()
		require.ElementsMatch(t, []int{http.StatusOK, http.StatusBadRequest}, status, "round %d", round)
		loser := a
		if status[1] == http.StatusBadRequest {
			loser = b
		}
		// None of the refused seed's own communities exists: seeding each
		// alone again succeeds.
		for _, id := range []string{loser[0], loser[1], loser[n/2], loser[n-1]} {
			if id == "@TGS#_shared" {
				continue
			}
			st, raw := rawControl(t, srv, http.MethodPost, "seed", seedOf(id), map[string]string{"Content-Type": "application/json"})
			assert.Equal(t, http.StatusOK, st, "round %d: %s was left by the refused seed: %s", round, id, raw)
		}
	}
}

// A request whose client gives up during the fake's latency is recorded,
// as unanswered, and its command does not run.
func TestLatencyAbandonedIsRecorded(t *testing.T) {
	srv, _ := ctlServer(t, timtest.WithLatency(2*time.Second))
	hc := &http.Client{Timeout: 100 * time.Millisecond}
	resp, err := hc.Post(signedURL(t, srv, "/v4/group_open_http_svc/create_permission_group"), "application/json",
		strings.NewReader(`{"GroupId": "`+ctlGroup+`", "PermissionGroupId": "@PMG#_x", "PermissionGroupName": "x"}`))
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "the client gives up")

	var answer struct {
		Requests []struct {
			Command      string `json:"command"`
			UserSigValid bool   `json:"usersig_valid"`
			Body         string `json:"body"`
			ErrorCode    int    `json:"error_code"`
			Unanswered   bool   `json:"unanswered"`
		} `json:"requests"`
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		status, raw := rawControl(t, srv, http.MethodGet, "requests", "", nil)
		require.Equal(t, http.StatusOK, status, raw)
		require.NoError(t, json.Unmarshal([]byte(raw), &answer))
		if len(answer.Requests) > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the abandoned request was not recorded")
	}
	require.Len(t, answer.Requests, 1)
	r := answer.Requests[0]
	assert.Equal(t, "create_permission_group", r.Command)
	assert.True(t, r.UserSigValid)
	assert.Contains(t, r.Body, "@PMG#_x")
	assert.True(t, r.Unanswered)
	assert.Zero(t, r.ErrorCode)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.True(t, reqs[0].Unanswered)
	_, err = srv.PermissionGroupMembers(ctlGroup, "@PMG#_x")
	assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "the command did not run")
}
