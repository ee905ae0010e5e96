package tim_test

// Tests of the SDK against the fake service in package timtest: the whole
// path, from signing to decoding, with the service's own checks.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func TestFakeGetPermissionGroups(t *testing.T) {
	srv, client := seeded(t)
	page, err := client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community})
	require.NoError(t, err)
	assert.Equal(t, &tim.PermissionGroupsPage{PermissionGroups: []tim.PermissionGroup{{
		ID: "@PMG#_mods", Name: "mods", CustomString: "c", Permission: tim.GroupPermMuteMembers | tim.GroupPermBanMembers, MemberCount: 2,
	}}}, page)

	page, err = client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{"@PMG#_mods", "@PMG#_nope"}})
	require.NoError(t, err)
	require.Len(t, page.PermissionGroups, 2)
	assert.NoError(t, page.PermissionGroups[0].Err())
	assert.ErrorIs(t, page.PermissionGroups[1].Err(), tim.ErrPermissionGroupNotFound)
	var itemErr *tim.ItemError
	require.ErrorAs(t, page.PermissionGroups[1].Err(), &itemErr)
	assert.Equal(t, "@PMG#_nope", itemErr.ID)

	// An ID without the "@PMG#_" prefix (which the fake answers 110008
	// for) is refused before anything is sent.
	srv.ResetRequests()
	_, err = client.GetPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{"@PMG#_mods", "@PMG#_nope", "bad"}})
	var ve *tim.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "PermissionGroupIDs[2]", ve.Field)
	assert.Empty(t, srv.Requests())
}

func TestFakePaginationAcrossPages(t *testing.T) {
	srv, client := seeded(t)
	want := []string{"@PMG#_mods"}
	for i := range 44 {
		id, err := srv.CreatePermissionGroup(community, timtest.PermissionGroup{Name: "g" + strconv.Itoa(i), Permission: tim.GroupPermission(i)})
		require.NoError(t, err)
		want = append(want, id)
	}
	srv.ResetRequests()

	var got []string
	for g, err := range client.AllPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community}) {
		require.NoError(t, err)
		got = append(got, g.ID)
	}
	assert.Equal(t, want, got, "every group once, in creation order")
	reqs := srv.RequestsFor("get_permission_group")
	require.Len(t, reqs, 3, "45 groups are 3 pages of 20")
	var nexts []string
	for _, r := range reqs {
		var body struct {
			Limit int
			Next  string
		}
		require.NoError(t, json.Unmarshal(r.Body, &body))
		assert.Equal(t, 20, body.Limit)
		nexts = append(nexts, body.Next)
	}
	assert.Equal(t, "", nexts[0])
	assert.NotEmpty(t, nexts[1])
	assert.NotEqual(t, nexts[1], nexts[2])

	// Smaller pages through the paginator.
	p := tim.NewPermissionGroupPaginator(client, &tim.GetPermissionGroupsRequest{GroupID: community, Limit: 7})
	pages, total := 0, 0
	for p.HasMorePages() {
		items, err := p.NextPage(context.Background())
		require.NoError(t, err)
		pages++
		total += len(items)
	}
	assert.Equal(t, 7, pages)
	assert.Equal(t, 45, total)
}

func TestFakeGetRoleInGroup(t *testing.T) {
	_, client := seeded(t)
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"peter", "leckie", "stranger", "amy"}})
	require.NoError(t, err)
	assert.Equal(t, []tim.MemberRole{{"peter", tim.RoleMember}, {"leckie", tim.RoleOwner}, {"stranger", tim.RoleNotMember}, {"amy", tim.RoleAdmin}}, roles)
}

func TestFakeGetRoleInGroupSplitsLargeLists(t *testing.T) {
	srv, client := seeded(t)
	accounts := make([]string, 1234)
	for i := range accounts {
		accounts[i] = "user" + strconv.Itoa(i)
	}
	accounts[0], accounts[700], accounts[1233] = "amy", "leckie", "peter"
	srv.ResetRequests()

	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: accounts})
	require.NoError(t, err)
	require.Len(t, roles, 1234)
	for i, r := range roles {
		assert.Equal(t, accounts[i], r.Account, "input order")
	}
	assert.Equal(t, tim.RoleAdmin, roles[0].Role)
	assert.Equal(t, tim.RoleOwner, roles[700].Role)
	assert.Equal(t, tim.RoleMember, roles[1233].Role)
	assert.Equal(t, tim.RoleNotMember, roles[1].Role)

	reqs := srv.RequestsFor("get_role_in_group")
	require.Len(t, reqs, 3)
	var sizes []int
	for _, r := range reqs {
		var body struct{ User_Account []string }
		require.NoError(t, json.Unmarshal(r.Body, &body))
		sizes = append(sizes, len(body.User_Account))
	}
	assert.ElementsMatch(t, []int{500, 500, 234}, sizes)
}

// inFlight counts concurrent requests through a transport.
type inFlight struct {
	next      http.RoundTripper
	cur, peak atomic.Int32
}

func (f *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	n := f.cur.Add(1)
	defer f.cur.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return f.next.RoundTrip(r)
}

func TestFakeGetRoleInGroupBoundsConcurrency(t *testing.T) {
	srv, _ := seeded(t, timtest.WithLatency(20*time.Millisecond))
	counter := &inFlight{next: http.DefaultTransport}
	client, err := srv.NewClient(tim.WithHTTPClient(&http.Client{Transport: counter}), tim.WithMaxConcurrency(2))
	require.NoError(t, err)
	accounts := make([]string, 2500)
	for i := range accounts {
		accounts[i] = "u" + strconv.Itoa(i)
	}
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: accounts})
	require.NoError(t, err)
	assert.Len(t, roles, 2500)
	assert.Len(t, srv.RequestsFor("get_role_in_group"), 5)
	assert.Equal(t, int32(2), counter.peak.Load(), "two in flight at a time, never more")
}

func TestFakeGetTopicPermissions(t *testing.T) {
	srv, client := seeded(t)
	ctx := context.Background()
	all, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods"})
	require.NoError(t, err)
	assert.Equal(t, []tim.TopicPermissionResult{{TopicID: topicA, Permission: tim.TopicPermSendMessage}, {TopicID: topicB, Permission: 123456}}, all)
	var body map[string]any
	require.NoError(t, json.Unmarshal(srv.RequestsFor("get_topic_permission_group")[0].Body, &body))
	assert.NotContains(t, body, "TopicIdList")

	require.NoError(t, srv.DeleteTopicPermission(community, "@PMG#_mods", topicB))
	some, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods", TopicIDs: []string{topicA, topicB, topicC, community + "@TOPIC#_nope"}})
	require.NoError(t, err)
	require.Len(t, some, 4)
	assert.NoError(t, some[0].Err())
	assert.ErrorIs(t, some[1].Err(), tim.ErrTopicPermissionAlreadyDeleted)
	assert.ErrorIs(t, some[2].Err(), tim.ErrTopicNotInPermissionGroup)
	assert.ErrorIs(t, some[3].Err(), tim.ErrInvalidTopicID)
}

// TestFakeDocumentedErrors drives each documented failure through the SDK.
func TestFakeDocumentedErrors(t *testing.T) {
	ctx := context.Background()
	pages := func(c *tim.Client, group string) error {
		_, err := c.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: group})
		return err
	}
	roles := func(c *tim.Client, group string) error {
		_, err := c.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: group, Accounts: []string{"amy"}})
		return err
	}
	topics := func(pg string) func(c *tim.Client, group string) error {
		return func(c *tim.Client, group string) error {
			_, err := c.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: group, PermissionGroupID: pg})
			return err
		}
	}
	cases := []struct {
		name  string
		opts  []timtest.Option
		setup func(*testing.T, *timtest.Server) *tim.Client // nil: the seeded client
		group string
		call  func(*tim.Client, string) error
		want  tim.ErrorCode
	}{
		{"unknown group: permission groups", nil, nil, "@TGS#_nope", pages, tim.ErrGroupNotFound},
		{"unknown group: roles", nil, nil, "@TGS#_nope", roles, tim.ErrGroupNotFound},
		{"unknown group: topics", nil, nil, "@TGS#_nope", topics("@PMG#_mods"), tim.ErrGroupNotFound},
		{"dissolved group", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			require.NoError(t, s.DissolveGroup(community))
			return nil
		}, community, pages, tim.ErrGroupNotFound},
		// A group that is not a community under an ID of the community
		// shape, so that the SDK sends it and the fake's own check answers
		// (a real "@TGS#…" ID is refused before sending).
		{"not a community", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			require.NoError(t, s.CreateGroup("@TGS#_pub", timtest.Public, "o"))
			return nil
		}, "@TGS#_pub", pages, tim.ErrNoPermission},
		{"not a community: topics", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			require.NoError(t, s.CreateGroup("@TGS#_pub", timtest.Public, "o"))
			return nil
		}, "@TGS#_pub", topics("@PMG#_x"), tim.ErrNoPermission},
		{"AVChatRoom roles", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			require.NoError(t, s.CreateGroup("@TGS#av", timtest.AVChatRoom, "o"))
			return nil
		}, "@TGS#av", roles, tim.ErrNoPermission},
		{"app without communities", []timtest.Option{timtest.WithoutCommunitySupport()}, nil, community, pages, tim.ErrCommunityNotSupported},
		{"unknown permission group", nil, nil, community, topics("@PMG#_nope"), tim.ErrPermissionGroupNotFound},
		{"not an admin", []timtest.Option{timtest.WithAdmins("root")}, func(t *testing.T, s *timtest.Server) *tim.Client {
			c, err := tim.NewClient(s.SDKAppID(), "administrator", tim.WithBaseURL(s.URL()), tim.WithSecretKey(s.SecretKey()))
			require.NoError(t, err)
			return c
		}, community, roles, tim.ErrAdminRequired},
		{"expired UserSig", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			sig, _ := tim.GenerateUserSig(s.SDKAppID(), s.SecretKey(), s.Admin(), time.Now().Add(-2*time.Hour), time.Hour)
			return signedWith(t, s, sig)
		}, community, roles, tim.ErrUserSigExpired},
		{"UserSig from another key", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			sig, _ := tim.GenerateUserSig(s.SDKAppID(), "another-key", s.Admin(), time.Now(), time.Hour)
			return signedWith(t, s, sig)
		}, community, roles, tim.ErrSecretKeyMismatch},
		{"UserSig of another identifier", nil, func(t *testing.T, s *timtest.Server) *tim.Client {
			sig, _ := tim.GenerateUserSig(s.SDKAppID(), s.SecretKey(), "someone", time.Now(), time.Hour)
			return signedWith(t, s, sig)
		}, community, roles, tim.ErrIdentifierMismatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, client := seeded(t, tc.opts...)
			if tc.setup != nil {
				if c := tc.setup(t, srv); c != nil {
					client = c
				}
			}
			err := tc.call(client, tc.group)
			require.ErrorIs(t, err, tc.want)
			var apiErr *tim.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "FAIL", apiErr.ActionStatus)
			assert.NotEmpty(t, apiErr.Info)
		})
	}
}

// TestFakeMalformedIDsAreNotSent: IDs the fake would refuse for their
// shape (110008 for a permission group without "@PMG#_", 10007 for a group
// that is not a community) are refused by the SDK before sending.
func TestFakeMalformedIDsAreNotSent(t *testing.T) {
	ctx := context.Background()
	srv, client := seeded(t)
	require.NoError(t, srv.CreateGroup("@TGS#pub", timtest.Public, "o"))
	srv.ResetRequests()
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"malformed permission group", "PermissionGroupID", func() error {
			_, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "nope"})
			return err
		}},
		{"group that is not a community", "GroupID", func() error {
			_, err := client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: "@TGS#pub"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ve *tim.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Empty(t, srv.Requests(), "nothing is sent")
		})
	}
}

func TestFakeRateLimit(t *testing.T) {
	now := time.Now()
	srv, _ := seeded(t, timtest.WithRateLimit(3), timtest.WithClock(func() time.Time { return now }))
	client, err := srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1})) // the clock stands still: a retry would fail too
	require.NoError(t, err)
	for i := range 3 {
		_, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
		require.NoError(t, err, "call %d", i)
	}
	_, err = client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
	require.ErrorIs(t, err, tim.ErrRateLimitExceeded)
	assert.ErrorIs(t, err, tim.ErrRateLimited)
	assert.Equal(t, tim.ErrRateLimitExceeded, srv.RequestsFor("get_role_in_group")[3].ErrorCode)
}

func TestFakeConcurrentClients(t *testing.T) {
	srv, _ := seeded(t)
	client, err := srv.NewClient(tim.WithoutRateLimit()) // some 250 calls: not paced to 200/s
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := srv.CreatePermissionGroup(community, timtest.PermissionGroup{Name: fmt.Sprint("p", i)}); err != nil {
				errs <- err
				return
			}
			if _, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy", "x"}}); err != nil {
				errs <- err
			}
			for _, err := range client.AllPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community, Limit: 5}) {
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	for _, err := range client.AllPermissionGroups(context.Background(), &tim.GetPermissionGroupsRequest{GroupID: community}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 33, n)
}

// TestFakeEveryDocumentedCode makes the fake answer each code the seed pages
// document for each method, and checks the SDK's typed error.
func TestFakeEveryDocumentedCode(t *testing.T) {
	ctx := context.Background()
	pageCodes := []tim.ErrorCode{tim.ErrInternal, tim.ErrInvalidCommand, tim.ErrInvalidParameter, tim.ErrNoPermission, tim.ErrGroupNotFound, tim.ErrInvalidGroupID, tim.ErrCallbackDenied}
	methods := map[string]struct {
		codes []tim.ErrorCode
		call  func(*tim.Client) error
	}{
		"get_permission_group": {append(pageCodes, tim.ErrCommunityNotSupported, tim.ErrPermissionGroupNotFound, tim.ErrInvalidPermissionGroupID), func(c *tim.Client) error {
			_, err := c.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community})
			return err
		}},
		"get_role_in_group": {pageCodes[:6], func(c *tim.Client) error {
			_, err := c.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: []string{"amy"}})
			return err
		}},
		"get_topic_permission_group": {append(pageCodes, tim.ErrPermissionGroupNotFound, tim.ErrInvalidPermissionGroupID, tim.ErrTopicPermissionAlreadyDeleted), func(c *tim.Client) error {
			_, err := c.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: community, PermissionGroupID: "@PMG#_mods"})
			return err
		}},
	}
	srv, _ := seeded(t)
	client, err := srv.NewClient(tim.WithRetryPolicy(tim.RetryPolicy{MaxAttempts: 1})) // one request per call, retryable codes included
	require.NoError(t, err)
	for command, m := range methods {
		for _, code := range m.codes {
			t.Run(fmt.Sprintf("%s/%d", command, code), func(t *testing.T) {
				require.NoError(t, srv.FailNext(command, 1, timtest.Fault{Code: code, Info: "injected"}))
				err := m.call(client)
				require.ErrorIs(t, err, code)
				var apiErr *tim.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tim.APIError{Command: command, ActionStatus: "FAIL", Code: code, Info: "injected", Attempts: 1}, *apiErr)
				require.NoError(t, m.call(client), "one call only")
			})
		}
	}
}

func TestFakeRoleFailureReturnsNoPartialResult(t *testing.T) {
	_, client := seeded(t)
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_nope", Accounts: []string{"amy", "peter"}})
	require.ErrorIs(t, err, tim.ErrGroupNotFound)
	assert.Nil(t, roles)
}
