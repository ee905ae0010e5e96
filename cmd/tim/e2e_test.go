package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildCommand builds the command in dir into a temporary directory.
func buildCommand(t *testing.T, dir, name string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	bin := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build %s: %s", dir, out)
	return bin
}

// lockedBuffer is a bytes.Buffer written by exec's copying goroutine and
// read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startTimfake runs timfake seeded with the demo seed and returns the
// TIM_* variables it prints (the base URL first, as TIM_BASE_URL).
func startTimfake(t *testing.T) map[string]string {
	t.Helper()
	if _, err := os.Stat("../timfake/main.go"); err != nil {
		t.Skip("cmd/timfake does not exist (yet): the end-to-end test of tim runs against it")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops timfake with SIGTERM, which Windows cannot deliver")
	}
	bin := buildCommand(t, "../timfake", "timfake")
	seed, err := filepath.Abs("demo_seed.json")
	require.NoError(t, err)
	cmd := exec.Command(bin, "--seed", seed)
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	require.NoError(t, cmd.Start())
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // it may have exited: Wait says how
		select {
		case err := <-waited:
			assert.NoError(t, err, "timfake stops on SIGTERM with status 0")
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("timfake did not stop on SIGTERM (killed: %v)", <-waited)
		}
	})

	// The first line is the base URL; the four after it export TIM_* (see
	// cmd/timfake).
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(stdout.String(), "\n") < 5 {
		select {
		case err := <-waited:
			t.Fatalf("timfake exited (%v): %s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timfake printed no URL; stdout %q, stderr %s", stdout, stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	lines := strings.Split(stdout.String(), "\n")
	vars := map[string]string{}
	for _, line := range lines[1:5] {
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		require.True(t, ok, "line %q", line)
		vars[name] = shellUnquote(value)
	}
	require.Equal(t, lines[0], vars["TIM_BASE_URL"], "the first line is the base URL")
	return vars
}

// timBinary runs the built tim with the given TIM_* variables (and no
// others).
type timBinary struct {
	bin  string
	vars map[string]string
}

func (b timBinary) run(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TIM_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range b.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		status = exit.ExitCode()
	default:
		require.NoError(t, err)
	}
	return status, out.String(), errOut.String()
}

// TestEndToEnd runs the tim binary against a timfake process, the way CI
// uses it: plan with -detailed-exitcode, -json and -out; an apply that
// refuses without a terminal; the saved plan applied; plan again; export; a
// failure injected through the control endpoint; the refusals without
// credentials and with both TIM_REGION and TIM_BASE_URL.
func TestEndToEnd(t *testing.T) {
	vars := startTimfake(t)
	bin := buildCommand(t, ".", "tim")
	tim := timBinary{bin: bin, vars: vars}
	planFile := filepath.Join(t.TempDir(), "plan.json")

	status, out, errOut := tim.run(t, "plan", "-detailed-exitcode", "-json", "-out", planFile, "-f", demoSpec)
	assert.Equal(t, 2, status, "changes pending; stderr: %s", errOut)
	assert.Contains(t, out, `"format_version": 2`)
	assert.Contains(t, errOut, "tim: loaded @TGS#_demo: 3 permission groups, 4 memberships, 3 topics")
	assert.NotContains(t, errOut, "--demo", "a real (fake) app, not the embedded one")

	status, _, errOut = tim.run(t, "apply", "-f", demoSpec) // stdin is /dev/null: not a terminal
	assert.Equal(t, 1, status)
	assert.Contains(t, errOut, "stdin is not a terminal and -auto-approve was not given: nothing was applied")

	status, out, errOut = tim.run(t, "apply", planFile)
	assert.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Contains(t, out, "Apply: 14 applied, 0 failed, 0 unknown, 0 not attempted; 14 API calls.")
	assert.Contains(t, errOut, "tim apply: checked: the settings, topics and permission groups it changed match the spec")

	status, out, errOut = tim.run(t, "plan", "-detailed-exitcode", "-f", demoSpec)
	assert.Equal(t, 0, status, "no changes; stderr: %s", errOut)
	assert.Equal(t, "No changes: @TGS#_demo matches the spec.\n", out)

	status, out, errOut = tim.run(t, "export", "--group", demoGroup)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Contains(t, out, `"id": "@PMG#_newcomers"`)
	assert.NotContains(t, out, "@PMG#_legacy", "destroyed by prune")

	// A change that fails: the control endpoint makes the next member add
	// answer 10004. apply says what happened and exits 1; plan shows what
	// is left; a second apply finishes.
	more := filepath.Join(t.TempDir(), "more.json")
	require.NoError(t, os.WriteFile(more, []byte(strings.Replace(out, `"frank"`, `"frank", "bob"`, 1)), 0o644))
	resp, err := http.Post(vars["TIM_BASE_URL"]+"/_timfake/fail_next", "application/json",
		strings.NewReader(`{"command": "add_permission_group_member", "n": 1, "fault": {"code": 10004}}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	status, out, errOut = tim.run(t, "apply", "-auto-approve", "-f", more)
	assert.Equal(t, 1, status)
	assert.Contains(t, out, "failed         + add members @PMG#_newcomers: 1 account (1 failed) [1 call]: tim: add_permission_group_member: error 10004")
	assert.Contains(t, errOut, "run tim plan to see what is left")
	status, out, _ = tim.run(t, "plan", "-detailed-exitcode", "-f", more)
	assert.Equal(t, 2, status)
	assert.Contains(t, out, "+ member bob")
	status, _, errOut = tim.run(t, "apply", "-auto-approve", "-f", more)
	assert.Equal(t, 0, status, "stderr: %s", errOut)

	// Both a region and a base URL: refused, naming both, nothing sent.
	both := timBinary{bin: bin, vars: map[string]string{"TIM_REGION": "singapore"}}
	for k, v := range vars {
		both.vars[k] = v
	}
	status, out, errOut = both.run(t, "plan", "-f", demoSpec)
	assert.Equal(t, 1, status)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "TIM_REGION and TIM_BASE_URL are both set")

	// Without credentials tim refuses, and says what to set.
	bare := timBinary{bin: bin}
	status, out, errOut = bare.run(t, "plan", "-f", demoSpec)
	assert.Equal(t, 1, status)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no credentials: set TIM_SDKAPPID, TIM_SECRET_KEY, TIM_ADMIN and TIM_REGION (or TIM_BASE_URL), or pass --demo")
	assert.NotContains(t, errOut, vars["TIM_SECRET_KEY"])
}

// shellUnquote undoes POSIX shell quoting of a word: 'single quotes' (with
// '\” for a quote inside) and backslashes.
func shellUnquote(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		switch {
		case s[0] == '\'':
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				b.WriteString(s[1:])
				return b.String()
			}
			b.WriteString(s[1 : 1+end])
			s = s[2+end:]
		case s[0] == '\\' && len(s) > 1:
			b.WriteByte(s[1])
			s = s[2:]
		default:
			b.WriteByte(s[0])
			s = s[1:]
		}
	}
	return b.String()
}
