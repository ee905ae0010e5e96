package community_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// TestPermissionStrings: a permission may be written as names joined by
// "|" in one string, for a group and in a topic, in JSON and YAML, meaning
// what the number or the list means.
func TestPermissionStrings(t *testing.T) {
	for _, tc := range []struct {
		written string
		group   tim.GroupPermission
		topic   tim.TopicPermission
	}{
		{`"SendMessage|AtAll"`, tim.GroupPermSendMessage | tim.GroupPermAtAll, tim.TopicPermSendMessage | tim.TopicPermAtAll},
		{`" SendMessage |  AtAll "`, tim.GroupPermSendMessage | tim.GroupPermAtAll, tim.TopicPermSendMessage | tim.TopicPermAtAll},
		{`"SendMessage"`, tim.GroupPermSendMessage, tim.TopicPermSendMessage},
		{`"SendMessage|0x800"`, tim.GroupPermSendMessage | 0x800, tim.TopicPermSendMessage | 0x800},
		{`"0x800"`, 0x800, 0x800},
		{`"0"`, 0, 0},
		{`"72"`, tim.GroupPermSendMessage | tim.GroupPermManagePermissionMembers, tim.TopicPermSendMessage | tim.TopicPermAtAll},
		{`"AtAll|AtAll"`, tim.GroupPermAtAll, tim.TopicPermAtAll},
	} {
		doc := specWith(`{"id": "@PMG#_x", "name": "X", "permission": ` + tc.written + `, "topics": {"@TGS#_a@TOPIC#_t": ` + tc.written + `}}`)
		spec, err := community.ParseSpec(strings.NewReader(doc))
		require.NoError(t, err, tc.written)
		assert.Equal(t, tc.group, spec.PermissionGroups[0].Permission, tc.written)
		assert.Equal(t, tc.topic, spec.PermissionGroups[0].Topics["@TGS#_a@TOPIC#_t"], tc.written)
	}

	// The same permission in every form, in both formats.
	want := tim.GroupPermMuteMembers | tim.GroupPermBanMembers
	for _, doc := range []string{
		specWith(`{"id": "@PMG#_x", "name": "X", "permission": 1056}`),
		specWith(`{"id": "@PMG#_x", "name": "X", "permission": ["MuteMembers", "BanMembers"]}`),
		specWith(`{"id": "@PMG#_x", "name": "X", "permission": "MuteMembers|BanMembers"}`),
		"group_id: \"@TGS#_a\"\npermission_groups:\n  - {id: \"@PMG#_x\", name: X, permission: MuteMembers | BanMembers}\n",
		"group_id: \"@TGS#_a\"\npermission_groups:\n  - {id: \"@PMG#_x\", name: X, permission: [MuteMembers, BanMembers]}\n",
		"group_id: \"@TGS#_a\"\npermission_groups:\n  - {id: \"@PMG#_x\", name: X, permission: 0x420}\n",
	} {
		spec, err := community.ParseSpec(strings.NewReader(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, want, spec.PermissionGroups[0].Permission, doc)
	}
}
