package tim_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// The community exampleFake seeds.
const exampleCommunity = "@TGS#_@TGS#cV6IHIIM62C4"

func ExampleClient_CreatePermissionGroup() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	ctx := context.Background()

	// A custom ID: "@PMG#_" followed by a suffix of your choice.
	id, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_editors",
		Name:              "Editors",
		Permission:        tim.GroupPermManageTopics | tim.GroupPermSendMessage,
		CustomString:      `{"team":"content"}`,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id)

	// No ID: the server makes one ("@PMG#_@PMG#..."); keep the one returned.
	id, err = client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{
		GroupID:    exampleCommunity,
		Name:       "Guests",
		Permission: tim.GroupPermReadHistory,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(id, "@PMG#_@PMG#"))
	// Output:
	// @PMG#_editors
	// true
}

func ExampleClient_ModifyPermissionGroup() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	ctx := context.Background()

	// Only the fields set are sent; CustomString (nil) keeps its value.
	err := client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_mods",
		Name:              tim.Ptr("Senior moderators"),
		Permission:        tim.Ptr(tim.GroupPermMuteMembers | tim.GroupPermBanMembers | tim.GroupPermRecallMessages),
	})
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{
		GroupID:            exampleCommunity,
		PermissionGroupIDs: []string{"@PMG#_mods"},
	})
	if err != nil {
		log.Fatal(err)
	}
	g := page.PermissionGroups[0]
	fmt.Println(g.Name, g.Permission)
	// Output: Senior moderators MuteMembers|RecallMessages|BanMembers
}

func ExampleClient_DestroyPermissionGroups() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	results, err := client.DestroyPermissionGroups(context.Background(), &tim.DestroyPermissionGroupsRequest{GroupID: exampleCommunity, PermissionGroupIDs: []string{"@PMG#_readers", "@PMG#_gone"}})

	if err != nil {
		// results still lists the groups destroyed before the failure.
		log.Fatal(err)
	}
	for _, r := range results {
		switch err := r.Err(); {
		case err == nil:
			fmt.Println(r.ID, "destroyed")
		case errors.Is(err, tim.ErrPermissionGroupNotFound):
			fmt.Println(r.ID, "was not there")
		default:
			fmt.Println(r.ID, "failed:", err)
		}
	}
	// Output:
	// @PMG#_readers destroyed
	// @PMG#_gone was not there
}

func ExampleClient_AddTopicPermissions() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	results, err := client.AddTopicPermissions(context.Background(), &tim.TopicPermissionsRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_speakers", Topics: []tim.TopicPermissionSetting{
		{TopicID: exampleCommunity + "@TOPIC#_a", Permission: tim.TopicPermSendMessage | tim.TopicPermAtAll},
		{TopicID: exampleCommunity + "@TOPIC#_nope", Permission: tim.TopicPermSendMessage},
	}})

	if err != nil {
		log.Fatal(err)
	}
	// The call succeeded; each topic has its own result.
	for _, r := range results {
		switch err := r.Err(); {
		case err == nil:
			fmt.Println(r.ID, "granted")
		case errors.Is(err, tim.ErrInvalidTopicID):
			fmt.Println(r.ID, "no such topic")
		case errors.Is(err, tim.ErrTopicAlreadyInPermissionGroup):
			fmt.Println(r.ID, "already granted: use SetTopicPermissions to change it")
		default:
			fmt.Println(r.ID, "failed:", err)
		}
	}
	// Output:
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_a granted
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_nope no such topic
}

func ExampleClient_SetTopicPermissions() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	ctx := context.Background()
	topicA := exampleCommunity + "@TOPIC#_a"

	results, err := client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_mods", Topics: []tim.TopicPermissionSetting{
		{TopicID: topicA, Permission: tim.TopicPermSendMessage | tim.TopicPermRecallMessages},
	}})

	if err != nil {
		log.Fatal(err)
	}
	if err := results[0].Err(); err != nil { // e.g. tim.ErrTopicNotInPermissionGroup: use AddTopicPermissions
		log.Fatal(err)
	}

	perms, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_mods",
		TopicIDs:          []string{topicA},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(perms[0].Permission)
	// Output: SendMessage|RecallMessages
}

func ExampleClient_DeleteTopicPermissions() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	ctx := context.Background()
	topicB := exampleCommunity + "@TOPIC#_b"

	for range 2 {
		results, err := client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_mods", TopicIDs: []string{topicB}})
		if err != nil {
			log.Fatal(err)
		}
		err = results[0].Err()
		fmt.Println(err == nil, errors.Is(err, tim.ErrTopicPermissionAlreadyDeleted))
	}
	// Output:
	// true false
	// false true
}

func ExampleClient_AddPermissionGroupMembers() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	results, err := client.AddPermissionGroupMembers(context.Background(), &tim.PermissionGroupMembersRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_mods", Accounts: []string{"amy", "peter"}})

	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		switch err := r.Err(); {
		case err == nil:
			fmt.Println(r.ID, "added")
		case errors.Is(err, tim.ErrAlreadyMember):
			fmt.Println(r.ID, "was already in it")
		default:
			fmt.Println(r.ID, "failed:", err)
		}
	}
	// Output:
	// amy was already in it
	// peter added
}

func ExampleClient_DeletePermissionGroupMembers() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	ctx := context.Background()

	// An account that is not in the group succeeds too.
	results, err := client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_mods", Accounts: []string{"amy", "wesley"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Err())
	}

	page, err := client.GetPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_mods",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("members left:", len(page.Members))
	// Output:
	// amy <nil>
	// wesley <nil>
	// members left: 0
}

func ExampleClient_GetPermissionGroupMembers() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	// Seed two more members of @PMG#_mods, after amy.
	if err := srv.AddPermissionGroupMembers(exampleCommunity, "@PMG#_mods", "peter", "leckie"); err != nil {
		log.Fatal(err)
	}

	page, err := client.GetPermissionGroupMembers(context.Background(), &tim.GetPermissionGroupMembersRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_mods",
		Limit:             2,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range page.Members {
		fmt.Println(m.Account, m.Role)
	}
	fmt.Println("more:", page.Next != "") // pass page.Next as Next for the following page
	// Output:
	// amy Admin
	// peter Member
	// more: true
}

func ExampleClient_AllPermissionGroupMembers() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	// Seed two more members of @PMG#_mods, after amy.
	if err := srv.AddPermissionGroupMembers(exampleCommunity, "@PMG#_mods", "peter", "leckie"); err != nil {
		log.Fatal(err)
	}

	req := &tim.GetPermissionGroupMembersRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_mods"}
	for m, err := range client.AllPermissionGroupMembers(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Account, m.Role)
	}
	// Output:
	// amy Admin
	// peter Member
	// leckie Owner
}

func ExampleNewPermissionGroupMemberPaginator() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	// Seed two more members of @PMG#_mods, after amy.
	if err := srv.AddPermissionGroupMembers(exampleCommunity, "@PMG#_mods", "peter", "leckie"); err != nil {
		log.Fatal(err)
	}

	p := tim.NewPermissionGroupMemberPaginator(client, &tim.GetPermissionGroupMembersRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_mods",
		Limit:             2,
	})
	for p.HasMorePages() {
		members, err := p.NextPage(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		var accounts []string
		for _, m := range members {
			accounts = append(accounts, m.Account)
		}
		fmt.Println("page:", accounts) // p.Cursor() is where to resume after this page
	}
	// Output:
	// page: [amy peter]
	// page: [leckie]
}

func ExamplePtr() {
	// The optional fields of ModifyPermissionGroupRequest are pointers: nil
	// leaves a field as it is.
	req := &tim.ModifyPermissionGroupRequest{
		GroupID:           exampleCommunity,
		PermissionGroupID: "@PMG#_mods",
		Name:              tim.Ptr("Moderators (EU)"),      // *string
		Permission:        tim.Ptr(tim.GroupPermission(0)), // *tim.GroupPermission: takes every right away
		CustomString:      tim.Ptr(""),                     // clears it
	}
	fmt.Printf("%q %v %q\n", *req.Name, *req.Permission, *req.CustomString)
	// Output: "Moderators (EU)" 0 ""
}

func ExampleItemResult_Err() {
	// One item of a write's results, as AddPermissionGroupMembers returns it.
	r := tim.ItemResult{Command: tim.CommandAddPermissionGroupMember, ID: "amy", ErrorCode: tim.ErrAlreadyMember}

	err := r.Err()
	fmt.Println(err)
	fmt.Println(errors.Is(err, tim.ErrAlreadyMember))
	var itemErr *tim.ItemError // the item failed, not the call
	if errors.As(err, &itemErr) {
		fmt.Println(itemErr.Kind, itemErr.ID, int(itemErr.Code), itemErr.Code.Retryable())
	}
	fmt.Println(tim.ItemResult{Command: tim.CommandAddPermissionGroupMember, ID: "peter"}.Err()) // success
	// Output:
	// tim: add_permission_group_member: account amy: error 10013: already a member
	// true
	// account amy 10013 false
	// <nil>
}

func ExampleBatchError() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	ctx := context.Background()
	accounts := []string{"leckie", "amy", "peter"}
	for i := range 120 { // 123 accounts: two requests, of 100 and 23
		account := fmt.Sprintf("user%03d", i)
		if err := srv.AddMember(exampleCommunity, account, tim.RoleMember); err != nil {
			log.Fatal(err)
		}
		accounts = append(accounts, account)
	}
	// The second request is refused by the app's callback (10016).
	faults := []timtest.Fault{
		{Pass: true},                  // the first goes through
		{Code: tim.ErrCallbackDenied}, // the second is refused
	}
	for _, f := range faults {
		if err := srv.FailNext(tim.CommandAddPermissionGroupMember, 1, f); err != nil {
			log.Fatal(err)
		}
	}

	results, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: exampleCommunity, PermissionGroupID: "@PMG#_speakers", Accounts: accounts})
	var be *tim.BatchError
	if errors.As(err, &be) {
		fmt.Println("failed: request", be.Request, "of", be.Requests)
		fmt.Println("confirmed:", len(results), len(be.Results))
		fmt.Println("unconfirmed:", len(be.Unconfirmed), "from", be.Unconfirmed[0])
		fmt.Println("not sent:", len(be.NotSent))
		fmt.Println("refused:", errors.Is(err, tim.ErrCallbackDenied), "may have applied:", be.MayHaveApplied()) // refused: those 23 were not added
	}
	// Output:
	// failed: request 2 of 2
	// confirmed: 100 100
	// unconfirmed: 23 from user097
	// not sent: 0
	// refused: true may have applied: false
}
