package callback_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim/callback"
)

// eventTime is the documented samples' EventTime, 1670574414123 ms.
var eventTime = time.Date(2022, 12, 9, 8, 26, 54, 123e6, time.UTC)

func ptr(s string) *string { return &s }

// Each typed event decoded from its documented sample, in every shape the
// copies of the documentation send.
func TestTypedEvents(t *testing.T) {
	meta := func(command, body string) callback.Meta {
		return callback.Meta{Command: command, SDKAppID: testApp, ClientIP: "203.0.113.7", OptPlatform: "RESTAPI",
			RequestTime: time.Unix(testTime, 0).UTC(), Raw: []byte(body)}
	}
	const (
		createTopic  = `{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"@TGS#2J4SZEAEL","TopicId":"@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5","Operator_Account":"group_root","Owner_Account":"leckie","Type":"Community","Name":"MyFirstTopic","UserDefinedDataList":[{"Key":"UserDefined1","Value":"hello"},{"Key":"UserDefined2","Value":"world"}]}`
		destroyed    = `{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"@TGS#_@TGS#cQVLVHIM62CJ","Type":"Community","TopicIdList":["@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic","@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"]}`
		destroyedStr = `{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"@TGS#_@TGS#cQVLVHIM62CJ","Type":"Community","TopicIdList":"@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"}`
		topicInfo    = `{"CallbackCommand":"Group.CallbackAfterTopicInfoChanged","GroupId":"@TGS#2J4SZEAEL","Type":"Community","Operator_Account":"leckie","Name":"TestTopic","Introduction":"TestIntroduction","Notification":"NewNotification","FaceUrl":"http://this.is.face.url"}`
		join         = `{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#2J4SZEAEL","Type":"Public","JoinType":"Apply","Operator_Account":"leckie","NewMemberList":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":1670574414123}`
		joinStr      = `{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#2J4SZEAEL","Type":"Public","JoinType":"Apply","Operator_Account":"leckie","NewMemberList":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":"1670574414123"}`
		exitStr      = `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#2J4SZEAEL","Type":"Public","ExitType":"Kicked","Operator_Account":"leckie","ExitMemberList":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":"1670574414123"}`
		fieldCN      = `{"CallbackCommand":"Group.CallbackAfterMemberFieldChanged","GroupId":"@TGS#xxxx","Type":"Community","Operator_Account":"admin","Modified_Account":"123456","Role":"Admin","NameCard":"jacky","EventTime":"1670574414123"}`
		fieldIntl    = `{"CallbackCommand":"Group.CallbackAfterMemberFieldChanged","GroupId":"@TGS#xxxx","Type":"Community","Operator_Account":"admin","Member_Account":"123456","Role":"Admin","NameCard":"jacky","EventTime":1670574414123}`
		fieldRole    = `{"CallbackCommand":"Group.CallbackAfterMemberFieldChanged","GroupId":"@TGS#xxxx","Type":"Community","Operator_Account":"admin","Modified_Account":"123456","Role":"Member","EventTime":"1670574414123"}`
		groupInfo    = `{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"@TGS#2J4SZEAEL","Type":"Public","Operator_Account":"leckie","Notification":"NewNotification","EventTime":"1670574414123"}`
		groupInfoNum = `{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"@TGS#2J4SZEAEL","Type":"Public","Operator_Account":"leckie","Name":"","Notification":"NewNotification","EventTime":1670574414123}`
		overLimit    = `{"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"openim","Command":"batchsendmsg","Request":510,"Limit":200}`
		noEventTime  = `{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#2J4SZEAEL","Type":"Public","JoinType":"Invited","Operator_Account":"leckie","NewMemberList":[],"EventTime":""}`
	)
	cases := []struct {
		name string
		body string
		want callback.Event
	}{
		{"after create topic", createTopic, &callback.AfterCreateTopic{Meta: meta(callback.CommandAfterCreateTopic, createTopic),
			GroupID: "@TGS#2J4SZEAEL", TopicID: "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5", Operator: "group_root", Owner: "leckie",
			Type: "Community", Name: "MyFirstTopic", CustomData: []callback.KeyValue{{Key: "UserDefined1", Value: "hello"}, {Key: "UserDefined2", Value: "world"}}}},
		{"topic destroyed, a list", destroyed, &callback.AfterTopicDestroyed{Meta: meta(callback.CommandAfterTopicDestroyed, destroyed),
			GroupID: "@TGS#_@TGS#cQVLVHIM62CJ", Type: "Community",
			TopicIDs: []string{"@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic", "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"}}},
		{"topic destroyed, a string (the field table's type)", destroyedStr, &callback.AfterTopicDestroyed{Meta: meta(callback.CommandAfterTopicDestroyed, destroyedStr),
			GroupID: "@TGS#_@TGS#cQVLVHIM62CJ", Type: "Community", TopicIDs: []string{"@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"}}},
		{"topic info changed, no TopicId", topicInfo, &callback.AfterTopicInfoChanged{Meta: meta(callback.CommandAfterTopicInfoChanged, topicInfo),
			GroupID: "@TGS#2J4SZEAEL", Type: "Community", Operator: "leckie", Name: ptr("TestTopic"), Introduction: ptr("TestIntroduction"),
			Notification: ptr("NewNotification"), FaceURL: ptr("http://this.is.face.url")}},
		{"new member join, EventTime a number", join, &callback.AfterNewMemberJoin{Meta: meta(callback.CommandAfterNewMemberJoin, join),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", JoinType: "Apply", Operator: "leckie", Accounts: []string{"jared", "tommy"},
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"new member join, EventTime a string", joinStr, &callback.AfterNewMemberJoin{Meta: meta(callback.CommandAfterNewMemberJoin, joinStr),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", JoinType: "Apply", Operator: "leckie", Accounts: []string{"jared", "tommy"},
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"new member join, EventTime empty", noEventTime, &callback.AfterNewMemberJoin{Meta: meta(callback.CommandAfterNewMemberJoin, noEventTime),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", JoinType: "Invited", Operator: "leckie"}},
		{"member exit, EventTime a number", exitBody, &callback.AfterMemberExit{Meta: meta(callback.CommandAfterMemberExit, exitBody),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", ExitType: "Kicked", Operator: "leckie", Accounts: []string{"jared", "tommy"},
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"member exit, EventTime a string", exitStr, &callback.AfterMemberExit{Meta: meta(callback.CommandAfterMemberExit, exitStr),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", ExitType: "Kicked", Operator: "leckie", Accounts: []string{"jared", "tommy"},
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"member field changed, Modified_Account", fieldCN, &callback.AfterMemberFieldChanged{Meta: meta(callback.CommandAfterMemberFieldChanged, fieldCN),
			GroupID: "@TGS#xxxx", Type: "Community", Operator: "admin", Account: "123456", Role: ptr("Admin"), NameCard: ptr("jacky"),
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"member field changed, Member_Account", fieldIntl, &callback.AfterMemberFieldChanged{Meta: meta(callback.CommandAfterMemberFieldChanged, fieldIntl),
			GroupID: "@TGS#xxxx", Type: "Community", Operator: "admin", Account: "123456", Role: ptr("Admin"), NameCard: ptr("jacky"),
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"member field changed, the role only", fieldRole, &callback.AfterMemberFieldChanged{Meta: meta(callback.CommandAfterMemberFieldChanged, fieldRole),
			GroupID: "@TGS#xxxx", Type: "Community", Operator: "admin", Account: "123456", Role: ptr("Member"),
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"group info changed, EventTime a string", groupInfo, &callback.AfterGroupInfoChanged{Meta: meta(callback.CommandAfterGroupInfoChanged, groupInfo),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", Operator: "leckie", Notification: ptr("NewNotification"),
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"group info changed, a cleared name, EventTime a number", groupInfoNum, &callback.AfterGroupInfoChanged{Meta: meta(callback.CommandAfterGroupInfoChanged, groupInfoNum),
			GroupID: "@TGS#2J4SZEAEL", Type: "Public", Operator: "leckie", Name: ptr(""), Notification: ptr("NewNotification"),
			EventTime: eventTime, EventTimeMillis: 1670574414123}},
		{"request over limit", overLimit, &callback.RequestOverLimit{Meta: meta(callback.CommandRequestOverLimit, overLimit),
			Service: "openim", APICommand: "batchsendmsg", Rate: 510, Limit: 200}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c calls
			command := tc.want.Metadata().Command
			w := post(newHandler(&c), query(command, testToken, testTime), tc.body)
			require.Equal(t, 200, w.Code, w.Body.String())
			require.Equal(t, 2, c.count())
			assert.Equal(t, tc.want, c.events[0])
			assert.Same(t, c.events[0], c.events[1], "OnEvent gets the same event")
		})
	}
}

// Alert.RequestOverLimit's URL has another order and no ClientIP.
func TestRequestOverLimitURL(t *testing.T) {
	var c calls
	h := newHandler(&c)
	sign := callback.Sign(testToken, testTime)
	target := "/cb?SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit&OptPlatform=RESTAPI&contenttype=json&Sign=" + sign + "&RequestTime=1669872112"
	r, err := http.NewRequest(http.MethodPost, target, strings.NewReader(`{"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"openim","Command":"batchsendmsg","Request":510,"Limit":200}`))
	require.NoError(t, err)
	w := newRecorder()
	h.ServeHTTP(w, r)
	require.Equal(t, 200, w.Code)
	require.Equal(t, 2, c.count())
	e := c.events[0].(*callback.RequestOverLimit)
	assert.Equal(t, "", e.ClientIP)
	assert.Equal(t, 510, e.Rate)
}

// Commands without a type go to OnOther with their raw body, and are
// answered OK when nobody handles them.
func TestOtherCommands(t *testing.T) {
	const body = `{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#2J4SZEAEL","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}],"Unknown":{"a":1}}`
	var c calls
	w := post(newHandler(&c), query("Group.CallbackAfterSendMsg", testToken, testTime), body)
	require.Equal(t, 200, w.Code)
	require.Equal(t, 2, c.count())
	m, ok := c.events[0].(*callback.Meta)
	require.True(t, ok, "%T", c.events[0])
	assert.Equal(t, callback.Meta{Command: "Group.CallbackAfterSendMsg", SDKAppID: testApp, ClientIP: "203.0.113.7", OptPlatform: "RESTAPI",
		RequestTime: time.Unix(testTime, 0).UTC(), Raw: []byte(body)}, *m)

	// No handlers at all: OK, for typed and other commands alike.
	h := callback.NewHandler(testApp, testToken, callback.WithClock(testNow))
	for _, cmd := range []string{"Group.CallbackAfterSendMsg", callback.CommandAfterMemberExit} {
		w := post(h, query(cmd, testToken, testTime), strings.Replace(exitBody, callback.CommandAfterMemberExit, cmd, 1))
		require.Equal(t, 200, w.Code)
		status, code, info := envelope(t, w)
		assert.Equal(t, []any{"OK", 0, ""}, []any{status, code, info})
	}
}

func TestBeforeCreateTopic(t *testing.T) {
	const body = `{"CallbackCommand":"Group.CallbackBeforeCreateTopic","Operator_Account":"leckie","Type":"Community","Name":"MyFirstTopic"}`
	cases := []struct {
		name      string
		decisions []callback.Decision
		err       error
		code      int
		info      string
		asked     int
		reported  error
	}{
		{name: "no handler allows", code: 0},
		{name: "allow", decisions: []callback.Decision{{}}, code: 0, asked: 1},
		{name: "deny: ErrorCode 1, 10016 for the caller", decisions: []callback.Decision{{Deny: true}}, code: 1, asked: 1},
		{name: "deny with the app's code", decisions: []callback.Decision{{Deny: true, Code: 10150, Info: "names must be English"}}, code: 10150, info: "names must be English", asked: 1},
		{name: "deny with a code out of range", decisions: []callback.Decision{{Deny: true, Code: 20000, Info: "x"}}, code: 1, asked: 1, reported: callback.ErrInvalidDecision},
		{name: "allow, then deny", decisions: []callback.Decision{{}, {Deny: true}}, code: 1, asked: 2},
		{name: "the first denial stops", decisions: []callback.Decision{{Deny: true}, {}}, code: 1, asked: 1},
		{name: "an error denies", decisions: []callback.Decision{{}}, err: errors.New("db down"), code: 1, asked: 1, reported: &callback.HandlerError{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var asked []*callback.BeforeCreateTopic
			var errs []error
			opts := []callback.Option{callback.WithClock(testNow), callback.OnError(func(_ context.Context, err error) { errs = append(errs, err) })}
			for _, d := range tc.decisions {
				opts = append(opts, callback.OnBeforeCreateTopic(func(_ context.Context, e *callback.BeforeCreateTopic) (callback.Decision, error) {
					asked = append(asked, e)
					return d, tc.err
				}))
			}
			w := post(callback.NewHandler(testApp, testToken, opts...), query(callback.CommandBeforeCreateTopic, testToken, testTime), body)
			require.Equal(t, 200, w.Code)
			status, code, info := envelope(t, w)
			assert.Equal(t, []any{"OK", tc.code, tc.info}, []any{status, code, info})
			require.Len(t, asked, tc.asked)
			if tc.asked > 0 {
				assert.Equal(t, "leckie", asked[0].Operator)
				assert.Equal(t, "Community", asked[0].Type)
				assert.Equal(t, "MyFirstTopic", asked[0].Name)
			}
			switch want := tc.reported.(type) { //nolint:errorlint // the table's own value, not a returned error
			case nil:
				assert.Empty(t, errs)
			case *callback.HandlerError:
				require.Len(t, errs, 1)
				assert.ErrorAs(t, errs[0], &want)
				assert.Equal(t, callback.CommandBeforeCreateTopic, want.Command)
				assert.EqualError(t, want.Err, "db down")
			default:
				require.Len(t, errs, 1)
				assert.ErrorIs(t, errs[0], want)
			}
		})
	}
}

// An after-event handler's error answers FAIL (HTTP 200), every handler
// still runs, and OnError gets a HandlerError.
func TestHandlerErrors(t *testing.T) {
	var order []string
	var errs []error
	h := callback.NewHandler(testApp, testToken, callback.WithClock(testNow),
		callback.OnAfterMemberExit(func(context.Context, *callback.AfterMemberExit) error {
			order = append(order, "first")
			return errors.New("boom")
		}),
		callback.OnAfterMemberExit(func(context.Context, *callback.AfterMemberExit) error { order = append(order, "second"); return nil }),
		callback.OnEvent(func(context.Context, callback.Event) error { order = append(order, "event"); return nil }),
		callback.OnError(func(_ context.Context, err error) { errs = append(errs, err) }),
	)
	w := post(h, query(callback.CommandAfterMemberExit, testToken, testTime), exitBody)
	require.Equal(t, 200, w.Code)
	status, code, info := envelope(t, w)
	assert.Equal(t, []any{"FAIL", 1, "callback handler failed"}, []any{status, code, info})
	assert.Equal(t, []string{"first", "second", "event"}, order)
	require.Len(t, errs, 1)
	var he *callback.HandlerError
	require.ErrorAs(t, errs[0], &he)
	assert.Equal(t, callback.CommandAfterMemberExit, he.Command)
	assert.EqualError(t, errs[0], "callback: handler for Group.CallbackAfterMemberExit: boom")
}

// A panicking handler answers 500; the Handler keeps serving. net/http's
// ErrAbortHandler goes through.
func TestHandlerPanics(t *testing.T) {
	var errs []error
	panicWith := any("kaboom")
	h := callback.NewHandler(testApp, testToken, callback.WithClock(testNow),
		callback.OnAfterMemberExit(func(context.Context, *callback.AfterMemberExit) error { panic(panicWith) }),
		callback.OnError(func(_ context.Context, err error) { errs = append(errs, err) }),
	)
	for range 2 {
		w := post(h, query(callback.CommandAfterMemberExit, testToken, testTime), exitBody)
		require.Equal(t, 500, w.Code)
		status, code, info := envelope(t, w)
		assert.Equal(t, []any{"FAIL", 1, "callback handler failed"}, []any{status, code, info})
	}
	require.Len(t, errs, 2)
	var pe *callback.PanicError
	require.ErrorAs(t, errs[0], &pe)
	assert.Equal(t, "kaboom", pe.Value)
	assert.Contains(t, string(pe.Stack), "TestHandlerPanics")
	assert.EqualError(t, pe, "callback: handler for Group.CallbackAfterMemberExit panicked: kaboom")

	// A before-event whose handler panics is denied, as one that fails is.
	before := callback.NewHandler(testApp, testToken, callback.WithClock(testNow),
		callback.OnBeforeCreateTopic(func(context.Context, *callback.BeforeCreateTopic) (callback.Decision, error) { panic("kaboom") }))
	w := post(before, query(callback.CommandBeforeCreateTopic, testToken, testTime),
		`{"CallbackCommand":"Group.CallbackBeforeCreateTopic","Operator_Account":"leckie","Type":"Community","Name":"x"}`)
	require.Equal(t, 200, w.Code)
	status, code, _ := envelope(t, w)
	assert.Equal(t, []any{"OK", 1}, []any{status, code}, "denied")

	panicWith = http.ErrAbortHandler
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		post(h, query(callback.CommandAfterMemberExit, testToken, testTime), exitBody)
	})
}

// Handlers get the request's context.
func TestHandlerContext(t *testing.T) {
	type key struct{}
	var got []any
	h := callback.NewHandler(testApp, testToken, callback.WithClock(testNow),
		callback.OnAfterMemberExit(func(ctx context.Context, _ *callback.AfterMemberExit) error {
			got = append(got, ctx.Value(key{}))
			return nil
		}),
		callback.OnEvent(func(ctx context.Context, _ callback.Event) error { got = append(got, ctx.Value(key{})); return nil }),
	)
	r, err := http.NewRequestWithContext(context.WithValue(context.Background(), key{}, "v"), http.MethodPost,
		"/cb?"+query(callback.CommandAfterMemberExit, testToken, testTime).Encode(), strings.NewReader(exitBody))
	require.NoError(t, err)
	h.ServeHTTP(newRecorder(), r)
	assert.Equal(t, []any{"v", "v"}, got)
}
