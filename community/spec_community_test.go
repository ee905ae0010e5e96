package community_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// TestSpecCommunity: "settings", "topics" and "prune_topics" are read with
// the rules of the rest of a spec, written back as read, and checked.
func TestSpecCommunity(t *testing.T) {
	const doc = `{"group_id": "@TGS#_a", "prune_topics": true, "prune_server_made": true,
		"settings": {"permission_groups_enabled": true, "default_permission": ["SendMessage", "ReadHistory"]},
		"topics": [{"id": "@TGS#_a@TOPIC#_news", "name": "News", "introduction": "", "mute_all": true},
		           {"id": "@TGS#_a@TOPIC#_chat", "name": "Chat", "face_url": "https://x/y.png", "custom_string": "c", "notification": "n"}],
		"permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_a@TOPIC#_news": 8}}]}`
	spec, err := community.ParseSpec(strings.NewReader(doc))
	require.NoError(t, err)
	assert.True(t, spec.PruneTopics)
	require.NotNil(t, spec.Settings)
	assert.Equal(t, tim.Ptr(true), spec.Settings.PermissionGroupsEnabled)
	assert.Equal(t, tim.Ptr(tim.GroupPermSendMessage|tim.GroupPermReadHistory), spec.Settings.DefaultPermission)
	require.Len(t, spec.Topics, 2)
	assert.Equal(t, community.TopicSpec{ID: "@TGS#_a@TOPIC#_news", Name: "News", Introduction: tim.Ptr(""), MuteAll: tim.Ptr(true)}, spec.Topics[0])
	assert.Nil(t, spec.Topics[1].MuteAll, "left out: not managed")

	data, err := json.Marshal(spec)
	require.NoError(t, err)
	back, err := community.ParseSpec(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Equal(t, spec, back, "written back as read: %s", data)
	assert.Equal(t, spec, spec.Clone())
	c := spec.Clone()
	*c.Topics[0].Introduction, *c.Settings.PermissionGroupsEnabled = "changed", false
	assert.Equal(t, "", *spec.Topics[0].Introduction, "Clone copies deeply")
	assert.True(t, *spec.Settings.PermissionGroupsEnabled)

	noTopics, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_a", "permission_groups": []}`))
	require.NoError(t, err)
	assert.Nil(t, noTopics.Topics, "no \"topics\": topics not managed")
	assert.Nil(t, noTopics.Settings)
	data, err = json.Marshal(noTopics)
	require.NoError(t, err)
	assert.JSONEq(t, `{"group_id": "@TGS#_a", "prune": false, "permission_groups": []}`, string(data))

	long := strings.Repeat("x", tim.MaxTopicNameBytes+1)
	for _, tc := range []struct{ doc, want string }{
		{`"settings": null`, "spec: settings: is null"},
		{`"settings": {"permission_groups_enabled": null}`, "spec: settings.permission_groups_enabled: is null"},
		{`"settings": {"default_permission": ["Fly"]}`, "spec: settings.default_permission: entry 0"},
		{`"settings": {"switch": true}`, `spec: settings.switch: unknown field (known: permission_groups_enabled, default_permission)`},
		{`"settings": {"permission_groups_enabled": false, "default_permission": 8}`, "spec: settings.default_permission: is set while permission_groups_enabled is false"},
		{`"topics": [{"name": "x"}]`, "spec: topics[0].id: is required"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x"}]`, "spec: topics[0].name: is required"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": "x", "mute_all": "yes"}]`, "spec: topics[0].mute_all: want true or false"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": "x", "topcs": 1}]`, `spec: topics[0].topcs: unknown field (known: id, name`},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": "x", "name": "y"}]`, `spec: topics[0]: key "name" written twice`},
		{`"topics": [{"id": "@TGS#_b@TOPIC#_x", "name": "x"}]`, "spec: topics[0].id: "},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_@TOPIC#x", "name": "x"}]`, "a custom ID may not hold @TOPIC#_@TOPIC#"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": "x"}, {"id": "@TGS#_a@TOPIC#_x", "name": "y"}]`, "spec: topics[1].id: @TGS#_a@TOPIC#_x is also topics[0].id"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": "` + long + `"}]`, "spec: topics[0].name: is 31 bytes; at most 30"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": ""}]`, "spec: topics[0].name: is required (1 to 30 bytes)"},
		{`"topics": [{"id": "@TGS#_a@TOPIC#_x", "name": "x", "face_url": "` + strings.Repeat("u", 101) + `"}]`, "spec: topics[0].face_url: is 101 bytes; at most 100"},
		{`"prune_topics": true`, `spec: prune_topics: is set without "topics"`},
		{`"prune_server_made": true`, `spec: prune_server_made: is set without "prune": true or "prune_topics": true`},
	} {
		_, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_a", "permission_groups": [], ` + tc.doc + `}`))
		require.Error(t, err, tc.doc)
		var se *community.SpecError
		require.ErrorAs(t, err, &se, tc.doc)
		assert.Positive(t, se.Pos.Line, "%s: a position", tc.doc)
		assert.Contains(t, (&community.SpecError{Path: se.Path, Reason: se.Reason}).Error(), tc.want, tc.doc)
	}
}
