package tim

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPermissionConstantsMatchTheAPI(t *testing.T) {
	// API.md §5: bit i has value 1<<i.
	group := []struct {
		p    GroupPermission
		want uint64
		name string
	}{
		{GroupPermManageGroupInfo, 1, "ManageGroupInfo"},
		{GroupPermManageMembers, 2, "ManageMembers"},
		{GroupPermManagePermissionGroups, 4, "ManagePermissionGroups"},
		{GroupPermManagePermissionMembers, 8, "ManagePermissionMembers"},
		{GroupPermManageTopics, 16, "ManageTopics"},
		{GroupPermMuteMembers, 32, "MuteMembers"},
		{GroupPermSendMessage, 64, "SendMessage"},
		{GroupPermAtAll, 128, "AtAll"},
		{GroupPermReadHistory, 256, "ReadHistory"},
		{GroupPermRecallMessages, 512, "RecallMessages"},
		{GroupPermBanMembers, 1024, "BanMembers"},
	}
	for _, tc := range group {
		t.Run("group "+tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, uint64(tc.p))
			assert.Equal(t, tc.name, tc.p.String())
		})
	}

	topic := []struct {
		p    TopicPermission
		want uint64
		name string
	}{
		{TopicPermManageTopicInfo, 1, "ManageTopicInfo"},
		{TopicPermManagePermissionGroups, 2, "ManagePermissionGroups"},
		{TopicPermMuteMembers, 4, "MuteMembers"},
		{TopicPermSendMessage, 8, "SendMessage"},
		{TopicPermReadHistory, 16, "ReadHistory"},
		{TopicPermRecallMessages, 32, "RecallMessages"},
		{TopicPermAtAll, 64, "AtAll"},
	}
	for _, tc := range topic {
		t.Run("topic "+tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, uint64(tc.p))
			assert.Equal(t, tc.name, tc.p.String())
		})
	}
}

func TestGroupPermissionString(t *testing.T) {
	tests := []struct {
		p    GroupPermission
		want string
	}{
		{0, "0"},
		{GroupPermManageGroupInfo, "ManageGroupInfo"},
		{GroupPermBanMembers, "BanMembers"},
		{GroupPermAtAll | GroupPermSendMessage, "SendMessage|AtAll"},
		{GroupPermBanMembers | GroupPermManageGroupInfo, "ManageGroupInfo|BanMembers"},
		{64 | 2048, "SendMessage|0x800"},
		{2048, "0x800"},
		{1 << 63, "0x8000000000000000"},
		// The service's samples use 123 = 0b1111011.
		{123, "ManageGroupInfo|ManageMembers|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage"},
		{2047, "ManageGroupInfo|ManageMembers|ManagePermissionGroups|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage|AtAll|ReadHistory|RecallMessages|BanMembers"},
		// GroupPermAll prints as every named bit, without the unnamed ones.
		{^GroupPermission(0), "ManageGroupInfo|ManageMembers|ManagePermissionGroups|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage|AtAll|ReadHistory|RecallMessages|BanMembers"},
		// Any other value keeps its unnamed bits.
		{^GroupPermission(0) - 1, "ManageMembers|ManagePermissionGroups|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage|AtAll|ReadHistory|RecallMessages|BanMembers|0xfffffffffffff800"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.p.String())
			assert.Equal(t, tc.want, fmt.Sprint(tc.p), "fmt uses String")
		})
	}
}

func TestTopicPermissionString(t *testing.T) {
	tests := []struct {
		p    TopicPermission
		want string
	}{
		{0, "0"},
		{TopicPermManageTopicInfo, "ManageTopicInfo"},
		{TopicPermAtAll, "AtAll"},
		{TopicPermSendMessage | TopicPermManageTopicInfo, "ManageTopicInfo|SendMessage"},
		{TopicPermAtAll | TopicPermReadHistory | TopicPermMuteMembers, "MuteMembers|ReadHistory|AtAll"},
		{128, "0x80"},
		// The service's sample 123456 = 0x1e240: bit 6 (AtAll) plus 0x1e200.
		{123456, "AtAll|0x1e200"},
		// The sample 1234 = 0x4d2: bits 1, 4, 6 plus 0x480.
		{1234, "ManagePermissionGroups|ReadHistory|AtAll|0x480"},
		{127, "ManageTopicInfo|ManagePermissionGroups|MuteMembers|SendMessage|ReadHistory|RecallMessages|AtAll"},
		{^TopicPermission(0), "ManageTopicInfo|ManagePermissionGroups|MuteMembers|SendMessage|ReadHistory|RecallMessages|AtAll"},
		{^TopicPermission(0) &^ TopicPermAtAll, "ManageTopicInfo|ManagePermissionGroups|MuteMembers|SendMessage|ReadHistory|RecallMessages|0xffffffffffffff80"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.p.String())
			assert.Equal(t, tc.want, fmt.Sprint(tc.p), "fmt uses String")
		})
	}
}

func TestPermissionHas(t *testing.T) {
	group := []struct {
		p, q GroupPermission
		want bool
	}{
		{0, 0, true},
		{123, 0, true},
		{0, GroupPermSendMessage, false},
		{GroupPermSendMessage, GroupPermSendMessage, true},
		{GroupPermSendMessage | GroupPermAtAll, GroupPermAtAll, true},
		{GroupPermSendMessage | GroupPermAtAll, GroupPermSendMessage | GroupPermAtAll, true},
		{GroupPermSendMessage, GroupPermSendMessage | GroupPermAtAll, false},
		{GroupPermAtAll, GroupPermSendMessage, false},
		{2048 | GroupPermBanMembers, 2048, true},
		{GroupPermBanMembers, 2048, false},
		{^GroupPermission(0), 1 << 63, true},
		{123, GroupPermManagePermissionGroups, false}, // bit 2 is clear in 123
	}
	for _, tc := range group {
		t.Run(fmt.Sprintf("group %d has %d", uint64(tc.p), uint64(tc.q)), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.p.Has(tc.q))
		})
	}

	topic := []struct {
		p, q TopicPermission
		want bool
	}{
		{0, 0, true},
		{123456, 0, true},
		{0, TopicPermAtAll, false},
		{123456, TopicPermAtAll, true},
		{123456, TopicPermSendMessage, false},
		{123456, TopicPermAtAll | TopicPermSendMessage, false},
		{TopicPermSendMessage | TopicPermReadHistory, TopicPermReadHistory, true},
		{^TopicPermission(0), TopicPermAtAll | 1<<40, true},
	}
	for _, tc := range topic {
		t.Run(fmt.Sprintf("topic %d has %d", uint64(tc.p), uint64(tc.q)), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.p.Has(tc.q))
		})
	}
}

// TestPermissionAllPrintsTheNamedBits: the owner's permission prints as the
// named bits, while BitNames keeps every bit, so that what export writes
// reads back as the same value.
func TestPermissionAllPrintsTheNamedBits(t *testing.T) {
	assert.Equal(t, GroupPermission(2047).String(), GroupPermAll.String())
	assert.Equal(t, TopicPermission(127).String(), TopicPermAll.String())
	assert.NotContains(t, fmt.Sprint(GroupPermAll, TopicPermAll), "0x")

	for _, p := range []GroupPermission{GroupPermAll, GroupPermAll - 1, 2047, 1 << 63, 123, 0x800 | GroupPermSendMessage} {
		names := p.BitNames()
		got, err := ParseGroupPermission(strings.Join(names, "|"))
		require.NoError(t, err)
		assert.Equal(t, p, got, "%v", names)
	}
	assert.Equal(t, "0xfffffffffffff800", GroupPermAll.BitNames()[11])
	for _, p := range []TopicPermission{TopicPermAll, TopicPermAll &^ TopicPermAtAll, 127, 123456} {
		got, err := ParseTopicPermission(strings.Join(p.BitNames(), "|"))
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	p, err := ParseGroupPermission(GroupPermAll.String())
	require.NoError(t, err)
	assert.Equal(t, GroupPermission(2047), p, "the printed form is the named bits")
}
