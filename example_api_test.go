package tim_test

// Examples of the shortcuts, the options and the smaller entry points,
// against the fake where they call the service.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const apiCommunity = "@TGS#_@TGS#api"

// apiFake is a fake with a community owned by leckie, where amy is an admin
// and peter a member, a topic, and a permission group @PMG#_mods holding amy.
func apiFake() (*timtest.Server, *tim.Client) {
	srv := timtest.NewServer()
	check(srv.CreateCommunity(apiCommunity, "leckie"))
	check(srv.AddMember(apiCommunity, "amy", tim.RoleAdmin))
	check(srv.AddMember(apiCommunity, "peter", tim.RoleMember))
	check(srv.CreateTopic(apiCommunity, apiCommunity+"@TOPIC#_news"))
	_, err := srv.CreatePermissionGroup(apiCommunity, timtest.PermissionGroup{ID: "@PMG#_mods", Name: "Moderators", Permission: tim.GroupPermMuteMembers})
	check(err)
	check(srv.AddPermissionGroupMembers(apiCommunity, "@PMG#_mods", "amy"))
	client, err := srv.NewClient()
	check(err)
	return srv, client
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func ExampleClient_RoleOf() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	for _, account := range []string{"leckie", "peter", "stranger"} {
		role, err := client.RoleOf(context.Background(), apiCommunity, account)
		check(err)
		fmt.Println(account, role, role.IsMember())
	}
	// Output:
	// leckie Owner true
	// peter Member true
	// stranger NotMember false
}

func ExampleClient_GetPermissionGroup() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	g, err := client.GetPermissionGroup(context.Background(), apiCommunity, "@PMG#_mods")
	check(err)
	fmt.Println(g.Name, g.Permission, g.MemberCount)

	_, err = client.GetPermissionGroup(context.Background(), apiCommunity, "@PMG#_gone")
	fmt.Println(errors.Is(err, tim.ErrPermissionGroupNotFound))
	// Output:
	// Moderators MuteMembers 1
	// true
}

func ExampleClient_DestroyPermissionGroup() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	fmt.Println(client.DestroyPermissionGroup(context.Background(), apiCommunity, "@PMG#_mods"))
	err := client.DestroyPermissionGroup(context.Background(), apiCommunity, "@PMG#_mods")
	fmt.Println(errors.Is(err, tim.ErrPermissionGroupNotFound))
	// Output:
	// <nil>
	// true
}

func ExampleClient_AddPermissionGroupMember() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()
	fmt.Println(client.AddPermissionGroupMember(ctx, apiCommunity, "@PMG#_mods", "peter"))
	err := client.AddPermissionGroupMember(ctx, apiCommunity, "@PMG#_mods", "peter")
	fmt.Println(errors.Is(err, tim.ErrAlreadyMember), err)
	// Output:
	// <nil>
	// true tim: add_permission_group_member: account peter: error 10013: already a member
}

func ExampleClient_DeletePermissionGroupMember() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()
	fmt.Println(client.DeletePermissionGroupMember(ctx, apiCommunity, "@PMG#_mods", "amy"))
	fmt.Println(client.DeletePermissionGroupMember(ctx, apiCommunity, "@PMG#_mods", "amy")) // not a member: succeeds
	// Output:
	// <nil>
	// <nil>
}

func ExampleClient_GetGroupInfo() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	check(srv.SetPermissionDefaults(apiCommunity, true, tim.GroupPermSendMessage|tim.GroupPermReadHistory))
	infos, err := client.GetGroupInfo(context.Background(), &tim.GetGroupInfoRequest{GroupIDs: []string{apiCommunity, "@TGS#_gone"}})
	check(err)
	c := infos[0]
	fmt.Println(c.Type, c.Owner, c.MemberCount, *c.PermissionGroupsEnabled, *c.DefaultPermission)
	fmt.Println(errors.Is(infos[1].Err(), tim.ErrGroupNotFound))
	// Output:
	// Community leckie 3 true SendMessage|ReadHistory
	// true
}

func ExampleClient_Close() {
	srv, client := apiFake()
	defer srv.Close()
	check(client.Close())
	_, err := client.RoleOf(context.Background(), apiCommunity, "amy")
	fmt.Println(errors.Is(err, tim.ErrClientClosed))
	// Output: true
}

func ExampleItemError() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	req := &tim.GetPermissionGroupsRequest{GroupID: apiCommunity, PermissionGroupIDs: []string{"@PMG#_mods", "@PMG#_gone"}}
	for g, err := range client.AllPermissionGroups(context.Background(), req) {
		var itemErr *tim.ItemError
		if errors.As(err, &itemErr) {
			fmt.Println("skipped", itemErr.ID, itemErr.Code == tim.ErrPermissionGroupNotFound)
			continue
		}
		if err != nil {
			log.Fatal(err) // the request failed: the listing ends
		}
		fmt.Println("group", g.ID)
	}
	// Output:
	// group @PMG#_mods
	// skipped @PMG#_gone true
}

func ExampleValidationError() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	// The community and the permission group, swapped.
	_, err := client.AddPermissionGroupMembers(context.Background(), &tim.PermissionGroupMembersRequest{
		GroupID: "@PMG#_mods", PermissionGroupID: apiCommunity, Accounts: []string{"peter"}})
	var ve *tim.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field, ve.Param)
	fmt.Println(err)
	fmt.Println(len(srv.Requests()), "requests sent")
	// Output:
	// true GroupID GroupId
	// tim: add_permission_group_member: invalid GroupID: "@PMG#_mods" is not a community ID (@TGS#_…); it looks like a permission-group ID
	// 0 requests sent
}

func ExampleWithRegion() {
	client, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionFrankfurt), tim.WithSecretKey("key"))
	check(err)
	fmt.Println(client.BaseURL())
	// Output: https://adminapiger.im.qcloud.com
}

func ExampleWithSecretKey() {
	key := os.Getenv("TIM_SECRET_KEY")
	if key == "" {
		key = "the app's secret key"
	}
	client, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionChina), tim.WithSecretKey(key))
	fmt.Println(client, err) // printing a client never shows the key
	// Output: tim.Client{SDKAppID: 1400000000, Identifier: "administrator", BaseURL: "https://console.tim.qq.com"} <nil>
}

func ExampleWithUserSigner() {
	// One KeySigner shared by two clients of the same app and admin.
	signer, err := tim.NewKeySigner(1400000000, "key", "administrator", tim.WithSignerValidity(12*time.Hour))
	check(err)
	a, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionSeoul), tim.WithUserSigner(signer))
	check(err)
	b, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionSeoul), tim.WithUserSigner(signer), tim.WithTimeout(5*time.Second))
	check(err)
	fmt.Println(a.BaseURL() == b.BaseURL(), signer)
	// Output: true tim.KeySigner{SDKAppID: 1400000000, Identifier: "administrator", Validity: 12h0m0s}
}

func ExampleWithHTTPClient() {
	srv, _ := apiFake()
	defer srv.Close()
	// Your transport (a proxy, your own pool). It is the lowest layer and
	// sees the signed URL: observe requests with WithMiddleware instead.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 5 * time.Second}
	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithSecretKey(srv.SecretKey()), tim.WithHTTPClient(hc))
	check(err)
	role, err := client.RoleOf(context.Background(), apiCommunity, "amy")
	fmt.Println(role, err)
	// Output: Admin <nil>
}

func ExampleWithTimeout() {
	_, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("key"), tim.WithTimeout(2*time.Second))
	fmt.Println(err)
	_, err = tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("key"), tim.WithTimeout(5*time.Second))
	fmt.Println(err)
	// Output:
	// tim: WithTimeout: 2s is not longer than the service's 3 s limit
	// <nil>
}

func ExampleWithLogger() {
	srv, _ := apiFake()
	defer srv.Close()
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{
		Level:       slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { return dropTimes(a) },
	}))
	client, err := srv.NewClient(tim.WithLogger(logger))
	check(err)
	check(srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Code: tim.ErrInternal}))
	_, err = client.RoleOf(context.Background(), apiCommunity, "amy")
	check(err)
	fmt.Print(logs.String())
	// Output:
	// level=INFO msg="tim request" command=get_role_in_group service=group_open_http_svc attempt=1 outcome=api_error error_code=10002 will_retry=true retry_reason=transient
	// level=DEBUG msg="tim request" command=get_role_in_group service=group_open_http_svc attempt=2 outcome=ok
}

// dropTimes leaves the attributes that change from run to run out of the
// example's output.
func dropTimes(a slog.Attr) slog.Attr {
	switch a.Key {
	case slog.TimeKey, "duration", "limiter_wait", "retry_in":
		return slog.Attr{}
	}
	return a
}

func ExampleWithUserAgent() {
	srv, _ := apiFake()
	defer srv.Close()
	client, err := srv.NewClient(tim.WithUserAgent("moderation-service/1.4"))
	check(err)
	_, err = client.RoleOf(context.Background(), apiCommunity, "amy")
	check(err)
	fmt.Println(srv.Requests()[0].Header.Get("User-Agent"))
	// Output: moderation-service/1.4
}

func ExampleWithMaxConcurrency() {
	srv, _ := apiFake()
	defer srv.Close()
	client, err := srv.NewClient(tim.WithMaxConcurrency(2))
	check(err)
	accounts := make([]string, 1200) // three requests, at most two at a time
	for i := range accounts {
		accounts[i] = fmt.Sprint("user", i)
	}
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: apiCommunity, Accounts: accounts})
	check(err)
	fmt.Println(len(roles), len(srv.RequestsFor(tim.CommandGetRoleInGroup)))
	// Output: 1200 3
}

func ExampleWithMaxInFlight() {
	// At most 16 requests of each command in flight: a request takes its
	// place before its turn at the rate limiter.
	client, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionJakarta), tim.WithSecretKey("key"), tim.WithMaxInFlight(16))
	fmt.Println(client.BaseURL(), err)
	// Output: https://adminapiidn.im.qcloud.com <nil>
}

func ExampleWithMiddleware() {
	srv, _ := apiFake()
	defer srv.Close()
	// A middleware sees every attempt, with the UserSig replaced.
	var seen []string
	record := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			seen = append(seen, r.URL.Path+" usersig="+r.URL.Query().Get("usersig"))
			return next.RoundTrip(r)
		})
	}
	client, err := srv.NewClient(tim.WithMiddleware(record))
	check(err)
	role, err := client.RoleOf(context.Background(), apiCommunity, "amy")
	fmt.Println(role, err)
	fmt.Println(seen)
	// Output:
	// Admin <nil>
	// [/v4/group_open_http_svc/get_role_in_group usersig=[redacted]]
}

func ExampleCommandFromContext() {
	srv, _ := apiFake()
	defer srv.Close()
	// A middleware names what it records by command: a span, a metric.
	var commands []string
	byCommand := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			cmd, ok := tim.CommandFromContext(r.Context())
			commands = append(commands, fmt.Sprint(cmd, " ", ok))
			return next.RoundTrip(r)
		})
	}
	client, err := srv.NewClient(tim.WithMiddleware(byCommand))
	check(err)
	_, err = client.RoleOf(context.Background(), apiCommunity, "amy")
	check(err)
	_, err = client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: apiCommunity})
	check(err)
	fmt.Println(commands)
	fmt.Println(tim.CommandFromContext(context.Background()))
	// Output:
	// [get_role_in_group true get_permission_group true]
	//  false
}

func ExampleWithStandby() {
	client, err := tim.NewClient(1400000000, "administrator", tim.WithSecretKey("key"),
		tim.WithRegion(tim.RegionSingapore),
		tim.WithStandby(tim.RegionSingapore.StandbyURL()))
	fmt.Println(client.BaseURL(), err)
	fmt.Println(tim.RegionSingapore.StandbyURL())
	// Output:
	// https://adminapisgp.im.qcloud.com <nil>
	// https://adminapisgp.my-imcloud.com
}

func ExampleRegion_StandbyURL() {
	for _, r := range []tim.Region{tim.RegionChina, tim.RegionMumbai, tim.RegionRiyadh} {
		fmt.Printf("%s %q\n", r, r.StandbyURL())
	}
	// Output:
	// china "https://adminapi.my-imcloud.com"
	// mumbai "https://adminapiind.my-imcloud.com"
	// riyadh ""
}

func ExampleVerifyUserSig() {
	issued := time.Unix(1700000000, 0)
	sig, err := tim.GenerateUserSig(1400000000, "key", "administrator", issued, 24*time.Hour)
	check(err)
	info, err := tim.VerifyUserSig(sig, 1400000000, "key", "administrator", issued.Add(time.Hour))
	fmt.Println(info.Identifier, info.ExpiresAt().UTC(), err)
	_, err = tim.VerifyUserSig(sig, 1400000000, "another key", "administrator", issued)
	fmt.Println(errors.Is(err, tim.ErrSecretKeyMismatch))
	_, err = tim.VerifyUserSig(sig, 1400000000, "key", "administrator", issued.Add(25*time.Hour))
	fmt.Println(errors.Is(err, tim.ErrUserSigExpired))
	// Output:
	// administrator 2023-11-15 22:13:20 +0000 UTC <nil>
	// true
	// true
}

func ExampleParseGroupPermission() {
	p, err := tim.ParseGroupPermission("SendMessage|AtAll|0x800")
	fmt.Println(uint64(p), p, err)
	fmt.Println(p.BitNames())
	_, err = tim.ParseGroupPermission("SendMessages")
	fmt.Println(err != nil)
	// Output:
	// 2240 SendMessage|AtAll|0x800 <nil>
	// [SendMessage AtAll 0x800]
	// true
}

func ExampleParseTopicPermission() {
	p, err := tim.ParseTopicPermission("SendMessage|MuteMembers")
	fmt.Println(uint64(p), p, err, p.Has(tim.TopicPermSendMessage))
	// Output: 12 MuteMembers|SendMessage <nil> true
}

func ExampleCheckCustomPermissionGroupID() {
	for _, id := range []string{"@PMG#_mods", "@PMG#_@PMG#cO4", "mods"} {
		fmt.Println(id, tim.CheckCustomPermissionGroupID(id) == nil)
	}
	// Output:
	// @PMG#_mods true
	// @PMG#_@PMG#cO4 false
	// mods false
}

func ExampleCommands() {
	fmt.Println(len(tim.Commands()), tim.Commands()[0], tim.CommandGetRoleInGroup)
	// Output: 25 get_permission_group get_role_in_group
}

func ExamplePaginator_NextPage() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	for i := range 3 {
		_, err := srv.CreatePermissionGroup(apiCommunity, timtest.PermissionGroup{ID: fmt.Sprintf("@PMG#_p%d", i), Name: "p"})
		check(err)
	}
	p := tim.NewPermissionGroupPaginator(client, &tim.GetPermissionGroupsRequest{GroupID: apiCommunity, Limit: 2})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		check(err)
		fmt.Println(len(page), "groups; next cursor set:", p.Cursor() != "")
	}
	// Output:
	// 2 groups; next cursor set: true
	// 2 groups; next cursor set: false
}

func ExampleErrorCode() {
	err := fmt.Errorf("moderation setup: %w", &tim.APIError{Command: tim.CommandCreatePermissionGroup, Code: tim.ErrIDInUse})
	fmt.Println(errors.Is(err, tim.ErrIDInUse), tim.ErrIDInUse.Retryable())
	fmt.Println(tim.ErrorCode(60007).Retryable(), errors.Is(tim.ErrorCode(60007), tim.ErrRateLimited))
	// Output:
	// true false
	// true true
}

func ExampleMayHaveApplied() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()
	req := &tim.CreatePermissionGroupRequest{GroupID: apiCommunity, PermissionGroupID: "@PMG#_new", Name: "New"}

	// Applied, and the answer lost: create is not idempotent, so the client
	// does not send it again, and the caller must read it back.
	check(srv.FailNext(tim.CommandCreatePermissionGroup, 1, timtest.Fault{Drop: true, AfterApply: true}))
	_, err := client.CreatePermissionGroup(ctx, req)
	fmt.Println(tim.MayHaveApplied(err))
	_, err = client.GetPermissionGroup(ctx, apiCommunity, "@PMG#_new")
	fmt.Println(err)

	// Refused before acting.
	_, err = client.CreatePermissionGroup(ctx, req)
	fmt.Println(errors.Is(err, tim.ErrIDInUse), tim.MayHaveApplied(err))
	// Output:
	// true
	// <nil>
	// true false
}

func ExampleCheckAccount() {
	for _, a := range []string{"alice", strings.Repeat("x", 33), ""} {
		fmt.Println(len(a), tim.CheckAccount(a) == nil)
	}
	// Output:
	// 5 true
	// 33 false
	// 0 false
}
