package community_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

func TestPositionString(t *testing.T) {
	for _, tc := range []struct {
		p    community.Position
		want string
	}{
		{community.Position{File: "spec.json", Line: 3, Column: 7}, "spec.json:3:7"},
		{community.Position{Line: 3, Column: 7}, "3:7"},
		{community.Position{File: "spec.yaml", Line: 3}, "spec.yaml:3"},
		{community.Position{Line: 3}, "3"},
		{community.Position{File: "spec.json"}, "spec.json"},
		{community.Position{}, ""},
	} {
		assert.Equal(t, tc.want, tc.p.String())
	}
}

func TestSpecErrorText(t *testing.T) {
	e := &community.SpecError{Path: "permission_groups[0].id", Reason: "is required"}
	assert.Equal(t, "spec: permission_groups[0].id: is required", e.Error())
	e.Pos = community.Position{Line: 4, Column: 5}
	assert.Equal(t, "spec: 4:5: permission_groups[0].id: is required", e.Error())
	e.Pos.File = "spec.yaml"
	assert.Equal(t, "spec.yaml:4:5: permission_groups[0].id: is required", e.Error())
	e.Path = ""
	assert.Equal(t, "spec.yaml:4:5: is required", e.Error())
}

// The same spec in both formats, laid out so that each value has its own
// line and column.
const (
	positionsJSON = `{
  "group_id": "@TGS#_a",
  "permission_groups": [
    {"id": "@PMG#_x", "name": "X", "permission": 0},
    {
      "id": "@PMG#_y",
      "name": "Y",
      "permission": "SendMessage",
      "topics": {
        "@TGS#_a@TOPIC#_t": 8
      },
      "members": ["alice", "bob"]
    }
  ]
}`
	positionsYAML = `group_id: "@TGS#_a"
permission_groups:
  - {id: "@PMG#_x", name: X, permission: 0}
  - id: "@PMG#_y"
    name: Yo
    permission: SendMessage
    topics:
      "@TGS#_a@TOPIC#_t": 8
    members: [alice, bob]
`
)

// TestSpecPosition: Position names where each value was written: the key
// of a field, the entry of a list; the nearest enclosing value for a path
// the file does not hold.
func TestSpecPosition(t *testing.T) {
	for _, tc := range []struct {
		file, doc string
		want      map[string]string
	}{
		{"spec.json", positionsJSON, map[string]string{
			"group_id":                                        "spec.json:2:3",
			"permission_groups":                               "spec.json:3:3",
			"permission_groups[0]":                            "spec.json:4:5",
			"permission_groups[0].name":                       "spec.json:4:23",
			"permission_groups[1]":                            "spec.json:5:5",
			"permission_groups[1].permission":                 "spec.json:8:7",
			`permission_groups[1].topics["@TGS#_a@TOPIC#_t"]`: "spec.json:10:9",
			"permission_groups[1].members[1]":                 "spec.json:12:28",
			"permission_groups[1].members[7]":                 "spec.json:12:7", // no such entry: the list
			"permission_groups[0].members":                    "spec.json:4:5",  // left out: the group
			`permission_groups[1].topics["@TGS#_a@TOPIC#_`:    "spec.json:9:7",  // cut short: the topics
			"prune":                                "spec.json",       // left out at the top
			"":                                     "spec.json",       // the whole document
			"permission_groups[x]":                 "spec.json:3:3",   // not a path
			"permission_groups[1].members[1].more": "spec.json:12:28", // past a string
		}},
		{"spec.yaml", positionsYAML, map[string]string{
			"group_id":                                        "spec.yaml:1:1",
			"permission_groups[0]":                            "spec.yaml:3:5",
			"permission_groups[0].name":                       "spec.yaml:3:21",
			"permission_groups[1]":                            "spec.yaml:4:5",
			"permission_groups[1].permission":                 "spec.yaml:6:5",
			`permission_groups[1].topics["@TGS#_a@TOPIC#_t"]`: "spec.yaml:8:7",
			"permission_groups[1].members[1]":                 "spec.yaml:9:22",
			"prune":                                           "spec.yaml",
		}},
	} {
		spec, err := community.ParseSpecFile(tc.file, []byte(tc.doc))
		require.NoError(t, err, tc.file)
		for path, want := range tc.want {
			assert.Equal(t, want, spec.Position(path).String(), "%s %s", tc.file, path)
		}
		clone := spec.Clone()
		assert.Equal(t, spec.Position("permission_groups[1].members[1]"), clone.Position("permission_groups[1].members[1]"), "a clone keeps the positions")
	}

	viaReader, err := community.ParseSpec(strings.NewReader(positionsJSON))
	require.NoError(t, err)
	assert.Equal(t, community.Position{Line: 12, Column: 28}, viaReader.Position("permission_groups[1].members[1]"), "ParseSpec: no file name")

	built := &community.Spec{GroupID: "@TGS#_a", PermissionGroups: []community.GroupSpec{{ID: "@PMG#_x", Name: "X"}}}
	assert.Equal(t, community.Position{}, built.Position("group_id"), "a spec built in code has no positions")
	var none *community.Spec
	assert.Equal(t, community.Position{}, none.Position("group_id"))
}

// TestSpecPositionsKeepSpecPlain: the positions live beside the spec, so a
// spec read from a file is still equal to the same spec built in code, and
// they go when the spec does.
func TestSpecPositionsKeepSpecPlain(t *testing.T) {
	read, err := community.ParseSpecFile("spec.json", []byte(`{"group_id": "@TGS#_a", "permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": 8, "members": ["a"]}]}`))
	require.NoError(t, err)
	built := &community.Spec{GroupID: "@TGS#_a", PermissionGroups: []community.GroupSpec{{ID: "@PMG#_x", Name: "X", Permission: tim.GroupPermManagePermissionMembers, Members: []string{"a"}}}}
	assert.Equal(t, built, read)
	assert.Equal(t, built, read.Clone())
	assert.Equal(t, 1, read.Position("group_id").Line)

	// Many specs read and dropped leave nothing behind.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 2000 {
		_, err := community.ParseSpecFile("spec.json", []byte(positionsJSON))
		require.NoError(t, err)
	}
	for range 3 {
		runtime.GC() // cleanups run after a cycle; the entries they delete go in the next
	}
	runtime.ReadMemStats(&after)
	t.Logf("heap grew by %d bytes", int64(after.HeapAlloc)-int64(before.HeapAlloc))
	assert.Less(t, int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(1<<20), "2000 specs' positions were kept")
}

// TestSpecErrorPositions: errors of every kind carry the position of what
// they name, in JSON and in YAML: syntax, type, unknown field, rule.
func TestSpecErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		name, file, doc, want string
	}{
		{"JSON syntax", "s.json", "{\n  \"group_id\": \"@TGS#_a\",\n  \"permission_groups\": [}\n", `s.json:3:25: invalid JSON: invalid character '}' looking for beginning of value`},
		{"JSON cut short", "s.json", "{\n  \"group_id\": \"@TGS#_a\",\n", `s.json:3:1: invalid JSON: unexpected end of JSON input`},
		{"JSON two values", "s.json", "{\"group_id\": \"@TGS#_a\", \"permission_groups\": []}\n{}", `s.json:2:1: holds more than one JSON value`},
		{"JSON columns count characters", "s.json", "{\"group_id\": \"@TGS#_a\", \"permission_groups\": [{\"id\": \"@PMG#_x\", \"name\": \"日本語\" \"x\"}]}", `s.json:1:79: invalid JSON: invalid character '"' after object key:value pair`},
		{"JSON type", "s.json", "{\n  \"group_id\": \"@TGS#_a\",\n  \"prune\": \"yes\",\n  \"permission_groups\": []\n}", `s.json:3:3: prune: want true or false, not a string`},
		{"YAML type", "s.yaml", "group_id: \"@TGS#_a\"\nprune: \"yes\"\npermission_groups: []\n", `s.yaml:2:1: prune: want true or false, not a string`},
		{"JSON unknown field", "s.json", positionsJSON[:strings.Index(positionsJSON, `"members"`)] + `"member": []}]}`, `s.json:12:7: permission_groups[1].member: unknown field (known: id, name, permission, custom_string, topics, members)`},
		{"JSON required", "s.json", `{"group_id": "@TGS#_a", "permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": 0}, {"id": "@PMG#_y"}]}`, `s.json:1:96: permission_groups[1].name: is required`},
		{"YAML rule", "s.yaml", strings.Replace(positionsYAML, "[alice, bob]", "[alice, \"\"]", 1), `s.yaml:9:22: permission_groups[1].members[1]: is empty`},
		{"YAML topic of another community", "s.yaml", strings.Replace(positionsYAML, `"@TGS#_a@TOPIC#_t"`, `"@TGS#_b@TOPIC#_t"`, 1), `s.yaml:8:7: permission_groups[1].topics["@TGS#_b@TOPIC#_t"]: is a topic of another community (@TGS#_b), not of @TGS#_a`},
		{"YAML permission string", "s.yaml", strings.Replace(positionsYAML, "SendMessage", "SendMessage||AtAll", 1), `s.yaml:6:5: permission_groups[1].permission: "SendMessage||AtAll": part 2 of 3 is empty`},
		{"no file name", "", "{\n  \"group_id\": 1,\n  \"permission_groups\": []\n}", `spec: 2:3: group_id: want a string, not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := community.ParseSpecFile(tc.file, []byte(tc.doc))
			require.Error(t, err)
			assert.Equal(t, tc.want, strings.SplitN(err.Error(), "\n", 2)[0])
		})
	}
}

// TestValidationErrorsEachPositioned: every error Validate finds carries
// the file and the position of its path.
func TestValidationErrorsEachPositioned(t *testing.T) {
	doc := "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: X\n    permission: 0\n    members: [a, b, a]\n  - id: \"@PMG#_x\"\n    name: \"\"\n    permission: 0\n"
	_, err := community.ParseSpecFile("team/spec.yaml", []byte(doc))
	require.Error(t, err)
	assert.Equal(t, `team/spec.yaml:6:21: permission_groups[0].members[2]: "a" is also members[0]
team/spec.yaml:7:5: permission_groups[1].id: @PMG#_x is also permission_groups[0].id
team/spec.yaml:8:5: permission_groups[1].name: is required (1 to 150 bytes)`, err.Error())
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var se *community.SpecError
		require.True(t, errors.As(e, &se))
		assert.Equal(t, "team/spec.yaml", se.Pos.File)
		assert.NotZero(t, se.Pos.Line)
	}
}
