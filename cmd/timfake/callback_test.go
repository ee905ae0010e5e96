package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/timtest"
)

const testCallbackToken = "timfake-test-callback-token"

func TestCallbackFlags(t *testing.T) {
	cases := []struct {
		args []string
		bad  string
	}{
		{args: []string{"--callback-url", "http://127.0.0.1:8080/cb", "--callback-token", testCallbackToken}},
		{args: []string{"--callback-url", "http://localhost:8080/cb"}},
		{args: []string{"--callback-url", "http://[::1]:8080/cb?tenant=1"}},
		{args: []string{"--callback-url", "https://app.example.com/tim/callback", "--callback-token", testCallbackToken}},
		{args: []string{"--callback-url", "http://app:8080/cb", "--callback-allow-http", "--callback-token", testCallbackToken}},
		{args: []string{"--callback-url", "http://app.example.com/cb", "--callback-token", testCallbackToken}, bad: "plain http to app.example.com, beyond loopback"},
		{args: []string{"--callback-url", "ftp://127.0.0.1/cb", "--callback-token", testCallbackToken}, bad: "must start with http:// or https://"},
		{args: []string{"--callback-url", "https://user:pw@app.example.com/cb"}, bad: "user:password@"},
		{args: []string{"--callback-url", "https:///cb"}, bad: "names no host"},
		{args: []string{"--callback-token", testCallbackToken}, bad: "need --callback-url"},
		{args: []string{"--callback-allow-http"}, bad: "need --callback-url"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseFlags(tc.args, &stderr)
			if tc.bad == "" {
				require.NoError(t, err, stderr.String())
				assert.NotEmpty(t, c.callbackURL)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.bad)
			assert.NotContains(t, stderr.String(), testCallbackToken, "the token is never printed")
		})
	}
}

// timfake's callbacks verify at an app's callback.Handler: the rate-limit
// alert, the one callback commands of the fake's own trigger.
func TestCallbacksVerifyAtTheApp(t *testing.T) {
	var mu sync.Mutex
	var alerts []*callback.RequestOverLimit
	var refused []error
	h := callback.NewHandler(timtest.DefaultSDKAppID, testCallbackToken,
		callback.OnRequestOverLimit(func(_ context.Context, e *callback.RequestOverLimit) error {
			mu.Lock()
			defer mu.Unlock()
			alerts = append(alerts, e)
			return nil
		}),
		callback.OnError(func(_ context.Context, err error) { mu.Lock(); defer mu.Unlock(); refused = append(refused, err) }))
	app := httptest.NewServer(h)
	defer app.Close()

	stdout, stderr, stop := runAsync(t, "--rate-limit", "2", "--callback-url", app.URL+"/tim/callback", "--callback-token", testCallbackToken)
	base := strings.SplitN(stdout.String(), "\n", 2)[0]
	c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin, tim.WithBaseURL(base), tim.WithSecretKey(timtest.DefaultSecretKey),
		tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	defer c.Close()
	// Two calls in one second pass 80% of 2: an alert.
	got := func() int { mu.Lock(); defer mu.Unlock(); return len(alerts) }
	for i := 0; i < 50 && got() == 0; i++ {
		_, _ = c.RoleOf(context.Background(), "@TGS#_@TGS#none", "peter") // the calls only need to arrive
		if i%5 == 4 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	require.Eventually(t, func() bool { return got() > 0 }, 10*time.Second, 10*time.Millisecond, "stderr: %s", stderr)
	// The app has the alert; its answer reaches the fake a moment later.
	require.Eventually(t, func() bool {
		return strings.Contains(stderr.String(), "timtest: callback Alert.RequestOverLimit: 200 OK 0")
	},
		10*time.Second, 10*time.Millisecond, "stderr: %s", stderr)
	mu.Lock()
	assert.Empty(t, refused)
	assert.Equal(t, "get_role_in_group", alerts[0].APICommand)
	assert.Equal(t, 2, alerts[0].Limit)
	assert.False(t, alerts[0].RequestTime.IsZero(), "signed")
	mu.Unlock()
	assert.Equal(t, 0, stop())

	out := stderr.String()
	assert.Contains(t, out, "timfake: callbacks go to "+app.URL+"/tim/callback, signed with the --callback-token")
	assert.NotContains(t, out+stdout.String(), testCallbackToken)
	assert.NotContains(t, out, "Sign=", "no URL with a Sign is printed")
}
