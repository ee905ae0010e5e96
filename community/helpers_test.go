package community_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// newFake starts a fake and a client for it, both closed at the end of the
// test.
func newFake(t testing.TB, opts ...timtest.Option) (*timtest.Server, *tim.Client) {
	t.Helper()
	srv := timtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	client, err := srv.NewClient()
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	return srv, client
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// world is a random community seeded in a fake.
type world struct {
	groupID  string
	accounts []string // members of the community, the owner not among them
	topics   []string
	ids      []string // the custom permission-group IDs specs draw from
}

// shape bounds a random world.
type shape struct {
	accounts, topics, ids int
	maxMembers            int // most members of one group
}

var smallShape = shape{accounts: 12, topics: 5, ids: 7, maxMembers: 10}
var splitShape = shape{accounts: 230, topics: 60, ids: 4, maxMembers: 220} // lists past the 50 and 100 limits

// seedWorld seeds a random community: some of the IDs made, one group with
// a server-made ID now and then, random topics and members.
func seedWorld(t testing.TB, srv *timtest.Server, r *rand.Rand, name string, sh shape) world {
	t.Helper()
	w := world{groupID: "@TGS#_" + name}
	require.NoError(t, srv.CreateCommunity(w.groupID, "owner"))
	require.NoError(t, srv.SetPermissionDefaults(w.groupID, r.IntN(4) > 0, randGroupPerm(r)))
	for i := range sh.accounts {
		a := fmt.Sprintf("u%03d", i)
		w.accounts = append(w.accounts, a)
		require.NoError(t, srv.AddMember(w.groupID, a, tim.RoleMember))
	}
	for i := range sh.topics {
		topic := fmt.Sprintf("%s@TOPIC#_t%02d", w.groupID, i)
		w.topics = append(w.topics, topic)
		require.NoError(t, srv.CreateTopic(w.groupID, topic))
	}
	for i := range sh.ids {
		w.ids = append(w.ids, fmt.Sprintf("@PMG#_g%02d", i))
	}
	seed := func(id string) {
		got, err := srv.CreatePermissionGroup(w.groupID, timtest.PermissionGroup{ID: id, Name: randName(r), CustomString: randName(r), Permission: randGroupPerm(r)})
		require.NoError(t, err)
		for _, topic := range randSubset(r, w.topics, len(w.topics)) {
			require.NoError(t, srv.SetTopicPermission(w.groupID, got, topic, randTopicPerm(r)))
		}
		if m := randSubset(r, w.accounts, sh.maxMembers); len(m) > 0 {
			require.NoError(t, srv.AddPermissionGroupMembers(w.groupID, got, m...))
		}
	}
	for _, id := range w.ids {
		if r.IntN(2) == 0 {
			seed(id)
		}
	}
	if r.IntN(3) == 0 {
		seed("") // a server-made ID: specs cannot name it; prune destroys it
	}
	return w
}

// randomSpec draws a spec for w: some of its IDs, each field drawn or copied
// from the snapshot, the optional ones managed or not.
func randomSpec(r *rand.Rand, w world, snap *community.Snapshot, sh shape) *community.Spec {
	spec := &community.Spec{GroupID: w.groupID, Prune: r.IntN(3) == 0, PermissionGroups: []community.GroupSpec{}}
	for _, id := range w.ids {
		if r.IntN(4) == 0 {
			continue
		}
		cur := snap.PermissionGroup(id)
		g := community.GroupSpec{ID: id, Name: randName(r), Permission: randGroupPerm(r)}
		if cur != nil && r.IntN(2) == 0 {
			g.Name, g.Permission = cur.Name, cur.Permission
		}
		if r.IntN(2) == 0 {
			g.CustomString = tim.Ptr(randName(r))
			if cur != nil && r.IntN(2) == 0 {
				g.CustomString = tim.Ptr(cur.CustomString)
			}
		}
		if r.IntN(4) > 0 {
			g.Topics = map[string]tim.TopicPermission{}
			if cur != nil && r.IntN(3) == 0 {
				g.Topics = maps.Clone(cur.Topics) // some kept as they are
			}
			for _, topic := range randSubset(r, w.topics, len(w.topics)) {
				g.Topics[topic] = randTopicPerm(r)
			}
			for _, topic := range randSubset(r, slices.Sorted(maps.Keys(g.Topics)), 3) {
				delete(g.Topics, topic)
			}
		}
		if r.IntN(4) > 0 {
			g.Members = randSubset(r, w.accounts, sh.maxMembers)
			if cur != nil && r.IntN(3) == 0 { // mostly the same members
				g.Members = append(randSubset(r, cur.Members, len(cur.Members)), randSubset(r, w.accounts, 3)...)
				slices.Sort(g.Members)
				g.Members = slices.Compact(g.Members)
			}
			r.Shuffle(len(g.Members), func(i, j int) { g.Members[i], g.Members[j] = g.Members[j], g.Members[i] })
		}
		spec.PermissionGroups = append(spec.PermissionGroups, g)
	}
	r.Shuffle(len(spec.PermissionGroups), func(i, j int) {
		spec.PermissionGroups[i], spec.PermissionGroups[j] = spec.PermissionGroups[j], spec.PermissionGroups[i]
	})
	return spec
}

func randSubset(r *rand.Rand, from []string, most int) []string {
	n := r.IntN(min(most, len(from)) + 1)
	out := []string{}
	for _, i := range r.Perm(len(from))[:n] {
		out = append(out, from[i])
	}
	return out
}

func randName(r *rand.Rand) string {
	names := []string{"Moderators", "Speakers", "Readers", "Ops", "Staff", "VIP", "Guests", "Bots", "Новички", "管理员"}
	return names[r.IntN(len(names))] + fmt.Sprint(r.IntN(3))
}

func randGroupPerm(r *rand.Rand) tim.GroupPermission {
	p := tim.GroupPermission(r.Uint64() & 0x7ff)
	if r.IntN(8) == 0 {
		p |= 1 << (11 + r.IntN(53)) // a bit without a name
	}
	return p
}

func randTopicPerm(r *rand.Rand) tim.TopicPermission {
	p := tim.TopicPermission(r.Uint64() & 0x7f)
	if r.IntN(8) == 0 {
		p |= 1 << (7 + r.IntN(57))
	}
	return p
}

// managed returns what of got the spec manages: got's groups that spec
// names, with only the fields spec manages, for comparing an export with a
// spec.
func managed(spec, got *community.Spec) *community.Spec {
	out := &community.Spec{GroupID: got.GroupID, Prune: spec.Prune}
	byID := map[string]community.GroupSpec{}
	for _, g := range got.PermissionGroups {
		byID[g.ID] = g
	}
	for _, want := range spec.PermissionGroups {
		g, ok := byID[want.ID]
		if !ok {
			continue
		}
		if want.CustomString == nil {
			g.CustomString = nil
		}
		if want.Topics == nil {
			g.Topics = nil
		}
		if want.Members == nil {
			g.Members = nil
		}
		out.PermissionGroups = append(out.PermissionGroups, g)
	}
	return out
}

// normalized sorts a spec's groups by ID and its members.
func normalized(s *community.Spec) *community.Spec {
	s = s.Clone()
	slices.SortFunc(s.PermissionGroups, func(a, b community.GroupSpec) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	for i := range s.PermissionGroups {
		if m := s.PermissionGroups[i].Members; m != nil {
			slices.Sort(m)
		}
	}
	if s.PermissionGroups == nil {
		s.PermissionGroups = []community.GroupSpec{}
	}
	return s
}

// writeCommands are the commands that change state.
var writeCommands = []string{
	tim.CommandCreatePermissionGroup, tim.CommandModifyPermissionGroup, tim.CommandDestroyPermissionGroup,
	tim.CommandAddTopicPermissionGroup, tim.CommandSetTopicPermissionGroup, tim.CommandDeleteTopicPermissionGroup,
	tim.CommandAddPermissionGroupMember, tim.CommandDeletePermissionGroupMember,
	tim.CommandModifyGroupBaseInfo, tim.CommandCreateTopic, tim.CommandModifyTopic, tim.CommandDestroyTopic,
}

// writes counts the write requests the fake received.
func writes(srv *timtest.Server) int {
	n := 0
	for _, c := range writeCommands {
		n += len(srv.RequestsFor(c))
	}
	return n
}
