package callback_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/timkit/tim/callback"
)

// The examples' app and token, as in the console.
const (
	appID = 1400000000
	token = "console-callback-token"
)

// deliver POSTs body as the service does: the documented query, signed
// with token for now, and prints the answer. It stands in for the service.
func deliver(h http.Handler, command, body string) {
	now := time.Now().Unix()
	target := "/tim/callback?SdkAppid=1400000000&CallbackCommand=" + command + "&contenttype=json&ClientIP=203.0.113.7&OptPlatform=RESTAPI" +
		"&Sign=" + callback.Sign(token, now) + "&RequestTime=" + strconv.FormatInt(now, 10)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, target, strings.NewReader(body)))
	fmt.Println(w.Code, w.Body.String())
}

func ExampleNewHandler() {
	h := callback.NewHandler(appID, token,
		callback.OnAfterNewMemberJoin(func(ctx context.Context, e *callback.AfterNewMemberJoin) error {
			fmt.Println(e.GroupID, "welcomes", e.Accounts)
			return nil
		}),
	)
	if err := h.Err(); err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h) // in production: http.Handle("/tim/callback", h)
	defer srv.Close()

	// What the service sends when two accounts join.
	requestTime := time.Now().Unix()
	url := fmt.Sprintf("%s/?SdkAppid=%d&CallbackCommand=Group.CallbackAfterNewMemberJoin&contenttype=json&ClientIP=203.0.113.7&OptPlatform=RESTAPI&Sign=%s&RequestTime=%d",
		srv.URL, appID, callback.Sign(token, requestTime), requestTime)
	resp, err := http.Post(url, "application/json", strings.NewReader(
		`{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#_community","Type":"Community","JoinType":"Invited","Operator_Account":"admin","NewMemberList":[{"Member_Account":"jared"},{"Member_Account":"tommy"}],"EventTime":"1670574414123"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(answer))

	// The same request once more, signed with another token.
	resp, err = http.Post(strings.Replace(url, callback.Sign(token, requestTime), callback.Sign("guess", requestTime), 1), "application/json", strings.NewReader(`{}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// @TGS#_community welcomes [jared tommy]
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
	// 403
}

func ExampleSign() {
	// The documented vector.
	fmt.Println(callback.Sign("xxxxyyyy", 1669872112))
	// Output: 17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061
}

func ExampleHandler_Err() {
	// An unset variable must not turn verification off.
	h := callback.NewHandler(appID, os.Getenv("NOT_SET_TIM_CALLBACK_TOKEN"))
	fmt.Println(errors.Is(h.Err(), callback.ErrNotConfigured))
	fmt.Println(h.Err())
	// Output:
	// true
	// callback: handler not configured: an empty token: give the console's callback token, or InsecureSkipSignCheck() if authentication is off
}

func ExampleHandler_String() {
	h := callback.NewHandler(appID, token)
	fmt.Println(h)
	fmt.Printf("%+v\n", h)
	// Output:
	// callback.Handler{SDKAppID: 1400000000, SignChecked: true}
	// callback.Handler{SDKAppID: 1400000000, SignChecked: true}
}

func ExampleHandler_ServeHTTP() {
	h := callback.NewHandler(appID, token)
	// A command nobody handles is answered OK.
	deliver(h, "Group.CallbackAfterSendMsg", `{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#_community"}`)
	// Output: 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleWithClock() {
	// The documented example's moment.
	at := time.Unix(1669872112, 0)
	h := callback.NewHandler(appID, "xxxxyyyy", callback.WithClock(func() time.Time { return at }))
	send := func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/?SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterSendMsg&contenttype=json"+
			"&Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112", strings.NewReader(`{}`)))
		fmt.Println(w.Code)
	}
	send()
	at = at.Add(90 * time.Second) // the same callback replayed 90 s later
	send()
	// Output:
	// 200
	// 403
}

func ExampleWithTolerance() {
	// Accept callbacks up to 2 minutes off, for a host whose clock drifts.
	h := callback.NewHandler(appID, token, callback.WithTolerance(2*time.Minute))
	fmt.Println(h.Err())
	// Output: <nil>
}

func ExampleWithMaxBodyBytes() {
	h := callback.NewHandler(appID, token, callback.WithMaxBodyBytes(64))
	deliver(h, "Group.CallbackAfterSendMsg", `{"CallbackCommand":"Group.CallbackAfterSendMsg","Text":"`+strings.Repeat("x", 64)+`"}`)
	// Output: 413 {"ActionStatus":"FAIL","ErrorInfo":"Request Entity Too Large","ErrorCode":1}
}

func ExampleInsecureSkipSignCheck() {
	// The console's callback authentication is off: no Sign arrives.
	h := callback.NewHandler(appID, "", callback.InsecureSkipSignCheck(),
		callback.OnAfterMemberExit(func(ctx context.Context, e *callback.AfterMemberExit) error {
			fmt.Println(e.Accounts, e.ExitType)
			return nil
		}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/?SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterMemberExit&contenttype=json&ClientIP=203.0.113.7&OptPlatform=RESTAPI",
		strings.NewReader(`{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#_community","Type":"Community","ExitType":"Quit","Operator_Account":"jared","ExitMemberList":[{"Member_Account":"jared"}],"EventTime":1670574414123}`)))
	fmt.Println(w.Code)
	// Output:
	// [jared] Quit
	// 200
}

func ExampleOnError() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	h := callback.NewHandler(appID, token, callback.OnError(func(ctx context.Context, err error) {
		logger.WarnContext(ctx, "tim callback refused", "err", err, "replay", errors.Is(err, callback.ErrOutsideWindow))
	}))
	// A callback signed with another token.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/?SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterSendMsg&Sign=00&RequestTime="+
		strconv.FormatInt(time.Now().Unix(), 10), strings.NewReader(`{}`)))
	// Output: level=WARN msg="tim callback refused" err="callback: Sign does not match" replay=false
}

// dropTime keeps log lines of examples deterministic.
func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func ExampleOnEvent() {
	// One function that follows topic and member changes, as a cache does.
	refresh := func(ctx context.Context, e callback.Event) error {
		switch e := e.(type) {
		case *callback.AfterCreateTopic:
			fmt.Println("refresh topics of", e.GroupID)
		case *callback.AfterNewMemberJoin:
			fmt.Println("refresh members of", e.GroupID)
		case *callback.Meta:
			fmt.Println("ignore", e.Command)
		}
		return nil
	}
	h := callback.NewHandler(appID, token, callback.OnEvent(refresh))
	deliver(h, callback.CommandAfterCreateTopic, `{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"@TGS#_community","TopicId":"@TGS#_community@TOPIC#_news","Type":"Community","Name":"news"}`)
	deliver(h, "Group.CallbackAfterSendMsg", `{"CallbackCommand":"Group.CallbackAfterSendMsg"}`)
	// Output:
	// refresh topics of @TGS#_community
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
	// ignore Group.CallbackAfterSendMsg
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnOther() {
	h := callback.NewHandler(appID, token, callback.OnOther(func(ctx context.Context, m *callback.Meta) error {
		fmt.Println(m.Command, m.OptPlatform, string(m.Raw))
		return nil
	}))
	deliver(h, "Group.CallbackAfterGroupDestroyed", `{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"@TGS#_community"}`)
	// Output:
	// Group.CallbackAfterGroupDestroyed RESTAPI {"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"@TGS#_community"}
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnBeforeCreateTopic() {
	h := callback.NewHandler(appID, token, callback.OnBeforeCreateTopic(func(ctx context.Context, e *callback.BeforeCreateTopic) (callback.Decision, error) {
		if strings.HasPrefix(e.Name, "ad-") {
			return callback.Decision{Deny: true}, nil // create_topic fails with 10016
		}
		if len(e.Name) < 3 {
			return callback.Decision{Deny: true, Code: 10101, Info: "topic names need 3 characters"}, nil
		}
		return callback.Decision{}, nil
	}))
	for _, name := range []string{"news", "ad-shop", "go"} {
		deliver(h, callback.CommandBeforeCreateTopic, `{"CallbackCommand":"Group.CallbackBeforeCreateTopic","Operator_Account":"leckie","Type":"Community","Name":"`+name+`"}`)
	}
	// Output:
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":1}
	// 200 {"ActionStatus":"OK","ErrorInfo":"topic names need 3 characters","ErrorCode":10101}
}

func ExampleOnAfterCreateTopic() {
	h := callback.NewHandler(appID, token, callback.OnAfterCreateTopic(func(ctx context.Context, e *callback.AfterCreateTopic) error {
		fmt.Println(e.TopicID, e.Name, "by", e.Operator, e.CustomData)
		return nil
	}))
	deliver(h, callback.CommandAfterCreateTopic, `{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"@TGS#_c","TopicId":"@TGS#_c@TOPIC#_news","Operator_Account":"admin","Owner_Account":"leckie","Type":"Community","Name":"news","UserDefinedDataList":[{"Key":"tier","Value":"gold"}]}`)
	// Output:
	// @TGS#_c@TOPIC#_news news by admin [{tier gold}]
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnAfterTopicDestroyed() {
	h := callback.NewHandler(appID, token, callback.OnAfterTopicDestroyed(func(ctx context.Context, e *callback.AfterTopicDestroyed) error {
		fmt.Println(e.GroupID, e.TopicIDs)
		return nil
	}))
	deliver(h, callback.CommandAfterTopicDestroyed, `{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"@TGS#_c","Type":"Community","TopicIdList":["@TGS#_c@TOPIC#_a","@TGS#_c@TOPIC#_b"]}`)
	// Output:
	// @TGS#_c [@TGS#_c@TOPIC#_a @TGS#_c@TOPIC#_b]
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnAfterTopicInfoChanged() {
	h := callback.NewHandler(appID, token, callback.OnAfterTopicInfoChanged(func(ctx context.Context, e *callback.AfterTopicInfoChanged) error {
		// The documented body names the community, not the topic.
		fmt.Printf("a topic of %s changed; topic known: %t; new notification: %q\n", e.GroupID, e.TopicID != "", *e.Notification)
		return nil
	}))
	deliver(h, callback.CommandAfterTopicInfoChanged, `{"CallbackCommand":"Group.CallbackAfterTopicInfoChanged","GroupId":"@TGS#_c","Type":"Community","Operator_Account":"leckie","Notification":"Be kind"}`)
	// Output:
	// a topic of @TGS#_c changed; topic known: false; new notification: "Be kind"
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnAfterNewMemberJoin() {
	h := callback.NewHandler(appID, token, callback.OnAfterNewMemberJoin(func(ctx context.Context, e *callback.AfterNewMemberJoin) error {
		fmt.Println(e.Accounts, e.JoinType, e.EventTime.Format(time.RFC3339Nano))
		return nil
	}))
	deliver(h, callback.CommandAfterNewMemberJoin, `{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#_c","Type":"Community","JoinType":"Apply","Operator_Account":"jared","NewMemberList":[{"Member_Account":"jared"}],"EventTime":1670574414123}`)
	// Output:
	// [jared] Apply 2022-12-09T08:26:54.123Z
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnAfterMemberExit() {
	h := callback.NewHandler(appID, token, callback.OnAfterMemberExit(func(ctx context.Context, e *callback.AfterMemberExit) error {
		fmt.Println(e.Accounts, e.ExitType, "by", e.Operator)
		return nil
	}))
	deliver(h, callback.CommandAfterMemberExit, `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#_c","Type":"Community","ExitType":"Kicked","Operator_Account":"admin","ExitMemberList":[{"Member_Account":"tommy"}],"EventTime":"1670574414123"}`)
	// Output:
	// [tommy] Kicked by admin
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnAfterMemberFieldChanged() {
	h := callback.NewHandler(appID, token, callback.OnAfterMemberFieldChanged(func(ctx context.Context, e *callback.AfterMemberFieldChanged) error {
		if e.Role != nil {
			fmt.Println(e.Account, "is now", *e.Role)
		}
		return nil
	}))
	// The international copy of the docs names the member Member_Account.
	deliver(h, callback.CommandAfterMemberFieldChanged, `{"CallbackCommand":"Group.CallbackAfterMemberFieldChanged","GroupId":"@TGS#_c","Type":"Community","Operator_Account":"admin","Member_Account":"jared","Role":"Admin","EventTime":"1670574414123"}`)
	// Output:
	// jared is now Admin
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnAfterGroupInfoChanged() {
	h := callback.NewHandler(appID, token, callback.OnAfterGroupInfoChanged(func(ctx context.Context, e *callback.AfterGroupInfoChanged) error {
		fmt.Println("name changed:", e.Name != nil, "notification:", *e.Notification)
		return nil
	}))
	deliver(h, callback.CommandAfterGroupInfoChanged, `{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"@TGS#_c","Type":"Community","Operator_Account":"leckie","Notification":"Welcome","EventTime":"1670574414123"}`)
	// Output:
	// name changed: false notification: Welcome
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleOnRequestOverLimit() {
	h := callback.NewHandler(appID, token, callback.OnRequestOverLimit(func(ctx context.Context, e *callback.RequestOverLimit) error {
		fmt.Printf("%s/%s at %d calls/s, limit %d\n", e.Service, e.APICommand, e.Rate, e.Limit)
		return nil
	}))
	deliver(h, callback.CommandRequestOverLimit, `{"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"group_open_http_svc","Command":"add_group_member","Request":170,"Limit":200}`)
	// Output:
	// group_open_http_svc/add_group_member at 170 calls/s, limit 200
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleDecision() {
	// The zero Decision allows; Deny alone answers ErrorCode 1 (10016 for
	// the caller); Code and Info, 10100 to 10200, reach the caller instead.
	for _, d := range []callback.Decision{{}, {Deny: true}, {Deny: true, Code: 10110, Info: "closed for the night"}} {
		h := callback.NewHandler(appID, token, callback.OnBeforeCreateTopic(func(context.Context, *callback.BeforeCreateTopic) (callback.Decision, error) {
			return d, nil
		}))
		deliver(h, callback.CommandBeforeCreateTopic, `{"CallbackCommand":"Group.CallbackBeforeCreateTopic","Operator_Account":"leckie","Type":"Community","Name":"news"}`)
	}
	// Output:
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":1}
	// 200 {"ActionStatus":"OK","ErrorInfo":"closed for the night","ErrorCode":10110}
}

func ExampleHandlerError() {
	h := callback.NewHandler(appID, token,
		callback.OnAfterMemberExit(func(context.Context, *callback.AfterMemberExit) error { return errors.New("database unavailable") }),
		callback.OnError(func(ctx context.Context, err error) {
			var he *callback.HandlerError
			if errors.As(err, &he) {
				fmt.Println(he.Command, "failed:", he.Err)
			}
		}))
	deliver(h, callback.CommandAfterMemberExit, `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#_c","ExitMemberList":[]}`)
	// Output:
	// Group.CallbackAfterMemberExit failed: database unavailable
	// 200 {"ActionStatus":"FAIL","ErrorInfo":"callback handler failed","ErrorCode":1}
}

func ExamplePanicError() {
	h := callback.NewHandler(appID, token,
		callback.OnAfterMemberExit(func(context.Context, *callback.AfterMemberExit) error { panic("nil map") }),
		callback.OnError(func(ctx context.Context, err error) {
			var pe *callback.PanicError
			if errors.As(err, &pe) {
				fmt.Println(pe.Command, "panicked:", pe.Value, "stack recorded:", len(pe.Stack) > 0)
			}
		}))
	deliver(h, callback.CommandAfterMemberExit, `{"CallbackCommand":"Group.CallbackAfterMemberExit","GroupId":"@TGS#_c","ExitMemberList":[]}`)
	// Output:
	// Group.CallbackAfterMemberExit panicked: nil map stack recorded: true
	// 500 {"ActionStatus":"FAIL","ErrorInfo":"callback handler failed","ErrorCode":1}
}

func ExampleMeta() {
	h := callback.NewHandler(appID, token, callback.OnAfterCreateTopic(func(ctx context.Context, e *callback.AfterCreateTopic) error {
		// Every event embeds Meta: the URL's fields and the raw body, for
		// fields this package does not decode.
		fmt.Println(e.Command, e.ClientIP, e.OptPlatform, e.SDKAppID, strings.Contains(string(e.Raw), "NewField"))
		return nil
	}))
	deliver(h, callback.CommandAfterCreateTopic, `{"CallbackCommand":"Group.CallbackAfterCreateTopic","GroupId":"@TGS#_c","TopicId":"@TGS#_c@TOPIC#_x","NewField":1}`)
	// Output:
	// Group.CallbackAfterCreateTopic 203.0.113.7 RESTAPI 1400000000 true
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}

func ExampleHandler_Format() {
	// Every verb prints the same description, never the token.
	h := callback.NewHandler(appID, "", callback.InsecureSkipSignCheck())
	fmt.Printf("%#v\n", h)
	// Output: callback.Handler{SDKAppID: 1400000000, SignChecked: false}
}

func ExampleEvent() {
	// Event.Metadata reaches the fields every callback has, typed or not.
	h := callback.NewHandler(appID, token, callback.OnEvent(func(ctx context.Context, e callback.Event) error {
		m := e.Metadata()
		fmt.Printf("%T %s from %s\n", e, m.Command, m.ClientIP)
		return nil
	}))
	deliver(h, callback.CommandAfterTopicDestroyed, `{"CallbackCommand":"Group.CallbackAfterTopicDestroyed","GroupId":"@TGS#_c","TopicIdList":["@TGS#_c@TOPIC#_a"]}`)
	deliver(h, "Group.CallbackAfterGroupDestroyed", `{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"@TGS#_c"}`)
	// Output:
	// *callback.AfterTopicDestroyed Group.CallbackAfterTopicDestroyed from 203.0.113.7
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
	// *callback.Meta Group.CallbackAfterGroupDestroyed from 203.0.113.7
	// 200 {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
}
