package tim

import (
	"math/bits"
	"strconv"
	"strings"
)

// GroupPermission is the Permission bitmask of a permission group: what its
// members may do in the whole community. A member's effective permission is
// the union of the community's defaults and every permission group they are
// in; the owner has all. Bits without a constant are kept, never dropped (the
// service's own samples use values such as 123).
type GroupPermission uint64

// The community / permission-group permissions.
const (
	GroupPermManageGroupInfo         GroupPermission = 1 << iota // manage group info
	GroupPermManageMembers                                       // add and remove members, approve joins, edit member profiles
	GroupPermManagePermissionGroups                              // create, modify and delete permission groups and their topic permissions
	GroupPermManagePermissionMembers                             // manage permission-group members
	GroupPermManageTopics                                        // manage topics
	GroupPermMuteMembers                                         // mute members
	GroupPermSendMessage                                         // send messages
	GroupPermAtAll                                               // @all
	GroupPermReadHistory                                         // read history from before joining
	GroupPermRecallMessages                                      // recall other members' messages
	GroupPermBanMembers                                          // ban members
)

var groupPermNames = []string{
	"ManageGroupInfo", "ManageMembers", "ManagePermissionGroups", "ManagePermissionMembers",
	"ManageTopics", "MuteMembers", "SendMessage", "AtAll", "ReadHistory", "RecallMessages", "BanMembers",
}

// Has reports whether every bit of q is set in p.
func (p GroupPermission) Has(q GroupPermission) bool { return p&q == q }

// String names the set bits joined by "|", e.g. "SendMessage|AtAll"; bits
// without a name are shown in hex ("SendMessage|0x800"); zero is "0".
func (p GroupPermission) String() string { return formatBits(uint64(p), groupPermNames) }

// TopicPermission is the Permission bitmask of one topic inside a permission
// group. Unknown bits are kept, as for [GroupPermission].
type TopicPermission uint64

// The topic permissions.
const (
	TopicPermManageTopicInfo        TopicPermission = 1 << iota // manage this topic's info
	TopicPermManagePermissionGroups                             // manage permission groups in this topic
	TopicPermMuteMembers                                        // mute members in this topic
	TopicPermSendMessage                                        // send messages
	TopicPermReadHistory                                        // read history from before joining
	TopicPermRecallMessages                                     // recall other members' messages
	TopicPermAtAll                                              // @all
)

var topicPermNames = []string{
	"ManageTopicInfo", "ManagePermissionGroups", "MuteMembers", "SendMessage",
	"ReadHistory", "RecallMessages", "AtAll",
}

// Has reports whether every bit of q is set in p.
func (p TopicPermission) Has(q TopicPermission) bool { return p&q == q }

// String names the set bits joined by "|"; unknown bits are shown in hex; zero is "0".
func (p TopicPermission) String() string { return formatBits(uint64(p), topicPermNames) }

func formatBits(v uint64, names []string) string {
	if v == 0 {
		return "0"
	}
	var b strings.Builder
	known := uint64(1)<<len(names) - 1
	for rest := v & known; rest != 0; rest &= rest - 1 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(names[bits.TrailingZeros64(rest)])
	}
	if unknown := v &^ known; unknown != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("0x")
		b.WriteString(strconv.FormatUint(unknown, 16))
	}
	return b.String()
}
