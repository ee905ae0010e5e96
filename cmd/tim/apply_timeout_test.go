package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// TestApplyTimeoutStartsAtTheAnswer: the time the operator spends at the
// prompt does not count against -timeout: an hour there, then "yes", and
// the apply runs whole.
func TestApplyTimeoutStartsAtTheAnswer(t *testing.T) {
	srv := demoFake(t)
	clock := &fakeClock{}
	stdin, answer := io.Pipe()
	defer answer.Close()
	var out bytes.Buffer
	errOut := &watchedBuffer{}
	e := &env{stdin: stdin, stdout: &out, stderr: errOut, isTerminal: func() bool { return true }, timer: clock.timer}
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), e, []string{"apply", "-timeout", "10m", "-f", demoSpec}) }()
	errOut.await(t, "Enter a value: ")

	clock.advance(time.Hour) // the operator reads the plan
	_, err := answer.Write([]byte("yes\n"))
	require.NoError(t, err)

	status := exited(t, done, "apply after the answer")
	assert.Equal(t, exitOK, status, errOut.String())
	assert.Contains(t, out.String(), "Apply: 14 applied, 0 failed, 0 unknown, 0 not attempted; 14 API calls.")
	assert.Len(t, writesTo(srv), 14)
}

// holdFirst is a proxy in front of the fake that holds the first request
// of command until release is called, and says when it arrives.
func holdFirst(t *testing.T, srv *timtest.Server, command string) (url string, arrived <-chan struct{}, release func()) {
	target, err := neturl.Parse(srv.URL())
	require.NoError(t, err)
	arrivedCh, releaseCh := make(chan struct{}), make(chan struct{})
	var first, released sync.Once
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // an aborted request is no news here
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/"+command) {
			first.Do(func() {
				close(arrivedCh)
				select {
				case <-releaseCh:
				case <-r.Context().Done():
				}
			})
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	release = func() { released.Do(func() { close(releaseCh) }) }
	t.Cleanup(release)
	return front.URL + strings.TrimPrefix(srv.URL(), target.Scheme+"://"+target.Host), arrivedCh, release
}

// TestApplyTimeoutStopsGracefully: when -timeout runs out while a write is
// in flight, apply stops as on an interrupt: nothing new starts, the write
// sent finishes (applied, not unknown), every operation is reported, and
// the message says the timeout ran out.
func TestApplyTimeoutStopsGracefully(t *testing.T) {
	srv := demoFake(t)
	url, arrived, release := holdFirst(t, srv, tim.CommandAddPermissionGroupMember)
	t.Setenv("TIM_BASE_URL", url)
	clock := &fakeClock{}
	var out bytes.Buffer
	errOut := &watchedBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: errOut, timer: clock.timer}
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), e, []string{"apply", "-auto-approve", "-concurrency", "1", "-timeout", "10m", "-f", demoSpec})
	}()
	select {
	case <-arrived:
	case <-time.After(time.Minute):
		t.Fatalf("no member add arrived: %s", errOut.String())
	}

	clock.advance(10 * time.Minute)
	errOut.await(t, "tim apply: -timeout (10m0s) ran out: starting nothing new; waiting up to 10s for the writes already sent")
	release()

	status := exited(t, done, "after the timeout")
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut.String(), "tim apply: -timeout (10m0s) ran out: the community does not match the spec yet")
	assert.NotContains(t, errOut.String(), "interrupted")
	assert.Contains(t, out.String(), "applied        + add members @PMG#_moderators: 1 account [1 call]", "the write in flight finished")
	assert.Contains(t, out.String(), "not attempted  + add members @PMG#_newcomers")
	assert.NotContains(t, out.String(), "unknown        ")
	assert.Len(t, srv.RequestsFor(tim.CommandAddPermissionGroupMember), 1, "no member add started after it")
	members, err := srv.PermissionGroupMembers(demoGroup, "@PMG#_moderators")
	require.NoError(t, err)
	assert.Contains(t, members, "erin", "the write sent before the timeout was applied")
}
