package community

import (
	"context"
	"slices"

	"github.com/timkit/tim"
)

// unit is one request of a plan (and what settles its answer): a create, a
// modify, or one chunk of a list operation's items. A chunk of destroys may
// serve several operations.
type unit struct {
	ops     []int    // the operations it serves
	items   []string // its items: topic IDs, accounts, or group IDs
	waitFor int      // how many operations it waits for (guarded by applier.mu)
	ran     bool     // it started (guarded by applier.mu)
}

// opState is what is known of one operation while Apply runs.
type opState struct {
	units    int     // units not finished
	sent     bool    // a unit of it started
	run      listRun // its units' results
	waiting  []*unit // units that start once it is applied
	reported bool
}

// units splits the plan into units, records the operations' states and
// dependencies in a, and returns the units that can start at once, in plan
// order.
func (p *Plan) units(a *applier) []*unit {
	a.ops = make([]opState, len(p.Ops))
	type groupOps struct{ create, delTopics, delMembers int }
	by := map[string]*groupOps{}
	for i := range p.Ops {
		o := &p.Ops[i]
		g := by[o.PermissionGroupID]
		if g == nil {
			g = &groupOps{-1, -1, -1}
			by[o.PermissionGroupID] = g
		}
		switch o.Kind {
		case KindCreate:
			g.create = i
		case KindDeleteTopics:
			g.delTopics = i
		case KindDeleteMembers:
			g.delMembers = i
		}
	}
	var ready []*unit
	add := func(u *unit, after ...int) {
		a.units = append(a.units, u)
		for _, j := range after {
			if j >= 0 {
				a.ops[j].waiting = append(a.ops[j].waiting, u)
				u.waitFor++
			}
		}
		for _, i := range u.ops {
			a.ops[i].units++
		}
		if u.waitFor == 0 {
			ready = append(ready, u)
		}
	}
	var destroys, topicDestroys, others []int
	pre := p.communityFirst() // the settings and topic changes, before any group's
	for i := range p.Ops {
		o := &p.Ops[i]
		g := by[o.PermissionGroupID]
		var after []int
		switch o.Kind {
		case KindDestroy:
			destroys = append(destroys, i)
			continue
		case KindDestroyTopic:
			topicDestroys = append(topicDestroys, i)
			continue
		case KindSettings:
		case KindCreateTopic, KindModifyTopic:
			after = pre.before(i, o.TopicID)
		case KindCreate:
			after = pre.all
		case KindAddTopics:
			after = append([]int{g.create, g.delTopics}, pre.all...)
		case KindAddMembers:
			after = append([]int{g.create, g.delMembers}, pre.all...)
		default:
			after = append([]int{g.create}, pre.all...)
		}
		others = append(others, i)
		items := o.items()
		limit := o.Kind.limit()
		if limit == 0 {
			limit = 1
		}
		for start := 0; start < len(items); start += limit {
			add(&unit{ops: []int{i}, items: items[start:min(start+limit, len(items))]}, after...)
		}
	}
	for start := 0; start < len(destroys); start += tim.MaxPermissionGroupsPerDestroy {
		chunk := destroys[start:min(start+tim.MaxPermissionGroupsPerDestroy, len(destroys))]
		u := &unit{ops: chunk}
		for _, i := range chunk {
			u.items = append(u.items, p.Ops[i].PermissionGroupID)
		}
		add(u, others...) // destroys go last, once everything else is applied
	}
	last := append(slices.Clone(others), destroys...)
	for start := 0; start < len(topicDestroys); start += tim.MaxTopicsPerDestroy {
		chunk := topicDestroys[start:min(start+tim.MaxTopicsPerDestroy, len(topicDestroys))]
		u := &unit{ops: chunk}
		for _, i := range chunk {
			u.items = append(u.items, p.Ops[i].TopicID)
		}
		add(u, last...) // topic destroys after the group destroys
	}
	return ready
}

// communityOps are the operations on the settings and topics that the
// groups' operations wait for.
type communityOps struct {
	settings int   // the settings' operation, or -1
	all      []int // it and every topic create and modify
	creates  map[string]int
}

// communityFirst finds the plan's settings and topic changes.
func (p *Plan) communityFirst() communityOps {
	c := communityOps{settings: -1, creates: map[string]int{}}
	for i := range p.Ops {
		switch p.Ops[i].Kind {
		case KindSettings:
			c.settings = i
		case KindCreateTopic:
			c.creates[p.Ops[i].TopicID] = i
		case KindModifyTopic:
		default:
			continue
		}
		c.all = append(c.all, i)
	}
	return c
}

// before returns what topic operation i (about topic id) waits for: the
// settings, and the create of its topic when i modifies it.
func (c communityOps) before(i int, id string) []int {
	create, ok := c.creates[id]
	if !ok || create == i {
		create = -1
	}
	return []int{c.settings, create}
}

// items are what an operation's requests name: its topics or accounts, its
// group's ID, its topic's ID, or "settings".
func (o *Op) items() []string {
	switch {
	case o.Kind >= KindSettings:
		return []string{o.target()}
	case len(o.Topics) > 0:
		return topicIDs(o.Topics)
	case len(o.Accounts) > 0:
		return o.Accounts
	}
	return []string{o.PermissionGroupID}
}

// runUnit sends one unit and settles its answers, unless Apply stopped
// before, and records the result.
func (a *applier) runUnit(ctx, startCtx context.Context, u *unit) {
	var r listRun
	a.mu.Lock()
	u.ran = true
	sending := startCtx.Err() == nil
	for _, i := range u.ops {
		a.ops[i].sent = a.ops[i].sent || sending
	}
	a.mu.Unlock()
	if sending {
		r = a.send(ctx, startCtx, u)
	} else {
		r.notSent = u.items
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.running--
	a.recordUnit(u, r)
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// recordUnit records a unit's result in its operations. The caller holds
// a.mu.
func (a *applier) recordUnit(u *unit, r listRun) {
	if len(u.ops) == 1 {
		a.record(u.ops[0], r)
		return
	}
	for k, i := range u.ops { // a chunk of destroys: each operation its group or topic
		one := r.only(a.plan.Ops[i].target())
		if k == 0 {
			one.calls = r.calls // the chunk's requests count once, on its first
		}
		a.record(i, one)
	}
}

// record adds a unit's result to operation i and finishes the operation
// when it was the last unit. The caller holds a.mu.
func (a *applier) record(i int, r listRun) {
	st := &a.ops[i]
	if len(r.failed)+len(r.unknown) > 0 { // a failure stops everything, its own operation's other requests too
		if a.why == nil {
			a.why = r.err
		}
		a.stopStarting()
	}
	st.run.merge(r)
	if st.run.note == "" {
		st.run.note = r.note
	}
	st.units--
	if st.units == 0 {
		a.finish(i)
	}
}

// finish reports operation i's outcome; when it was applied it releases
// the units that waited for it, else nothing more starts. The caller holds
// a.mu.
func (a *applier) finish(i int) {
	st := &a.ops[i]
	if st.reported {
		return
	}
	st.reported = true
	o := &a.plan.Ops[i]
	out := Outcome{Op: o}
	if st.sent {
		out = st.run.outcome(o)
		if out.Status != Applied && out.Err == nil {
			out.Err = a.why
		}
	}
	a.res.Outcomes[i] = out
	a.res.Calls += out.Calls
	if a.opts.OnOutcome != nil {
		a.opts.OnOutcome(out)
	}
	if out.Status != Applied {
		if st.sent && a.why == nil && out.Err != nil {
			a.why = out.Err
		}
		if st.sent {
			a.stopStarting()
		}
		return
	}
	for _, u := range st.waiting {
		u.waitFor--
		if u.waitFor == 0 {
			a.queue = append(a.queue, u)
		}
	}
}
