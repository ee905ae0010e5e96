package community_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

const (
	demo        = "@TGS#_demo"
	demoGeneral = demo + "@TOPIC#_general"
	demoNews    = demo + "@TOPIC#_news"
)

// exampleFake starts the fake service of package timtest with the community
// @TGS#_demo: owner olivia; members alice, bob, carol and dave; topics
// general and news; a default permission of ReadHistory; permission groups
// @PMG#_mods (alice; a permission in general) and @PMG#_speakers (bob,
// carol; in both topics).
func exampleFake() (*timtest.Server, *tim.Client) { return exampleFakeWith() }

// exampleFakeWith is exampleFake with options for the fake.
func exampleFakeWith(opts ...timtest.Option) (*timtest.Server, *tim.Client) {
	srv := timtest.NewServer(opts...)
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(srv.CreateCommunity(demo, "olivia"))
	must(srv.SetPermissionDefaults(demo, true, tim.GroupPermReadHistory))
	for _, m := range []string{"alice", "bob", "carol", "dave"} {
		must(srv.AddMember(demo, m, tim.RoleMember))
	}
	must(srv.CreateTopic(demo, demoGeneral))
	must(srv.CreateTopic(demo, demoNews))
	for _, pg := range []timtest.PermissionGroup{
		{ID: "@PMG#_mods", Name: "Moderators", Permission: tim.GroupPermMuteMembers | tim.GroupPermBanMembers},
		{ID: "@PMG#_speakers", Name: "Speakers", Permission: tim.GroupPermSendMessage},
	} {
		_, err := srv.CreatePermissionGroup(demo, pg)
		must(err)
	}
	must(srv.SetTopicPermission(demo, "@PMG#_mods", demoGeneral, tim.TopicPermMuteMembers|tim.TopicPermSendMessage))
	must(srv.SetTopicPermission(demo, "@PMG#_speakers", demoGeneral, tim.TopicPermSendMessage))
	must(srv.SetTopicPermission(demo, "@PMG#_speakers", demoNews, tim.TopicPermSendMessage|tim.TopicPermAtAll))
	must(srv.AddPermissionGroupMembers(demo, "@PMG#_mods", "alice"))
	must(srv.AddPermissionGroupMembers(demo, "@PMG#_speakers", "bob", "carol"))
	client, err := srv.NewClient()
	must(err)
	return srv, client
}

func ExampleLoad() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()
	defer client.Close()

	snap, err := community.Load(context.Background(), client, demo, &community.LoadOptions{
		Progress: func(p community.Progress) { /* e.g. print p.GroupsDone, p.Calls */ },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("owner:", snap.Owner, "default:", *snap.DefaultPermission)
	for _, g := range snap.PermissionGroups {
		fmt.Println(g.ID, g.Name, g.Permission, len(g.Topics), "topics", g.Members)
	}
	fmt.Println(len(srv.Requests()), "calls")
	// Output:
	// owner: olivia default: ReadHistory
	// @PMG#_mods Moderators MuteMembers|BanMembers 1 topics [alice]
	// @PMG#_speakers Speakers SendMessage 2 topics [bob carol]
	// 7 calls
}

func ExampleNewAccess() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	snap, err := community.Load(context.Background(), client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}

	access := community.NewAccess(snap) // no further calls
	fmt.Println(access.GroupsOf("alice"))
	fmt.Println(access.Community("alice"))
	fmt.Println(access.Topic("bob", demoNews))
	fmt.Println(access.Community("dave"))
	fmt.Println(access.Community("olivia").Rule, access.Community(client.Identifier()).Rule)
	// Output:
	// [@PMG#_mods]
	// alice: MuteMembers|ReadHistory|BanMembers = default ReadHistory | @PMG#_mods MuteMembers|BanMembers
	// bob in @TGS#_demo@TOPIC#_news: SendMessage|ReadHistory|AtAll = default 0 (unknown) | @PMG#_speakers SendMessage|AtAll | all topics SendMessage|ReadHistory (inferred)
	// dave: ReadHistory = default ReadHistory
	// owner app admin
}

func ExampleParseSpec() {
	spec, err := community.ParseSpec(strings.NewReader(`{
		"group_id": "@TGS#_demo",
		"permission_groups": [
			{"id": "@PMG#_mods", "name": "Moderators", "permission": ["MuteMembers", "BanMembers"],
			 "topics": {"@TGS#_demo@TOPIC#_general": 12}}
		]}`))
	if err != nil {
		log.Fatal(err)
	}
	g := spec.PermissionGroups[0]
	fmt.Println(g.ID, g.Permission, g.Topics[demoGeneral], g.Members == nil)

	_, err = community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "permission_groups": [
  {"id": "@PMG#_mods", "name": "M", "permission": "SendMessage|AtAll", "topcis": {}}]}`))
	fmt.Println(err)
	// Output:
	// @PMG#_mods MuteMembers|BanMembers MuteMembers|SendMessage true
	// spec: 2:72: permission_groups[0].topcis: unknown field (known: id, name, permission, custom_string, topics, members)
}

func ExampleDiff() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	snap, err := community.Load(context.Background(), client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	spec, err := community.ParseSpec(strings.NewReader(`{
		"group_id": "@TGS#_demo", "prune": true,
		"permission_groups": [
			{"id": "@PMG#_mods", "name": "Moderators", "permission": ["MuteMembers", "BanMembers", "RecallMessages"],
			 "members": ["alice", "dave"]},
			{"id": "@PMG#_news", "name": "Newsroom", "permission": ["SendMessage"],
			 "topics": {"@TGS#_demo@TOPIC#_news": ["SendMessage", "AtAll"]}, "members": ["carol"]}
		]}`))
	if err != nil {
		log.Fatal(err)
	}
	plan, err := community.Diff(snap, spec) // pure: no calls
	if err != nil {
		log.Fatal(err)
	}
	_, _ = plan.WriteTo(os.Stdout)
	// Output:
	// Community @TGS#_demo:
	//
	//   ~ permission group @PMG#_mods "Moderators"
	//       ~ permission MuteMembers|BanMembers -> MuteMembers|RecallMessages|BanMembers
	//       + member dave
	//
	//   + permission group @PMG#_news
	//       + name "Newsroom"
	//       + permission SendMessage
	//       + topic @TGS#_demo@TOPIC#_news: SendMessage|AtAll
	//       + member carol
	//
	//   - permission group @PMG#_speakers "Speakers" (2 members, 2 topic grants)
	//
	// Plan: 1 to create, 1 to change, 1 to destroy; 6 API calls.
}

func ExampleApply() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()
	snap, err := community.Load(ctx, client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "permission_groups": [
		{"id": "@PMG#_news", "name": "Newsroom", "permission": ["SendMessage"], "members": ["carol", "dave"]}]}`))
	if err != nil {
		log.Fatal(err)
	}
	plan, err := community.Diff(snap, spec)
	if err != nil {
		log.Fatal(err)
	}
	res, err := community.Apply(ctx, client, plan, nil)
	if err != nil {
		log.Fatal(err) // an *ApplyError: res says what was applied, what was not, what is unknown
	}
	_, _ = res.WriteTo(os.Stdout)
	// Output:
	// applied        + create @PMG#_news [1 call]
	// applied        + add members @PMG#_news: 2 accounts [1 call]
	// Apply: 2 applied, 0 failed, 0 unknown, 0 not attempted; 2 API calls.
}

func ExampleSimulate() {
	snap := &community.Snapshot{GroupID: demo, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_mods", Name: "Mods", Members: []string{"alice"}},
	}}
	spec := &community.Spec{GroupID: demo, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_mods", Name: "Moderators", Members: []string{"alice", "bob"}},
	}}
	plan, _ := community.Diff(snap, spec)
	after, err := community.Simulate(snap, plan) // what Apply would leave; no calls
	if err != nil {
		log.Fatal(err)
	}
	again, _ := community.Diff(after, spec)
	fmt.Println(after.PermissionGroups[0].Name, after.PermissionGroups[0].Members, again.Empty())
	// Output:
	// Moderators [alice bob] true
}

func ExampleExport() {
	snap := &community.Snapshot{GroupID: demo, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_@PMG#c000001", Name: "Made by the service"},
		{ID: "@PMG#_mods", Name: "Moderators", Permission: tim.GroupPermMuteMembers,
			Topics: map[string]tim.TopicPermission{demoGeneral: tim.TopicPermMuteMembers}, Members: []string{"alice"}},
	}}
	spec, err := community.Export(snap)
	fmt.Println(err) // a *ServerMadeError: the spec holds the others
	out, _ := json.MarshalIndent(spec, "", "  ")
	fmt.Println(string(out))
	// Output:
	// community: export @TGS#_demo: 1 permission group(s) have IDs the service made, which a spec cannot name, and were left out: @PMG#_@PMG#c000001
	// {
	//   "group_id": "@TGS#_demo",
	//   "prune": false,
	//   "permission_groups": [
	//     {
	//       "id": "@PMG#_mods",
	//       "name": "Moderators",
	//       "permission": [
	//         "MuteMembers"
	//       ],
	//       "custom_string": "",
	//       "topics": {
	//         "@TGS#_demo@TOPIC#_general": [
	//           "MuteMembers"
	//         ]
	//       },
	//       "members": [
	//         "alice"
	//       ]
	//     }
	//   ]
	// }
}

func ExampleSpec_Validate() {
	spec := &community.Spec{GroupID: demo, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_mods", Name: "Moderators", Topics: map[string]tim.TopicPermission{"@TGS#_other@TOPIC#_x": 8}},
		{ID: "@PMG#_mods", Name: "", Members: []string{"alice", "alice"}},
	}}
	fmt.Println(spec.Validate()) // every problem, before any call
	// Output:
	// spec: permission_groups[0].topics["@TGS#_other@TOPIC#_x"]: is a topic of another community (@TGS#_other), not of @TGS#_demo
	// spec: permission_groups[1].id: @PMG#_mods is also permission_groups[0].id
	// spec: permission_groups[1].name: is required (1 to 150 bytes)
	// spec: permission_groups[1].members[1]: "alice" is also members[0]
}

func ExamplePlan_Summary() {
	snap := &community.Snapshot{GroupID: demo}
	spec := &community.Spec{GroupID: demo, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_crowd", Name: "Crowd", Members: make([]string, 0, 250)},
	}}
	for i := range 250 {
		spec.PermissionGroups[0].Members = append(spec.PermissionGroups[0].Members, fmt.Sprintf("user%03d", i))
	}
	plan, _ := community.Diff(snap, spec)
	fmt.Printf("%+v\n", plan.Summary()) // a create and 250 accounts in requests of 100
	// Output:
	// {Create:1 Change:0 Destroy:0 Calls:4}
}
