package community_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// yamlSpec is a spec in YAML with every field, comments, and each way of
// writing a string and a permission.
const yamlSpec = `# the community of the tests
group_id: "@TGS#_a"
prune: true
permission_groups:
  - id: '@PMG#_mods'
    name: Q&A <mods> — "trust"
    permission: [MuteMembers, BanMembers, "0x800"]
    custom_string: |
      {"team": "t&s"}
      second line
    topics:
      "@TGS#_a@TOPIC#_general": SendMessage | MuteMembers
      "@TGS#_a@TOPIC#_news": 8
      "@TGS#_a@TOPIC#_quiet": []
    members:
      - alice
      - "yes"      # quoted: the account "yes"
      - '0123'
      - 2001-12-14 # a string in both YAML versions
  - {id: "@PMG#_speakers", name: Speakers, permission: 0x40, members: []}
  - id: "@PMG#_folded"
    name: >-
      Folded
      name
    permission: "0"
    custom_string: ""
`

// jsonSpec is yamlSpec in JSON.
const jsonSpec = `{"group_id": "@TGS#_a", "prune": true, "permission_groups": [
  {"id": "@PMG#_mods", "name": "Q&A <mods> — \"trust\"", "permission": ["MuteMembers", "BanMembers", "0x800"],
   "custom_string": "{\"team\": \"t&s\"}\nsecond line\n",
   "topics": {"@TGS#_a@TOPIC#_general": ["SendMessage", "MuteMembers"], "@TGS#_a@TOPIC#_news": 8, "@TGS#_a@TOPIC#_quiet": []},
   "members": ["alice", "yes", "0123", "2001-12-14"]},
  {"id": "@PMG#_speakers", "name": "Speakers", "permission": 64, "members": []},
  {"id": "@PMG#_folded", "name": "Folded name", "permission": 0, "custom_string": ""}]}`

// TestYAMLSameAsJSON: a YAML spec reads as the same Spec as its JSON, by
// file name and by content alike.
func TestYAMLSameAsJSON(t *testing.T) {
	fromJSON, err := community.ParseSpecFile("spec.json", []byte(jsonSpec))
	require.NoError(t, err)
	g := fromJSON.PermissionGroups[0]
	assert.Equal(t, tim.GroupPermMuteMembers|tim.GroupPermBanMembers|0x800, g.Permission)
	assert.Equal(t, tim.TopicPermSendMessage|tim.TopicPermMuteMembers, g.Topics["@TGS#_a@TOPIC#_general"])

	for _, name := range []string{"spec.yaml", "spec.YML", "", "<stdin>", "spec.txt"} {
		fromYAML, err := community.ParseSpecFile(name, []byte(yamlSpec))
		require.NoError(t, err, name)
		assert.Equal(t, fromJSON, fromYAML, name)
	}
	viaReader, err := community.ParseSpec(strings.NewReader(yamlSpec))
	require.NoError(t, err)
	assert.Equal(t, fromJSON, viaReader)

	_, err = community.ParseSpecFile("spec.json", []byte(yamlSpec))
	assert.ErrorContains(t, err, "spec.json:1:1: invalid JSON: invalid character '#'", "the name decides: .json is JSON")
	_, err = community.ParseSpecFile("spec.yaml", []byte(`{"group_id": "@TGS#_a", "permission_groups": []}`))
	assert.NoError(t, err, "JSON is YAML")
}

// TestExampleSpecsAgree: examples/specs/demo.yaml is demo.json.
func TestExampleSpecsAgree(t *testing.T) {
	specs := map[string]*community.Spec{}
	for _, name := range []string{"../examples/specs/demo.json", "../examples/specs/demo.yaml"} {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		specs[name], err = community.ParseSpecFile(name, data)
		require.NoError(t, err)
	}
	assert.Equal(t, specs["../examples/specs/demo.json"], specs["../examples/specs/demo.yaml"])
}

// TestYAMLKeyWrittenTwice: a key written twice is refused at every level,
// with its place and where it was first, where sigs.k8s.io/yaml would keep
// the last.
func TestYAMLKeyWrittenTwice(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"top", "group_id: \"@TGS#_a\"\nprune: false\npermission_groups: []\nprune: true\n",
			`spec.yaml:4:1: key "prune" written twice (first at line 2)`},
		{"top, quoted once", "group_id: \"@TGS#_a\"\n\"group_id\": \"@TGS#_b\"\npermission_groups: []\n",
			`spec.yaml:2:1: key "group_id" written twice (first at line 1)`},
		{"group", "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: X\n    permission: 0\n    id: \"@PMG#_y\"\n",
			`spec.yaml:6:5: permission_groups[0]: key "id" written twice (first at line 3)`},
		{"second group, flow", "group_id: \"@TGS#_a\"\npermission_groups:\n  - {id: \"@PMG#_x\", name: X, permission: 0}\n  - {id: \"@PMG#_y\", name: Yo, permission: 0, members: [a], members: []}\n",
			`spec.yaml:4:60: permission_groups[1]: key "members" written twice (first at line 4)`},
		{"topics", "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: X\n    permission: 0\n    topics:\n      \"@TGS#_a@TOPIC#_t\": 1\n      '@TGS#_a@TOPIC#_t': 2\n",
			`spec.yaml:8:7: permission_groups[0].topics: key "@TGS#_a@TOPIC#_t" written twice (first at line 7)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := community.ParseSpecFile("spec.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			var se *community.SpecError
			assert.ErrorAs(t, err, &se)
		})
	}
}

// TestYAMLTraps: what YAML 1.1 and 1.2 read differently, and the YAML
// constructs a spec does not take, are refused at their place; what both
// read alike is taken.
func TestYAMLTraps(t *testing.T) {
	group := func(fields string) string {
		return "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: X\n" + fields
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"yes as a boolean", "group_id: \"@TGS#_a\"\nprune: yes\npermission_groups: []\n",
			`spec.yaml:2:8: prune: yes is true in YAML 1.1 and a string in YAML 1.2: write true, or "yes" for a string`},
		{"off as a boolean", "group_id: \"@TGS#_a\"\nprune: Off\npermission_groups: []\n", `prune: Off is false in YAML 1.1`},
		{"no as an account", group("    permission: 0\n    members: [alice, no]\n"),
			`spec.yaml:6:22: permission_groups[0].members[1]: no is false in YAML 1.1 and a string in YAML 1.2: write false, or "no" for a string`},
		{"y as a key", "group_id: \"@TGS#_a\"\npermission_groups: []\ny: 1\n", `spec.yaml:3:1: key y is a boolean in YAML 1.1 and a string in YAML 1.2: quote it`},
		{"octal", group("    permission: 0123\n"), `spec.yaml:5:17: permission_groups[0].permission: 0123 is not a number a spec takes`},
		{"0o octal", group("    permission: 0o17\n"), `permission: 0o17 is not a number a spec takes`},
		{"binary", group("    permission: 0b101\n"), `permission: 0b101 is not a number a spec takes`},
		{"underscores", group("    permission: 1_000\n"), `permission: 1_000 is not a number a spec takes`},
		{"float", group("    permission: 8.0\n"), `permission: 8.0 is not a number a spec takes`},
		{"exponent", group("    permission: 1e3\n"), `permission: 1e3 is not a number a spec takes`},
		{"infinity", group("    permission: .inf\n"), `permission: .inf is not a number a spec takes`},
		{"past 64 bits", group("    permission: 18446744073709551616\n"), `permission: 18446744073709551616 is not a number a spec takes`},
		{"hex past 64 bits", group("    permission: 0x10000000000000000\n"), `permission_groups[0].permission: permission "0x10000000000000000": "0x10000000000000000" is not a hex number`},
		{"Y as a name", "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: Y\n", `spec.yaml:4:11: permission_groups[0].name: Y is true in YAML 1.1`},
		{"negative", group("    permission: -1\n"), `spec.yaml:5:5: permission_groups[0].permission: -1 is not an unsigned 64-bit integer`},
		{"number as an account", group("    permission: 0\n    members: [12345]\n"),
			`spec.yaml:6:15: permission_groups[0].members[0]: want an account (a string), not a number`},
		{"number as a name", group("    permission: 0\n    custom_string: 42\n"), `permission_groups[0].custom_string: want a string, not a number`},
		{"empty value is null", group("    permission: 0\n    members:\n"),
			`spec.yaml:6:5: permission_groups[0].members: is null; leave the field out to leave it unmanaged, or write a list of accounts ([] for none)`},
		{"tilde is null", group("    permission: ~\n"), `permission_groups[0].permission: want a number, a list of names or names joined by |, not null`},
		{"anchor", group("    permission: &p 0\n"), `spec.yaml:5:17: permission_groups[0].permission: anchors (&p) are not supported: write the value out`},
		{"alias", "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: X\n    permission: 0\n    members: [a]\n  - id: \"@PMG#_y\"\n    name: Y\n    permission: 0\n    members: *m\n",
			`invalid YAML: unknown anchor 'm' referenced`},
		{"merge key", "group_id: \"@TGS#_a\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    <<: {name: X}\n    permission: 0\n",
			`spec.yaml:4:5: permission_groups[0]: merge keys (<<) are not supported: write the keys out`},
		{"tag", group("    permission: !!str 8\n"), `spec.yaml:5:17: permission_groups[0].permission: tags (!!str) are not supported: quote a string instead`},
		{"list as a key", "group_id: \"@TGS#_a\"\n? [a, b]\n: 1\npermission_groups: []\n", `spec.yaml:2:3: a key must be a string, not a list`},
		{"number as a key", "group_id: \"@TGS#_a\"\npermission_groups: []\n1: x\n", `spec.yaml:3:1: key 1 is read by YAML as int, not a string: quote it`},
		{"two documents", "group_id: \"@TGS#_a\"\npermission_groups: []\n---\nprune: true\n", `spec.yaml:3: holds more than one YAML document`},
		{"empty", "", `spec.yaml: is empty`},
		{"comments only", "# nothing yet\n", `spec.yaml: is empty`},
		{"a list", "- a\n- b\n", `spec.yaml: want an object, not a list`},
		{"unknown field", group("    permission: 0\n    member: [a]\n"),
			`spec.yaml:6:5: permission_groups[0].member: unknown field (known: id, name, permission, custom_string, topics, members)`},
		{"ID unquoted", "group_id: @TGS#_a\npermission_groups: []\n", `spec.yaml:1: invalid YAML: found character that cannot start any token`},
		{"lone surrogate", group("    permission: 0\n    custom_string: \"\\ud800\"\n"), `spec.yaml:6: invalid YAML: found invalid Unicode character escape code`},
		{"invalid UTF-8", "group_id: \"@TGS#_a\"\npermission_groups: []\nprune: \"\xff\"\n", `spec.yaml:3:9: is not valid UTF-8 (at byte 50)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := community.ParseSpecFile("spec.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	// What both YAML versions read alike is taken.
	spec, err := community.ParseSpecFile("spec.yaml", []byte(group(
		"    permission: 0x800\n    custom_string: 'yes'\n    members: [\"on\", True-ish, 2001-12-14, '1_000', \"0o17\"]\n")))
	require.NoError(t, err)
	g := spec.PermissionGroups[0]
	assert.Equal(t, tim.GroupPermission(0x800), g.Permission)
	assert.Equal(t, tim.Ptr("yes"), g.CustomString)
	assert.Equal(t, []string{"on", "True-ish", "2001-12-14", "1_000", "0o17"}, g.Members)
	spec, err = community.ParseSpecFile("spec.yaml", []byte("group_id: \"@TGS#_a\"\nprune: TRUE\npermission_groups: []\n"))
	require.NoError(t, err)
	assert.True(t, spec.Prune, "true in any case is a boolean in both versions")
}

// TestYAMLSyntaxErrorLines: a YAML syntax error names the line of the
// problem. sigs.k8s.io/yaml's parser counts its parser's lines from 0 and
// leaves line 1 out, which ParseSpecFile corrects; a new release of the
// YAML libraries that changes either fails here.
func TestYAMLSyntaxErrorLines(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		line int
	}{
		{"a: 1\nb: [1,\n", 3},
		{"a: 1\nb:\n  - x\n  c: d\n", 4},
		{"a: 1\nb: @x\n", 2},
		{"a: 1\n  b: 2\n", 2},
		{"a: b: c\n", 1},
		{"- a\nb: c\n", 2},
		{"a: 1\n\tb: 2\n", 2},
		{"a: {x: 1\nb: 2\n", 2},
		{"a: 1\nb: 2\nc: [x, y}\n", 3},
		{"x:\n  y:\n    z: 1\n   w: 2\n", 4},
		{"{", 1},     // at the end, without a last newline: not past it
		{"0:\n0", 2}, // the same, a scanner's problem
	} {
		_, err := community.ParseSpecFile("s.yaml", []byte(tc.doc))
		var se *community.SpecError
		require.ErrorAs(t, err, &se, "%q", tc.doc)
		assert.Equal(t, tc.line, se.Pos.Line, "%q: %v", tc.doc, err)
		assert.Contains(t, se.Reason, "invalid YAML: ")
	}
}
