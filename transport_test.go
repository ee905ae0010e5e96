package tim

// The request path below the API: transport failures, the signed URL and
// its fresh random, the User-Agent, renewing a rejected UserSig, keeping
// secrets out of errors and logs, and reading response bodies.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransportFailures(t *testing.T) {
	t.Run("connection error from the transport", func(t *testing.T) {
		m := newMock(t)
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, DefaultMaxAttempts, te.Attempts, "a read is retried after a reset")
		assert.Equal(t, DefaultMaxAttempts, m.mt.GetTotalCallCount())
		assert.Equal(t, "get_role_in_group", te.Command)
		assert.Contains(t, err.Error(), "connection reset by peer")
		assert.NotContains(t, err.Error(), "usersig")
		assert.NotContains(t, err.Error(), "adminapisgp", "the URL is not in the error")
	})
	t.Run("refused connection on loopback", func(t *testing.T) {
		c, err := NewClient(testAppID, testAdmin, WithBaseURL("http://127.0.0.1:1"), WithSecretKey(testKey), WithRetryPolicy(fastRetries))
		require.NoError(t, err)
		_, err = c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, DefaultMaxAttempts, te.Attempts, "nothing was sent: retried")
		assert.NotContains(t, err.Error(), "usersig")
		assert.NotContains(t, err.Error(), "sdkappid")
	})
	t.Run("caller's deadline", func(t *testing.T) {
		m := newMock(t)
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group",
			httpmock.NewStringResponder(200, seedRoles).Delay(time.Minute))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("redirects are not followed", func(t *testing.T) {
		m := newMock(t)
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
			m.record(r)
			resp := httpmock.NewStringResponse(http.StatusFound, "")
			resp.Header.Set("Location", "https://elsewhere.example/steal")
			return resp, nil
		})
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var he *HTTPError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, http.StatusFound, he.StatusCode)
		assert.Len(t, m.requests(), 1)
		assert.Equal(t, 1, m.mt.GetTotalCallCount())
	})
}

func TestRandomIsFreshAndSpansTheRange(t *testing.T) {
	m := newMock(t)
	m.respond("get_role_in_group", 200, seedRoles)
	seen := map[uint32]bool{}
	for range 20 {
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
		require.NoError(t, err)
	}
	for _, s := range m.requests() {
		seen[assertSigned(t, s, "get_role_in_group")] = true
	}
	assert.Len(t, seen, 20, "a fresh random for every request")

	// Over many URLs the values reach both halves of the 32-bit range.
	var high, low bool
	for range 200 {
		u, err := url.Parse(m.client.requestURL(0, ServiceGroup+"/get_role_in_group"))
		require.NoError(t, err)
		r, err := strconv.ParseUint(u.Query().Get("random"), 10, 32)
		require.NoError(t, err)
		high = high || r >= 1<<31
		low = low || r < 1<<31
	}
	assert.True(t, high && low)
}

func TestRequestURLEscapesTheSignature(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got *url.URL
	mt.RegisterResponder(http.MethodPost, "https://proxy.example/tim/v4/group_open_http_svc/get_role_in_group", func(r *http.Request) (*http.Response, error) {
		got = r.URL
		return httpmock.NewStringResponse(200, seedRoles), nil
	})
	c, err := NewClient(testAppID, "admin+ops", WithBaseURL("https://proxy.example/tim/"),
		WithUserSigner(mustStatic("a*b-c_d/e+f=")), WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter", "wesley"}})
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, "/tim/v4/group_open_http_svc/get_role_in_group", got.Path, "a base path prefix is kept")
	assert.Equal(t, "a*b-c_d/e+f=", got.Query().Get("usersig"))
	assert.Contains(t, got.RawQuery, "usersig=a%2Ab-c_d%2Fe%2Bf%3D&")
	assert.Equal(t, "admin+ops", got.Query().Get("identifier"))
	assert.Equal(t, "json", got.Query().Get("contenttype"))

	// Above the signing layer the URL holds a placeholder.
	u, err := url.Parse(c.requestURL(0, ServiceGroup+"/get_role_in_group"))
	require.NoError(t, err)
	assert.Equal(t, "[redacted]", u.Query().Get("usersig"))
}

func TestUserAgent(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{nil, DefaultUserAgent},
		{[]Option{WithUserAgent("my-backend/1.2")}, "my-backend/1.2"},
	} {
		m := newMock(t, tc.opts...)
		m.respond("get_role_in_group", 200, seedRoles)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter", "wesley"}})
		require.NoError(t, err)
		assert.Equal(t, tc.want, m.requests()[0].Header.Get("User-Agent"))
	}
}

// TestNoSecretsLeak fails calls in every way and checks that neither the
// errors, nor the log records, nor printing the client show the key, the
// UserSig or the signed URL.
func TestNoSecretsLeak(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newMock(t, WithLogger(logger))
	sig, err := m.client.signer.UserSig(context.Background())
	require.NoError(t, err)

	answers := []httpmock.Responder{
		httpmock.NewErrorResponder(errors.New("connection reset")),
		httpmock.NewStringResponder(502, "<html>bad gateway</html>"),
		httpmock.NewStringResponder(200, "not json"),
		httpmock.NewStringResponder(200, `{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}`),
		httpmock.NewStringResponder(200, seedRoles),
	}
	var errs []string
	for _, a := range answers {
		m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", a)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err))
		}
	}
	require.Len(t, errs, 8, "four failures")
	sig2, err := m.client.signer.UserSig(context.Background())
	require.NoError(t, err)
	require.NotEqual(t, sig, sig2, "the 70001 made a new UserSig")
	printed := fmt.Sprintf("%v %+v %#v %s %d %x %q", m.client, m.client, m.client, m.client, m.client, m.client, m.client) +
		fmt.Sprintf("%v %+v %#v", *m.client, *m.client, *m.client) // the value form skips Format

	static, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithUserSigner(mustStatic("STATIC-SECRET-SIG")))
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", *static, *static, static), "STATIC-SECRET-SIG")

	records := strings.Count(logs.String(), "\n")
	// One record per request: the reset and the 502 are sent three times,
	// the 70001 twice (with a new UserSig), the bad body and the success once.
	assert.Equal(t, 3+3+1+2+1, records)
	assert.Contains(t, logs.String(), `"attempt":2`)
	assert.Contains(t, logs.String(), `"error_code":70001`)
	assert.Contains(t, logs.String(), `"http_status":502`)

	for name, text := range map[string]string{"errors": strings.Join(errs, "\n"), "logs": logs.String(), "printed client": printed} {
		for _, secret := range []string{testKey, sig, url.QueryEscape(sig), sig2, "usersig"} {
			assert.NotContains(t, text, secret, "%s leak a secret", name)
		}
	}
}

func TestExpiredUserSigIsRenewedAndSentOnce(t *testing.T) {
	for _, code := range []ErrorCode{ErrUserSigExpired, ErrUserSigInvalidated} {
		t.Run(strconv.Itoa(int(code)), func(t *testing.T) {
			m := newMock(t)
			calls := 0
			m.mt.RegisterResponder(http.MethodPost, testHost+groupService+"get_role_in_group", func(r *http.Request) (*http.Response, error) {
				m.record(r)
				calls++
				if calls == 1 {
					return httpmock.NewStringResponse(200, fmt.Sprintf(`{"ActionStatus":"FAIL","ErrorCode":%d,"ErrorInfo":"expired","RequestId":"first"}`, code)), nil
				}
				return httpmock.NewStringResponse(200, seedRoles), nil
			})
			roles, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}})
			require.NoError(t, err)
			assert.Len(t, roles, 3)
			reqs := m.requests()
			require.Len(t, reqs, 2)
			first, second := reqs[0].URL.Query(), reqs[1].URL.Query()
			assert.NotEqual(t, first.Get("usersig"), second.Get("usersig"), "a new UserSig")
			assert.NotEqual(t, first.Get("random"), second.Get("random"), "a new random")
			assertSigned(t, reqs[1], "get_role_in_group")
			assert.Equal(t, reqs[0].Body, reqs[1].Body)
		})
	}
	t.Run("only once", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}`)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, ErrUserSigExpired)
		assert.Len(t, m.requests(), 2)
	})
	t.Run("a static signature is not sent again", func(t *testing.T) {
		m := newMock(t)
		static, err := NewClient(testAppID, testAdmin, WithRegion(RegionSingapore), WithUserSigner(mustStatic("s")), WithHTTPClient(&http.Client{Transport: m.mt}))
		require.NoError(t, err)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"expired"}`)
		_, err = static.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, ErrUserSigExpired)
		assert.Len(t, m.requests(), 1)
	})
	t.Run("other codes are not sent again", func(t *testing.T) {
		m := newMock(t)
		m.respond("get_role_in_group", 200, `{"ActionStatus":"FAIL","ErrorCode":70003,"ErrorInfo":"invalid"}`)
		_, err := m.client.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		require.ErrorIs(t, err, ErrUserSigInvalid)
		assert.Len(t, m.requests(), 1)
	})
}

// leakyTransport fails with an error that quotes the request URL, as a
// careless RoundTripper wrapper might.
type leakyTransport struct{ quoteSig bool }

func (l leakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.quoteSig {
		return nil, errors.New("giving up on " + r.URL.Query().Get("usersig"))
	}
	return nil, errors.New("giving up on " + r.URL.RawQuery)
}

func TestTransportErrorsThatQuoteTheURLAreWithheld(t *testing.T) {
	for _, quoteSig := range []bool{false, true} {
		c, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithHTTPClient(&http.Client{Transport: leakyTransport{quoteSig}}), WithRetryPolicy(fastRetries))
		require.NoError(t, err)
		sig, err := c.signer.UserSig(context.Background())
		require.NoError(t, err)
		_, err = c.GetRoleInGroup(context.Background(), &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"a"}})
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.Contains(t, err.Error(), "withheld")
		if quoteSig {
			assert.Contains(t, err.Error(), "giving up on [redacted]", "the signature alone is redacted and its place marked")
		} else {
			assert.NotContains(t, err.Error(), "giving up", "a text that names usersig is withheld whole")
		}
		assert.NotContains(t, err.Error(), sig)
		assert.NotContains(t, err.Error(), url.QueryEscape(sig))
		assert.True(t, te.Retryable())
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadBody(t *testing.T) {
	t.Run("a body of the limit is read whole", func(t *testing.T) {
		data, err := readBody(bytes.NewReader(bytes.Repeat([]byte("x"), MaxResponseBytes)), nil)
		require.NoError(t, err)
		assert.Len(t, data, MaxResponseBytes)
	})
	t.Run("a longer body is read one byte past the limit, no further", func(t *testing.T) {
		cr := &countingReader{r: bytes.NewReader(bytes.Repeat([]byte("x"), MaxResponseBytes+100))}
		data, err := readBody(cr, make([]byte, 0, 4<<10))
		require.NoError(t, err)
		assert.Len(t, data, MaxResponseBytes+1)
		assert.Equal(t, MaxResponseBytes+1, cr.n)
	})
	t.Run("small reads and a reused buffer", func(t *testing.T) {
		buf := []byte("stale content")
		data, err := readBody(iotest.OneByteReader(strings.NewReader(seedRoles)), buf[:0])
		require.NoError(t, err)
		assert.Equal(t, seedRoles, string(data))
	})
	t.Run("a read error is returned", func(t *testing.T) {
		_, err := readBody(iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader(seedRoles))), nil)
		assert.ErrorIs(t, err, iotest.ErrTimeout)
	})
}

// Response bodies are read into pooled buffers: what a call returned must
// not change when later responses reuse the buffer.
func TestDecodedValuesOutliveTheBodyBuffer(t *testing.T) {
	m := newMock(t)
	ctx := context.Background()
	m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"alice","Role":"Owner"}]}`)
	first, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"alice"}})
	require.NoError(t, err)
	m.respond("get_role_in_group", 200, `{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"bobby","Role":"Admin"}]}`)
	for range 10 {
		_, err := m.client.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"bobby"}})
		require.NoError(t, err)
	}
	assert.Equal(t, []MemberRole{{"alice", RoleOwner}}, first)
}

func TestEscapedUserSigFollowsTheSigner(t *testing.T) {
	escape := newSigEscaper()
	for _, sig := range []string{"a*b-c_", "a*b-c_", "d*e", "a*b-c_"} {
		f := escape(sig)
		assert.Equal(t, sig, f.raw)
		assert.Equal(t, url.QueryEscape(sig), f.query)
		assert.Equal(t, url.PathEscape(sig), f.path)
	}
}

// WithHTTPClient reads hc.Transport at every request, and a nil Transport
// means the client's own default transport. That holds for a transport set
// to nil after NewClient as well, say by httpmock.DeactivateAndReset on the
// caller's client.
func TestHTTPClientTransportSetToNilLater(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, seedRoles))
	hc := &http.Client{Transport: mt}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, seedRoles)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(testAppID, testAdmin, WithBaseURL(srv.URL), WithSecretKey(testKey), WithHTTPClient(hc), WithRetryPolicy(noRetries))
	require.NoError(t, err)
	req := &GetRoleInGroupRequest{GroupID: "@TGS#2C5SZEAEF", Accounts: []string{"leckie", "peter", "wesley"}}
	_, err = c.GetRoleInGroup(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, 1, mt.GetTotalCallCount(), "through the caller's transport")

	hc.Transport = nil
	_, err = c.GetRoleInGroup(context.Background(), req)
	require.NoError(t, err, "through the client's default transport")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
