package timtest_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func ExampleListen() {
	// Port 0 picks a free port; give a fixed one ("127.0.0.1:8089") for a
	// fake that processes started elsewhere must find.
	srv, err := timtest.Listen("127.0.0.1:0")
	if err != nil {
		log.Fatal(err) // e.g. the address is in use
	}
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_@TGS#demo", "owner"); err != nil {
		log.Fatal(err)
	}

	// Any client that has the URL, app ID, admin and key can call it.
	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithSecretKey(srv.SecretKey()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	role, err := client.RoleOf(context.Background(), "@TGS#_@TGS#demo", "owner")
	fmt.Println(strings.HasPrefix(srv.URL(), "http://127.0.0.1:"), role, err)
	// Output:
	// true Owner <nil>
}

func ExampleWithControlEndpoint() {
	srv := timtest.NewServer(timtest.WithControlEndpoint())
	defer srv.Close()
	const group = "@TGS#_@TGS#demo"
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		log.Fatal(err)
	}
	control := func(endpoint, body string) {
		resp, err := http.Post(srv.URL()+"/_timfake/"+endpoint, "application/json", strings.NewReader(body))
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		answer, _ := io.ReadAll(resp.Body)
		fmt.Print(resp.StatusCode, " ", string(answer))
	}

	// What a test in any language sends to inject a fault: Server.FailNext over HTTP.
	control("fail_next", `{"command": "get_role_in_group", "n": 1, "fault": {"code": 10007, "info": "not today"}}`)
	control("fail_next", `{"command": "get_roles", "n": 1, "fault": {"code": 10007}}`)

	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	_, err = client.RoleOf(context.Background(), group, "owner")
	fmt.Println(err)
	role, err := client.RoleOf(context.Background(), group, "owner")
	fmt.Println(role, err)
	// Output:
	// 200 {"ok":true}
	// 400 {"ok":false,"error":"timtest: FailNext: the fake serves no command \"get_roles\" (see tim.Commands)"}
	// tim: get_role_in_group: error 10007: no permission for the operation (not today)
	// Owner <nil>
}
