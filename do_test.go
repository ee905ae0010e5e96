package tim

// Tests of Client.Do: the URL of any service, the body exactly as given,
// the envelope read before the caller's value, the names checked before
// sending, the keys the rate limiter and the in-flight places count under,
// and nothing sent twice after a possible send.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doPath = "/v4/openim/"

func TestDoSendsTheBodyGiven(t *testing.T) {
	ctx := context.Background()
	type joined struct {
		TotalCount  int
		GroupIDList []struct{ GroupID string } `json:"GroupIdList"`
	}
	cases := []struct {
		name string
		req  any
		want string // the exact body
	}{
		{"nil is {}", nil, `{}`},
		{"a raw message, byte for byte", json.RawMessage(" {\"To_Account\" : \"amy\",\n \"MsgRandom\":1} "), " {\"To_Account\" : \"amy\",\n \"MsgRandom\":1} "},
		{"bytes, byte for byte", []byte(`{"a":[1, 2]}`), `{"a":[1, 2]}`},
		{"a map, encoded", map[string]any{"Member_Account": "leckie", "Limit": 10}, `{"Limit":10,"Member_Account":"leckie"}`},
		{"a struct, encoded", struct {
			Account string `json:"Member_Account"`
		}{"leckie"}, `{"Member_Account":"leckie"}`},
		{"a nil pointer is {}", (*struct{ A int })(nil), `{}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t)
			m.respondAt(doPath, "sendmsg", 200, `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TotalCount":1,"GroupIdList":[{"GroupId":"@TGS#_a"}]}`)
			var out joined
			require.NoError(t, m.client.Do(ctx, "openim", "sendmsg", tc.req, &out))
			reqs := m.requests()
			require.Len(t, reqs, 1)
			assertSignedAt(t, reqs[0], doPath, "sendmsg") // the UserSig in its URL verifies
			assert.Equal(t, tc.want, reqs[0].Body)
			assert.Equal(t, 1, out.TotalCount, "resp need not hold the envelope")
			assert.Equal(t, "@TGS#_a", out.GroupIDList[0].GroupID)
		})
	}
}

func TestDoDecodes(t *testing.T) {
	ctx := context.Background()
	const answer = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TopicAndSelfInfo":[]}`
	t.Run("into a RawMessage: the whole body", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "get_topic", 200, answer)
		var raw json.RawMessage
		require.NoError(t, m.client.Do(ctx, ServiceMillionGroup, "get_topic", map[string]string{"GroupId": "g"}, &raw))
		assert.JSONEq(t, answer, string(raw))
	})
	t.Run("into a map", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "get_topic", 200, answer)
		var out map[string]any
		require.NoError(t, m.client.Do(ctx, ServiceMillionGroup, "get_topic", nil, &out))
		assert.Equal(t, "OK", out["ActionStatus"])
	})
	t.Run("nil resp: the envelope only", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "get_topic", 200, answer)
		require.NoError(t, m.client.Do(ctx, ServiceMillionGroup, "get_topic", nil, nil))
	})
	t.Run("a FAIL is an APIError and resp is left alone", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(doPath, "sendmsg", 200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone","TotalCount":9}`)
		out := struct{ TotalCount int }{TotalCount: 3}
		err := m.client.Do(ctx, "openim", "sendmsg", nil, &out)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "sendmsg", apiErr.Command)
		assert.Equal(t, ErrGroupNotFound, apiErr.Code)
		assert.Equal(t, "gone", apiErr.Info)
		assert.Equal(t, 3, out.TotalCount)
	})
	t.Run("a body that is no envelope is a DecodeError", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(doPath, "sendmsg", 200, `[1,2]`)
		var de *DecodeError
		assert.ErrorAs(t, m.client.Do(ctx, "openim", "sendmsg", nil, nil), &de)
	})
	t.Run("an answer that does not fit resp is a DecodeError, after the service acted", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(doPath, "sendmsg", 200, `{"ActionStatus":"OK","ErrorCode":0,"MsgSeq":7,"TotalCount":"many"}`)
		out := struct{ MsgSeq, TotalCount int }{MsgSeq: 1, TotalCount: 2}
		err := m.client.Do(ctx, "openim", "sendmsg", nil, &out)
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.True(t, MayHaveApplied(err))
		assert.Len(t, m.requests(), 1, "not sent again")
		assert.Equal(t, struct{ MsgSeq, TotalCount int }{1, 2}, out, "resp is left as it was, not half decoded")
	})
}

func TestDoRefusesBeforeSending(t *testing.T) {
	ctx := context.Background()
	m := newMock(t)
	var out struct{}
	cases := []struct {
		name, service, command string
		req, resp              any
		field                  string
	}{
		{"an empty service", "", "sendmsg", nil, nil, "service"},
		{"an empty command", "openim", "", nil, nil, "command"},
		{"a slash in the command", "openim", "a/b", nil, nil, "command"},
		{"a slash in the service", "v4/openim", "sendmsg", nil, nil, "service"},
		{"..", "..", "sendmsg", nil, nil, "service"},
		{".", "openim", ".", nil, nil, "command"},
		{"a query", "openim", "sendmsg?x=1", nil, nil, "command"},
		{"a space", "openim", "send msg", nil, nil, "command"},
		{"a percent escape", "openim", "%2e%2e", nil, nil, "command"},
		{"not ASCII", "openim", "sendmsgé", nil, nil, "command"},
		{"a NUL", "open\x00im", "sendmsg", nil, nil, "service"},
		{"65 bytes", "openim", strings.Repeat("a", 65), nil, nil, "command"},
		{"a body that is an array", "openim", "sendmsg", []int{1}, nil, "req"},
		{"raw JSON that is not an object", "openim", "sendmsg", json.RawMessage(`"x"`), nil, "req"},
		{"raw bytes that are not JSON", "openim", "sendmsg", []byte(`{"a":`), nil, "req"},
		{"a body that does not encode", "openim", "sendmsg", map[string]any{"c": make(chan int)}, nil, "req"},
		{"resp not a pointer", "openim", "sendmsg", nil, out, "resp"},
		{"resp a nil pointer", "openim", "sendmsg", nil, (*struct{})(nil), "resp"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := m.client.Do(ctx, tc.service, tc.command, tc.req, tc.resp)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Empty(t, m.requests())

	var nilClient *Client
	assert.ErrorIs(t, nilClient.Do(ctx, "openim", "sendmsg", nil, nil), ErrInvalidRequest)
	//lint:ignore SA1012 a nil context is what is tested
	assert.ErrorIs(t, m.client.Do(nil, "openim", "sendmsg", nil, nil), ErrInvalidRequest) //nolint:staticcheck // SA1012: a nil context is what is tested
}

// dropAfterReading answers like a server that read the request, acted on
// it, and lost the connection before answering.
func dropAfterReading(m *mock, path, command string) {
	m.mt.RegisterResponder(http.MethodPost, testHost+path+command, func(r *http.Request) (*http.Response, error) {
		m.record(r)
		return nil, errors.New("connection reset by peer")
	})
}

func TestDoNeverSendsTwiceAfterAPossibleSend(t *testing.T) {
	ctx := context.Background()
	for _, policy := range []RetryPolicy{fastRetries, {BaseDelay: fastRetries.BaseDelay, RetryNonIdempotent: true}} {
		m := newMock(t, WithRetryPolicy(policy))
		dropAfterReading(m, doPath, "sendmsg")
		err := m.client.Do(ctx, "openim", "sendmsg", map[string]string{"To_Account": "amy"}, nil)
		var te *TransportError
		require.ErrorAs(t, err, &te)
		assert.True(t, MayHaveApplied(err))
		assert.Len(t, m.requests(), 1, "a lost answer: not sent again (RetryNonIdempotent %v)", policy.RetryNonIdempotent)

		for _, answer := range []struct {
			status int
			body   string
		}{{502, "<html>"}, {200, `{"ActionStatus":"FAIL","ErrorCode":10002,"ErrorInfo":"internal"}`}} {
			m := newMock(t, WithRetryPolicy(policy))
			m.respondAt(doPath, "sendmsg", answer.status, answer.body)
			require.Error(t, m.client.Do(ctx, "openim", "sendmsg", nil, nil))
			assert.Len(t, m.requests(), 1, "%d %s: not sent again", answer.status, answer.body)
		}
	}
	t.Run("a refusal before acting is sent again", func(t *testing.T) {
		m := newMock(t)
		answerByAt(m, doPath, "sendmsg", func(n int, _ string) string {
			if n == 1 {
				return `{"ActionStatus":"FAIL","ErrorCode":60007,"ErrorInfo":"slow down"}`
			}
			return okEnvelope
		})
		require.NoError(t, m.client.Do(ctx, "openim", "sendmsg", nil, nil))
		assert.Len(t, m.requests(), 2)
	})
	t.Run("an idempotent command of the SDK's, under its service, is sent again", func(t *testing.T) {
		m := newMock(t)
		var mu sync.Mutex
		n := 0
		m.mt.RegisterResponder(http.MethodPost, testHost+millionService+"get_topic", func(r *http.Request) (*http.Response, error) {
			m.record(r)
			mu.Lock()
			defer mu.Unlock()
			if n++; n == 1 {
				return nil, errors.New("connection reset by peer")
			}
			return httpmock.NewStringResponse(200, okEnvelope), nil
		})
		require.NoError(t, m.client.Do(ctx, ServiceMillionGroup, "get_topic", nil, nil))
		assert.Len(t, m.requests(), 2)
	})
	t.Run("the same name under another service is another API", func(t *testing.T) {
		m := newMock(t)
		dropAfterReading(m, groupService, "get_topic")
		require.Error(t, m.client.Do(ctx, ServiceGroup, "get_topic", nil, nil))
		assert.Len(t, m.requests(), 1)
	})
}

// keyLimiter records the keys the client waits for.
type keyLimiter struct {
	mu   sync.Mutex
	keys []string
}

func (l *keyLimiter) Wait(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, key)
	return nil
}

func TestDoPacingKeys(t *testing.T) {
	ctx := context.Background()
	lim := &keyLimiter{}
	m := newMock(t, WithRateLimiter(lim))
	for _, path := range []string{groupService, millionService} {
		m.mt.RegisterRegexpResponder(http.MethodPost, regexp.MustCompile("^"+regexp.QuoteMeta(testHost+path)), func(r *http.Request) (*http.Response, error) {
			_, _ = io.Copy(io.Discard, r.Body)
			return httpmock.NewStringResponse(200, `{"ActionStatus":"OK","ErrorCode":0,"TopicAndSelfInfo":[],"GroupInfo":[{"GroupId":"g","ErrorCode":0}]}`), nil
		})
	}
	require.NoError(t, m.client.Do(ctx, ServiceMillionGroup, "get_topic", nil, nil))
	_, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: seedCommunity})
	require.NoError(t, err)
	require.NoError(t, m.client.Do(ctx, ServiceGroup, "get_topic", nil, nil))
	require.NoError(t, m.client.Do(ctx, ServiceGroup, "get_joined_group_list", nil, nil))
	require.NoError(t, m.client.Do(ctx, ServiceGroup, "get_group_info", map[string]any{"GroupIdList": []string{"g"}}, nil))
	assert.Equal(t, []string{
		"get_topic", "get_topic", // Do and the typed method share the command's budget
		"group_open_http_svc/get_topic", // the same name under another service is another API
		"group_open_http_svc/get_joined_group_list",
		"get_group_info",
	}, lim.keys)

	m.client.inFlight.mu.Lock()
	defer m.client.inFlight.mu.Unlock()
	assert.Contains(t, m.client.inFlight.other, "group_open_http_svc/get_joined_group_list", "its own in-flight places")
	assert.NotContains(t, m.client.inFlight.other, "get_topic", "the SDK's commands have theirs from the start")
}
