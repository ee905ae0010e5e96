package tim_test

// What the benchmarks share: the SDK client they build (newBenchClient),
// the replay server, the hand-written baseline the SDK is measured against,
// and the paired runner. The benchmarks are in bench_test.go and
// bench_load_test.go.

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
	"slices"
	"strconv"
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
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(answer)))
		_, _ = w.Write(answer)
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
		_, _ = io.Copy(io.Discard, r.Body)
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
