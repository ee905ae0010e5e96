package callback_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/timkit/tim/callback"
)

// The documented vector's token and time, and an app ID.
const (
	testApp   uint64 = 1400000000
	testToken        = "xxxxyyyy"
	testTime  int64  = 1669872112
)

// testNow is the handlers' clock: the documented RequestTime.
func testNow() time.Time { return time.Unix(testTime, 0) }

// query builds a callback URL query in the documented order, signed for
// requestTime with token (unsigned when token is "").
func query(command string, token string, requestTime int64) url.Values {
	q := url.Values{}
	q.Set("SdkAppid", strconv.FormatUint(testApp, 10))
	q.Set("CallbackCommand", command)
	q.Set("contenttype", "json")
	q.Set("ClientIP", "203.0.113.7")
	q.Set("OptPlatform", "RESTAPI")
	if token != "" {
		q.Set("Sign", callback.Sign(token, requestTime))
		q.Set("RequestTime", strconv.FormatInt(requestTime, 10))
	}
	return q
}

// post sends body to h with q as the query and returns the answer.
func post(h http.Handler, q url.Values, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/tim/callback?"+q.Encode(), strings.NewReader(body))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// calls counts the handler calls and keeps the events and errors.
type calls struct {
	mu     sync.Mutex
	events []callback.Event
	errs   []error
}

func (c *calls) event(e callback.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, e)
}

func (c *calls) onError(_ context.Context, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, err)
}

// every registers a handler for every command that records its event.
func (c *calls) every() []callback.Option {
	rec := func(_ context.Context, e callback.Event) error { c.event(e); return nil }
	return []callback.Option{
		callback.OnAfterCreateTopic(func(ctx context.Context, e *callback.AfterCreateTopic) error { return rec(ctx, e) }),
		callback.OnAfterTopicDestroyed(func(ctx context.Context, e *callback.AfterTopicDestroyed) error { return rec(ctx, e) }),
		callback.OnAfterTopicInfoChanged(func(ctx context.Context, e *callback.AfterTopicInfoChanged) error { return rec(ctx, e) }),
		callback.OnAfterNewMemberJoin(func(ctx context.Context, e *callback.AfterNewMemberJoin) error { return rec(ctx, e) }),
		callback.OnAfterMemberExit(func(ctx context.Context, e *callback.AfterMemberExit) error { return rec(ctx, e) }),
		callback.OnAfterMemberFieldChanged(func(ctx context.Context, e *callback.AfterMemberFieldChanged) error { return rec(ctx, e) }),
		callback.OnAfterGroupInfoChanged(func(ctx context.Context, e *callback.AfterGroupInfoChanged) error { return rec(ctx, e) }),
		callback.OnRequestOverLimit(func(ctx context.Context, e *callback.RequestOverLimit) error { return rec(ctx, e) }),
		callback.OnBeforeCreateTopic(func(ctx context.Context, e *callback.BeforeCreateTopic) (callback.Decision, error) {
			c.event(e)
			return callback.Decision{}, nil
		}),
		callback.OnOther(func(ctx context.Context, m *callback.Meta) error { return rec(ctx, m) }),
		callback.OnEvent(func(_ context.Context, e callback.Event) error { c.event(e); return nil }),
		callback.OnError(c.onError),
	}
}

func (c *calls) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

// newHandler returns a Handler on the test clock and token that records
// into c, with opts after.
func newHandler(c *calls, opts ...callback.Option) *callback.Handler {
	all := append([]callback.Option{callback.WithClock(testNow)}, c.every()...)
	return callback.NewHandler(testApp, testToken, append(all, opts...)...)
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
