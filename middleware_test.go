package tim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/davecgh/go-spew/spew"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// observer is a middleware that keeps everything it is shown, as a tracer
// would: the request, its URL, the response, the error.
type observer struct {
	name string
	mu   sync.Mutex
	seen []string
	log  *[]string // shared between observers: the order they ran in
}

func (o *observer) wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		o.mu.Lock()
		*o.log = append(*o.log, o.name+" in")
		o.seen = append(o.seen, r.URL.String(), deepSpew.Sdump(r))
		o.mu.Unlock()
		resp, err := next.RoundTrip(r)
		o.mu.Lock()
		defer o.mu.Unlock()
		*o.log = append(*o.log, o.name+" out")
		deep := deepSpew
		if resp != nil {
			// The whole response, as a tracer that keeps it might print it:
			// its body must not lead back to the signed request.
			o.seen = append(o.seen, resp.Request.URL.String(), fmt.Sprint(resp.Header), deep.Sdump(resp))
		}
		if err != nil {
			o.seen = append(o.seen, err.Error(), deep.Sdump(err))
		}
		return resp, err
	})
}

// deepSpew dumps like testify's diffs: methods off, no depth limit.
var deepSpew = &spew.ConfigState{DisableMethods: true, DisablePointerMethods: true}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMiddlewareNeverSeesTheUserSig(t *testing.T) {
	srv, _ := seamServer(t)
	var order []string
	outer, inner := &observer{name: "outer", log: &order}, &observer{name: "inner", log: &order}
	rec := newSigRecorder(t, srv)
	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithUserSigner(rec),
		tim.WithRetryPolicy(timtest.FastRetries()),
		tim.WithMiddleware(outer.wrap), tim.WithMiddleware(inner.wrap))
	require.NoError(t, err)
	defer client.Close()
	ctx := context.Background()

	role, err := client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleOwner, role, "the request was signed below the middleware")
	assert.Equal(t, []string{"outer in", "inner in", "inner out", "outer out"}, order, "the first given is the outermost")
	reqs := srv.RequestsFor(tim.CommandGetRoleInGroup)
	require.Len(t, reqs, 1)
	assert.True(t, reqs[0].UserSigValid)

	// Failures come back through the middleware too: a dropped connection,
	// retried, and a 502.
	require.NoError(t, srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Drop: true}))
	require.NoError(t, srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Status: 502}))
	_, err = client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)

	u, err := url.Parse(outer.seen[0])
	require.NoError(t, err)
	assert.Equal(t, "[redacted]", u.Query().Get("usersig"), "the placeholder")
	assert.NotEmpty(t, u.Query().Get("random"))
	for _, o := range []*observer{outer, inner} {
		assert.Empty(t, leaks(strings.Join(o.seen, "\n"), srv.SecretKey(), rec.sigs()), o.name)
	}

	// A middleware's own error reaches the caller as a TransportError.
	failing := func(http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("circuit open") })
	}
	c2, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithSecretKey(srv.SecretKey()),
		tim.WithMiddleware(failing), tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = c2.RoleOf(ctx, seamGroup, "owner")
	var te *tim.TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "circuit open")

	_, err = tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("k"), tim.WithMiddleware(nil))
	assert.Error(t, err)
}
