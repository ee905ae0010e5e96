package tim

// NewClient and its options.

import (
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientConfig(t *testing.T) {
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	key := WithSecretKey(testKey)
	region := WithRegion(RegionTokyo)
	cases := []struct {
		name  string
		appID uint64
		id    string
		opts  []Option
		want  string // part of the error; "" for success
	}{
		{"ok", testAppID, testAdmin, []Option{region, key}, ""},
		{"ok with signer and base URL", testAppID, testAdmin, []Option{WithBaseURL("https://adminapisgp.my-imcloud.com"), WithUserSigner(mustStatic("s"))}, ""},
		{"zero app", 0, testAdmin, []Option{region, key}, "SDKAppID"},
		{"empty identifier", testAppID, "", []Option{region, key}, "identifier"},
		{"long identifier", testAppID, strings.Repeat("a", 33), []Option{region, key}, "identifier"},
		{"no region", testAppID, testAdmin, []Option{key}, "no region"},
		{"region and base URL", testAppID, testAdmin, []Option{region, WithBaseURL("https://x.example"), key}, "both"},
		{"no credentials", testAppID, testAdmin, []Option{region}, "no credentials"},
		{"key and signer", testAppID, testAdmin, []Option{region, key, WithUserSigner(mustStatic("s"))}, "both"},
		{"unknown region", testAppID, testAdmin, []Option{WithRegion(0), key}, "unknown region"},
		{"http to a remote host", testAppID, testAdmin, []Option{WithBaseURL("http://example.com"), key}, "https"},
		{"empty key", testAppID, testAdmin, []Option{region, WithSecretKey("")}, "key is empty"},
		{"nil signer", testAppID, testAdmin, []Option{region, WithUserSigner(nil)}, "nil"},
		{"short timeout", testAppID, testAdmin, []Option{region, key, WithTimeout(time.Second)}, "3 s"},
		{"nil http client", testAppID, testAdmin, []Option{region, key, WithHTTPClient(nil)}, "nil"},
		{"TLS verification off", testAppID, testAdmin, []Option{region, key, WithHTTPClient(insecure)}, "InsecureSkipVerify"},
		{"nil logger", testAppID, testAdmin, []Option{region, key, WithLogger(nil)}, "nil"},
		{"empty user agent", testAppID, testAdmin, []Option{region, key, WithUserAgent("")}, "user agent"},
		{"header injection in user agent", testAppID, testAdmin, []Option{region, key, WithUserAgent("a\r\nX: y")}, "not printable ASCII"},
		{"zero concurrency", testAppID, testAdmin, []Option{region, key, WithMaxConcurrency(0)}, "less than 1"},
		{"nil option", testAppID, testAdmin, []Option{region, key, nil}, "nil option"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(tc.appID, tc.id, tc.opts...)
			if tc.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), testKey)
		})
	}
}

func TestNewClientDoesNotChangeTheCallersHTTPClient(t *testing.T) {
	hc := &http.Client{Timeout: time.Minute}
	_, err := NewClient(testAppID, testAdmin, WithRegion(RegionChina), WithSecretKey(testKey), WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.Transport)
	assert.Nil(t, hc.CheckRedirect)
	assert.Equal(t, time.Minute, hc.Timeout)
}

func TestClientAccessors(t *testing.T) {
	c, err := NewClient(testAppID, testAdmin, WithRegion(RegionFrankfurt), WithSecretKey(testKey))
	require.NoError(t, err)
	assert.Equal(t, testAppID, c.SDKAppID())
	assert.Equal(t, testAdmin, c.Identifier())
	assert.Equal(t, "https://adminapiger.im.qcloud.com", c.BaseURL())
}
