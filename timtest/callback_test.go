package timtest

// Tests of the fake's callbacks: emitted (as the REST handlers emit them)
// and received by a callback.Handler on a test server, which verifies and
// decodes them as an app's backend would.

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
)

const cbToken = "console-callback-token"

// app is an app's callback endpoint: a callback.Handler behind a recorder
// of the raw requests.
type app struct {
	srv    *httptest.Server
	mu     sync.Mutex
	raw    []*http.Request
	bodies []string
	events []callback.Event
	errs   []error
}

func (a *app) add(f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f()
}

func (a *app) got() ([]*http.Request, []string, []callback.Event, []error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.raw, a.bodies, a.events, a.errs
}

// newApp serves a callback.Handler for app DefaultSDKAppID and token on
// clock, recording every event; opts come after.
func newApp(t *testing.T, token string, clock func() time.Time, opts ...callback.Option) *app {
	t.Helper()
	a := &app{}
	all := []callback.Option{
		callback.WithClock(clock),
		callback.OnEvent(func(_ context.Context, e callback.Event) error {
			a.add(func() { a.events = append(a.events, e) })
			return nil
		}),
		callback.OnError(func(_ context.Context, err error) { a.add(func() { a.errs = append(a.errs, err) }) }),
	}
	if token == "" {
		all = append(all, callback.InsecureSkipSignCheck())
	}
	h := callback.NewHandler(DefaultSDKAppID, token, append(all, opts...)...)
	require.NoError(t, h.Err())
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a.add(func() { a.raw, a.bodies = append(a.raw, r), append(a.bodies, string(body)) })
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// fixedClock is a clock stopped at the current second, so that UserSigs
// made now verify and RequestTime is known.
func fixedClock() (time.Time, func() time.Time) {
	at := time.Now().Truncate(time.Second)
	return at, func() time.Time { return at }
}

// emit emits a callback as a REST handler does: with s.mu held.
func emit(s *Server, command string, body map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emitCallback(command, body)
}

func waitCallbacks(t *testing.T, s *Server) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.WaitCallbacks(ctx)
}

// The fake's callbacks verify and decode, for every typed command, with
// the documented URL and bodies.
func TestCallbacksVerifyEndToEnd(t *testing.T) {
	at, clock := fixedClock()
	a := newApp(t, cbToken, clock)
	srv := newTestServer(t, WithClock(clock), WithCallback(a.srv.URL+"/tim/callback", cbToken))

	emit(srv, callback.CommandAfterCreateTopic, map[string]any{
		"UserDefinedDataList": []map[string]string{{"Key": "tier", "Value": "gold"}}, "Name": "news", "Type": "Community",
		"Owner_Account": "leckie", "Operator_Account": "administrator", "TopicId": tComm + "@TOPIC#_news", "GroupId": tComm,
	})
	emit(srv, callback.CommandAfterTopicDestroyed, map[string]any{"GroupId": tComm, "Type": "Community", "TopicIdList": []string{tComm + "@TOPIC#_news"}})
	emit(srv, callback.CommandAfterTopicInfoChanged, map[string]any{"GroupId": tComm, "Type": "Community", "Operator_Account": "administrator", "Name": "news & more"})
	emit(srv, callback.CommandAfterNewMemberJoin, map[string]any{"GroupId": tComm, "Type": "Community", "JoinType": "Invited", "Operator_Account": "administrator",
		"NewMemberList": []map[string]string{{"Member_Account": "jared"}, {"Member_Account": "tommy"}}})
	emit(srv, callback.CommandAfterMemberExit, map[string]any{"GroupId": tComm, "Type": "Community", "ExitType": "Kicked", "Operator_Account": "administrator",
		"ExitMemberList": []map[string]string{{"Member_Account": "jared"}}})
	emit(srv, callback.CommandAfterMemberFieldChanged, map[string]any{"GroupId": tComm, "Type": "Community", "Operator_Account": "administrator",
		"Modified_Account": "tommy", "Role": "Admin"})
	emit(srv, callback.CommandAfterGroupInfoChanged, map[string]any{"GroupId": tComm, "Type": "Community", "Operator_Account": "administrator", "Notification": "hi"})
	require.NoError(t, waitCallbacks(t, srv))

	raw, bodies, events, errs := a.got()
	require.Empty(t, errs)
	require.Len(t, events, 7)
	sign := callback.Sign(cbToken, at.Unix())
	for i, r := range raw {
		cmd := events[i].Metadata().Command
		assert.Equal(t, "/tim/callback", r.URL.Path)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "SdkAppid=1400000000&CallbackCommand="+url.QueryEscape(cmd)+"&contenttype=json&ClientIP=&OptPlatform=RESTAPI&Sign="+sign+
			"&RequestTime="+strconv.FormatInt(at.Unix(), 10), r.URL.RawQuery)
		assert.True(t, strings.HasPrefix(bodies[i], `{"CallbackCommand":"`+cmd+`",`), bodies[i])
	}
	ms := strconv.FormatInt(at.UnixMilli(), 10)
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"`+tComm+`","TopicId":"`+tComm+`@TOPIC#_news","Operator_Account":"administrator","Owner_Account":"leckie","Type":"Community","Name":"news","UserDefinedDataList":[{"Key":"tier","Value":"gold"}]}`, bodies[0])
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterTopicInfoChanged","GroupId":"`+tComm+`","Type":"Community","Operator_Account":"administrator","Name":"news & more"}`, bodies[2])
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"`+tComm+`","Type":"Community","JoinType":"Invited","Operator_Account":"administrator","NewMemberList":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":`+ms+`}`, bodies[3])
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterMemberFieldChanged","GroupId":"`+tComm+`","Type":"Community","Operator_Account":"administrator","Modified_Account":"tommy","Role":"Admin","EventTime":"`+ms+`"}`, bodies[5])

	created := events[0].(*callback.AfterCreateTopic)
	assert.Equal(t, tComm+"@TOPIC#_news", created.TopicID)
	assert.Equal(t, []callback.KeyValue{{Key: "tier", Value: "gold"}}, created.CustomData)
	assert.Equal(t, at.UTC(), created.RequestTime)
	assert.Equal(t, []string{tComm + "@TOPIC#_news"}, events[1].(*callback.AfterTopicDestroyed).TopicIDs)
	assert.Equal(t, "news & more", *events[2].(*callback.AfterTopicInfoChanged).Name)
	join := events[3].(*callback.AfterNewMemberJoin)
	assert.Equal(t, []string{"jared", "tommy"}, join.Accounts)
	assert.Equal(t, at.UTC(), join.EventTime, "EventTime comes from the fake's clock")
	assert.Equal(t, []string{"jared"}, events[4].(*callback.AfterMemberExit).Accounts)
	field := events[5].(*callback.AfterMemberFieldChanged)
	assert.Equal(t, "tommy", field.Account)
	assert.Equal(t, at.UTC(), field.EventTime)
	assert.Equal(t, "hi", *events[6].(*callback.AfterGroupInfoChanged).Notification)

	recs := srv.Callbacks()
	require.Len(t, recs, 7)
	for _, rec := range recs {
		assert.NoError(t, rec.Err)
		assert.Equal(t, []any{200, "OK", 0}, []any{rec.Status, rec.ActionStatus, rec.ErrorCode})
		assert.Contains(t, rec.URL, "&Sign=[redacted]&RequestTime=")
		assert.NotContains(t, rec.URL, sign)
		assert.Equal(t, at, rec.RequestTime)
	}
}

// callbackBody puts CallbackCommand first, the documented fields in order,
// EventTime in the documented shape, then the rest by name, unescaped.
func TestCallbackBody(t *testing.T) {
	now := time.UnixMilli(1670574414123)
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"g","ExitType":"Quit","EventTime":1670574414123,"A":1,"Z":"<&>"}`,
		string(callbackBody(callback.CommandAfterMemberExit, map[string]any{"Z": "<&>", "ExitType": "Quit", "A": 1, "GroupId": "g"}, now)))
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"g","EventTime":"1670574414123"}`,
		string(callbackBody(callback.CommandAfterGroupInfoChanged, map[string]any{"GroupId": "g"}, now)))
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"g","EventTime":5}`,
		string(callbackBody(callback.CommandAfterGroupInfoChanged, map[string]any{"GroupId": "g", "EventTime": 5}, now)), "a given EventTime stays")
	assert.Equal(t, `{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","TopicIdList":["x"]}`,
		string(callbackBody(callback.CommandAfterTopicDestroyed, map[string]any{"TopicIdList": []string{"x"}}, now)), "no EventTime where the docs have none")
	assert.Equal(t, `{"CallbackCommand":"Some.Other","B":null,"C":true}`,
		string(callbackBody("Some.Other", map[string]any{"C": true, "B": make(chan int)}, now)))
}

// Callbacks go one at a time in the order emitted.
func TestCallbacksInOrder(t *testing.T) {
	_, clock := fixedClock()
	a := newApp(t, cbToken, clock)
	srv := newTestServer(t, WithClock(clock), WithCallback(a.srv.URL, cbToken))
	for i := range 50 {
		emit(srv, "Test.Sequence", map[string]any{"N": i})
	}
	require.NoError(t, waitCallbacks(t, srv))
	_, bodies, _, _ := a.got()
	require.Len(t, bodies, 50)
	for i, b := range bodies {
		assert.Equal(t, fmt.Sprintf(`{"CallbackCommand":"Test.Sequence","N":%d}`, i), b)
	}
}

// withTestCommand serves command with h instead of its handler for the
// test's duration, so that a test controls what the command does.
func withTestCommand(t *testing.T, command string, h handler) {
	t.Helper()
	had, ok := handlers[command]
	handlers[command] = h
	t.Cleanup(func() {
		if ok {
			handlers[command] = had
		} else {
			delete(handlers, command)
		}
	})
}

// A callback emitted by a REST handler is sent after the call's answer,
// with the REST caller's IP.
func TestCallbackAfterTheAnswer(t *testing.T) {
	_, clock := fixedClock()
	var srv *Server
	var seenRecords []int
	var a *app
	a = newApp(t, cbToken, clock, callback.OnAfterCreateTopic(func(context.Context, *callback.AfterCreateTopic) error {
		n := len(srv.RequestsFor("create_topic"))
		a.add(func() { seenRecords = append(seenRecords, n) })
		return nil
	}))
	srv = newTestServer(t, WithClock(clock), WithCallback(a.srv.URL, cbToken))
	require.NoError(t, srv.CreateCommunity(tComm, tOwner))
	withTestCommand(t, "create_topic", func(s *Server, body []byte) (result, *fail) {
		s.emitCallback(callback.CommandAfterCreateTopic, map[string]any{"GroupId": tComm, "TopicId": tComm + "@TOPIC#_x", "Type": "Community"})
		return result{"TopicId": tComm + "@TOPIC#_x"}, nil
	})
	// The answer comes 300 ms after the command ran: a callback sent at
	// once would arrive before the fake recorded the request.
	require.NoError(t, srv.FailNext("create_topic", 1, Fault{Delay: 300 * time.Millisecond, AfterApply: true}))
	env := postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm, "TopicName": "x"})
	assertCode(t, 0, env)
	require.NoError(t, waitCallbacks(t, srv))
	a.add(func() { assert.Equal(t, []int{1}, seenRecords, "the callback arrived after the answer") })
	raw, _, _, _ := a.got()
	require.Len(t, raw, 2, "the before-callback, then the after-callback")
	assert.Equal(t, "127.0.0.1", raw[1].URL.Query().Get("ClientIP"))
}

// Group.CallbackBeforeCreateTopic is asked before create_topic runs; the
// app's answer decides, and the fake does not hold its lock meanwhile.
func TestBeforeCreateTopic(t *testing.T) {
	_, clock := fixedClock()
	cases := []struct {
		name     string
		decision callback.Decision
		err      error
		code     tim.ErrorCode
		info     string
	}{
		{name: "allowed", code: 0},
		{name: "denied", decision: callback.Decision{Deny: true}, code: tim.ErrCallbackDenied},
		{name: "denied with the app's code", decision: callback.Decision{Deny: true, Code: 10150, Info: "no topics on Sundays"}, code: 10150, info: "no topics on Sundays"},
		{name: "the app's handler fails: denied", err: errors.New("db down"), code: tim.ErrCallbackDenied},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			var asked []*callback.BeforeCreateTopic
			var a *app
			a = newApp(t, cbToken, clock, callback.OnBeforeCreateTopic(func(_ context.Context, e *callback.BeforeCreateTopic) (callback.Decision, error) {
				a.add(func() { asked = append(asked, e) })
				// A read of the fake's state from the callback: it would
				// deadlock if the fake held its lock.
				if _, err := srv.PermissionGroupMembers(tComm, "@PMG#_none"); err == nil {
					return callback.Decision{}, errors.New("unexpected")
				}
				return tc.decision, tc.err
			}))
			srv = newTestServer(t, WithClock(clock), WithCallback(a.srv.URL, cbToken))
			require.NoError(t, srv.CreateCommunity(tComm, tOwner))
			ran := 0
			withTestCommand(t, "create_topic", func(s *Server, body []byte) (result, *fail) {
				ran++
				return result{}, nil
			})
			env := postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm, "TopicName": "news", "From_Account": "peter"})
			if tc.code == 0 {
				assertCode(t, 0, env)
				assert.Equal(t, 1, ran)
			} else {
				assertCode(t, tc.code, env)
				assert.Zero(t, ran, "a denied create does not run")
			}
			if tc.info != "" {
				assert.Equal(t, tc.info, env.ErrorInfo)
			}
			a.add(func() {
				require.Len(t, asked, 1)
				assert.Equal(t, []string{"peter", "Community", "news"}, []string{asked[0].Operator, asked[0].Type, asked[0].Name})
			})
			recs := srv.Callbacks()
			require.Len(t, recs, 1)
			assert.Equal(t, callback.CommandBeforeCreateTopic, recs[0].Command)
			assert.NoError(t, recs[0].Err)
		})
	}
}

// A before-callback nobody answers lets the call go on (inferred), and is
// recorded as failed; the operator defaults to the calling admin.
func TestBeforeCreateTopicUnanswered(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	srv := newTestServer(t, WithCallback(down.URL, cbToken))
	require.NoError(t, srv.CreateCommunity(tComm, tOwner))
	withTestCommand(t, "create_topic", func(*Server, []byte) (result, *fail) { return result{}, nil })
	assertCode(t, 0, postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm, "TopicName": "news"}))
	recs := srv.Callbacks()
	require.Len(t, recs, 1)
	require.Error(t, recs[0].Err)
	assert.Contains(t, recs[0].Err.Error(), "no answer")
	assert.Contains(t, string(recs[0].Body), `"Operator_Account":"administrator"`)

	// No community: no callback, the command answers.
	assertCode(t, 0, postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": "@TGS#_missing", "TopicName": "news"}))
	assert.Len(t, srv.Callbacks(), 1)
}

// Alert.RequestOverLimit goes once a second when a command passes 80% of
// the rate limit.
func TestAlertRequestOverLimit(t *testing.T) {
	at, _ := fixedClock()
	now := at
	var mu sync.Mutex
	moving := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	a := newApp(t, cbToken, moving)
	srv := newTestServer(t, WithClock(moving), WithRateLimit(10), WithCallback(a.srv.URL, cbToken))
	require.NoError(t, srv.CreateCommunity(tComm, tOwner))
	c, err := srv.NewClient()
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	for range 10 {
		_, err := c.RoleOf(ctx, tComm, tOwner)
		require.NoError(t, err)
	}
	require.NoError(t, waitCallbacks(t, srv))
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	for range 9 {
		_, err := c.RoleOf(ctx, tComm, tOwner)
		require.NoError(t, err)
	}
	require.NoError(t, waitCallbacks(t, srv))

	raw, bodies, events, errs := a.got()
	require.Empty(t, errs)
	require.Len(t, events, 2, "one alert a second")
	for i, e := range events {
		alert := e.(*callback.RequestOverLimit)
		assert.Equal(t, callback.RequestOverLimit{Meta: alert.Meta, Service: "group_open_http_svc", APICommand: "get_role_in_group", Rate: 9, Limit: 10}, *alert)
		assert.Equal(t, "", alert.ClientIP)
		assert.Equal(t, "SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit&OptPlatform=RESTAPI&contenttype=json&Sign="+
			callback.Sign(cbToken, at.Unix()+int64(i))+"&RequestTime="+strconv.FormatInt(at.Unix()+int64(i), 10), raw[i].URL.RawQuery)
	}
	assert.Equal(t, `{"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"group_open_http_svc","Command":"get_role_in_group","Request":9,"Limit":10}`, bodies[0])
}

// Unsigned callbacks (the console's authentication off) carry no Sign and
// no RequestTime.
func TestUnsignedCallbacks(t *testing.T) {
	_, clock := fixedClock()
	a := newApp(t, "", clock)
	srv := newTestServer(t, WithClock(clock), WithCallback(a.srv.URL+"/cb?tenant=7", ""))
	emit(srv, callback.CommandAfterMemberExit, map[string]any{"GroupId": tComm})
	require.NoError(t, waitCallbacks(t, srv))
	raw, _, events, _ := a.got()
	require.Len(t, events, 1)
	assert.Equal(t, "tenant=7&SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterMemberExit&contenttype=json&ClientIP=&OptPlatform=RESTAPI", raw[0].URL.RawQuery)
}

// Failed deliveries are recorded, and WaitCallbacks returns them, without
// the Sign.
func TestCallbackFailures(t *testing.T) {
	at, clock := fixedClock()
	a := newApp(t, "another-token", clock)
	var log strings.Builder
	var logMu sync.Mutex
	srv := newTestServer(t, WithClock(clock), WithCallback(a.srv.URL, cbToken), WithCallbackLog(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return log.Write(p)
	})))
	emit(srv, callback.CommandAfterMemberExit, map[string]any{"GroupId": tComm})
	err := waitCallbacks(t, srv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HTTP 403")
	assert.NotContains(t, err.Error(), callback.Sign(cbToken, at.Unix()))
	_, _, events, errs := a.got()
	assert.Empty(t, events)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], callback.ErrWrongSign)
	recs := srv.Callbacks()
	require.Len(t, recs, 1)
	assert.Equal(t, []any{403, "FAIL", 1}, []any{recs[0].Status, recs[0].ActionStatus, recs[0].ErrorCode})
	logMu.Lock()
	assert.Contains(t, log.String(), "timtest: callback Group.CallbackAfterMemberExit failed: ")
	logMu.Unlock()

	// The records can be forgotten.
	srv.ResetCallbacks()
	assert.NoError(t, waitCallbacks(t, srv))

	// Nobody listening; a URL that is not http.
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	for target, want := range map[string]string{down.URL: "no answer", "ftp://example.com/cb": "must be http:// or https://"} {
		srv := newTestServer(t, WithCallback(target, cbToken))
		emit(srv, callback.CommandAfterMemberExit, map[string]any{"GroupId": tComm})
		err := waitCallbacks(t, srv)
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// A full queue drops callbacks without waiting; Close cancels the delivery
// under way and drops the queue, without waiting for a stuck app.
func TestCallbackQueueAndClose(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer stuck.Close()
	defer close(release)
	srv := NewServer(WithCallback(stuck.URL, cbToken))
	emit(srv, "Test.First", nil)
	<-arrived // the first is being sent and stays stuck
	for range maxQueuedCallbacks + 5 {
		emit(srv, "Test.More", nil)
	}
	recs := srv.Callbacks()
	require.Len(t, recs, 5, "past the bound, dropped at once")
	assert.ErrorContains(t, recs[0].Err, "not sent: 1000 callbacks were waiting")

	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for the stuck app")
	}
	recs = srv.Callbacks()
	require.Len(t, recs, 5+1+maxQueuedCallbacks)
	assert.ErrorContains(t, recs[5].Err, "no answer", "the one under way is cancelled")
	assert.ErrorContains(t, recs[len(recs)-1].Err, "not sent: the fake was closed first")
	emit(srv, "Test.AfterClose", nil)
	assert.ErrorContains(t, srv.Callbacks()[len(recs)].Err, "not sent: the fake was closed first")
	assert.Error(t, srv.WaitCallbacks(context.Background()), "nothing pending; the failures are returned")
}

// Without WithCallback nothing is sent, and the seams do nothing.
func TestNoCallbacks(t *testing.T) {
	srv := newTestServer(t)
	emit(srv, callback.CommandAfterMemberExit, map[string]any{"GroupId": tComm})
	assert.Nil(t, srv.Callbacks())
	assert.NoError(t, srv.WaitCallbacks(context.Background()))
	srv.ResetCallbacks()
}

// A handler learns the calling admin, for Operator_Account.
func TestCallbackOperator(t *testing.T) {
	_, clock := fixedClock()
	a := newApp(t, cbToken, clock)
	srv := newTestServer(t, WithClock(clock), WithCallback(a.srv.URL, cbToken))
	require.NoError(t, srv.CreateCommunity(tComm, tOwner))
	var seen []string
	withTestCommand(t, "destroy_topic", func(s *Server, body []byte) (result, *fail) {
		seen = append(seen, s.operator)
		return result{}, nil
	})
	assertCode(t, 0, postEnv(t, srv, "destroy_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm}))
	srv.mu.Lock()
	seen = append(seen, srv.operator)
	srv.mu.Unlock()
	assert.Equal(t, []string{DefaultAdmin, ""}, seen)
}

// The app is asked only about a topic the fake would make: a create_topic
// that fails its own checks (a name over 30 bytes, a custom ID in use) is
// answered without a before-callback.
func TestBeforeCreateTopicOnlyForValidRequests(t *testing.T) {
	_, clock := fixedClock()
	a := newApp(t, cbToken, clock)
	srv := newTestServer(t, WithClock(clock), WithCallback(a.srv.URL, cbToken))
	require.NoError(t, srv.CreateCommunity(tComm, tOwner))
	require.NoError(t, srv.CreateTopic(tComm, tComm+"@TOPIC#_taken"))
	assertCode(t, tim.ErrInvalidParameter, postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm, "TopicName": strings.Repeat("n", 31)}))
	assertCode(t, tim.ErrIDInUseByYou, postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm, "TopicId": tComm + "@TOPIC#_taken", "TopicName": "t"}))
	require.NoError(t, srv.WaitCallbacks(context.Background()))
	assert.Empty(t, srv.Callbacks())
	assertCode(t, 0, postEnv(t, srv, "create_topic", adminQuery(t, srv), map[string]any{"GroupId": tComm, "TopicName": "fine"}))
	require.NoError(t, srv.WaitCallbacks(context.Background()))
	recs := srv.Callbacks()
	require.Len(t, recs, 2)
	assert.Equal(t, callback.CommandBeforeCreateTopic, recs[0].Command)
}
