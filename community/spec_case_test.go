package community_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim/community"
)

// Keys are written as the fields are: encoding/json matches keys without
// regard to case, so "PRUNE" after "prune" would have won silently, and a
// YAML spec (whose keys are sorted on the way to JSON) would have meant
// something else than the same spec in JSON.
func TestSpecKeysAreCaseSensitive(t *testing.T) {
	for name, c := range map[string]struct{ file, text, want string }{
		"prune twice": {"s.json", `{"group_id": "@TGS#_a", "prune": false, "PRUNE": true, "permission_groups": []}`,
			`s.json:1:41: PRUNE: unknown field: keys are written in lower case, as "prune"`},
		"members twice": {"s.json", `{"group_id": "@TGS#_a", "permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": 0, "members": ["alice"], "Members": []}]}`,
			`permission_groups[0].Members: unknown field: keys are written in lower case, as "members"`},
		"id twice": {"s.json", `{"group_id": "@TGS#_a", "permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": 0, "ID": "@PMG#_y"}]}`,
			`permission_groups[0].ID: unknown field: keys are written in lower case, as "id"`},
		"group_id twice": {"s.json", `{"group_id": "@TGS#_a", "Group_ID": "@TGS#_b", "permission_groups": []}`,
			`Group_ID: unknown field: keys are written in lower case, as "group_id"`},
		"a topic's field": {"s.json", `{"group_id": "@TGS#_a", "permission_groups": [], "topics": [{"id": "@TGS#_a@TOPIC#_x", "Name": "x"}]}`,
			`topics[0].Name: unknown field: keys are written in lower case, as "name"`},
		"a setting": {"s.json", `{"group_id": "@TGS#_a", "permission_groups": [], "settings": {"Permission_Groups_Enabled": true}}`,
			`settings.Permission_Groups_Enabled: unknown field: keys are written in lower case, as "permission_groups_enabled"`},
		"YAML": {"s.yaml", "group_id: '@TGS#_a'\nprune: false\nPrune: true\npermission_groups: []\n",
			`s.yaml:3:1: Prune: unknown field: keys are written in lower case, as "prune"`},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := community.ParseSpecFile(c.file, []byte(c.text))
			require.Error(t, err, "accepted: %+v", s)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// A byte-order mark, which some editors write first, is not part of the
// spec: positions count from the character after it.
func TestSpecByteOrderMark(t *testing.T) {
	s, err := community.ParseSpecFile("s.json", []byte("\ufeff{\"group_id\": \"@TGS#_a\", \"permission_groups\": []}"))
	require.NoError(t, err)
	assert.Equal(t, "@TGS#_a", s.GroupID)
	_, err = community.ParseSpecFile("s.json", []byte("\ufeff{\"group_id\": \"@TGS#_a\", \"permission_groups\": [], \"purne\": true}"))
	assert.ErrorContains(t, err, "s.json:1:50: purne: unknown field")
	s, err = community.ParseSpecFile("s.yaml", []byte("\ufeffgroup_id: '@TGS#_a'\npermission_groups: []\n"))
	require.NoError(t, err)
	assert.Equal(t, "@TGS#_a", s.GroupID)
}
