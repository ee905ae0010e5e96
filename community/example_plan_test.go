package community_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// examplePlan loads the example community and plans spec for it.
func examplePlan(client community.Client, spec string) *community.Plan {
	snap, err := community.Load(context.Background(), client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	s, err := community.ParseSpec(strings.NewReader(spec))
	if err != nil {
		log.Fatal(err)
	}
	plan, err := community.Diff(snap, s)
	if err != nil {
		log.Fatal(err)
	}
	return plan
}

const exampleNewsroom = `{"group_id": "@TGS#_demo", "permission_groups": [
	{"id": "@PMG#_news", "name": "Newsroom", "permission": ["SendMessage"], "members": ["carol"]}]}`

// A plan is saved as JSON (with its spec and fingerprint), read back later,
// checked against the community as it is then, and applied exactly.
func ExampleCheckPlan() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	var saved bytes.Buffer
	if err := json.NewEncoder(&saved).Encode(examplePlan(client, exampleNewsroom)); err != nil {
		log.Fatal(err)
	}

	// Later, perhaps in another process: read the plan and check it.
	var plan community.Plan
	if err := json.Unmarshal(saved.Bytes(), &plan); err != nil {
		log.Fatal(err)
	}
	fmt.Println(community.CheckPlan(context.Background(), client, &plan, nil))

	// Someone else changes what the plan depends on meanwhile.
	if err := srv.AddPermissionGroupMembers(demo, "@PMG#_mods", "dave"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(community.CheckPlan(context.Background(), client, &plan, nil), "(the plan does not manage @PMG#_mods)")
	if _, err := srv.CreatePermissionGroup(demo, exampleGroup("@PMG#_news")); err != nil {
		log.Fatal(err)
	}
	err := community.CheckPlan(context.Background(), client, &plan, nil)
	var stale *community.StaleError
	fmt.Println(errors.As(err, &stale), err)
	// Output:
	// <nil>
	// <nil> (the plan does not manage @PMG#_mods)
	// true saved plan is stale: permission group @PMG#_news was created; plan again
}

func ExampleVerify() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	plan := examplePlan(client, exampleNewsroom)
	if _, err := community.Apply(context.Background(), client, plan, nil); err != nil {
		log.Fatal(err)
	}
	if err := srv.AddPermissionGroupMembers(demo, "@PMG#_news", "dave"); err != nil { // behind the apply's back
		log.Fatal(err)
	}
	drift, err := community.Verify(context.Background(), client, plan, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(drift)
	// Output:
	// Community @TGS#_demo:
	//
	//   ~ permission group @PMG#_news
	//       - member dave
	//
	// Plan: 0 to create, 1 to change, 0 to destroy; 1 API call.
}

// The plan's JSON is what tim plan -json prints: versioned, one operation
// per element.
func ExamplePlan_MarshalJSON() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	data, err := json.Marshal(examplePlan(client, exampleNewsroom))
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		FormatVersion int `json:"format_version"`
		Operations    []struct {
			Kind     string   `json:"kind"`
			Accounts []string `json:"accounts"`
			APICalls int      `json:"api_calls"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", doc)
	// Output:
	// {FormatVersion:2 Operations:[{Kind:create Accounts:[] APICalls:1} {Kind:add_members Accounts:[carol] APICalls:1}]}
}

func ExamplePlan_UnmarshalJSON() {
	var p community.Plan
	err := json.Unmarshal([]byte(`{"format_version": 3, "group_id": "@TGS#_demo"}`), &p)
	fmt.Println(err)
	// Output: community: plan: format_version 3; this version reads 1 to 2
}

// A pruning spec keeps the groups whose ID the service made unless it says
// "prune_server_made"; one that names no group destroys all the others.
func ExamplePlan_DestroysAll() {
	snap := &community.Snapshot{GroupID: demo, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_@PMG#c2V", Name: "Made by the service", Members: []string{"alice"}},
		{ID: "@PMG#_mods", Name: "Mods", Members: []string{"alice", "bob"}},
	}}
	plan, err := community.Diff(snap, &community.Spec{GroupID: demo, Prune: true, PermissionGroups: []community.GroupSpec{}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.DestroysAll(), plan.Kept[0].ID, plan.Kept[0].Reason)
	fmt.Print(plan)
	// Output:
	// true @PMG#_@PMG#c2V server-made ID
	// Community @TGS#_demo:
	//
	//   - permission group @PMG#_mods "Mods" (2 members, 0 topic grants)
	//
	// Kept: 1 permission group the spec does not name, whose ID the service made (a spec cannot name it; "prune_server_made": true destroys it):
	//   # permission group @PMG#_@PMG#c2V "Made by the service" (1 member, 0 topic grants)
	//
	// Warning: the spec prunes and names no permission group: this plan destroys every permission group of @TGS#_demo but those kept above.
	//
	// Plan: 0 to create, 0 to change, 1 to destroy; 1 API call.
}

func ExampleResult_MarshalJSON() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	res, err := community.Apply(context.Background(), client, examplePlan(client, exampleNewsroom), nil)
	if err != nil {
		log.Fatal(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.Summary)
	// Output: map[api_calls:2 applied:2 failed:0 not_attempted:0 unknown:0]
}

// Stop makes Apply start nothing new and return once the writes in flight
// are answered: what tim apply does on the first interrupt.
func ExampleApplyOptions() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	stop := make(chan struct{})
	close(stop) // interrupted before anything was sent
	res, err := community.Apply(context.Background(), client, examplePlan(client, exampleNewsroom), &community.ApplyOptions{Stop: stop})
	fmt.Println(errors.Is(err, community.ErrStopped))
	fmt.Println(res.SummaryLine())
	// Output:
	// true
	// Apply: 0 applied, 0 failed, 0 unknown, 2 not attempted; 0 API calls.
}

// An operation fails, with nothing of it changed, when the community
// changed under it in a way the plan does not show.
func ExampleErrChangedSincePlan() {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	plan := examplePlan(client, exampleNewsroom)
	if _, err := srv.CreatePermissionGroup(demo, exampleGroup("@PMG#_news")); err != nil { // someone else's
		log.Fatal(err)
	}
	_, err := community.Apply(context.Background(), client, plan, nil)
	fmt.Println(errors.Is(err, community.ErrChangedSincePlan))
	fmt.Println(err)
	// Output:
	// true
	// community: apply @TGS#_demo: 0 applied, 1 failed, 0 unknown, 1 not attempted: create @PMG#_news: permission group @PMG#_news was created by someone else since the plan; plan again
}

// exampleGroup is a group someone else makes with the given ID.
func exampleGroup(id string) timtest.PermissionGroup {
	return timtest.PermissionGroup{ID: id, Name: "Theirs"}
}
