//go:build unix

package tim_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// BenchmarkLimiterQueueCalls is BenchmarkLimiterQueue for whole calls: 32
// callers make RoleOf calls against the fake (20 ms latency) through one
// client, queued at its limiter at the default rate, and it reports the
// CPU time and thread context switches of the process per call, for the
// bucket before issue 17, the bucket after it, and, for scale, no limiter
// at all (the same calls unpaced). Rounds alternate, as in
// BenchmarkLimiterQueue:
//
//	go test -run '^$' -bench LimiterQueueCalls -benchtime 1050x .
func BenchmarkLimiterQueueCalls(b *testing.B) {
	const callers, rounds, group = 32, 3, "@TGS#_queue"
	srv := timtest.NewServer(timtest.WithLatency(20*time.Millisecond), timtest.WithoutRecording())
	b.Cleanup(srv.Close)
	if err := srv.CreateCommunity(group, "owner"); err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name    string
		limiter func() tim.Option
	}{
		{"before", func() tim.Option {
			return tim.WithRateLimiter(tim.OldBucketLimiter(tim.DefaultRateLimit, tim.DefaultRateBurst))
		}},
		{"after", func() tim.Option { return tim.WithRateLimit(tim.DefaultRateLimit, tim.DefaultRateBurst) }},
		{"unpaced", func() tim.Option { return tim.WithoutRateLimit() }},
	}
	perRound := max(b.N/(len(impls)*rounds), 1)
	type total struct {
		cpu      time.Duration
		switches int64
		calls    int64
	}
	totals := make([]total, len(impls))
	for range rounds {
		for i, impl := range impls {
			client, err := srv.NewClient(impl.limiter())
			if err != nil {
				b.Fatal(err)
			}
			// Warm the connections up and spend the burst, unmeasured.
			var warm sync.WaitGroup
			for range callers {
				warm.Add(1)
				go func() { defer warm.Done(); _, _ = client.RoleOf(context.Background(), group, "owner") }()
			}
			warm.Wait()

			ctx, cancel := context.WithCancel(context.Background())
			var done atomic.Int64
			var wg sync.WaitGroup
			cpu0, sw0 := tim.ProcessUsage()
			for range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ctx.Err() == nil {
						if _, err := client.RoleOf(ctx, group, "owner"); err == nil && done.Add(1) >= int64(perRound) {
							cancel()
						}
					}
				}()
			}
			wg.Wait()
			cpu1, sw1 := tim.ProcessUsage()
			cancel()
			client.Close()
			totals[i].cpu += cpu1 - cpu0
			totals[i].switches += sw1 - sw0
			totals[i].calls += done.Load()
		}
	}
	for i, impl := range impls {
		n := float64(totals[i].calls)
		b.ReportMetric(float64(totals[i].cpu.Microseconds())/n, fmt.Sprintf("%s-cpu-µs/call", impl.name))
		b.ReportMetric(float64(totals[i].switches)/n, fmt.Sprintf("%s-switches/call", impl.name))
	}
	b.ReportMetric(0, "ns/op")
}
