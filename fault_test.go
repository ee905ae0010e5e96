package tim_test

// The fault matrix: every fault the fake can serve, alone and in sequence,
// against a client retrying with short backoffs, with the outcome and the
// number of requests each call sent. Then a scan of everything the matrix
// logged or returned for secrets, and the deadline and concurrency tests.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/timing"
	"github.com/timkit/tim/timtest"
)

const cmdRole = "get_role_in_group"

// matrixPolicy is the default policy with backoffs of a few milliseconds.
var matrixPolicy = tim.RetryPolicy{BaseDelay: time.Millisecond, RateLimitDelay: 3 * time.Millisecond, MaxDelay: 5 * time.Millisecond}

// recordingSigner is a KeySigner that remembers every UserSig it handed out.
type recordingSigner struct {
	*tim.KeySigner
	mu   sync.Mutex
	sigs []string
}

func (r *recordingSigner) UserSig(ctx context.Context) (string, error) {
	sig, err := r.KeySigner.UserSig(ctx)
	r.mu.Lock()
	r.sigs = append(r.sigs, sig)
	r.mu.Unlock()
	return sig, err
}

func (r *recordingSigner) handedOut() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sigs...)
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func isAPIError(code tim.ErrorCode) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var e *tim.APIError
		require.ErrorAs(t, err, &e)
		assert.Equal(t, code, e.Code)
	}
}

func isHTTPError(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var e *tim.HTTPError
		require.ErrorAs(t, err, &e)
		assert.Equal(t, status, e.StatusCode)
	}
}

func isDecodeError(t *testing.T, err error) {
	t.Helper()
	var e *tim.DecodeError
	require.ErrorAs(t, err, &e)
}

func isTransportError(t *testing.T, err error) {
	t.Helper()
	var e *tim.TransportError
	require.ErrorAs(t, err, &e)
	assert.NotErrorIs(t, err, tim.ErrAttemptTimeout)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
}

func isAttemptTimeout(t *testing.T, err error) {
	t.Helper()
	var e *tim.TransportError
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, tim.ErrAttemptTimeout)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context did not expire")
}

var (
	drop       = timtest.Fault{Drop: true}
	badGateway = timtest.Fault{Status: http.StatusBadGateway}
	internal   = timtest.Fault{Code: tim.ErrInternal}
	rateLimit  = timtest.Fault{Code: tim.ErrRateLimitExceeded}
	expiredSig = timtest.Fault{Code: tim.ErrUserSigExpired}
	hang       = timtest.Fault{Delay: time.Minute} // far beyond the 100 ms per-attempt timeout the matrix gives such an attempt
)

func times(n int, f timtest.Fault) []timtest.Fault {
	out := make([]timtest.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

func seq(groups ...[]timtest.Fault) []timtest.Fault {
	var out []timtest.Fault
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// matrixCase is one row of the fault matrix.
type matrixCase struct {
	name     string
	faults   []timtest.Fault // served to consecutive requests, then normal answers
	policy   *tim.RetryPolicy
	static   bool                    // sign with a StaticUserSig, which cannot be renewed
	check    func(*testing.T, error) // nil: the call succeeds
	attempts int                     // requests the call sends
	rateWait bool                    // a retry waited for the rate-limit backoff
}

var faultMatrix = []matrixCase{
	{name: "no fault", attempts: 1},
	{name: "10002 internal error", faults: times(1, internal), attempts: 2},
	{name: "10002 ×3", faults: times(3, internal), check: isAPIError(tim.ErrInternal), attempts: 3},
	{name: "60008 server timeout", faults: times(1, timtest.Fault{Code: tim.ErrServerTimeout}), attempts: 2},
	{name: "70500 internal error", faults: times(1, timtest.Fault{Code: tim.ErrAuthServiceError}), attempts: 2},
	{name: "10010 group not found (not retryable)", faults: times(1, timtest.Fault{Code: tim.ErrGroupNotFound}), check: isAPIError(tim.ErrGroupNotFound), attempts: 1},
	{name: "502 page", faults: times(1, badGateway), attempts: 2},
	{name: "502 ×3", faults: times(3, badGateway), check: isHTTPError(502), attempts: 3},
	{name: "503 page", faults: times(1, timtest.Fault{Status: http.StatusServiceUnavailable}), attempts: 2},
	{name: "404 page (not retryable)", faults: times(1, timtest.Fault{Status: http.StatusNotFound}), check: isHTTPError(404), attempts: 1},
	{name: "429", faults: times(1, timtest.Fault{Status: http.StatusTooManyRequests}), attempts: 2, rateWait: true},
	{name: "dropped connection", faults: times(1, drop), attempts: 2},
	{name: "dropped connection ×3", faults: times(3, drop), check: isTransportError, attempts: 3},
	{name: "dropped after applying", faults: times(1, timtest.Fault{Drop: true, AfterApply: true}), attempts: 2},
	{name: "60007 rate limit", faults: times(1, rateLimit), attempts: 2, rateWait: true},
	{name: "60007 ×3", faults: times(3, rateLimit), check: isAPIError(tim.ErrRateLimitExceeded), attempts: 3, rateWait: true},
	{name: "10006 group rate limit", faults: times(1, timtest.Fault{Code: tim.ErrGroupRateLimited}), attempts: 2, rateWait: true},
	{name: "truncated JSON (not retried)", faults: times(1, timtest.Fault{Truncate: true}), check: isDecodeError, attempts: 1},
	{name: "non-JSON body (not retried)", faults: times(1, timtest.Fault{NotJSON: true}), check: isDecodeError, attempts: 1},
	{name: "delay within the per-attempt timeout", faults: times(1, timtest.Fault{Delay: 20 * time.Millisecond}), attempts: 1},
	{name: "delay beyond the per-attempt timeout", faults: times(1, hang), attempts: 2},
	{name: "delay beyond the per-attempt timeout ×3", faults: times(3, hang), check: isAttemptTimeout, attempts: 3},
	{name: "70001 expired UserSig", faults: times(1, expiredSig), attempts: 2},
	{name: "70052 invalidated UserSig", faults: times(1, timtest.Fault{Code: tim.ErrUserSigInvalidated}), attempts: 2},
	{name: "70001 ×2 (renewed once only)", faults: times(2, expiredSig), check: isAPIError(tim.ErrUserSigExpired), attempts: 2},
	{name: "70001 with a static UserSig", faults: times(1, expiredSig), static: true, check: isAPIError(tim.ErrUserSigExpired), attempts: 1},
	{name: "502, 10002, then OK", faults: seq(times(1, badGateway), times(1, internal)), attempts: 3},
	{name: "60007, drop, then OK", faults: seq(times(1, rateLimit), times(1, drop)), attempts: 3, rateWait: true},
	{name: "70001, 10002 ×2, then OK (the renewal is not counted)", faults: seq(times(1, expiredSig), times(2, internal)), attempts: 4},
	{name: "drop, 502, 10002 (out of attempts)", faults: seq(times(1, drop), times(1, badGateway), times(1, internal)), check: isAPIError(tim.ErrInternal), attempts: 3},
	{name: "no retries: 502", faults: times(1, badGateway), policy: &tim.RetryPolicy{MaxAttempts: 1}, check: isHTTPError(502), attempts: 1},
	{name: "no retries: 70001 is still renewed", faults: times(1, expiredSig), policy: &tim.RetryPolicy{MaxAttempts: 1}, attempts: 2},
	{name: "5 attempts: drop ×4, then OK", faults: times(4, drop), policy: &tim.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}, attempts: 5},
}

// TestFaultMatrix runs every row of faultMatrix against the fake, then
// scans all the logs and errors it produced for secrets.
func TestFaultMatrix(t *testing.T) {
	var (
		logs     syncBuffer
		errTexts []string
		sigs     []string
		key      string
		table    strings.Builder // the matrix as markdown, printed with -v
	)
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	table.WriteString("| fault | outcome | attempts |\n|---|---|---|\n")

	for _, tc := range faultMatrix {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := seeded(t)
			key = srv.SecretKey()
			var caseLogs syncBuffer
			caseLogger := slog.New(slog.NewJSONHandler(&caseLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			policy := matrixPolicy
			if tc.policy != nil {
				policy = *tc.policy
			}
			opts := []tim.Option{tim.WithRetryPolicy(policy), tim.WithLogger(slog.New(fanout{logger.Handler(), caseLogger.Handler()}))}
			var signer *recordingSigner
			if tc.static {
				sig, err := tim.GenerateUserSig(srv.SDKAppID(), srv.SecretKey(), srv.Admin(), time.Now(), time.Hour)
				require.NoError(t, err)
				sigs = append(sigs, sig)
				opts = append(opts, tim.WithUserSigner(mustStatic(sig)))
			} else {
				ks, err := tim.NewKeySigner(srv.SDKAppID(), srv.SecretKey(), srv.Admin())
				require.NoError(t, err)
				signer = &recordingSigner{KeySigner: ks}
				opts = append(opts, tim.WithUserSigner(signer))
			}
			client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), append([]tim.Option{tim.WithBaseURL(srv.URL())}, opts...)...)
			require.NoError(t, err)
			// An attempt meant to hang gets 100 ms; every other one the
			// default 10 s, so that a busy machine does not time it out.
			var timeouts []time.Duration
			for _, f := range tc.faults {
				timeouts = append(timeouts, tim.DefaultTimeout)
				if f == hang {
					timeouts[len(timeouts)-1] = 100 * time.Millisecond
				}
			}
			tim.SetAttemptTimeouts(client, timeouts...)
			for _, f := range tc.faults {
				require.NoError(t, srv.FailNext(cmdRole, 1, f))
			}

			roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy", "peter", "nobody"}})
			if signer != nil {
				sigs = append(sigs, signer.handedOut()...)
			}
			outcome := "success"
			if tc.check == nil {
				require.NoError(t, err)
				assert.Equal(t, []tim.MemberRole{{"amy", tim.RoleAdmin}, {"peter", tim.RoleMember}, {"nobody", tim.RoleNotMember}}, roles)
			} else {
				require.Error(t, err)
				assert.Nil(t, roles)
				tc.check(t, err)
				errTexts = append(errTexts, err.Error(), fmt.Sprintf("%v|%+v|%#v|%s|%q", err, err, err, err, err))
				outcome = errorKind(err)
				assert.Equal(t, tc.attempts, attemptsOf(err), "the error's Attempts")
				if tc.attempts > 1 {
					assert.Contains(t, err.Error(), fmt.Sprintf("after %d attempts", tc.attempts))
				}
			}

			// The fake records a request it delayed once it notices the
			// client left, which may be just after the call returned.
			assert.Eventually(t, func() bool { return len(srv.RequestsFor(cmdRole)) >= tc.attempts }, 5*time.Second, time.Millisecond)
			reqs := srv.RequestsFor(cmdRole)
			assert.Equal(t, tc.attempts, len(reqs), "requests at the fake")
			records := strings.Count(caseLogs.String(), `"msg":"tim request"`)
			assert.Equal(t, tc.attempts, records, "one log record per attempt")
			for i, r := range reqs {
				assert.True(t, r.UserSigValid || r.ErrorCode == tim.ErrUserSigExpired, "request %d signed", i)
			}
			randoms := map[string]bool{}
			for _, r := range reqs {
				randoms[r.Query.Get("random")] = true
			}
			assert.Len(t, randoms, len(reqs), "a fresh random for every attempt")
			assert.Equal(t, tc.rateWait, strings.Contains(caseLogs.String(), `"retry_reason":"rate_limited"`), "rate-limit backoff")
			fmt.Fprintf(&table, "| %s | %s | %d |\n", tc.name, outcome, len(reqs))
		})
	}

	t.Run("no secret in any log record or error", func(t *testing.T) {
		require.NotEmpty(t, key)
		require.NotEmpty(t, sigs)
		require.NotEmpty(t, errTexts)
		require.NotEmpty(t, logs.String())
		texts := map[string]string{"logs": logs.String(), "errors": strings.Join(errTexts, "\n")}
		for name, text := range texts {
			assert.NotContains(t, text, key, name)
			assert.NotContains(t, strings.ToLower(text), "usersig=", name)
			for _, sig := range sigs {
				assert.NotContains(t, text, sig, name)
				assert.NotContains(t, text, url.QueryEscape(sig), name)
			}
		}
	})
	t.Log("\n" + table.String())
}

// onRecord is a slog.Handler that calls fn with every record.
type onRecord func(slog.Record)

func (onRecord) Enabled(context.Context, slog.Level) bool        { return true }
func (f onRecord) Handle(_ context.Context, r slog.Record) error { f(r); return nil }
func (f onRecord) WithAttrs([]slog.Attr) slog.Handler            { return f }
func (f onRecord) WithGroup(string) slog.Handler                 { return f }

// fanout sends each record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}

func (f fanout) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(attrs)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// errorKind names the typed error of a failed call.
func errorKind(err error) string {
	var (
		apiErr    *tim.APIError
		httpErr   *tim.HTTPError
		decodeErr *tim.DecodeError
		transErr  *tim.TransportError
	)
	switch {
	case errors.As(err, &apiErr):
		return fmt.Sprintf("`*APIError` %d", int(apiErr.Code))
	case errors.As(err, &httpErr):
		return fmt.Sprintf("`*HTTPError` %d", httpErr.StatusCode)
	case errors.As(err, &decodeErr):
		return "`*DecodeError`"
	case errors.Is(err, tim.ErrAttemptTimeout):
		return "`*TransportError` (`ErrAttemptTimeout`)"
	case errors.As(err, &transErr):
		return "`*TransportError`"
	}
	return "other: " + err.Error()
}

// attemptsOf returns the Attempts field of a call's typed error.
func attemptsOf(err error) int {
	var (
		apiErr    *tim.APIError
		httpErr   *tim.HTTPError
		decodeErr *tim.DecodeError
		transErr  *tim.TransportError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr.Attempts
	case errors.As(err, &httpErr):
		return httpErr.Attempts
	case errors.As(err, &decodeErr):
		return decodeErr.Attempts
	case errors.As(err, &transErr):
		return transErr.Attempts
	}
	return -1
}

// TestDeadline: a server that hangs, and backoffs, never hold a call past
// the caller's deadline. How long each call took is asserted only with
// TIM_TIMING_TESTS=1 (tookLess); without it, a call that sat out the
// hour-long delay or backoff would still fail, at the test's timeout.
func TestDeadline(t *testing.T) {
	const deadline, margin = 100 * time.Millisecond, time.Second

	t.Run("a hanging server returns the context's error", func(t *testing.T) {
		srv, _ := seeded(t)
		// The default 10 s per-attempt timeout and retry policy (not
		// timtest.FastRetries(), which srv.NewClient would add).
		client, err := srv.NewClient(tim.WithRetryPolicy(tim.DefaultRetryPolicy()))
		require.NoError(t, err)
		require.NoError(t, srv.FailNext(cmdRole, 1, timtest.Fault{Delay: time.Hour}))
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		start := time.Now()
		_, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		took := time.Since(start)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, tim.ErrAttemptTimeout)
		var te *tim.TransportError
		require.ErrorAs(t, err, &te)
		assert.False(t, te.Retryable())
		tookLess(t, took, deadline+margin)
		assert.Equal(t, 1, te.Attempts, "not retried after the deadline")
		// The fake records the request once it notices the client left.
		require.Eventually(t, func() bool { return len(srv.RequestsFor(cmdRole)) > 0 }, 5*time.Second, time.Millisecond)
		assert.Equal(t, 1, len(srv.RequestsFor(cmdRole)))
	})
	t.Run("a deadline with a cause still matches DeadlineExceeded", func(t *testing.T) {
		srv, client := seeded(t)
		require.NoError(t, srv.FailNext(cmdRole, 1, timtest.Fault{Delay: time.Hour}))
		cause := errors.New("the request handler's budget ran out")
		ctx, cancel := context.WithTimeoutCause(context.Background(), deadline, cause)
		defer cancel()
		start := time.Now()
		_, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		tookLess(t, time.Since(start), deadline+margin)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("cancelled during the backoff", func(t *testing.T) {
		srv, _ := seeded(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Cancel once the client logs that it will retry: it is then going
		// into (or in) its hour-long backoff.
		client, err := srv.NewClient(
			tim.WithRetryPolicy(tim.RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}),
			tim.WithLogger(slog.New(onRecord(func(r slog.Record) {
				if r.Level == slog.LevelInfo {
					cancel()
				}
			}))))
		require.NoError(t, err)
		require.NoError(t, srv.FailNext(cmdRole, 1, internal))
		start := time.Now()
		_, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		tookLess(t, time.Since(start), deadline+margin, "the backoff sleep ends with the context")
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, err, tim.ErrInternal, "the last failure is kept")
		var apiErr *tim.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 1, apiErr.Attempts)
		assert.Equal(t, 1, len(srv.RequestsFor(cmdRole)), "no retry after the context is done")
	})
	t.Run("a backoff that would pass the deadline is not waited for", func(t *testing.T) {
		srv, _ := seeded(t)
		client, err := srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}))
		require.NoError(t, err)
		require.NoError(t, srv.FailNext(cmdRole, 1, internal))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		tookLess(t, time.Since(start), margin)
		require.ErrorIs(t, err, tim.ErrInternal, "the last failure, at once")
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, len(srv.RequestsFor(cmdRole)))
	})
	t.Run("an already expired context sends nothing", func(t *testing.T) {
		srv, client := seeded(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		require.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, srv.RequestsFor(cmdRole))
	})
}

// tookLess asserts that took is under limit, when the timing tests run
// (TIM_TIMING_TESTS=1): a wall-clock duration is no promise on a busy
// machine.
func tookLess(t *testing.T, took, limit time.Duration, msgAndArgs ...any) {
	t.Helper()
	if timing.Enabled() {
		assert.Less(t, took, limit, msgAndArgs...)
	}
}

// TestConcurrentCallsThroughFaults shares one client between 100
// goroutines while the fake serves a mix of faults, and checks every
// result, the failures the non-retryable faults cause, and that no
// goroutine is left behind.
func TestConcurrentCallsThroughFaults(t *testing.T) {
	before := runtime.NumGoroutine()

	const callers = 100
	srv := timtest.NewServer()
	require.NoError(t, srv.CreateCommunity(community, "leckie"))
	roles := make([]tim.Role, callers)
	for i := range callers {
		roles[i] = []tim.Role{tim.RoleAdmin, tim.RoleMember}[i%2]
		require.NoError(t, srv.AddMember(community, fmt.Sprintf("m%d", i), roles[i]))
	}
	// Faults that fail one attempt, which the client retries. (Not 70001: a
	// call renews its UserSig only once, so meeting two would end it.)
	retryable := []timtest.Fault{internal, badGateway, drop, rateLimit, {Status: http.StatusTooManyRequests}, {Code: tim.ErrInternal, AfterApply: true}}
	const perKind, delayed, fatal = 8, 8, 5
	for _, f := range retryable {
		require.NoError(t, srv.FailNext(cmdRole, perKind, f))
	}
	require.NoError(t, srv.FailNext(cmdRole, delayed, timtest.Fault{Delay: 5 * time.Millisecond})) // answered, late
	require.NoError(t, srv.FailNext(cmdRole, fatal, timtest.Fault{NotJSON: true}))                 // ends a call: not retried

	transport := http.DefaultTransport.(*http.Transport).Clone()
	client, err := srv.NewClient(
		tim.WithHTTPClient(&http.Client{Transport: transport}),
		// One call may meet every retryable fault in a row.
		tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: len(retryable)*perKind + 1, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}),
		tim.WithRateLimit(10000, callers),
		tim.WithMaxConcurrency(4),
	)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make([]error, callers)
	got := make([][]tim.MemberRole, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{fmt.Sprintf("m%d", i), fmt.Sprintf("x%d", i)}})
		}()
	}
	wg.Wait()

	failed := 0
	for i := range callers {
		if errs[i] != nil {
			failed++
			var de *tim.DecodeError
			assert.ErrorAs(t, errs[i], &de, "caller %d", i)
			continue
		}
		assert.Equal(t, []tim.MemberRole{{fmt.Sprintf("m%d", i), roles[i]}, {fmt.Sprintf("x%d", i), tim.RoleNotMember}}, got[i], "caller %d", i)
	}
	assert.Equal(t, fatal, failed, "exactly the calls that met a non-JSON body failed")
	assert.Equal(t, callers+len(retryable)*perKind, len(srv.RequestsFor(cmdRole)), "one request per call, plus one per retryable fault")

	transport.CloseIdleConnections()
	srv.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

// A Timeout on the caller's http.Client bounds each attempt like WithTimeout:
// running out of it is an attempt timeout, retried, not the caller's deadline.
// (Every attempt hangs here, so no answer has to beat the 50 ms.)
func TestHTTPClientTimeoutIsAnAttemptTimeout(t *testing.T) {
	srv := timtest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.CreateCommunity("@TGS#_c", "owner"))
	client, err := srv.NewClient(tim.WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}), tim.WithRetryPolicy(matrixPolicy))
	require.NoError(t, err)
	require.NoError(t, srv.FailNext(cmdRole, 3, timtest.Fault{Delay: time.Hour}))
	_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_c", Accounts: []string{"owner"}})
	require.ErrorIs(t, err, tim.ErrAttemptTimeout)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context had no deadline")
	var te *tim.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 3, te.Attempts, "each timed-out attempt was retried")
	assert.Eventually(t, func() bool { return len(srv.RequestsFor(cmdRole)) == 3 }, 5*time.Second, time.Millisecond)
}
