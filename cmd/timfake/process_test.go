package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// buildTimfake builds the command into a temporary directory.
func buildTimfake(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("sends SIGTERM, which Windows cannot deliver")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build timfake with")
	}
	bin := filepath.Join(t.TempDir(), "timfake")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// timfakeProcess is a running timfake.
type timfakeProcess struct {
	cmd    *exec.Cmd
	stdout *syncBuffer // written by exec's copying goroutine, which Wait waits for
	stderr *syncBuffer
	read   int // lines of stdout taken by line
	waited chan error
}

func startTimfake(t *testing.T, bin string, args ...string) *timfakeProcess {
	t.Helper()
	p := &timfakeProcess{cmd: exec.Command(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, waited: make(chan error, 1)}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	require.NoError(t, p.cmd.Start())
	go func() { p.waited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill() // no-op once it has exited
		if err := <-p.waited; err != nil {
			t.Logf("timfake: %v", err) // killed, or the status a test already checked
		}
	})
	return p
}

// line returns the next line of stdout, waiting a few seconds for it.
func (p *timfakeProcess) line(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		lines := strings.SplitAfter(p.stdout.String(), "\n")
		if len(lines) > p.read && strings.HasSuffix(lines[p.read], "\n") {
			p.read++
			return strings.TrimSuffix(lines[p.read-1], "\n")
		}
		select {
		case err := <-p.waited:
			p.waited <- err
			t.Fatalf("timfake exited (%v) before line %d; stderr: %s", err, p.read+1, p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line %d on stdout; stderr: %s", p.read+1, p.stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stop signals the process and checks it exits 0 within two seconds, having
// written five lines on stdout and nothing more.
func (p *timfakeProcess) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(sig))
	select {
	case err := <-p.waited:
		p.waited <- err // for the cleanup
		require.NoError(t, err, "exit status; stderr: %s", p.stderr)
	case <-time.After(2 * time.Second):
		t.Fatalf("still running 2s after %v; stderr: %s", sig, p.stderr)
	}
	assert.Equal(t, 5, strings.Count(p.stdout.String(), "\n"), "five lines on stdout: %q", p.stdout)
	assert.Contains(t, p.stderr.String(), "timfake: stopped")
}

func TestProcess(t *testing.T) {
	bin := buildTimfake(t)

	t.Run("seeded, fault injected, SIGTERM", func(t *testing.T) {
		p := startTimfake(t, bin, "--seed", "testdata/seed.json", "--admin", "ops")
		url := p.line(t)
		require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
		env := map[string]string{}
		for range 4 {
			k, v, ok := strings.Cut(strings.TrimPrefix(p.line(t), "export "), "=")
			require.True(t, ok)
			env[k] = v
		}
		assert.Equal(t, url, env["TIM_BASE_URL"])
		assert.Equal(t, "ops", env["TIM_ADMIN"])
		appID, err := strconv.ParseUint(env["TIM_SDKAPPID"], 10, 64)
		require.NoError(t, err)

		client, err := tim.NewClient(appID, env["TIM_ADMIN"], tim.WithBaseURL(env["TIM_BASE_URL"]), tim.WithSecretKey(env["TIM_SECRET_KEY"]))
		require.NoError(t, err)
		defer client.Close()
		ctx := context.Background()
		const group = "@TGS#_@TGS#cV6IHIIM62C4"
		for account, want := range map[string]tim.Role{"leckie": tim.RoleOwner, "amy": tim.RoleAdmin, "peter": tim.RoleMember, "bob": tim.RoleNotMember} {
			role, err := client.RoleOf(ctx, group, account)
			require.NoError(t, err, account)
			assert.Equal(t, want, role, account)
		}
		pg, err := client.GetPermissionGroup(ctx, group, "@PMG#_moderators")
		require.NoError(t, err)
		assert.Equal(t, 1, pg.MemberCount)

		resp, err := http.Post(url+"/_timfake/fail_next", "application/json",
			strings.NewReader(`{"command": "get_role_in_group", "n": 1, "fault": {"code": 10007, "info": "injected over HTTP"}}`))
		require.NoError(t, err)
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, string(answer))
		assert.JSONEq(t, `{"ok": true}`, string(answer))

		_, err = client.RoleOf(ctx, group, "amy")
		var apiErr *tim.APIError
		require.True(t, errors.As(err, &apiErr), "%v", err)
		assert.Equal(t, tim.ErrNoPermission, apiErr.Code)
		assert.Equal(t, "injected over HTTP", apiErr.Info)
		role, err := client.RoleOf(ctx, group, "amy")
		require.NoError(t, err, "one fault only")
		assert.Equal(t, tim.RoleAdmin, role)

		resp, err = http.Get(url + "/_timfake/requests?command=get_role_in_group")
		require.NoError(t, err)
		var list struct {
			Requests []struct {
				ErrorCode int            `json:"error_code"`
				Fault     map[string]any `json:"fault"`
			} `json:"requests"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
		resp.Body.Close()
		require.Len(t, list.Requests, 6)
		assert.Equal(t, 10007, list.Requests[4].ErrorCode)
		assert.NotNil(t, list.Requests[4].Fault)

		p.stop(t, syscall.SIGTERM)
	})

	t.Run("SIGINT during a delayed answer", func(t *testing.T) {
		p := startTimfake(t, bin)
		url := p.line(t)
		resp, err := http.Post(url+"/_timfake/fail_next", "application/json",
			strings.NewReader(`{"command": "get_role_in_group", "fault": {"delay_ms": 60000}}`))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)

		client, err := tim.NewClient(1400000000, "administrator", tim.WithBaseURL(url), tim.WithSecretKey("timtest-fake-secret-key-not-a-real-one"),
			tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
		require.NoError(t, err)
		defer client.Close()
		called := make(chan error, 1)
		go func() {
			_, err := client.RoleOf(context.Background(), "@TGS#_none", "amy")
			called <- err
		}()
		// The fake records a request once it has answered, so there is
		// nothing to poll: give the call time to arrive. If it has not yet,
		// the test still checks a clean stop, only not during the wait.
		time.Sleep(200 * time.Millisecond)
		p.stop(t, os.Interrupt)
		assert.Error(t, <-called, "the delayed call ends without an answer")
	})
}
