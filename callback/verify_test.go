package callback_test

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim/callback"
)

const exitBody = `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#2J4SZEAEL","Type":"Public","ExitType":"Kicked","Operator_Account":"leckie","ExitMemberList":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":1670574414123}`

// TestSign checks the documented vector.
func TestSign(t *testing.T) {
	assert.Equal(t, "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", callback.Sign("xxxxyyyy", 1669872112))
	assert.NotEqual(t, callback.Sign("xxxxyyyy", 1669872112), callback.Sign("xxxxyyyy", 1669872113))
	assert.NotEqual(t, callback.Sign("xxxxyyyy", 1669872112), callback.Sign("xxxxyyyz", 1669872112))
}

// readSpy is a body that records whether anyone read it.
type readSpy struct {
	r    io.Reader
	read bool
}

func (s *readSpy) Read(p []byte) (int, error) { s.read = true; return s.r.Read(p) }

// envelope decodes a reply.
func envelope(t *testing.T, w *httptest.ResponseRecorder) (status string, code int, info string) {
	t.Helper()
	var e struct {
		ActionStatus string
		ErrorCode    int
		ErrorInfo    string
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e), w.Body.String())
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	return e.ActionStatus, e.ErrorCode, e.ErrorInfo
}

func TestRefusals(t *testing.T) {
	signed := func(mod func(q url.Values)) url.Values {
		q := query(callback.CommandAfterMemberExit, testToken, testTime)
		if mod != nil {
			mod(q)
		}
		return q
	}
	at := func(secs int64) url.Values { return query(callback.CommandAfterMemberExit, testToken, secs) }
	cases := []struct {
		name     string
		method   string
		q        url.Values
		body     string
		opts     []callback.Option
		status   int
		reason   error
		bodyRead bool // whether the refusal comes after reading the body
	}{
		{name: "wrong Sign", q: signed(func(q url.Values) { q.Set("Sign", callback.Sign("another-token", testTime)) }), status: 403, reason: callback.ErrWrongSign},
		{name: "Sign of another time", q: signed(func(q url.Values) { q.Set("Sign", callback.Sign(testToken, testTime-1)) }), status: 403, reason: callback.ErrWrongSign},
		{name: "Sign in upper case", q: signed(func(q url.Values) { q.Set("Sign", strings.ToUpper(q.Get("Sign"))) }), status: 403, reason: callback.ErrWrongSign},
		{name: "Sign twice", q: signed(func(q url.Values) { q.Add("Sign", "00") }), status: 403, reason: callback.ErrWrongSign},
		{name: "no Sign", q: signed(func(q url.Values) { q.Del("Sign") }), status: 403, reason: callback.ErrMissingSign},
		{name: "empty Sign", q: signed(func(q url.Values) { q.Set("Sign", "") }), status: 403, reason: callback.ErrMissingSign},
		{name: "RequestTime 90 s old", q: at(testTime - 90), status: 403, reason: callback.ErrOutsideWindow},
		{name: "RequestTime 90 s ahead", q: at(testTime + 90), status: 403, reason: callback.ErrOutsideWindow},
		{name: "RequestTime 61 s old", q: at(testTime - 61), status: 403, reason: callback.ErrOutsideWindow},
		{name: "RequestTime 61 s ahead", q: at(testTime + 61), status: 403, reason: callback.ErrOutsideWindow},
		{name: "RequestTime far in the future", q: at(1 << 62), status: 403, reason: callback.ErrOutsideWindow},
		{name: "no RequestTime", q: signed(func(q url.Values) { q.Del("RequestTime") }), status: 403, reason: callback.ErrMissingRequestTime},
		{name: "RequestTime with a plus", q: signed(func(q url.Values) { q.Set("RequestTime", "+1669872112") }), status: 403, reason: callback.ErrBadRequestTime},
		{name: "RequestTime with a leading zero", q: signed(func(q url.Values) { q.Set("RequestTime", "01669872112") }), status: 403, reason: callback.ErrBadRequestTime},
		{name: "RequestTime in ms", q: signed(func(q url.Values) { q.Set("RequestTime", "1669872112000.5") }), status: 403, reason: callback.ErrBadRequestTime},
		{name: "RequestTime twice", q: signed(func(q url.Values) { q.Add("RequestTime", "1669872112") }), status: 403, reason: callback.ErrBadRequestTime},
		{name: "another SdkAppid", q: signed(func(q url.Values) { q.Set("SdkAppid", "1400000001") }), status: 403, reason: callback.ErrWrongSDKAppID},
		{name: "SdkAppid not a number", q: signed(func(q url.Values) { q.Set("SdkAppid", "app") }), status: 403, reason: callback.ErrWrongSDKAppID},
		{name: "SdkAppid twice", q: signed(func(q url.Values) { q.Add("SdkAppid", "1400000001") }), status: 403, reason: callback.ErrWrongSDKAppID},
		{name: "no SdkAppid", q: signed(func(q url.Values) { q.Del("SdkAppid") }), status: 403, reason: callback.ErrMissingSDKAppID},
		{name: "GET", method: http.MethodGet, q: signed(nil), status: 405, reason: callback.ErrNotPost},
		{name: "PUT", method: http.MethodPut, q: signed(nil), status: 405, reason: callback.ErrNotPost},
		{name: "contenttype xml", q: signed(func(q url.Values) { q.Set("contenttype", "xml") }), status: 415, reason: callback.ErrContentType},
		{name: "oversized body", q: signed(nil), body: exitBody + strings.Repeat(" ", 1<<20), status: 413, reason: callback.ErrBodyTooLarge, bodyRead: true},
		{name: "over WithMaxBodyBytes", q: signed(nil), opts: []callback.Option{callback.WithMaxBodyBytes(int64(len(exitBody) - 1))}, status: 413, reason: callback.ErrBodyTooLarge, bodyRead: true},
		{name: "malformed JSON", q: signed(nil), body: exitBody[:len(exitBody)-1], status: 400, reason: callback.ErrMalformedBody, bodyRead: true},
		{name: "empty body", q: signed(nil), body: " ", status: 400, reason: callback.ErrMalformedBody, bodyRead: true},
		{name: "an array", q: signed(nil), body: `[` + exitBody + `]`, status: 400, reason: callback.ErrMalformedBody, bodyRead: true},
		{name: "a typed field of another type", q: signed(nil), body: strings.Replace(exitBody, `"@TGS#2J4SZEAEL"`, `5`, 1), status: 400, reason: callback.ErrMalformedBody, bodyRead: true},
		{name: "EventTime not a number", q: signed(nil), body: strings.Replace(exitBody, `1670574414123`, `"yesterday"`, 1), status: 400, reason: callback.ErrMalformedBody, bodyRead: true},
		{name: "CallbackCommand not a string", q: signed(nil), body: `{"CallbackCommand":5}`, status: 400, reason: callback.ErrMalformedBody, bodyRead: true},
		{name: "commands differ", q: signed(func(q url.Values) { q.Set("CallbackCommand", callback.CommandAfterNewMemberJoin) }), status: 400, reason: callback.ErrCommandMismatch, bodyRead: true},
		{name: "CallbackCommand twice", q: signed(func(q url.Values) { q.Add("CallbackCommand", callback.CommandAfterMemberExit) }), status: 400, reason: callback.ErrCommandMismatch, bodyRead: true},
		{name: "no command", q: signed(func(q url.Values) { q.Del("CallbackCommand") }), body: `{"GroupId":"@TGS#2J4SZEAEL"}`, status: 400, reason: callback.ErrMissingCommand, bodyRead: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c calls
			h := newHandler(&c, tc.opts...)
			require.NoError(t, h.Err())
			body := tc.body
			if body == "" {
				body = exitBody
			}
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			spy := &readSpy{r: strings.NewReader(body)}
			r := httptest.NewRequest(method, "/cb?"+tc.q.Encode(), spy)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			assert.Equal(t, tc.status, w.Code)
			status, code, _ := envelope(t, w)
			assert.Equal(t, "FAIL", status)
			assert.Equal(t, 1, code)
			assert.Zero(t, c.count(), "no handler is called")
			require.Len(t, c.errs, 1)
			assert.ErrorIs(t, c.errs[0], tc.reason)
			assert.Equal(t, tc.bodyRead, spy.read, "the body is read only once the URL is verified")
			if tc.status == 405 {
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			}
		})
	}
}

// The same callback with every accepted form of the URL reaches its
// handlers.
func TestAccepted(t *testing.T) {
	cases := map[string]url.Values{
		"the documented URL":        query(callback.CommandAfterMemberExit, testToken, testTime),
		"RequestTime 60 s old":      query(callback.CommandAfterMemberExit, testToken, testTime-60),
		"RequestTime 60 s ahead":    query(callback.CommandAfterMemberExit, testToken, testTime+60),
		"contenttype JSON":          withQuery(query(callback.CommandAfterMemberExit, testToken, testTime), "contenttype", "JSON"),
		"no contenttype":            withQuery(query(callback.CommandAfterMemberExit, testToken, testTime), "contenttype", ""),
		"command in the body only":  withQuery(query(callback.CommandAfterMemberExit, testToken, testTime), "CallbackCommand", ""),
		"no ClientIP, no platform":  withQuery(withQuery(query(callback.CommandAfterMemberExit, testToken, testTime), "ClientIP", ""), "OptPlatform", ""),
		"unknown parameters beside": withQuery(query(callback.CommandAfterMemberExit, testToken, testTime), "Extra", "1"),
	}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			var c calls
			w := post(newHandler(&c), q, exitBody)
			require.Equal(t, 200, w.Code, w.Body.String())
			status, code, info := envelope(t, w)
			assert.Equal(t, []any{"OK", 0, ""}, []any{status, code, info})
			require.Equal(t, 2, c.count(), "the typed handler and OnEvent")
			e := c.events[0].(*callback.AfterMemberExit)
			assert.Equal(t, []string{"jared", "tommy"}, e.Accounts)
			rt, _ := strconv.ParseInt(q.Get("RequestTime"), 10, 64)
			assert.Equal(t, time.Unix(rt, 0).UTC(), e.RequestTime)
			assert.Equal(t, q.Get("ClientIP"), e.ClientIP)
			assert.Empty(t, c.errs)
		})
	}
}

func withQuery(q url.Values, name, value string) url.Values {
	if value == "" {
		q.Del(name)
	} else {
		q.Set(name, value)
	}
	return q
}

func TestTolerance(t *testing.T) {
	var c calls
	h := newHandler(&c, callback.WithTolerance(2*time.Minute))
	assert.Equal(t, 200, post(h, query(callback.CommandAfterMemberExit, testToken, testTime-90), exitBody).Code)
	assert.Equal(t, 403, post(h, query(callback.CommandAfterMemberExit, testToken, testTime-121), exitBody).Code)

	// The clock is read for every callback.
	now := testNow()
	h = newHandler(&c, callback.WithClock(func() time.Time { return now }))
	assert.Equal(t, 200, post(h, query(callback.CommandAfterMemberExit, testToken, testTime), exitBody).Code)
	now = now.Add(61 * time.Second)
	assert.Equal(t, 403, post(h, query(callback.CommandAfterMemberExit, testToken, testTime), exitBody).Code)
}

// An empty token refuses everything unless verification is turned off by
// name; then unsigned callbacks pass.
func TestEmptyToken(t *testing.T) {
	var c calls
	h := callback.NewHandler(testApp, "", append(c.every(), callback.WithClock(testNow))...)
	require.ErrorIs(t, h.Err(), callback.ErrNotConfigured)
	assert.NotContains(t, h.Err().Error(), testToken)
	for _, q := range []url.Values{query(callback.CommandAfterMemberExit, "", 0), query(callback.CommandAfterMemberExit, testToken, testTime)} {
		w := post(h, q, exitBody)
		assert.Equal(t, 500, w.Code)
		assert.Zero(t, c.count())
	}
	require.Len(t, c.errs, 2)
	assert.ErrorIs(t, c.errs[0], callback.ErrNotConfigured)

	c = calls{}
	h = callback.NewHandler(testApp, "", append(c.every(), callback.InsecureSkipSignCheck())...)
	require.NoError(t, h.Err())
	w := post(h, query(callback.CommandAfterMemberExit, "", 0), exitBody)
	require.Equal(t, 200, w.Code)
	require.Equal(t, 2, c.count())
	assert.True(t, c.events[0].Metadata().RequestTime.IsZero(), "unsigned: no RequestTime")
	// The other checks stay.
	assert.Equal(t, 403, post(h, withQuery(query(callback.CommandAfterMemberExit, "", 0), "SdkAppid", "1"), exitBody).Code)

	// With a token, the insecure option changes nothing.
	c = calls{}
	h = callback.NewHandler(testApp, testToken, append(c.every(), callback.InsecureSkipSignCheck(), callback.WithClock(testNow))...)
	require.NoError(t, h.Err())
	assert.Equal(t, 403, post(h, query(callback.CommandAfterMemberExit, "", 0), exitBody).Code)
	assert.Equal(t, 200, post(h, query(callback.CommandAfterMemberExit, testToken, testTime), exitBody).Code)
}

func TestConfigurationErrors(t *testing.T) {
	cases := map[string]*callback.Handler{
		"SDKAppID 0":             callback.NewHandler(0, testToken),
		"nil clock":              callback.NewHandler(testApp, testToken, callback.WithClock(nil)),
		"zero tolerance":         callback.NewHandler(testApp, testToken, callback.WithTolerance(0)),
		"negative bound":         callback.NewHandler(testApp, testToken, callback.WithMaxBodyBytes(-1)),
		"bound of MaxInt64":      callback.NewHandler(testApp, testToken, callback.WithMaxBodyBytes(math.MaxInt64)),
		"nil OnError":            callback.NewHandler(testApp, testToken, callback.OnError(nil)),
		"nil OnEvent":            callback.NewHandler(testApp, testToken, callback.OnEvent(nil)),
		"nil OnOther":            callback.NewHandler(testApp, testToken, callback.OnOther(nil)),
		"nil before":             callback.NewHandler(testApp, testToken, callback.OnBeforeCreateTopic(nil)),
		"nil typed":              callback.NewHandler(testApp, testToken, callback.OnAfterMemberExit(nil)),
		"a Handler{} of its own": {},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, h.Err(), callback.ErrNotConfigured)
			w := post(h, query(callback.CommandAfterMemberExit, testToken, time.Now().Unix()), exitBody)
			assert.Equal(t, 500, w.Code)
		})
	}
	var nilHandler *callback.Handler
	assert.ErrorIs(t, nilHandler.Err(), callback.ErrNotConfigured)
	assert.Equal(t, "callback.Handler(nil)", nilHandler.String())
}

// A refusal's error says what was received, without the Sign.
func TestRefusalText(t *testing.T) {
	var c calls
	h := newHandler(&c)
	post(h, query(callback.CommandAfterMemberExit, testToken, testTime-90), exitBody)
	post(h, withQuery(query(callback.CommandAfterMemberExit, testToken, testTime), "SdkAppid", "1400000001"), exitBody)
	post(h, query(callback.CommandAfterMemberExit, testToken, testTime+61), exitBody)
	require.Len(t, c.errs, 3)
	assert.Equal(t, "callback: RequestTime outside the accepted window: RequestTime 1669872173 is 1m1s ahead of the clock, more than 1m0s", c.errs[2].Error())
	assert.Equal(t, "callback: RequestTime outside the accepted window: RequestTime 1669872022 is 1m30s behind the clock, more than 1m0s", c.errs[0].Error())
	assert.Equal(t, `callback: SdkAppid is not this app's: got "1400000001", want 1400000000`, c.errs[1].Error())
	assert.False(t, errors.Is(c.errs[0], callback.ErrWrongSign), "one reason each")
}
