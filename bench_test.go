package tim_test

// Benchmarks of the SDK against a hand-written net/http + encoding/json
// baseline, on loopback. BENCHMARKS.md has the goals, the commands and one
// run's figures. Every SDK client here is built by newBenchClient.
//
// This file has the single calls (goals 1 and 2); bench_load_test.go the
// listing, the split call and the shared client (goals 3 to 5);
// bench_baseline_test.go the baseline and the helpers they share.

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/timkit/tim"
)

// BenchmarkGetRoleInGroup is goal 1: one call asking about the seed's three
// accounts, answered with the seed's response by a replay server, through the
// baseline and through the SDK with its default transport and signer.
// impl=baseline_timeout is the baseline inside a context.WithTimeout of
// DefaultTimeout, as the SDK bounds each attempt. impl=sdk_static_sig signs
// with StaticUserSig: the same allocations as impl=sdk show that the default
// signer adds none to a call. impl=resty is the baseline sent through resty
// (getRoleInGroupResty). Compare the columns with benchstat -col /impl.
func BenchmarkGetRoleInGroup(b *testing.B) {
	loop := func(b *testing.B, call func() error) {
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=baseline", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		base, _ := seedCalls(newBaseline(b, rs.URL), nil)
		loop(b, base)
	})
	b.Run("impl=baseline_timeout", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		bl := newBaseline(b, rs.URL)
		loop(b, func() error {
			ctx, cancel := context.WithTimeout(context.Background(), tim.DefaultTimeout)
			defer cancel()
			roles, err := bl.getRoleInGroup(ctx, seedRoleGroup, seedRoleAccounts)
			return checkSeedRoles(roles, err)
		})
	})
	b.Run("impl=sdk", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		_, sdk := seedCalls(nil, newBenchClient(b, rs.URL, nil))
		loop(b, sdk)
	})
	b.Run("impl=sdk_static_sig", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		_, sdk := seedCalls(nil, newBenchClient(b, rs.URL, mustStatic(benchUserSig(b))))
		loop(b, sdk)
	})
	b.Run("impl=resty", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		bl := newBaseline(b, rs.URL)
		rc := resty.NewWithClient(&http.Client{Transport: tunedTransport()}).
			SetHeader("Content-Type", "application/json")
		ctx := context.Background()
		loop(b, func() error {
			roles, err := bl.getRoleInGroupResty(ctx, rc, seedRoleGroup, seedRoleAccounts)
			return checkSeedRoles(roles, err)
		})
	})
}

// BenchmarkGetRoleInGroupPaired is goal 1 with the baseline and the SDK
// alternating call by call on one server: a unit is one call, and ns/op
// counts both.
func BenchmarkGetRoleInGroupPaired(b *testing.B) {
	rs := newReplayServer(b, seedRoleAnswer)
	base, sdk := seedCalls(newBaseline(b, rs.URL), newBenchClient(b, rs.URL, nil))
	paired(b, base, sdk)
}

// BenchmarkClientSidePaired isolates the client's CPU from the network and
// the server: the SDK and the baseline both send through cannedTransport,
// alternating call by call (see paired). vs=baseline_timeout runs each
// baseline call inside a context.WithTimeout of DefaultTimeout, as the SDK
// bounds each attempt.
func BenchmarkClientSidePaired(b *testing.B) {
	const url = "http://127.0.0.1:1" // never dialled
	bl := newBaseline(b, url)
	bl.hc = &http.Client{Transport: cannedTransport{}}
	base, sdk := seedCalls(bl, newBenchClient(b, url, nil, tim.WithHTTPClient(&http.Client{Transport: cannedTransport{}})))
	b.Run("vs=baseline", func(b *testing.B) { paired(b, base, sdk) })
	b.Run("vs=baseline_timeout", func(b *testing.B) {
		paired(b, func() error {
			ctx, cancel := context.WithTimeout(context.Background(), tim.DefaultTimeout)
			defer cancel()
			roles, err := bl.getRoleInGroup(ctx, seedRoleGroup, seedRoleAccounts)
			return checkSeedRoles(roles, err)
		}, sdk)
	})
}

// timedSigner measures the time its inner signer takes. The figure includes
// reading the clock twice; BenchmarkUserSig subtracts what that costs in a
// hot loop, which is less than inside a call, so the result stays an upper
// bound.
type timedSigner struct {
	inner tim.UserSigner
	ns    atomic.Int64
	calls atomic.Int64
}

func (s *timedSigner) UserSig(ctx context.Context) (string, error) {
	start := time.Now()
	sig, err := s.inner.UserSig(ctx)
	s.ns.Add(int64(time.Since(start)))
	s.calls.Add(1)
	return sig, err
}

// clockReadCost returns the nanoseconds a time.Now and time.Since pair
// takes, which timedSigner's figure includes.
func clockReadCost() float64 {
	const n = 100_000
	var total time.Duration
	for range n {
		start := time.Now()
		total += time.Since(start)
	}
	return float64(total.Nanoseconds()) / n
}

// BenchmarkUserSig is goal 2 alongside BenchmarkKeySignerCached (in
// usersig_signer_test.go): the default signer's cached answer from 2 goroutines per
// CPU at once (cached_parallel), and inside full calls (in_call: the
// signer's share of a GetRoleInGroup call, reported as signer-ns/call, net of
// the cost of reading the clock around it, clock-ns).
func BenchmarkUserSig(b *testing.B) {
	ctx := context.Background()
	newSigner := func(b *testing.B) *tim.KeySigner {
		s, err := tim.NewKeySigner(benchAppID, benchKey, benchAdmin)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.UserSig(ctx); err != nil { // the one generation, before the clock
			b.Fatal(err)
		}
		return s
	}
	b.Run("cached_parallel", func(b *testing.B) {
		s := newSigner(b)
		b.ReportAllocs()
		b.SetParallelism(2)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.UserSig(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("in_call", func(b *testing.B) {
		rs := newReplayServer(b, seedRoleAnswer)
		ts := &timedSigner{inner: newSigner(b)}
		client := newBenchClient(b, rs.URL, ts)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			roles, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: seedRoleGroup, Accounts: seedRoleAccounts})
			if err := checkSeedRoles(roles, err); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		clock := clockReadCost()
		b.ReportMetric(float64(ts.ns.Load())/float64(ts.calls.Load())-clock, "signer-ns/call")
		b.ReportMetric(clock, "clock-ns")
	})
}
