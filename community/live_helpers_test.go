package community_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// memClient serves a snapshot from memory as the service would, with no
// HTTP: a community.Client for tests and benchmarks of Live at scale. Each
// member it lists is a fresh string, as a decoded answer's would be.
// Writes: member adds and deletes, applied to the snapshot it serves.
type memClient struct {
	snap  atomic.Pointer[community.Snapshot]
	calls atomic.Int64
	// infoGate, when set, is called by get_group_info with the default
	// permission it read (the version of the community a test put there),
	// before answering; its error is the call's.
	infoGate func(ctx context.Context, version tim.GroupPermission) error
	// writeGate, when set, is called by every write before it applies.
	writeGate func(ctx context.Context) error
	fail      atomic.Pointer[error] // get_group_info's error while set
	mu        sync.Mutex            // serializes writes
}

func newMemClient(s *community.Snapshot) *memClient {
	m := &memClient{}
	m.snap.Store(s)
	return m
}

// setVersion serves a copy of the snapshot with the default permission v.
func (m *memClient) setVersion(v tim.GroupPermission) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := *m.snap.Load()
	s.DefaultPermission = tim.Ptr(v)
	m.snap.Store(&s)
}

func (m *memClient) failWith(err error) {
	if err == nil {
		m.fail.Store(nil)
		return
	}
	m.fail.Store(&err)
}

func (m *memClient) Identifier() string { return "admin" }

func (m *memClient) GetGroupInfo(ctx context.Context, req *tim.GetGroupInfoRequest) ([]tim.GroupInfo, error) {
	m.calls.Add(1)
	s := m.snap.Load()
	var v tim.GroupPermission
	if s.DefaultPermission != nil {
		v = *s.DefaultPermission
	}
	if m.infoGate != nil {
		if err := m.infoGate(ctx, v); err != nil {
			return nil, err
		}
	}
	if err := m.fail.Load(); err != nil {
		return nil, *err
	}
	return []tim.GroupInfo{{ID: s.GroupID, Type: "Community", Owner: s.Owner, PermissionGroupsEnabled: s.PermissionGroupsEnabled, DefaultPermission: tim.Ptr(v)}}, nil
}

func (m *memClient) GetPermissionGroups(ctx context.Context, req *tim.GetPermissionGroupsRequest) (*tim.PermissionGroupsPage, error) {
	m.calls.Add(1)
	s := m.snap.Load()
	item := func(g *community.PermissionGroup) tim.PermissionGroup {
		return tim.PermissionGroup{ID: g.ID, Name: g.Name, CustomString: g.CustomString, Permission: g.Permission, MemberCount: len(g.Members)}
	}
	page := &tim.PermissionGroupsPage{}
	if len(req.PermissionGroupIDs) > 0 {
		for _, id := range req.PermissionGroupIDs {
			if g := s.PermissionGroup(id); g != nil {
				page.PermissionGroups = append(page.PermissionGroups, item(g))
			} else {
				page.PermissionGroups = append(page.PermissionGroups, tim.PermissionGroup{ID: id, ErrorCode: tim.ErrPermissionGroupNotFound})
			}
		}
		return page, nil
	}
	from, _ := strconv.Atoi(req.Next)
	to := min(from+max(req.Limit, 1), len(s.PermissionGroups))
	for i := from; i < to; i++ {
		page.PermissionGroups = append(page.PermissionGroups, item(&s.PermissionGroups[i]))
	}
	if to < len(s.PermissionGroups) {
		page.Next = strconv.Itoa(to)
	}
	return page, nil
}

func (m *memClient) GetTopicPermissions(ctx context.Context, req *tim.GetTopicPermissionsRequest) ([]tim.TopicPermissionResult, error) {
	m.calls.Add(1)
	g := m.snap.Load().PermissionGroup(req.PermissionGroupID)
	if g == nil {
		return nil, &tim.APIError{Code: tim.ErrPermissionGroupNotFound}
	}
	var out []tim.TopicPermissionResult
	for id, p := range g.Topics {
		out = append(out, tim.TopicPermissionResult{TopicID: id, Permission: p})
	}
	return out, nil
}

func (m *memClient) GetPermissionGroupMembers(ctx context.Context, req *tim.GetPermissionGroupMembersRequest) (*tim.PermissionGroupMembersPage, error) {
	m.calls.Add(1)
	g := m.snap.Load().PermissionGroup(req.PermissionGroupID)
	if g == nil {
		return nil, &tim.APIError{Code: tim.ErrPermissionGroupNotFound}
	}
	from, _ := strconv.Atoi(req.Next)
	to := min(from+max(req.Limit, 1), len(g.Members))
	page := &tim.PermissionGroupMembersPage{Members: make([]tim.PermissionGroupMember, 0, to-from)}
	for _, a := range g.Members[from:to] {
		page.Members = append(page.Members, tim.PermissionGroupMember{Account: strings.Clone(a)})
	}
	if to < len(g.Members) {
		page.Next = strconv.Itoa(to)
	}
	return page, nil
}

var errNotServed = errors.New("memClient: not served")

func (m *memClient) CreatePermissionGroup(context.Context, *tim.CreatePermissionGroupRequest) (string, error) {
	return "", errNotServed
}
func (m *memClient) ModifyPermissionGroup(context.Context, *tim.ModifyPermissionGroupRequest) error {
	return errNotServed
}
func (m *memClient) DestroyPermissionGroups(context.Context, *tim.DestroyPermissionGroupsRequest) ([]tim.ItemResult, error) {
	return nil, errNotServed
}
func (m *memClient) AddTopicPermissions(context.Context, *tim.TopicPermissionsRequest) ([]tim.ItemResult, error) {
	return nil, errNotServed
}
func (m *memClient) SetTopicPermissions(context.Context, *tim.TopicPermissionsRequest) ([]tim.ItemResult, error) {
	return nil, errNotServed
}
func (m *memClient) DeleteTopicPermissions(context.Context, *tim.DeleteTopicPermissionsRequest) ([]tim.ItemResult, error) {
	return nil, errNotServed
}

func (m *memClient) GetTopics(context.Context, *tim.GetTopicsRequest) ([]tim.Topic, error) {
	m.calls.Add(1)
	s := m.snap.Load()
	out := make([]tim.Topic, len(s.Topics))
	for i, t := range s.Topics {
		out[i] = tim.Topic{ID: t.ID, GroupID: s.GroupID, Name: t.Name, Introduction: t.Introduction,
			Notification: t.Notification, FaceURL: t.FaceURL, CustomString: t.CustomString, MuteAll: t.MuteAll}
	}
	return out, nil
}
func (m *memClient) GetRoleInGroup(context.Context, *tim.GetRoleInGroupRequest) ([]tim.MemberRole, error) {
	return nil, errNotServed
}
func (m *memClient) ModifyGroupBaseInfo(context.Context, *tim.ModifyGroupBaseInfoRequest) error {
	return errNotServed
}
func (m *memClient) CreateTopic(context.Context, *tim.CreateTopicRequest) (string, error) {
	return "", errNotServed
}
func (m *memClient) ModifyTopic(context.Context, *tim.ModifyTopicRequest) error { return errNotServed }
func (m *memClient) DestroyTopics(context.Context, *tim.DestroyTopicsRequest) ([]tim.ItemResult, error) {
	return nil, errNotServed
}

func (m *memClient) AddPermissionGroupMembers(ctx context.Context, req *tim.PermissionGroupMembersRequest) ([]tim.ItemResult, error) {
	return m.writeMembers(ctx, req, true)
}

func (m *memClient) DeletePermissionGroupMembers(ctx context.Context, req *tim.PermissionGroupMembersRequest) ([]tim.ItemResult, error) {
	return m.writeMembers(ctx, req, false)
}

// writeMembers adds or deletes members of a group of the served snapshot.
func (m *memClient) writeMembers(ctx context.Context, req *tim.PermissionGroupMembersRequest, add bool) ([]tim.ItemResult, error) {
	m.calls.Add(1)
	if m.writeGate != nil {
		if err := m.writeGate(ctx); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.snap.Load().Clone()
	g := s.PermissionGroup(req.PermissionGroupID)
	if g == nil {
		return nil, &tim.APIError{Code: tim.ErrPermissionGroupNotFound}
	}
	if add {
		g.Members = append(g.Members, req.Accounts...)
		slices.Sort(g.Members)
		g.Members = slices.Compact(g.Members)
	} else {
		g.Members = slices.DeleteFunc(g.Members, func(a string) bool { return slices.Contains(req.Accounts, a) })
	}
	m.snap.Store(s)
	out := make([]tim.ItemResult, len(req.Accounts))
	for i, a := range req.Accounts {
		out[i] = tim.ItemResult{ID: a}
	}
	return out, nil
}

var _ community.Client = (*memClient)(nil)

// fakeClock is a clock for Live: Advance fires the After channels that are
// due, at once and in the caller's goroutine. A channel the Live no longer
// waits on (an interval restarted by a refresh) fires into its buffer.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  []fakeTimer
	created int       // After calls so far
	latest  time.Time // the deadline of the last After
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.created++
	t := fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.latest = t.at
	if d <= 0 {
		t.c <- c.now
		return t.c
	}
	c.timers = append(c.timers, t)
	return t.c
}

// Advance moves the clock by d and fires the timers due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.timers = slices.DeleteFunc(c.timers, func(t fakeTimer) bool {
		if t.at.After(c.now) {
			return false
		}
		t.c <- c.now
		return true
	})
}

// next returns how long until the last timer set is due.
func (c *fakeClock) next() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latest.Sub(c.now)
}

// waitFor waits until cond holds, checking every millisecond; it fails the
// test after a minute (a hang, not a timing assertion).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitTimers waits until After has been called n times in all: the Live's
// goroutine has set its n-th timer and waits on it.
func (c *fakeClock) waitTimers(t testing.TB, n int) {
	t.Helper()
	waitFor(t, fmt.Sprintf("timer %d", n), func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.created >= n
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.created != n {
		t.Fatalf("%d timers set, want %d", c.created, n)
	}
}

// reports collects a Live's ReloadReports.
type reports struct {
	mu   sync.Mutex
	list []community.ReloadReport
}

func (r *reports) add(rep community.ReloadReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rep)
}

func (r *reports) all() []community.ReloadReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.list)
}

// wait waits for n reports and returns them.
func (r *reports) wait(t testing.TB, n int) []community.ReloadReport {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d reloads", n), func() bool { return len(r.all()) >= n })
	return r.all()
}
