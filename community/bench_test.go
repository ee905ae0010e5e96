package community_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

const scaleGroup = "@TGS#_scale"

// seedScale seeds scaleGroup with groups permission groups, each with a
// permission in grants topics and members members (drawn from a pool of 10
// times as many accounts), through the fake's seeding methods (no HTTP).
func seedScale(t testing.TB, srv *timtest.Server, groups, grants, members int) {
	t.Helper()
	require.NoError(t, srv.CreateCommunity(scaleGroup, "owner"))
	pool := accounts("acct", 10*members)
	for _, a := range pool {
		require.NoError(t, srv.AddMember(scaleGroup, a, tim.RoleMember))
	}
	topicIDs := make([]string, 2*grants)
	for i := range topicIDs {
		topicIDs[i] = fmt.Sprintf("%s@TOPIC#_t%03d", scaleGroup, i)
		require.NoError(t, srv.CreateTopic(scaleGroup, topicIDs[i]))
	}
	for i := range groups {
		id := fmt.Sprintf("@PMG#_g%04d", i)
		_, err := srv.CreatePermissionGroup(scaleGroup, timtest.PermissionGroup{ID: id, Name: "Group", Permission: tim.GroupPermSendMessage})
		require.NoError(t, err)
		for j := range grants {
			require.NoError(t, srv.SetTopicPermission(scaleGroup, id, topicIDs[(i+j)%len(topicIDs)], tim.TopicPermSendMessage))
		}
		start := (i * members) % (len(pool) - members)
		require.NoError(t, srv.AddPermissionGroupMembers(scaleGroup, id, pool[start:start+members]...))
	}
}

// loadBound is the rate-limit bound of loading 200 × 20 × 100: the busiest
// command, 400 member pages, at the client's 175 calls a second.
const loadBound = 400 * time.Second / tim.DefaultRateLimit

// TestLoadScaleCalls: 200 permission groups × 20 topic grants × 100
// members load in ⌈200/20⌉ + 200 + 200×⌈100/50⌉ + 2 = 612 calls (the two:
// get_group_info and get_topic).
func TestLoadScaleCalls(t *testing.T) {
	srv, _ := newFake(t)
	client, err := srv.NewClient(tim.WithoutRateLimit())
	require.NoError(t, err)
	defer client.Close()
	seedScale(t, srv, 200, 20, 100)
	snap, err := community.Load(ctxT(t), client, scaleGroup, nil)
	require.NoError(t, err)
	assert.Equal(t, 20000, snap.Memberships())
	assert.Len(t, srv.Requests(), 612)
	assert.Len(t, srv.RequestsFor(tim.CommandGetTopic), 1)
	assert.Len(t, srv.RequestsFor(tim.CommandGetPermissionGroupMemberList), 400)
}

// TestLoadScaleTime (COMMUNITY_SCALE=1): the same load with 20 ms of
// latency and the default limiter ends within 1.2× the rate-limit bound.
func TestLoadScaleTime(t *testing.T) {
	if os.Getenv("COMMUNITY_SCALE") == "" {
		t.Skip("set COMMUNITY_SCALE=1 to time a 200 × 20 × 100 load (about 2.5 s)")
	}
	srv, client := newFake(t, timtest.WithLatency(20*time.Millisecond), timtest.WithoutRecording())
	seedScale(t, srv, 200, 20, 100)
	start := time.Now()
	_, err := community.Load(ctxT(t), client, scaleGroup, nil)
	require.NoError(t, err)
	took := time.Since(start)
	t.Logf("%v, %.2f× the bound of %v", took.Round(time.Millisecond), float64(took)/float64(loadBound), loadBound.Round(time.Millisecond))
	assert.Less(t, float64(took), 1.2*float64(loadBound))
}

// BenchmarkLoad loads 200 × 20 × 100 with 20 ms of latency and the default
// limiter, and reports the time against the rate-limit bound, the calls and
// the live heap per membership.
//
//	go test -run '^$' -bench BenchmarkLoad -benchtime 3x ./community
func BenchmarkLoad(b *testing.B) {
	srv, client := newFake(b, timtest.WithLatency(20*time.Millisecond), timtest.WithoutRecording())
	seedScale(b, srv, 200, 20, 100)
	var calls int
	b.ResetTimer()
	for range b.N {
		_, err := community.Load(ctxT(b), client, scaleGroup, &community.LoadOptions{Progress: func(p community.Progress) { calls = p.Calls }})
		require.NoError(b, err)
	}
	b.StopTimer()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/float64(loadBound), "×bound")
	b.ReportMetric(float64(calls), "calls")
	b.ReportMetric(heapPerMembership(b, client, scaleGroup), "heapB/membership")
}

// diffScale builds a snapshot of 1,000 groups × 100 members (100,000
// memberships) with 10 topics each, and a spec that changes a tenth of the
// members, a topic and a name per group.
func diffScale() (*community.Snapshot, *community.Spec) {
	const g = "@TGS#_big"
	snap := &community.Snapshot{GroupID: g}
	spec := &community.Spec{GroupID: g}
	for i := range 1000 {
		id := fmt.Sprintf("@PMG#_g%04d", i)
		members := make([]string, 100)
		want := make([]string, 100)
		for j := range members {
			members[j] = fmt.Sprintf("acct%06d", i*50+j)
			want[j] = members[j]
			if j%10 == 0 {
				want[j] = fmt.Sprintf("new%06d", i*100+j)
			}
		}
		topics := map[string]tim.TopicPermission{}
		wantTopics := map[string]tim.TopicPermission{}
		for j := range 10 {
			topic := fmt.Sprintf("%s@TOPIC#_t%02d", g, j)
			topics[topic] = tim.TopicPermSendMessage
			wantTopics[topic] = tim.TopicPermSendMessage
		}
		wantTopics[fmt.Sprintf("%s@TOPIC#_t%02d", g, i%10)] = tim.TopicPermAtAll
		snap.PermissionGroups = append(snap.PermissionGroups, community.PermissionGroup{ID: id, Name: "G", Topics: topics, Members: members})
		spec.PermissionGroups = append(spec.PermissionGroups, community.GroupSpec{ID: id, Name: fmt.Sprint("G", i%2), Topics: wantTopics, Members: want})
	}
	return snap, spec
}

// BenchmarkDiff diffs a 100,000-membership community (validation included).
//
//	go test -run '^$' -bench BenchmarkDiff -benchmem ./community
func BenchmarkDiff(b *testing.B) {
	snap, spec := diffScale()
	b.ReportAllocs()
	b.ResetTimer()
	var plan *community.Plan
	for range b.N {
		var err error
		plan, err = community.Diff(snap, spec)
		require.NoError(b, err)
	}
	b.StopTimer()
	s := plan.Summary()
	require.Equal(b, 1000, s.Change)
}

// BenchmarkNewAccess indexes a 100,000-membership snapshot.
func BenchmarkNewAccess(b *testing.B) {
	snap, _ := diffScale()
	b.ReportAllocs()
	for range b.N {
		a := community.NewAccess(snap)
		_ = a.Community("acct000123")
	}
}

// applyScale seeds scaleGroup with 175 permission groups (each with one
// topic grant and one member) and returns a spec that changes every one of
// them with four commands: a new name (modify_permission_group), the
// granted topic's value (set_topic_permission_group), a second topic
// (add_topic_permission_group) and a second member
// (add_permission_group_member): 700 calls, 175 of each command.
func applyScale(t testing.TB, srv *timtest.Server) *community.Spec {
	t.Helper()
	const groups = 175
	seedScale(t, srv, groups, 1, 1)
	spec := &community.Spec{GroupID: scaleGroup}
	for i := range groups {
		id := fmt.Sprintf("@PMG#_g%04d", i)
		g := community.GroupSpec{ID: id, Name: "Renamed", Permission: tim.GroupPermSendMessage,
			Topics: map[string]tim.TopicPermission{
				fmt.Sprintf("%s@TOPIC#_t%03d", scaleGroup, i%2):     tim.TopicPermAtAll,       // the granted one, set
				fmt.Sprintf("%s@TOPIC#_t%03d", scaleGroup, (i+1)%2): tim.TopicPermSendMessage, // added
			},
		}
		members, err := srv.PermissionGroupMembers(scaleGroup, id)
		require.NoError(t, err)
		for _, a := range accounts("acct", 10) {
			if !slices.Contains(members, a) {
				g.Members = append(members, a)
				break
			}
		}
		spec.PermissionGroups = append(spec.PermissionGroups, g)
	}
	return spec
}

// applyBound is the rate-limit bound of applying the 700-call plan: the
// busiest command's 175 calls, less the burst, at the client's rate.
const applyBound = (175 - tim.DefaultRateBurst) * time.Second / tim.DefaultRateLimit

// BenchmarkApply applies a 700-call plan over 4 commands (applyScale) with
// the default limiter, at 20 ms and 50 ms of latency, with the default
// concurrency and, for comparison, the previous default (8) and 32, and
// reports the time against the rate-limit bound. Each round seeds a fresh
// fake (not timed).
//
//	go test -run '^$' -bench BenchmarkApply -benchtime 3x ./community
func BenchmarkApply(b *testing.B) {
	for _, latency := range []time.Duration{20 * time.Millisecond, 50 * time.Millisecond} {
		for _, concurrency := range []int{0, 8, 32} {
			b.Run(fmt.Sprintf("latency=%v/concurrency=%s", latency, orDefault(concurrency)), func(b *testing.B) {
				againstBound(b, applyBound, func() func() {
					srv, client := newFake(b, timtest.WithLatency(latency), timtest.WithoutRecording())
					spec := applyScale(b, srv)
					snap, err := community.Load(ctxT(b), client, scaleGroup, nil)
					require.NoError(b, err)
					plan, err := community.Diff(snap, spec)
					require.NoError(b, err)
					require.Equal(b, 700, plan.Summary().Calls)
					return func() {
						res, err := community.Apply(ctxT(b), client, plan, &community.ApplyOptions{Concurrency: concurrency})
						require.NoError(b, err)
						require.Equal(b, 700, res.Calls)
					}
				})
			})
		}
	}
}

// againstBound times b.N runs, each prepared by prepare (not timed) after
// the limiter's bucket has had a second to refill, and reports their mean
// time against bound.
func againstBound(b *testing.B, bound time.Duration, prepare func() (run func())) {
	var total time.Duration
	for range b.N {
		b.StopTimer()
		run := prepare()
		time.Sleep(time.Second) // the limiter's bucket refills
		b.StartTimer()
		start := time.Now()
		run()
		total += time.Since(start)
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(bound), "×bound")
}

func orDefault(n int) string {
	if n == 0 {
		return "default"
	}
	return fmt.Sprint(n)
}

// BenchmarkLoadLatency loads 200 × 20 × 100 at 20, 50 and 150 ms of
// latency, with the default concurrency and the previous default (32),
// against the load's rate-limit bound (400 member pages at 175/s).
//
//	go test -run '^$' -bench BenchmarkLoadLatency -benchtime 3x ./community
func BenchmarkLoadLatency(b *testing.B) {
	for _, latency := range []time.Duration{20 * time.Millisecond, 50 * time.Millisecond, 150 * time.Millisecond} {
		srv, client := newFake(b, timtest.WithLatency(latency), timtest.WithoutRecording())
		seedScale(b, srv, 200, 20, 100)
		for _, concurrency := range []int{0, 32} {
			b.Run(fmt.Sprintf("latency=%v/concurrency=%s", latency, orDefault(concurrency)), func(b *testing.B) {
				againstBound(b, loadBound, func() func() {
					return func() {
						_, err := community.Load(ctxT(b), client, scaleGroup, &community.LoadOptions{Concurrency: concurrency})
						require.NoError(b, err)
					}
				})
			})
		}
	}
}

// TestApplyScaleCalls: the 700-call plan of BenchmarkApply is 175 calls of
// each of four commands, and Apply makes exactly those.
func TestApplyScaleCalls(t *testing.T) {
	srv, _ := newFake(t)
	client, err := srv.NewClient(tim.WithoutRateLimit())
	require.NoError(t, err)
	defer client.Close()
	spec := applyScale(t, srv)
	snap, err := community.Load(ctxT(t), client, scaleGroup, nil)
	require.NoError(t, err)
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)
	require.Equal(t, 700, plan.Summary().Calls)
	srv.ResetRequests()
	_, err = community.Apply(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	for _, c := range []string{tim.CommandModifyPermissionGroup, tim.CommandSetTopicPermissionGroup, tim.CommandAddTopicPermissionGroup, tim.CommandAddPermissionGroupMember} {
		assert.Len(t, srv.RequestsFor(c), 175, c)
	}
	assert.Len(t, srv.Requests(), 700)
}
