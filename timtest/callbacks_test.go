package timtest

// Which REST calls hand which callback to the fake's callback sender, with
// the body fields the callback pages document (API-community.md §E).

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim/callback"
)

// spied is a callback the fake delivered to the app, its body decoded
// with json.Number for numbers, so that a number and a string differ.
type spied struct {
	Command string
	Body    map[string]any
}

func TestRESTCallsSendTheDocumentedCallbacks(t *testing.T) {
	clock := func() time.Time { return time.UnixMilli(1670574414123) }
	a := newApp(t, cbToken, clock)
	srv, q := communityFixture(t, WithClock(clock), WithCallback(a.srv.URL, cbToken))
	seen := 0
	// take returns the after-event callbacks delivered since the last take
	// (the before-event ones are tested on their own).
	take := func() []spied {
		require.NoError(t, srv.WaitCallbacks(context.Background()))
		recs := srv.Callbacks()
		var out []spied
		for _, r := range recs[seen:] {
			if r.Command == callback.CommandBeforeCreateTopic {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(r.Body))
			dec.UseNumber()
			var m map[string]any
			require.NoError(t, dec.Decode(&m))
			out = append(out, spied{r.Command, m})
		}
		seen = len(recs)
		return out
	}
	topic := tComm + "@TOPIC#_news"
	// EventTime in each documented sample's shape: a number for members
	// joining and leaving, a string for a member field and group info.
	const ms, msText = json.Number("1670574414123"), "1670574414123"
	steps := []struct {
		name, service, command string
		body                   map[string]any
		want                   []spied
	}{
		{"create_topic", millionService, "create_topic",
			map[string]any{"GroupId": tComm, "TopicId": topic, "TopicName": "News", "TopicDefinedData": []map[string]string{{"Key": "k", "Value": "v"}}},
			[]spied{{"Group.CallbackAfterCreateTopic", map[string]any{
				"CallbackCommand": "Group.CallbackAfterCreateTopic", "GroupId": tComm, "TopicId": topic, "Operator_Account": DefaultAdmin,
				"Owner_Account": tOwner, "Type": "Community", "Name": "News", "UserDefinedDataList": []any{map[string]any{"Key": "k", "Value": "v"}},
			}}}},
		{"create_topic as From_Account", millionService, "create_topic",
			map[string]any{"GroupId": tComm, "TopicId": topic + "2", "TopicName": "N2", "From_Account": "amy"},
			[]spied{{"Group.CallbackAfterCreateTopic", map[string]any{
				"CallbackCommand": "Group.CallbackAfterCreateTopic", "GroupId": tComm, "TopicId": topic + "2", "Operator_Account": "amy",
				"Owner_Account": tOwner, "Type": "Community", "Name": "N2", "UserDefinedDataList": []any{},
			}}}},
		{"import_topic: none", groupService, "import_topic", map[string]any{"GroupId": tComm, "TopicName": "old"}, nil},
		{"modify_topic: the changed fields", millionService, "modify_topic",
			map[string]any{"GroupId": tComm, "TopicId": topic, "TopicName": "News", "Notification": "read", "CustomString": "c"},
			[]spied{{"Group.CallbackAfterTopicInfoChanged", map[string]any{
				"CallbackCommand": "Group.CallbackAfterTopicInfoChanged", "GroupId": tComm, "Type": "Community", "Operator_Account": DefaultAdmin, "Notification": "read",
			}}}},
		{"modify_topic: custom string and mute only: none", millionService, "modify_topic",
			map[string]any{"GroupId": tComm, "TopicId": topic, "CustomString": "d", "MuteAllMember": "On"}, nil},
		{"destroy_topic", millionService, "destroy_topic", map[string]any{"GroupId": tComm, "TopicIdList": []string{topic, tComm + "@TOPIC#_nope"}},
			[]spied{{"Group.CallbackAfterTopicDestroyed", map[string]any{
				"CallbackCommand": "Group.CallbackAfterTopicDestroyed", "GroupId": tComm, "Type": "Community", "TopicIdList": []any{topic},
			}}}},
		{"add_group_member: the new members, even silent", groupService, "add_group_member",
			map[string]any{"GroupId": tComm, "Silence": 1, "MemberList": []map[string]string{{"Member_Account": "amy"}, {"Member_Account": "zoe"}}},
			[]spied{{"Group.CallbackAfterNewMemberJoin", map[string]any{
				"CallbackCommand": "Group.CallbackAfterNewMemberJoin", "GroupId": tComm, "Type": "Community", "JoinType": "Invited",
				"Operator_Account": DefaultAdmin, "NewMemberList": []any{map[string]any{"Member_Account": "zoe"}}, "EventTime": ms,
			}}}},
		{"modify_group_member_info: role and name card", groupService, "modify_group_member_info",
			map[string]any{"GroupId": tComm, "Member_Account": "zoe", "Role": "Admin", "NameCard": "Z", "MsgFlag": "Discard"},
			[]spied{{"Group.CallbackAfterMemberFieldChanged", map[string]any{
				"CallbackCommand": "Group.CallbackAfterMemberFieldChanged", "GroupId": tComm, "Type": "Community", "Operator_Account": DefaultAdmin,
				"Modified_Account": "zoe", "Role": "Admin", "NameCard": "Z", "EventTime": msText,
			}}}},
		{"modify_group_member_info: a mute only: none", groupService, "modify_group_member_info",
			map[string]any{"GroupId": tComm, "Member_Account": "zoe", "MuteTime": 60}, nil},
		{"delete_group_member: the members that left", groupService, "delete_group_member",
			map[string]any{"GroupId": tComm, "MemberToDel_Account": []string{"zoe", "nobody"}},
			[]spied{{"Group.CallbackAfterMemberExit", map[string]any{
				"CallbackCommand": "Group.CallbackAfterMemberExit", "GroupId": tComm, "Type": "Community", "ExitType": "Kicked",
				"Operator_Account": DefaultAdmin, "ExitMemberList": []any{map[string]any{"Member_Account": "zoe"}}, "EventTime": ms,
			}}}},
		{"import_group_member: none", groupService, "import_group_member", map[string]any{"GroupId": tComm, "MemberList": []map[string]string{{"Member_Account": "ivan"}}}, nil},
		{"modify_group_base_info: the changed fields", groupService, "modify_group_base_info",
			map[string]any{"GroupId": tComm, "Notification": "NewNotification", "Name": tComm, "MuteAllMember": "On"},
			[]spied{{"Group.CallbackAfterGroupInfoChanged", map[string]any{
				"CallbackCommand": "Group.CallbackAfterGroupInfoChanged", "GroupId": tComm, "Type": "Community", "Operator_Account": DefaultAdmin,
				"Notification": "NewNotification", "EventTime": msText,
			}}}},
		{"modify_group_base_info: permissions only: none", groupService, "modify_group_base_info",
			map[string]any{"GroupId": tComm, "EnablePermission": 1, "DefaultPermission": 64}, nil},
		{"a refused call: none", groupService, "add_group_member", map[string]any{"GroupId": tComm2, "MemberList": []map[string]string{{"Member_Account": "x"}}}, nil},
	}
	for _, step := range steps {
		rep := postAt(t, srv, step.service, step.command, q, step.body)
		if step.name != "a refused call: none" {
			require.Equal(t, 0, codeOf(rep), "%s: %v", step.name, rep["ErrorInfo"])
		}
		assert.Equal(t, step.want, take(), step.name)
	}
}
