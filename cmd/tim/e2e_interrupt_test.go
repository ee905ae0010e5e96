package main

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInterruptBinary sends real signals to the built tim while a write it
// sent is held at a timfake process: one SIGINT lets that write finish and
// exits 1 with every outcome reported; a second SIGINT aborts it, its
// outcome unknown.
func TestInterruptBinary(t *testing.T) {
	bin := buildCommand(t, ".", "tim")
	for _, tc := range []struct {
		name    string
		signals int
		want    string
	}{
		{"one interrupt", 1, "applied        + add members @PMG#_moderators: 1 account [1 call]"},
		{"two interrupts", 2, "unknown        + add members @PMG#_moderators: 1 account (1 unknown)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A fresh fake holds the next member add for 2 s; a proxy in
			// front of it says when that request arrives.
			vars := startTimfake(t)
			resp, err := http.Post(vars["TIM_BASE_URL"]+"/_timfake/fail_next", "application/json",
				strings.NewReader(`{"command": "add_permission_group_member", "n": 1, "fault": {"delay_ms": 2000}}`))
			require.NoError(t, err)
			resp.Body.Close()
			target, err := neturl.Parse(vars["TIM_BASE_URL"])
			require.NoError(t, err)
			arrived := make(chan struct{}, 4)
			proxy := httputil.NewSingleHostReverseProxy(target)
			proxy.ErrorLog = log.New(io.Discard, "", 0) // an aborted request is the point of a test here
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/add_permission_group_member") {
					arrived <- struct{}{}
				}
				proxy.ServeHTTP(w, r)
			}))
			defer front.Close()

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "apply", "-auto-approve", "-concurrency", "1", "-f", demoSpec)
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "TIM_") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			for k, v := range vars {
				if k == "TIM_BASE_URL" {
					v = front.URL + target.Path
				}
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			var out, errOut lockedBuffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			require.NoError(t, cmd.Start())
			select {
			case <-arrived:
			case <-time.After(30 * time.Second):
				t.Fatalf("no member add arrived; stderr: %s", errOut.String())
			}
			for range tc.signals {
				require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
				time.Sleep(100 * time.Millisecond)
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			require.True(t, errors.As(err, &exit), "exit status 1, not %v; stderr: %s", err, errOut.String())
			assert.Equal(t, 1, exit.ExitCode())
			assert.Contains(t, out.String(), tc.want)
			assert.Contains(t, out.String(), "not attempted  + create @PMG#_newcomers")
			assert.Contains(t, errOut.String(), "tim apply: interrupted: starting nothing new")
		})
	}
}
