package community

import (
	"context"
	"errors"
	"fmt"

	"github.com/timkit/tim"
)

// class is what an item's answer means for the planned state.
type class int

const (
	classDone    class = iota // written now
	classAlready              // the answer says the planned state already holds
	classFollow               // the answer needs a read to settle
	classFailed               // refused
)

// writer is how Apply sends one kind of list operation and reads its
// answers.
type writer struct {
	send     func(ctx context.Context, items []string) ([]tim.ItemResult, error)
	classify func(err error) class
	// follow settles the items answered classFollow (nil: none are).
	follow func(ctx context.Context, items []string) listRun
	// recheck, when set, reads back items whose answer was lost before
	// they are sent again, and returns those still to send; without it
	// they are sent again as they are (the repeat answers "already so").
	recheck func(ctx context.Context, lost error, items []string) (listRun, []string)
}

// list sends a chunk of a list operation's items and settles the answers:
// items whose answer was lost are sent again (after a recheck, for a set),
// up to settleRounds times, by the rule settling states.
func (a *applier) list(ctx, startCtx context.Context, o *Op, items []string) listRun {
	w := a.writer(o)
	var r listRun
	var lost error
	pending := items
	for round := 0; len(pending) > 0 && settling(startCtx, round, lost, &r, pending...); round++ {
		var blind error // the lost answer, when pending goes again without a read
		switch {
		case round > 0 && w.recheck != nil:
			checked, resend := w.recheck(ctx, lost, pending)
			r.merge(checked)
			pending = resend
		case round > 0:
			blind = lost
		}
		if len(pending) == 0 {
			break
		}
		results, err := w.send(ctx, pending)
		r.calls += callsOf(err)
		if err != nil {
			if mayHaveApplied(err) {
				lost = err
				continue
			}
			r.refused(err, blind, pending...)
			break
		}
		answered := make(map[string]bool, len(results))
		var follow []string
		for _, res := range results {
			answered[res.ID] = true
			ierr := res.Err()
			c := classDone
			if ierr != nil {
				c = w.classify(ierr)
			}
			switch c {
			case classDone:
				r.done = append(r.done, res.ID)
			case classAlready:
				r.already = append(r.already, res.ID)
			case classFollow:
				follow = append(follow, res.ID)
			default:
				r.refused(ierr, blind, res.ID)
			}
		}
		if len(follow) > 0 {
			r.merge(w.follow(ctx, follow))
		}
		var next []string
		for _, id := range pending {
			if !answered[id] { // the SDK answers every item; a server that did not lost it
				next = append(next, id)
				lost = errors.New("the answer does not mention " + id)
			}
		}
		pending = next
	}
	r.settled(lost)
	return r
}

// writer returns how o's kind is sent and read.
func (a *applier) writer(o *Op) writer {
	g, id := a.plan.GroupID, o.PermissionGroupID
	switch o.Kind {
	case KindAddTopics:
		return writer{send: a.topicWriter(o, a.c.AddTopicPermissions), classify: classifyAs(tim.ErrTopicAlreadyInPermissionGroup, classFollow),
			follow: func(ctx context.Context, items []string) listRun { return a.readBackTopics(ctx, o, items) }}
	case KindSetTopics:
		return writer{send: a.topicWriter(o, a.c.SetTopicPermissions), classify: classifyAs(tim.ErrTopicNotInPermissionGroup, classFollow),
			follow: func(_ context.Context, items []string) listRun {
				var r listRun
				for _, t := range items {
					r.fail(&changed{"topic " + t + " of permission group " + id + " was deleted"}, t)
				}
				return r
			},
			recheck: func(ctx context.Context, lost error, items []string) (listRun, []string) {
				return a.recheckSet(ctx, o, lost, items)
			}}
	case KindDeleteTopics:
		return writer{send: func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
			return a.c.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: g, PermissionGroupID: id, TopicIDs: ids})
		}, classify: func(err error) class {
			if errors.Is(err, tim.ErrTopicPermissionAlreadyDeleted) || errors.Is(err, tim.ErrTopicNotInPermissionGroup) {
				return classAlready
			}
			return classFailed
		}}
	case KindAddMembers, KindDeleteMembers:
		write, already := a.c.AddPermissionGroupMembers, error(tim.ErrAlreadyMember)
		if o.Kind == KindDeleteMembers {
			write, already = a.c.DeletePermissionGroupMembers, nil // deleting a non-member succeeds
		}
		return writer{send: func(ctx context.Context, accounts []string) ([]tim.ItemResult, error) {
			return write(ctx, &tim.PermissionGroupMembersRequest{GroupID: g, PermissionGroupID: id, Accounts: accounts})
		}, classify: classifyAs(already, classAlready)}
	case KindDestroyTopic:
		return a.topicDestroyer()
	case KindDestroy:
		return writer{send: func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
			return a.c.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: g, PermissionGroupIDs: ids})
		}, classify: classifyAs(tim.ErrPermissionGroupNotFound, classAlready)}
	}
	return writer{send: func(context.Context, []string) ([]tim.ItemResult, error) {
		return nil, fmt.Errorf("community: Apply: unknown kind %d", o.Kind)
	}}
}

// classifyAs classifies an item error as c when it matches code (if any),
// as refused otherwise.
func classifyAs(code error, c class) func(error) class {
	return func(err error) class {
		if code != nil && errors.Is(err, code) {
			return c
		}
		return classFailed
	}
}

// topicWriter sends the operation's topics with the given IDs through write
// (AddTopicPermissions or SetTopicPermissions), with their New values.
func (a *applier) topicWriter(o *Op, write func(context.Context, *tim.TopicPermissionsRequest) ([]tim.ItemResult, error)) func(context.Context, []string) ([]tim.ItemResult, error) {
	want := topicValues(o, true)
	return func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
		settings := make([]tim.TopicPermissionSetting, len(ids))
		for i, t := range ids {
			settings[i] = tim.TopicPermissionSetting{TopicID: t, Permission: want[t]}
		}
		return write(ctx, &tim.TopicPermissionsRequest{GroupID: a.plan.GroupID, PermissionGroupID: o.PermissionGroupID, Topics: settings})
	}
}

// topicValues maps the operation's topics to their New (or Old) values.
func topicValues(o *Op, newValues bool) map[string]tim.TopicPermission {
	m := make(map[string]tim.TopicPermission, len(o.Topics))
	for _, t := range o.Topics {
		if newValues {
			m[t.TopicID] = t.New
		} else {
			m[t.TopicID] = t.Old
		}
	}
	return m
}

// readBackTopics settles topics an add found granted (110010): those with
// the planned value are already so; any other value was granted by someone
// else, and is left as it is.
func (a *applier) readBackTopics(ctx context.Context, o *Op, items []string) listRun {
	var r listRun
	have, calls, err := fetchTopics(ctx, a.c, a.plan.GroupID, o.PermissionGroupID, items)
	r.calls += calls
	if err != nil {
		r.fail(fmt.Errorf("reading back topics granted already: %w", err), items...)
		return r
	}
	want := topicValues(o, true)
	for _, t := range items {
		switch p, ok := have[t]; {
		case ok && p == want[t]:
			r.already = append(r.already, t)
		case ok:
			r.fail(&changed{"topic " + t + " of permission group " + o.PermissionGroupID + " was granted " + p.String()}, t)
		default:
			r.fail(&changed{"topic " + t + " of permission group " + o.PermissionGroupID + " was granted and deleted"}, t)
		}
	}
	return r
}

// recheckSet reads back topics whose set's answer was lost (lost): those
// with the planned value are done, those still at the old value are sent
// again, any other value was set by someone else.
func (a *applier) recheckSet(ctx context.Context, o *Op, lost error, items []string) (listRun, []string) {
	var r listRun
	have, calls, err := fetchTopics(ctx, a.c, a.plan.GroupID, o.PermissionGroupID, items)
	r.calls += calls
	if err != nil {
		r.unsettled(lost, "reading the topics back failed: "+err.Error(), items...)
		return r, nil
	}
	want, old := topicValues(o, true), topicValues(o, false)
	var resend []string
	for _, t := range items {
		switch p, ok := have[t]; {
		case ok && p == want[t]:
			r.done = append(r.done, t)
		case ok && p == old[t]:
			resend = append(resend, t)
		default:
			r.fail(&changed{"topic " + t + " of permission group " + o.PermissionGroupID + " was changed"}, t)
		}
	}
	return r, resend
}

func topicIDs(topics []TopicChange) []string {
	ids := make([]string, len(topics))
	for i, t := range topics {
		ids[i] = t.TopicID
	}
	return ids
}
