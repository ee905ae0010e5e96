package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// TestAccessDemo: what tim access prints for the demo community's
// accounts: a member of a group in a topic, the owner, a member of no
// group, an account that is not a member.
func TestAccessDemo(t *testing.T) {
	noCredentials(t)
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"access_alice_general.golden", []string{"-account", "alice", "-topic", "general"}},
		{"access_bob_news.golden", []string{"-account", "bob", "-topic", "@TGS#_demo@TOPIC#_news"}},
		{"access_olivia.golden", []string{"-account", "olivia"}},
		{"access_frank_random.golden", []string{"-account", "frank", "-topic", "@TOPIC#_random"}},
		{"access_zed.golden", []string{"-account", "zed", "-topic", "general"}},
	} {
		status, out, errOut := runTim(t, "", append([]string{"access", "--demo", "-quiet"}, tc.args...)...)
		require.Equal(t, exitOK, status, errOut)
		golden(t, tc.golden, out)
		assert.Contains(t, errOut, "tim: --demo: using an embedded fake service")
	}
}

// accessDoc is the part of tim access -json the tests read.
type accessDoc struct {
	FormatVersion           int      `json:"format_version"`
	GroupID                 string   `json:"group_id"`
	Account                 string   `json:"account"`
	Role                    string   `json:"role"`
	PermissionGroupsEnabled *bool    `json:"permission_groups_enabled"`
	DefaultPermission       []string `json:"default_permission"`
	PermissionGroups        []struct {
		ID, Name string
	} `json:"permission_groups"`
	Community, Topic *struct {
		TopicID    string `json:"topic_id"`
		TopicState string `json:"topic_state"`
		Permission []string
		Rule       string
		Enforced   bool
		Bits       []struct {
			Bit                string
			Inferred, Probable bool
			Sources            []struct {
				Via, From         string
				PermissionGroupID string `json:"permission_group_id"`
				Inferred          bool
			}
		}
		Explanation string
	}
}

func decodeAccess(t *testing.T, out string) accessDoc {
	t.Helper()
	var doc accessDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	return doc
}

// TestAccessJSON: -json is one document a script can read: each bit with
// its sources, what is inferred, the rule, whether it is enforced.
func TestAccessJSON(t *testing.T) {
	srv := demoFake(t)
	status, out, errOut := runTim(t, "", "access", "-quiet", "-json", "-group", "@TGS#_demo", "-account", "bob", "-topic", "news")
	require.Equal(t, exitOK, status, errOut)
	doc := decodeAccess(t, out)
	assert.Equal(t, 1, doc.FormatVersion)
	assert.Equal(t, []string{"@TGS#_demo", "bob", "Member"}, []string{doc.GroupID, doc.Account, doc.Role})
	assert.Equal(t, tim.Ptr(true), doc.PermissionGroupsEnabled)
	assert.Equal(t, []string{"ReadHistory"}, doc.DefaultPermission)
	require.Len(t, doc.PermissionGroups, 1)
	assert.Equal(t, "@PMG#_speakers", doc.PermissionGroups[0].ID)

	c := doc.Community
	require.NotNil(t, c)
	assert.Equal(t, []string{"SendMessage", "ReadHistory"}, c.Permission)
	assert.Equal(t, "default_and_groups", c.Rule)
	assert.True(t, c.Enforced)
	require.Len(t, c.Bits, 2)
	assert.Equal(t, "SendMessage", c.Bits[0].Bit)
	assert.Equal(t, "group", c.Bits[0].Sources[0].Via)
	assert.Equal(t, "@PMG#_speakers", c.Bits[0].Sources[0].PermissionGroupID)
	assert.Equal(t, "default", c.Bits[1].Sources[0].Via)

	tp := doc.Topic
	require.NotNil(t, tp)
	assert.Equal(t, "@TGS#_demo@TOPIC#_news", tp.TopicID)
	assert.Equal(t, "exists", tp.TopicState)
	assert.Equal(t, []string{"SendMessage", "ReadHistory"}, tp.Permission)
	require.Len(t, tp.Bits, 2)
	send, history := tp.Bits[0], tp.Bits[1]
	assert.False(t, send.Inferred, "granted in the topic")
	assert.Equal(t, "topic_grant", send.Sources[0].Via)
	assert.Equal(t, "all_topics_group", send.Sources[1].Via)
	assert.Equal(t, "SendMessage", send.Sources[1].From)
	assert.True(t, send.Sources[1].Inferred)
	assert.True(t, history.Inferred, "the community default, by the all-topics rule alone")
	assert.Equal(t, "all_topics_default", history.Sources[0].Via)
	assert.Contains(t, tp.Explanation, "bob in @TGS#_demo@TOPIC#_news: SendMessage|ReadHistory (default and groups)\n")

	// What it read: the role, the topic, then the community (as export).
	var commands []string
	for _, r := range srv.Requests() {
		commands = append(commands, r.Command)
	}
	require.GreaterOrEqual(t, len(commands), 3)
	assert.Equal(t, []string{tim.CommandGetRoleInGroup, tim.CommandGetTopic}, commands[:2])
	assert.Empty(t, writesTo(srv))

	// An account that is not a member: one call, and nothing more to say.
	srv.ResetRequests()
	status, out, errOut = runTim(t, "", "access", "-quiet", "-json", "-group", "@TGS#_demo", "-account", "zed", "-topic", "news")
	require.Equal(t, exitOK, status, errOut)
	doc = decodeAccess(t, out)
	assert.Equal(t, "NotMember", doc.Role)
	assert.Nil(t, doc.Community)
	assert.Nil(t, doc.Topic)
	assert.Len(t, srv.Requests(), 1)

	// The app admin is not a member, and may do everything.
	status, out, errOut = runTim(t, "", "access", "-quiet", "-json", "-group", "@TGS#_demo", "-account", srv.Admin())
	require.Equal(t, exitOK, status, errOut)
	doc = decodeAccess(t, out)
	require.NotNil(t, doc.Community)
	assert.Equal(t, "admin", doc.Community.Rule)
	assert.Len(t, doc.Community.Permission, 11, "every named bit")
	assert.Equal(t, "admin", doc.Community.Bits[0].Sources[0].Via)
}

// TestAccessSwitchOff: with permission groups disabled, the answer says
// that roles decide and that it is not enforced.
func TestAccessSwitchOff(t *testing.T) {
	srv := timtest.NewServer()
	t.Cleanup(srv.Close)
	seed := bytes.Replace(demoSeed, []byte(`"permission_defaults": {"enabled": true`), []byte(`"permission_defaults": {"enabled": false`), 1)
	require.NotEqual(t, demoSeed, seed)
	require.NoError(t, srv.LoadSeed(bytes.NewReader(seed)))
	credentialsFor(t, srv)

	status, out, errOut := runTim(t, "", "access", "-quiet", "-group", "@TGS#_demo", "-account", "alice")
	require.Equal(t, exitOK, status, errOut)
	assert.Contains(t, out, "Permission groups are disabled (the community's roles decide); the community default permission is ReadHistory.\n")
	assert.Contains(t, out, "permission groups are disabled in this community: its roles decide, and the above is what permission groups would give\n")

	status, out, errOut = runTim(t, "", "access", "-quiet", "-json", "-group", "@TGS#_demo", "-account", "alice", "-topic", "general")
	require.Equal(t, exitOK, status, errOut)
	doc := decodeAccess(t, out)
	assert.Equal(t, tim.Ptr(false), doc.PermissionGroupsEnabled)
	assert.False(t, doc.Community.Enforced)
	assert.False(t, doc.Topic.Enforced)
	assert.NotEmpty(t, doc.Topic.Permission, "what permission groups would give")
}

// TestAccessUsage: bad flags are refused before anything is sent, -h
// prints the usage, and a topic that does not exist is an error.
func TestAccessUsage(t *testing.T) {
	srv := demoFake(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-group", "@TGS#_demo"}, "tim access: -account is required"},
		{[]string{"-account", "alice"}, "tim access: -group is required"},
		{[]string{"-group", "demo", "-account", "alice"}, `tim access: -group "demo" is not a community ID (@TGS#_…)`},
		{[]string{"-group", "@TGS#_demo", "-account", strings.Repeat("a", 33)}, "tim access: -account: "},
		{[]string{"-group", "@TGS#_demo", "-account", "alice", "-topic", "@TGS#_other@TOPIC#_x"}, `tim access: -topic: tim: invalid TopicID: is a topic of another community (@TGS#_other), not of @TGS#_demo`},
		{[]string{"-group", "@TGS#_demo", "-account", "alice", "-topic", strings.Repeat("t", 90)}, "bytes; topic IDs are at most 96"},
		{[]string{"-group", "@TGS#_demo", "-account", "alice", "extra"}, `unexpected argument "extra"`},
	} {
		status, out, errOut := runTim(t, "", append([]string{"access"}, tc.args...)...)
		assert.Equal(t, exitError, status, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
		assert.Contains(t, errOut, "usage: tim access", tc.args)
	}
	assert.Empty(t, srv.Requests(), "nothing sent")

	status, out, errOut := runTim(t, "", "access", "-quiet", "-group", "@TGS#_demo", "-account", "alice", "-topic", "nosuch")
	assert.Equal(t, exitError, status)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "tim access: @TGS#_demo has no topic @TGS#_demo@TOPIC#_nosuch (")

	status, _, errOut = runTim(t, "", "access", "-h")
	assert.Equal(t, exitOK, status)
	assert.Contains(t, errOut, "usage: tim access -group GROUP_ID -account ACCOUNT [-topic TOPIC] [-json] [flags]")
}
