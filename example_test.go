package tim_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sync/atomic"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// exampleFake starts the fake service of package timtest, standing in for
// the real one in the examples, and returns a client for it. It seeds the
// community @TGS#_@TGS#cV6IHIIM62C4: owner leckie, admin amy, member peter;
// topics ...@TOPIC#_a and ...@TOPIC#_b; permission groups @PMG#_mods (amy in
// it; permissions in both topics), @PMG#_speakers and @PMG#_readers.
func exampleFake() (*timtest.Server, *tim.Client) {
	const (
		community = "@TGS#_@TGS#cV6IHIIM62C4"
		topicA    = community + "@TOPIC#_a"
		topicB    = community + "@TOPIC#_b"
	)
	srv := timtest.NewServer()
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(srv.CreateCommunity(community, "leckie"))
	must(srv.AddMember(community, "amy", tim.RoleAdmin))
	must(srv.AddMember(community, "peter", tim.RoleMember))
	must(srv.CreateTopic(community, topicA))
	must(srv.CreateTopic(community, topicB))
	for _, pg := range []timtest.PermissionGroup{
		{ID: "@PMG#_mods", Name: "Moderators", Permission: tim.GroupPermMuteMembers | tim.GroupPermBanMembers},
		{ID: "@PMG#_speakers", Name: "Speakers", Permission: tim.GroupPermSendMessage | tim.GroupPermAtAll},
		{ID: "@PMG#_readers", Name: "Readers", Permission: tim.GroupPermReadHistory},
	} {
		_, err := srv.CreatePermissionGroup(community, pg)
		must(err)
	}
	must(srv.AddPermissionGroupMembers(community, "@PMG#_mods", "amy"))
	must(srv.SetTopicPermission(community, "@PMG#_mods", topicA, tim.TopicPermSendMessage|tim.TopicPermMuteMembers))
	must(srv.SetTopicPermission(community, "@PMG#_mods", topicB, tim.TopicPermSendMessage))
	client, err := srv.NewClient()
	must(err)
	return srv, client
}

func ExampleNewClient() {
	key := os.Getenv("TIM_SECRET_KEY")
	if key == "" {
		key = "the app's secret key, from the console"
	}
	client, err := tim.NewClient(1400000000, "administrator",
		tim.WithRegion(tim.RegionSingapore),
		tim.WithSecretKey(key),
		tim.WithTimeout(5*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	fmt.Println(client) // never prints the key or a UserSig

	_, err = tim.NewClient(1400000000, "administrator", tim.WithSecretKey(key))
	fmt.Println(err)
	// Output:
	// tim.Client{SDKAppID: 1400000000, Identifier: "administrator", BaseURL: "https://adminapisgp.im.qcloud.com"}
	// tim: NewClient: no region: use WithRegion or WithBaseURL
}

func ExampleClient_GetPermissionGroups() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	page, err := client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{
		GroupID: "@TGS#_@TGS#cV6IHIIM62C4",
		Limit:   2,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range page.PermissionGroups {
		fmt.Printf("%s %q members=%d %s\n", g.ID, g.Name, g.MemberCount, g.Permission)
	}
	fmt.Println("more:", page.Next != "")
	// Output:
	// @PMG#_mods "Moderators" members=1 MuteMembers|BanMembers
	// @PMG#_speakers "Speakers" members=0 SendMessage|AtAll
	// more: true
}

func ExampleClient_AllPermissionGroups() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	req := &tim.GetPermissionGroupsRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4"}
	for g, err := range client.AllPermissionGroups(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.ID, g.Name)
	}
	// Output:
	// @PMG#_mods Moderators
	// @PMG#_speakers Speakers
	// @PMG#_readers Readers
}

func ExampleNewPermissionGroupPaginator() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	p := tim.NewPermissionGroupPaginator(client, &tim.GetPermissionGroupsRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4", Limit: 2})
	for p.HasMorePages() {
		groups, err := p.NextPage(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("page of", len(groups))
	}
	// Output:
	// page of 2
	// page of 1
}

func ExampleClient_GetRoleInGroup() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4", Accounts: []string{"leckie", "amy", "peter", "wesley"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range roles {
		fmt.Println(r.Account, r.Role, r.Role.IsMember())
	}
	// Output:
	// leckie Owner true
	// amy Admin true
	// peter Member true
	// wesley NotMember false
}

func ExampleClient_GetTopicPermissions() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	perms, err := client.GetTopicPermissions(context.Background(), &tim.GetTopicPermissionsRequest{
		GroupID:           "@TGS#_@TGS#cV6IHIIM62C4",
		PermissionGroupID: "@PMG#_mods",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range perms {
		if err := p.Err(); err != nil {
			fmt.Println(p.TopicID, err)
			continue
		}
		fmt.Println(p.TopicID, p.Permission, p.Permission.Has(tim.TopicPermSendMessage))
	}
	// Output:
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_a MuteMembers|SendMessage true
	// @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_b SendMessage true
}

// Errors from the service match their code's sentinel with errors.Is, and
// carry the details with errors.As.
func Example_errors() {
	srv, client := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	_, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_dissolved", Accounts: []string{"amy"}})
	switch {
	case errors.Is(err, tim.ErrGroupNotFound):
		fmt.Println("no such group")
	case errors.Is(err, tim.ErrRateLimited):
		fmt.Println("slow down")
	case err != nil:
		log.Fatal(err)
	}
	var apiErr *tim.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Command, int(apiErr.Code), apiErr.Retryable())
	}
	_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "", Accounts: []string{"amy"}})
	fmt.Println(errors.Is(err, tim.ErrInvalidRequest), err)
	// Output:
	// no such group
	// get_role_in_group 10010 false
	// true tim: get_role_in_group: invalid GroupID: is empty
}

func ExampleGenerateUserSig() {
	issued := time.Unix(1700000000, 0)
	sig, err := tim.GenerateUserSig(1400000000, "my-secret-key", "administrator", issued, 180*24*time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	info, err := tim.VerifyUserSig(sig, 1400000000, "my-secret-key", "administrator", issued.Add(time.Hour))
	fmt.Println(info.Identifier, info.Validity, err)

	_, err = tim.VerifyUserSig(sig, 1400000000, "my-secret-key", "administrator", issued.Add(181*24*time.Hour))
	fmt.Println(errors.Is(err, tim.ErrUserSigExpired))
	// Output:
	// administrator 4320h0m0s <nil>
	// true
}

func ExampleNewKeySigner() {
	signer, err := tim.NewKeySigner(1400000000, "my-secret-key", "administrator", tim.WithSignerValidity(7*24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	// One signer can serve several clients; it renews its UserSig when half
	// of its validity has passed.
	client, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionChina), tim.WithUserSigner(signer))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(signer)
	fmt.Println(client.BaseURL())
	// Output:
	// tim.KeySigner{SDKAppID: 1400000000, Identifier: "administrator", Validity: 168h0m0s}
	// https://console.tim.qq.com
}

func ExampleStaticUserSig() {
	sig := os.Getenv("TIM_USERSIG") // minted by another service
	if sig == "" {
		sig = "eJwtzM0KgkAUhuF7mbXImR*"
	}
	signer, err := tim.StaticUserSig(sig)
	if err != nil {
		log.Fatal(err)
	}
	client, err := tim.NewClient(1400000000, "administrator",
		tim.WithRegion(tim.RegionTokyo),
		tim.WithUserSigner(signer))
	fmt.Println(client.BaseURL(), err)

	_, err = tim.StaticUserSig("")
	fmt.Println(err)
	// Output:
	// https://adminapijpn.im.qcloud.com <nil>
	// tim: StaticUserSig: the UserSig is empty
}

func ExampleParseRegion() {
	r, err := tim.ParseRegion("Silicon Valley")
	fmt.Println(r, r.Domain(), err)
	// Output: silicon-valley adminapiusa.im.qcloud.com <nil>
}

func ExampleWithBaseURL() {
	// A standby domain, for when the main one cannot be resolved.
	client, err := tim.NewClient(1400000000, "administrator",
		tim.WithBaseURL("https://adminapisgp.my-imcloud.com"),
		tim.WithSecretKey("my-secret-key"))
	fmt.Println(client.BaseURL(), err)
	// Output: https://adminapisgp.my-imcloud.com <nil>
}

func ExampleGroupPermission() {
	p := tim.GroupPermSendMessage | tim.GroupPermAtAll | 1<<20
	fmt.Println(p)
	fmt.Println(p.Has(tim.GroupPermSendMessage), p.Has(tim.GroupPermBanMembers))
	fmt.Println(tim.TopicPermission(123456))
	// Output:
	// SendMessage|AtAll|0x100000
	// true false
	// AtAll|0x1e200
}

func ExampleRole() {
	fmt.Println(tim.RoleAdmin.IsMember(), tim.RoleNotMember.IsMember(), tim.Role("SuperAdmin").Known())
	// Output: true false false
}

// Retries with the default policy (3 attempts) after an internal error, and
// a policy of your own: more attempts, or none.
func ExampleWithRetryPolicy() {
	srv, _ := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(),
		tim.WithBaseURL(srv.URL()),
		tim.WithSecretKey(srv.SecretKey()),
		tim.WithRetryPolicy(tim.RetryPolicy{
			MaxAttempts: 5,                     // the first request and up to 4 retries
			BaseDelay:   10 * time.Millisecond, // then 20, 40, ... ms, with jitter
			// Zero fields take DefaultRetryPolicy's values.
		}))
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.FailNext(tim.CommandGetRoleInGroup, 2, timtest.Fault{Code: tim.ErrInternal}); err != nil { // 10002 twice
		log.Fatal(err)
	}
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4", Accounts: []string{"amy"}})
	fmt.Println(roles, err, len(srv.RequestsFor("get_role_in_group")))

	// No retries at all: the error carries the number of requests sent.
	once, err := srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Code: tim.ErrInternal}); err != nil {
		log.Fatal(err)
	}
	_, err = once.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4", Accounts: []string{"amy"}})
	var apiErr *tim.APIError
	fmt.Println(errors.As(err, &apiErr), apiErr.Code == tim.ErrInternal, apiErr.Attempts)
	// Output:
	// [{amy Admin}] <nil> 3
	// true true 1
}

func ExampleWithRateLimit() {
	// Start at most 50 calls of each command per second, 5 at once at most.
	client, err := tim.NewClient(1400000000, "administrator",
		tim.WithRegion(tim.RegionSingapore),
		tim.WithSecretKey("my-secret-key"),
		tim.WithRateLimit(50, 5))
	fmt.Println(client.BaseURL(), err)
	// Output: https://adminapisgp.im.qcloud.com <nil>
}

// Clients of one app in one process can share a limiter, so that together
// they stay under the service's limit.
func ExampleNewRateLimiter() {
	shared, err := tim.NewRateLimiter(tim.DefaultRateLimit, tim.DefaultRateBurst)
	if err != nil {
		log.Fatal(err)
	}
	var clients []*tim.Client
	for _, admin := range []string{"administrator", "ops-bot"} {
		c, err := tim.NewClient(1400000000, admin,
			tim.WithRegion(tim.RegionSingapore),
			tim.WithSecretKey("my-secret-key"),
			tim.WithRateLimiter(shared))
		if err != nil {
			log.Fatal(err)
		}
		clients = append(clients, c)
	}
	fmt.Println(len(clients))
	// Output: 2
}

// fleetLimiter stands for a limiter shared between processes, such as one
// backed by Redis: it must make each call wait its turn under ctx.
type fleetLimiter struct {
	local *tim.CommandRateLimiter // stands in for the shared store
	waits atomic.Int64            // Wait is called from many goroutines
}

func (l *fleetLimiter) Wait(ctx context.Context, command string) error {
	l.waits.Add(1)
	return l.local.Wait(ctx, command)
}

func ExampleWithRateLimiter() {
	srv, _ := exampleFake() // a seeded fake service; see exampleFake
	defer srv.Close()

	local, err := tim.NewRateLimiter(100, 10)
	if err != nil {
		log.Fatal(err)
	}
	limiter := &fleetLimiter{local: local}
	client, err := srv.NewClient(tim.WithRateLimiter(limiter))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4", Accounts: []string{"amy"}})
	fmt.Println(err, limiter.waits.Load())
	// Output: <nil> 1
}

func ExampleWithoutRateLimit() {
	client, err := tim.NewClient(1400000000, "administrator",
		tim.WithRegion(tim.RegionSingapore),
		tim.WithSecretKey("my-secret-key"),
		tim.WithoutRateLimit()) // e.g. when a proxy in front of the service already paces calls
	fmt.Println(client.BaseURL(), err)
	// Output: https://adminapisgp.im.qcloud.com <nil>
}
