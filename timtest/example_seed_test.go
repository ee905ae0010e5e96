package timtest_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func ExampleServer_LoadSeed() {
	srv := timtest.NewServer()
	defer srv.Close()
	// A seed file, as timfake --seed reads it (here inline; os.Open a file in a test).
	seed := `{"communities": [{"group_id": "@TGS#_@TGS#demo", "owner": "leckie",
	  "members": {"amy": "Admin", "peter": "Member"}, "topics": ["@TGS#_@TGS#demo@TOPIC#_general"]}]}`
	if err := srv.LoadSeed(strings.NewReader(seed)); err != nil {
		log.Fatal(err)
	}

	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_@TGS#demo", Accounts: []string{"leckie", "amy", "peter", "bob"}})
	fmt.Println(roles, err)
	// Output:
	// [{leckie Owner} {amy Admin} {peter Member} {bob NotMember}] <nil>
}

func ExampleServer_ApplySeed() {
	srv := timtest.NewServer()
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	err := srv.ApplySeed(&timtest.Seed{Communities: []timtest.SeedCommunity{{
		GroupID: group,
		Owner:   "leckie",
		Members: map[string]tim.Role{"amy": tim.RoleAdmin},
		Topics:  []string{group + "@TOPIC#_general"},
		PermissionGroups: []timtest.SeedPermissionGroup{{
			ID: "@PMG#_mods", Name: "Moderators", Permission: tim.GroupPermMuteMembers,
			Topics:  map[string]tim.TopicPermission{group + "@TOPIC#_general": tim.TopicPermSendMessage},
			Members: []string{"amy"},
		}},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.PermissionGroupMembers(group, "@PMG#_mods"))
	// Output:
	// [amy] <nil>
}

func ExampleDecodeSeed() {
	// DecodeSeed checks a seed file without a fake: in CI, say.
	_, err := timtest.DecodeSeed(strings.NewReader(`{"communities": [
	  {"group_id": "@TGS#_a", "owner": "leckie"},
	  {"group_id": "@TGS#_b", "owner": "leckie", "members": {"amy": "admin"}}]}`))
	fmt.Println(err)

	_, err = timtest.DecodeSeed(strings.NewReader(`{"communities": [{"group_id": "@TGS#_a", "owner": "leckie", "member": {}}]}`))
	fmt.Println(err)

	seed, err := timtest.DecodeSeed(strings.NewReader(`{"communities": [{"group_id": "@TGS#_a", "owner": "leckie"}]}`))
	fmt.Println(len(seed.Communities), err)
	// Output:
	// timtest: seed: communities[1] ("@TGS#_b"): members["amy"]: role "admin" is not Admin or Member
	// timtest: seed: communities[0] ("@TGS#_a"): json: unknown field "member"
	// 1 <nil>
}
