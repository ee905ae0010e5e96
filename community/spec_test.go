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

// specWith returns a one-group spec document with the group's JSON members
// given.
func specWith(group string) string {
	return `{"group_id": "@TGS#_a", "permission_groups": [` + group + `]}`
}

func TestParseSpecFields(t *testing.T) {
	spec, err := community.ParseSpec(strings.NewReader(`{
		"group_id": "@TGS#_a", "prune": true,
		"permission_groups": [
			{"id": "@PMG#_n", "name": "By number", "permission": 35,
			 "custom_string": "{\"x\":1}", "topics": {"@TGS#_a@TOPIC#_t": 8, "@TGS#_a@TOPIC#_u": ["SendMessage", "AtAll", "0x1000"]},
			 "members": ["alice", "bob"]},
			{"id": "@PMG#_l", "name": "By names", "permission": ["SendMessage", "AtAll", "0x800"]},
			{"id": "@PMG#_e", "name": "Empty", "permission": [], "custom_string": "", "topics": {}, "members": []}
		]}`))
	require.NoError(t, err)
	assert.Equal(t, "@TGS#_a", spec.GroupID)
	assert.True(t, spec.Prune)
	require.Len(t, spec.PermissionGroups, 3)

	n := spec.PermissionGroups[0]
	assert.Equal(t, tim.GroupPermission(35), n.Permission)
	assert.Equal(t, tim.Ptr(`{"x":1}`), n.CustomString)
	assert.Equal(t, map[string]tim.TopicPermission{
		"@TGS#_a@TOPIC#_t": tim.TopicPermSendMessage,
		"@TGS#_a@TOPIC#_u": tim.TopicPermSendMessage | tim.TopicPermAtAll | 0x1000,
	}, n.Topics)
	assert.Equal(t, []string{"alice", "bob"}, n.Members)

	l := spec.PermissionGroups[1] // left out: not managed
	assert.Equal(t, tim.GroupPermSendMessage|tim.GroupPermAtAll|0x800, l.Permission)
	assert.Nil(t, l.CustomString)
	assert.Nil(t, l.Topics)
	assert.Nil(t, l.Members)

	e := spec.PermissionGroups[2] // present and empty: exact, none
	assert.Zero(t, e.Permission)
	assert.Equal(t, tim.Ptr(""), e.CustomString)
	assert.NotNil(t, e.Topics)
	assert.Empty(t, e.Topics)
	assert.NotNil(t, e.Members)
	assert.Empty(t, e.Members)

	prune, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_a", "permission_groups": []}`))
	require.NoError(t, err)
	assert.False(t, prune.Prune, "prune defaults to false")
}

// TestParseSpecRules: each rule of a spec, with the place the error names.
func TestParseSpecRules(t *testing.T) {
	long := strings.Repeat("x", 151)
	for _, tc := range []struct {
		name, doc, want string
	}{
		// structure and unknown fields, at each level
		{"not JSON", `{`, "spec: invalid JSON: unexpected end of JSON input"},
		{"two values", `{"group_id": "@TGS#_a", "permission_groups": []} {}`, "more than one JSON value"},
		{"unknown top field", `{"group_id": "@TGS#_a", "permission_groups": [], "purne": true}`, `spec: purne: unknown field (known: group_id, prune, prune_server_made, permission_groups, prune_topics, settings, topics)`},
		{"unknown group field", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topcis": {}}`), `spec: permission_groups[0].topcis: unknown field (known: id, name, permission, custom_string, topics, members)`},
		{"group_id missing", `{"permission_groups": []}`, "spec: group_id: is required"},
		{"permission_groups missing", `{"group_id": "@TGS#_a"}`, "spec: permission_groups: is required"},
		{"group null", specWith(`null`), "spec: permission_groups[0]: is null"},
		{"wrong type", `{"group_id": 5, "permission_groups": []}`, "spec: group_id: want a string, not a number"},
		{"wrong type in a group", specWith(`{"id": "@PMG#_x", "name": ["X"], "permission": 0}`), "spec: permission_groups[0].name: want a string, not a list"},
		{"prune not a boolean", `{"group_id": "@TGS#_a", "prune": "yes", "permission_groups": []}`, "spec: prune: want true or false, not a string"},
		{"permission_groups an object", `{"group_id": "@TGS#_a", "permission_groups": {}}`, "spec: permission_groups: want a list, not an object"},
		{"not an object", `["@TGS#_a"]`, "spec: want an object, not a list"},
		{"invalid UTF-8", "{\"group_id\": \"@TGS#_\xff\", \"permission_groups\": []}", "spec: is not valid UTF-8 (at byte 20)"},

		// required fields of a group
		{"id missing", specWith(`{"name": "X", "permission": 0}`), "spec: permission_groups[0].id: is required"},
		{"name missing", specWith(`{"id": "@PMG#_x", "permission": 0}`), "spec: permission_groups[0].name: is required"},
		{"permission missing", specWith(`{"id": "@PMG#_x", "name": "X"}`), "spec: permission_groups[0].permission: is required"},
		{"name empty", specWith(`{"id": "@PMG#_x", "name": "", "permission": 0}`), "spec: permission_groups[0].name: is required"},

		// permission values: a number or a list of names
		{"permission string unknown name", specWith(`{"id": "@PMG#_x", "name": "X", "permission": "SendMessage|AtAl"}`), `permission: permission "SendMessage|AtAl": unknown name "AtAl" (known: ManageGroupInfo,`},
		{"permission string empty", specWith(`{"id": "@PMG#_x", "name": "X", "permission": " "}`), `permission: is an empty string; write "0" or [] for none`},
		{"permission string empty part", specWith(`{"id": "@PMG#_x", "name": "X", "permission": "SendMessage||AtAll"}`), `permission: "SendMessage||AtAll": part 2 of 3 is empty`},
		{"permission string trailing bar", specWith(`{"id": "@PMG#_x", "name": "X", "permission": "SendMessage|"}`), `permission: "SendMessage|": part 2 of 2 is empty`},
		{"permission string bad hex", specWith(`{"id": "@PMG#_x", "name": "X", "permission": "0xZZ"}`), `permission: permission "0xZZ": "0xZZ" is not a hex number`},
		{"topic permission string of a group bit", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_a@TOPIC#_t": "SendMessage|BanMembers"}}`), `permission_groups[0].topics["@TGS#_a@TOPIC#_t"]: permission "SendMessage|BanMembers": unknown name "BanMembers"`},
		{"permission object", specWith(`{"id": "@PMG#_x", "name": "X", "permission": {}}`), "permission: want a number, a list of names or names joined by |, not an object"},
		{"permission list of numbers", specWith(`{"id": "@PMG#_x", "name": "X", "permission": [8]}`), "permission: want a list of names, each a string"},
		{"permission negative", specWith(`{"id": "@PMG#_x", "name": "X", "permission": -1}`), "permission: -1 is not an unsigned 64-bit integer"},
		{"permission float", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 1.5}`), "permission: 1.5 is not an unsigned 64-bit integer"},
		{"permission null", specWith(`{"id": "@PMG#_x", "name": "X", "permission": null}`), "permission: want a number, a list of names or names joined by |, not null"},
		{"permission unknown name", specWith(`{"id": "@PMG#_x", "name": "X", "permission": ["SendMesage"]}`), `permission: entry 0: permission "SendMesage": unknown name "SendMesage"`},
		{"permission joined names", specWith(`{"id": "@PMG#_x", "name": "X", "permission": ["SendMessage|AtAll"]}`), "permission: entry 0 (\"SendMessage|AtAll\"): want one name per entry"},
		{"topic permission name of a group bit", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_a@TOPIC#_t": ["BanMembers"]}}`), `permission_groups[0].topics["@TGS#_a@TOPIC#_t"]: entry 0: permission "BanMembers": unknown name`},

		// managed fields: null is not "left out"
		{"topics null", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": null}`), "permission_groups[0].topics: is null"},
		{"members null", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": null}`), "permission_groups[0].members: is null"},
		{"custom_string null", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "custom_string": null}`), "permission_groups[0].custom_string: is null"},
		{"members not strings", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": [1]}`), "permission_groups[0].members[0]: want an account (a string), not a number"},
		{"topics a list", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": ["@TGS#_a@TOPIC#_t"]}`), "permission_groups[0].topics: want an object"},
		{"topic twice", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_a@TOPIC#_t": 1, "@TGS#_a@TOPIC#_t": 2}}`), `spec: permission_groups[0].topics: key "@TGS#_a@TOPIC#_t" written twice`},

		// validation
		{"group_id not a community", `{"group_id": "@PMG#_x", "permission_groups": []}`, "spec: group_id: \"@PMG#_x\" is not a community ID"},
		{"server-made id", specWith(`{"id": "@PMG#_@PMG#c1", "name": "X", "permission": 0}`), "permission_groups[0].id: \"@PMG#_@PMG#c1\": a custom ID must not start @PMG#_@PMG#"},
		{"id not a permission group", specWith(`{"id": "mods", "name": "X", "permission": 0}`), `permission_groups[0].id: "mods" is not a permission-group ID`},
		{"id not ASCII", specWith(`{"id": "@PMG#_é", "name": "X", "permission": 0}`), "permission_groups[0].id: \"@PMG#_é\": byte 6 is not printable ASCII"},
		{"duplicate id", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0}, {"id": "@PMG#_x", "name": "Y", "permission": 0}`), "permission_groups[1].id: @PMG#_x is also permission_groups[0].id"},
		{"name too long", specWith(`{"id": "@PMG#_x", "name": "` + long + `", "permission": 0}`), "permission_groups[0].name: is 151 bytes; at most 150"},
		{"custom string too long", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "custom_string": "` + strings.Repeat("x", 3001) + `"}`), "permission_groups[0].custom_string: is 3001 bytes; at most 3000"},
		{"NUL in name", specWith(`{"id": "@PMG#_x", "name": "a\u0000b", "permission": 0}`), "permission_groups[0].name: holds a NUL byte"},
		{"topic of another community", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_b@TOPIC#_t": 1}}`), `permission_groups[0].topics["@TGS#_b@TOPIC#_t"]: is a topic of another community (@TGS#_b), not of @TGS#_a`},
		{"not a topic", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"general": 1}}`), `permission_groups[0].topics["general"]: "general" is not a topic of @TGS#_a (@TGS#_a@TOPIC#_…)`},
		{"topic too long", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_a@TOPIC#_` + strings.Repeat("t", 90) + `": 1}}`), "bytes; topic IDs are at most 96"},
		{"member twice", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": ["a", "b", "a"]}`), `permission_groups[0].members[2]: "a" is also members[0]`},
		{"member empty", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": [""]}`), "permission_groups[0].members[0]: is empty"},
		{"member of 33 bytes", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": ["` + strings.Repeat("m", 33) + `"]}`), "permission_groups[0].members[0]: \"" + strings.Repeat("m", 33) + "\" is 33 bytes; accounts are at most 32"},
		{"id of 49 bytes", specWith(`{"id": "@PMG#_` + strings.Repeat("p", 43) + `", "name": "X", "permission": 0}`), "permission_groups[0].id: \"@PMG#_" + strings.Repeat("p", 43) + "\" is 49 bytes; permission-group IDs are at most 48"},
		{"prune_server_made without prune", `{"group_id": "@TGS#_a", "prune_server_made": true, "permission_groups": []}`, `spec: prune_server_made: is set without "prune": true`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := community.ParseSpec(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.Contains(t, withoutPosition(t, err), tc.want)
		})
	}
}

// withoutPosition is the text of a spec error (the first, when several
// are joined) without its position: "spec: {path}: {reason}".
func withoutPosition(t *testing.T, err error) string {
	t.Helper()
	var se *community.SpecError
	require.ErrorAs(t, err, &se)
	c := *se
	c.Pos = community.Position{}
	return c.Error()
}

func TestValidateReportsEveryProblem(t *testing.T) {
	spec := &community.Spec{GroupID: "@TGS#_a", PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_x", Name: ""},
		{ID: "@PMG#_x", Name: "ok", Members: []string{"a", "a"}},
		{ID: "x", Name: "\xff"},
	}}
	err := spec.Validate()
	require.Error(t, err)
	var lines []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var se *community.SpecError
		require.ErrorAs(t, e, &se)
		lines = append(lines, se.Path)
	}
	assert.Equal(t, []string{
		"permission_groups[0].name", "permission_groups[1].id", "permission_groups[1].members[1]",
		"permission_groups[2].id", "permission_groups[2].name",
	}, lines)
}

// TestSpecJSONRoundTrip: MarshalJSON writes what ParseSpec reads back,
// managed and unmanaged fields kept apart, permissions as names.
func TestSpecJSONRoundTrip(t *testing.T) {
	spec := &community.Spec{GroupID: "@TGS#_a", Prune: true, PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_all", Name: "All", Permission: tim.GroupPermSendMessage | 0x800, CustomString: tim.Ptr(""),
			Topics: map[string]tim.TopicPermission{"@TGS#_a@TOPIC#_t": tim.TopicPermAtAll, "@TGS#_a@TOPIC#_u": 0}, Members: []string{}},
		{ID: "@PMG#_none", Name: "Unmanaged", Permission: 0},
	}}
	data, err := json.Marshal(spec)
	require.NoError(t, err)
	assert.Equal(t, `{"group_id":"@TGS#_a","prune":true,"permission_groups":[`+
		`{"id":"@PMG#_all","name":"All","permission":["SendMessage","0x800"],"custom_string":"","topics":{"@TGS#_a@TOPIC#_t":["AtAll"],"@TGS#_a@TOPIC#_u":[]},"members":[]},`+
		`{"id":"@PMG#_none","name":"Unmanaged","permission":[]}]}`, string(data))
	back, err := community.ParseSpec(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Equal(t, spec, back)

	var viaUnmarshal community.Spec
	require.NoError(t, json.Unmarshal(data, &viaUnmarshal))
	assert.Equal(t, spec, &viaUnmarshal)
}

// TestSpecKeyWrittenTwice: a key written twice is refused at every level,
// naming the place, where encoding/json would keep the last silently.
func TestSpecKeyWrittenTwice(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"prune", `{"group_id": "@TGS#_a", "prune": false, "permission_groups": [], "prune": true}`, `spec: 1:66: key "prune" written twice (first at line 1)`},
		{"group_id", `{"group_id": "@TGS#_a", "permission_groups": [], "group_id": "@TGS#_b"}`, `spec: 1:50: key "group_id" written twice (first at line 1)`},
		{"permission_groups", `{"group_id": "@TGS#_a", "permission_groups": [], "permission_groups": []}`, `spec: 1:50: key "permission_groups" written twice (first at line 1)`},
		{"id", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0}, {"id": "@PMG#_y", "name": "Y", "permission": 0, "id": "@PMG#_z"}`), `spec: 1:144: permission_groups[1]: key "id" written twice (first at line 1)`},
		{"members", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": ["a"], "members": []}`), `spec: 1:113: permission_groups[0]: key "members" written twice (first at line 1)`},
		{"name", specWith(`{"id": "@PMG#_x", "name": "X", "name": "Y", "permission": 0}`), `spec: 1:78: permission_groups[0]: key "name" written twice (first at line 1)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := community.ParseSpec(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			var se *community.SpecError
			assert.ErrorAs(t, err, &se)
		})
	}
	// The same key in different objects is fine.
	_, err := community.ParseSpec(strings.NewReader(specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0}, {"id": "@PMG#_y", "name": "X", "permission": 0}`)))
	assert.NoError(t, err)
}

// TestSpecLoneSurrogate: a \u escape that is half of a surrogate pair is
// refused (encoding/json would read U+FFFD); a whole pair is a character.
func TestSpecLoneSurrogate(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"high alone in a member", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "members": ["a", "b\ud800"]}`), `spec: permission_groups[0].members[1]: holds a lone surrogate escape (\ud800)`},
		{"low alone in a name", specWith(`{"id": "@PMG#_x", "name": "\udc00X", "permission": 0}`), `spec: permission_groups[0].name: holds a lone surrogate escape (\udc00)`},
		{"high then a letter", specWith(`{"id": "@PMG#_x", "name": "\uD83Dx", "permission": 0}`), `lone surrogate escape (\uD83D)`},
		{"two highs", specWith(`{"id": "@PMG#_x", "name": "\ud83d\ud83d\ude00", "permission": 0}`), `lone surrogate escape (\ud83d)`},
		{"in a topic key", specWith(`{"id": "@PMG#_x", "name": "X", "permission": 0, "topics": {"@TGS#_a@TOPIC#_\ud800": 1}}`), `spec: permission_groups[0].topics: key "@TGS#_a@TOPIC#_�" holds a lone surrogate escape (\ud800)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := community.ParseSpec(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.Contains(t, withoutPosition(t, err), tc.want)
		})
	}
	spec, err := community.ParseSpec(strings.NewReader(specWith(`{"id": "@PMG#_x", "name": "\ud83d\ude00 \\ud800", "permission": 0}`)))
	require.NoError(t, err, "a pair, and an escaped backslash before u")
	assert.Equal(t, "😀 \\ud800", spec.PermissionGroups[0].Name)
}
