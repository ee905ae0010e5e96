package timtest

// The Server's options (rate limit, latency), concurrent use, and printing
// a Server.

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

func TestWithRateLimit(t *testing.T) {
	start := time.Now().Truncate(time.Second)
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	srv := newTestServer(t, WithRateLimit(5), WithClock(func() time.Time { return time.Unix(0, clock.Load()) }))
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv)
	pgBody := map[string]any{"GroupId": tComm}
	roleBody := map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}

	for i := 1; i <= 5; i++ {
		require.True(t, assertCode(t, 0, postEnv(t, srv, cmdPermGroup, q, pgBody)), "call %d", i)
	}
	t.Run("the 6th call in the second", func(t *testing.T) {
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdPermGroup, q, pgBody))
		reqs := srv.RequestsFor(cmdPermGroup)
		require.NotEmpty(t, reqs)
		assert.Equal(t, tim.ErrRateLimitExceeded, reqs[len(reqs)-1].ErrorCode)
	})
	t.Run("a 7th call late in the same second", func(t *testing.T) {
		clock.Store(start.Add(999 * time.Millisecond).UnixNano())
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdPermGroup, q, pgBody))
	})
	t.Run("another command is counted separately", func(t *testing.T) {
		for i := 1; i <= 5; i++ {
			assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
		}
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdRole, q, roleBody))
	})
	t.Run("the next second", func(t *testing.T) {
		clock.Store(start.Add(time.Second).UnixNano())
		for i := 1; i <= 5; i++ {
			assertCode(t, 0, postEnv(t, srv, cmdPermGroup, q, pgBody))
		}
		assertCode(t, tim.ErrRateLimitExceeded, postEnv(t, srv, cmdPermGroup, q, pgBody))
		assertCode(t, 0, postEnv(t, srv, cmdRole, q, roleBody))
	})
}

func TestWithLatency(t *testing.T) {
	srv := newTestServer(t, WithLatency(20*time.Millisecond))
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	var rep roleReply
	post(t, srv, cmdRole, adminQuery(t, srv), map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}, &rep)
	require.True(t, assertCode(t, 0, rep.envelope))
	assert.Equal(t, []roleItem{{tOwner, "Owner"}}, rep.UserIDList)
}

func TestConcurrentSeedingAndReads(t *testing.T) {
	const workers = 50
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	q := adminQuery(t, srv) // made here: helpers that require must not run in goroutines

	ids := make([]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("concurrent-%02d", i)
			id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: name, Permission: tim.GroupPermission(i)})
			if !assert.NoError(t, err) {
				return
			}
			ids[i] = id

			// What was created is visible over HTTP at once.
			var one pgReply
			if assert.NoError(t, postErr(srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &one)) &&
				assert.Equal(t, "OK", one.ActionStatus) && assert.Len(t, one.PermissionGroupInfoList, 1) {
				assert.Equal(t, pgItem{PermissionGroupID: id, PermissionGroupName: name, Permission: uint64(i)}, one.PermissionGroupInfoList[0])
			}
			// A page read while others are being created is well-formed.
			var page pgReply
			if assert.NoError(t, postErr(srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "Limit": 20, "Next": ""}, &page)) {
				assert.Equal(t, "OK", page.ActionStatus)
				assert.NotEmpty(t, page.PermissionGroupInfoList)
				assert.LessOrEqual(t, len(page.PermissionGroupInfoList), 20)
			}
			var roles roleReply
			if assert.NoError(t, postErr(srv, cmdRole, q, map[string]any{"GroupId": tComm, "User_Account": []string{tOwner}}, &roles)) {
				assert.Equal(t, "OK", roles.ActionStatus)
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())

	listed := pgAll(t, srv, q, tComm, 20)
	assert.Len(t, listed, workers)
	seen := map[string]int{}
	for _, id := range listed {
		seen[id]++
	}
	for _, id := range ids {
		assert.Equal(t, 1, seen[id], "%s listed %d times", id, seen[id])
	}
	assert.Len(t, srv.RequestsFor(cmdPermGroup), 2*workers+(workers+19)/20)
}

func TestServerPrintingHidesSecretKey(t *testing.T) {
	const key = "very-secret-key-0123456789abcdef"
	for _, tt := range []struct {
		name string
		srv  *Server
		key  string
	}{
		{"default key", newTestServer(t), DefaultSecretKey},
		{"WithSecretKey", newTestServer(t, WithSecretKey(key)), key},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.srv
			require.Equal(t, tt.key, srv.SecretKey())
			outs := map[string]string{
				"%v %+v %#v":   fmt.Sprintf("%v %+v %#v", srv, srv, srv),
				"%s %q %x %d":  fmt.Sprintf("%s %q %x %d", srv, srv, srv, srv),
				"String":       srv.String(),
				"in a struct":  fmt.Sprintf("%v %+v %#v", struct{ S *Server }{srv}, struct{ S *Server }{srv}, struct{ S *Server }{srv}),
				"in a slice":   fmt.Sprintf("%v %+v %#v", []*Server{srv}, []*Server{srv}, []*Server{srv}),
				"Sprint":       fmt.Sprint(srv),
				"Sprintln %#v": fmt.Sprintln(srv) + fmt.Sprintf("%#v", []any{srv}),
			}
			for name, out := range outs {
				assert.NotContains(t, out, tt.key, name)
			}
			assert.Contains(t, fmt.Sprintf("%v", srv), srv.URL())
		})
	}
}
