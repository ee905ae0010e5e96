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
	"github.com/timkit/tim/timtest"
)

// TestPlanJSON: a plan's JSON (the -json document and the plan file) is
// versioned, reads back to the same plan, and is pinned by a golden file.
func TestPlanJSON(t *testing.T) {
	const g = "@TGS#_demo"
	snap := &community.Snapshot{GroupID: g, PermissionGroups: []community.PermissionGroup{
		{ID: "@PMG#_@PMG#c2V", Name: "Made", Members: []string{"x"}},
		{ID: "@PMG#_legacy", Name: "Legacy", Members: []string{"x", "y"}, Topics: map[string]tim.TopicPermission{g + "@TOPIC#_a": 8}},
		{ID: "@PMG#_mods", Name: "Mods", Permission: tim.GroupPermSendMessage, CustomString: "c",
			Topics: map[string]tim.TopicPermission{g + "@TOPIC#_a": 8, g + "@TOPIC#_b": 8}, Members: []string{"alice", "bob"}},
	}}
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "prune": true, "permission_groups": [
		{"id": "@PMG#_mods", "name": "Moderators", "permission": ["SendMessage", "AtAll"],
		 "topics": {"@TGS#_demo@TOPIC#_a": ["SendMessage", "AtAll"], "@TGS#_demo@TOPIC#_c": 8}, "members": ["alice", "carol"]},
		{"id": "@PMG#_new", "name": "New", "permission": 64, "custom_string": "n"}]}`))
	require.NoError(t, err)
	plan, err := community.Diff(snap, spec)
	require.NoError(t, err)
	data, err := json.MarshalIndent(plan, "", "  ")
	require.NoError(t, err)
	golden := filepath.Join("testdata", "plan.json.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, append(data, '\n'), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(data)+"\n")

	var back community.Plan
	require.NoError(t, json.Unmarshal(data, &back))
	again, err := json.MarshalIndent(&back, "", "  ")
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again), "reads back to the same plan")
	assert.Equal(t, plan.String(), back.String())
	assert.Equal(t, plan.Ops, back.Ops)

	for _, bad := range []struct{ doc, want string }{
		{strings.Replace(string(data), `"format_version": 2`, `"format_version": 3`, 1), "format_version 3; this version reads 1 to 2"},
		{strings.Replace(strings.Replace(string(data), `"format_version": 2`, `"format_version": 1`, 1), `"kind": "create"`, `"kind": "create_topic"`, 1),
			`kind "create_topic" in a plan of format_version 1`},
		{`{"group_id": "@TGS#_demo"}`, "no format_version: not a plan"},
		{strings.Replace(string(data), `"kind": "modify"`, `"kind": "rename"`, 1), `unknown kind "rename"`},
		{strings.Replace(string(data), `"prune": true`, `"prune": true, "prune": false`, 1), `key "prune" written twice`},
	} {
		var p community.Plan
		assert.ErrorContains(t, json.Unmarshal([]byte(bad.doc), &p), bad.want)
	}
}

// TestCheckPlan: a plan is fresh until a part it depends on changes; a
// change elsewhere does not make it stale.
func TestCheckPlan(t *testing.T) {
	spec := &community.Spec{GroupID: ac, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_base", Name: "Base", Permission: tim.GroupPermSendMessage, Members: []string{"m0000", "m0005"}},
		{ID: "@PMG#_new", Name: "New"},
	}}
	for _, tc := range []struct {
		name   string
		prune  bool
		change func(srv *timtest.Server) error
		want   string // "" fresh
	}{
		{"nothing changed", false, func(*timtest.Server) error { return nil }, ""},
		{"a managed member", false, func(srv *timtest.Server) error { return srv.AddPermissionGroupMembers(ac, "@PMG#_base", "m0009") },
			"saved plan is stale: the members of permission group @PMG#_base changed; plan again"},
		{"a group the plan creates", false, func(srv *timtest.Server) error {
			_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_new", Name: "New"})
			return err
		}, "saved plan is stale: permission group @PMG#_new was created; plan again"},
		{"unmanaged topics", false, func(srv *timtest.Server) error {
			return srv.SetTopicPermission(ac, "@PMG#_base", topicID(5), tim.TopicPermAtAll)
		}, ""},
		{"an unnamed group, without prune", false, func(srv *timtest.Server) error {
			_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_other", Name: "Other"})
			return err
		}, ""},
		{"an unnamed group, with prune", true, func(srv *timtest.Server) error {
			_, err := srv.CreatePermissionGroup(ac, timtest.PermissionGroup{ID: "@PMG#_other", Name: "Other"})
			return err
		}, "saved plan is stale: permission group @PMG#_other was created; the list of permission groups changed; plan again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, client := applyWorld(t)
			s := spec.Clone()
			s.Prune = tc.prune
			_, plan := planFor(t, client, s)
			require.NoError(t, tc.change(srv))
			srv.ResetRequests()
			err := community.CheckPlan(ctxT(t), client, plan, nil)
			assert.Zero(t, writes(srv), "a check writes nothing")
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			var se *community.StaleError
			require.ErrorAs(t, err, &se)
			assert.EqualError(t, err, tc.want)
		})
	}
	t.Run("an edited plan", func(t *testing.T) {
		_, client := applyWorld(t)
		_, plan := planFor(t, client, spec)
		plan.Ops[0].Accounts = []string{"m0005", "m0006"}
		assert.ErrorContains(t, community.CheckPlan(ctxT(t), client, plan, nil), "was the plan edited?")
	})
}

// TestVerify: after an apply, the groups it changed match the spec; a
// change made behind the apply's back shows as drift, like a plan.
func TestVerify(t *testing.T) {
	srv, client := applyWorld(t)
	spec := &community.Spec{GroupID: ac, Prune: true, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_new", Name: "New", Members: []string{"m0003"}},
	}}
	_, plan := planFor(t, client, spec)
	_, err := community.Apply(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	srv.ResetRequests()
	drift, err := community.Verify(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	assert.True(t, drift.Empty(), "%s", drift)
	assert.Zero(t, writes(srv))
	assert.LessOrEqual(t, len(srv.Requests()), 3, "the two groups the plan changed, not the whole community")

	require.NoError(t, srv.AddPermissionGroupMembers(ac, "@PMG#_new", "m0009"))
	drift, err = community.Verify(ctxT(t), client, plan, nil)
	require.NoError(t, err)
	assert.Contains(t, drift.String(), "- member m0009")
}
