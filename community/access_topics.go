package community

import "github.com/timkit/tim"

// allTopics maps the community bits that reach every topic to their topic
// bits. The client SDK headers (TIMCommunityManager.h,
// V2TIMManager+Community.h) and the Permission Group guide's worked example
// describe mute, send, @all, read history and recall as applying "in all
// topics of the community" (在社群下所有话题); the bit-for-bit mapping is
// inferred from the names. The probable entries are a guess from the names
// alone, with nothing in the docs behind them.
var allTopics = [...]struct {
	community tim.GroupPermission
	topic     tim.TopicPermission
	probable  bool
}{
	{tim.GroupPermMuteMembers, tim.TopicPermMuteMembers, false},
	{tim.GroupPermSendMessage, tim.TopicPermSendMessage, false},
	{tim.GroupPermAtAll, tim.TopicPermAtAll, false},
	{tim.GroupPermReadHistory, tim.TopicPermReadHistory, false},
	{tim.GroupPermRecallMessages, tim.TopicPermRecallMessages, false},
	{tim.GroupPermManageTopics, tim.TopicPermManageTopicInfo, true},
	{tim.GroupPermManagePermissionGroups, tim.TopicPermManagePermissionGroups, true},
}

// InAllTopics returns the topic bits that community permission p gives in
// every topic of the community.
//
// covered is the inferred mapping, which [Access.Topic] counts: MuteMembers
// → MuteMembers (32 → 4), SendMessage → SendMessage (64 → 8), AtAll → AtAll
// (128 → 64), ReadHistory → ReadHistory (256 → 16), RecallMessages →
// RecallMessages (512 → 32). The client SDKs document these community bits
// as applying in all topics, and the Permission Group guide's example (a
// community default of 0, two topics with SendMessage: members may send in
// those two only) agrees; the server's exact check is not documented.
//
// probable is the rest of a guess from the names, which Access.Topic
// reports but does not count: ManageTopics → ManageTopicInfo (16 → 1),
// ManagePermissionGroups → ManagePermissionGroups in the topic (4 → 2).
// Other community bits (group info, members, permission-group members, ban)
// have no topic counterpart.
func InAllTopics(p tim.GroupPermission) (covered, probable tim.TopicPermission) {
	for _, m := range allTopics {
		if p&m.community == 0 {
			continue
		}
		if m.probable {
			probable |= m.topic
		} else {
			covered |= m.topic
		}
	}
	return covered, probable
}
