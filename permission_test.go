package tim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
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
		{^GroupPermission(0), "ManageGroupInfo|ManageMembers|ManagePermissionGroups|ManagePermissionMembers|ManageTopics|MuteMembers|SendMessage|AtAll|ReadHistory|RecallMessages|BanMembers|0xfffffffffffff800"},
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
		{^TopicPermission(0), "ManageTopicInfo|ManagePermissionGroups|MuteMembers|SendMessage|ReadHistory|RecallMessages|AtAll|0xffffffffffffff80"},
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
