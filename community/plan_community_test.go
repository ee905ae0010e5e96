package community_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

const cg = "@TGS#_demo"

// communitySnapshot has settings, three custom topics and a server-made
// one, and two groups granting them.
func communitySnapshot() *community.Snapshot {
	return &community.Snapshot{GroupID: cg, PermissionGroupsEnabled: tim.Ptr(false), DefaultPermission: tim.Ptr(tim.GroupPermReadHistory),
		Topics: []community.Topic{
			{ID: cg + "@TOPIC#_@TOPIC#c1", Name: "Made"},
			{ID: cg + "@TOPIC#_general", Name: "general", Introduction: "hi"},
			{ID: cg + "@TOPIC#_old", Name: "Old", MuteAll: true},
			{ID: cg + "@TOPIC#_random", Name: "random"},
		},
		PermissionGroups: []community.PermissionGroup{
			{ID: "@PMG#_a", Name: "A", Topics: map[string]tim.TopicPermission{cg + "@TOPIC#_old": 8, cg + "@TOPIC#_general": 8}},
			{ID: "@PMG#_b", Name: "B", Topics: map[string]tim.TopicPermission{cg + "@TOPIC#_old": 4}},
		}}
}

const communitySpec = `{"group_id": "@TGS#_demo", "prune_topics": true,
	"settings": {"permission_groups_enabled": true, "default_permission": ["ReadHistory", "SendMessage"]},
	"topics": [
		{"id": "@TGS#_demo@TOPIC#_general", "name": "General", "introduction": "hi"},
		{"id": "@TGS#_demo@TOPIC#_random", "name": "random", "mute_all": false},
		{"id": "@TGS#_demo@TOPIC#_events", "name": "Events", "notification": "Fridays", "mute_all": true}],
	"permission_groups": [
		{"id": "@PMG#_a", "name": "A", "permission": 0, "topics": {"@TGS#_demo@TOPIC#_general": 8, "@TGS#_demo@TOPIC#_events": 8}}]}`

// TestDiffCommunity: settings, topic creates (with the modify that
// mute_all takes), changes and destroys are planned, counted, printed as
// the golden file shows, and written as JSON that reads back; a destroyed
// topic's grants are shown with it, not deleted first; a server-made
// topic is kept.
func TestDiffCommunity(t *testing.T) {
	snap := communitySnapshot()
	spec, err := community.ParseSpec(strings.NewReader(communitySpec))
	require.NoError(t, err)
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)

	var kinds []community.Kind
	for _, o := range plan.Ops {
		kinds = append(kinds, o.Kind)
	}
	assert.Equal(t, []community.Kind{community.KindSettings, community.KindCreateTopic, community.KindModifyTopic,
		community.KindModifyTopic, community.KindAddTopics, community.KindDestroyTopic}, kinds)
	assert.Equal(t, community.Summary{Create: 1, Change: 3, Destroy: 1, Calls: 6}, plan.Summary(),
		"settings, events, general and group A change; old goes: one call each")
	destroy := plan.Ops[len(plan.Ops)-1]
	assert.Equal(t, cg+"@TOPIC#_old", destroy.TopicID)
	assert.Equal(t, []community.Grant[tim.TopicPermission]{{PermissionGroupID: "@PMG#_a", Permission: 8}, {PermissionGroupID: "@PMG#_b", Permission: 4}}, destroy.Grants)
	assert.Equal(t, []community.KeptTopic{{ID: cg + "@TOPIC#_@TOPIC#c1", Name: "Made", Reason: community.KeptServerMade}}, plan.KeptTopics)
	golden(t, filepath.Join("testdata", "plan_community.golden"), plan.String())

	data, err := json.Marshal(plan)
	require.NoError(t, err)
	var back community.Plan
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, plan.Ops, back.Ops, "reads back")
	assert.Equal(t, plan.KeptTopics, back.KeptTopics)
	assert.Equal(t, plan.String(), back.String())

	after, err := community.Simulate(snap, plan)
	require.NoError(t, err)
	again, err := community.Diff(after, spec)
	require.NoError(t, err)
	assert.True(t, again.Empty(), "Simulate applies every kind:\n%s", again)
	assert.Nil(t, after.Topic(cg+"@TOPIC#_old"))
	assert.NotContains(t, after.PermissionGroup("@PMG#_b").Topics, cg+"@TOPIC#_old", "the destroy takes the grants")

	// The fingerprint names each part: a change of one makes the plan stale.
	for _, part := range []string{"settings permission_groups_enabled", "settings default_permission", "topics",
		"topic " + cg + "@TOPIC#_general", "topic " + cg + "@TOPIC#_events", "topic " + cg + "@TOPIC#_old", "topic " + cg + "@TOPIC#_old grants"} {
		assert.Contains(t, plan.Fingerprint, part)
	}
	assert.Equal(t, "absent", plan.Fingerprint["topic "+cg+"@TOPIC#_events"])
	renamed := communitySnapshot()
	renamed.Topics[3].Name = "Random"
	p2, err := community.Diff(renamed, spec)
	require.NoError(t, err)
	assert.NotEqual(t, plan.Fingerprint["topic "+cg+"@TOPIC#_random"], p2.Fingerprint["topic "+cg+"@TOPIC#_random"])
	assert.Equal(t, plan.Fingerprint["topic "+cg+"@TOPIC#_general"], p2.Fingerprint["topic "+cg+"@TOPIC#_general"])
}

// TestPruneTopicsGuard: prune_topics keeps server-made topics unless
// prune_server_made; "topics": [] with prune_topics destroys every topic
// that may go, which DestroysAll reports (tim apply then asks at a
// terminal); without prune_topics nothing is destroyed.
func TestPruneTopicsGuard(t *testing.T) {
	snap := communitySnapshot()
	parse := func(doc string) *community.Plan {
		spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "permission_groups": [], ` + doc + `}`))
		require.NoError(t, err)
		plan, err := community.Diff(snap, spec)
		require.NoError(t, err)
		return plan
	}
	destroyed := func(p *community.Plan) (ids []string) {
		for _, o := range p.Ops {
			if o.Kind == community.KindDestroyTopic {
				ids = append(ids, o.TopicID)
			}
		}
		return ids
	}
	p := parse(`"topics": []`)
	assert.Empty(t, destroyed(p), "no prune_topics: nothing destroyed")
	assert.False(t, p.DestroysAll())

	p = parse(`"prune_topics": true, "topics": []`)
	assert.Equal(t, []string{cg + "@TOPIC#_general", cg + "@TOPIC#_old", cg + "@TOPIC#_random"}, destroyed(p))
	assert.Len(t, p.KeptTopics, 1)
	assert.True(t, p.DestroysAll())
	assert.Contains(t, p.String(), "Warning: the spec prunes topics and lists none: this plan destroys every topic of @TGS#_demo but those kept above.")
	assert.Contains(t, p.String(), `  - topic @TGS#_demo@TOPIC#_old "Old" (grants in 2 permission groups)`)
	assert.Contains(t, p.String(), `  # topic @TGS#_demo@TOPIC#_@TOPIC#c1 "Made" (grants in 0 permission groups)`)
	assert.Equal(t, 1, p.Summary().Calls, "three destroys in one destroy_topic")

	p = parse(`"prune_topics": true, "prune_server_made": true, "topics": []`)
	assert.Len(t, destroyed(p), 4)
	assert.Empty(t, p.KeptTopics)
}

// golden compares got with the file at path (go test -update rewrites it).
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}
