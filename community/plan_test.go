package community_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func accounts(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, i)
	}
	return out
}

func topics(group string, n int) map[string]tim.TopicPermission {
	out := map[string]tim.TopicPermission{}
	for i := range n {
		out[fmt.Sprintf("%s@TOPIC#_t%03d", group, i)] = tim.TopicPermSendMessage
	}
	return out
}

// TestDiffCalls: the plan's operations and its count of calls after
// splitting, with no server.
func TestDiffCalls(t *testing.T) {
	const g = "@TGS#_c"
	snap := &community.Snapshot{GroupID: g, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_big", Name: "Big", Topics: topics(g, 60), Members: accounts("m", 250)},
	}}
	for i := range 41 { // 41 groups to destroy: 3 destroy requests
		snap.PermissionGroups = append(snap.PermissionGroups, community.PermissionGroup{ID: fmt.Sprintf("@PMG#_old%02d", i), Name: "Old"})
	}
	bigTopics := topics(g, 60)
	for topic := range bigTopics {
		bigTopics[topic] = tim.TopicPermAtAll // 60 sets: 2 requests
	}
	spec := &community.Spec{GroupID: g, Prune: true, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_big", Name: "Bigger", Permission: tim.GroupPermAtAll, Topics: bigTopics,
			Members: append(accounts("m", 50), accounts("n", 201)...)}, // 200 deleted (2), 201 added (3)
		{ID: "@PMG#_new", Name: "New", Topics: topics(g, 51), Members: accounts("m", 100)}, // 1 + 2 + 1
	}}
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)
	var kinds []string
	for _, o := range plan.Ops[:7] {
		kinds = append(kinds, fmt.Sprintf("%s %s %d", o.Kind, o.PermissionGroupID, len(o.Topics)+len(o.Accounts)))
	}
	assert.Equal(t, []string{
		"modify @PMG#_big 0", "set topics @PMG#_big 60", "delete members @PMG#_big 200", "add members @PMG#_big 201",
		"create @PMG#_new 0", "add topics @PMG#_new 51", "add members @PMG#_new 100",
	}, kinds)
	assert.Len(t, plan.Ops, 7+41)
	assert.Equal(t, community.Summary{Create: 1, Change: 1, Destroy: 41,
		Calls: 1 + 2 + 2 + 3 + 1 + 2 + 1 + 3}, plan.Summary())
}

// TestDiffManagedFields: what the spec leaves out is not compared; what it
// sets, even empty, is exact; without prune no group is destroyed.
func TestDiffManagedFields(t *testing.T) {
	const g = "@TGS#_c"
	snap := &community.Snapshot{GroupID: g, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_@PMG#made", Name: "Server-made"},
		{ID: "@PMG#_a", Name: "A", CustomString: "keep", Topics: topics(g, 2), Members: []string{"x", "y"}},
		{ID: "@PMG#_b", Name: "B", CustomString: "drop", Topics: topics(g, 2), Members: []string{"x", "y"}},
	}}
	spec := &community.Spec{GroupID: g, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_a", Name: "A"}, // nothing else managed: no change
		{ID: "@PMG#_b", Name: "B", CustomString: tim.Ptr(""), Topics: map[string]tim.TopicPermission{}, Members: []string{}},
	}}
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)
	require.Len(t, plan.Ops, 3)
	assert.Equal(t, community.KindModify, plan.Ops[0].Kind)
	assert.Equal(t, community.FieldCustomString, plan.Ops[0].Changed)
	assert.Equal(t, community.KindDeleteTopics, plan.Ops[1].Kind)
	assert.Equal(t, community.KindDeleteMembers, plan.Ops[2].Kind)
	assert.Equal(t, []string{"x", "y"}, plan.Ops[2].Accounts)

	spec.Prune = true
	plan, err = community.Diff(snap, spec)
	require.NoError(t, err)
	assert.Len(t, plan.Ops, 3, "prune keeps the group whose ID the service made")
	assert.Equal(t, []community.KeptGroup{{ID: "@PMG#_@PMG#made", Name: "Server-made", Reason: community.KeptServerMade}}, plan.Kept)

	spec.PruneServerMade = true
	plan, err = community.Diff(snap, spec)
	require.NoError(t, err)
	last := plan.Ops[len(plan.Ops)-1]
	assert.Equal(t, community.KindDestroy, last.Kind, "prune_server_made destroys it")
	assert.Equal(t, "@PMG#_@PMG#made", last.PermissionGroupID)
	assert.Empty(t, plan.Kept)
}

func TestDiffRefuses(t *testing.T) {
	snap := &community.Snapshot{GroupID: "@TGS#_c"}
	_, err := community.Diff(snap, &community.Spec{GroupID: "@TGS#_d"})
	assert.ErrorContains(t, err, "the snapshot is of @TGS#_c, the spec of @TGS#_d")
	_, err = community.Diff(snap, &community.Spec{GroupID: "@TGS#_c", PermissionGroups: []community.GroupSpec{{ID: "@PMG#_x"}}})
	var se *community.SpecError
	assert.ErrorAs(t, err, &se, "the spec is validated")
}

func TestSimulateRefusesWhatDoesNotFit(t *testing.T) {
	snap := &community.Snapshot{GroupID: "@TGS#_c", PermissionGroups: []community.PermissionGroup{{ID: "@PMG#_a", Name: "A"}}}
	_, err := community.Simulate(snap, &community.Plan{GroupID: "@TGS#_c", Ops: []community.Op{{Kind: community.KindCreate, PermissionGroupID: "@PMG#_a"}}})
	assert.ErrorContains(t, err, "creates @PMG#_a, which exists")
	_, err = community.Simulate(snap, &community.Plan{GroupID: "@TGS#_c", Ops: []community.Op{{Kind: community.KindAddMembers, PermissionGroupID: "@PMG#_b", Accounts: []string{"x"}}}})
	assert.ErrorContains(t, err, "about @PMG#_b, which does not exist")
	assert.Len(t, snap.PermissionGroups, 1, "s is not changed")
}

// TestPlanGolden: the printed plan, against testdata/plan.golden (go test
// -run TestPlanGolden -update rewrites it).
func TestPlanGolden(t *testing.T) {
	const g = "@TGS#_demo"
	snap := &community.Snapshot{GroupID: g, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_@PMG#c2V", Name: "Made by the service", Members: []string{"x", "y", "z"}, Topics: map[string]tim.TopicPermission{g + "@TOPIC#_news": 8}},
		{ID: "@PMG#_legacy", Name: "Legacy", Permission: tim.GroupPermSendMessage, Members: []string{"x"},
			Topics: map[string]tim.TopicPermission{g + "@TOPIC#_news": 8, g + "@TOPIC#_old": 8}},
		{ID: "@PMG#_members", Name: "Members", Permission: tim.GroupPermSendMessage, CustomString: strings.Repeat("long ", 20),
			Topics:  map[string]tim.TopicPermission{g + "@TOPIC#_news": tim.TopicPermSendMessage, g + "@TOPIC#_old": tim.TopicPermReadHistory},
			Members: []string{"carol", "dave"}},
		{ID: "@PMG#_quiet", Name: "Quiet", Members: []string{"erin"}},
	}}
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "prune": true, "permission_groups": [
		{"id": "@PMG#_moderators", "name": "Moderators", "permission": ["MuteMembers", "SendMessage"], "custom_string": "{\"team\":\"t&s\"}",
		 "topics": {"@TGS#_demo@TOPIC#_general": ["SendMessage", "ReadHistory"]}, "members": ["alice", "bob"]},
		{"id": "@PMG#_members", "name": "Everyone", "permission": ["SendMessage", "AtAll", "0x800"], "custom_string": "short",
		 "topics": {"@TGS#_demo@TOPIC#_news": 0, "@TGS#_demo@TOPIC#_general": 8}, "members": ["carol", "frank", "a b"]},
		{"id": "@PMG#_quiet", "name": "Quiet", "permission": 0, "members": []}]}`))
	require.NoError(t, err)
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)
	got := plan.String()

	empty, err := community.Diff(snap, &community.Spec{GroupID: g, PermissionGroups: []community.GroupSpec{{ID: "@PMG#_legacy", Name: "Legacy", Permission: tim.GroupPermSendMessage}}})
	require.NoError(t, err)
	got += "---\n" + empty.String()

	all, err := community.Diff(snap, &community.Spec{GroupID: g, Prune: true, PermissionGroups: []community.GroupSpec{}})
	require.NoError(t, err)
	got += "---\n" + all.String()

	path := filepath.Join("testdata", "plan.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}
