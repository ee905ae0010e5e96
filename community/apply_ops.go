package community

import (
	"context"
	"errors"
	"fmt"

	"github.com/timkit/tim"
)

// settleRounds is how many times Apply sends a write again, or reads back,
// to settle a lost answer.
const settleRounds = 3

// ErrChangedSincePlan is what an operation fails with when the community
// changed under it since the plan in a way the plan does not show: a group
// created by someone else with the plan's ID, a topic granted with another
// value, a planned value changed. Nothing of it is changed; plan again.
var ErrChangedSincePlan = errors.New("changed by someone else since the plan; plan again")

// changed is an error that says what changed since the plan.
type changed struct{ what string }

func (e *changed) Error() string        { return e.what + " by someone else since the plan; plan again" }
func (e *changed) Is(target error) bool { return target == ErrChangedSincePlan }

// send makes one unit's request and settles its answer.
func (a *applier) send(ctx, startCtx context.Context, u *unit) listRun {
	o := &a.plan.Ops[u.ops[0]]
	switch o.Kind {
	case KindCreate:
		return a.create(ctx, startCtx, o)
	case KindModify:
		return a.modify(ctx, startCtx, o)
	case KindSettings:
		return a.settings(ctx, startCtx, o)
	case KindCreateTopic:
		return a.createTopic(ctx, startCtx, o)
	case KindModifyTopic:
		return a.modifyTopic(ctx, startCtx, o)
	}
	return a.list(ctx, startCtx, o, u.items)
}

// The rule every write of Apply settles a lost answer by (settling, answered,
// refused, settled): a write whose answer was lost is sent again, up to
// settleRounds times, either blind (creates, adds, deletes, destroys: their
// repeat answers "already so") or after a read back that showed the old
// values (modify, set, settings). The refusal of a blind resend leaves its
// items unknown, for the lost answer, since the first send may have applied
// them; the refusal of a resend that a read showed to be needed is a
// failure. An operation says "a lost answer was settled" only when every
// item then ended done or already so.

// settling reports whether another round may settle a lost answer, and
// otherwise counts items as unknown in r.
func settling(startCtx context.Context, round int, lost error, r *listRun, items ...string) bool {
	if round == 0 {
		return true
	}
	if round > settleRounds || startCtx.Err() != nil {
		r.unknown = append(r.unknown, items...)
		if r.err == nil {
			r.err = lost
		}
		return false
	}
	return true
}

// refused counts items as refused for err: failed, unless blind is the
// lost answer of a write these items were sent again for without a read
// (nil otherwise); they are then unknown, for that lost answer.
func (r *listRun) refused(err, blind error, items ...string) {
	if blind == nil {
		r.fail(err, items...)
		return
	}
	r.unsettled(blind, "sent again, it was refused: "+err.Error(), items...)
}

// unsettled counts items as unknown: their write's answer was lost, and
// why says what then failed to settle it. The error wraps lost alone, so
// that tim.MayHaveApplied says what it is: the write may have applied.
func (r *listRun) unsettled(lost error, why string, items ...string) {
	r.unknown = append(r.unknown, items...)
	if r.err == nil {
		r.err = fmt.Errorf("%w; %s", lost, why)
	}
}

// settled notes in r that a lost answer (lost, nil if none) was settled,
// when every item of r ended done or already so and r has no note yet.
func (r *listRun) settled(lost error) {
	if lost != nil && r.note == "" && len(r.failed)+len(r.unknown)+len(r.notSent) == 0 {
		r.note = "a lost answer was settled"
	}
}

// create creates a group. A lost answer sends the create again; an ID in
// use (10021) is read back and counts as done only when the group is what
// the create makes.
func (a *applier) create(ctx, startCtx context.Context, o *Op) listRun {
	var r listRun
	var lost error
	id := o.PermissionGroupID
	for round := 0; settling(startCtx, round, lost, &r, id); round++ {
		_, err := a.c.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{
			GroupID: a.plan.GroupID, PermissionGroupID: id,
			Name: o.Fields.Name, Permission: o.Fields.Permission, CustomString: o.Fields.CustomString,
		})
		r.calls += callsOf(err)
		if errors.Is(err, tim.ErrIDInUse) {
			return a.adopt(ctx, o, r)
		}
		if !r.answered(err, id, &lost, true) {
			break
		}
	}
	r.settled(lost)
	return r
}

// answered records the answer of a one-item write: done, refused (see
// refused: unknown when blind, the write sent again without a read, after
// a lost answer), or lost (then it reports that another round may settle
// it).
func (r *listRun) answered(err error, id string, lost *error, blind bool) (again bool) {
	switch {
	case err == nil:
		r.done = []string{id}
		return false
	case mayHaveApplied(err):
		*lost = err
		return true
	}
	var after error
	if blind {
		after = *lost
	}
	r.refused(err, after, id)
	return false
}

// adopt settles a create answered 10021: done when the group read back is
// what the create makes (the plan's fields, no topics, no members), else
// failed, with nothing changed.
func (a *applier) adopt(ctx context.Context, o *Op, r listRun) listRun {
	id := o.PermissionGroupID
	cur, calls, err := fetchGroup(ctx, a.c, a.plan.GroupID, id, true, true)
	r.calls += calls
	switch {
	case err != nil:
		r.fail(fmt.Errorf("the ID is in use (10021), and reading the group back failed: %w", err), id)
	case cur.Name == o.Fields.Name && cur.Permission == o.Fields.Permission && cur.CustomString == o.Fields.CustomString &&
		len(cur.Topics) == 0 && len(cur.Members) == 0:
		r.already = []string{id}
		r.note = "the ID was in use (10021): read back, the group is what this create makes"
	default:
		r.fail(&changed{"permission group " + id + " was created"}, id)
	}
	return r
}

// readBack is what a read made to settle a lost change found.
type readBack int

const (
	readNew   readBack = iota // the change holds
	readOld                   // the values are still the old ones: send again
	readOther                 // someone else changed them
)

// rewrite sends a change of one item (send), and settles a lost answer by
// reading the item back (check): done if it holds the new values, sent
// again if it still holds the old ones, failed as changed since the plan
// (what) otherwise. A repeat of such a change would silently overwrite a
// change made meanwhile, so it is never sent without that read.
func (a *applier) rewrite(ctx, startCtx context.Context, id, what string, send func() error, check func() (readBack, int, error)) listRun {
	var r listRun
	var lost error
	for round := 0; settling(startCtx, round, lost, &r, id); round++ {
		if round > 0 {
			got, calls, err := check()
			r.calls += calls
			switch {
			case err != nil:
				r.unsettled(lost, "reading "+what+" back failed: "+err.Error(), id)
				return r
			case got == readNew:
				r.done = []string{id}
				r.settled(lost)
				return r
			case got == readOther:
				r.fail(&changed{what + " was changed"}, id)
				return r
			}
		}
		err := send()
		r.calls += callsOf(err)
		if !r.answered(err, id, &lost, false) { // the read showed the lost write did not apply
			break
		}
	}
	r.settled(lost)
	return r
}

// modify changes a group's fields. A lost answer reads them back: done if
// they hold the new values, sent again if they still hold the old ones.
func (a *applier) modify(ctx, startCtx context.Context, o *Op) listRun {
	id := o.PermissionGroupID
	req := &tim.ModifyPermissionGroupRequest{GroupID: a.plan.GroupID, PermissionGroupID: id}
	if o.Changed&FieldName != 0 {
		req.Name = tim.Ptr(o.Fields.Name)
	}
	if o.Changed&FieldPermission != 0 {
		req.Permission = tim.Ptr(o.Fields.Permission)
	}
	if o.Changed&FieldCustomString != 0 {
		req.CustomString = tim.Ptr(o.Fields.CustomString)
	}
	return a.rewrite(ctx, startCtx, id, "permission group "+id,
		func() error { return a.c.ModifyPermissionGroup(ctx, req) },
		func() (readBack, int, error) {
			cur, calls, err := fetchGroup(ctx, a.c, a.plan.GroupID, id, false, false)
			switch {
			case err != nil:
				return 0, calls, err
			case fieldsAre(cur, o.Changed, o.Fields):
				return readNew, calls, nil
			case fieldsAre(cur, o.Changed, o.Old):
				return readOld, calls, nil
			}
			return readOther, calls, nil
		})
}

// fieldsAre reports whether g's fields that mask names hold f's values.
func fieldsAre(g *PermissionGroup, mask FieldMask, f Fields) bool {
	return (mask&FieldName == 0 || g.Name == f.Name) &&
		(mask&FieldPermission == 0 || g.Permission == f.Permission) &&
		(mask&FieldCustomString == 0 || g.CustomString == f.CustomString)
}
