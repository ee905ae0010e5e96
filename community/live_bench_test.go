package community_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/community"
)

// bigSnapshot builds, with no server, a community of groups permission
// groups × members members (drawn from 5 × members × groups / 25 accounts,
// so an account is in about 5 groups), each group granting 10 of 100
// topics. Every membership has its own string, as a decoded answer's.
func bigSnapshot(groups, members int) *community.Snapshot {
	const g = "@TGS#_big"
	accounts := max(members, groups*members/5)
	s := &community.Snapshot{GroupID: g, Owner: "owner", PermissionGroupsEnabled: tim.Ptr(true), DefaultPermission: tim.Ptr(tim.GroupPermReadHistory)}
	for i := range groups {
		grp := community.PermissionGroup{ID: fmt.Sprintf("@PMG#_g%05d", i), Name: "G", Permission: tim.GroupPermSendMessage,
			Topics: map[string]tim.TopicPermission{}, Members: make([]string, members)}
		for j := range 10 {
			grp.Topics[bigTopic((i+j*7)%100)] = tim.TopicPermAtAll
		}
		start := (i * members) % (accounts - members + 1)
		for j := range members {
			grp.Members[j] = bigAccount(start + j)
		}
		s.PermissionGroups = append(s.PermissionGroups, grp)
	}
	return s
}

func bigTopic(i int) string   { return fmt.Sprintf("@TGS#_big@TOPIC#_t%03d", i) }
func bigAccount(i int) string { return fmt.Sprintf("acct%07d", i) }

// BenchmarkLiveAccess asks Access.Topic from every core while, in
// "reloading", Live.Reload runs back to back on a 1,000,000-membership
// community (2,000 groups × 500 members, 200,000 accounts) served from
// memory by memClient (22,102 calls a load, no HTTP). It reports the
// queries per second and the reloads made meanwhile; "idle" is the same
// without reloads.
//
//	go test -run '^$' -bench BenchmarkLiveAccess -benchtime 2000000x ./community
func BenchmarkLiveAccess(b *testing.B) {
	mc := newMemClient(bigSnapshot(2000, 500))
	live, err := community.NewLive(context.Background(), mc, "@TGS#_big", &community.LiveOptions{Interval: time.Hour})
	require.NoError(b, err)
	defer live.Close(context.Background())
	accounts, topics := make([]string, 200000), make([]string, 100)
	for i := range accounts {
		accounts[i] = bigAccount(i)
	}
	for i := range topics {
		topics[i] = bigTopic(i)
	}
	for _, reloading := range []bool{false, true} {
		name := map[bool]string{false: "idle", true: "reloading"}[reloading]
		b.Run(name, func(b *testing.B) {
			var reloads atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			if reloading {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						if live.Reload(context.Background()) == nil {
							reloads.Add(1)
						}
					}
				}()
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				r := rand.New(rand.NewPCG(rand.Uint64(), 0))
				n := 0
				for pb.Next() {
					ans := live.Access().Topic(accounts[r.IntN(len(accounts))], topics[r.IntN(len(topics))])
					n += int(ans.Permission & tim.TopicPermSendMessage)
				}
				keep(n)
			})
			b.StopTimer()
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			b.ReportMetric(float64(reloads.Load()), "reloads")
		})
	}
}

// BenchmarkLiveReload reloads the 1,000,000-membership community of
// BenchmarkLiveAccess again and again and reports the live heap of one
// view per membership, and how the live heap after the last reload compares
// with the heap after the first (1.00 = no growth).
//
//	go test -run '^$' -bench BenchmarkLiveReload -benchtime 10x ./community
func BenchmarkLiveReload(b *testing.B) {
	heapMu.Lock()
	defer heapMu.Unlock()
	mc := newMemClient(bigSnapshot(2000, 500))
	base := liveHeap()
	live, err := community.NewLive(context.Background(), mc, "@TGS#_big", &community.LiveOptions{Interval: time.Hour})
	require.NoError(b, err)
	defer live.Close(context.Background())
	first := liveHeap()
	memberships := live.View().Snapshot.Memberships()
	b.ResetTimer()
	for range b.N {
		require.NoError(b, live.Reload(context.Background()))
	}
	b.StopTimer()
	last := liveHeap()
	b.ReportMetric(float64(first-base)/float64(memberships), "heapB/membership")
	b.ReportMetric(float64(last-base)/float64(first-base), "heap-last/first")
	b.ReportMetric(float64(mc.calls.Load())/float64(b.N+1), "calls/reload")
}

// BenchmarkLivePatch measures a member-exit patch (HandleCallback of an
// account in 5 groups) on the 1,000,000-membership community: a copy of
// the group list, of the changed groups' members, and a new index.
//
//	go test -run '^$' -bench BenchmarkLivePatch -benchtime 20x ./community
func BenchmarkLivePatch(b *testing.B) {
	mc := newMemClient(bigSnapshot(2000, 500))
	live, err := community.NewLive(context.Background(), mc, "@TGS#_big", &community.LiveOptions{Interval: time.Hour, Debounce: time.Hour})
	require.NoError(b, err)
	defer live.Close(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		account := bigAccount(1000 + i*997)
		require.NotEmpty(b, live.Access().GroupsOf(account))
		require.NoError(b, live.HandleCallback(context.Background(), &callback.AfterMemberExit{GroupID: "@TGS#_big", Accounts: []string{account}}))
		require.Empty(b, live.Access().GroupsOf(account))
	}
}
