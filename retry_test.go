package tim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryPolicyDefaultsAndValidation(t *testing.T) {
	assert.Equal(t, RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, RateLimitDelay: time.Second, MaxDelay: 2 * time.Second}, DefaultRetryPolicy())

	c, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey))
	require.NoError(t, err)
	assert.Equal(t, DefaultRetryPolicy(), c.retry, "no option: the default")

	c, err = NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithRetryPolicy(RetryPolicy{MaxAttempts: 5, RetryNonIdempotent: true}))
	require.NoError(t, err)
	want := DefaultRetryPolicy()
	want.MaxAttempts, want.RetryNonIdempotent = 5, true
	assert.Equal(t, want, c.retry, "zero fields take the default")

	for _, p := range []RetryPolicy{{MaxAttempts: -1}, {BaseDelay: -1}, {RateLimitDelay: -1}, {MaxDelay: -1}} {
		_, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithRetryPolicy(p))
		assert.ErrorContains(t, err, "WithRetryPolicy", "%+v", p)
	}
}

func TestBackoff(t *testing.T) {
	p := DefaultRetryPolicy()
	for range 200 {
		// Equal jitter: the upper half of the nominal delay.
		assertBetween(t, p.backoff(retryTransient, 1), 50*time.Millisecond, 100*time.Millisecond)
		assertBetween(t, p.backoff(retryTransient, 2), 100*time.Millisecond, 200*time.Millisecond)
		assertBetween(t, p.backoff(retryTransient, 6), time.Second, 2*time.Second) // 3.2 s capped at 2 s
		assertBetween(t, p.backoff(retryTransient, 100), time.Second, 2*time.Second)
		// Rate limits wait longer: never less than 0.5 s.
		assertBetween(t, p.backoff(retryRateLimited, 1), 500*time.Millisecond, time.Second)
		assertBetween(t, p.backoff(retryRateLimited, 2), time.Second, 2*time.Second)
		assertBetween(t, p.backoff(retryRateLimited, 3), time.Second, 2*time.Second)
		assert.Zero(t, p.backoff(retryNewUserSig, 1), "a new UserSig is tried at once")
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[p.backoff(retryTransient, 1)] = true
	}
	assert.Greater(t, len(seen), 10, "jittered")

	tiny := RetryPolicy{BaseDelay: 1, RateLimitDelay: 1, MaxDelay: 1}.withDefaults()
	assert.Equal(t, time.Duration(1), tiny.backoff(retryTransient, 3))
}

func assertBetween(t *testing.T, d, lo, hi time.Duration) {
	t.Helper()
	if d < lo || d > hi {
		t.Errorf("backoff %s is outside [%s, %s]", d, lo, hi)
	}
}

// TestRetryReason is the decision table: which failure is retried, and
// why, for an idempotent and a non-idempotent command, with and without
// RetryNonIdempotent.
func TestRetryReason(t *testing.T) {
	dial := &TransportError{Command: "c", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}, sent: noConnection}
	reset := &TransportError{Command: "c", Err: errors.New("read: connection reset by peer")}
	attemptTimeout := &TransportError{Command: "c", Err: fmt.Errorf("%w (10s)", ErrAttemptTimeout)}
	cancelled := &TransportError{Command: "c", Err: context.Canceled}
	expired := &TransportError{Command: "c", Err: context.DeadlineExceeded}
	api := func(code ErrorCode) error { return &APIError{Command: "c", ActionStatus: "FAIL", Code: code} }
	status := func(code int) error { return &HTTPError{Command: "c", StatusCode: code} }

	cases := []struct {
		name string
		err  error
		// idempotent: get_role_in_group; write: create_permission_group;
		// optIn: create_permission_group with RetryNonIdempotent.
		idempotent, write, optIn retryReason
	}{
		{"10002 internal error", api(ErrInternal), retryTransient, noRetry, retryTransient},
		{"60008 server timeout", api(ErrServerTimeout), retryTransient, noRetry, retryTransient},
		{"70169 internal timeout", api(ErrAuthTimeout), retryTransient, noRetry, retryTransient},
		{"70202 internal error", api(ErrAuthInternal), retryTransient, noRetry, retryTransient},
		{"70500 internal error", api(ErrAuthServiceError), retryTransient, noRetry, retryTransient},
		{"110007 delete failed: not made, retry", api(ErrPermissionGroupDeleteFailed), retryTransient, retryTransient, retryTransient},
		{"60014 account check timed out: refused before acting", api(ErrAccountCheckTimeout), retryTransient, retryTransient, retryTransient},
		{"60007 rate limit", api(ErrRateLimitExceeded), retryRateLimited, retryRateLimited, retryRateLimited},
		{"60011 too frequent", api(ErrAppTooFrequent), retryRateLimited, retryRateLimited, retryRateLimited},
		{"60018 too frequent", api(ErrTooFrequent), retryRateLimited, retryRateLimited, retryRateLimited},
		{"60019 too frequent", api(ErrTooFrequentGeneral), retryRateLimited, retryRateLimited, retryRateLimited},
		{"10006 group rate limit", api(ErrGroupRateLimited), retryRateLimited, retryRateLimited, retryRateLimited},
		{"70001 expired UserSig", api(ErrUserSigExpired), retryNewUserSig, retryNewUserSig, retryNewUserSig},
		{"70052 invalidated UserSig", api(ErrUserSigInvalidated), retryNewUserSig, retryNewUserSig, retryNewUserSig},
		{"70050 wait 60 s", api(ErrTooManyFailedChecks), noRetry, noRetry, noRetry},
		{"10010 group not found", api(ErrGroupNotFound), noRetry, noRetry, noRetry},
		{"10004 invalid parameter", api(ErrInvalidParameter), noRetry, noRetry, noRetry},
		{"an undocumented code", api(99999), noRetry, noRetry, noRetry},
		{"HTTP 502", status(502), retryTransient, noRetry, retryTransient},
		{"HTTP 500", status(500), retryTransient, noRetry, retryTransient},
		{"HTTP 429", status(429), retryRateLimited, retryRateLimited, retryRateLimited},
		{"HTTP 404", status(404), noRetry, noRetry, noRetry},
		{"HTTP 302", status(302), noRetry, noRetry, noRetry},
		{"connection refused: nothing sent", dial, retryTransient, retryTransient, retryTransient},
		{"connection reset", reset, retryTransient, noRetry, retryTransient},
		{"per-attempt timeout", attemptTimeout, retryTransient, noRetry, retryTransient},
		{"caller cancelled", cancelled, noRetry, noRetry, noRetry},
		{"caller's deadline", expired, noRetry, noRetry, noRetry},
		{"decode error", &DecodeError{Command: "c", Err: errors.New("unexpected end of JSON input")}, noRetry, noRetry, noRetry},
		{"body too large", &DecodeError{Command: "c", Err: ErrBodyTooLarge}, noRetry, noRetry, noRetry},
		{"validation error", invalid("c", "GroupID", "GroupId", "is empty"), noRetry, noRetry, noRetry},
		{"wrapped 10002", fmt.Errorf("outer: %w", api(ErrInternal)), retryTransient, noRetry, retryTransient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.idempotent, retryReasonFor(routeOf("get_role_in_group"), tc.err, false), "get_role_in_group")
			assert.Equal(t, tc.write, retryReasonFor(routeOf("create_permission_group"), tc.err, false), "create_permission_group")
			assert.Equal(t, tc.optIn, retryReasonFor(routeOf("create_permission_group"), tc.err, true), "create_permission_group, RetryNonIdempotent")
			assert.Equal(t, tc.write, retryReasonFor(routeFor("openim", "sendmsg"), tc.err, false), "an API tim does not know")
			assert.Equal(t, tc.write, retryReasonFor(routeFor("openim", "sendmsg"), tc.err, true), "an API tim does not know, RetryNonIdempotent")
			assert.Equal(t, tc.write, retryReasonFor(routeFor(ServiceGroup, "get_topic"), tc.err, false), "a known command under another service")
			assert.Equal(t, tc.idempotent, retryReasonFor(routeFor(ServiceMillionGroup, "get_topic"), tc.err, false), "a known command under its service")
		})
	}
}

func TestNonIdempotentCommands(t *testing.T) {
	writes := []string{"create_permission_group", "destroy_permission_group", "add_topic_permission_group", "delete_topic_permission_group", "add_permission_group_member",
		"create_topic", "destroy_topic", "import_topic", "add_group_member", "import_group_member"}
	for _, c := range writes {
		assert.False(t, routeOf(c).idempotent, c)
		assert.Equal(t, noRetry, retryReasonFor(routeOf(c), &HTTPError{StatusCode: 502}, false), c)
	}
	reads := []string{"get_permission_group", "get_role_in_group", "get_topic_permission_group", "get_permission_group_member_list", "get_group_info",
		"modify_permission_group", "set_topic_permission_group", "delete_permission_group_member",
		"get_topic", "modify_topic", "get_group_member_info", "get_specified_group_member_info", "delete_group_member", "modify_group_member_info", "modify_group_base_info"}
	for _, c := range reads {
		assert.True(t, routeOf(c).idempotent, c)
		assert.Equal(t, retryTransient, retryReasonFor(routeOf(c), &HTTPError{StatusCode: 502}, false), c)
	}
	assert.Len(t, Commands(), len(writes)+len(reads), "every command is in one of the lists")
	// Every retryable code is either a refusal before acting or listed as an
	// internal error.
	for code, info := range codeTable {
		if info.retry == retryNow && !internalErrors[code] {
			assert.Contains(t, []ErrorCode{ErrAccountCheckTimeout, ErrPermissionGroupDeleteFailed}, code, "only 60014 and 110007 are transient refusals")
		}
		if internalErrors[code] {
			assert.Equal(t, retryNow, info.retry, "%d", code)
		}
	}
}

// script is a loopback server that answers each request with the next of its
// answers (the last one repeats), for commands the fake does not serve.
type script struct {
	srv     *httptest.Server
	mu      sync.Mutex
	answers []func(w http.ResponseWriter, r *http.Request)
	got     int
}

func newScript(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) *script {
	t.Helper()
	wr := &script{answers: answers}
	wr.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wr.mu.Lock()
		a := wr.answers[min(wr.got, len(wr.answers)-1)]
		wr.got++
		wr.mu.Unlock()
		a(w, r)
	}))
	t.Cleanup(wr.srv.Close)
	return wr
}

func (wr *script) requests() int {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return wr.got
}

func answerCode(code ErrorCode) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"ActionStatus":"FAIL","ErrorCode":%d,"ErrorInfo":"x"}`, code)
	}
}

func answerOK(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, okEnvelope) }

func answerStatus(status int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html>bad gateway</html>")
	}
}

func answerDrop(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// answerHang answers nothing until the client goes away. It reads the body
// first: net/http notices a closed connection only after that.
func answerHang(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// TestNonIdempotentWritesOnTheWire sends a write the service may have
// applied and checks it is not sent again, while refusals are.
func TestNonIdempotentWritesOnTheWire(t *testing.T) {
	cases := []struct {
		name    string
		command string
		policy  RetryPolicy
		answers []func(http.ResponseWriter, *http.Request)
		want    int // requests sent
		ok      bool
	}{
		{"dropped after the request: not sent again", "create_permission_group", fastRetries, h(answerDrop, answerOK), 1, false},
		{"502: not sent again", "create_permission_group", fastRetries, h(answerStatus(502), answerOK), 1, false},
		{"10002: not sent again", "destroy_permission_group", fastRetries, h(answerCode(ErrInternal), answerOK), 1, false},
		{"110007 (deletion failed): sent again", "destroy_permission_group", fastRetries, h(answerCode(ErrPermissionGroupDeleteFailed), answerOK), 2, true},
		{"per-attempt timeout: not sent again", "add_permission_group_member", fastRetries, h(answerHang, answerOK), 1, false},
		{"60007 refused: sent again", "add_topic_permission_group", fastRetries, h(answerCode(ErrRateLimitExceeded), answerOK), 2, true},
		{"429 refused: sent again", "add_topic_permission_group", fastRetries, h(answerStatus(429), answerOK), 2, true},
		{"60014 refused: sent again", "delete_topic_permission_group", fastRetries, h(answerCode(ErrAccountCheckTimeout), answerOK), 2, true},
		{"70001 refused: sent again with a new UserSig", "create_permission_group", fastRetries, h(answerCode(ErrUserSigExpired), answerOK), 2, true},
		{"opted in: dropped, sent again", "create_permission_group", optIn(fastRetries), h(answerDrop, answerOK), 2, true},
		{"opted in: 502, sent again", "create_permission_group", optIn(fastRetries), h(answerStatus(502), answerOK), 2, true},
		{"opted in: 10002, sent again", "destroy_permission_group", optIn(fastRetries), h(answerCode(ErrInternal), answerOK), 2, true},
		{"an idempotent write is sent again after a drop", "modify_permission_group", fastRetries, h(answerDrop, answerOK), 2, true},
		{"an idempotent write is sent again after a 502", "set_topic_permission_group", fastRetries, h(answerStatus(502), answerOK), 2, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wr := newScript(t, tc.answers...)
			c, err := NewClient(testAppID, testAdmin, WithBaseURL(wr.srv.URL), WithSecretKey(testKey), WithRetryPolicy(tc.policy))
			require.NoError(t, err)
			if strings.HasPrefix(tc.name, "per-attempt timeout") {
				// The hanging attempt alone times out; any other keeps
				// the default, so that a busy machine does not time it out.
				SetAttemptTimeouts(c, 50*time.Millisecond)
			}
			var out struct{ envelope }
			err = c.call(context.Background(), tc.command, map[string]string{"GroupId": "g"}, &out)
			assert.Equal(t, tc.want, wr.requests())
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.command)
		})
	}
	t.Run("refused connection: nothing was sent, so it is sent again", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		var logs strings.Builder
		c, err := NewClient(testAppID, testAdmin, WithBaseURL("http://"+addr), WithSecretKey(testKey), WithRetryPolicy(fastRetries), WithLogger(jsonLogger(&logs)))
		require.NoError(t, err)
		var out struct{ envelope }
		err = c.call(context.Background(), "create_permission_group", map[string]string{"GroupId": "g"}, &out)
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, DefaultMaxAttempts, te.Attempts)
		assert.Equal(t, DefaultMaxAttempts, strings.Count(logs.String(), `"outcome":"transport_error"`))
	})
}

func h(answers ...func(http.ResponseWriter, *http.Request)) []func(http.ResponseWriter, *http.Request) {
	return answers
}

func optIn(p RetryPolicy) RetryPolicy {
	p.RetryNonIdempotent = true
	return p
}

// TestRetriesResetTheAnswer checks that a retry decodes into a clean value:
// nothing of a failed attempt's answer survives into the result.
func TestRetriesResetTheAnswer(t *testing.T) {
	wr := newScript(t,
		func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"ActionStatus":"FAIL","ErrorCode":10002,"ErrorInfo":"x","UserIdList":[{"Member_Account":"ghost","Role":"Owner"}]}`)
		},
		func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"ActionStatus":"OK","ErrorCode":0}`) },
	)
	c, err := NewClient(testAppID, testAdmin, WithBaseURL(wr.srv.URL), WithSecretKey(testKey), WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	var out getRoleInGroupResponse
	require.NoError(t, c.call(context.Background(), cmdGetRoleInGroup, &getRoleInGroupBody{GroupID: "g", Accounts: []string{"a"}}, &out))
	assert.Empty(t, out.UserIDList)
	assert.Equal(t, 2, wr.requests())
}

func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	var mu sync.Mutex
	var randoms, sigs []string
	wr := newScript(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		randoms = append(randoms, r.URL.Query().Get("random"))
		sigs = append(sigs, r.URL.Query().Get("usersig"))
		n := len(randoms)
		mu.Unlock()
		if n < 3 {
			answerCode(ErrInternal)(w, r)
			return
		}
		answerOK(w, r)
	})
	var asked atomic.Int32
	signer := signerFunc(func(context.Context) (string, error) {
		asked.Add(1)
		return GenerateUserSig(testAppID, testKey, testAdmin, time.Now(), time.Hour)
	})
	c, err := NewClient(testAppID, testAdmin, WithBaseURL(wr.srv.URL), WithUserSigner(signer), WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	var out struct{ envelope }
	require.NoError(t, c.call(context.Background(), "get_role_in_group", map[string]string{}, &out))
	assert.Equal(t, int32(3), asked.Load(), "the signer is asked before every attempt")
	require.Len(t, randoms, 3)
	assert.NotEqual(t, randoms[0], randoms[1])
	assert.NotEqual(t, randoms[1], randoms[2])
	assert.NotEqual(t, randoms[0], randoms[2])
	for _, s := range sigs {
		assert.NotEmpty(t, s)
	}
}

// jsonLogger logs every record, Debug included, as JSON lines into w.
func jsonLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type signerFunc func(context.Context) (string, error)

func (f signerFunc) UserSig(ctx context.Context) (string, error) { return f(ctx) }

func TestDefaultRateLimiter(t *testing.T) {
	c, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey))
	require.NoError(t, err)
	l, ok := c.limiter.(*CommandRateLimiter)
	require.True(t, ok, "%T", c.limiter)
	assert.Equal(t, float64(DefaultRateLimit), l.rate)
	assert.Equal(t, DefaultRateBurst, l.burst)

	c, err = NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithRateLimit(50, 5))
	require.NoError(t, err)
	l = c.limiter.(*CommandRateLimiter)
	assert.Equal(t, 50.0, l.rate)
	assert.Equal(t, 5, l.burst)

	c, err = NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithRateLimit(50, 5), WithoutRateLimit())
	require.NoError(t, err)
	assert.Equal(t, noLimit{}, c.limiter, "the last limiter option wins")
}

// TestRateLimitWindowMath backs the README's arithmetic: a token bucket of
// rate r and burst b starts at most b + r calls in any one second, so (200,
// 20) can put more than 200 into one fixed one-second window, and the
// default (175, 15) never starts more than 190, leaving 10 of the service's
// 200 to spare. Calls are made as fast as the bucket allows, on
// a simulated clock, over 5 s, starting with a full bucket as a window opens.
func TestRateLimitWindowMath(t *testing.T) {
	most := func(perSecond float64, burst int) (fixed, sliding int) {
		l, err := NewRateLimiter(perSecond, burst)
		require.NoError(t, err)
		b := l.bucket("c")
		start := time.Unix(1700000000, 0)
		var at []time.Time
		for now := start; now.Before(start.Add(5 * time.Second)); now = now.Add(100 * time.Microsecond) {
			for b.allowAt(now) {
				at = append(at, now)
			}
		}
		windows := map[int64]int{}
		for i, ti := range at {
			windows[ti.Unix()]++
			fixed = max(fixed, windows[ti.Unix()])
			j := i
			for j < len(at) && at[j].Sub(ti) < time.Second {
				j++
			}
			sliding = max(sliding, j-i)
		}
		return fixed, sliding
	}
	fixed, sliding := most(200, 20)
	assert.InDelta(t, 220, sliding, 1, "burst + rate")
	assert.Greater(t, fixed, 200, "a fixed window can see more than 200")
	fixed, sliding = most(DefaultRateLimit, DefaultRateBurst)
	assert.LessOrEqual(t, sliding, 200, "the default never starts more than the service's 200 in a second")
	assert.LessOrEqual(t, fixed, 200)
	assert.LessOrEqual(t, sliding, DefaultRateLimit+DefaultRateBurst, "at most 190: 10 to spare")
	assert.GreaterOrEqual(t, sliding, DefaultRateLimit+DefaultRateBurst-1, "and it does not waste much of its own budget")
}

// TestLogRecordsOfRetries checks the records of a call that is retried:
// levels and the retry attributes.
func TestLogRecordsOfRetries(t *testing.T) {
	var logs strings.Builder
	m := newMock(t, WithLogger(jsonLogger(&logs)))
	calls := 0
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
		calls++ // one call at a time
		switch calls {
		case 1:
			return httpmockResponse(200, `{"ActionStatus":"FAIL","ErrorCode":60007,"ErrorInfo":"slow down"}`), nil
		case 2:
			return httpmockResponse(200, seedRoles), nil
		default:
			return httpmockResponse(502, "<html>bad gateway</html>"), nil
		}
	})
	_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter", "wesley"}})
	require.NoError(t, err)
	_, err = m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie"}})
	require.Error(t, err)

	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		delete(rec, "time")
		delete(rec, "duration")
		assert.Contains(t, rec, "limiter_wait")
		delete(rec, "limiter_wait")
		records = append(records, rec)
	}
	require.Len(t, records, 5)
	assert.Greater(t, records[0]["retry_in"], 0.0)
	delete(records[0], "retry_in")
	delete(records[2], "retry_in")
	delete(records[3], "retry_in")
	base := func(level string, attempt int, kv ...any) map[string]any {
		m := map[string]any{"level": level, "msg": "tim request", "command": "get_role_in_group", "service": "group_open_http_svc", "attempt": float64(attempt)}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	assert.Equal(t, []map[string]any{
		base("INFO", 1, "outcome", "api_error", "error_code", 60007.0, "will_retry", true, "retry_reason", "rate_limited"),
		base("DEBUG", 2, "outcome", "ok"),
		base("INFO", 1, "outcome", "http_error", "http_status", 502.0, "will_retry", true, "retry_reason", "transient"),
		base("INFO", 2, "outcome", "http_error", "http_status", 502.0, "will_retry", true, "retry_reason", "transient"),
		base("WARN", 3, "outcome", "http_error", "http_status", 502.0, "will_retry", false),
	}, records)
}

// sleepyLimiter makes every attempt wait d for its turn.
type sleepyLimiter struct{ d time.Duration }

func (l sleepyLimiter) Wait(context.Context, string) error { time.Sleep(l.d); return nil }

// The per-attempt record says how long the attempt waited for the rate
// limiter, apart from the exchange's duration. (time.Sleep waits at least
// its time, so the lower bound holds on any machine.)
func TestLogRecordsShowTheLimiterWait(t *testing.T) {
	var logs strings.Builder
	m := newMock(t, WithLogger(jsonLogger(&logs)), WithRateLimiter(sleepyLimiter{30 * time.Millisecond}))
	m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(*http.Request) (*http.Response, error) {
		return httpmockResponse(200, seedRoles), nil
	})
	_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter", "wesley"}})
	require.NoError(t, err)
	var rec struct {
		Duration    time.Duration `json:"duration"`
		LimiterWait time.Duration `json:"limiter_wait"`
	}
	require.NoError(t, json.Unmarshal([]byte(logs.String()), &rec))
	assert.GreaterOrEqual(t, rec.LimiterWait, 30*time.Millisecond)
	assert.Positive(t, rec.Duration)
}

func httpmockResponse(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
}
