package tim_test

// Standby base URLs: loopback servers stand in for the primary and the
// standby, and each way an attempt can end is classified: only a
// connection that could not be made moves a request (and the client) to
// the standby.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// standbyPair is a primary and a standby fake, and a client of the
// primary with the standby, whose connections to the primary fail while
// down is set.
type standbyPair struct {
	primary, standby *timtest.Server
	client           *tim.Client
	down             atomic.Bool
	logs             *bytes.Buffer
}

func newStandbyPair(t *testing.T, opts ...tim.Option) *standbyPair {
	t.Helper()
	p := &standbyPair{primary: timtest.NewServer(), standby: timtest.NewServer(), logs: &bytes.Buffer{}}
	t.Cleanup(p.primary.Close)
	t.Cleanup(p.standby.Close)
	for _, s := range []*timtest.Server{p.primary, p.standby} {
		require.NoError(t, s.CreateCommunity(seamGroup, "owner"))
	}
	primaryAddr := strings.TrimPrefix(p.primary.URL(), "http://")
	var d net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == primaryAddr && p.down.Load() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "primary", IsNotFound: true}}
		}
		return d.DialContext(ctx, network, addr)
	}}
	all := append([]tim.Option{
		tim.WithBaseURL(p.primary.URL()), tim.WithStandby(p.standby.URL()),
		tim.WithSecretKey(timtest.DefaultSecretKey), tim.WithRetryPolicy(timtest.FastRetries()),
		tim.WithHTTPClient(&http.Client{Transport: transport}),
		tim.WithLogger(slog.New(slog.NewJSONHandler(p.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	}, opts...)
	c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin, all...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	p.client = c
	return p
}

func (p *standbyPair) counts() (primary, standby int) {
	return len(p.primary.Requests()), len(p.standby.Requests())
}

func TestStandbyOutcomes(t *testing.T) {
	ctx := context.Background()
	t.Run("success stays on the primary", func(t *testing.T) {
		p := newStandbyPair(t)
		for range 3 {
			_, err := p.client.RoleOf(ctx, seamGroup, "owner")
			require.NoError(t, err)
		}
		pr, sb := p.counts()
		assert.Equal(t, 3, pr)
		assert.Zero(t, sb)
		assert.Empty(t, p.logs.String())
	})
	for name, fault := range map[string]timtest.Fault{
		"a 502":              {Status: http.StatusBadGateway},
		"a dropped answer":   {Drop: true},
		"an internal error":  {Code: tim.ErrInternal},
		"a rate limit":       {Code: tim.ErrRateLimitExceeded},
		"a body cut short":   {Truncate: true},
		"a refusal (10010)":  {Code: tim.ErrGroupNotFound},
		"a non-JSON answer":  {NotJSON: true},
		"a slow answer, ok":  {Delay: 20 * time.Millisecond},
		"a refusal (10004)!": {Code: tim.ErrInvalidParameter},
	} {
		t.Run(name+" never moves", func(t *testing.T) {
			p := newStandbyPair(t)
			require.NoError(t, p.primary.FailNext(tim.CommandGetRoleInGroup, 3, fault))
			_, _ = p.client.RoleOf(ctx, seamGroup, "owner")
			_, sb := p.counts()
			assert.Zero(t, sb, "a request that reached the primary is not sent elsewhere")
			assert.NotContains(t, p.logs.String(), "tim standby")
		})
	}
	t.Run("no connection moves, for any command, once", func(t *testing.T) {
		p := newStandbyPair(t)
		p.down.Store(true)
		// create_permission_group is not idempotent: it moves all the same,
		// since nothing was sent, and is applied once.
		id, err := p.client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: seamGroup, PermissionGroupID: "@PMG#_once", Name: "once"})
		require.NoError(t, err)
		assert.Equal(t, "@PMG#_once", id)
		pr, sb := p.counts()
		assert.Zero(t, pr)
		assert.Equal(t, 1, sb)
		assert.Contains(t, p.logs.String(), `"msg":"tim standby"`)
		assert.Contains(t, p.logs.String(), `"reason":"cannot connect`)
		assert.NotContains(t, p.logs.String(), "usersig")

		// The client stays there: the next call goes straight to the standby.
		_, err = p.client.RoleOf(ctx, seamGroup, "owner")
		require.NoError(t, err)
		pr, sb = p.counts()
		assert.Zero(t, pr)
		assert.Equal(t, 2, sb)
		assert.Equal(t, 1, strings.Count(p.logs.String(), "tim standby"), "one move")
	})
}

func TestStandbyProbesThePrimary(t *testing.T) {
	ctx := context.Background()
	p := newStandbyPair(t)
	clk := tim.NewFakeClock(time.Now())
	tim.SetStandbyClock(p.client, clk.Now)
	p.down.Store(true)
	_, err := p.client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	_, sb := p.counts()
	require.Equal(t, 1, sb)

	// Before the probe interval nothing tries the primary.
	clk.Advance(tim.StandbyProbeInterval - time.Nanosecond)
	p.down.Store(false)
	_, err = p.client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	pr, sb := p.counts()
	assert.Equal(t, 0, pr)
	assert.Equal(t, 2, sb)

	// Still down at the probe: the request moves on, the client stays.
	p.down.Store(true)
	clk.Advance(time.Nanosecond)
	_, err = p.client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	pr, sb = p.counts()
	assert.Equal(t, 0, pr)
	assert.Equal(t, 3, sb)

	// Back up: the next probe, an interval later, returns the client to
	// the primary.
	p.down.Store(false)
	clk.Advance(tim.StandbyProbeInterval)
	for range 3 {
		_, err = p.client.RoleOf(ctx, seamGroup, "owner")
		require.NoError(t, err)
	}
	pr, sb = p.counts()
	assert.Equal(t, 3, pr)
	assert.Equal(t, 3, sb)
	assert.Contains(t, p.logs.String(), "the primary answers again")
}

// A TLS handshake that fails (here: a certificate nobody signed) sent
// nothing of the request: the request moves.
func TestStandbyAfterAFailedTLSHandshake(t *testing.T) {
	tlsPrimary := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsPrimary.Close()
	standby := timtest.NewServer()
	defer standby.Close()
	require.NoError(t, standby.CreateCommunity(seamGroup, "owner"))
	c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin, tim.WithBaseURL(tlsPrimary.URL),
		tim.WithStandby(standby.URL()), tim.WithSecretKey(timtest.DefaultSecretKey))
	require.NoError(t, err)
	defer c.Close()
	role, err := c.RoleOf(context.Background(), seamGroup, "owner")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleOwner, role)
	assert.Len(t, standby.Requests(), 1)
}

func TestStandbyOptions(t *testing.T) {
	_, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionRiyadh), tim.WithSecretKey("k"), tim.WithStandby(tim.RegionRiyadh.StandbyURL()))
	assert.ErrorContains(t, err, "no known standby")
	_, err = tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("k"), tim.WithStandby("http://example.com"))
	assert.Error(t, err, "plain http only to loopback")
	_, err = tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("k"), tim.WithStandby())
	assert.Error(t, err)
	c, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("k"), tim.WithStandby(tim.RegionSingapore.StandbyURL()))
	require.NoError(t, err)
	assert.Equal(t, "https://adminapisgp.im.qcloud.com", c.BaseURL())
	assert.Equal(t, "adminapisgp.my-imcloud.com", tim.RegionSingapore.StandbyDomain())
	assert.Equal(t, "adminapi.my-imcloud.com", tim.RegionChina.StandbyDomain())
}

// A panic in the caller's transport during the probe of the primary does
// not leave the probe pending: the next probe is made, and the client goes
// back to the primary.
func TestStandbyProbeAfterAPanic(t *testing.T) {
	ctx := context.Background()
	var boom atomic.Bool
	p := newStandbyPair(t, tim.WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if boom.Load() {
				panic("middleware boom")
			}
			return next.RoundTrip(r)
		})
	}))
	clk := tim.NewFakeClock(time.Now())
	tim.SetStandbyClock(p.client, clk.Now)
	p.down.Store(true)
	_, err := p.client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	p.down.Store(false)
	clk.Advance(tim.StandbyProbeInterval)
	boom.Store(true)
	assert.Panics(t, func() { _, _ = p.client.RoleOf(ctx, seamGroup, "owner") }, "the probe panics")
	boom.Store(false)
	_, err = p.client.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	pr, _ := p.counts()
	assert.Equal(t, 1, pr, "the next call made the probe")
}

// A TLS alert from the primary (here: it speaks only TLS 1.0, which the
// client refuses) ends the handshake before anything is sent: the request
// moves.
func TestStandbyAfterATLSAlert(t *testing.T) {
	old := httptest.NewUnstartedServer(http.NotFoundHandler())
	old.TLS = &tls.Config{MaxVersion: tls.VersionTLS10}
	old.StartTLS()
	defer old.Close()
	standby := timtest.NewServer()
	defer standby.Close()
	require.NoError(t, standby.CreateCommunity(seamGroup, "owner"))
	c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin, tim.WithBaseURL(old.URL),
		tim.WithStandby(standby.URL()), tim.WithSecretKey(timtest.DefaultSecretKey))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.RoleOf(context.Background(), seamGroup, "owner")
	require.NoError(t, err)
	assert.Len(t, standby.Requests(), 1)
}

// A primary that connects again but answers 502 does not pull the client
// back: only an answer of the service's own (a well-formed envelope) does.
// Before, the probe's connection alone brought the client back to the
// primary, and every call failed there while the standby was healthy.
func TestStandbyProbeNeedsAnAnswer(t *testing.T) {
	ctx := context.Background()
	primary, standby := timtest.NewServer(), timtest.NewServer()
	t.Cleanup(primary.Close)
	t.Cleanup(standby.Close)
	for _, s := range []*timtest.Server{primary, standby} {
		require.NoError(t, s.CreateCommunity(seamGroup, "owner"))
	}
	// The primary sits behind a gateway that can be down (no connection)
	// or broken (it answers 502).
	var down, broken atomic.Bool
	target, err := url.Parse(primary.URL())
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(gateway.Close)
	gatewayAddr := strings.TrimPrefix(gateway.URL, "http://")
	var d net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == gatewayAddr && down.Load() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return d.DialContext(ctx, network, addr)
	}}
	var logs syncBuffer
	c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin,
		tim.WithBaseURL(gateway.URL), tim.WithStandby(standby.URL()),
		tim.WithSecretKey(timtest.DefaultSecretKey), tim.WithRetryPolicy(timtest.FastRetries()),
		tim.WithHTTPClient(&http.Client{Transport: transport}),
		tim.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	require.NoError(t, err)
	defer c.Close()
	clk := tim.NewFakeClock(time.Now())
	tim.SetStandbyClock(c, clk.Now)

	down.Store(true)
	_, err = c.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	require.Len(t, standby.Requests(), 1, "moved to the standby")

	// The gateway connects again, but answers 502.
	down.Store(false)
	broken.Store(true)
	clk.Advance(tim.StandbyProbeInterval)
	failed := 0
	for range 5 {
		if _, err := c.RoleOf(ctx, seamGroup, "owner"); err != nil {
			failed++
		}
	}
	assert.Zero(t, failed, "calls failed while the standby was healthy")
	assert.Len(t, standby.Requests(), 1+5, "every call was answered by the standby (the probe's by its retry)")
	assert.NotContains(t, logs.String(), "the primary answers again")

	// Once the primary answers, the next probe brings the client back.
	broken.Store(false)
	clk.Advance(tim.StandbyProbeInterval - time.Nanosecond)
	_, err = c.RoleOf(ctx, seamGroup, "owner")
	require.NoError(t, err)
	assert.Len(t, standby.Requests(), 1+5+1, "no probe before the interval")
	clk.Advance(time.Nanosecond)
	for range 3 {
		_, err = c.RoleOf(ctx, seamGroup, "owner")
		require.NoError(t, err)
	}
	assert.Len(t, primary.Requests(), 3)
	assert.Len(t, standby.Requests(), 1+5+1)
	assert.Contains(t, logs.String(), "the primary answers again")
}
