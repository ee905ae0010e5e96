package community_test

import (
	"container/heap"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/timkit/tim"
)

// TestLoadScheduleFloor computes (no server, no clock) the best schedule a
// client under the default limiter can have for the load of
// BenchmarkLoadLatency: 10 listing pages of 20 groups, one round trip
// each, then two member pages per group, the second after the first; every
// member page issued as soon as the limiter (175/s, burst 15) allows and
// its group is known, first pages first. At 150 ms round trips it ends at
// 1.109 × the load's rate-limit bound: the floor BENCHMARKS.md cites.
//
//	go test -run TestLoadScheduleFloor -v ./community
func TestLoadScheduleFloor(t *testing.T) {
	for _, tc := range []struct {
		rtt  time.Duration
		want float64
	}{{20 * time.Millisecond, 0.980}, {50 * time.Millisecond, 1.006}, {150 * time.Millisecond, 1.109}} {
		end := loadFloor(tc.rtt.Seconds(), 200, 20, 2)
		ratio := end / loadBound.Seconds()
		t.Logf("%v: the best schedule ends at %.3f s, %.3f × the bound", tc.rtt, end, ratio)
		assert.InDelta(t, tc.want, ratio, 0.001)
	}
}

// loadFloor is the end of the best schedule of the member pages: see
// TestLoadScheduleFloor.
func loadFloor(rtt float64, groups, perListingPage, pages int) float64 {
	rate, burst := float64(tim.DefaultRateLimit), float64(tim.DefaultRateBurst)
	var known, ready pageQueue // known: by the time a page can start; ready: first pages first
	for g := range groups {
		heap.Push(&known, memberPage{at: float64(g/perListingPage+1) * rtt, page: 1})
	}
	tokens, last, now, end := burst, 0.0, 0.0, 0.0
	for issued := 0; issued < groups*pages; {
		for known.Len() > 0 && known[0].at <= now+1e-12 {
			p := heap.Pop(&known).(memberPage)
			p.at = float64(p.page) // ready pages are ordered by page number
			heap.Push(&ready, p)
		}
		tokens, last = min(burst, tokens+(now-last)*rate), now
		if ready.Len() > 0 && tokens >= 1-1e-9 {
			p := heap.Pop(&ready).(memberPage)
			tokens--
			issued++
			end = max(end, now+rtt)
			if p.page < pages {
				heap.Push(&known, memberPage{at: now + rtt, page: p.page + 1})
			}
			continue
		}
		next := 1e9
		if known.Len() > 0 {
			next = known[0].at
		}
		if ready.Len() > 0 {
			next = min(next, now+(1-tokens)/rate)
		}
		now = max(now, next)
	}
	return end
}

type memberPage struct {
	at   float64
	page int
}

type pageQueue []memberPage

func (q pageQueue) Len() int           { return len(q) }
func (q pageQueue) Less(i, j int) bool { return q[i].at < q[j].at }
func (q pageQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *pageQueue) Push(x any)        { *q = append(*q, x.(memberPage)) }
func (q *pageQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
