package timtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func ExampleNewServer() {
	srv := timtest.NewServer()
	defer srv.Close()

	// Seed the state your code expects.
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	if err := srv.AddMember(group, "alice", tim.RoleAdmin); err != nil {
		log.Fatal(err)
	}

	// Point a client at it: srv.NewClient uses the fake's app, admin and key.
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: group, Accounts: []string{"alice", "bob"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(roles)

	// Assert on what was sent.
	for _, r := range srv.Requests() {
		fmt.Println(r.Command, r.UserSigValid, r.Query.Get("usersig"), int(r.ErrorCode))
	}
	// Output:
	// [{alice Admin} {bob NotMember}]
	// get_role_in_group true [redacted] 0
}

func ExampleServer_CreatePermissionGroup() {
	srv := timtest.NewServer()
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	id, err := srv.CreatePermissionGroup(group, timtest.PermissionGroup{Name: "Moderators", Permission: tim.GroupPermMuteMembers})
	fmt.Println(id, err)
	custom, err := srv.CreatePermissionGroup(group, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "Mods"})
	fmt.Println(custom, err)
	// Output:
	// @PMG#_@PMG#c000001 <nil>
	// @PMG#_mods <nil>
}

func ExampleWithRateLimit() {
	srv := timtest.NewServer(timtest.WithRateLimit(200)) // answer 60007 past 200 calls/s per command
	defer srv.Close()
	fmt.Println(srv.URL() != "")
	// Output: true
}

// Make the fake fail on purpose, to test your own handling of failures: here
// a client's retries get through a 502 page and an internal error, and give
// up on a connection that drops three times.
func ExampleServer_FailNext() {
	srv := timtest.NewServer()
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	// srv.NewClient retries with timtest.FastRetries(): the default attempts,
	// with backoffs of milliseconds (the defaults start at 100 ms).
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	failNext := func(n int, f timtest.Fault) {
		if err := srv.FailNext(tim.CommandGetRoleInGroup, n, f); err != nil { // a typo in the command, say
			log.Fatal(err)
		}
	}

	failNext(1, timtest.Fault{Status: http.StatusBadGateway})
	failNext(1, timtest.Fault{Code: tim.ErrInternal})
	roles, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: group, Accounts: []string{"owner"}})
	fmt.Println(roles, err)
	for _, r := range srv.RequestsFor("get_role_in_group") {
		switch {
		case r.Fault == nil:
			fmt.Println("answered", int(r.ErrorCode))
		case r.Fault.Status != 0:
			fmt.Println("fault: HTTP", r.Fault.Status)
		default:
			fmt.Println("fault: code", int(r.Fault.Code))
		}
	}

	failNext(3, timtest.Fault{Drop: true})
	_, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: group, Accounts: []string{"owner"}})
	var te *tim.TransportError
	fmt.Println(errors.As(err, &te), te.Attempts)
	// Output:
	// [{owner Owner}] <nil>
	// fault: HTTP 502
	// fault: code 10002
	// answered 0
	// true 3
}

func ExampleWithPermissionGroupMemberLimit() {
	srv := timtest.NewServer(timtest.WithPermissionGroupMemberLimit(2)) // at most 2 members per permission group
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	for _, account := range []string{"alice", "bob", "carol"} {
		if err := srv.AddMember(group, account, tim.RoleMember); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := srv.CreatePermissionGroup(group, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "Mods"}); err != nil {
		log.Fatal(err)
	}

	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	results, err := client.AddPermissionGroupMembers(context.Background(), &tim.PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: "@PMG#_mods", Accounts: []string{"alice", "bob", "carol"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Err()) // carol fails alone, with 110012 (tim.ErrPermissionGroupMemberLimit)
	}
	// Output:
	// alice <nil>
	// bob <nil>
	// carol tim: add_permission_group_member: account carol: error 110012: permission group member limit reached
}
