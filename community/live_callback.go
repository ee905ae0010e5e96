package community

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
)

// HandleCallback keeps l fresh from the service's callbacks: give it to a
// [callback.Handler] with callback.OnEvent(live.HandleCallback). It acts on
// the events about l's community (others are ignored) that change what a
// snapshot holds:
//
//   - members left (Group.CallbackAfterMemberExit): the accounts are taken
//     out of their permission groups at once (the service does so when a
//     member leaves: inferred, as the fake does), then a reload confirms;
//   - topics destroyed (Group.CallbackAfterTopicDestroyed): the topics,
//     and their topic permissions, are taken out at once (the service
//     drops the grants: inferred likewise), then a reload confirms;
//   - a topic created (Group.CallbackAfterCreateTopic): the topic, with
//     the name the callback carries, is added at once (it has no grants
//     yet), then a reload reads its other fields;
//   - group info changed (Group.CallbackAfterGroupInfoChanged): a reload,
//     since the owner, the switch or the default may have changed (the
//     documented body does not say).
//
// New members (they are in no permission group) change nothing a snapshot
// holds, nor does a role change (while permission groups are enabled, an
// admin is an ordinary member), so those only reach the next reload. A
// patch is made only if a leaving account is in a permission group, a
// destroyed topic is in the snapshot, or a created one is not: a
// community's many members who are in no group cost nothing. The
// reloads go through [Live.Refresh], so a burst of callbacks makes one.
// Permission groups have no callbacks: changes made in the console or by
// other backends reach l by the interval, or by a Refresh of your own.
//
// HandleCallback always returns nil: the service ignores the answers to
// after-event callbacks, and a patch cannot fail.
func (l *Live) HandleCallback(ctx context.Context, e callback.Event) error {
	switch e := e.(type) {
	case *callback.AfterMemberExit:
		if e.GroupID == l.groupID && l.removeMembers(e.Accounts) {
			l.Refresh()
		}
	case *callback.AfterTopicDestroyed:
		if e.GroupID == l.groupID && l.removeTopics(e.TopicIDs) {
			l.Refresh()
		}
	case *callback.AfterCreateTopic:
		if e.GroupID == l.groupID && l.addTopic(e.TopicID, e.Name) {
			l.Refresh()
		}
	case *callback.AfterGroupInfoChanged:
		if e.GroupID == l.groupID {
			l.Refresh()
		}
	}
	return nil
}

// removeMembers takes accounts out of every permission group of the view,
// as a write; it reports whether any was in one. The snapshot's groups
// that do not change, and the index's groups, are shared with the view
// before, which never changes; the index's accounts are a copy without
// them.
func (l *Live) removeMembers(accounts []string) bool {
	return l.callbackPatch(func(cur *Snapshot, access *Access) (*Snapshot, *Access, error) {
		gone := map[string]bool{}
		for _, a := range accounts {
			if len(access.byAccount[a]) > 0 {
				gone[a] = true
			}
		}
		if len(gone) == 0 {
			return nil, nil, nil
		}
		next := shallowCopy(cur)
		for i := range next.PermissionGroups {
			g := &next.PermissionGroups[i]
			if slices.ContainsFunc(g.Members, func(a string) bool { return gone[a] }) {
				g.Members = slices.DeleteFunc(slices.Clone(g.Members), func(a string) bool { return gone[a] })
			}
		}
		a := *access
		a.byAccount = maps.Clone(access.byAccount)
		for acct := range gone {
			delete(a.byAccount, acct)
		}
		return next, &a, nil
	})
}

// removeTopics takes the topics out of the view's topics and out of every
// permission group, as a write; it reports whether any was there. The
// index's accounts are shared with the view before.
func (l *Live) removeTopics(topicIDs []string) bool {
	return l.callbackPatch(func(cur *Snapshot, access *Access) (*Snapshot, *Access, error) {
		granted := func(topics map[string]tim.TopicPermission) bool {
			return slices.ContainsFunc(topicIDs, func(t string) bool { _, ok := topics[t]; return ok })
		}
		listed := func(t Topic) bool { return slices.Contains(topicIDs, t.ID) }
		if !slices.ContainsFunc(cur.PermissionGroups, func(g PermissionGroup) bool { return granted(g.Topics) }) &&
			!slices.ContainsFunc(cur.Topics, listed) {
			return nil, nil, nil
		}
		next := shallowCopy(cur)
		next.Topics = slices.DeleteFunc(slices.Clone(cur.Topics), listed)
		for i := range next.PermissionGroups {
			if g := &next.PermissionGroups[i]; granted(g.Topics) {
				g.Topics = withoutKeys(g.Topics, topicIDs)
			}
		}
		a := *access
		a.groups = slices.Clone(access.groups)
		for i := range a.groups {
			if g := &a.groups[i]; granted(g.topics) {
				g.topics = withoutKeys(g.topics, topicIDs)
			}
		}
		if a.topics != nil {
			a.topics = withoutKeys(a.topics, topicIDs)
		}
		return next, &a, nil
	})
}

// addTopic adds a topic the view lacks, as a write; it reports whether it
// did. The index's groups and accounts are shared with the view before: a
// new topic has no grants.
func (l *Live) addTopic(id, name string) bool {
	return l.callbackPatch(func(cur *Snapshot, access *Access) (*Snapshot, *Access, error) {
		if id == "" || cur.Topic(id) != nil {
			return nil, nil, nil
		}
		next := *cur
		next.Topics = append(slices.Clone(cur.Topics), Topic{ID: id, Name: name})
		slices.SortFunc(next.Topics, func(a, b Topic) int { return strings.Compare(a.ID, b.ID) })
		a := *access
		if a.topics != nil {
			a.topics = maps.Clone(a.topics)
			a.topics[id] = false
		}
		return &next, &a, nil
	})
}

// callbackPatch installs what fn makes of the view for an event a callback
// reported, as a write, and reports whether a reload should follow: when
// fn changed the view, or when a Live.Apply is under way. Then the view is
// left alone: the event is most likely the plan's own (its topic created
// or destroyed, its member gone), and Apply's patch, which the plan's
// operations make of the view, would no longer fit a view the event
// already changed (Simulate refuses to create a topic that exists or to
// destroy one that is gone), so that none of the plan's writes would show
// until a reload. The reload that follows Apply brings the event.
func (l *Live) callbackPatch(fn patch) bool {
	changed := false
	_ = l.replace(func(cur *Snapshot, access *Access) (*Snapshot, *Access, error) {
		if l.applying > 0 {
			changed = true
			return nil, nil, nil
		}
		next, a, err := fn(cur, access)
		changed = next != nil && err == nil
		return next, a, err
	})
	return changed
}

// withoutKeys returns a copy of m without keys.
func withoutKeys[V any](m map[string]V, keys []string) map[string]V {
	out := maps.Clone(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// shallowCopy copies s and its list of groups; the groups' maps and member
// lists are shared, to be replaced, never modified.
func shallowCopy(s *Snapshot) *Snapshot {
	c := *s
	c.PermissionGroups = slices.Clone(s.PermissionGroups)
	return &c
}
