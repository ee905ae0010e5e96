package community_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

const topicC = "@TGS#_c@TOPIC#_c"

// reasons prints an answer's reasons, one string per bit.
func reasons[P community.Perm](a community.Answer[P]) []string {
	var out []string
	for _, r := range a.Reasons() {
		out = append(out, r.String())
	}
	return out
}

func TestInAllTopics(t *testing.T) {
	for _, tc := range []struct {
		community         tim.GroupPermission
		covered, probable tim.TopicPermission
	}{
		{tim.GroupPermMuteMembers, tim.TopicPermMuteMembers, 0},
		{tim.GroupPermSendMessage, tim.TopicPermSendMessage, 0},
		{tim.GroupPermAtAll, tim.TopicPermAtAll, 0},
		{tim.GroupPermReadHistory, tim.TopicPermReadHistory, 0},
		{tim.GroupPermRecallMessages, tim.TopicPermRecallMessages, 0},
		{tim.GroupPermManageTopics, 0, tim.TopicPermManageTopicInfo},
		{tim.GroupPermManagePermissionGroups, 0, tim.TopicPermManagePermissionGroups},
		{tim.GroupPermManageGroupInfo | tim.GroupPermManageMembers | tim.GroupPermManagePermissionMembers | tim.GroupPermBanMembers | 1<<40, 0, 0},
		{tim.GroupPermAll, 4 | 8 | 16 | 32 | 64, 1 | 2},
	} {
		t.Run(tc.community.String(), func(t *testing.T) {
			covered, probable := community.InAllTopics(tc.community)
			assert.Equal(t, tc.covered, covered)
			assert.Equal(t, tc.probable, probable)
		})
	}
	// The API.md §9 values: 32→4, 64→8, 128→64, 256→16, 512→32.
	for from, to := range map[tim.GroupPermission]tim.TopicPermission{32: 4, 64: 8, 128: 64, 256: 16, 512: 32} {
		covered, _ := community.InAllTopics(from)
		assert.Equal(t, to, covered, "%d", from)
	}
}

// TestAccessCommunityBitsInTopics follows the Permission Group guide's
// example: with a community default of 0, members may send only in the
// topics that grant it; a community bit covers every topic.
func TestAccessCommunityBitsInTopics(t *testing.T) {
	s := &community.Snapshot{GroupID: "@TGS#_c", Owner: "olga", PermissionGroupsEnabled: tim.Ptr(true), DefaultPermission: tim.Ptr(tim.GroupPermission(0)),
		PermissionGroups: []community.PermissionGroup{
			{ID: "@PMG#_two", Permission: 0, Members: []string{"ann"},
				Topics: map[string]tim.TopicPermission{topicA: tim.TopicPermSendMessage, topicB: tim.TopicPermSendMessage}},
			{ID: "@PMG#_all", Permission: tim.GroupPermSendMessage | tim.GroupPermRecallMessages, Members: []string{"bob"}},
		}}
	a := community.NewAccess(s)
	assert.Equal(t, tim.TopicPermSendMessage, a.Topic("ann", topicA).Permission)
	assert.Equal(t, tim.TopicPermSendMessage, a.Topic("ann", topicB).Permission)
	assert.Zero(t, a.Topic("ann", topicC).Permission, "no grant there, no community bit")

	for _, topic := range []string{topicA, topicB, topicC, "@TGS#_c@TOPIC#_made_later"} {
		ans := a.Topic("bob", topic)
		assert.Equal(t, tim.TopicPermSendMessage|tim.TopicPermRecallMessages, ans.Permission, topic)
		assert.Equal(t, ans.Permission, ans.AllTopics)
		assert.Empty(t, ans.Groups, "no group grants a permission in the topic")
		require.NotNil(t, ans.Community)
		assert.Equal(t, tim.GroupPermSendMessage|tim.GroupPermRecallMessages, ans.Community.Permission)
		assert.Equal(t, []string{
			"SendMessage: community SendMessage from @PMG#_all via the all-topics rule (inferred)",
			"RecallMessages: community RecallMessages from @PMG#_all via the all-topics rule (inferred)",
		}, reasons(ans))
		for _, r := range ans.Reasons() {
			assert.True(t, r.Inferred(), "the all-topics rule is inferred")
		}
	}
}

func TestAccessMemberInNoGroup(t *testing.T) {
	s := accessSnapshot()
	s.DefaultPermission = tim.Ptr(tim.GroupPermSendMessage | tim.GroupPermManageGroupInfo)
	a := community.NewAccess(s)
	c := a.Community("dan")
	assert.Equal(t, tim.GroupPermSendMessage|tim.GroupPermManageGroupInfo, c.Permission)
	assert.Empty(t, c.Groups)
	assert.Equal(t, []string{"ManageGroupInfo: community default", "SendMessage: community default"}, reasons(c))

	for _, topic := range []string{topicA, topicB} {
		ans := a.Topic("dan", topic)
		assert.Equal(t, tim.TopicPermSendMessage, ans.Permission, "the default's all-topic bit; ManageGroupInfo has no topic counterpart")
		assert.Equal(t, []string{"SendMessage: community default SendMessage via the all-topics rule (inferred)"}, reasons(ans))
		assert.Equal(t, []community.Source{{Via: community.ViaAllTopicsDefault, From: tim.GroupPermSendMessage}}, ans.Reasons()[0].Sources)
	}
}

func TestAccessOwnerAndAdmin(t *testing.T) {
	s := accessSnapshot()
	for _, enabled := range []*bool{tim.Ptr(true), tim.Ptr(false), nil} {
		s.PermissionGroupsEnabled = enabled
		a := community.NewAccess(s)
		for account, via := range map[string]community.Via{"olga": community.ViaOwner, "root": community.ViaAdmin} {
			c, tp := a.Community(account), a.Topic(account, topicB)
			assert.Equal(t, tim.GroupPermAll, c.Permission)
			assert.Equal(t, tim.TopicPermAll, tp.Permission)
			assert.True(t, c.Enforced() && tp.Enforced(), "all, whatever the switch")
			assert.Zero(t, tp.Probable)
			assert.Len(t, c.Reasons(), 11, "every named community bit")
			assert.Len(t, tp.Reasons(), 7, "every named topic bit")
			for _, r := range append(c.Reasons(), community.BitReason[tim.GroupPermission]{Bit: 1, Sources: tp.Reasons()[6].Sources}) {
				assert.Equal(t, []community.Source{{Via: via}}, r.Sources)
			}
			assert.NotContains(t, c.Explain()+tp.Explain(), "0x")
		}
	}
	// The owner in a group: the groups are shown, the answer is all.
	s = accessSnapshot()
	s.Owner = "ann"
	ans := community.NewAccess(s).Topic("ann", topicA)
	assert.Equal(t, community.RuleOwner, ans.Rule)
	assert.Equal(t, "@PMG#_mods", ans.Groups[0].PermissionGroupID)
	assert.Equal(t, "ann in @TGS#_c@TOPIC#_a: all (owner)", ans.String())
}

func TestAccessSwitch(t *testing.T) {
	s := accessSnapshot()
	s.PermissionGroupsEnabled = tim.Ptr(false)
	a := community.NewAccess(s)
	for _, ans := range []interface {
		Enforced() bool
		Explain() string
		String() string
	}{a.Community("ann"), a.Topic("ann", topicA), a.Topic("dan", topicB)} {
		assert.False(t, ans.Enforced(), "switch off: permission groups do not apply")
		assert.Contains(t, ans.String(), "permission groups are disabled, so this does not apply")
		assert.Contains(t, ans.Explain(), "permission groups are disabled in this community: its roles decide")
	}
	assert.Equal(t, tim.TopicPermMuteMembers|tim.TopicPermAtAll|tim.TopicPermReadHistory, a.Topic("ann", topicA).Permission,
		"what ann would have with them on")

	s.PermissionGroupsEnabled = nil
	a = community.NewAccess(s)
	ans := a.Topic("ann", topicA)
	assert.Equal(t, community.GroupsStateUnknown, ans.State)
	assert.True(t, ans.Enforced(), "an unknown switch is answered as on")
	assert.Contains(t, ans.Explain(), "whether permission groups are enabled is not known")
	assert.NotContains(t, ans.String(), "disabled")
}

func TestAccessUnknownDefault(t *testing.T) {
	s := accessSnapshot()
	s.DefaultPermission = nil
	a := community.NewAccess(s)
	c := a.Community("cid")
	assert.False(t, c.DefaultKnown)
	assert.Equal(t, tim.GroupPermSendMessage, c.Permission, "an unknown default counts as 0")
	ans := a.Topic("dan", topicA)
	assert.Zero(t, ans.Permission)
	assert.False(t, ans.Community.DefaultKnown)
	assert.Contains(t, ans.Explain(), "the community's default permission is not known: counted as 0")
	assert.Contains(t, ans.Explain(), "no permission: no default bit and no group grants one here")
	assert.NotContains(t, community.NewAccess(accessSnapshot()).Topic("dan", topicA).Explain(), "default permission is not known")
}

func TestAccessReasons(t *testing.T) {
	a := community.NewAccess(accessSnapshot())
	bea := a.Topic("bea", topicA)
	assert.Equal(t, []string{
		"MuteMembers: topic grant from @PMG#_mods; community MuteMembers from @PMG#_mods via the all-topics rule (inferred)",
		"SendMessage: topic grant from @PMG#_send; community SendMessage from @PMG#_send via the all-topics rule (inferred)",
		"ReadHistory: community default ReadHistory via the all-topics rule (inferred)",
		"AtAll: topic grant from @PMG#_mods",
	}, reasons(bea))
	inferred := map[tim.TopicPermission]bool{}
	for _, r := range bea.Reasons() {
		inferred[r.Bit] = r.Inferred()
	}
	assert.Equal(t, map[tim.TopicPermission]bool{tim.TopicPermMuteMembers: false, tim.TopicPermSendMessage: false, tim.TopicPermReadHistory: true, tim.TopicPermAtAll: false}, inferred)
	assert.Equal(t, []string{
		"MuteMembers: group @PMG#_mods",
		"SendMessage: group @PMG#_send",
		"ReadHistory: community default",
		"BanMembers: group @PMG#_mods",
	}, reasons(a.Community("bea")))

	assert.Equal(t, `bea in @TGS#_c@TOPIC#_a: MuteMembers|SendMessage|ReadHistory|AtAll (default and groups)
  MuteMembers: topic grant from @PMG#_mods; community MuteMembers from @PMG#_mods via the all-topics rule (inferred)
  SendMessage: topic grant from @PMG#_send; community SendMessage from @PMG#_send via the all-topics rule (inferred)
  ReadHistory: community default ReadHistory via the all-topics rule (inferred)
  AtAll: topic grant from @PMG#_mods
  a topic's own default permission has no REST field: counted as 0
  inferred: community mute, send, @all, history and recall bits apply in every topic (see InAllTopics)
`, bea.Explain())
}

// TestAccessProbable: ManageTopics and ManagePermissionGroups probably reach
// every topic; the answer names them but does not count them.
func TestAccessProbable(t *testing.T) {
	s := accessSnapshot()
	s.PermissionGroups = append(s.PermissionGroups, community.PermissionGroup{ID: "@PMG#_topics",
		Permission: tim.GroupPermManageTopics | tim.GroupPermManagePermissionGroups, Members: []string{"eve"},
		Topics: map[string]tim.TopicPermission{topicA: tim.TopicPermManageTopicInfo}})
	a := community.NewAccess(s)
	inB := a.Topic("eve", topicB)
	assert.Equal(t, tim.TopicPermReadHistory, inB.Permission)
	assert.Equal(t, tim.TopicPermManageTopicInfo|tim.TopicPermManagePermissionGroups, inB.Probable)
	assert.False(t, inB.Permission.Has(tim.TopicPermManageTopicInfo))
	assert.Equal(t, []string{
		"ReadHistory: community default ReadHistory via the all-topics rule (inferred)",
		"probably ManageTopicInfo (not counted): community ManageTopics from @PMG#_topics via the all-topics rule (probable)",
		"probably ManagePermissionGroups (not counted): community ManagePermissionGroups from @PMG#_topics via the all-topics rule (probable)",
	}, reasons(inB))
	// Granted in topic A, so only the other bit is probable there.
	inA := a.Topic("eve", topicA)
	assert.Equal(t, tim.TopicPermManageTopicInfo|tim.TopicPermReadHistory, inA.Permission)
	assert.Equal(t, tim.TopicPermManagePermissionGroups, inA.Probable)
}

// TestAccessUnknownBits: bits without a name are kept and explained.
func TestAccessUnknownBits(t *testing.T) {
	s := accessSnapshot()
	s.PermissionGroups[0].Topics[topicB] = 1 << 9
	s.PermissionGroups[0].Permission |= 1 << 20
	a := community.NewAccess(s)
	assert.Equal(t, "0x200: topic grant from @PMG#_send", fmt.Sprint(a.Topic("cid", topicB).Reasons()[2]))
	assert.Contains(t, reasons(a.Community("cid")), "0x100000: group @PMG#_send")
}

// TestAccessKnownBits: the owner's reasons list every named bit, and
// nothing past them (a bit added to tim must be added to Reasons too).
func TestAccessKnownBits(t *testing.T) {
	a := community.NewAccess(accessSnapshot())
	var all tim.GroupPermission
	for _, r := range a.Community("olga").Reasons() {
		all |= r.Bit
	}
	assert.Equal(t, tim.GroupPermAll.String(), all.String())
	var topic tim.TopicPermission
	for _, r := range a.Topic("olga", topicA).Reasons() {
		topic |= r.Bit
	}
	assert.Equal(t, tim.TopicPermAll.String(), topic.String())
}

func TestViaAndSourceStrings(t *testing.T) {
	for v, want := range map[community.Via]string{
		community.ViaOwner: "owner", community.ViaAdmin: "app admin", community.ViaDefault: "community default",
		community.ViaGroup: "group", community.ViaTopicGrant: "topic grant",
		community.ViaAllTopicsDefault: "community default via the all-topics rule", community.ViaAllTopicsGroup: "group via the all-topics rule",
		community.Via(0): "Via(0)",
	} {
		assert.Equal(t, want, v.String())
		assert.Equal(t, v == community.ViaAllTopicsDefault || v == community.ViaAllTopicsGroup, v.Inferred(), want)
	}
	assert.Equal(t, "owner", community.Source{Via: community.ViaOwner}.String())
	assert.False(t, community.BitReason[tim.TopicPermission]{}.Inferred(), "no source, not inferred")
}

// A topic answer says whether the community has the topic and whether its
// members are all muted there; the bits stay what the permissions give.
func TestAccessTopicState(t *testing.T) {
	def := tim.GroupPermSendMessage
	snap := &community.Snapshot{GroupID: "@TGS#_c", Owner: "olga", DefaultPermission: &def, PermissionGroupsEnabled: tim.Ptr(true),
		Topics: []community.Topic{{ID: topicC, Name: "c"}, {ID: "@TGS#_c@TOPIC#_quiet", Name: "quiet", MuteAll: true}}}
	a := community.NewAccess(snap)
	for _, tc := range []struct {
		topic string
		want  community.TopicState
		line  string
	}{
		{topicC, community.TopicExists, ""},
		{"@TGS#_c@TOPIC#_quiet", community.TopicMuted, "all members are muted in this topic (mute_all)"},
		{"@TGS#_c@TOPIC#_gone", community.TopicMissing, "the community has no such topic"},
	} {
		ans := a.Topic("amy", tc.topic)
		assert.Equal(t, tc.want, ans.Topic, tc.topic)
		assert.Equal(t, tim.TopicPermSendMessage, ans.Permission, "%s: the bits are the permissions'", tc.topic)
		if tc.line != "" {
			assert.Contains(t, ans.Explain(), tc.line, tc.topic)
		} else {
			assert.NotContains(t, ans.Explain(), "muted", tc.topic)
		}
	}
	assert.Contains(t, a.Topic("amy", "@TGS#_c@TOPIC#_quiet").String(), "; all members are muted in the topic")
	assert.Equal(t, community.TopicUnknown, a.Community("amy").Topic)

	snap.Topics = nil // a snapshot built without a topic list
	assert.Equal(t, community.TopicUnknown, community.NewAccess(snap).Topic("amy", topicC).Topic)
	snap.TopicsUnsupported = true // the community has no topics at all
	assert.Equal(t, community.TopicMissing, community.NewAccess(snap).Topic("amy", topicC).Topic)
}
