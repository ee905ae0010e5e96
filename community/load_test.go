package community_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// seedSized seeds community g with groups of the given member counts, each
// with a permission in topics topics.
func seedSized(t testing.TB, srv *timtest.Server, g string, topics int, members ...int) {
	t.Helper()
	require.NoError(t, srv.CreateCommunity(g, "owner"))
	most := 0
	for _, m := range members {
		most = max(most, m)
	}
	all := accounts("u", most)
	for _, a := range all {
		require.NoError(t, srv.AddMember(g, a, tim.RoleMember))
	}
	for i := range topics {
		require.NoError(t, srv.CreateTopic(g, fmt.Sprintf("%s@TOPIC#_t%02d", g, i)))
	}
	for i, m := range members {
		id := fmt.Sprintf("@PMG#_g%04d", i)
		_, err := srv.CreatePermissionGroup(g, timtest.PermissionGroup{ID: id, Name: "G", Permission: tim.GroupPermSendMessage})
		require.NoError(t, err)
		for j := range topics {
			require.NoError(t, srv.SetTopicPermission(g, id, fmt.Sprintf("%s@TOPIC#_t%02d", g, j), tim.TopicPermSendMessage))
		}
		if m > 0 {
			require.NoError(t, srv.AddPermissionGroupMembers(g, id, all[:m]...))
		}
	}
}

// TestLoadCalls: the fewest calls the page limits allow.
func TestLoadCalls(t *testing.T) {
	srv, client := newFake(t)
	var members []int
	wantPages := 0
	for i := range 45 {
		m := []int{0, 49, 50, 51, 120}[i%5]
		members = append(members, m)
		wantPages += max(1, (m+49)/50)
	}
	seedSized(t, srv, "@TGS#_c", 3, members...)
	var last community.Progress
	snap, err := community.Load(ctxT(t), client, "@TGS#_c", &community.LoadOptions{Progress: func(p community.Progress) { last = p }})
	require.NoError(t, err)

	assert.Len(t, srv.RequestsFor(tim.CommandGetGroupInfo), 1)
	assert.Len(t, srv.RequestsFor(tim.CommandGetTopic), 1, "every topic in one call")
	assert.Len(t, srv.RequestsFor(tim.CommandGetPermissionGroup), 3, "⌈45/20⌉")
	assert.Len(t, srv.RequestsFor(tim.CommandGetTopicPermissionGroup), 45)
	assert.Len(t, srv.RequestsFor(tim.CommandGetPermissionGroupMemberList), wantPages)
	assert.Equal(t, community.Progress{PermissionGroups: 45, ListingDone: true, GroupsDone: 45, Pages: 3 + wantPages, Calls: len(srv.Requests()), Topics: 3}, last)
	assert.Len(t, srv.Requests(), 1+1+3+45+wantPages)

	require.Len(t, snap.PermissionGroups, 45)
	for i, g := range snap.PermissionGroups {
		assert.Len(t, g.Members, members[i], g.ID)
		assert.Len(t, g.Topics, 3, g.ID)
	}
	assert.Equal(t, "owner", snap.Owner)
	assert.Equal(t, srv.Admin(), snap.Admin)
	assert.Equal(t, tim.Ptr(true), snap.PermissionGroupsEnabled)
	assert.Equal(t, tim.Ptr(tim.GroupPermission(0)), snap.DefaultPermission)
}

// TestLoadErrorsNameTheStep: a failure stops the load and says which group
// and which step failed.
func TestLoadErrorsNameTheStep(t *testing.T) {
	for _, tc := range []struct {
		command, step string
		group         bool
		code          tim.ErrorCode
	}{
		{tim.CommandGetGroupInfo, "get group info", false, tim.ErrGroupNotFound},
		{tim.CommandGetPermissionGroup, "list permission groups", false, tim.ErrInvalidParameter},
		{tim.CommandGetTopicPermissionGroup, "get topic permissions", true, tim.ErrPermissionGroupNotFound},
		{tim.CommandGetPermissionGroupMemberList, "list members", true, tim.ErrPermissionGroupNotFound},
	} {
		t.Run(tc.step, func(t *testing.T) {
			srv, client := newFake(t)
			seedSized(t, srv, "@TGS#_c", 1, 10, 60, 5)
			require.NoError(t, srv.FailNext(tc.command, 1, timtest.Fault{Code: tc.code}))
			snap, err := community.Load(ctxT(t), client, "@TGS#_c", nil)
			assert.Nil(t, snap)
			var le *community.LoadError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tc.step, le.Step)
			assert.Equal(t, "@TGS#_c", le.GroupID)
			assert.ErrorIs(t, err, tc.code)
			if tc.group {
				assert.Regexp(t, `^@PMG#_g000[0-2]$`, le.PermissionGroupID)
				assert.Contains(t, err.Error(), "community: load @TGS#_c: permission group "+le.PermissionGroupID+": "+tc.step+": ")
			} else {
				assert.Empty(t, le.PermissionGroupID)
				assert.Contains(t, err.Error(), "community: load @TGS#_c: "+tc.step+": ")
			}
		})
	}
}

func TestLoadRefuses(t *testing.T) {
	srv, client := newFake(t)
	require.NoError(t, srv.CreateGroup("@TGS#_pub", timtest.Public, "owner"))
	_, err := community.Load(ctxT(t), client, "@TGS#_pub", nil)
	// The info and the listing go out at once; whichever answers first says no.
	if !errors.Is(err, tim.ErrNoPermission) {
		assert.ErrorContains(t, err, "get group info: the group is of type Public, not a community")
	}
	_, err = community.Load(ctxT(t), client, "@TGS#_gone", nil)
	assert.ErrorIs(t, err, tim.ErrGroupNotFound)
	srv.ResetRequests()
	_, err = community.Load(ctxT(t), client, "@PMG#_x", nil)
	assert.ErrorContains(t, err, "not a community ID")
	assert.Empty(t, srv.Requests(), "checked before any call")
}

func TestLoadRetriesThroughTheClient(t *testing.T) {
	srv, client := newFake(t)
	seedSized(t, srv, "@TGS#_c", 1, 60)
	require.NoError(t, srv.FailNext(tim.CommandGetPermissionGroupMemberList, 1, timtest.Fault{Code: tim.ErrInternal}))
	require.NoError(t, srv.FailNext(tim.CommandGetTopicPermissionGroup, 1, timtest.Fault{Drop: true}))
	snap, err := community.Load(ctxT(t), client, "@TGS#_c", nil)
	require.NoError(t, err)
	assert.Len(t, snap.PermissionGroups[0].Members, 60)
}

// probe wraps a Client: it counts the reads in flight and can panic. The
// first member-page read waits (up to 10 s) until another one starts, so
// that reads that may overlap do, however busy the machine.
type probe struct {
	community.Client
	inFlight, most atomic.Int32
	panicAt        int32 // panic in the n-th member page (0: never)
	pages          atomic.Int32
}

func (p *probe) GetPermissionGroupMembers(ctx context.Context, req *tim.GetPermissionGroupMembersRequest) (*tim.PermissionGroupMembersPage, error) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
	page := p.pages.Add(1)
	if page == p.panicAt {
		panic("probe: boom")
	}
	for deadline := time.Now().Add(10 * time.Second); page == 1 && p.most.Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
	return p.Client.GetPermissionGroupMembers(ctx, req)
}

func TestLoadBoundsConcurrency(t *testing.T) {
	srv, client := newFake(t)
	seedSized(t, srv, "@TGS#_c", 0, make([]int, 60)...)
	p := &probe{Client: client}
	_, err := community.Load(ctxT(t), p, "@TGS#_c", &community.LoadOptions{Concurrency: 4})
	require.NoError(t, err)
	assert.LessOrEqual(t, p.most.Load(), int32(4))
	assert.GreaterOrEqual(t, p.most.Load(), int32(2), "the reads overlap")
}

// TestLoadPanic: a panic in a worker is raised again in the caller's
// goroutine, with its value, once the others have ended.
func TestLoadPanic(t *testing.T) {
	srv, client := newFake(t)
	seedSized(t, srv, "@TGS#_c", 0, make([]int, 30)...)
	p := &probe{Client: client, panicAt: 5}
	var got any
	func() {
		defer func() { got = recover() }()
		_, _ = community.Load(ctxT(t), p, "@TGS#_c", nil)
	}()
	assert.Equal(t, "probe: boom", got)
	assert.Zero(t, p.inFlight.Load(), "every worker ended first")
}

// TestLoadHeapPerMembership bounds what a loaded snapshot keeps per
// (group, account) pair. BenchmarkLoad reports the figure.
func TestLoadHeapPerMembership(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	srv, _ := newFake(t, timtest.WithoutRecording())
	client, err := srv.NewClient(tim.WithoutRateLimit())
	require.NoError(t, err)
	defer client.Close()
	seedSized(t, srv, "@TGS#_c", 2, repeat(40, 250)...)
	perMember := heapPerMembership(t, client, "@TGS#_c")
	t.Logf("%.1f bytes of heap per membership", perMember)
	assert.Positive(t, perMember, "the snapshot holds some heap")
	assert.Less(t, perMember, 64.0)
}

func repeat(n, v int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

var heapMu sync.Mutex // heap figures of tests running at once would mix

// heapPerMembership loads g and returns the live heap the snapshot holds
// per membership: the heap with the snapshot, less the heap once it is
// dropped. Measured that way round, what else the process keeps (the
// connections a load opens and their buffers, a goroutine of another test
// finishing) is in both figures and cancels out.
func heapPerMembership(t testing.TB, client community.Client, g string) float64 {
	heapMu.Lock()
	defer heapMu.Unlock()
	snap, err := community.Load(ctxT(t), client, g, nil)
	require.NoError(t, err)
	n := snap.Memberships()
	with := liveHeap()
	runtime.KeepAlive(snap)
	snap = nil // dropped, for the next figure
	without := liveHeap()
	return (float64(with) - float64(without)) / float64(n) // negative if the heap grew meanwhile: a failure, not 0
}
