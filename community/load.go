package community

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/workers"
)

// DefaultLoadConcurrency is how many calls [Load] keeps in flight when
// [LoadOptions.Concurrency] is 0. The client paces them with its own rate
// limiter (175 calls a second per command by default); this only bounds
// the goroutines waiting for their turn. It is sized so that the member
// listing keeps its command at the rate limit even with 150 ms round trips
// (175/s × 0.15 s ≈ 26 calls in flight) while the topic reads take as many
// places, with room to spare: see BENCHMARKS.md.
const DefaultLoadConcurrency = 128

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
	// Vanished is how many listed permission groups were destroyed while
	// Load read them (110006 from their topic or member read): they are
	// left out of the snapshot.
	Vanished int
	// Topics is how many topics the community has, once get_topic has
	// answered (0 before).
	Topics int
}

// Load reads a snapshot of community groupID: its info (get_group_info:
// owner, the inferred default permission and switch), its topics
// (get_topic, one call for all: the docs give it no paging), every
// permission group (get_permission_group, 20 a page), each group's topic
// permissions (get_topic_permission_group, one call a group) and each
// group's members (get_permission_group_member_list, 50 a page):
// ⌈groups/20⌉ + groups + Σ⌈members/50⌉ calls, plus two, and a closing page
// for a listing whose server answers a cursor after its last page. A
// community that does not support topics (get_topic answers 11000) is read
// with no topics and [Snapshot.TopicsUnsupported] set. A group's member list takes
// one call even when the group's MemberCount says 0, since the count is not
// documented to be exact.
//
// The calls go out from at most opts.Concurrency goroutines at once, paced by
// the client's rate limiter and retried by the client as its policy says;
// the member listings start as soon as the first page of groups is in.
//
// A snapshot is whole or there is none: Load returns a nil error only when
// every read it needed was made. The first failure stops the others and is
// returned as a [*LoadError] naming the permission group and the step; when
// ctx ends first, the error wraps ctx's (errors.Is(err, context.Canceled)).
// A permission group destroyed while Load reads it (its topic or member
// read answers 110006) is left out, not returned in part: each group of the
// snapshot is whole, as its reads saw it, or absent ([Progress.Vanished]
// counts those). A panic in a call (in a transport or a test double of
// yours) is raised again in the caller's goroutine once the other
// goroutines have ended.
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
	g, gctx := workers.New(ctx, o.Concurrency)
	l.queue.wake = make(chan struct{}, 1)
	l.queue.push(false, queuedRead{step: "get group info", run: l.readInfo})
	l.queue.push(false, queuedRead{step: "get topics", run: l.readTopicList})
	l.queue.add(1) // the listing
	listed := make(chan error, 1)
	go func() {
		err := l.listGroups(gctx)
		if err != nil {
			cancel() // stop the reads started
		}
		l.queue.done()
		listed <- err
	}()
	notStarted, feedErr := l.queue.feed(g)
	err := g.Wait()
	listErr := <-listed
	switch {
	case listErr != nil && (err == nil || !isContextErr(listErr)):
		// The listing failed first (the reads then saw the cancellation).
		err = listErr
	case notStarted != nil && !errors.As(err, new(*LoadError)):
		// Every read that started succeeded, but the context ended before
		// this one could start (g.Wait returned feedErr): name it.
		err = l.loadErr(notStarted.pgID, notStarted.step, feedErr)
	}
	if err != nil {
		return nil, err
	}
	return l.snapshot(), nil
}

// isContextErr reports whether err is only a context's end.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// loader is the state of one Load.
type loader struct {
	c          Client
	groupID    string
	progressFn func(Progress)
	queue      readQueue

	mu       sync.Mutex
	progress Progress
	info     tim.GroupInfo
	topics   []Topic
	noTopics bool
	slots    []*PermissionGroup
	pending  map[*PermissionGroup]int // reads left per group
	gone     map[*PermissionGroup]bool
	seen     map[string]bool // the IDs listed; listGroups's own
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

// readTopicList reads every topic of the community with one get_topic.
func (l *loader) readTopicList(ctx context.Context) error {
	topics, unsupported, err := fetchTopicList(ctx, l.c, l.groupID, nil)
	l.called(func(p *Progress) { p.Topics = len(topics) })
	if err != nil {
		return l.loadErr("", "get topics", err)
	}
	if topics == nil {
		topics = []Topic{} // read, and none: not a snapshot without a topic list
	}
	l.mu.Lock()
	l.topics, l.noTopics = topics, unsupported
	l.mu.Unlock()
	return nil
}

func (l *loader) readInfo(ctx context.Context) error {
	info, err := fetchInfo(ctx, l.c, l.groupID)
	l.called(nil)
	if err != nil {
		return l.loadErr("", "get group info", err)
	}
	l.mu.Lock()
	l.info = *info
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
			p := tim.NewPermissionGroupMemberPaginator(l.c, &tim.GetPermissionGroupMembersRequest{
				GroupID: l.groupID, PermissionGroupID: s.ID, Limit: tim.MaxMembersPerPage,
			})
			s.Members = make([]string, 0, max(0, min(hints[s], 1<<16)))
			l.queue.push(false, queuedRead{pgID: s.ID, step: "list members", run: func(ctx context.Context) error { return l.readMembers(ctx, s, p) }})
			l.queue.push(false, queuedRead{pgID: s.ID, step: "get topic permissions", run: func(ctx context.Context) error { return l.readTopics(ctx, s) }})
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

// vanished reports whether err says the group was destroyed meanwhile: a
// 110006 that a read of the group by ID confirms. The group is then
// counted as gone, and left out of the snapshot.
func (l *loader) vanished(ctx context.Context, g *PermissionGroup, err error) bool {
	if !errors.Is(err, tim.ErrPermissionGroupNotFound) {
		return false
	}
	_, _, cerr := fetchGroup(ctx, l.c, l.groupID, g.ID, false, false)
	gone := errors.Is(cerr, tim.ErrPermissionGroupNotFound)
	l.called(func(p *Progress) {
		if gone && !l.gone[g] {
			if l.gone == nil {
				l.gone = map[*PermissionGroup]bool{}
			}
			l.gone[g] = true
			p.Vanished++
		}
	})
	return gone // else still there (or unknown): the 110006 stands as an error
}

func (l *loader) readTopics(ctx context.Context, g *PermissionGroup) error {
	topics, _, err := fetchTopics(ctx, l.c, l.groupID, g.ID, nil)
	if err != nil {
		l.called(nil)
		if l.vanished(ctx, g, err) {
			return nil // destroyed meanwhile: left out
		}
		return l.loadErr(g.ID, "get topic permissions", err)
	}
	g.Topics = topics
	l.called(l.taskDone(g))
	return nil
}

// readMembers reads one page of a group's members. A next page is queued
// behind every first page still waiting, so that the groups listed last
// start early enough for their own next pages to fill the rate limit's
// last turns.
func (l *loader) readMembers(ctx context.Context, g *PermissionGroup, p *tim.Paginator[tim.PermissionGroupMember]) error {
	page, err := p.NextPage(ctx)
	if err == nil {
		for _, m := range page {
			g.Members = append(g.Members, m.Account)
		}
	}
	last := err == nil && !p.HasMorePages()
	done := l.taskDone(g)
	l.called(func(pr *Progress) {
		pr.Pages++
		if last {
			done(pr)
		}
	})
	switch {
	case l.vanished(ctx, g, err):
		return nil // destroyed meanwhile: left out
	case err != nil:
		return l.loadErr(g.ID, "list members", err)
	case last:
		g.Members = sortedUnique(g.Members)
	default:
		l.queue.push(true, queuedRead{pgID: g.ID, step: "list members", run: func(ctx context.Context) error { return l.readMembers(ctx, g, p) }})
	}
	return nil
}

// snapshot assembles the result once every goroutine has ended.
func (l *loader) snapshot() *Snapshot {
	s := &Snapshot{GroupID: l.groupID, Admin: l.c.Identifier()}
	s.setInfo(&l.info)
	s.Topics, s.TopicsUnsupported = l.topics, l.noTopics
	s.PermissionGroups = make([]PermissionGroup, 0, len(l.slots))
	for _, g := range l.slots {
		if !l.gone[g] {
			s.PermissionGroups = append(s.PermissionGroups, *g)
		}
	}
	s.sortGroups()
	return s
}

func validCommunityID(id string) bool {
	return strings.HasPrefix(id, tim.CommunityIDPrefix) && len(id) > len(tim.CommunityIDPrefix) && badText(id) == ""
}
