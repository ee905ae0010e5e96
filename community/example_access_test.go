package community_test

import (
	"context"
	"fmt"
	"log"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// exampleAccess loads the community of exampleFake and indexes it.
func exampleAccess() *community.Access {
	srv, client := exampleFake()
	defer srv.Close()
	defer client.Close()
	snap, err := community.Load(context.Background(), client, demo, nil)
	if err != nil {
		log.Fatal(err)
	}
	return community.NewAccess(snap)
}

func ExampleAccess_Topic() {
	access := exampleAccess()
	// dave is in no permission group: the community default (ReadHistory)
	// reaches every topic by the all-topics rule.
	dave := access.Topic("dave", demoNews)
	fmt.Println(dave.Permission, dave.AllTopics, dave.Permission.Has(tim.TopicPermSendMessage))
	// bob: his group's grant in the topic, and its community SendMessage.
	bob := access.Topic("bob", demoNews)
	fmt.Println(bob.Permission, "from", len(bob.Groups), "grant and", bob.Community.Permission)
	// Output:
	// ReadHistory ReadHistory false
	// SendMessage|ReadHistory|AtAll from 1 grant and SendMessage|ReadHistory
}

func ExampleAccess_Community() {
	access := exampleAccess()
	olivia := access.Community("olivia") // the owner
	fmt.Println(olivia.Rule, olivia.Permission)
	fmt.Println(access.Community("carol").Permission)
	// Output:
	// owner ManageGroupInfo|ManageMembers|ManagePermissionGroups|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage|AtAll|ReadHistory|RecallMessages|BanMembers
	// SendMessage|ReadHistory
}

func ExampleAccess_GroupsOf() {
	access := exampleAccess()
	fmt.Println(access.GroupsOf("bob"), access.GroupsOf("dave"))
	// Output: [@PMG#_speakers] []
}

func ExampleAnswer_Explain() {
	access := exampleAccess()
	fmt.Print(access.Topic("alice", demoGeneral).Explain())
	// Output:
	// alice in @TGS#_demo@TOPIC#_general: MuteMembers|SendMessage|ReadHistory (default and groups)
	//   MuteMembers: topic grant from @PMG#_mods; community MuteMembers from @PMG#_mods via the all-topics rule (inferred)
	//   SendMessage: topic grant from @PMG#_mods
	//   ReadHistory: community default ReadHistory via the all-topics rule (inferred)
	//   a topic's own default permission has no REST field: counted as 0
	//   inferred: community mute, send, @all, history and recall bits apply in every topic (see InAllTopics)
}

func ExampleAnswer_Reasons() {
	access := exampleAccess()
	for _, r := range access.Topic("carol", demoGeneral).Reasons() {
		fmt.Println(r.Bit, r.Inferred(), len(r.Sources))
	}
	// Output:
	// SendMessage false 2
	// ReadHistory true 1
}

func ExampleAnswer_Enforced() {
	snap := &community.Snapshot{GroupID: demo, Owner: "olivia", PermissionGroupsEnabled: tim.Ptr(false)}
	access := community.NewAccess(snap)
	fmt.Println(access.Community("dave").Enforced(), access.Community("olivia").Enforced())
	fmt.Println(access.Community("dave"))
	// Output:
	// false true
	// dave: 0 = default 0 (unknown); permission groups are disabled, so this does not apply
}

func ExampleInAllTopics() {
	covered, probable := community.InAllTopics(tim.GroupPermSendMessage | tim.GroupPermManageTopics | tim.GroupPermBanMembers)
	fmt.Println(covered, "|", probable)
	// Output: SendMessage | ManageTopicInfo
}

func ExampleBitReason() {
	r := community.BitReason[tim.TopicPermission]{Bit: tim.TopicPermSendMessage, Sources: []community.Source{
		{Via: community.ViaTopicGrant, PermissionGroupID: "@PMG#_speakers"},
		{Via: community.ViaAllTopicsDefault, From: tim.GroupPermSendMessage},
	}}
	fmt.Println(r, r.Inferred())
	// Output: SendMessage: topic grant from @PMG#_speakers; community default SendMessage via the all-topics rule (inferred) false
}

func ExampleSource() {
	s := community.Source{Via: community.ViaAllTopicsGroup, PermissionGroupID: "@PMG#_mods", From: tim.GroupPermMuteMembers}
	fmt.Println(s)
	fmt.Println(s.Via, s.Via.Inferred())
	// Output:
	// community MuteMembers from @PMG#_mods via the all-topics rule (inferred)
	// group via the all-topics rule true
}

func ExampleVia() {
	for _, v := range []community.Via{community.ViaOwner, community.ViaDefault, community.ViaTopicGrant, community.ViaAllTopicsDefault} {
		fmt.Println(v, v.Inferred())
	}
	// Output:
	// owner false
	// community default false
	// topic grant false
	// community default via the all-topics rule true
}

func ExampleTopicState() {
	snap := &community.Snapshot{GroupID: "@TGS#_demo", Topics: []community.Topic{
		{ID: "@TGS#_demo@TOPIC#_general", Name: "general"},
		{ID: "@TGS#_demo@TOPIC#_quiet", Name: "quiet", MuteAll: true},
	}}
	a := community.NewAccess(snap)
	for _, topic := range []string{"@TGS#_demo@TOPIC#_general", "@TGS#_demo@TOPIC#_quiet", "@TGS#_demo@TOPIC#_typo"} {
		fmt.Println(topic, a.Topic("amy", topic).Topic)
	}
	// Output:
	// @TGS#_demo@TOPIC#_general exists
	// @TGS#_demo@TOPIC#_quiet muted
	// @TGS#_demo@TOPIC#_typo missing
}
