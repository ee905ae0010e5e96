package timtest_test

// Examples of seeding the fake, its options and its records.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const demo = "@TGS#_@TGS#demo"

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func ExampleServer_CreateGroup() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateGroup("@TGS#2work", timtest.Work, "owner")) // get_role_in_group serves it; the permission-group commands do not
	client, err := srv.NewClient()
	must(err)
	role, err := client.RoleOf(context.Background(), "@TGS#2work", "owner")
	fmt.Println(role, err)
	_, err = client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: "@TGS#_notthere"})
	fmt.Println(errors.Is(err, tim.ErrGroupNotFound))
	// Output:
	// Owner <nil>
	// true
}

func ExampleServer_DissolveGroup() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	must(srv.DissolveGroup(demo))
	client, err := srv.NewClient()
	must(err)
	_, err = client.RoleOf(context.Background(), demo, "owner")
	fmt.Println(errors.Is(err, tim.ErrGroupNotFound))
	// Output: true
}

func ExampleServer_AddMember() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	must(srv.AddMember(demo, "amy", tim.RoleAdmin))
	must(srv.AddMember(demo, "amy", tim.RoleMember)) // changes the role
	client, err := srv.NewClient()
	must(err)
	role, err := client.RoleOf(context.Background(), demo, "amy")
	fmt.Println(role, err)
	// Output: Member <nil>
}

func ExampleServer_CreateTopic() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	fmt.Println(srv.CreateTopic(demo, demo+"@TOPIC#_news"))
	fmt.Println(srv.CreateTopic(demo, "@TGS#_other@TOPIC#_news") != nil) // a topic of another community
	// Output:
	// <nil>
	// true
}

func ExampleServer_SetTopicPermission() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	topic := demo + "@TOPIC#_news"
	must(srv.CreateTopic(demo, topic))
	pg, err := srv.CreatePermissionGroup(demo, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	must(err)
	must(srv.SetTopicPermission(demo, pg, topic, tim.TopicPermSendMessage))
	client, err := srv.NewClient()
	must(err)
	perms, err := client.GetTopicPermissions(context.Background(), &tim.GetTopicPermissionsRequest{GroupID: demo, PermissionGroupID: pg})
	must(err)
	fmt.Println(perms[0].TopicID == topic, perms[0].Permission)

	must(srv.DeleteTopicPermission(demo, pg, topic))
	perms, err = client.GetTopicPermissions(context.Background(), &tim.GetTopicPermissionsRequest{GroupID: demo, PermissionGroupID: pg, TopicIDs: []string{topic}})
	must(err)
	fmt.Println(errors.Is(perms[0].Err(), tim.ErrTopicPermissionAlreadyDeleted))
	// Output:
	// true SendMessage
	// true
}

func ExampleServer_DeleteTopicPermission() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	topic := demo + "@TOPIC#_news"
	must(srv.CreateTopic(demo, topic))
	pg, err := srv.CreatePermissionGroup(demo, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	must(err)
	must(srv.SetTopicPermission(demo, pg, topic, tim.TopicPermAtAll))
	fmt.Println(srv.DeleteTopicPermission(demo, pg, topic))
	fmt.Println(errors.Is(srv.DeleteTopicPermission(demo, pg, topic), tim.ErrTopicNotInPermissionGroup))
	// Output:
	// <nil>
	// true
}

func ExampleServer_AddPermissionGroupMembers() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	must(srv.AddMember(demo, "amy", tim.RoleMember))
	pg, err := srv.CreatePermissionGroup(demo, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	must(err)
	must(srv.AddPermissionGroupMembers(demo, pg, "amy", "owner"))
	fmt.Println(srv.AddPermissionGroupMembers(demo, pg, "stranger") != nil) // only community members
	members, err := srv.PermissionGroupMembers(demo, pg)
	fmt.Println(members, err)
	// Output:
	// true
	// [amy owner] <nil>
}

func ExampleServer_PermissionGroupMembers() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	must(srv.AddMember(demo, "amy", tim.RoleMember))
	pg, err := srv.CreatePermissionGroup(demo, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	must(err)
	client, err := srv.NewClient()
	must(err)
	must(client.AddPermissionGroupMember(context.Background(), demo, pg, "amy"))
	members, err := srv.PermissionGroupMembers(demo, pg) // what the fake holds, to assert on
	fmt.Println(members, err)
	// Output: [amy] <nil>
}

func ExampleServer_DestroyPermissionGroup() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	pg, err := srv.CreatePermissionGroup(demo, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	must(err)
	must(srv.DestroyPermissionGroup(demo, pg))
	_, err = srv.PermissionGroupMembers(demo, pg)
	fmt.Println(errors.Is(err, tim.ErrPermissionGroupNotFound))
	// Output: true
}

func ExampleServer_SetMemberProfile() {
	srv := timtest.NewServer(timtest.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	must(srv.AddMember(demo, "amy", tim.RoleAdmin))
	must(srv.SetMemberProfile(demo, "amy", timtest.MemberProfile{NameCard: "Amy (mod)", CustomData: map[string]string{"level": "3"}}))
	pg, err := srv.CreatePermissionGroup(demo, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "mods"})
	must(err)
	must(srv.AddPermissionGroupMembers(demo, pg, "amy"))
	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()),
		tim.WithUserSigner(fixedSigner(srv, time.Unix(1700000000, 0))))
	must(err)
	for m, err := range client.AllPermissionGroupMembers(context.Background(), &tim.GetPermissionGroupMembersRequest{GroupID: demo, PermissionGroupID: pg}) {
		must(err)
		fmt.Println(m.Account, m.Role, m.JoinTime, m.NameCard, m.CustomData)
	}
	// Output: amy Admin 1700000000 Amy (mod) map[level:3]
}

// fixedSigner makes a UserSig valid at the fake's fixed clock.
func fixedSigner(srv *timtest.Server, at time.Time) tim.UserSigner {
	s, err := tim.NewKeySigner(srv.SDKAppID(), srv.SecretKey(), srv.Admin(), tim.WithSignerClock(func() time.Time { return at }))
	must(err)
	return s
}

func ExampleServer_SetPermissionDefaults() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	must(srv.SetPermissionDefaults(demo, true, tim.GroupPermSendMessage))
	client, err := srv.NewClient()
	must(err)
	infos, err := client.GetGroupInfo(context.Background(), &tim.GetGroupInfoRequest{GroupIDs: []string{demo}})
	must(err)
	fmt.Println(infos[0].Owner, *infos[0].PermissionGroupsEnabled, *infos[0].DefaultPermission)
	// Output: owner true SendMessage
}

func ExampleServer_RequestsFor() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	client, err := srv.NewClient()
	must(err)
	must(srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Code: tim.ErrInternal}))
	_, err = client.RoleOf(context.Background(), demo, "owner")
	must(err)
	for _, r := range srv.RequestsFor(tim.CommandGetRoleInGroup) {
		fmt.Println(r.Command, r.UserSigValid, r.Query.Get("usersig"), int(r.ErrorCode), r.Fault != nil, string(r.Body))
	}
	fmt.Println(len(srv.Requests()))
	srv.ResetRequests()
	fmt.Println(len(srv.Requests()))
	// Output:
	// get_role_in_group true [redacted] 10002 true {"GroupId":"@TGS#_@TGS#demo","User_Account":["owner"]}
	// get_role_in_group true [redacted] 0 false {"GroupId":"@TGS#_@TGS#demo","User_Account":["owner"]}
	// 2
	// 0
}

func ExampleServer_NewClient() {
	srv := timtest.NewServer(timtest.WithSDKAppID(1400000042), timtest.WithAdmins("ops", "backup"), timtest.WithSecretKey("test key"))
	defer srv.Close()
	client, err := srv.NewClient(tim.WithUserAgent("my-service-test"))
	must(err)
	fmt.Println(client.SDKAppID(), client.Identifier(), srv.SDKAppID(), srv.Admin())
	// Output: 1400000042 ops 1400000042 ops
}

func ExampleWithoutCommunitySupport() {
	srv := timtest.NewServer(timtest.WithoutCommunitySupport())
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	client, err := srv.NewClient()
	must(err)
	_, err = client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: demo})
	fmt.Println(errors.Is(err, tim.ErrCommunityNotSupported))
	// Output: true
}

func ExampleWithLatency() {
	srv := timtest.NewServer(timtest.WithLatency(30 * time.Millisecond))
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	client, err := srv.NewClient()
	must(err)
	start := time.Now()
	_, err = client.RoleOf(context.Background(), demo, "owner")
	fmt.Println(err, time.Since(start) >= 30*time.Millisecond)
	// Output: <nil> true
}

func ExampleWithClock() {
	now := time.Now()
	srv := timtest.NewServer(timtest.WithClock(func() time.Time { return now.Add(48 * time.Hour) }))
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	// A UserSig valid for 24 h, made now, has expired by the fake's clock.
	sig, err := tim.GenerateUserSig(srv.SDKAppID(), srv.SecretKey(), srv.Admin(), now, 24*time.Hour)
	must(err)
	signer, err := tim.StaticUserSig(sig)
	must(err)
	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithUserSigner(signer))
	must(err)
	_, err = client.RoleOf(context.Background(), demo, "owner")
	fmt.Println(errors.Is(err, tim.ErrUserSigExpired))
	// Output: true
}

func ExampleWithoutRecording() {
	srv := timtest.NewServer(timtest.WithoutRecording()) // for long benchmarks
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	client, err := srv.NewClient()
	must(err)
	_, err = client.RoleOf(context.Background(), demo, "owner")
	fmt.Println(err, len(srv.Requests()))
	// Output: <nil> 0
}

func ExampleFault_pass() {
	srv := timtest.NewServer()
	defer srv.Close()
	must(srv.CreateCommunity(demo, "owner"))
	client, err := srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	must(err)
	must(srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Pass: true}))
	must(srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Code: tim.ErrInternal}))
	for range 3 {
		_, err := client.RoleOf(context.Background(), demo, "owner")
		fmt.Println(err == nil)
	}
	fmt.Println(srv.FailNext("get_role_in_grup", 1, timtest.Fault{Code: tim.ErrInternal})) // a typo is an error
	// Output:
	// true
	// false
	// true
	// timtest: FailNext: the fake serves no command "get_role_in_grup" (see tim.Commands)
}
