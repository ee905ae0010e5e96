package community_test

import (
	"fmt"
	"log"
	"os"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// A YAML spec, read as the file it came from: errors give the file, the
// line and the column, as a compiler's do.
func ExampleParseSpecFile() {
	spec, err := community.ParseSpecFile("permissions.yaml", []byte(`
group_id: "@TGS#_demo"
permission_groups:
  - id: "@PMG#_mods"
    name: Moderators
    permission: MuteMembers | BanMembers   # or [MuteMembers, BanMembers], or 1056
    topics:
      "@TGS#_demo@TOPIC#_general": [SendMessage, MuteMembers]
    members: [alice, bob]
`))
	if err != nil {
		log.Fatal(err)
	}
	g := spec.PermissionGroups[0]
	fmt.Println(g.ID, g.Permission, g.Topics[demoGeneral], g.Members)

	_, err = community.ParseSpecFile("permissions.yaml", []byte(`
group_id: "@TGS#_demo"
permission_groups:
  - id: "@PMG#_mods"
    name: Moderators
    permission: MuteMembers
    members: [alice, bob]
    prune: yes
`))
	fmt.Println(err)
	// Output:
	// @PMG#_mods MuteMembers|BanMembers MuteMembers|SendMessage [alice bob]
	// permissions.yaml:8:12: permission_groups[0].prune: yes is true in YAML 1.1 and a string in YAML 1.2: write true, or "yes" for a string
}

// Position finds where a value of a spec was written, for an error found
// after parsing (say, an account that is not in the community).
func ExampleSpec_Position() {
	spec, err := community.ParseSpecFile("permissions.json", []byte(`{
  "group_id": "@TGS#_demo",
  "permission_groups": [
    {"id": "@PMG#_mods", "name": "Moderators", "permission": ["MuteMembers"],
     "members": ["alice", "zed"]}
  ]
}`))
	if err != nil {
		log.Fatal(err)
	}
	path := "permission_groups[0].members[1]"
	err = &community.SpecError{Path: path, Reason: "zed is not a member of " + spec.GroupID, Pos: spec.Position(path)}
	fmt.Println(err)
	// Output:
	// permissions.json:5:27: permission_groups[0].members[1]: zed is not a member of @TGS#_demo
}

// Encode writes a spec as a file, JSON or YAML, that ParseSpecFile reads
// back: here the one Export made of a snapshot.
func ExampleSpec_Encode() {
	spec, err := community.Export(&community.Snapshot{GroupID: demo, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_qa", Name: "Q&A", Permission: tim.GroupPermSendMessage | tim.GroupPermAtAll,
			Topics: map[string]tim.TopicPermission{demoGeneral: tim.TopicPermSendMessage}, Members: []string{"alice", "bob"}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	out, err := spec.Encode(community.SpecYAML)
	if err != nil {
		log.Fatal(err)
	}
	_, _ = os.Stdout.Write(out)
	// Output:
	// group_id: '@TGS#_demo'
	// prune: false
	// permission_groups:
	//   - id: '@PMG#_qa'
	//     name: Q&A
	//     permission: [SendMessage, AtAll]
	//     custom_string: ""
	//     topics:
	//       '@TGS#_demo@TOPIC#_general': [SendMessage]
	//     members:
	//       - alice
	//       - bob
}
