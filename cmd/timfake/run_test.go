package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim/timtest"
)

// syncBuffer is a bytes.Buffer that run's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runAsync starts run in a goroutine; stop cancels it and returns its status.
func runAsync(t *testing.T, args ...string) (stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, stdout, stderr) }()
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Fatal("run did not return after its context ended")
			return -1
		}
	}
	t.Cleanup(func() { cancel() })
	require.Eventually(t, func() bool {
		return strings.Count(stdout.String(), "\n") >= 5 || strings.Contains(stderr.String(), "timfake: -")
	}, 5*time.Second, 5*time.Millisecond, "stderr: %s", stderr)
	return stdout, stderr, stop
}

func TestRunPrintsAndStops(t *testing.T) {
	stdout, stderr, stop := runAsync(t, "--sdkappid", "1400000001", "--secret-key", "it's a key", "--admin", "ops", "--admin", "other", "--seed", "testdata/seed.json")
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	require.Len(t, lines, 5, stdout.String())
	url := lines[0]
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*$`, url)
	assert.Equal(t, []string{
		"export TIM_BASE_URL=" + url,
		"export TIM_SDKAPPID=1400000001",
		`export TIM_SECRET_KEY='it'\''s a key'`,
		"export TIM_ADMIN=ops",
	}, lines[1:])
	assert.Contains(t, stderr.String(), "timfake: listening on "+url)
	assert.Contains(t, stderr.String(), "timfake: seeded 2 communities from testdata/seed.json")
	assert.NotContains(t, stderr.String(), "warning")
	assert.NotContains(t, stderr.String(), "it's a key", "the key is on stdout only")

	assert.Equal(t, 0, stop())
	assert.Contains(t, stderr.String(), "timfake: stopped")
	assert.Equal(t, 5, strings.Count(stdout.String(), "\n"), "nothing more on stdout")
}

func TestRunDefaults(t *testing.T) {
	stdout, _, stop := runAsync(t)
	defer stop()
	lines := strings.Split(stdout.String(), "\n")
	assert.Equal(t, fmt.Sprintf("export TIM_SDKAPPID=%d", timtest.DefaultSDKAppID), lines[2])
	assert.Equal(t, "export TIM_SECRET_KEY="+timtest.DefaultSecretKey, lines[3])
	assert.Equal(t, "export TIM_ADMIN="+timtest.DefaultAdmin, lines[4])
}

func TestRunWarnsBeyondLoopback(t *testing.T) {
	stdout, stderr, stop := runAsync(t, "--listen", "0.0.0.0:0")
	defer stop()
	assert.True(t, strings.HasPrefix(stdout.String(), "http://127.0.0.1:"), "a URL this host can dial: %s", stdout)
	assert.Contains(t, stderr.String(), "timfake: warning: listening on 0.0.0.0:0, beyond loopback")
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &stdout, &stderr))
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "Usage: timfake [flags]")
	for _, f := range []string{"-listen", "-sdkappid", "-secret-key", "-admin", "-seed", "-rate-limit", "-latency"} {
		assert.Contains(t, stderr.String(), "  "+f+" ")
	}
}

func TestRunRefuses(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	dir := t.TempDir()
	badSeed := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badSeed, []byte(`{"communities": [{"group_id": "@TGS#_x", "owner": "o", "members": {"a": "Owner"}}]}`), 0o600))

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"--port", "1"}, 2, "flag provided but not defined: -port"},
		{"argument", []string{"serve"}, 2, `unexpected argument "serve"`},
		{"app ID", []string{"--sdkappid", "x"}, 2, `invalid value "x" for flag -sdkappid`},
		{"app ID zero", []string{"--sdkappid", "0"}, 2, "-sdkappid must not be 0"},
		{"empty key", []string{"--secret-key", ""}, 2, "-secret-key must not be empty"},
		{"empty admin", []string{"--admin", ""}, 2, "empty account"},
		{"negative rate", []string{"--rate-limit", "-1"}, 2, "-rate-limit must not be negative"},
		{"latency", []string{"--latency", "fast"}, 2, `invalid value "fast" for flag -latency`},
		{"missing seed", []string{"--seed", filepath.Join(dir, "none.json")}, 1, "timfake: -seed " + filepath.Join(dir, "none.json") + ": open "},
		{"bad seed", []string{"--seed", badSeed}, 1, `timfake: -seed ` + badSeed + `: timtest: seed: communities[0] ("@TGS#_x"): members["a"]: role "Owner" is not Admin or Member`},
		{"busy address", []string{"--listen", busy.Addr().String()}, 1, "timfake: -listen " + busy.Addr().String() + ": timtest: listen tcp"},
		{"bad address", []string{"--listen", "nowhere"}, 1, "timfake: -listen nowhere: timtest: listen tcp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tc.code, run(context.Background(), tc.args, &stdout, &stderr))
			assert.Empty(t, stdout.String(), "nothing on stdout")
			assert.Contains(t, stderr.String(), tc.want)
		})
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"administrator":          "administrator",
		"http://127.0.0.1:43117": "http://127.0.0.1:43117",
		"a-b_c.d,e@f%g+h=i/j":    "a-b_c.d,e@f%g+h=i/j",
		"":                       "''",
		"two words":              "'two words'",
		"it's":                   `'it'\''s'`,
		"$HOME":                  "'$HOME'",
		"a\nb":                   "'a\nb'",
		"ünï":                    "'ünï'",
	} {
		assert.Equal(t, want, shellQuote(in), in)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0": true, "127.1.2.3:80": true, "[::1]:0": true, "localhost:8080": true,
		":0": false, "0.0.0.0:0": false, "[::]:0": false, "10.0.0.1:80": false, "nonsense": false,
	} {
		assert.Equal(t, want, loopback(addr), addr)
	}
}
