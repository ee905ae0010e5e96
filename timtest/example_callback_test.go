package timtest_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/timtest"
)

// callTwice makes two calls of get_role_in_group: with WithRateLimit(2),
// the second passes 80% of the limit and the fake sends
// Alert.RequestOverLimit.
func callTwice(srv *timtest.Server) {
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	for range 2 {
		if _, err := client.RoleOf(context.Background(), "@TGS#_@TGS#demo", "alice"); err != nil {
			log.Fatal(err)
		}
	}
}

func ExampleWithCallback() {
	// The app's callback endpoint, as in production: a callback.Handler.
	const token = "test-callback-token"
	now := time.Now().Truncate(time.Second)
	clock := func() time.Time { return now } // one clock for both, so the calls share a second
	app := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, token, callback.WithClock(clock),
		callback.OnRequestOverLimit(func(ctx context.Context, e *callback.RequestOverLimit) error {
			fmt.Printf("alert: %s at %d calls/s of %d (signed: %t)\n", e.APICommand, e.Rate, e.Limit, !e.RequestTime.IsZero())
			return nil
		})))
	defer app.Close()

	srv := timtest.NewServer(timtest.WithClock(clock), timtest.WithRateLimit(2), timtest.WithCallback(app.URL+"/tim/callback", token))
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "alice"); err != nil {
		log.Fatal(err)
	}
	callTwice(srv)
	if err := srv.WaitCallbacks(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output: alert: get_role_in_group at 2 calls/s of 2 (signed: true)
}

func ExampleServer_WaitCallbacks() {
	now := time.Now().Truncate(time.Second)
	clock := func() time.Time { return now }
	// An app that refuses the fake's Sign: it expects another token.
	app := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, "the app's token", callback.WithClock(clock)))
	defer app.Close()
	srv := timtest.NewServer(timtest.WithClock(clock), timtest.WithRateLimit(2), timtest.WithCallback(app.URL, "another token"))
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "alice"); err != nil {
		log.Fatal(err)
	}
	callTwice(srv)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.WaitCallbacks(ctx) // every callback so far answered, or the failures
	fmt.Println(err)
	// Output: timtest: callback Alert.RequestOverLimit: HTTP 403 "{\"ActionStatus\":\"FAIL\",\"ErrorInfo\":\"Forbidden\",\"ErrorCode\":1}"
}

func ExampleServer_Callbacks() {
	now := time.Unix(1669872112, 0)
	clock := func() time.Time { return now }
	app := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, "xxxxyyyy", callback.WithClock(clock)))
	defer app.Close()
	srv := timtest.NewServer(timtest.WithClock(clock), timtest.WithRateLimit(2), timtest.WithCallback(app.URL+"/cb", "xxxxyyyy"))
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "alice"); err != nil {
		log.Fatal(err)
	}
	callTwice(srv)
	if err := srv.WaitCallbacks(context.Background()); err != nil {
		log.Fatal(err)
	}
	for _, cb := range srv.Callbacks() {
		fmt.Println(cb.Command, cb.Status, cb.ActionStatus, cb.ErrorCode, cb.Err)
		fmt.Println(cb.URL[len(app.URL):])
		fmt.Println(string(cb.Body))
	}
	// Output:
	// Alert.RequestOverLimit 200 OK 0 <nil>
	// /cb?SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit&OptPlatform=RESTAPI&contenttype=json&Sign=[redacted]&RequestTime=1669872112
	// {"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"group_open_http_svc","Command":"get_role_in_group","Request":2,"Limit":2}
}

func ExampleServer_ResetCallbacks() {
	down := httptest.NewServer(nil)
	down.Close() // nobody listens: every delivery fails
	now := time.Now().Truncate(time.Second)
	srv := timtest.NewServer(timtest.WithClock(func() time.Time { return now }), timtest.WithRateLimit(2), timtest.WithCallback(down.URL, "token"))
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "alice"); err != nil {
		log.Fatal(err)
	}
	callTwice(srv)
	fmt.Println(srv.WaitCallbacks(context.Background()) != nil, len(srv.Callbacks()))
	srv.ResetCallbacks() // the failure was expected
	fmt.Println(srv.WaitCallbacks(context.Background()), len(srv.Callbacks()))
	// Output:
	// true 1
	// <nil> 0
}

func ExampleWithCallbackHTTPClient() {
	// An app served over TLS by a test server: the fake trusts its
	// certificate through the test server's client.
	now := time.Now().Truncate(time.Second)
	clock := func() time.Time { return now }
	app := httptest.NewTLSServer(callback.NewHandler(timtest.DefaultSDKAppID, "token", callback.WithClock(clock)))
	defer app.Close()
	srv := timtest.NewServer(timtest.WithClock(clock), timtest.WithRateLimit(2),
		timtest.WithCallback(app.URL, "token"), timtest.WithCallbackHTTPClient(app.Client()))
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "alice"); err != nil {
		log.Fatal(err)
	}
	callTwice(srv)
	fmt.Println(srv.WaitCallbacks(context.Background()), srv.Callbacks()[0].URL[:8])
	// Output: <nil> https://
}

func ExampleWithCallbackLog() {
	now := time.Now().Truncate(time.Second)
	clock := func() time.Time { return now }
	app := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, "token", callback.WithClock(clock)))
	defer app.Close()
	srv := timtest.NewServer(timtest.WithClock(clock), timtest.WithRateLimit(2), timtest.WithCallback(app.URL, "token"),
		timtest.WithCallbackLog(os.Stdout))
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "alice"); err != nil {
		log.Fatal(err)
	}
	callTwice(srv)
	if err := srv.WaitCallbacks(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output: timtest: callback Alert.RequestOverLimit: 200 OK 0
}

func ExampleCallback() {
	// A Callback records one delivery: what was sent and how the app
	// answered. A before-event that denied is not a failure.
	cb := timtest.Callback{Command: callback.CommandBeforeCreateTopic, Status: 200, ActionStatus: "OK", ErrorCode: 1}
	fmt.Println(cb.Command, "denied:", cb.ErrorCode != 0, "failed:", cb.Err != nil)
	// Output: Group.CallbackBeforeCreateTopic denied: true failed: false
}
