package community_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

const (
	topicA = "@TGS#_c@TOPIC#_a"
	topicB = "@TGS#_c@TOPIC#_b"
)

// accessSnapshot: owner olga, admin root; groups mods (ann, bea), send
// (bea, cid) and empty (nobody); dan is in no group.
func accessSnapshot() *community.Snapshot {
	return &community.Snapshot{
		GroupID: "@TGS#_c", Owner: "olga", Admin: "root",
		PermissionGroupsEnabled: tim.Ptr(true),
		DefaultPermission:       tim.Ptr(tim.GroupPermReadHistory),
		PermissionGroups: []community.PermissionGroup{
			{ID: "@PMG#_send", Name: "Senders", Permission: tim.GroupPermSendMessage,
				Topics:  map[string]tim.TopicPermission{topicA: tim.TopicPermSendMessage, topicB: 0},
				Members: []string{"bea", "cid"}},
			{ID: "@PMG#_mods", Name: "Mods", Permission: tim.GroupPermMuteMembers | tim.GroupPermBanMembers,
				Topics:  map[string]tim.TopicPermission{topicA: tim.TopicPermMuteMembers | tim.TopicPermAtAll},
				Members: []string{"ann", "bea"}},
			{ID: "@PMG#_empty", Name: "Empty", Permission: tim.GroupPermAtAll},
		},
	}
}

func TestAccessTable(t *testing.T) {
	a := community.NewAccess(accessSnapshot())
	const (
		read = tim.GroupPermReadHistory
		send = tim.GroupPermSendMessage
		mods = tim.GroupPermMuteMembers | tim.GroupPermBanMembers
	)
	for _, tc := range []struct {
		account   string
		groups    []string
		community tim.GroupPermission
		rule      community.Rule
		inA, inB  tim.TopicPermission
		viaA      []string // the groups an answer for topic A names
	}{
		// In a topic: the topic grants OR the community bits that cover all
		// topics (the default ReadHistory, and each group's community bits).
		{"ann", []string{"@PMG#_mods"}, read | mods, community.RuleDefaultAndGroups,
			tim.TopicPermMuteMembers | tim.TopicPermAtAll | tim.TopicPermReadHistory,
			tim.TopicPermMuteMembers | tim.TopicPermReadHistory, []string{"@PMG#_mods"}},
		{"bea", []string{"@PMG#_mods", "@PMG#_send"}, read | mods | send, community.RuleDefaultAndGroups,
			tim.TopicPermMuteMembers | tim.TopicPermAtAll | tim.TopicPermSendMessage | tim.TopicPermReadHistory,
			tim.TopicPermMuteMembers | tim.TopicPermSendMessage | tim.TopicPermReadHistory, []string{"@PMG#_mods", "@PMG#_send"}},
		{"cid", []string{"@PMG#_send"}, read | send, community.RuleDefaultAndGroups,
			tim.TopicPermSendMessage | tim.TopicPermReadHistory, tim.TopicPermSendMessage | tim.TopicPermReadHistory, []string{"@PMG#_send"}},
		// In no group: the default, and its all-topic bits in every topic.
		{"dan", []string{}, read, community.RuleDefaultAndGroups, tim.TopicPermReadHistory, tim.TopicPermReadHistory, nil},
		{"olga", []string{}, tim.GroupPermAll, community.RuleOwner, tim.TopicPermAll, tim.TopicPermAll, nil},
		{"root", []string{}, tim.GroupPermAll, community.RuleAdmin, tim.TopicPermAll, tim.TopicPermAll, nil},
	} {
		t.Run(tc.account, func(t *testing.T) {
			assert.Equal(t, tc.groups, a.GroupsOf(tc.account))
			c := a.Community(tc.account)
			assert.Equal(t, tc.community, c.Permission)
			assert.Equal(t, tc.rule, c.Rule)
			assert.Equal(t, read, c.Default)
			assert.True(t, c.DefaultKnown)
			assert.Equal(t, community.GroupsEnabled, c.State)
			assert.True(t, c.Enforced())
			var ids []string
			for _, g := range c.Groups {
				ids = append(ids, g.PermissionGroupID)
			}
			assert.Equal(t, tc.groups, append([]string{}, ids...))

			ta := a.Topic(tc.account, topicA)
			assert.Equal(t, tc.inA, ta.Permission, "topic a")
			assert.Equal(t, tc.rule, ta.Rule)
			assert.False(t, ta.DefaultKnown, "no REST field for a topic's default")
			assert.Zero(t, ta.Default)
			ids = nil
			for _, g := range ta.Groups {
				ids = append(ids, g.PermissionGroupID)
			}
			assert.Equal(t, tc.viaA, ids)
			assert.Equal(t, tc.inB, a.Topic(tc.account, topicB).Permission, "topic b")
		})
	}
}

func TestAccessStrings(t *testing.T) {
	a := community.NewAccess(accessSnapshot())
	assert.Equal(t, "bea: MuteMembers|SendMessage|ReadHistory|BanMembers = default ReadHistory | @PMG#_mods MuteMembers|BanMembers | @PMG#_send SendMessage", a.Community("bea").String())
	assert.Equal(t, "olga: all (owner)", a.Community("olga").String())
	assert.Equal(t, "root in @TGS#_c@TOPIC#_b: all (app admin)", a.Topic("root", topicB).String())
	assert.Equal(t, "dan in @TGS#_c@TOPIC#_a: ReadHistory = default 0 (unknown) | all topics ReadHistory (inferred)", a.Topic("dan", topicA).String())
	assert.Equal(t, "cid in @TGS#_c@TOPIC#_a: SendMessage|ReadHistory = default 0 (unknown) | @PMG#_send SendMessage | all topics SendMessage|ReadHistory (inferred)", a.Topic("cid", topicA).String())
	// The owner's permission prints as the named bits, without a stray hex value.
	assert.Equal(t, "ManageGroupInfo|ManageMembers|ManagePermissionGroups|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage|AtAll|ReadHistory|RecallMessages|BanMembers", a.Community("olga").Permission.String())
	assert.Equal(t, "ManageTopicInfo|ManagePermissionGroups|MuteMembers|SendMessage|ReadHistory|RecallMessages|AtAll", a.Topic("olga", topicA).Permission.String())
}

func TestAccessUnknownAndDisabled(t *testing.T) {
	s := accessSnapshot()
	s.DefaultPermission, s.PermissionGroupsEnabled = nil, nil
	a := community.NewAccess(s)
	c := a.Community("dan")
	assert.Zero(t, c.Permission, "an unknown default counts as 0")
	assert.False(t, c.DefaultKnown)
	assert.Equal(t, community.GroupsStateUnknown, c.State)
	assert.True(t, c.Enforced())

	s.PermissionGroupsEnabled = tim.Ptr(false)
	a = community.NewAccess(s)
	c = a.Community("ann")
	assert.Equal(t, community.GroupsDisabled, c.State)
	assert.False(t, c.Enforced(), "disabled: the groups do not apply")
	assert.Equal(t, tim.GroupPermMuteMembers|tim.GroupPermBanMembers, c.Permission, "what ann would have with them enabled")
	assert.Contains(t, c.String(), "permission groups are disabled, so this does not apply")
	owner := a.Community("olga")
	assert.True(t, owner.Enforced(), "the owner has all whatever the switch")
	assert.Equal(t, tim.GroupPermAll, owner.Permission)
}

func TestAccessKeepsItsOwnCopy(t *testing.T) {
	s := accessSnapshot()
	a := community.NewAccess(s)
	s.PermissionGroups[0].Topics[topicA] = tim.TopicPermAll
	s.PermissionGroups[0].Members[0] = "zed"
	assert.Equal(t, []community.Grant[tim.TopicPermission]{{PermissionGroupID: "@PMG#_send", Name: "Senders", Permission: tim.TopicPermSendMessage}}, a.Topic("cid", topicA).Groups)
	assert.Empty(t, a.GroupsOf("zed"))
}
