package tim_test

// The callback token's part of the secret scan: nothing a Handler or the
// fake's callback sender hands out — the Handler itself, the errors given
// to OnError, the answers to refused callbacks, the fake, its callback
// records, WaitCallbacks' error, its callback log — holds the token or any
// Sign made with it, in any printed or marshalled form.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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

func TestCallbackSecretScan(t *testing.T) {
	const token = "callback-token-under-scan"
	at := time.Now().Truncate(time.Second)
	clock := func() time.Time { return at }
	signs := []string{callback.Sign(token, at.Unix()), callback.Sign(token, at.Unix()-90), callback.Sign(token, at.Unix()+90)}

	var mu sync.Mutex
	var errs []error
	keep := func(_ context.Context, err error) { mu.Lock(); defer mu.Unlock(); errs = append(errs, err) }
	h := callback.NewHandler(timtest.DefaultSDKAppID, token, callback.WithClock(clock), callback.OnError(keep),
		callback.OnAfterMemberExit(func(context.Context, *callback.AfterMemberExit) error { return errors.New("handler failed") }),
		callback.OnAfterNewMemberJoin(func(context.Context, *callback.AfterNewMemberJoin) error { panic("handler panicked") }),
	)
	app := httptest.NewServer(h)
	defer app.Close()

	// Refused callbacks of every reason, as an attacker or a misconfigured
	// service would send them, and handler failures.
	var answers strings.Builder
	send := func(q url.Values, body string) {
		resp, err := http.Post(app.URL+"/?"+q.Encode(), "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		fmt.Fprintf(&answers, "%d %v\n", resp.StatusCode, resp.Header)
		reply, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		answers.Write(reply)
	}
	query := func(command string, secs int64, sign string) url.Values {
		return url.Values{"SdkAppid": {strconv.FormatUint(timtest.DefaultSDKAppID, 10)}, "CallbackCommand": {command}, "contenttype": {"json"},
			"Sign": {sign}, "RequestTime": {strconv.FormatInt(secs, 10)}}
	}
	exit := `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"g"}`
	join := `{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"g"}`
	send(query(callback.CommandAfterMemberExit, at.Unix()-90, signs[1]), exit)                                       // too old, its Sign valid
	send(query(callback.CommandAfterMemberExit, at.Unix()+90, signs[2]), exit)                                       // ahead
	send(query(callback.CommandAfterMemberExit, at.Unix()+1, signs[0]), exit)                                        // the Sign of another time
	send(query(callback.CommandAfterMemberExit, at.Unix(), strings.ToUpper(signs[0])), exit)                         // upper case
	send(query(callback.CommandAfterMemberExit, at.Unix(), signs[0]+signs[0]), exit)                                 // too long
	send(query(callback.CommandAfterMemberExit, at.Unix(), signs[0]), exit[:10])                                     // malformed after a valid Sign
	send(query(callback.CommandAfterNewMemberJoin, at.Unix(), signs[0]), exit)                                       // commands differ
	send(query(callback.CommandAfterMemberExit, at.Unix(), signs[0]), exit)                                          // a handler error
	send(query(callback.CommandAfterNewMemberJoin, at.Unix(), signs[0]), join)                                       // a panic
	send(url.Values{"SdkAppid": {"1"}, "Sign": {signs[0]}, "RequestTime": {strconv.FormatInt(at.Unix(), 10)}}, exit) // another app

	// The fake's sender: one delivered, one refused by a Handler with
	// another token, one to nobody; the log on the side.
	other := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, "another", callback.WithClock(clock)))
	defer other.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	var log syncBuffer
	var fakes []*timtest.Server
	tlsApp := httptest.NewTLSServer(h)
	defer tlsApp.Close()
	for _, target := range []string{app.URL, other.URL, down.URL, tlsApp.URL} {
		opts := []timtest.Option{timtest.WithClock(clock), timtest.WithRateLimit(1), timtest.WithCallback(target, token), timtest.WithCallbackLog(&log)}
		if target == tlsApp.URL {
			opts = append(opts, timtest.WithCallbackHTTPClient(tlsApp.Client()))
		}
		srv := timtest.NewServer(opts...)
		defer srv.Close()
		c, err := srv.NewClient()
		require.NoError(t, err)
		_, _ = c.RoleOf(context.Background(), "@TGS#_none", "peter") // the alert
		c.Close()
		fakes = append(fakes, srv)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var waitErrs []error
	for _, srv := range fakes {
		if err := srv.WaitCallbacks(ctx); err != nil {
			waitErrs = append(waitErrs, err)
		}
	}
	require.Len(t, waitErrs, 2, "refused by the other token, and nobody listening")

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, errs, 10)
	var out testifyOutput
	h2 := callback.NewHandler(timtest.DefaultSDKAppID, "other-token")
	assert.Equal(&out, h, h2)
	assert.Equal(&out, fakes[0], fakes[1])
	assert.Equal(&out, fakes[1].Callbacks(), fakes[2].Callbacks())
	assert.Equal(&out, errs, []error{})
	require.Contains(t, out.String(), "Diff:")

	targets := map[string]string{
		"testify diffs":  out.String(),
		"handler":        dumps(h),
		"handler value":  dumps(*h),
		"answers":        answers.String(),
		"callback log":   log.String(),
		"fake":           dumps(fakes[1]),
		"fake records":   dumps(fakes[1].Callbacks()) + dumps(fakes[2].Callbacks()),
		"WaitCallbacks":  dumps(waitErrs[0]) + dumps(waitErrs[1]),
		"handler errors": dumps(errs),
	}
	for i, err := range errs {
		targets[fmt.Sprintf("error %d (%T): %v", i, err, err)] = dumps(err)
	}
	for name, text := range targets {
		assert.Empty(t, leaks(text, token, signs), "%s", name)
	}
	// What spew shows as hex dumps (a pooled connection's buffers, say), a
	// walk of every string and byte reachable finds.
	for i, srv := range fakes {
		for _, secret := range append([]string{token}, signs...) {
			assert.False(t, tim.HoldsSecret(srv, secret), "fake %d holds %.8s…", i, secret)
		}
		assert.False(t, tim.HoldsSecret(h, token), "the handler")
	}
	assert.Contains(t, dumps(fakes[0].Callbacks()), "Sign=[redacted]")
}
