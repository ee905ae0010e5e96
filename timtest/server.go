// Package timtest runs an in-memory fake of the Tencent Cloud Chat REST API
// on loopback, for tests and examples that must not reach the real service.
//
// The fake keeps communities (and other group types), members with roles,
// topics, permission groups and their topic permissions and members. It
// checks every request as the service does: the signed query (sdkappid,
// identifier, a UserSig it verifies with its secret key, random,
// contenttype=json), that the identifier is an app admin, the JSON body and
// the documented limits, and answers with the service's envelope and error
// codes, per-item codes inside lists, and stable pagination cursors. It
// records every request for assertions, can enforce the service's rate limit
// ([WithRateLimit]) and fail on purpose ([Server.FailNext]: error codes, 502
// pages, delays, truncated or non-JSON bodies, dropped connections). It is
// safe for concurrent use.
//
// It serves every command the SDK calls ([tim.Commands]), each under its
// service (the topic commands but import_topic under
// million_group_open_http_svc, the rest under group_open_http_svc; a
// command under the other service answers 10003, an unknown service 60002):
// the permission-group family (get, create, modify and
// destroy_permission_group; get, add, set and delete_topic_permission_group;
// add, delete and get_permission_group_member(_list)), get_role_in_group,
// the topics (create, get, modify, destroy and import_topic), the members
// (get_group_member_info, get_specified_group_member_info, add, delete,
// import_group_member, modify_group_member_info) and a group's profile
// (get_group_info, modify_group_base_info). Destroying a topic takes its
// permissions out of every permission group, and a member who leaves leaves
// its permission groups: both inferred, as the docs do not say. After a
// change the service documents a callback for, the fake hands the
// documented callback to its sender.
// Where the docs leave an answer's shape or a code open, the fake's choice is
// written on the handler: add_permission_group_member answers
// {Member_Account, Result} items, Result being an error code, and 10019 for
// an account outside the community; delete_permission_group_member the
// envelope alone; a custom permission-group ID in use 10021; member-list
// items the member's profile under get_group_member_info's names;
// get_group_info a community's EnablePermission and DefaultPermission
// ([Server.SetPermissionDefaults]). As the error-code table says, a UserSig
// made with another key answers 70009, a body that is not JSON 60003 and
// JSON of the wrong shape 10011.
//
//	srv := timtest.NewServer()
//	defer srv.Close()
//	srv.CreateCommunity("@TGS#_demo", "owner")
//	client, _ := srv.NewClient()
//	roles, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: "@TGS#_demo", Accounts: []string{"owner"}})
//
// State can also come from a seed file ([Server.LoadSeed], [Seed]), the
// format the timfake command reads with --seed. timfake
// (github.com/timkit/tim/cmd/timfake) runs this fake as a process, for
// integration tests in any language: it listens with [Listen] and turns on
// the control endpoint ([WithControlEndpoint]) to inject faults over HTTP.
//
// With [WithCallback] the fake also sends the service's third-party
// callbacks, signed, to an app's callback URL after the REST calls that
// cause them, so that a [github.com/timkit/tim/callback.Handler] is tested
// end to end.
package timtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/timkit/tim"
)

// Defaults of a [Server] built without options.
const (
	DefaultSDKAppID  uint64 = 1400000000
	DefaultAdmin            = "administrator"
	DefaultSecretKey        = "timtest-fake-secret-key-not-a-real-one"
)

// Server is a running fake. Create it with [NewServer] and stop it with
// [Server.Close].
type Server struct {
	sdkAppID    uint64
	admins      []string
	secretKey   func() string // a closure, so printing a Server cannot show the key
	now         func() time.Time
	communities bool
	ratePerSec  int
	latency     time.Duration
	memberLimit int
	closed      chan struct{} // closed by Close
	closeOnce   sync.Once
	record      bool
	control     bool // serve /_timfake/ (WithControlEndpoint)

	// url and stop are all that is kept of the httptest.Server: its
	// connections' buffers hold the signed URLs the fake received, which a
	// reflection-based printer of the Server must not reach.
	url  string
	stop func()

	cb     *callbacks // nil unless WithCallback
	cbOpts callbackOptions

	mu           sync.Mutex
	groups       map[string]*group
	pgSerial     uint64
	memberSerial uint64
	topicSerial  uint64
	operator     string // the identifier of the request being served (see answer)
	requests     []Request
	windows      map[string]*rateWindow
	faults       map[string][]Fault
}

// Option configures a [Server].
type Option func(*Server)

// WithSDKAppID sets the app ID the fake answers for (default [DefaultSDKAppID]).
func WithSDKAppID(id uint64) Option { return func(s *Server) { s.sdkAppID = id } }

// WithSecretKey sets the key the fake verifies UserSigs with (default [DefaultSecretKey]).
func WithSecretKey(key string) Option {
	return func(s *Server) { s.secretKey = func() string { return key } }
}

// WithAdmins sets the app admin accounts (default [DefaultAdmin]); the first
// is the one [Server.NewClient] acts as. Other identifiers get 60010. With no
// IDs the default stays.
func WithAdmins(ids ...string) Option {
	return func(s *Server) {
		if len(ids) > 0 {
			s.admins = slices.Clone(ids)
		}
	}
}

// WithoutCommunitySupport makes the app one without community support: the
// permission-group endpoints answer 11000.
func WithoutCommunitySupport() Option { return func(s *Server) { s.communities = false } }

// WithRateLimit answers 60007 to calls of a command past n in one second,
// as the service does past 200. Off (0) by default. The fake counts in
// whole seconds of its clock (a fixed window), so calls that straddle a
// second's boundary can pass where a sliding window would refuse them; to
// assert a sliding-window bound, read the arrival times of
// [Server.Requests].
func WithRateLimit(n int) Option { return func(s *Server) { s.ratePerSec = n } }

// WithPermissionGroupMemberLimit caps the members of each permission group:
// add_permission_group_member fails with 110012 for each account past n.
// Seeding with [Server.AddPermissionGroupMembers] is not capped. No cap by
// default.
func WithPermissionGroupMemberLimit(n int) Option { return func(s *Server) { s.memberLimit = n } }

// WithLatency delays every answer by d, to model a network round trip.
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// WithClock sets the clock UserSigs are checked against (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithoutRecording stops the fake from keeping requests (for long benchmarks).
func WithoutRecording() Option { return func(s *Server) { s.record = false } }

// WithControlEndpoint serves a small control API under /_timfake/, for
// tests that drive the fake from another process or language (the timfake
// command turns it on). Bodies are JSON, and a body with an unknown field is
// refused:
//
//	POST /_timfake/fail_next  {"command": "get_role_in_group", "n": 1, "fault": {"code": 10002}}
//	                          queues faults as [Server.FailNext] does; n defaults to 1; the
//	                          fault's fields are those of [Fault] in snake_case: code, info,
//	                          status, delay_ms, truncate, not_json, drop, after_apply, pass
//	GET  /_timfake/requests   the recorded requests, oldest first, usersig redacted;
//	                          ?command=get_role_in_group keeps one command's
//	POST /_timfake/reset      forgets the recorded requests, the queued faults and the
//	                          rate-limit counts; the groups stay
//	POST /_timfake/seed       adds the state of a seed file in the body ([Server.LoadSeed])
//	POST /_timfake/add_to_community  {"group_id": "@TGS#_demo", "topics": ["@TGS#_demo@TOPIC#_news"],
//	                          "members": {"amy": "Admin"}} adds topics and members to a community
//	                          the fake has, all or nothing
//
// Each answers 200 {"ok": true}, GET /_timfake/requests with
// {"ok": true, "requests": [...]}; a refused request answers 400 (404 for an
// unknown path, 405 for a wrong method, 415 for a POST whose Content-Type is
// not application/json, 403 as below) with {"ok": false, "error": "..."}. A
// refused request changes nothing: a seed is applied whole or not at all.
// Control requests are not recorded and do not wait for [WithLatency]. At
// most 100000 faults wait in the queues of all commands together.
//
// The endpoint has no authentication: anyone who can send it a request can
// read what the fake received and change what it answers. So that a web
// page open on the same machine cannot, it answers 403 to a request with an
// Origin header and to one whose Host is not localhost or a loopback IP (a
// DNS-rebinding page sends its own name), and takes POSTs only with
// Content-Type: application/json, which a page cannot send another origin
// without a CORS preflight. A fake reached through another name (a
// container's, say) must be driven from its own host. The endpoint is off by
// default, and then /_timfake/ paths answer as the service answers an
// unknown path. Its paths are outside /v4/, so no REST command reaches it: a
// command named "_timfake" answers 10003 as any unknown command does.
func WithControlEndpoint() Option { return func(s *Server) { s.control = true } }

// NewServer starts a fake on a loopback port. It panics if it cannot
// listen, as [httptest.NewServer] does; [Listen] returns the error instead.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	hs := httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.url, s.stop = hs.URL, hs.Close
	return s
}

// Listen starts a fake on addr ("host:port", as for [net.Listen]; port 0
// picks a free one), for a fake other processes call, such as the timfake
// command. It returns the error of an address that is malformed or in use.
//
// [Server.URL] names the address it listens on, with 127.0.0.1 in place of
// an unspecified IP (":8080", "0.0.0.0:8080"; [::1] for "[::]:8080"). The
// fake serves plain HTTP, which the SDK accepts only on loopback; clients on
// other hosts must use a name of this machine instead.
func Listen(addr string, opts ...Option) (*Server, error) {
	l, err := new(net.ListenConfig).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("timtest: %w", err)
	}
	s := newServer(opts)
	hs := httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	hs.Listener.Close() // the loopback listener NewUnstartedServer opened
	hs.Listener = l
	hs.Start()
	s.url, s.stop = "http://"+dialableAddr(addr, l.Addr()), hs.Close
	return s, nil
}

// dialableAddr returns the address a listener on addr got as clients on
// this host dial it: an unspecified IP becomes 127.0.0.1, or [::1] when addr
// named the IPv6 one ("[::]:8080").
func dialableAddr(addr string, got net.Addr) string {
	tcp, ok := got.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return got.String()
	}
	loopback := "127.0.0.1"
	if host, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
			loopback = "::1"
		}
	}
	return net.JoinHostPort(loopback, strconv.Itoa(tcp.Port))
}

// newServer builds a Server, not yet listening, from the defaults and opts.
func newServer(opts []Option) *Server {
	s := &Server{
		closed:      make(chan struct{}),
		sdkAppID:    DefaultSDKAppID,
		admins:      []string{DefaultAdmin},
		secretKey:   func() string { return DefaultSecretKey },
		now:         time.Now,
		communities: true,
		record:      true,
		groups:      map[string]*group{},
		windows:     map[string]*rateWindow{},
		faults:      map[string][]Fault{},
	}
	for _, o := range opts {
		o(s)
	}
	s.startCallbacks()
	return s
}

// URL returns the fake's base URL, for [tim.WithBaseURL].
func (s *Server) URL() string { return s.url }

// Close shuts the fake down and waits for its connections to end. Callbacks
// not yet delivered are dropped ([Server.WaitCallbacks] first to keep them).
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) }) // ends every Delay and latency wait
	s.stopCallbacks()
	s.stop()
}

// SDKAppID returns the app ID the fake answers for.
func (s *Server) SDKAppID() uint64 { return s.sdkAppID }

// Admin returns the first admin account.
func (s *Server) Admin() string { return s.admins[0] }

// SecretKey returns the key the fake verifies UserSigs with.
func (s *Server) SecretKey() string { return s.secretKey() }

// FastRetries returns the retry policy [Server.NewClient] gives its
// clients: the default attempts, with backoffs of milliseconds instead of up
// to seconds, so that a test of retried failures stays fast.
func FastRetries() tim.RetryPolicy {
	return tim.RetryPolicy{BaseDelay: time.Millisecond, RateLimitDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond}
}

// NewClient returns a [tim.Client] for the fake: its app, first admin, secret
// key and URL, and [FastRetries], followed by opts (which may override
// any of them, tim.WithRetryPolicy(tim.DefaultRetryPolicy()) say).
func (s *Server) NewClient(opts ...tim.Option) (*tim.Client, error) {
	all := append([]tim.Option{tim.WithBaseURL(s.URL()), tim.WithSecretKey(s.secretKey()), tim.WithRetryPolicy(FastRetries())}, opts...)
	return tim.NewClient(s.sdkAppID, s.Admin(), all...)
}

// String describes the fake without its key.
func (s *Server) String() string {
	if s == nil {
		return "timtest.Server(nil)"
	}
	return fmt.Sprintf("timtest.Server{URL: %q, SDKAppID: %d}", s.url, s.sdkAppID)
}

// Format prints [Server.String] for every verb.
func (s *Server) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// Request is one request the fake received.
type Request struct {
	// Command is the REST command, e.g. "get_role_in_group" ("" if the path had none).
	Command string
	// Path is the URL path.
	Path string
	// Query is the URL query as received, except that usersig is replaced by
	// "[redacted]"; see UserSigValid.
	Query url.Values
	// UserSigValid reports whether the usersig verified for the identifier.
	UserSigValid bool
	// Header holds the request's headers.
	Header http.Header
	// Body is the request body.
	Body []byte
	// ErrorCode is the code of the envelope the fake answered (0 for
	// success). For a fault that answers no envelope (Status, NotJSON,
	// Drop) it is the code the command produced when AfterApply ran it, and
	// 0 when the command did not run.
	ErrorCode tim.ErrorCode
	// Fault is the fault served instead of the normal answer, or nil.
	Fault *Fault
	// Unanswered reports that the fake sent no answer: the client went
	// away (or the fake closed) during [WithLatency] or a Fault's Delay.
	// The command did not run, unless the Fault set AfterApply.
	Unanswered bool
	// Time is when the fake received the request, by its clock ([WithClock]).
	Time time.Time
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// RequestsFor returns the requests received for command, oldest first.
func (s *Server) RequestsFor(command string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Command == command {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// rateWindow counts one command's calls in the current second.
type rateWindow struct {
	second  int64
	calls   int
	alerted bool // Alert.RequestOverLimit sent for this second
}

// allow counts a call of command and reports whether it is within the rate.
// The caller holds s.mu.
func (s *Server) allow(command string, now time.Time) bool {
	if s.ratePerSec <= 0 {
		return true
	}
	w := s.windows[command]
	if w == nil {
		w = &rateWindow{}
		s.windows[command] = w
	}
	if sec := now.Unix(); sec != w.second {
		w.second, w.calls, w.alerted = sec, 0, false
	}
	w.calls++
	s.alertOverLimit(command, w)
	return w.calls <= s.ratePerSec
}

// Fault is a failure the fake serves instead of a normal answer, to test
// how code handles the service's and the network's failures. Set one kind
// (Code, Status, Truncate, NotJSON or Drop), a Delay, or a Delay and one
// kind; [Server.FailNext] refuses a Fault that sets none or several. Pass
// is a kind of its own: a normal answer that takes a place in the queue.
//
// Unless AfterApply is set the command is not run: the fault replaces it,
// and the fake's state does not change.
type Fault struct {
	// Code and Info answer HTTP 200 with the envelope ActionStatus "FAIL",
	// ErrorCode Code and ErrorInfo Info (default "injected by timtest").
	Code tim.ErrorCode
	Info string

	// Status answers with this HTTP status (300 to 599, e.g.
	// http.StatusBadGateway) and a small HTML page, as a proxy or load
	// balancer in front of the service does.
	Status int

	// Delay waits this long before answering (or before the fault). If the
	// client gives up first (it closes the connection or its context ends),
	// the fake stops waiting and answers nothing. A Delay alone delays a
	// normal answer.
	Delay time.Duration

	// Truncate answers HTTP 200 with the first half of the JSON answer: a
	// body that ends in the middle, with a Content-Length that matches it.
	Truncate bool

	// NotJSON answers HTTP 200 with an HTML page instead of JSON.
	NotJSON bool

	// Drop closes the connection without answering, as a crashed server or
	// a cut network path does. The client sees the connection end.
	Drop bool

	// AfterApply runs the command first, keeping its effect on the fake's
	// state, and then serves the fault instead of its answer: the request
	// was applied but the caller cannot know. With Drop it models a lost
	// response, the case where sending a create again would create twice.
	// With Delay the wait comes after the command ran: an answer slower
	// than the client's timeout, for a change that was made.
	AfterApply bool

	// Pass answers normally: a place in the queue of faults that lets one
	// call through, so that a later call can be the one to fail:
	//
	//	srv.FailNext(tim.CommandDestroyPermissionGroup, 1, timtest.Fault{Pass: true})
	//	srv.FailNext(tim.CommandDestroyPermissionGroup, 1, timtest.Fault{Code: tim.ErrInternal})
	//	// the first request of a split destroy succeeds, the second fails
	Pass bool
}

// kinds counts the kinds of failure f sets.
func (f *Fault) kinds() int {
	n := 0
	for _, set := range []bool{f.Code != 0, f.Status != 0, f.Truncate, f.NotJSON, f.Drop, f.Pass} {
		if set {
			n++
		}
	}
	return n
}

// FailNext serves f instead of the normal answer to the next n calls of
// command (one of [tim.Commands], e.g. [tim.CommandGetRoleInGroup]). A call
// takes a fault once it has passed the checks the service makes before
// acting: the URL, the signature, the admin identifier, the command's name,
// a non-empty body, and the rate limit ([WithRateLimit]). So a call refused
// with 60007, 70001 or 60010 does not use up a fault. Faults queue up behind
// earlier ones, for one command at a time:
//
//	srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Status: http.StatusBadGateway})
//	srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Code: tim.ErrInternal})
//	// the next call gets a 502 page, the one after it 10002, then normal answers
//
// It returns an error, and queues nothing, for a command the fake does not
// serve (a typo would otherwise never fire), an n outside 1..100000, more
// faults than 100000 in all the queues together, and a Fault that sets no
// kind and no Delay, more than one kind, Pass with a Delay or AfterApply, a
// Status outside 300..599 or a negative Delay.
func (s *Server) FailNext(command string, n int, f Fault) error {
	if err := checkFault(command, n, f); err != nil {
		return err
	}
	if f.Code != 0 && f.Info == "" {
		f.Info = "injected by timtest"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	queued := 0
	for _, q := range s.faults {
		queued += len(q)
	}
	if queued+n > maxQueuedFaults {
		return fmt.Errorf("timtest: FailNext: %d faults are queued and %d more would pass the limit of %d", queued, n, maxQueuedFaults)
	}
	for range n {
		s.faults[command] = append(s.faults[command], f)
	}
	return nil
}

// maxQueuedFaults bounds the faults queued for all commands together, so
// that control requests (see WithControlEndpoint) cannot make the fake
// queue without end.
const maxQueuedFaults = 100000

func checkFault(command string, n int, f Fault) error {
	if _, ok := handlers[command]; !ok {
		return fmt.Errorf("timtest: FailNext: the fake serves no command %q (see tim.Commands)", command)
	}
	switch {
	case n < 1 || n > maxQueuedFaults:
		return fmt.Errorf("timtest: FailNext: n is %d; 1 to %d", n, maxQueuedFaults)
	case f.kinds() > 1:
		return errors.New("timtest: FailNext: a Fault sets more than one of Code, Status, Truncate, NotJSON, Drop and Pass")
	case f.kinds() == 0 && f.Delay == 0:
		return errors.New("timtest: FailNext: the Fault sets nothing")
	case f.Pass && (f.Delay != 0 || f.AfterApply):
		return errors.New("timtest: FailNext: Pass is a normal answer: no Delay or AfterApply with it")
	case f.Status != 0 && (f.Status < 300 || f.Status > 599):
		return fmt.Errorf("timtest: FailNext: Status %d is not between 300 and 599", f.Status)
	case f.Delay < 0:
		return errors.New("timtest: FailNext: negative Delay")
	}
	return nil
}

// takeFault removes and returns the next fault for command, or nil. The
// caller holds s.mu.
func (s *Server) takeFault(command string) *Fault {
	q := s.faults[command]
	if len(q) == 0 {
		return nil
	}
	s.faults[command] = q[1:]
	f := q[0]
	return &f
}
