package tim_test

// Benchmarks under load (BENCHMARKS.md goals 3 to 5): a long listing, a
// call split into many requests, and one client shared by many goroutines.

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// Goal 3: 10,000 permission groups, 500 pages of 20.
const (
	pagedCommunity = "@TGS#_@TGS#bench"
	pagedGroups    = 10_000
	heapSampleStep = 500 // items between heap samples: every 25 pages
)

// newPagedFake starts a fake that keeps no record of requests, holding
// pagedGroups permission groups in one community.
func newPagedFake(b *testing.B) *timtest.Server {
	b.Helper()
	srv := timtest.NewServer(timtest.WithoutRecording())
	b.Cleanup(srv.Close)
	if err := srv.CreateCommunity(pagedCommunity, "owner"); err != nil {
		b.Fatal(err)
	}
	for i := range pagedGroups {
		_, err := srv.CreatePermissionGroup(pagedCommunity, timtest.PermissionGroup{
			Name:         fmt.Sprintf("group-%05d", i),
			CustomString: "bench",
			Permission:   tim.GroupPermSendMessage | tim.GroupPermAtAll,
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return srv
}

// liveHeap returns the bytes of live heap objects after a full collection.
// The second collection frees what the first left in sync.Pool victim
// caches, which would otherwise add ±100 kB of noise.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// BenchmarkAllPermissionGroups is goal 3: ranging over AllPermissionGroups
// through 10,000 permission groups of the fake. ns/op is one walk of all 500
// pages. During the first walk the live heap is sampled (after a full GC,
// with the clock stopped) every 500 items: peak-live-B is its largest growth
// over the live heap before the walk (peak-live-B/item that over the 10,000
// items), growth-B/page how much it grows per page from the first sample to
// the last. all-items-B is what holding all 10,000 groups takes, measured by
// collecting them into a slice; two-pages-B is 2/500 of that.
func BenchmarkAllPermissionGroups(b *testing.B) {
	ctx := context.Background()
	srv := newPagedFake(b)
	client := newBenchClient(b, srv.URL(), nil)
	req := &tim.GetPermissionGroupsRequest{GroupID: pagedCommunity}

	// What holding everything takes: every item kept in a slice.
	before := liveHeap()
	var all []tim.PermissionGroup
	for g, err := range client.AllPermissionGroups(ctx, req) {
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, g)
	}
	allBytes := liveHeap() - before
	if len(all) != pagedGroups {
		b.Fatalf("got %d groups, want %d", len(all), pagedGroups)
	}
	runtime.KeepAlive(all)

	var peak, first, last int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sample := i == 0
		var start int64
		if sample {
			b.StopTimer()
			start = liveHeap()
			b.StartTimer()
		}
		n := 0
		for g, err := range client.AllPermissionGroups(ctx, req) {
			if err != nil {
				b.Fatal(err)
			}
			if g.Name == "" {
				b.Fatal("empty name")
			}
			n++
			if sample && n%heapSampleStep == 0 {
				b.StopTimer()
				last = liveHeap() - start
				if n == heapSampleStep {
					first = last
				}
				peak = max(peak, last)
				b.StartTimer()
			}
		}
		if n != pagedGroups {
			b.Fatalf("walked %d groups, want %d", n, pagedGroups)
		}
	}
	b.StopTimer()
	twoPages := 2 * allBytes * tim.MaxPermissionGroupsPerPage / pagedGroups
	b.ReportMetric(float64(peak), "peak-live-B")
	b.ReportMetric(float64(peak)/pagedGroups, "peak-live-B/item")
	b.ReportMetric(float64(last-first)*tim.MaxPermissionGroupsPerPage/(pagedGroups-heapSampleStep), "growth-B/page")
	b.ReportMetric(float64(twoPages), "two-pages-B")
	b.ReportMetric(float64(allBytes), "all-items-B")
}

// Goal 4: 10,000 accounts, 20 requests of 500, with 20 ms of latency each.
const (
	splitCommunity = "@TGS#_@TGS#split"
	splitAccounts  = 10_000
	splitLatency   = 20 * time.Millisecond
)

// BenchmarkGetRoleInGroupSplit is goal 4: GetRoleInGroup with 10,000
// accounts against a fake that answers each request 20 ms late, with the
// default concurrency. Each op also makes, with the clock stopped, one
// single-request call (500 accounts; single-call-ns); round_trips is the
// split call's wall time over the single call's, and calls/op the requests
// the fake received per split call.
func BenchmarkGetRoleInGroupSplit(b *testing.B) {
	ctx := context.Background()
	srv := timtest.NewServer(timtest.WithLatency(splitLatency))
	b.Cleanup(srv.Close)
	if err := srv.CreateCommunity(splitCommunity, "owner"); err != nil {
		b.Fatal(err)
	}
	accounts := make([]string, splitAccounts)
	for i := range accounts {
		accounts[i] = fmt.Sprintf("user%05d", i)
		if i%2 == 0 {
			if err := srv.AddMember(splitCommunity, accounts[i], tim.RoleMember); err != nil {
				b.Fatal(err)
			}
		}
	}
	single := accounts[:tim.MaxRoleAccountsPerCall]
	client := newBenchClient(b, srv.URL(), nil)
	check := func(roles []tim.MemberRole, err error, want []string) {
		if err != nil {
			b.Fatal(err)
		}
		if len(roles) != len(want) || roles[0].Role != tim.RoleMember || roles[1].Role != tim.RoleNotMember ||
			roles[len(roles)-1].Account != want[len(want)-1] {
			b.Fatalf("unexpected answer of %d roles", len(roles))
		}
	}
	roles, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: splitCommunity, Accounts: accounts}) // warm the connections up
	check(roles, err, accounts)

	var singleTotal, splitTotal time.Duration
	var calls int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		start := time.Now()
		roles, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: splitCommunity, Accounts: single})
		singleTotal += time.Since(start)
		check(roles, err, single)
		srv.ResetRequests()
		b.StartTimer()

		start = time.Now()
		roles, err = client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: splitCommunity, Accounts: accounts})
		splitTotal += time.Since(start)
		check(roles, err, accounts)

		b.StopTimer()
		calls += len(srv.RequestsFor("get_role_in_group"))
		b.StartTimer()
	}
	b.StopTimer()
	if calls != b.N*splitAccounts/tim.MaxRoleAccountsPerCall {
		b.Fatalf("the fake received %d requests in %d calls", calls, b.N)
	}
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
	b.ReportMetric(float64(singleTotal.Nanoseconds())/float64(b.N), "single-call-ns")
	b.ReportMetric(float64(splitTotal)/float64(singleTotal), "round_trips")
}

// Goal 5: 64 goroutines (tim.DefaultMaxInFlight) sharing one client for
// 10,000 calls.
const (
	sharedCallers = tim.DefaultMaxInFlight
	sharedCalls   = 10_000
)

// fanOut makes calls calls of call from sharedCallers goroutines and
// returns how many failed.
func fanOut(calls int64, call func() error) int64 {
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for range sharedCallers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= calls {
				if call() != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return failed.Load()
}

// BenchmarkSharedClient is goal 5: one op is 10,000 GetRoleInGroup calls
// (the seed's request and answer) from 64 goroutines sharing one client,
// against a replay server that counts the connections it accepts. The
// baseline shares one http.Client on tunedTransport; impl=sdk uses the SDK's
// default transport, which has the same pool, with its 64 in-flight places
// per command (tim.DefaultMaxInFlight) where the baseline has its 64
// callers. calls/s is the throughput, conns the connections the server
// accepted over all ops of the run, errors the failed calls.
func BenchmarkSharedClient(b *testing.B) {
	run := func(b *testing.B, rs *replayServer, call func() error) {
		var failed int64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			failed += fanOut(sharedCalls, call)
		}
		b.StopTimer()
		b.ReportMetric(float64(sharedCalls*b.N)/b.Elapsed().Seconds(), "calls/s")
		b.ReportMetric(float64(rs.conns.Load()), "conns")
		b.ReportMetric(float64(failed), "errors")
		if got := rs.requests.Load(); got != int64(sharedCalls*b.N) {
			b.Errorf("the server received %d requests, want %d", got, sharedCalls*b.N)
		}
	}
	b.Run("impl=baseline", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		base, _ := seedCalls(newBaseline(b, rs.URL), nil)
		run(b, rs, base)
	})
	b.Run("impl=sdk", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		_, sdk := seedCalls(nil, newBenchClient(b, rs.URL, nil))
		run(b, rs, sdk)
	})
}

// BenchmarkSharedClientPaired is goal 5 with rounds of 1,000 calls from 64
// goroutines, alternating between the baseline and the SDK (default
// transport), each side sharing one client and calling its own replay
// server: a unit is a round, and ns/op counts both. base-conns and
// sdk-conns are the connections each server accepted over all rounds, and
// base-conns-later and sdk-conns-later those accepted after the first round.
func BenchmarkSharedClientPaired(b *testing.B) {
	const roundCalls = 1_000
	rsBase, rsSDK := newReplayServer(b, seedRoleAnswer), newReplayServer(b, seedRoleAnswer)
	base, _ := seedCalls(newBaseline(b, rsBase.URL), nil)
	_, sdk := seedCalls(nil, newBenchClient(b, rsSDK.URL, nil))
	round := func(rs *replayServer, call func() error, afterFirst *int64) func() error {
		first := true
		return func() error {
			n := fanOut(roundCalls, call)
			if first {
				first = false
				*afterFirst = rs.conns.Load()
			}
			if n > 0 {
				return fmt.Errorf("%d calls failed", n)
			}
			return nil
		}
	}
	var baseFirst, sdkFirst int64
	paired(b, round(rsBase, base, &baseFirst), round(rsSDK, sdk, &sdkFirst))
	b.ReportMetric(float64(rsBase.conns.Load()), "base-conns")
	b.ReportMetric(float64(rsSDK.conns.Load()), "sdk-conns")
	b.ReportMetric(float64(rsBase.conns.Load()-baseFirst), "base-conns-later")
	b.ReportMetric(float64(rsSDK.conns.Load()-sdkFirst), "sdk-conns-later")
}
