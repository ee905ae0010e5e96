package community

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/workers"
)

// StaleError is why [CheckPlan] refuses a plan: the parts of the community
// it depends on changed since it was made.
type StaleError struct {
	GroupID string
	// Changes say what changed, e.g. "permission group @PMG#_x was
	// created", "the members of permission group @PMG#_y changed".
	Changes []string
}

// Error returns "saved plan is stale: {changes}; plan again".
func (e *StaleError) Error() string {
	return "saved plan is stale: " + strings.Join(e.Changes, "; ") + "; plan again"
}

// CheckPlan reads again every part of the community that p depends on (its
// [Fingerprint]) and returns nil only if none of it changed, so that
// applying p makes exactly the changes it shows. It reads the groups the
// spec names (their fields, and their topics and members where the spec
// manages them), the settings when the spec manages them and the topics
// (one get_topic) when it lists or grants any, or, when the spec prunes
// groups or topics, the whole community ([Load]). A change is a
// [*StaleError]. It then checks the community again as [CheckSpec] does
// (the spec's accounts are members, its granted topics exist): a saved
// plan is applied only if the check holds now, not only when the plan was
// made; a failure is a [*CheckError]. A plan whose operations are not what
// its spec makes of the community read now (an edited plan file) is an
// error too. p must hold its spec (a plan from [Diff] or
// [Plan.UnmarshalJSON]).
func CheckPlan(ctx context.Context, c Client, p *Plan, opts *LoadOptions) error {
	if p.Spec == nil {
		return errors.New("community: CheckPlan: the plan holds no spec (make it with Diff)")
	}
	fresh, err := readFor(ctx, c, p.Spec, opts)
	if err != nil {
		return err
	}
	if changes := p.Fingerprint.changes(fingerprintOf(fresh, p.Spec)); len(changes) > 0 {
		return &StaleError{GroupID: p.GroupID, Changes: changes}
	}
	if err := CheckSpec(ctx, c, fresh, p.Spec); err != nil {
		return err
	}
	again, err := Diff(fresh, p.Spec)
	if err != nil {
		return err
	}
	want, err1 := json.Marshal(again)
	got, err2 := json.Marshal(p)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if !bytes.Equal(want, got) {
		return errors.New("community: the plan's operations are not what its spec makes of the community, which has not changed since: was the plan edited?")
	}
	return nil
}

// Verify reads again the permission groups plan p changes (their fields,
// and their topics and members where the spec manages them; for a destroy,
// whether the group is gone), the settings if p changes them (one
// get_group_info) and the topics p creates, changes or destroys (one
// get_topic naming them), and returns what still differs from the spec, as
// a plan: empty when the community matches. Its cost is proportional to
// what p changes, not to the community. p must hold its spec.
func Verify(ctx context.Context, c Client, p *Plan, opts *LoadOptions) (*Plan, error) {
	if p.Spec == nil {
		return nil, errors.New("community: Verify: the plan holds no spec (make it with Diff)")
	}
	byID := map[string]*GroupSpec{}
	for i := range p.Spec.PermissionGroups {
		byID[p.Spec.PermissionGroups[i].ID] = &p.Spec.PermissionGroups[i]
	}
	sub := &Spec{GroupID: p.GroupID, PermissionGroups: []GroupSpec{}}
	var reads []groupRead
	var destroyed []string
	parts := verifyParts(p, sub)
	for i := range p.Ops {
		if p.Ops[i].Kind >= KindSettings {
			continue
		}
		id := p.Ops[i].PermissionGroupID
		if slices.ContainsFunc(reads, func(r groupRead) bool { return r.id == id }) {
			continue
		}
		if g := byID[id]; g != nil {
			sub.PermissionGroups = append(sub.PermissionGroups, g.clone())
			reads = append(reads, groupRead{id, g.Topics != nil, g.Members != nil})
		} else {
			destroyed = append(destroyed, id)
			reads = append(reads, groupRead{id, true, true})
		}
	}
	fresh, err := readGroups(ctx, c, p.GroupID, reads, opts)
	if err != nil {
		return nil, err
	}
	if err := readParts(ctx, c, fresh, sub.Settings != nil, len(parts.topics) > 0, parts.topics); err != nil {
		return nil, err
	}
	drift, err := Diff(fresh, sub)
	if err != nil {
		return nil, err
	}
	for _, id := range destroyed {
		if g := fresh.PermissionGroup(id); g != nil {
			drift.Ops = append(drift.Ops, Op{Kind: KindDestroy, PermissionGroupID: id,
				Fields:  Fields{Name: g.Name, Permission: g.Permission, CustomString: g.CustomString},
				Members: len(g.Members), TopicGrants: len(g.Topics)})
		}
	}
	for _, id := range parts.destroyed {
		if t := fresh.Topic(id); t != nil {
			drift.Ops = append(drift.Ops, Op{Kind: KindDestroyTopic, TopicID: id, Topic: *t})
		}
	}
	drift.Spec, drift.Fingerprint = p.Spec, nil
	return drift, nil
}

// verifiedParts are the settings and topics Verify reads again.
type verifiedParts struct {
	topics    []string // every topic p creates, changes or destroys
	destroyed []string // the topics p destroys
}

// verifyParts puts into sub the settings and topics of p's spec that p
// changes, and returns the topics to read.
func verifyParts(p *Plan, sub *Spec) verifiedParts {
	var v verifiedParts
	byID := map[string]*TopicSpec{}
	for i := range p.Spec.Topics {
		byID[p.Spec.Topics[i].ID] = &p.Spec.Topics[i]
	}
	for i := range p.Ops {
		o := &p.Ops[i]
		switch {
		case o.Kind == KindSettings:
			sub.Settings = p.Spec.Settings.clone()
		case o.Kind < KindSettings || slices.Contains(v.topics, o.TopicID):
		case o.Kind == KindDestroyTopic:
			v.topics, v.destroyed = append(v.topics, o.TopicID), append(v.destroyed, o.TopicID)
		case byID[o.TopicID] != nil:
			v.topics = append(v.topics, o.TopicID)
			sub.Topics = append(sub.Topics, byID[o.TopicID].clone())
		}
	}
	return v
}

// readFor reads what a plan of spec depends on: the whole community when
// the spec prunes groups or topics, else the groups it names, the settings
// if it manages them, and the topics if it lists or grants any.
func readFor(ctx context.Context, c Client, spec *Spec, opts *LoadOptions) (*Snapshot, error) {
	if spec.Prune || spec.PruneTopics {
		return Load(ctx, c, spec.GroupID, opts)
	}
	reads := make([]groupRead, len(spec.PermissionGroups))
	topics := spec.Topics != nil
	for i, g := range spec.PermissionGroups {
		reads[i] = groupRead{g.ID, g.Topics != nil, g.Members != nil}
		topics = topics || len(g.Topics) > 0
	}
	s, err := readGroups(ctx, c, spec.GroupID, reads, opts)
	if err != nil {
		return nil, err
	}
	return s, readParts(ctx, c, s, spec.Settings != nil, topics, nil)
}

// readParts reads into s the community's info (its settings) when info is
// set, and its topics when topics is set: all of them for nil ids, else
// those.
func readParts(ctx context.Context, c Client, s *Snapshot, info, topics bool, ids []string) error {
	if info {
		in, err := fetchInfo(ctx, c, s.GroupID)
		if err != nil {
			return &LoadError{GroupID: s.GroupID, Step: "get group info", Err: err}
		}
		s.setInfo(in)
	}
	if topics {
		list, unsupported, err := fetchTopicList(ctx, c, s.GroupID, ids)
		if err != nil {
			return &LoadError{GroupID: s.GroupID, Step: "get topics", Err: err}
		}
		s.Topics, s.TopicsUnsupported = list, unsupported
		s.sortGroups()
	}
	return nil
}

// groupRead is one group to read by ID, and which of its lists.
type groupRead struct {
	id              string
	topics, members bool
}

// readGroups reads the given groups by ID (absent ones are left out) into a
// snapshot of community groupID.
func readGroups(ctx context.Context, c Client, groupID string, reads []groupRead, opts *LoadOptions) (*Snapshot, error) {
	if c == nil {
		return nil, errors.New("community: nil Client")
	}
	concurrency := DefaultLoadConcurrency
	if opts != nil && opts.Concurrency > 0 {
		concurrency = opts.Concurrency
	}
	var mu sync.Mutex
	s := &Snapshot{GroupID: groupID, Admin: c.Identifier()}
	err := workers.Run(ctx, concurrency, len(reads), func(ctx context.Context, i int) error {
		r := reads[i]
		g, _, err := fetchGroup(ctx, c, groupID, r.id, r.topics, r.members)
		switch {
		case errors.Is(err, tim.ErrPermissionGroupNotFound):
			return nil // absent
		case err != nil:
			return &LoadError{GroupID: groupID, PermissionGroupID: r.id, Step: "read the permission group", Err: err}
		}
		mu.Lock()
		s.PermissionGroups = append(s.PermissionGroups, *g)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.sortGroups()
	return s, nil
}
