package tim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/timkit/tim"
)

// The examples of the topic, member and settings commands and of Do, each
// against the seeded fake of exampleFake.

func ExampleClient_Do() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	// Any command, under any service: here get_topic, which tim also types
	// as GetTopics. resp needs no envelope fields; a FAIL is an *APIError.
	var resp struct {
		TopicAndSelfInfo []struct {
			TopicInfo struct{ TopicName string }
		}
	}
	req := map[string]any{"GroupId": exampleCommunity, "From_Account": "amy", "ResponseFilter": []string{"TopicName"}}
	if err := client.Do(ctx, tim.ServiceMillionGroup, "get_topic", req, &resp); err != nil {
		log.Fatal(err)
	}
	for _, t := range resp.TopicAndSelfInfo {
		fmt.Println(t.TopicInfo.TopicName)
	}

	// The body as raw JSON is sent byte for byte.
	var raw json.RawMessage
	err := client.Do(ctx, tim.ServiceGroup, "get_group_info", json.RawMessage(`{"GroupIdList": ["@TGS#_gone"]}`), &raw)
	fmt.Println(err, len(raw) > 0)

	// A command the fake does not serve: the service's own error.
	err = client.Do(ctx, tim.ServiceGroup, "get_joined_group_list", map[string]any{"Member_Account": "amy"}, nil)
	var apiErr *tim.APIError
	fmt.Println(errors.As(err, &apiErr), errors.Is(err, tim.ErrInvalidCommand))
	// Output:
	// a
	// b
	// <nil> true
	// true true
}

func ExampleClient_CreateTopic() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	id, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{
		GroupID:      exampleCommunity,
		TopicID:      exampleCommunity + "@TOPIC#_news", // or "" for one the service makes
		Name:         "News",
		Introduction: "What's new",
		CustomData:   map[string]string{"color": "blue"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id)

	_, err = client.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: exampleCommunity, TopicID: id, Name: "News"})
	fmt.Println(errors.Is(err, tim.ErrIDInUse))
	// Output:
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_news
	// true
}

func ExampleClient_ImportTopic() {
	srv, client := exampleFake()
	defer srv.Close()

	// A migration: the topic keeps its creation time; no callback is sent.
	id, err := client.ImportTopic(context.Background(), &tim.ImportTopicRequest{
		GroupID:    exampleCommunity,
		TopicID:    exampleCommunity + "@TOPIC#_archive",
		Name:       "Archive",
		CreateTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
	})
	fmt.Println(id, err)
	// Output: @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_archive <nil>
}

func ExampleClient_GetTopics() {
	srv, client := exampleFake()
	defer srv.Close()

	topics, err := client.GetTopics(context.Background(), &tim.GetTopicsRequest{
		GroupID:     exampleCommunity,
		TopicIDs:    []string{exampleCommunity + "@TOPIC#_a", exampleCommunity + "@TOPIC#_gone"},
		FromAccount: "peter", // whose Self comes back; the admin when empty
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range topics {
		if err := t.Err(); err != nil {
			fmt.Println("skipped:", err)
			continue
		}
		fmt.Println(t.ID, t.Name, t.GroupID, t.Self.MsgFlag)
	}
	// Output:
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_a a @TGS#_@TGS#cV6IHIIM62C4 AcceptAndNotify
	// skipped: tim: get_topic: topic @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_gone: error 10010: group does not exist or was dissolved (group or topic was deleted)
}

func ExampleTopic_Err() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	topic := exampleCommunity + "@TOPIC#_b"
	if _, err := client.DestroyTopics(ctx, &tim.DestroyTopicsRequest{GroupID: exampleCommunity, TopicIDs: []string{topic}}); err != nil {
		log.Fatal(err)
	}
	topics, err := client.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: exampleCommunity, TopicIDs: []string{topic}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(errors.Is(topics[0].Err(), tim.ErrTopicNotFound))
	// Output: true
}

func ExampleClient_ModifyTopic() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	topic := exampleCommunity + "@TOPIC#_a"
	err := client.ModifyTopic(ctx, &tim.ModifyTopicRequest{
		GroupID: exampleCommunity, TopicID: topic,
		Name:    tim.Ptr("Announcements"),
		MuteAll: tim.Ptr(true), // only the fields set are sent
	})
	if err != nil {
		log.Fatal(err)
	}
	topics, _ := client.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: exampleCommunity, TopicIDs: []string{topic}})
	fmt.Println(topics[0].Name, topics[0].MuteAll)
	// Output: Announcements true
}

func ExampleClient_DestroyTopics() {
	srv, client := exampleFake()
	defer srv.Close()

	results, err := client.DestroyTopics(context.Background(), &tim.DestroyTopicsRequest{
		GroupID:  exampleCommunity,
		TopicIDs: []string{exampleCommunity + "@TOPIC#_a", exampleCommunity + "@TOPIC#_zzz"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Err() == nil, errors.Is(r.Err(), tim.ErrTopicNotFound))
	}
	// Output:
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_a true false
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_zzz false true
}

func ExampleClient_GetGroupMembers() {
	srv, client := exampleFake()
	defer srv.Close()

	// One page; keep page.Next to ask for the following one.
	page, err := client.GetGroupMembers(context.Background(), &tim.GetGroupMembersRequest{
		GroupID: exampleCommunity,
		Limit:   2,
		Filter:  tim.MemberFilter{Fields: []string{"Role", "JoinTime"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range page.Members {
		fmt.Println(m.Account, m.Role)
	}
	fmt.Println(page.MemberCount, page.Next != "")
	// Output:
	// leckie Owner
	// amy Admin
	// 3 true
}

func ExampleClient_AllGroupMembers() {
	srv, client := exampleFake()
	defer srv.Close()

	admins := tim.MemberFilter{Roles: []tim.Role{tim.RoleOwner, tim.RoleAdmin}}
	for m, err := range client.AllGroupMembers(context.Background(), &tim.GetGroupMembersRequest{GroupID: exampleCommunity, Filter: admins}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Account, m.Role)
	}
	// Output:
	// leckie Owner
	// amy Admin
}

func ExampleNewGroupMemberPaginator() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	p := tim.NewGroupMemberPaginator(client, &tim.GetGroupMembersRequest{GroupID: exampleCommunity, Limit: 2})
	for p.HasMorePages() {
		members, err := p.NextPage(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(members), "members; next cursor set:", p.Cursor() != "")
	}
	// Output:
	// 2 members; next cursor set: true
	// 1 members; next cursor set: false
}

func ExampleClient_GetSpecifiedGroupMembers() {
	srv, client := exampleFake()
	defer srv.Close()

	members, err := client.GetSpecifiedGroupMembers(context.Background(), &tim.GetSpecifiedGroupMembersRequest{
		GroupID:  exampleCommunity,
		Accounts: []string{"peter", "stranger", "amy"}, // a non-member is left out
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members {
		fmt.Println(m.Account, m.Role, m.MsgFlag)
	}
	// Output:
	// peter Member AcceptAndNotify
	// amy Admin AcceptAndNotify
}

func ExampleClient_AddGroupMembers() {
	srv, client := exampleFake()
	defer srv.Close()

	results, err := client.AddGroupMembers(context.Background(), &tim.AddGroupMembersRequest{
		GroupID:  exampleCommunity,
		Accounts: []string{"zoe", "amy"}, // any number: split at 300 a request
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		switch err := r.Err(); {
		case err == nil:
			fmt.Println(r.ID, "added")
		case errors.Is(err, tim.ErrAlreadyMember):
			fmt.Println(r.ID, "already a member")
		case errors.Is(err, tim.ErrAwaitingConfirmation):
			fmt.Println(r.ID, "invited; not a member yet")
		default:
			fmt.Println(r.ID, err)
		}
	}
	// Output:
	// zoe added
	// amy already a member
}

func ExampleClient_DeleteGroupMembers() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	_, err := client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{
		GroupID: exampleCommunity, Accounts: []string{"amy"}, Reason: "inactive",
	})
	if err != nil {
		log.Fatal(err)
	}
	// amy left the community, and with it its permission groups.
	members, _ := srv.PermissionGroupMembers(exampleCommunity, "@PMG#_mods")
	role, _ := client.RoleOf(ctx, exampleCommunity, "amy")
	fmt.Println(len(members), role)
	// Output: 0 NotMember
}

func ExampleClient_ModifyGroupMember() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	err := client.ModifyGroupMember(ctx, &tim.ModifyGroupMemberRequest{
		GroupID:  exampleCommunity,
		Account:  "peter",
		Role:     tim.Ptr(tim.RoleAdmin),
		NameCard: tim.Ptr("Pete"),
		MuteFor:  tim.Ptr(10 * time.Minute), // sent as MuteTime: 600
	})
	if err != nil {
		log.Fatal(err)
	}
	members, _ := client.GetSpecifiedGroupMembers(ctx, &tim.GetSpecifiedGroupMembersRequest{GroupID: exampleCommunity, Accounts: []string{"peter"}})
	fmt.Println(members[0].Role, members[0].NameCard, members[0].MutedUntil > 0)
	// Output: Admin Pete true
}

func ExampleClient_ImportGroupMembers() {
	srv, client := exampleFake()
	defer srv.Close()

	results, err := client.ImportGroupMembers(context.Background(), &tim.ImportGroupMembersRequest{
		GroupID: exampleCommunity,
		Members: []tim.ImportedMember{
			{Account: "olga", Role: tim.RoleAdmin},
			{Account: "amy"},
			{Account: "ivan", JoinTime: 1}, // before the community existed: fails alone
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Err())
	}
	// Output:
	// olga <nil>
	// amy tim: import_group_member: account amy: error 10013: already a member
	// ivan tim: import_group_member: account ivan: not added; the service gave no reason (Result 0)
}

func ExampleClient_ModifyGroupBaseInfo() {
	srv, client := exampleFake()
	defer srv.Close()
	ctx := context.Background()

	err := client.ModifyGroupBaseInfo(ctx, &tim.ModifyGroupBaseInfoRequest{
		GroupID:           exampleCommunity,
		Name:              tim.Ptr("Gamers"),
		DefaultPermission: tim.Ptr(tim.GroupPermSendMessage | tim.GroupPermReadHistory),
	})
	if err != nil {
		log.Fatal(err)
	}
	infos, err := client.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{
		GroupIDs:       []string{exampleCommunity},
		ResponseFilter: &tim.GroupInfoFilter{BaseInfo: []string{"Name", "EnablePermission", "DefaultPermission"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	g := infos[0]
	fmt.Println(g.Name, *g.PermissionGroupsEnabled, *g.DefaultPermission, g.MuteAll == nil)
	// Output: Gamers true SendMessage|ReadHistory true
}

func ExampleMsgFlag_Known() {
	fmt.Println(tim.MsgFlagDiscard.Known(), tim.MsgFlag("Loud").Known())
	// Output: true false
}

// CheckCustomTopicID applies create_topic's rule for a custom topic ID
// before anything is sent.
func ExampleCheckCustomTopicID() {
	fmt.Println(tim.CheckCustomTopicID("@TGS#_demo", "@TGS#_demo@TOPIC#_events"))
	fmt.Println(tim.CheckCustomTopicID("@TGS#_demo", "@TGS#_other@TOPIC#_events") != nil)
	fmt.Println(tim.CheckCustomTopicID("@TGS#_demo", "@TGS#_demo@TOPIC#_@TOPIC#c1") != nil, tim.IsServerMadeTopicID("@TGS#_demo@TOPIC#_@TOPIC#c1"))
	// Output:
	// <nil>
	// true
	// true true
}

func ExampleCheckTopicID() {
	fmt.Println(tim.CheckTopicID("@TGS#_demo", "@TGS#_demo@TOPIC#_@TOPIC#c1")) // a server-made ID is a topic ID too
	fmt.Println(tim.CheckTopicID("@TGS#_demo", "@TGS#_other@TOPIC#_events"))
	// Output:
	// <nil>
	// tim: invalid TopicID: is a topic of another community (@TGS#_other), not of @TGS#_demo
}
