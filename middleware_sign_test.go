package tim_test

// A middleware cannot borrow the signature: only the request the client
// built for an attempt (its host, path and query), once, is signed. A
// request a middleware makes of its own through next, with the client's
// context and the placeholder, goes out unsigned, wherever it goes.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// borrower is a middleware that, before passing each request on, sends one
// of its own through next: a copy of the client's request with its URL
// changed by rewrite, and the client's context.
func borrower(rewrite func(u *url.URL)) tim.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			own := r.Clone(r.Context())
			u := *r.URL
			rewrite(&u)
			own.URL, own.Host, own.Body = &u, "", http.NoBody
			if resp, err := next.RoundTrip(own); err == nil {
				resp.Body.Close()
			}
			return next.RoundTrip(r)
		})
	}
}

func TestMiddlewareCannotBorrowTheSignature(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var elsewhere []string // the usersig values another host received
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere = append(elsewhere, r.URL.Query().Get("usersig"))
		mu.Unlock()
	}))
	defer other.Close()
	otherURL, err := url.Parse(other.URL)
	require.NoError(t, err)

	for name, rewrite := range map[string]func(*url.URL){
		"to another host": func(u *url.URL) { u.Host = otherURL.Host },
		"another command on the same host": func(u *url.URL) {
			u.Path = strings.Replace(u.Path, tim.CommandGetRoleInGroup, tim.CommandDestroyPermissionGroup, 1)
		},
		"the same command with another query": func(u *url.URL) { u.RawQuery += "&x=1" },
		"the same request, sent first":        func(*url.URL) {},
	} {
		t.Run(name, func(t *testing.T) {
			srv, _ := seamServer(t)
			mu.Lock()
			elsewhere = nil
			mu.Unlock()
			rec := newSigRecorder(t, srv)
			c, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithUserSigner(rec),
				tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}), tim.WithMiddleware(borrower(rewrite)))
			require.NoError(t, err)
			defer c.Close()

			_, _ = c.RoleOf(ctx, seamGroup, "owner")
			mu.Lock()
			for _, sig := range elsewhere {
				assert.Equal(t, "[redacted]", sig, "another host got the placeholder only")
			}
			mu.Unlock()
			signed := 0
			for _, r := range srv.Requests() {
				if r.UserSigValid {
					signed++
					assert.Equal(t, tim.CommandGetRoleInGroup, r.Command)
				}
			}
			assert.LessOrEqual(t, signed, 1, "one request signed per attempt")
			for _, r := range srv.RequestsFor(tim.CommandDestroyPermissionGroup) {
				assert.False(t, r.UserSigValid, "the borrowed command was not signed")
			}
		})
	}

	t.Run("the client's own request is signed once, even when sent twice", func(t *testing.T) {
		srv, _ := seamServer(t)
		twice := func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				again := r.Clone(r.Context())
				again.Body = http.NoBody
				if resp, err := next.RoundTrip(r); err == nil {
					resp.Body.Close()
				}
				return next.RoundTrip(again)
			})
		}
		c, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithSecretKey(srv.SecretKey()),
			tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}), tim.WithMiddleware(twice))
		require.NoError(t, err)
		defer c.Close()
		_, _ = c.RoleOf(ctx, seamGroup, "owner")
		reqs := srv.RequestsFor(tim.CommandGetRoleInGroup)
		require.Len(t, reqs, 2)
		assert.True(t, reqs[0].UserSigValid)
		assert.False(t, reqs[1].UserSigValid, "the second send went unsigned")
	})
}
