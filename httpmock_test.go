package tim_test

// The ways a test suite plugs httpmock (or any RoundTripper) in, each as
// its README says: globally with Activate, before or after NewClient; on
// the caller's http.Client with ActivateNonDefault, before or after; and a
// MockTransport given to WithHTTPClient. These tests swap the global
// http.DefaultTransport, so none of them runs in parallel.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

const mockRoles = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","UserIdList":[{"Member_Account":"alice","Role":"Admin"}]}`

const mockURL = "https://adminapisgp.im.qcloud.com/v4/group_open_http_svc/get_role_in_group"

func mockClient(t *testing.T, opts ...tim.Option) *tim.Client {
	t.Helper()
	all := append([]tim.Option{tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("key")}, opts...)
	c, err := tim.NewClient(1400000000, "admin", all...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// roleVia calls RoleOf and reports what the mock saw.
func roleVia(t *testing.T, c *tim.Client, mt *httpmock.MockTransport) {
	t.Helper()
	mt.RegisterResponder(http.MethodPost, mockURL, func(r *http.Request) (*http.Response, error) {
		assert.NotEmpty(t, r.URL.Query().Get("usersig"), "the transport below the client sees the signed URL")
		assert.NotEqual(t, "[redacted]", r.URL.Query().Get("usersig"))
		return httpmock.NewStringResponse(200, mockRoles), nil
	})
	role, err := c.RoleOf(context.Background(), "@TGS#_g", "alice")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleAdmin, role)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestHTTPMockActivateBeforeNewClient(t *testing.T) {
	httpmock.Activate()
	t.Cleanup(httpmock.DeactivateAndReset)
	c := mockClient(t) // used to panic: http.DefaultTransport was not an *http.Transport
	roleVia(t, c, httpmock.DefaultTransport)
}

func TestHTTPMockActivateAfterNewClient(t *testing.T) {
	c := mockClient(t)
	httpmock.Activate()
	t.Cleanup(httpmock.DeactivateAndReset)
	roleVia(t, c, httpmock.DefaultTransport)
}

func TestHTTPMockActivateNonDefault(t *testing.T) {
	t.Run("after NewClient", func(t *testing.T) {
		hc := &http.Client{}
		c := mockClient(t, tim.WithHTTPClient(hc))
		httpmock.ActivateNonDefault(hc)
		t.Cleanup(httpmock.DeactivateAndReset)
		roleVia(t, c, hc.Transport.(*httpmock.MockTransport))
	})
	t.Run("before NewClient", func(t *testing.T) {
		hc := &http.Client{}
		httpmock.ActivateNonDefault(hc)
		t.Cleanup(httpmock.DeactivateAndReset)
		c := mockClient(t, tim.WithHTTPClient(hc))
		roleVia(t, c, hc.Transport.(*httpmock.MockTransport))
	})
}

func TestHTTPMockTransportInWithHTTPClient(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c := mockClient(t, tim.WithHTTPClient(&http.Client{Transport: mt}))
	roleVia(t, c, mt)
}

// countingTransport wraps another RoundTripper, as an instrumentation
// library installed in http.DefaultTransport would.
type countingTransport struct {
	next  http.RoundTripper
	calls int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls++
	return c.next.RoundTrip(r)
}

func TestAWrapperInstalledAsTheDefaultTransport(t *testing.T) {
	mt := httpmock.NewMockTransport()
	wrapper := &countingTransport{next: mt}
	orig := http.DefaultTransport
	http.DefaultTransport = wrapper
	t.Cleanup(func() { http.DefaultTransport = orig })
	c := mockClient(t) // used to panic
	roleVia(t, c, mt)
	assert.Equal(t, 1, wrapper.calls)

	// Put back, a client goes back to its own tuned transport.
	http.DefaultTransport = orig
	real := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, mockRoles) }))
	defer real.Close()
	local, err := tim.NewClient(1400000000, "admin", tim.WithBaseURL(real.URL), tim.WithSecretKey("key"))
	require.NoError(t, err)
	_, err = local.RoleOf(context.Background(), "@TGS#_g", "alice")
	require.NoError(t, err)
	assert.Equal(t, 1, wrapper.calls, "the wrapper is no longer in the way")
}
