package community

import (
	"context"
	"errors"
	"fmt"

	"github.com/timkit/tim"
)

// run applies one operation of a group's lane. covered reports that it
// also did what the lane's later operations were to do: a create
// that found the group made brings it to the spec itself.
func (a *applier) run(ctx context.Context, o *Op) (out Outcome, covered bool) {
	if o.Kind == KindCreate {
		return a.create(ctx, o)
	}
	return a.change(ctx, o), false
}

// change applies an operation other than a create or a destroy.
func (a *applier) change(ctx context.Context, o *Op) Outcome {
	g, id := a.plan.GroupID, o.PermissionGroupID
	switch o.Kind {
	case KindModify:
		return a.modify(ctx, o)
	case KindAddTopics:
		r := runList(ctx, topicIDs(o.Topics), tim.MaxTopicsPerCall, a.topicWriter(o, a.c.AddTopicPermissions), classifyAs(tim.ErrTopicAlreadyInPermissionGroup, classFollow))
		if len(r.follow) > 0 && r.err == nil {
			a.settleGranted(ctx, o, &r)
		}
		return r.outcome(o)
	case KindSetTopics:
		r := runList(ctx, topicIDs(o.Topics), tim.MaxTopicsPerCall, a.topicWriter(o, a.c.SetTopicPermissions), classifyAs(tim.ErrTopicNotInPermissionGroup, classFollow))
		if len(r.follow) > 0 && r.err == nil {
			// Not granted (someone deleted it): add it with the wanted value.
			follow := r.follow
			r.follow = nil
			r.merge(runList(ctx, follow, tim.MaxTopicsPerCall, a.topicWriter(o, a.c.AddTopicPermissions), classifyAs(nil, classFailed)))
		}
		return r.outcome(o)
	case KindDeleteTopics:
		r := runList(ctx, topicIDs(o.Topics), tim.MaxTopicsPerCall, func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
			return a.c.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: g, PermissionGroupID: id, TopicIDs: ids})
		}, func(err error) class {
			if errors.Is(err, tim.ErrTopicPermissionAlreadyDeleted) || errors.Is(err, tim.ErrTopicNotInPermissionGroup) {
				return classAlready
			}
			return classFailed
		})
		return r.outcome(o)
	case KindAddMembers, KindDeleteMembers:
		write, already := a.c.AddPermissionGroupMembers, error(tim.ErrAlreadyMember)
		if o.Kind == KindDeleteMembers {
			write, already = a.c.DeletePermissionGroupMembers, nil
		}
		r := runList(ctx, o.Accounts, tim.MaxMembersPerCall, func(ctx context.Context, accounts []string) ([]tim.ItemResult, error) {
			return write(ctx, &tim.PermissionGroupMembersRequest{GroupID: g, PermissionGroupID: id, Accounts: accounts})
		}, classifyAs(already, classAlready))
		return r.outcome(o)
	}
	return Outcome{Op: o, Status: Failed, Err: fmt.Errorf("community: Apply: unknown kind %d", o.Kind)}
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

func (a *applier) modify(ctx context.Context, o *Op) Outcome {
	out := Outcome{Op: o, Status: Applied}
	if o.Changed == 0 {
		return out
	}
	req := &tim.ModifyPermissionGroupRequest{GroupID: a.plan.GroupID, PermissionGroupID: o.PermissionGroupID}
	if o.Changed&FieldName != 0 {
		req.Name = tim.Ptr(o.Fields.Name)
	}
	if o.Changed&FieldPermission != 0 {
		req.Permission = tim.Ptr(o.Fields.Permission)
	}
	if o.Changed&FieldCustomString != 0 {
		req.CustomString = tim.Ptr(o.Fields.CustomString)
	}
	err := a.c.ModifyPermissionGroup(ctx, req)
	out.Calls = callsOf(err)
	if err != nil {
		out.Status, out.Err = failure(err), err
	}
	return out
}

// topicWriter sends the operation's topics with the given IDs through write
// (AddTopicPermissions or SetTopicPermissions), with their New values.
func (a *applier) topicWriter(o *Op, write func(context.Context, *tim.TopicPermissionsRequest) ([]tim.ItemResult, error)) func(context.Context, []string) ([]tim.ItemResult, error) {
	want := make(map[string]tim.TopicPermission, len(o.Topics))
	for _, t := range o.Topics {
		want[t.TopicID] = t.New
	}
	return func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
		settings := make([]tim.TopicPermissionSetting, len(ids))
		for i, t := range ids {
			settings[i] = tim.TopicPermissionSetting{TopicID: t, Permission: want[t]}
		}
		return write(ctx, &tim.TopicPermissionsRequest{GroupID: a.plan.GroupID, PermissionGroupID: o.PermissionGroupID, Topics: settings})
	}
}

// settleGranted settles the topics an add found granted already (110010):
// it reads their values back and sets those that differ from the plan's.
func (a *applier) settleGranted(ctx context.Context, o *Op, r *listRun) {
	follow := r.follow
	r.follow = nil
	have, calls, err := fetchTopics(ctx, a.c, a.plan.GroupID, o.PermissionGroupID, follow)
	r.calls += calls
	if err != nil {
		r.failed = append(r.failed, follow...)
		r.err = fmt.Errorf("reading back topics granted already: %w", err)
		return
	}
	want := make(map[string]tim.TopicPermission, len(o.Topics))
	for _, t := range o.Topics {
		want[t.TopicID] = t.New
	}
	var set []string
	for _, t := range follow {
		switch p, ok := have[t]; {
		case !ok:
			r.failed = append(r.failed, t) // granted, then gone: someone else is changing it
			if r.err == nil {
				r.err = fmt.Errorf("topic %s was granted already, and then no longer", t)
			}
		case p == want[t]:
			r.already = append(r.already, t)
		default:
			set = append(set, t)
		}
	}
	r.merge(runList(ctx, set, tim.MaxTopicsPerCall, a.topicWriter(o, a.c.SetTopicPermissions), classifyAs(nil, classFailed)))
}

// create creates a group; when its ID is in use (10021) it reads the group
// back and brings it to the spec instead.
func (a *applier) create(ctx context.Context, o *Op) (Outcome, bool) {
	out := Outcome{Op: o, Status: Applied}
	_, err := a.c.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{
		GroupID: a.plan.GroupID, PermissionGroupID: o.PermissionGroupID,
		Name: o.Fields.Name, Permission: o.Fields.Permission, CustomString: o.Fields.CustomString,
	})
	out.Calls = callsOf(err)
	switch {
	case err == nil:
		out.Done = []string{o.PermissionGroupID}
		return out, false
	case errors.Is(err, tim.ErrIDInUse):
		return a.adopt(ctx, o, out)
	}
	out.Status, out.Err = failure(err), err
	return out, false
}

// adopt brings a group whose create answered 10021 to what the spec wants
// of it: with a plan made by Diff, every field the spec manages (the lane's
// later operations are then covered); otherwise the create's fields only.
func (a *applier) adopt(ctx context.Context, o *Op, out Outcome) (Outcome, bool) {
	want, fromSpec := a.plan.want[o.PermissionGroupID]
	if !fromSpec {
		want = GroupSpec{ID: o.PermissionGroupID, Name: o.Fields.Name, Permission: o.Fields.Permission, CustomString: tim.Ptr(o.Fields.CustomString)}
	}
	cur, calls, err := fetchGroup(ctx, a.c, a.plan.GroupID, o.PermissionGroupID, want.Topics != nil, want.Members != nil)
	out.Calls += calls
	if err != nil {
		out.Status, out.Err = Failed, fmt.Errorf("the ID is in use (10021), and reading the group back failed: %w", err)
		return out, false
	}
	ops := appendGroupDiff(nil, cur, &want)
	for i := range ops {
		sub := a.change(ctx, &ops[i])
		out.Calls += sub.Calls
		if sub.Status != Applied {
			out.Status = sub.Status
			out.Err = fmt.Errorf("the ID is in use (10021); bringing the group to the spec: %s: %w", ops[i].Kind, sub.Err)
			return out, false
		}
	}
	out.AlreadyDone = []string{o.PermissionGroupID}
	out.Note = "the ID was in use (10021): read the group back"
	if len(ops) == 0 {
		out.Note += "; it matched already"
	} else {
		out.Note += "; made " + plural(len(ops), "change")
	}
	return out, fromSpec
}

// destroy destroys the groups of the destroy operations at idx, in one split
// call; a group already gone (110006) counts as destroyed.
func (a *applier) destroy(ctx context.Context, idx []int) {
	ids := make([]string, len(idx))
	for k, i := range idx {
		ids[k] = a.plan.Ops[i].PermissionGroupID
	}
	r := runList(ctx, ids, tim.MaxPermissionGroupsPerDestroy, func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
		return a.c.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: a.plan.GroupID, PermissionGroupIDs: ids})
	}, classifyAs(tim.ErrPermissionGroupNotFound, classAlready))
	in := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, id := range list {
			m[id] = true
		}
		return m
	}
	done, already, failed, unknown := in(r.done), in(r.already), in(r.failed), in(r.unknown)
	for k, i := range idx {
		o := &a.plan.Ops[i]
		out := Outcome{Op: o}
		if k%tim.MaxPermissionGroupsPerDestroy == 0 && k/tim.MaxPermissionGroupsPerDestroy < r.calls {
			out.Calls = 1
		}
		switch id := o.PermissionGroupID; {
		case done[id]:
			out.Status, out.Done = Applied, []string{id}
		case already[id]:
			out.Status, out.AlreadyDone = Applied, []string{id}
		case unknown[id]:
			out.Status, out.Unknown, out.Err = Unknown, []string{id}, r.err
		case failed[id]:
			out.Status, out.Failed, out.Err = Failed, []string{id}, r.err
		default:
			out.NotSent = []string{id}
		}
		a.report(i, out)
	}
}

func topicIDs(topics []TopicChange) []string {
	ids := make([]string, len(topics))
	for i, t := range topics {
		ids[i] = t.TopicID
	}
	return ids
}
