package community_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/timkit/tim/community"
)

// CheckSpec names every place where a spec does not fit its community
// before anything is written: here an account that is not a member and a
// topic that does not exist. The accounts cost one get_role_in_group per
// 500.
func ExampleCheckSpec() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	snap, err := community.Load(ctx, client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "permission_groups": [
		{"id": "@PMG#_hosts", "name": "Hosts", "permission": [],
		 "topics": {"@TGS#_demo@TOPIC#_genral": ["SendMessage"]}, "members": ["alice", "zed"]}]}`))
	if err != nil {
		log.Fatal(err)
	}
	n := len(srv.Requests())
	err = community.CheckSpec(ctx, client, snap, spec)
	fmt.Println(err)
	fmt.Println(len(srv.Requests())-n, "call")
	// Output:
	// spec: 3:15: permission_groups[0].topics["@TGS#_demo@TOPIC#_genral"]: topic @TGS#_demo@TOPIC#_genral does not exist in @TGS#_demo, and the spec's "topics" does not create it
	// spec: 3:82: permission_groups[0].members[1]: account zed is not a member of @TGS#_demo
	// 1 call
}

// A spec may manage the community's settings and topics; a permission group
// may grant a topic the spec creates. Apply sends the settings first, then
// the topics, then the groups.
func ExampleSpec_topics() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo",
		"settings": {"default_permission": ["ReadHistory", "SendMessage"]},
		"topics": [{"id": "@TGS#_demo@TOPIC#_events", "name": "Events"}],
		"permission_groups": [{"id": "@PMG#_hosts", "name": "Hosts", "permission": [],
		  "topics": {"@TGS#_demo@TOPIC#_events": ["SendMessage"]}}]}`))
	if err != nil {
		log.Fatal(err)
	}
	snap, err := community.Load(ctx, client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := community.CheckSpec(ctx, client, snap, spec); err != nil {
		log.Fatal(err)
	}
	plan, err := community.Diff(snap, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)
	res, err := community.Apply(ctx, client, plan, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.SummaryLine())
	// Output:
	// Community @TGS#_demo:
	//
	//   ~ settings
	//       ~ default_permission ReadHistory -> SendMessage|ReadHistory
	//
	//   + topic @TGS#_demo@TOPIC#_events
	//       + name "Events"
	//
	//   + permission group @PMG#_hosts
	//       + name "Hosts"
	//       + permission 0
	//       + topic @TGS#_demo@TOPIC#_events: SendMessage
	//
	// Plan: 2 to create, 1 to change, 0 to destroy; 4 API calls.
	// Apply: 4 applied, 0 failed, 0 unknown, 0 not attempted; 4 API calls.
}
