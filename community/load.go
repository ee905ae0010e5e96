package community

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/timkit/tim"
)

// DefaultLoadConcurrency is how many calls [Load] keeps in flight when
// [LoadOptions.Concurrency] is 0. The client paces them with its own rate
// limiter; this only bounds the goroutines waiting for their turn.
const DefaultLoadConcurrency = 32

// LoadOptions tunes [Load]. A nil *LoadOptions means the defaults.
type LoadOptions struct {
	// Concurrency bounds the calls in flight (default
	// [DefaultLoadConcurrency]).
	Concurrency int
	// Progress, when set, is called after every call Load makes, one call
	// at a time (never concurrently), from Load's goroutines.
	Progress func(Progress)
}

// Progress is how far a [Load] has come.
type Progress struct {
	// PermissionGroups is how many permission groups the listing returned
	// so far; once ListingDone is set it is the total.
	PermissionGroups int
	ListingDone      bool
	// GroupsDone is how many permission groups are fully read: their topic
	// permissions and every page of their members.
	GroupsDone int
	// Pages is how many pages were read, of the permission-group listing
	// and of member lists.
	Pages int
	// Calls is how many API calls Load made (a call the client retried
	// counts once).
	Calls int
}

// Load reads a snapshot of community groupID: its info (get_group_info:
// owner, the inferred default permission and switch), every permission
// group (get_permission_group, 20 a page), each group's topic permissions
// (get_topic_permission_group, one call a group) and each group's members
// (get_permission_group_member_list, 50 a page): ⌈groups/20⌉ + groups +
// Σ⌈members/50⌉ calls, plus one, and a closing page for a listing whose
// server answers a cursor after its last page. A group's member list takes
// one call even when the group's MemberCount says 0, since the count is not
// documented to be exact.
//
// The calls go out from at most opts.Concurrency goroutines at once, paced by
// the client's rate limiter and retried by the client as its policy says;
// the member listings start as soon as the first page of groups is in. The
// first failure stops the others and is returned as a [*LoadError] naming
// the permission group and the step. A panic in a call (in a transport or
// a test double of yours) is raised again in the caller's goroutine once
// the other goroutines have ended.
func Load(ctx context.Context, c Client, groupID string, opts *LoadOptions) (*Snapshot, error) {
	if c == nil {
		return nil, errors.New("community: Load: nil Client")
	}
	if !validCommunityID(groupID) {
		return nil, &LoadError{GroupID: groupID, Step: "check the group ID", Err: errors.New("not a community ID (" + tim.CommunityIDPrefix + "…)")}
	}
	var o LoadOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultLoadConcurrency
	}
	l := &loader{c: c, groupID: groupID, progressFn: o.Progress, seen: map[string]bool{}, pending: map[*PermissionGroup]int{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l.cancel = cancel
	l.sem = make(chan struct{}, o.Concurrency)

	l.start(ctx, l.readInfo)
	func() {
		defer l.recoverPanic()
		if err := l.listGroups(ctx); err != nil {
			l.fail(err)
		}
	}()
	l.wg.Wait()
	if l.panicked {
		panic(l.panicValue)
	}
	if l.err != nil {
		return nil, l.err
	}
	return l.snapshot(), nil
}

// loader is the state of one Load.
type loader struct {
	c          Client
	groupID    string
	progressFn func(Progress)
	sem        chan struct{}
	wg         sync.WaitGroup
	cancel     context.CancelFunc

	mu         sync.Mutex
	err        error
	panicked   bool
	panicValue any
	progress   Progress
	info       tim.GroupInfo
	slots      []*PermissionGroup
	pending    map[*PermissionGroup]int // reads left per group
	seen       map[string]bool          // the IDs listed; listGroups's own
}

// start runs task in a goroutine once one of the places is free; it does
// nothing once ctx is done.
func (l *loader) start(ctx context.Context, task func(context.Context) error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() { <-l.sem }()
		defer l.recoverPanic()
		if err := task(ctx); err != nil {
			l.fail(err)
		}
	}()
}

// recoverPanic keeps the first panic's value for Load to raise again and
// stops the other goroutines.
func (l *loader) recoverPanic() {
	if r := recover(); r != nil {
		l.mu.Lock()
		if !l.panicked {
			l.panicked, l.panicValue = true, r
		}
		l.mu.Unlock()
		l.cancel()
	}
}

// fail keeps the first error and stops the other goroutines.
func (l *loader) fail(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
	l.cancel()
}

// called counts a call and reports progress.
func (l *loader) called(update func(p *Progress)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.progress.Calls++
	if update != nil {
		update(&l.progress)
	}
	if l.progressFn != nil {
		l.progressFn(l.progress)
	}
}

func (l *loader) loadErr(pgID, step string, err error) error {
	return &LoadError{GroupID: l.groupID, PermissionGroupID: pgID, Step: step, Err: err}
}

func (l *loader) readInfo(ctx context.Context) error {
	infos, err := l.c.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{GroupIDs: []string{l.groupID}})
	l.called(nil)
	if err == nil && len(infos) != 1 {
		err = errors.New("the answer holds no profile of the community")
	}
	if err == nil {
		err = infos[0].Err()
	}
	if err == nil && infos[0].Type != "" && !strings.EqualFold(infos[0].Type, "Community") {
		err = errors.New("the group is of type " + infos[0].Type + ", not a community")
	}
	if err != nil {
		return l.loadErr("", "get group info", err)
	}
	l.mu.Lock()
	l.info = infos[0]
	l.mu.Unlock()
	return nil
}

// listGroups pages through the permission groups and starts the reads of
// each group's topics and members as its page comes in.
func (l *loader) listGroups(ctx context.Context) error {
	p := tim.NewPermissionGroupPaginator(l.c, &tim.GetPermissionGroupsRequest{GroupID: l.groupID, Limit: tim.MaxPermissionGroupsPerPage})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			l.called(func(p *Progress) { p.Pages++ })
			return l.loadErr("", "list permission groups", err)
		}
		var fresh []*PermissionGroup
		hints := map[*PermissionGroup]int{}
		for _, g := range page {
			if err := g.Err(); err != nil {
				l.called(func(p *Progress) { p.Pages++ })
				return l.loadErr(g.ID, "list permission groups", err)
			}
			if l.seen[g.ID] { // only this goroutine uses seen
				continue // a server that repeats an item across pages
			}
			l.seen[g.ID] = true
			slot := &PermissionGroup{ID: g.ID, Name: g.Name, CustomString: g.CustomString, Permission: g.Permission}
			fresh = append(fresh, slot)
			hints[slot] = g.MemberCount
		}
		// One update for the page: its groups, and whether it was the last,
		// before any of their reads can report.
		last := !p.HasMorePages()
		l.called(func(pr *Progress) {
			pr.Pages++
			l.slots = append(l.slots, fresh...)
			pr.PermissionGroups = len(l.slots)
			pr.ListingDone = last
			for _, s := range fresh {
				l.pending[s] = 2
			}
		})
		for _, s := range fresh {
			l.start(ctx, func(ctx context.Context) error { return l.readMembers(ctx, s, hints[s]) })
			l.start(ctx, func(ctx context.Context) error { return l.readTopics(ctx, s) })
		}
		if err := ctx.Err(); err != nil {
			// Another goroutine failed (its error, the first, is kept), or
			// the caller gave up: reads may not have started, so the
			// snapshot must not be returned.
			return l.loadErr("", "list permission groups", err)
		}
	}
	return nil
}

// taskDone counts one of a group's two reads as done, in p.
func (l *loader) taskDone(g *PermissionGroup) func(p *Progress) {
	return func(p *Progress) {
		l.pending[g]--
		if l.pending[g] == 0 {
			p.GroupsDone++
		}
	}
}

func (l *loader) readTopics(ctx context.Context, g *PermissionGroup) error {
	topics, _, err := fetchTopics(ctx, l.c, l.groupID, g.ID, nil)
	if err != nil {
		l.called(nil)
		return l.loadErr(g.ID, "get topic permissions", err)
	}
	g.Topics = topics
	l.called(l.taskDone(g))
	return nil
}

func (l *loader) readMembers(ctx context.Context, g *PermissionGroup, hint int) error {
	done := l.taskDone(g)
	members, _, err := fetchMembers(ctx, l.c, l.groupID, g.ID, hint, func(last bool) {
		l.called(func(p *Progress) {
			p.Pages++
			if last {
				done(p)
			}
		})
	})
	if err != nil {
		return l.loadErr(g.ID, "list members", err)
	}
	g.Members = members
	return nil
}

// snapshot assembles the result once every goroutine has ended.
func (l *loader) snapshot() *Snapshot {
	s := &Snapshot{GroupID: l.groupID, Owner: l.info.Owner, Admin: l.c.Identifier()}
	if l.info.PermissionGroupsEnabled != nil {
		s.PermissionGroupsEnabled = tim.Ptr(*l.info.PermissionGroupsEnabled)
	}
	if l.info.DefaultPermission != nil {
		s.DefaultPermission = tim.Ptr(*l.info.DefaultPermission)
	}
	s.PermissionGroups = make([]PermissionGroup, len(l.slots))
	for i, g := range l.slots {
		s.PermissionGroups[i] = *g
	}
	s.sortGroups()
	return s
}

func validCommunityID(id string) bool {
	return strings.HasPrefix(id, tim.CommunityIDPrefix) && len(id) > len(tim.CommunityIDPrefix) && badText(id) == ""
}
