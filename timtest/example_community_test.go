package timtest_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func ExampleServer_Topics() {
	srv := timtest.NewServer()
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	if err := srv.CreateTopic(group, group+"@TOPIC#_seeded"); err != nil {
		log.Fatal(err)
	}
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	if _, err := client.CreateTopic(context.Background(), &tim.CreateTopicRequest{GroupID: group, TopicID: group + "@TOPIC#_made", Name: "Made"}); err != nil {
		log.Fatal(err)
	}

	// What the code under test did to the community, in the order it was made.
	topics, err := srv.Topics(group)
	fmt.Println(topics, err)
	// Output: [@TGS#_@TGS#demo@TOPIC#_seeded @TGS#_@TGS#demo@TOPIC#_made] <nil>
}

func ExampleServer_Members() {
	srv := timtest.NewServer()
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	if _, err := client.AddGroupMembers(context.Background(), &tim.AddGroupMembersRequest{GroupID: group, Accounts: []string{"amy", "bob"}}); err != nil {
		log.Fatal(err)
	}

	members, err := srv.Members(group)
	if err != nil {
		log.Fatal(err)
	}
	for _, account := range slices.Sorted(maps.Keys(members)) {
		fmt.Println(account, members[account])
	}
	// Output:
	// amy Member
	// bob Member
	// owner Owner
}

// A test in another process or language adds topics and members to a
// community the fake has, over HTTP.
func ExampleWithControlEndpoint_addToCommunity() {
	srv := timtest.NewServer(timtest.WithControlEndpoint())
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	body := `{"group_id": "` + group + `", "topics": ["` + group + `@TOPIC#_news"], "members": {"amy": "Admin"}}`
	resp, err := http.Post(srv.URL()+"/_timfake/add_to_community", "application/json", strings.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.StatusCode, " ", string(answer))

	topics, _ := srv.Topics(group)
	members, _ := srv.Members(group)
	fmt.Println(topics, members["amy"])
	// Output:
	// 200 {"ok":true}
	// [@TGS#_@TGS#demo@TOPIC#_news] Admin
}
