package tim_test

// Regression tests for where tim meets the caller's Go stack (issue 9):
// odd input, nil values, panics in the caller's code during split calls,
// releasing a client, pagination without progress and answers that do not
// match their request.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const (
	seamGroup = "@TGS#_seams"
	seamPG    = "@PMG#_seams"
	seamTopic = seamGroup + "@TOPIC#_t"
)

// seamServer starts a fake with one community (owner "owner", members
// "a\uFFFD" and "alice"), a topic, and a permission group holding both
// members.
func seamServer(t *testing.T, opts ...timtest.Option) (*timtest.Server, *tim.Client) {
	t.Helper()
	srv := timtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	require.NoError(t, srv.CreateCommunity(seamGroup, "owner"))
	require.NoError(t, srv.AddMember(seamGroup, "a\uFFFD", tim.RoleMember))
	require.NoError(t, srv.AddMember(seamGroup, "alice", tim.RoleMember))
	require.NoError(t, srv.CreateTopic(seamGroup, seamTopic))
	_, err := srv.CreatePermissionGroup(seamGroup, timtest.PermissionGroup{ID: seamPG, Name: "seams"})
	require.NoError(t, err)
	require.NoError(t, srv.AddPermissionGroupMembers(seamGroup, seamPG, "a\uFFFD", "alice"))
	client, err := srv.NewClient()
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	return srv, client
}

// Invalid UTF-8 would be rewritten to U+FFFD by encoding/json and act on
// another account: it is refused before anything is sent.
func TestInvalidUTF8AndNULAreRefused(t *testing.T) {
	srv, client := seamServer(t)
	ctx := context.Background()
	_, err := client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Accounts: []string{"a\xff"}})
	var ve *tim.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Accounts[0]", ve.Field)
	assert.Contains(t, err.Error(), "UTF-8")
	members, err := srv.PermissionGroupMembers(seamGroup, seamPG)
	require.NoError(t, err)
	assert.Contains(t, members, "a\uFFFD", "the real member is still there")

	calls := map[string]func() error{
		"role account": func() error { _, err := client.RoleOf(ctx, seamGroup, "x\x00y"); return err },
		"role group":   func() error { _, err := client.RoleOf(ctx, "g\xfe", "alice"); return err },
		"destroy":      func() error { return client.DestroyPermissionGroup(ctx, seamGroup, seamPG+"\xff") },
		"topic": func() error {
			return firstErr(client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: seamGroup, PermissionGroupID: seamPG, TopicIDs: []string{seamTopic + "\xff"}}))
		},
		"add member": func() error { return client.AddPermissionGroupMember(ctx, seamGroup, seamPG, "bob\x00") },
		"page cursor": func() error {
			_, err := client.GetPermissionGroupMembers(ctx, &tim.GetPermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Next: "\xff"})
			return err
		},
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), tim.ErrInvalidRequest, name)
	}
	for _, r := range srv.Requests() {
		assert.NotEqual(t, tim.CommandDeletePermissionGroupMember, r.Command, "nothing was sent")
	}
	assert.Len(t, srv.Requests(), 0)

	_, err = tim.NewClient(1400000000, "adm\xffin", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("k"))
	assert.ErrorContains(t, err, "UTF-8")
	_, err = tim.NewClient(1400000000, "adm\x00in", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("k"))
	assert.ErrorContains(t, err, "NUL")
	_, err = tim.StaticUserSig("")
	assert.Error(t, err)
	for _, ua := range []string{"tim\x01", "tim\r\nX-Evil: 1", "tim\x7f", "tïm"} {
		_, err = tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionChina), tim.WithSecretKey("k"), tim.WithUserAgent(ua))
		assert.Error(t, err, "%q", ua)
	}
}

func firstErr(_ []tim.ItemResult, err error) error { return err }

// Every method answers a nil context, a nil *Client and a zero Client with
// an error, never a panic.
func TestNilContextNilClientZeroClient(t *testing.T) {
	_, live := seamServer(t)
	var nilClient *tim.Client
	zero := &tim.Client{}
	for name, c := range map[string]*tim.Client{"nil ctx": live, "nil client": nilClient, "zero client": zero} {
		ctx := context.Background()
		if name == "nil ctx" {
			ctx = nil
		}
		for method, err := range everyMethod(ctx, c) {
			var ve *tim.ValidationError
			if assert.ErrorAs(t, err, &ve, "%s: %s", name, method) {
				assert.ErrorIs(t, err, tim.ErrInvalidRequest)
				want := map[string]string{"nil ctx": "ctx", "nil client": "Client", "zero client": "Client"}[name]
				assert.Equal(t, want, ve.Field, "%s: %s", name, method)
			}
		}
	}
	assert.Equal(t, "tim.Client(nil)", nilClient.String())
	assert.Equal(t, "tim.Client(nil)", fmt.Sprint(nilClient))
	assert.Zero(t, nilClient.SDKAppID())
	assert.NoError(t, nilClient.Close())
	assert.NoError(t, zero.Close())

	p := tim.NewPermissionGroupPaginator(nil, &tim.GetPermissionGroupsRequest{GroupID: seamGroup})
	_, err := p.NextPage(context.Background())
	assert.ErrorIs(t, err, tim.ErrInvalidRequest)
	m := tim.NewPermissionGroupMemberPaginator(nil, &tim.GetPermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG})
	_, err = m.NextPage(context.Background())
	assert.ErrorIs(t, err, tim.ErrInvalidRequest)
	var zeroPager tim.Paginator[tim.PermissionGroup]
	_, err = zeroPager.NextPage(context.Background())
	assert.ErrorIs(t, err, tim.ErrInvalidRequest)
	for _, err := range zeroPager.All(context.Background()) {
		assert.ErrorIs(t, err, tim.ErrInvalidRequest)
	}
	good := tim.NewPermissionGroupPaginator(live, &tim.GetPermissionGroupsRequest{GroupID: seamGroup})
	//lint:ignore SA1012 a nil context is what is tested
	_, err = good.NextPage(nil) //nolint:staticcheck // SA1012: a nil context is what is tested
	assert.ErrorIs(t, err, tim.ErrInvalidRequest)
}

// everyMethod calls every method of c that takes a context, with valid
// input otherwise, and returns their errors by name.
func everyMethod(ctx context.Context, c *tim.Client) map[string]error {
	pgReq := &tim.GetPermissionGroupsRequest{GroupID: seamGroup}
	memReq := &tim.GetPermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG}
	members := &tim.PermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Accounts: []string{"alice"}}
	topics := &tim.TopicPermissionsRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Topics: []tim.TopicPermissionSetting{{TopicID: seamTopic, Permission: 8}}}
	first := func(seq func(func(tim.PermissionGroup, error) bool)) (err error) {
		for _, e := range seq {
			return e
		}
		return nil
	}
	firstMember := func(seq func(func(tim.PermissionGroupMember, error) bool)) (err error) {
		for _, e := range seq {
			return e
		}
		return nil
	}
	errs := map[string]error{}
	_, errs["GetPermissionGroups"] = c.GetPermissionGroups(ctx, pgReq)
	errs["AllPermissionGroups"] = first(c.AllPermissionGroups(ctx, pgReq))
	_, errs["GetPermissionGroup"] = c.GetPermissionGroup(ctx, seamGroup, seamPG)
	_, errs["GetRoleInGroup"] = c.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: seamGroup, Accounts: []string{"alice"}})
	_, errs["RoleOf"] = c.RoleOf(ctx, seamGroup, "alice")
	_, errs["GetTopicPermissions"] = c.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: seamGroup, PermissionGroupID: seamPG})
	_, errs["CreatePermissionGroup"] = c.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: seamGroup, Name: "n"})
	errs["ModifyPermissionGroup"] = c.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Name: tim.Ptr("n")})
	_, errs["DestroyPermissionGroups"] = c.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: seamGroup, PermissionGroupIDs: []string{seamPG}})
	errs["DestroyPermissionGroup"] = c.DestroyPermissionGroup(ctx, seamGroup, seamPG)
	_, errs["AddTopicPermissions"] = c.AddTopicPermissions(ctx, topics)
	_, errs["SetTopicPermissions"] = c.SetTopicPermissions(ctx, topics)
	_, errs["DeleteTopicPermissions"] = c.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: seamGroup, PermissionGroupID: seamPG, TopicIDs: []string{seamTopic}})
	_, errs["AddPermissionGroupMembers"] = c.AddPermissionGroupMembers(ctx, members)
	_, errs["DeletePermissionGroupMembers"] = c.DeletePermissionGroupMembers(ctx, members)
	errs["AddPermissionGroupMember"] = c.AddPermissionGroupMember(ctx, seamGroup, seamPG, "alice")
	errs["DeletePermissionGroupMember"] = c.DeletePermissionGroupMember(ctx, seamGroup, seamPG, "alice")
	_, errs["GetPermissionGroupMembers"] = c.GetPermissionGroupMembers(ctx, memReq)
	errs["AllPermissionGroupMembers"] = firstMember(c.AllPermissionGroupMembers(ctx, memReq))
	return errs
}

// panicTransport panics on the n-th request it sees (counting from 1).
type panicTransport struct {
	n    int
	seen atomic.Int32
	next http.RoundTripper
}

func (p *panicTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if int(p.seen.Add(1)) == p.n {
		panic("boom from the caller's transport")
	}
	return p.next.RoundTrip(r)
}

// A panic in the caller's transport during a call split over concurrent
// requests reaches the caller's goroutine, where recover sees it, as it
// would for a call of one request.
func TestPanicInASplitCallReachesTheCaller(t *testing.T) {
	srv, _ := seamServer(t)
	accounts := make([]string, 1501) // four requests
	for i := range accounts {
		accounts[i] = fmt.Sprintf("u%d", i)
	}
	for _, n := range []int{1, 3} {
		pt := &panicTransport{n: n, next: http.DefaultTransport}
		client, err := srv.NewClient(tim.WithHTTPClient(&http.Client{Transport: pt}))
		require.NoError(t, err)
		var got any
		func() {
			defer func() { got = recover() }()
			_, _ = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: seamGroup, Accounts: accounts})
		}()
		assert.Equal(t, "boom from the caller's transport", got, "panic on request %d", n)
	}

	// A panicking limiter and signer, the same.
	client, err := srv.NewClient(tim.WithRateLimiter(panicLimiter{}))
	require.NoError(t, err)
	assert.PanicsWithValue(t, "limiter boom", func() {
		_, _ = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: seamGroup, Accounts: accounts})
	})
}

type panicLimiter struct{}

func (panicLimiter) Wait(context.Context, string) error { panic("limiter boom") }

// Close releases a client's connections (and so their goroutines), and
// calls after it fail with ErrClientClosed. A client dropped without Close
// lets its idle connections go once it is garbage collected.
func TestCloseReleasesConnections(t *testing.T) {
	srv, _ := seamServer(t)
	base := goroutines()
	ctx := context.Background()
	clients := make([]*tim.Client, 50)
	for i := range clients {
		c, err := srv.NewClient()
		require.NoError(t, err)
		_, err = c.RoleOf(ctx, seamGroup, "alice")
		require.NoError(t, err)
		clients[i] = c
	}
	require.Greater(t, goroutines(), base+50, "each client keeps a connection with its goroutines")
	for _, c := range clients {
		require.NoError(t, c.Close())
		require.NoError(t, c.Close(), "idempotent")
	}
	assert.Eventually(t, func() bool { return goroutines() <= base+2 }, 5*time.Second, 10*time.Millisecond, "goroutines: %d, at start %d", goroutines(), base)
	_, err := clients[0].RoleOf(ctx, seamGroup, "alice")
	assert.ErrorIs(t, err, tim.ErrClientClosed)
	assert.Equal(t, "tim: get_role_in_group: client is closed", err.Error())

	// Dropped without Close.
	base = goroutines()
	func() {
		dropped := make([]*tim.Client, 20)
		for i := range dropped {
			c, err := srv.NewClient()
			require.NoError(t, err)
			_, err = c.RoleOf(ctx, seamGroup, "alice")
			require.NoError(t, err)
			dropped[i] = c
		}
		require.Greater(t, goroutines(), base+20)
	}()
	assert.Eventually(t, func() bool { runtime.GC(); return goroutines() <= base+2 }, 10*time.Second, 20*time.Millisecond, "goroutines: %d, at start %d", goroutines(), base)
}

func goroutines() int { return runtime.NumGoroutine() }

// A server that answers empty pages with a new cursor each time stops the
// listing with ErrNoProgress, not a loop that never ends.
func TestPaginationWithoutProgressStops(t *testing.T) {
	mt := httpmock.NewMockTransport()
	n := 0
	mt.RegisterResponder(http.MethodPost, `=~get_permission_group\?`, func(*http.Request) (*http.Response, error) {
		n++
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[],"Next":"c%d"}`, n)), nil
	})
	client, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("k"),
		tim.WithHTTPClient(&http.Client{Transport: mt}), tim.WithoutRateLimit())
	require.NoError(t, err)
	var errs []error
	items := 0
	for _, err := range client.AllPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: seamGroup}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items++
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], tim.ErrNoProgress)
	assert.Zero(t, items)
	assert.Equal(t, tim.MaxEmptyPages, n, "stopped after MaxEmptyPages empty pages")

	// A few empty pages among full ones are fine.
	n = 0
	mt.RegisterResponder(http.MethodPost, `=~get_permission_group\?`, func(*http.Request) (*http.Response, error) {
		n++
		switch {
		case n == 12:
			return httpmock.NewStringResponse(200, `{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[{"PermissionGroupId":"@PMG#_last"}],"Next":""}`), nil
		case n%3 == 0:
			return httpmock.NewStringResponse(200, fmt.Sprintf(`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[{"PermissionGroupId":"@PMG#_%d"}],"Next":"c%d"}`, n, n)), nil
		}
		return httpmock.NewStringResponse(200, fmt.Sprintf(`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[],"Next":"c%d"}`, n)), nil
	})
	items = 0
	for _, err := range client.AllPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: seamGroup}) {
		require.NoError(t, err)
		items++
	}
	assert.Equal(t, 4, items, "pages 3, 6, 9 and 12")
}

// An answer that does not match its request is a *DecodeError, never a
// silent success.
func TestAnswersThatDoNotMatchTheRequest(t *testing.T) {
	cases := []struct {
		name, command, answer string
		call                  func(*tim.Client) error
	}{
		{"a failure for an ID never requested", tim.CommandDestroyPermissionGroup,
			`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupResultList":[{"PermissionGroupId":"@PMG#_b","ErrorCode":0},{"PermissionGroupId":"@PMG#_zzz","ErrorCode":110006}]}`,
			func(c *tim.Client) error {
				return firstErr(c.DestroyPermissionGroups(context.Background(), &tim.DestroyPermissionGroupsRequest{GroupID: seamGroup, PermissionGroupIDs: []string{"@PMG#_b"}}))
			}},
		{"one ID twice with different results", tim.CommandDestroyPermissionGroup,
			`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupResultList":[{"PermissionGroupId":"@PMG#_b","ErrorCode":110006},{"PermissionGroupId":"@PMG#_a","ErrorCode":0},{"PermissionGroupId":"@PMG#_b","ErrorCode":0}]}`,
			func(c *tim.Client) error {
				return firstErr(c.DestroyPermissionGroups(context.Background(), &tim.DestroyPermissionGroupsRequest{GroupID: seamGroup, PermissionGroupIDs: []string{"@PMG#_a", "@PMG#_b"}}))
			}},
		{"a delete list naming unknown accounts", tim.CommandDeletePermissionGroupMember,
			`{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"mallory","Result":10007}]}`,
			func(c *tim.Client) error {
				return firstErr(c.DeletePermissionGroupMembers(context.Background(), &tim.PermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Accounts: []string{"alice", "bob"}}))
			}},
		{"a role for an account never asked about", tim.CommandGetRoleInGroup,
			`{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"bob","Role":"Member"},{"Member_Account":"alice","Role":"Owner"}]}`,
			func(c *tim.Client) error { _, err := c.RoleOf(context.Background(), seamGroup, "alice"); return err }},
		{"two different roles for one account", tim.CommandGetRoleInGroup,
			`{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"bob","Role":"Member"},{"Member_Account":"alice","Role":"Owner"},{"Member_Account":"alice","Role":"Member"}]}`,
			func(c *tim.Client) error {
				_, err := c.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: seamGroup, Accounts: []string{"alice", "bob"}})
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodPost, `=~`+tc.command+`\?`, httpmock.NewStringResponder(200, tc.answer))
			client, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("k"), tim.WithHTTPClient(&http.Client{Transport: mt}))
			require.NoError(t, err)
			err = tc.call(client)
			var de *tim.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tc.command, de.Command)
		})
	}
	// The answers the docs allow still decode: an account the delete list leaves out succeeded.
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, `=~delete_permission_group_member\?`,
		httpmock.NewStringResponder(200, `{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"bob","Result":10007}]}`))
	client, err := tim.NewClient(1400000000, "admin", tim.WithRegion(tim.RegionSingapore), tim.WithSecretKey("k"), tim.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	res, err := client.DeletePermissionGroupMembers(context.Background(), &tim.PermissionGroupMembersRequest{GroupID: seamGroup, PermissionGroupID: seamPG, Accounts: []string{"alice", "bob"}})
	require.NoError(t, err)
	assert.NoError(t, res[0].Err())
	assert.ErrorIs(t, res[1].Err(), tim.ErrNoPermission)
}

// Swapped IDs fail before anything is sent, naming the Go field.
func TestSwappedIDsFailFast(t *testing.T) {
	srv, client := seamServer(t)
	ctx := context.Background()
	_, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: seamPG, PermissionGroupID: seamGroup, Accounts: []string{"alice"}})
	var ve *tim.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "GroupID", ve.Field)
	assert.Equal(t, "GroupId", ve.Param)
	assert.True(t, strings.HasSuffix(err.Error(), "it looks like a permission-group ID"), err.Error())

	err = client.DestroyPermissionGroup(ctx, seamGroup, seamTopic)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "PermissionGroupIDs[0]", ve.Field)
	assert.Contains(t, err.Error(), "looks like a topic ID")

	_, err = client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: seamGroup, PermissionGroupID: seamPG,
		Topics: []tim.TopicPermissionSetting{{TopicID: seamTopic}, {TopicID: "@TGS#_other@TOPIC#_x"}}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Topics[1].TopicID", ve.Field)
	assert.Empty(t, srv.Requests())
}

// The errors of a closed client and of a bad call are told apart.
func TestClosedIsNotInvalid(t *testing.T) {
	_, client := seamServer(t)
	client.Close()
	_, err := client.RoleOf(context.Background(), seamGroup, "alice")
	assert.ErrorIs(t, err, tim.ErrClientClosed)
	assert.False(t, errors.Is(err, tim.ErrInvalidRequest))
}

// runtime.Goexit in the caller's transport (t.FailNow in an httpmock
// responder, say) during a split call ends the caller's goroutine too,
// rather than a success with an empty result.
func TestGoexitInASplitCallReachesTheCaller(t *testing.T) {
	srv, _ := seamServer(t)
	var n atomic.Int32
	exiting := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if n.Add(1) == 2 {
			runtime.Goexit()
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	client, err := srv.NewClient(tim.WithHTTPClient(&http.Client{Transport: exiting}))
	require.NoError(t, err)
	accounts := make([]string, 1001)
	for i := range accounts {
		accounts[i] = fmt.Sprint("u", i)
	}
	returned := make(chan bool, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: seamGroup, Accounts: accounts})
		returned <- true
	}()
	<-done
	assert.Empty(t, returned, "the call did not return: its goroutine exited")
}

// Close during a call: the connection the call hands back afterwards is
// closed too, so nothing is left running.
func TestCloseDuringACall(t *testing.T) {
	srv, _ := seamServer(t)
	base := goroutines()
	sent := make(chan struct{})
	var once sync.Once
	signal := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			once.Do(func() { close(sent) })
			return next.RoundTrip(r)
		})
	}
	c, err := srv.NewClient(tim.WithMiddleware(signal))
	require.NoError(t, err)
	require.NoError(t, srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Delay: 100 * time.Millisecond}))
	errc := make(chan error, 1)
	go func() { _, err := c.RoleOf(context.Background(), seamGroup, "alice"); errc <- err }()
	<-sent // the call is in flight
	require.NoError(t, c.Close())
	require.NoError(t, <-errc, "a call in flight finishes")
	assert.Eventually(t, func() bool { return goroutines() <= base+2 }, 5*time.Second, 10*time.Millisecond, "goroutines: %d, at start %d", goroutines(), base)
}
