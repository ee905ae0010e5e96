package tim_test

// Benchmarks of the SDK against a hand-written net/http + encoding/json
// baseline, on loopback. BENCHMARKS.md has the goals, the commands and one
// run's figures. Every SDK client here is built by newBenchClient.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// The app every benchmark client acts for: the fake's defaults, so that the
// same client works against the fake and against a replay server.
const (
	benchAppID = timtest.DefaultSDKAppID
	benchAdmin = timtest.DefaultAdmin
	benchKey   = timtest.DefaultSecretKey
)

// The request and answer of get_role_in_group's seed page (seeds/001), the
// answer with its comments removed.
const seedRoleGroup = "@TGS#2C5SZEAEF"

var (
	seedRoleAccounts = []string{"leckie", "peter", "wesley"}
	seedRoleAnswer   = []byte(`{"ActionStatus": "OK","ErrorInfo": "","ErrorCode": 0,"UserIdList": [` +
		`{"Member_Account": "leckie","Role": "Owner"},{"Member_Account": "peter","Role": "Member"},` +
		`{"Member_Account": "wesley","Role": "NotMember"}]}`)
)

// newBenchClient builds every SDK client of these benchmarks, so that an
// option they all need is added in one place. signer nil means the default
// signer: a KeySigner made by WithSecretKey. The client-side rate limiter is
// off: the benchmarks measure the SDK's own cost, which the service's 200
// calls per second would otherwise hide (10,000 calls would take 50 s).
func newBenchClient(b testing.TB, baseURL string, signer tim.UserSigner, opts ...tim.Option) *tim.Client {
	b.Helper()
	all := []tim.Option{tim.WithBaseURL(baseURL), tim.WithoutRateLimit()}
	if signer == nil {
		all = append(all, tim.WithSecretKey(benchKey))
	} else {
		all = append(all, tim.WithUserSigner(signer))
	}
	c, err := tim.NewClient(benchAppID, benchAdmin, append(all, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// replayServer answers every request with the same body, and counts the
// requests and the connections it accepts.
type replayServer struct {
	*httptest.Server
	requests atomic.Int64
	conns    atomic.Int64 // connections opened (http.StateNew)
}

func newReplayServer(b testing.TB, answer []byte) *replayServer {
	b.Helper()
	rs := &replayServer{}
	rs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.requests.Add(1)
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(answer)))
		w.Write(answer)
	}))
	rs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			rs.conns.Add(1)
		}
	}
	rs.Start()
	b.Cleanup(rs.Close)
	return rs
}

// tunedTransport is the baseline's transport, and the one a benchmark hands
// the SDK when it gives it one: http.DefaultTransport's settings with the
// SDK default transport's pool (MaxIdleConns 256, 128 idle per host, no cap
// on busy ones: the SDK caps the requests in flight per command itself, at
// tim.DefaultMaxInFlight, and the baseline's callers are as many).
func tunedTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 4 * tim.DefaultMaxInFlight
	t.MaxIdleConnsPerHost = 2 * tim.DefaultMaxInFlight
	t.MaxConnsPerHost = 0
	return t
}

// baseline is the floor the SDK is measured against: a hand-written call
// with net/http and encoding/json that builds the signed URL (with a UserSig
// made once, before the clock starts: it signs nothing per call) and a fresh
// random, marshals the body, POSTs it, checks the status, reads the body and
// decodes the envelope and the list. It has no per-call timeout.
type baseline struct {
	hc       *http.Client
	endpoint string // base URL + "/v4/group_open_http_svc/"
	query    string // "?sdkappid=…&identifier=…&usersig=…"
}

func newBaseline(b testing.TB, baseURL string) *baseline {
	b.Helper()
	sig := benchUserSig(b)
	return &baseline{
		hc:       &http.Client{Transport: tunedTransport()},
		endpoint: baseURL + "/v4/group_open_http_svc/",
		query: "?sdkappid=" + strconv.FormatUint(benchAppID, 10) + "&identifier=" + url.QueryEscape(benchAdmin) +
			"&usersig=" + url.QueryEscape(sig),
	}
}

type baselineRoleRequest struct {
	GroupID  string   `json:"GroupId"`
	Accounts []string `json:"User_Account"`
}

type baselineRoleAnswer struct {
	ActionStatus string `json:"ActionStatus"`
	ErrorCode    int    `json:"ErrorCode"`
	ErrorInfo    string `json:"ErrorInfo"`
	UserIDList   []struct {
		Account string `json:"Member_Account"`
		Role    string `json:"Role"`
	} `json:"UserIdList"`
}

func (bl *baseline) getRoleInGroup(ctx context.Context, groupID string, accounts []string) ([]tim.MemberRole, error) {
	body, err := json.Marshal(baselineRoleRequest{GroupID: groupID, Accounts: accounts})
	if err != nil {
		return nil, err
	}
	u := bl.endpoint + "get_role_in_group" + bl.query +
		"&random=" + strconv.FormatUint(uint64(rand.Uint32()), 10) + "&contenttype=json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := bl.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return decodeBaselineRoles(data)
}

// decodeBaselineRoles is the baseline's decoding: the envelope and the list.
func decodeBaselineRoles(data []byte) ([]tim.MemberRole, error) {
	var out baselineRoleAnswer
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	if out.ActionStatus != "OK" || out.ErrorCode != 0 {
		return nil, fmt.Errorf("error %d: %s", out.ErrorCode, out.ErrorInfo)
	}
	roles := make([]tim.MemberRole, len(out.UserIDList))
	for i, u := range out.UserIDList {
		roles[i] = tim.MemberRole{Account: u.Account, Role: tim.Role(u.Role)}
	}
	return roles, nil
}

// paired runs base and sdk alternately, b.N times each (one op is one of
// each), swapping which goes first every op. It reports the mean time of a
// unit of each (base-ns/unit, sdk-ns/unit) and their ratio (sdk/base), and
// the ratio of the median times (sdk/base-p50). Alternating makes both sides
// share the same moments of a noisy machine; the median ratio keeps a stall
// of the machine in one unit from deciding it, the mean ratio counts what
// strikes only some units (a garbage collection, say).
func paired(b *testing.B, base, sdk func() error) {
	b.Helper()
	tBase := make([]time.Duration, 0, b.N)
	tSDK := make([]time.Duration, 0, b.N)
	timed := func(f func() error, times *[]time.Duration) {
		start := time.Now()
		err := f()
		*times = append(*times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			timed(base, &tBase)
			timed(sdk, &tSDK)
		} else {
			timed(sdk, &tSDK)
			timed(base, &tBase)
		}
	}
	b.StopTimer()
	sumBase, sumSDK := sum(tBase), sum(tSDK)
	b.ReportMetric(float64(sumBase.Nanoseconds())/float64(b.N), "base-ns/unit")
	b.ReportMetric(float64(sumSDK.Nanoseconds())/float64(b.N), "sdk-ns/unit")
	b.ReportMetric(float64(sumSDK)/float64(sumBase), "sdk/base")
	b.ReportMetric(float64(median(tSDK))/float64(median(tBase)), "sdk/base-p50")
}

// sum returns the total of d.
func sum(d []time.Duration) time.Duration {
	var total time.Duration
	for _, x := range d {
		total += x
	}
	return total
}

// median returns the median of d, which it sorts.
func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	if n := len(d); n%2 == 0 {
		return (d[n/2-1] + d[n/2]) / 2
	}
	return d[len(d)/2]
}

// seedCalls returns a baseline call and an SDK call of the seed's request
// (get_role_in_group for three accounts), each checking the seed's answer.
func seedCalls(bl *baseline, c *tim.Client) (base, sdk func() error) {
	ctx := context.Background()
	base = func() error {
		roles, err := bl.getRoleInGroup(ctx, seedRoleGroup, seedRoleAccounts)
		return checkSeedRoles(roles, err)
	}
	sdk = func() error {
		roles, err := c.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: seedRoleGroup, Accounts: seedRoleAccounts})
		return checkSeedRoles(roles, err)
	}
	return base, sdk
}

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

// getRoleInGroupResty is the baseline's call sent through resty, built on a
// plain *http.Client with the baseline's transport (resty.NewWithClient, no
// cookie jar), the way the SDK used it before it built its requests itself:
// what resty's request pipeline alone adds to a call.
func (bl *baseline) getRoleInGroupResty(ctx context.Context, rc *resty.Client, groupID string, accounts []string) ([]tim.MemberRole, error) {
	body, err := json.Marshal(baselineRoleRequest{GroupID: groupID, Accounts: accounts})
	if err != nil {
		return nil, err
	}
	u := bl.endpoint + "get_role_in_group" + bl.query +
		"&random=" + strconv.FormatUint(uint64(rand.Uint32()), 10) + "&contenttype=json"
	resp, err := rc.R().SetContext(ctx).SetBody(body).SetDoNotParseResponse(true).Post(u)
	if err != nil {
		return nil, err
	}
	raw := resp.RawBody()
	defer raw.Close()
	if resp.StatusCode() != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode())
	}
	data, err := io.ReadAll(raw)
	if err != nil {
		return nil, err
	}
	return decodeBaselineRoles(data)
}

// cannedTransport answers every request with the seed's answer in memory:
// no network and no server, so what a call costs is the client's own work.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(seedRoleAnswer)),
		ContentLength: int64(len(seedRoleAnswer)),
		Request:       r,
	}, nil
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

// checkSeedRoles reports an error unless roles is the seed's answer.
func checkSeedRoles(roles []tim.MemberRole, err error) error {
	if err != nil {
		return err
	}
	if len(roles) != 3 || roles[0].Role != tim.RoleOwner || roles[2].Role != tim.RoleNotMember {
		return fmt.Errorf("unexpected answer %v", roles)
	}
	return nil
}

// benchUserSig makes a UserSig for the bench app, before any clock starts.
func benchUserSig(b testing.TB) string {
	b.Helper()
	sig, err := tim.GenerateUserSig(benchAppID, benchKey, benchAdmin, time.Now(), tim.DefaultUserSigValidity)
	if err != nil {
		b.Fatal(err)
	}
	return sig
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
// usersig_test.go): the default signer's cached answer from 2 goroutines per
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
