package redisrate_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/redisrate"
	"github.com/timkit/tim/timtest"
)

// limiters returns the two limiters the benchmarks compare, both with a
// rate so high that no call waits: what is measured is what asking costs.
// The Redis one skips without a Redis.
func limiters(b *testing.B) []struct {
	name string
	l    func(b *testing.B) tim.RateLimiter
} {
	return []struct {
		name string
		l    func(b *testing.B) tim.RateLimiter
	}{
		{"local", func(b *testing.B) tim.RateLimiter {
			l, err := tim.NewRateLimiter(1e9, 1e6)
			require.NoError(b, err)
			return l
		}},
		{"redis", func(b *testing.B) tim.RateLimiter {
			rdb := sharedRedis(b)
			l, err := redisrate.New(rdb, appID, redisrate.WithKeyPrefix(uniquePrefix(b, rdb)), redisrate.WithRate(1e9, 1e6))
			require.NoError(b, err)
			require.NoError(b, l.Wait(context.Background(), command)) // loads the script
			return l
		}},
	}
}

// BenchmarkWait is the latency a limiter adds to each call it lets go at
// once: for Redis, one EVALSHA round trip on loopback.
func BenchmarkWait(b *testing.B) {
	ctx := context.Background()
	for _, tc := range limiters(b) {
		b.Run("limiter="+tc.name, func(b *testing.B) {
			l := tc.l(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := l.Wait(ctx, command); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCall is a whole get_role_in_group call against the fake with
// each limiter, to set the limiter's cost beside a call's.
func BenchmarkCall(b *testing.B) {
	ctx := context.Background()
	for _, tc := range limiters(b) {
		b.Run("limiter="+tc.name, func(b *testing.B) {
			srv := fake(b, timtest.WithoutRecording())
			client, err := srv.NewClient(tim.WithRateLimiter(tc.l(b)))
			require.NoError(b, err)
			accounts := []string{"owner"}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: community, Accounts: accounts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
