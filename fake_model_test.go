package tim_test

// A model-based test of the whole write family against the fake.

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

// model is what the permission groups of the seeded community should hold.
type model struct {
	groups map[string]*modelGroup
}

type modelGroup struct {
	name    string
	perm    tim.GroupPermission
	custom  string
	topics  map[string]tim.TopicPermission
	deleted map[string]bool // topics whose permission was deleted
	members []string        // in the order they were added
}

// TestFakeAgreesWithAModel runs random sequences of writes through the SDK
// and checks after each step that the read endpoints agree with a simple
// model of what the writes should have done, per-item codes included.
func TestFakeAgreesWithAModel(t *testing.T) {
	ctx := context.Background()
	topics := []string{topicA, topicB, topicC, community + "@TOPIC#_missing"} // the last is never created
	accounts := []string{"leckie", "amy", "peter", "outsider"}                // the last is not in the community
	for seed := range uint64(8) {
		t.Run("seed"+strconv.FormatUint(seed, 10), func(t *testing.T) {
			srv, client := seeded(t)
			_, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{"@PMG#_mods"}})
			require.NoError(t, err)
			m := model{groups: map[string]*modelGroup{}}
			r := rand.New(rand.NewPCG(seed, 42))
			pick := func(from []string) []string { // 1..3 distinct entries
				out := slices.Clone(from)
				r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
				return out[:1+r.IntN(3)]
			}
			// Some IDs that may or may not exist at any moment.
			candidates := []string{"@PMG#_p0", "@PMG#_p1", "@PMG#_p2"}
			for step := range 60 {
				id := candidates[r.IntN(len(candidates))]
				g := m.groups[id]
				switch op := r.IntN(8); op {
				case 0: // create
					name, perm := fmt.Sprint("n", step), tim.GroupPermission(r.Uint64())
					_, err := client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{GroupID: community, PermissionGroupID: id, Name: name, Permission: perm})
					if g != nil {
						require.ErrorIs(t, err, tim.ErrIDInUse, "step %d: %s exists", step, id)
						break
					}
					require.NoError(t, err, "step %d", step)
					m.groups[id] = &modelGroup{name: name, perm: perm, topics: map[string]tim.TopicPermission{}, deleted: map[string]bool{}}
				case 1: // modify
					custom := fmt.Sprint("c", step)
					err := client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{GroupID: community, PermissionGroupID: id, CustomString: &custom})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					g.custom = custom
				case 2: // destroy
					res, err := client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: community, PermissionGroupIDs: []string{id}})
					require.NoError(t, err, "step %d", step)
					if g == nil {
						require.ErrorIs(t, res[0].Err(), tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, res[0].Err(), "step %d", step)
					delete(m.groups, id)
				case 3, 4: // add or set topic permissions
					add := op == 3
					var settings []tim.TopicPermissionSetting
					for _, topic := range pick(topics) {
						settings = append(settings, tim.TopicPermissionSetting{TopicID: topic, Permission: tim.TopicPermission(r.IntN(128))})
					}
					var res []tim.ItemResult
					var err error
					if add {
						res, err = client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: id, Topics: settings})
					} else {
						res, err = client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: community, PermissionGroupID: id, Topics: settings})
					}
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					for i, st := range settings {
						_, has := g.topics[st.TopicID]
						var want tim.ErrorCode
						switch {
						case st.TopicID == topics[3]:
							want = tim.ErrInvalidTopicID
						case add && has:
							want = tim.ErrTopicAlreadyInPermissionGroup
						case !add && !has:
							want = tim.ErrTopicNotInPermissionGroup
						default:
							g.topics[st.TopicID] = st.Permission
							delete(g.deleted, st.TopicID)
						}
						require.Equal(t, want, res[i].ErrorCode, "step %d: %s of %s", step, map[bool]string{true: "add", false: "set"}[add], st.TopicID)
					}
				case 5: // delete topic permissions
					ids := pick(topics[:3])
					res, err := client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: community, PermissionGroupID: id, TopicIDs: ids})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					for i, topic := range ids {
						_, has := g.topics[topic]
						switch {
						case has:
							require.NoError(t, res[i].Err(), "step %d", step)
							delete(g.topics, topic)
							g.deleted[topic] = true
						case g.deleted[topic]:
							require.ErrorIs(t, res[i].Err(), tim.ErrTopicPermissionAlreadyDeleted, "step %d: %s", step, topic)
						default:
							require.ErrorIs(t, res[i].Err(), tim.ErrTopicNotInPermissionGroup, "step %d: %s", step, topic)
						}
					}
				case 6: // add members
					who := pick(accounts)
					res, err := client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: id, Accounts: who})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					for i, a := range who {
						switch {
						case a == "outsider":
							require.ErrorIs(t, res[i].Err(), tim.ErrUserNotFound, "step %d", step)
						case slices.Contains(g.members, a):
							require.ErrorIs(t, res[i].Err(), tim.ErrAlreadyMember, "step %d", step)
						default:
							require.NoError(t, res[i].Err(), "step %d", step)
							g.members = append(g.members, a)
						}
					}
				case 7: // delete members
					who := pick(accounts)
					res, err := client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: community, PermissionGroupID: id, Accounts: who})
					if g == nil {
						require.ErrorIs(t, err, tim.ErrPermissionGroupNotFound, "step %d", step)
						break
					}
					require.NoError(t, err, "step %d", step)
					assert.Equal(t, make([]tim.ErrorCode, len(who)), codes(res))
					g.members = slices.DeleteFunc(g.members, func(a string) bool { return slices.Contains(who, a) })
				}
				m.check(t, client, step)
			}
			assert.NotEmpty(t, srv.Requests())
		})
	}
}

// check compares every read endpoint with the model.
func (m model) check(t *testing.T, client *tim.Client, step int) {
	t.Helper()
	ctx := context.Background()
	got := map[string]tim.PermissionGroup{}
	for g, err := range client.AllPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community, Limit: 2}) {
		require.NoError(t, err, "step %d", step)
		got[g.ID] = g
	}
	require.ElementsMatch(t, slices.Collect(maps.Keys(m.groups)), slices.Collect(maps.Keys(got)), "step %d: the permission groups", step)
	for id, want := range m.groups {
		g := got[id]
		require.Equal(t, tim.PermissionGroup{ID: id, Name: want.name, CustomString: want.custom, Permission: want.perm, MemberCount: len(want.members)}, g, "step %d", step)
		require.Equal(t, want.topics, readTopics(t, client, id), "step %d: topics of %s", step, id)
		members := readMembers(t, client, id, 1+step%3)
		if len(want.members) == 0 {
			require.Empty(t, members, "step %d: members of %s", step, id)
		} else {
			require.Equal(t, want.members, members, "step %d: members of %s", step, id)
		}
	}
}
