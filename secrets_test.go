package tim_test

// The secret scan: after successful and failed calls, nothing a caller can
// print or marshal — errors, clients, the fake, its records, log lines, in
// every fmt verb, through spew with methods disabled and no depth limit,
// through testify's diffs, through encoding/json — holds the secret key,
// any UserSig handed out (raw, query-escaped or path-escaped) or a signed
// query ("usersig=" with a real value).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/davecgh/go-spew/spew"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// sigRecorder is a KeySigner that remembers every signature it hands out,
// behind a closure so that the scan does not find them in the recorder
// itself.
type sigRecorder struct {
	*tim.KeySigner
	add  func(string)
	sigs func() []string
}

func newSigRecorder(t *testing.T, srv *timtest.Server) *sigRecorder {
	ks, err := tim.NewKeySigner(srv.SDKAppID(), srv.SecretKey(), srv.Admin())
	require.NoError(t, err)
	var mu sync.Mutex
	var sigs []string
	return &sigRecorder{
		KeySigner: ks,
		add:       func(s string) { mu.Lock(); sigs = append(sigs, s); mu.Unlock() },
		sigs:      func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), sigs...) },
	}
}

func (r *sigRecorder) UserSig(ctx context.Context) (string, error) {
	s, err := r.KeySigner.UserSig(ctx)
	if err == nil {
		r.add(s)
	}
	return s, err
}

// leaks lists what of secrets text holds, in every form: the key, and
// each signature raw, query- or path-escaped, or any run of minRun of its
// bytes, in any case, in text or in what text becomes with its percent
// escapes decoded once or more; and "usersig=" in any case or escaping
// with anything but the placeholder after it.
func leaks(text string, key string, sigs []string) []string {
	var found []string
	needles := []string{key}
	for _, s := range sigs {
		needles = append(needles, s, url.QueryEscape(s), url.PathEscape(s))
	}
	for _, n := range needles {
		if n != "" && strings.Contains(text, n) {
			found = append(found, n)
		}
	}
	for _, level := range decodings(text) {
		lower := strings.ToLower(level)
		for _, s := range sigs {
			s = strings.ToLower(s)
			for i := 0; i+minRun <= len(s); i++ {
				if strings.Contains(lower, s[i:i+minRun]) {
					found = append(found, "a run of a UserSig: "+s[i:i+minRun])
					break
				}
			}
		}
		for rest := lower; ; {
			i := strings.Index(rest, "usersig=")
			if i < 0 {
				break
			}
			rest = rest[i+len("usersig="):]
			if !strings.HasPrefix(rest, "%5bredacted%5d") && !strings.HasPrefix(rest, "[redacted]") {
				found = append(found, "usersig="+rest[:min(len(rest), 20)])
			}
		}
	}
	return slices.Compact(found)
}

// minRun is the shortest run of a UserSig that leaks counts.
const minRun = 12

// decodings is text and what it becomes with its percent escapes decoded
// once, twice, … until nothing changes.
func decodings(text string) []string {
	out := []string{text}
	for range 4 {
		var b strings.Builder
		for i := 0; i < len(text); i++ {
			if text[i] == '%' && i+2 < len(text) {
				if v, err := strconv.ParseUint(text[i+1:i+3], 16, 8); err == nil {
					b.WriteByte(byte(v))
					i += 2
					continue
				}
			}
			b.WriteByte(text[i])
		}
		if b.String() == text {
			break
		}
		text = b.String()
		out = append(out, text)
	}
	return out
}

// dumps is every printed and marshalled form of v.
func dumps(v any) string {
	var b strings.Builder
	deep := spew.ConfigState{DisableMethods: true, DisablePointerMethods: true, MaxDepth: 0, Indent: " "}
	b.WriteString(deep.Sdump(v))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		fmt.Fprintf(&b, verb+"\n", v)
	}
	if js, err := json.Marshal(v); err == nil {
		b.Write(js)
	}
	if err, ok := v.(error); ok {
		b.WriteString(err.Error())
		for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
			b.WriteString(deep.Sdump(u))
		}
	}
	return b.String()
}

// testifyOutput is what a failed testify assertion prints.
type testifyOutput struct{ strings.Builder }

func (o *testifyOutput) Errorf(format string, args ...any) { fmt.Fprintf(&o.Builder, format, args...) }

// echoTransport answers as a misbehaving proxy might: its error quotes the
// signed URL query-escaped, or keeps the request in a field.
type echoTransport struct{ mode string }

type requestError struct{ req *http.Request }

func (e *requestError) Error() string { return "upstream refused the request" }

// echoModes are the ways echoTransport quotes the signed request.
var echoModes = []string{"plain", "escaped", "escaped twice", "upper case", "sig escaped twice", "a run", "path", "field"}

func (e echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	sig := r.URL.Query().Get("usersig")
	switch e.mode {
	case "escaped": // issue 17's case: runs of the sig between the escapes
		return nil, errors.New("proxy error for " + url.QueryEscape(r.URL.String()))
	case "escaped twice":
		return nil, errors.New("proxy error for " + url.QueryEscape(url.QueryEscape(r.URL.String())))
	case "upper case":
		return nil, errors.New("PROXY ERROR FOR " + strings.ToUpper(r.URL.String()))
	case "sig escaped twice":
		return nil, errors.New("bad token " + url.QueryEscape(url.QueryEscape(sig)))
	case "a run":
		return nil, errors.New("bad token …" + sig[len(sig)/2:len(sig)/2+16] + "…")
	case "path":
		return nil, fmt.Errorf("bad path %s", url.PathEscape(r.URL.Query().Get("usersig")))
	case "field":
		return nil, &requestError{req: r}
	default:
		return nil, fmt.Errorf("failed: %s", r.URL)
	}
}

func TestSecretScan(t *testing.T) {
	srv, _ := seamServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := newSigRecorder(t, srv)
	newClient := func(opts ...tim.Option) *tim.Client {
		all := append([]tim.Option{tim.WithBaseURL(srv.URL()), tim.WithUserSigner(rec), tim.WithLogger(logger),
			tim.WithRetryPolicy(timtest.FastRetries())}, opts...)
		c, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), all...)
		require.NoError(t, err)
		return c
	}
	c1, c2 := newClient(), newClient()
	ctx := context.Background()
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	// Successful calls on both clients.
	for _, c := range []*tim.Client{c1, c2} {
		_, err := c.RoleOf(ctx, seamGroup, "alice")
		require.NoError(t, err)
		_, err = c.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: seamGroup})
		require.NoError(t, err)
		for _, err := range c.AllPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG}) {
			require.NoError(t, err)
		}
	}
	// Failed calls: every fault kind of the fake, a renewal, bad input.
	once := newClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	for _, f := range []timtest.Fault{{Code: tim.ErrInternal}, {Status: 502}, {Drop: true}, {Truncate: true}, {NotJSON: true}, {Code: tim.ErrGroupNotFound}} {
		require.NoError(t, srv.FailNext(tim.CommandGetRoleInGroup, 1, f))
		_, err := once.RoleOf(ctx, seamGroup, "alice")
		require.Error(t, err, "%+v", f)
		keep(err)
	}
	// 70001 twice: a renewal, then the failure.
	require.NoError(t, srv.FailNext(tim.CommandGetRoleInGroup, 2, timtest.Fault{Code: tim.ErrUserSigExpired}))
	_, err := once.RoleOf(ctx, seamGroup, "alice")
	require.ErrorIs(t, err, tim.ErrUserSigExpired)
	keep(err)
	keep(c1.AddPermissionGroupMember(ctx, seamGroup, seamPG, "alice")) // 10013, an item error
	keep(c1.DestroyPermissionGroup(ctx, seamGroup, "@PMG#_missing"))
	_, err = c1.RoleOf(ctx, seamGroup, "")
	keep(err)
	// Transports of the caller's that quote or hold the signed URL.
	for _, mode := range echoModes {
		c := newClient(tim.WithHTTPClient(&http.Client{Transport: echoTransport{mode}}), tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
		_, err := c.RoleOf(ctx, seamGroup, "alice")
		require.Error(t, err)
		keep(err)
	}
	// A server that echoes the signature in its texts.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig := r.URL.Query().Get("usersig")
		if strings.Contains(r.URL.Path, "get_permission_group_member_list") {
			fmt.Fprintf(w, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"a","NameCard":%q}],"Next":""}`, sig)
			return
		}
		if strings.Contains(r.URL.Path, "destroy_permission_group") {
			fmt.Fprintf(w, `{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupResultList":[{"PermissionGroupId":"@PMG#_x","ErrorCode":10004,"ErrorInfo":"bad %s"}]}`, url.QueryEscape(sig))
			return
		}
		fmt.Fprintf(w, `{"ActionStatus":"FAIL","ErrorCode":10004,"ErrorInfo":"invalid usersig=%s","ErrorDisplay":%q}`, url.QueryEscape(sig), sig)
	}))
	defer echo.Close()
	ce, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(echo.URL), tim.WithUserSigner(rec), tim.WithLogger(logger))
	require.NoError(t, err)
	_, err = ce.RoleOf(ctx, seamGroup, "alice")
	require.Error(t, err)
	var apiErr *tim.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Info, "[redacted]", "the server's text is redacted")
	keep(err)
	keep(ce.DestroyPermissionGroup(ctx, seamGroup, "@PMG#_x"))
	var members []tim.PermissionGroupMember
	for m, err := range ce.AllPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG}) {
		require.NoError(t, err)
		members = append(members, m)
	}
	require.Len(t, members, 1)
	assert.Equal(t, "[redacted]", members[0].NameCard)

	sigs := rec.sigs()
	require.GreaterOrEqual(t, len(sigs), 2, "a renewal made a second signature")
	require.Len(t, errs, 12+len(echoModes))

	var out testifyOutput
	assert.Equal(&out, c1, c2)
	srv2 := timtest.NewServer()
	defer srv2.Close()
	assert.Equal(&out, srv, srv2)
	assert.Equal(&out, srv.Requests(), srv2.Requests())
	assert.Equal(&out, errs, []error{})
	require.Contains(t, out.String(), "Diff:", "the assertions failed and printed their diffs")

	targets := map[string]string{
		"testify diffs": out.String(),
		"client":        dumps(c1),
		"client value":  dumps(*c1),
		"server":        dumps(srv),
		"records":       dumps(srv.Requests()),
		"members":       dumps(members),
		"logs":          logs.String(),
	}
	for i, err := range errs {
		targets[fmt.Sprintf("error %d (%T): %v", i, err, err)] = dumps(err)
	}
	for name, text := range targets {
		assert.Empty(t, leaks(text, srv.SecretKey(), sigs), "%s", name)
	}
}

// A caller's transport that quotes the signed URL query-escaped gets its
// text redacted, and one that keeps the request gets its error value
// dropped; both still say what happened.
func TestWithheldTransportErrorsKeepTheirClass(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		return nil, &requestError{req: r}
	})
	sig, err := tim.GenerateUserSig(1400000000, "key", "admin", time.Now(), time.Hour)
	require.NoError(t, err)
	signer, err := tim.StaticUserSig(sig)
	require.NoError(t, err)
	c, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithUserSigner(signer),
		tim.WithHTTPClient(&http.Client{Transport: mt}), tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c.RoleOf(context.Background(), seamGroup, "alice")
	var te *tim.TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "upstream refused the request")
	assert.Contains(t, err.Error(), "withheld")
	var held *requestError
	assert.False(t, errors.As(err, &held), "the value that held the request is gone")
	assert.Empty(t, leaks(dumps(err), "", []string{sig}))
}
