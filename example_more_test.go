package tim_test

// Examples of the smaller entry points: retry and rate-limit building
// blocks, signers, regions, bitmasks and the error types.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func ExampleDefaultRetryPolicy() {
	p := tim.DefaultRetryPolicy()
	fmt.Println(p.MaxAttempts, p.BaseDelay, p.RateLimitDelay, p.MaxDelay, p.RetryNonIdempotent)
	// Output: 3 100ms 1s 2s false
}

func ExampleRegions() {
	for _, r := range tim.Regions()[:3] {
		fmt.Println(r, r.Domain(), r.StandbyDomain())
	}
	// Output:
	// china console.tim.qq.com adminapi.my-imcloud.com
	// singapore adminapisgp.im.qcloud.com adminapisgp.my-imcloud.com
	// seoul adminapikr.im.qcloud.com adminapikr.my-imcloud.com
}

func ExampleWithSignerValidity() {
	s, err := tim.NewKeySigner(1400000000, "key", "administrator", tim.WithSignerValidity(7*24*time.Hour))
	check(err)
	sig, err := s.UserSig(context.Background())
	check(err)
	info, err := tim.VerifyUserSig(sig, 1400000000, "key", "administrator", time.Now())
	fmt.Println(info.Validity, err)
	// Output: 168h0m0s <nil>
}

func ExampleWithSignerClock() {
	at := time.Unix(1700000000, 0)
	s, err := tim.NewKeySigner(1400000000, "key", "administrator", tim.WithSignerClock(func() time.Time { return at }))
	check(err)
	sig, err := s.UserSig(context.Background())
	check(err)
	info, err := tim.VerifyUserSig(sig, 1400000000, "key", "administrator", at)
	fmt.Println(info.IssuedAt.Unix(), err)
	// Output: 1700000000 <nil>
}

func ExampleKeySigner_Invalidate() {
	at := time.Unix(1700000000, 0)
	s, err := tim.NewKeySigner(1400000000, "key", "administrator", tim.WithSignerClock(func() time.Time { return at }))
	check(err)
	first, _ := s.UserSig(context.Background())
	again, _ := s.UserSig(context.Background())
	fmt.Println(first == again) // cached
	s.Invalidate(first)         // what the client does on 70001 / 70052
	renewed, _ := s.UserSig(context.Background())
	fmt.Println(first == renewed)
	// Output:
	// true
	// false
}

func ExampleClient_SDKAppID() {
	client, err := tim.NewClient(1400000000, "administrator", tim.WithRegion(tim.RegionMumbai), tim.WithSecretKey("key"))
	check(err)
	fmt.Println(client.SDKAppID(), client.Identifier(), client.BaseURL())
	// Output: 1400000000 administrator https://adminapiind.im.qcloud.com
}

func ExampleCommandRateLimiter_Wait() {
	l, err := tim.NewRateLimiter(1.0/60, 2) // one a minute, bursts of 2
	check(err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 3 {
		// The third must wait a minute, past the deadline: it says so at once.
		fmt.Println(l.Wait(ctx, tim.CommandGetRoleInGroup) == nil)
	}
	fmt.Println(l.Wait(ctx, tim.CommandGetPermissionGroup) == nil) // each command has its own bucket
	// Output:
	// true
	// true
	// false
	// true
}

func ExampleErrorCode_Retryable() {
	for _, c := range []tim.ErrorCode{tim.ErrInternal, tim.ErrRateLimitExceeded, tim.ErrUserSigExpired, tim.ErrGroupNotFound} {
		fmt.Println(int(c), c.Retryable(), c.NeedsNewUserSig())
	}
	// Output:
	// 10002 true false
	// 60007 true false
	// 70001 true true
	// 10010 false false
}

func ExampleTopicPermission() {
	p := tim.TopicPermSendMessage | tim.TopicPermAtAll | 1<<10
	fmt.Println(p, p.Has(tim.TopicPermSendMessage), p.Has(tim.TopicPermMuteMembers))
	fmt.Println(p.BitNames())
	// Output:
	// SendMessage|AtAll|0x400 true false
	// [SendMessage AtAll 0x400]
}

func ExampleGroupPermission_Has() {
	mods := tim.GroupPermMuteMembers | tim.GroupPermBanMembers
	fmt.Println(mods.Has(tim.GroupPermBanMembers), mods.Has(tim.GroupPermBanMembers|tim.GroupPermAtAll), tim.GroupPermAll.Has(mods))
	// Output: true false true
}

func ExamplePaginator_All() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	for i := range 5 {
		_, err := srv.CreatePermissionGroup(apiCommunity, timtest.PermissionGroup{ID: fmt.Sprintf("@PMG#_p%d", i), Name: "p"})
		check(err)
	}
	p := tim.NewPermissionGroupPaginator(client, &tim.GetPermissionGroupsRequest{GroupID: apiCommunity, Limit: 2})
	n := 0
	for _, err := range p.All(context.Background()) {
		check(err)
		if n++; n == 3 {
			break // the paginator stays where the loop stopped
		}
	}
	rest := 0
	for _, err := range p.All(context.Background()) {
		check(err)
		rest++
	}
	fmt.Println(n, rest, p.HasMorePages())
	// Output: 3 3 false
}

func ExampleRole_Known() {
	for _, r := range []tim.Role{tim.RoleAdmin, tim.RoleNotMember, "Guest"} {
		fmt.Println(r, r.Known(), r.IsMember())
	}
	// Output:
	// Admin true true
	// NotMember true false
	// Guest false false
}

func ExampleTransportError() {
	// A port nothing listens on: the connection is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := l.Addr().String()
	l.Close()
	client, err := tim.NewClient(1400000000, "administrator", tim.WithBaseURL("http://"+addr), tim.WithSecretKey("key"),
		tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	check(err)
	_, err = client.RoleOf(context.Background(), apiCommunity, "amy")
	var te *tim.TransportError
	fmt.Println(errors.As(err, &te), te.Attempts, te.Retryable(), tim.MayHaveApplied(err))
	// Output: true 2 true false
}

func ExampleHTTPError() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	check(srv.FailNext(tim.CommandGetRoleInGroup, 3, timtest.Fault{Status: http.StatusBadGateway}))
	_, err := client.RoleOf(context.Background(), apiCommunity, "amy")
	var he *tim.HTTPError
	fmt.Println(errors.As(err, &he), he.StatusCode, he.Retryable(), he.Attempts)
	fmt.Println(err)
	// Output:
	// true 502 true 3
	// tim: get_role_in_group: unexpected HTTP status 502, after 3 attempts
}

func ExampleDecodeError() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	check(srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Truncate: true}))
	_, err := client.RoleOf(context.Background(), apiCommunity, "amy")
	var de *tim.DecodeError
	fmt.Println(errors.As(err, &de), de.Command, tim.MayHaveApplied(err))
	// Output: true get_role_in_group true
}

func ExampleAPIError_Retryable() {
	srv, client := apiFake()
	defer srv.Close()
	defer client.Close()
	_, err := client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: "@TGS#_gone"})
	var ae *tim.APIError
	fmt.Println(errors.As(err, &ae), ae.Code == tim.ErrGroupNotFound, ae.Retryable())
	// Output: true true false
}

func ExampleVersion() {
	// The default User-Agent carries the version; tim version prints it.
	fmt.Println(tim.DefaultUserAgent == "timkit-tim-go/"+tim.Version)
	// Output: true
}
