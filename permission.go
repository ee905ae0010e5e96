package tim

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// GroupPermission is the Permission bitmask of a permission group: what its
// members may do in the whole community. A member's effective permission is
// the union of the community's defaults and every permission group they are
// in; the owner has all. Bits without a constant are kept, never dropped (the
// service's own samples use values such as 123).
type GroupPermission uint64

// The community / permission-group permissions. Each comment gives the
// bit's value and the name Tencent's SDKs and docs give it.
const (
	GroupPermManageGroupInfo         GroupPermission = 1 << iota // 1: manage group info (V2TIM_COMMUNITY_PERMISSION_MANAGE_GROUP_INFO)
	GroupPermManageMembers                                       // 2: add and remove members, approve joins, edit member profiles (V2TIM_COMMUNITY_PERMISSION_MANAGE_GROUP_MEMBER)
	GroupPermManagePermissionGroups                              // 4: create, modify and delete permission groups and their topic permissions (V2TIM_COMMUNITY_PERMISSION_MANAGE_PERMISSION_GROUP_INFO)
	GroupPermManagePermissionMembers                             // 8: manage permission-group members (V2TIM_COMMUNITY_PERMISSION_MANAGE_PERMISSION_GROUP_MEMBER)
	GroupPermManageTopics                                        // 16: manage topics (V2TIM_COMMUNITY_PERMISSION_MANAGE_TOPIC_IN_COMMUNITY)
	GroupPermMuteMembers                                         // 32: mute members (V2TIM_COMMUNITY_PERMISSION_MUTE_MEMBER)
	GroupPermSendMessage                                         // 64: send messages (V2TIM_COMMUNITY_PERMISSION_SEND_MESSAGE)
	GroupPermAtAll                                               // 128: @all (V2TIM_COMMUNITY_PERMISSION_AT_ALL)
	GroupPermReadHistory                                         // 256: read history from before joining (V2TIM_COMMUNITY_PERMISSION_GET_HISTORY_MESSAGE)
	GroupPermRecallMessages                                      // 512: recall other members' messages (V2TIM_COMMUNITY_PERMISSION_REVOKE_OTHER_MEMBER_MESSAGE)
	GroupPermBanMembers                                          // 1024: ban members (V2TIM_COMMUNITY_PERMISSION_BAN_MEMBER)
)

// GroupPermAll has every bit of [GroupPermission] set, those without a name
// too: what the community's owner and the app admin have, so that Has is
// true for any permission, even one named after this release. It prints as
// every named bit ([GroupPermission.String]).
const GroupPermAll = ^GroupPermission(0)

var groupPermNames = []string{
	"ManageGroupInfo", "ManageMembers", "ManagePermissionGroups", "ManagePermissionMembers",
	"ManageTopics", "MuteMembers", "SendMessage", "AtAll", "ReadHistory", "RecallMessages", "BanMembers",
}

// Has reports whether every bit of q is set in p.
func (p GroupPermission) Has(q GroupPermission) bool { return p&q == q }

// String names the set bits joined by "|", e.g. "SendMessage|AtAll"; bits
// without a name are shown in hex ("SendMessage|0x800"); zero is "0".
// [GroupPermAll] is the exception: it prints as every named bit, without
// the hex of the 53 bits no one has named (its BitNames keeps them).
func (p GroupPermission) String() string {
	if p == GroupPermAll {
		return formatBits(uint64(p)&knownBits(groupPermNames), groupPermNames)
	}
	return formatBits(uint64(p), groupPermNames)
}

// TopicPermission is the Permission bitmask of one topic inside a permission
// group. Unknown bits are kept, as for [GroupPermission].
type TopicPermission uint64

// The topic permissions. Each comment gives the bit's value and the name
// Tencent's SDKs and docs give it.
const (
	TopicPermManageTopicInfo        TopicPermission = 1 << iota // 1: manage this topic's info (V2TIM_TOPIC_PERMISSION_MANAGE_TOPIC)
	TopicPermManagePermissionGroups                             // 2: manage permission groups in this topic (V2TIM_TOPIC_PERMISSION_MANAGE_TOPIC_PERMISSION)
	TopicPermMuteMembers                                        // 4: mute members in this topic (V2TIM_TOPIC_PERMISSION_MUTE_MEMBER)
	TopicPermSendMessage                                        // 8: send messages (V2TIM_TOPIC_PERMISSION_SEND_MESSAGE)
	TopicPermReadHistory                                        // 16: read history from before joining (V2TIM_TOPIC_PERMISSION_GET_HISTORY_MESSAGE)
	TopicPermRecallMessages                                     // 32: recall other members' messages (V2TIM_TOPIC_PERMISSION_REVOKE_OTHER_MEMBER_MESSAGE)
	TopicPermAtAll                                              // 64: @all (V2TIM_TOPIC_PERMISSION_AT_ALL)
)

// TopicPermAll has every bit of [TopicPermission] set, those without a name
// too: what the community's owner and the app admin have in every topic. It
// prints as every named bit ([TopicPermission.String]).
const TopicPermAll = ^TopicPermission(0)

var topicPermNames = []string{
	"ManageTopicInfo", "ManagePermissionGroups", "MuteMembers", "SendMessage",
	"ReadHistory", "RecallMessages", "AtAll",
}

// Has reports whether every bit of q is set in p.
func (p TopicPermission) Has(q TopicPermission) bool { return p&q == q }

// String names the set bits joined by "|"; unknown bits are shown in hex;
// zero is "0". [TopicPermAll] prints as every named bit, as
// [GroupPermission.String] prints [GroupPermAll].
func (p TopicPermission) String() string {
	if p == TopicPermAll {
		return formatBits(uint64(p)&knownBits(topicPermNames), topicPermNames)
	}
	return formatBits(uint64(p), topicPermNames)
}

// ParseGroupPermission reads a permission as [GroupPermission.String]
// prints it: names joined by "|" ("SendMessage|AtAll"), hex for bits
// without a name ("0x800"), or "0"; a decimal number is read too. The
// printed [GroupPermAll] reads back as the named bits only; its BitNames,
// joined, read back as GroupPermAll.
func ParseGroupPermission(s string) (GroupPermission, error) {
	v, err := parseBits(s, groupPermNames)
	return GroupPermission(v), err
}

// ParseTopicPermission reads a permission as [TopicPermission.String]
// prints it; see [ParseGroupPermission].
func ParseTopicPermission(s string) (TopicPermission, error) {
	v, err := parseBits(s, topicPermNames)
	return TopicPermission(v), err
}

func parseBits(s string, names []string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("tim: empty permission")
	}
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		return n, nil
	}
	var v uint64
	for _, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		if hex, ok := strings.CutPrefix(part, "0x"); ok {
			n, err := strconv.ParseUint(hex, 16, 64)
			if err != nil {
				return 0, fmt.Errorf("tim: permission %q: %q is not a hex number", s, part)
			}
			v |= n
			continue
		}
		i := slices.Index(names, part)
		if i < 0 {
			return 0, fmt.Errorf("tim: permission %q: unknown name %q (known: %s)", s, part, strings.Join(names, ", "))
		}
		v |= 1 << i
	}
	return v, nil
}

// BitNames returns the names of the set bits of a permission, one per
// entry, hex for the bits without a name: what [ParseGroupPermission] reads
// back to the same value, [GroupPermAll] included (its String leaves the
// unnamed bits out; BitNames does not).
func (p GroupPermission) BitNames() []string { return bitNames(uint64(p), groupPermNames) }

// BitNames returns the names of the set bits of a permission, one per
// entry, as [GroupPermission.BitNames] does.
func (p TopicPermission) BitNames() []string { return bitNames(uint64(p), topicPermNames) }

func bitNames(v uint64, names []string) []string {
	if v == 0 {
		return nil
	}
	return strings.Split(formatBits(v, names), "|")
}

// knownBits is the mask of the bits that have a name.
func knownBits(names []string) uint64 { return uint64(1)<<len(names) - 1 }

func formatBits(v uint64, names []string) string {
	if v == 0 {
		return "0"
	}
	var b strings.Builder
	known := knownBits(names)
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
