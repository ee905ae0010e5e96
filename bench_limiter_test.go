//go:build unix

package tim

// The rate limiter while callers queue (issue 17, item 10): what a granted
// turn costs the process, for the bucket in use and the one before it
// (oldBucket), measured side by side in one run:
//
//	go test -run '^$' -bench LimiterQueue -benchtime 1400x .

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// processUsage is the CPU time this process has used and the context
// switches its threads have made (voluntary and not): each switch is a
// thread put to sleep or woken.
func processUsage() (cpu time.Duration, switches int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Nvcsw + ru.Nivcsw
}

// waitFunc is a bucket's wait.
type waitFunc func(ctx context.Context, command string) error

// limiterImpls are the two buckets, each made fresh for a round with the
// default rate and burst.
var limiterImpls = []struct {
	name string
	make func() waitFunc
}{
	{"before", func() waitFunc {
		return (&oldBucket{rate: DefaultRateLimit, burst: DefaultRateBurst, tokens: DefaultRateBurst}).wait
	}},
	{"after", func() waitFunc {
		return (&bucket{rate: DefaultRateLimit, burst: DefaultRateBurst, tokens: DefaultRateBurst, clock: realClock{}}).wait
	}},
}

// queueRound has waiters goroutines take turns at wait until turns have
// been granted, and returns how many were, and what the process spent
// meanwhile. The burst is spent before the clock starts, so every turn
// measured waited in the queue.
func queueRound(wait waitFunc, waiters, turns int) (granted int, cpu time.Duration, switches int64, took time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range DefaultRateBurst {
		_ = wait(ctx, CommandGetRoleInGroup)
	}
	var given atomic.Int64
	var wg sync.WaitGroup
	cpu0, sw0 := processUsage()
	start := time.Now()
	for range waiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for wait(ctx, CommandGetRoleInGroup) == nil {
				if given.Add(1) >= int64(turns) {
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	took = time.Since(start)
	cpu1, sw1 := processUsage()
	return int(given.Load()), cpu1 - cpu0, sw1 - sw0, took
}

// BenchmarkLimiterQueue has 64 callers queue at one command's bucket at the
// default rate (175/s) and reports, per granted turn, the CPU time and the
// thread context switches of the process, for the bucket before issue 17
// and after it. b.N turns are split evenly between the two, in rounds that
// alternate, so both live through the same moments of a shared machine.
// Use -benchtime Nx: at 175 turns a second, 1400x takes 8 s.
func BenchmarkLimiterQueue(b *testing.B) {
	const waiters, rounds = 64, 4
	turns := max(b.N/(2*rounds), 1)
	type total struct {
		cpu      time.Duration
		switches int64
		took     time.Duration
		turns    int
	}
	totals := make([]total, len(limiterImpls))
	for range rounds {
		for i, impl := range limiterImpls {
			n, cpu, sw, took := queueRound(impl.make(), waiters, turns)
			totals[i].cpu += cpu
			totals[i].switches += sw
			totals[i].took += took
			totals[i].turns += n
		}
	}
	for i, impl := range limiterImpls {
		t := totals[i]
		n := float64(t.turns)
		b.ReportMetric(float64(t.cpu.Microseconds())/n, fmt.Sprintf("%s-cpu-µs/turn", impl.name))
		b.ReportMetric(float64(t.switches)/n, fmt.Sprintf("%s-switches/turn", impl.name))
		b.ReportMetric(n/t.took.Seconds(), fmt.Sprintf("%s-turns/s", impl.name))
	}
	b.ReportMetric(0, "ns/op")
}
