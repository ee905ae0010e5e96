package community_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// exampleLive starts a Live on the demo community of exampleFake (see
// there), with reloads every hour.
func exampleLive() (*community.Live, *timtest.Server, *tim.Client) {
	srv, client := exampleFake()
	live, err := community.NewLive(context.Background(), client, demo, &community.LiveOptions{Interval: time.Hour})
	if err != nil {
		log.Fatal(err)
	}
	return live, srv, client
}

func ExampleNewLive() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	live, err := community.NewLive(ctx, client, demo, &community.LiveOptions{
		Interval: 10 * time.Minute, // reload every 10 min ± 10%
		OnReload: func(r community.ReloadReport) {
			if r.Err != nil {
				log.Printf("reload %s: %v", r.Reason, r.Err) // the last good view is kept
			}
		},
	})
	if err != nil {
		log.Fatal(err) // the first load failed
	}
	defer live.Close(ctx)

	// In a request handler: lock-free, never waits for a reload.
	ans := live.Access().Topic("bob", demoNews)
	fmt.Println(ans.Permission.Has(tim.TopicPermSendMessage), ans.Enforced())
	// Output: true true
}

func ExampleLive_HandleCallback() {
	// The app's callback endpoint: one line wires the Live to it.
	var live *community.Live
	app := httptest.NewServer(callback.NewHandler(timtest.DefaultSDKAppID, "token",
		callback.OnEvent(func(ctx context.Context, e callback.Event) error { return live.HandleCallback(ctx, e) })))
	defer app.Close()
	srv, client := exampleFakeWith(timtest.WithCallback(app.URL, "token")) // the fake sends signed callbacks
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()
	live, err := community.NewLive(ctx, client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer live.Close(ctx)
	// With live in scope from the start, the option is simply
	// callback.OnEvent(live.HandleCallback).

	fmt.Println(live.Access().GroupsOf("bob"))
	// bob leaves the community (in a client, or by REST as here).
	if _, err := client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{GroupID: demo, Accounts: []string{"bob"}}); err != nil {
		log.Fatal(err)
	}
	if err := srv.WaitCallbacks(ctx); err != nil {
		log.Fatal(err)
	}
	// Patched at once; a reload (one per burst, after a second) confirms.
	fmt.Println(live.Access().GroupsOf("bob"), live.View().Writes)
	// Output:
	// [@PMG#_speakers]
	// [] 1
}

func ExampleLive_Apply() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())
	ctx := context.Background()

	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "permission_groups": [
		{"id": "@PMG#_mods", "name": "Moderators", "permission": ["MuteMembers", "BanMembers"], "members": ["alice", "dave"]}]}`))
	if err != nil {
		log.Fatal(err)
	}
	plan, err := community.Diff(live.View().Snapshot, spec)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := live.Apply(ctx, plan, nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println(live.Access().GroupsOf("dave")) // at once, before any reload
	// Output: [@PMG#_mods]
}

func ExampleLive_Update() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())

	// A write made with the tim client directly...
	if err := client.AddPermissionGroupMember(context.Background(), demo, "@PMG#_speakers", "dave"); err != nil {
		log.Fatal(err)
	}
	// ...shown at once, until the next reload reads it from the service.
	err := live.Update(func(s *community.Snapshot) error {
		g := s.PermissionGroup("@PMG#_speakers")
		g.Members = append(g.Members, "dave")
		return nil
	})
	fmt.Println(err, live.Access().GroupsOf("dave"), live.View().Writes)
	// Output: <nil> [@PMG#_speakers] 1
}

func ExampleLive_Reload() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())

	// A change made in the console: no callback exists for permission groups.
	if err := srv.AddPermissionGroupMembers(demo, "@PMG#_mods", "carol"); err != nil {
		log.Fatal(err)
	}
	before := live.View().Generation
	if err := live.Reload(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(live.Access().GroupsOf("carol"), live.View().Generation > before)
	// Output: [@PMG#_mods @PMG#_speakers] true
}

func ExampleLive_Refresh() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	reloaded := make(chan community.ReloadReport, 1)
	live, err := community.NewLive(context.Background(), client, demo, &community.LiveOptions{
		Debounce: 10 * time.Millisecond, // requests within 10 ms make one reload
		OnReload: func(r community.ReloadReport) {
			if r.Reason == community.ReasonRefresh {
				reloaded <- r
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer live.Close(context.Background())
	for range 3 {
		live.Refresh() // never blocks
	}
	r := <-reloaded
	fmt.Println(r.Reason, r.Installed, r.Calls, "calls")
	// Output: refresh true 7 calls
}

func ExampleLive_View() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())

	v := live.View() // one consistent state: the snapshot and its index together
	fmt.Println(len(v.Snapshot.PermissionGroups), v.Access.GroupsOf("alice"), v.Writes, live.Age() < time.Minute)
	// Output: 2 [@PMG#_mods] 0 true
}

func ExampleLive_Access() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())
	fmt.Println(live.Access().Community("carol"))
	// Output: carol: SendMessage|ReadHistory = default ReadHistory | @PMG#_speakers SendMessage
}

func ExampleLive_Age() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())
	if live.Age() > 15*time.Minute {
		log.Print("permission answers are stale: ", live.Err())
	}
	fmt.Println(live.GroupID(), live.Age() < time.Minute)
	// Output: @TGS#_demo true
}

func ExampleLive_Err() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())

	if err := srv.FailNext(tim.CommandGetGroupInfo, 1, timtest.Fault{Code: tim.ErrGroupNotFound}); err != nil {
		log.Fatal(err)
	}
	_ = live.Reload(context.Background())
	var re *community.ReloadError
	if errors.As(live.Err(), &re) {
		fmt.Println(re.Failures, errors.Is(re, tim.ErrGroupNotFound))
	}
	fmt.Println(live.Access().GroupsOf("alice")) // the last good view
	_ = live.Reload(context.Background())
	fmt.Println(live.Err())
	// Output:
	// 1 true
	// [@PMG#_mods]
	// <nil>
}

func ExampleLive_Close() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Println(live.Close(ctx))
	fmt.Println(live.Reload(ctx), live.Access().GroupsOf("alice"))
	// Output:
	// <nil>
	// community: Live is closed [@PMG#_mods]
}

func ExampleLive_GroupID() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())
	fmt.Println(live.GroupID())
	// Output: @TGS#_demo
}

func ExampleLiveOptions() {
	opts := &community.LiveOptions{
		Interval: time.Minute,     // the default is community.DefaultLiveInterval
		Jitter:   -1,              // no jitter
		Debounce: 5 * time.Second, // one reload per burst of callbacks
		Retry:    time.Second,     // 1 s, 2 s, 4 s, … up to the interval
		Load:     &community.LoadOptions{Concurrency: 8},
	}
	fmt.Println(opts.Interval, community.DefaultLiveInterval, community.DefaultLiveDebounce, community.DefaultLiveRetry, community.DefaultLiveJitter)
	// Output: 1m0s 5m0s 1s 2s 0.1
}

func ExampleReloadReport() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	live, err := community.NewLive(context.Background(), client, demo, &community.LiveOptions{
		OnReload: func(r community.ReloadReport) { fmt.Println(r.Reason, r.Installed, r.Calls, r.Err) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer live.Close(context.Background())
	_ = live.Reload(context.Background())
	// Output:
	// start true 7 <nil>
	// reload true 7 <nil>
}

func ExampleReloadError() {
	err := &community.ReloadError{GroupID: demo, Failures: 3, Since: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), Err: tim.ErrInternal}
	fmt.Println(err)
	fmt.Println(errors.Is(err, tim.ErrInternal))
	// Output:
	// community: reload @TGS#_demo: 3 failed in a row since 2025-01-01T12:00:00Z, serving the last good view: tim: error 10002: internal server error
	// true
}

func ExampleView() {
	live, srv, client := exampleLive()
	defer srv.Close()
	defer client.Close()
	defer live.Close(context.Background())
	old := live.View()
	if err := live.Update(func(s *community.Snapshot) error { s.PermissionGroups = nil; return nil }); err != nil {
		log.Fatal(err)
	}
	// A View never changes: old answers as before, the new one differs.
	fmt.Println(old.Access.GroupsOf("bob"), live.View().Access.GroupsOf("bob"), live.View().Generation > old.Generation)
	// Output: [@PMG#_speakers] [] true
}
