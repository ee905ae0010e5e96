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

// encodeSpec has what a writer must take care of: &, < and > (which
// encoding/json escapes), strings that YAML would read as something else,
// a literal backslash-u in a string, and unnamed bits.
var encodeSpec = &community.Spec{GroupID: "@TGS#_a", Prune: true, PermissionGroups: []community.GroupSpec{
	{ID: "@PMG#_qa", Name: "Q&A <mods> -> \"staff\"", Permission: tim.GroupPermSendMessage | 0x800,
		CustomString: tim.Ptr("{\"html\":\"<b>&amp;</b>\"}\nline two \\u0026 \\\\u003c"),
		Topics:       map[string]tim.TopicPermission{"@TGS#_a@TOPIC#_t": tim.TopicPermAtAll, "@TGS#_a@TOPIC#_u": 0},
		Members:      []string{"yes", "on", "N", "0123", "1.5", "null", "true", "- x", "#c", "a: b", "alice"}},
	{ID: "@PMG#_plain", Name: "Unmanaged", Permission: 0},
}}

// TestSpecEncodeRoundTrip: what Encode writes, ParseSpecFile reads back as
// the same spec, in both formats.
func TestSpecEncodeRoundTrip(t *testing.T) {
	for _, f := range []community.SpecFormat{community.SpecJSON, community.SpecYAML} {
		out, err := encodeSpec.Encode(f)
		require.NoError(t, err, f)
		back, err := community.ParseSpecFile("spec."+f.String(), out)
		require.NoError(t, err, "%s:\n%s", f, out)
		assert.Equal(t, encodeSpec, back, f)
	}
	_, err := encodeSpec.Encode(0)
	assert.EqualError(t, err, "community: Encode: unknown format SpecFormat(0)")
}

// TestSpecEncodeDoesNotEscapeHTML: &, < and > are written as they are
// (json.Marshal writes \u0026, \u003c, \u003e); an escaped backslash
// before "u0026" is left alone.
func TestSpecEncodeDoesNotEscapeHTML(t *testing.T) {
	out, err := encodeSpec.Encode(community.SpecJSON)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"name": "Q&A <mods> -> \"staff\""`)
	assert.Contains(t, string(out), `"custom_string": "{\"html\":\"<b>&amp;</b>\"}\nline two \\u0026 \\\\u003c"`)
	assert.NotContains(t, string(out), `\u0026`+"A")
	assert.True(t, strings.HasSuffix(string(out), "}\n"))

	escaped, err := json.Marshal(encodeSpec)
	require.NoError(t, err)
	assert.Contains(t, string(escaped), `Q\u0026A \u003cmods\u003e`, "json.Marshal is left as it is")
}

func TestSpecEncodeYAML(t *testing.T) {
	spec := &community.Spec{GroupID: "@TGS#_a", PermissionGroups: []community.GroupSpec{
		{ID: "@PMG#_x", Name: "Q&A", Permission: tim.GroupPermSendMessage | tim.GroupPermAtAll,
			Topics: map[string]tim.TopicPermission{"@TGS#_a@TOPIC#_t": tim.TopicPermSendMessage}, Members: []string{"alice", "no"}},
	}}
	out, err := spec.Encode(community.SpecYAML)
	require.NoError(t, err)
	assert.Equal(t, `group_id: '@TGS#_a'
prune: false
permission_groups:
  - id: '@PMG#_x'
    name: Q&A
    permission: [SendMessage, AtAll]
    topics:
      '@TGS#_a@TOPIC#_t': [SendMessage]
    members:
      - alice
      - "no"
`, string(out))
}
