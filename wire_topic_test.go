package tim

// Wire tests of the topic commands: the path under each one's service, the
// signed query, the body's field names, the limits checked before sending,
// the split of destroy_topic, and the documented samples decoded.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The samples of the topic pages (API-community.md §A).
const (
	tpCommunity   = "@TGS#_@TGS#cQVLVHIM62CJ"
	tpServerMade  = tpCommunity + "@TOPIC#_@TOPIC#cETE3HIM62CQ"
	tpCustom      = tpCommunity + "@TOPIC#_TestTopic"
	tpCreateOK    = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TopicId":"` + tpServerMade + `"}`
	tpCreateOKOwn = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TopicId":"` + tpCustom + `"}`
	tpImportOK    = `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"TopicId":"@TGS#_@TGS#cBZXAIIM62CV@TOPIC#_@TOPIC#cTCCCIIM62CW"}`
	tpGetSample   = `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,
 "TopicAndSelfInfo":[{"ErrorCode":0,"ErrorInfo":"ok",
   "SelfInfo":{"ShutUpTime":0,"MsgSeq":0,"MsgFlag":"AcceptAndNotify"},
   "TopicInfo":{"TopicName":"TestTopicName","GroupID":"@TGS#_@TGS#cQVLVHIM62CJ","FaceUrl":"http://this.is.new.face.url",
     "TopicId":"@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5","NextMsgSeq":1,"Notification":"Notification",
     "Introduction":"Introduction","CreateTime":1658839448,"LastMsgTime":0,"ShutUpAllFlag":0,"CustomString":"This is a customs string."}}]}`
	tpSampleTopic = "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5"
)

func TestCreateTopicWire(t *testing.T) {
	ctx := context.Background()
	t.Run("every field, under million_group_open_http_svc", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "create_topic", 200, tpCreateOKOwn)
		id, err := m.client.CreateTopic(ctx, &CreateTopicRequest{
			GroupID: tpCommunity, TopicID: tpCustom, Name: "TestTopic", FromAccount: "1400187352",
			CustomString: "custom", FaceURL: "http://face", Notification: "notice", Introduction: "intro",
			CustomData: map[string]string{"UserDefined2": "world", "UserDefined1": "abc\x00\x01"},
		})
		require.NoError(t, err)
		assert.Equal(t, tpCustom, id)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSignedAt(t, reqs[0], millionService, "create_topic")
		assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","TopicId":"`+tpCustom+`","TopicName":"TestTopic","From_Account":"1400187352",
			"CustomString":"custom","FaceUrl":"http://face","Notification":"notice","Introduction":"intro",
			"TopicDefinedData":[{"Key":"UserDefined1","Value":"abc\u0000\u0001"},{"Key":"UserDefined2","Value":"world"}]}`, reqs[0].Body)
	})
	t.Run("the server's ID; empty fields are left out", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "create_topic", 200, tpCreateOK)
		id, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: strings.Repeat("话", 10)})
		require.NoError(t, err)
		assert.Equal(t, tpServerMade, id)
		assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","TopicName":"`+strings.Repeat("话", 10)+`"}`, m.requests()[0].Body, "30 bytes of UTF-8 is the limit")
	})
	t.Run("an answer without TopicId: the custom ID, or a DecodeError", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "create_topic", 200, okEnvelope)
		id, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, TopicID: tpCustom, Name: "n"})
		require.NoError(t, err)
		assert.Equal(t, tpCustom, id)
		_, err = m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n"})
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.True(t, MayHaveApplied(err), "the topic was made")
	})
	for _, code := range []int{10021, 10025} {
		t.Run(fmt.Sprintf("%d is an ID in use", code), func(t *testing.T) {
			m := newMock(t)
			m.respondAt(millionService, "create_topic", 200, fmt.Sprintf(`{"ActionStatus":"FAIL","ErrorCode":%d,"ErrorInfo":"in use"}`, code))
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, TopicID: tpCustom, Name: "n"})
			assert.ErrorIs(t, err, ErrIDInUse)
			assert.Len(t, m.requests(), 1, "not retried")
		})
	}
	t.Run("not sent again after a lost answer", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "create_topic", 502, "<html>")
		_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n"})
		var he *HTTPError
		require.ErrorAs(t, err, &he)
		assert.Len(t, m.requests(), 1)
	})
}

func TestImportTopicWire(t *testing.T) {
	m := newMock(t)
	m.respond("import_topic", 200, tpImportOK) // under group_open_http_svc
	id, err := m.client.ImportTopic(context.Background(), &ImportTopicRequest{
		GroupID: "@TGS#_@TGS#cBZXAIIM62CV", Name: "imported", FromAccount: "leckie", CreateTime: 1658839448, Introduction: "i",
	})
	require.NoError(t, err)
	assert.Equal(t, "@TGS#_@TGS#cBZXAIIM62CV@TOPIC#_@TOPIC#cTCCCIIM62CW", id)
	reqs := m.requests()
	require.Len(t, reqs, 1)
	assertSigned(t, reqs[0], "import_topic")
	assert.JSONEq(t, `{"GroupId":"@TGS#_@TGS#cBZXAIIM62CV","TopicName":"imported","From_Account":"leckie","Introduction":"i","CreateTime":1658839448}`, reqs[0].Body)
}

func TestGetTopicsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("the documented sample", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "get_topic", 200, tpGetSample)
		topics, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSignedAt(t, reqs[0], millionService, "get_topic")
		assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","From_Account":"administrator"}`, reqs[0].Body, "From_Account defaults to the client's admin")
		require.Len(t, topics, 1)
		got := topics[0]
		assert.NotEmpty(t, got.Raw)
		got.Raw = nil
		assert.Equal(t, Topic{
			ID: tpSampleTopic, GroupID: tpCommunity, Name: "TestTopicName", FaceURL: "http://this.is.new.face.url",
			Notification: "Notification", Introduction: "Introduction", CustomString: "This is a customs string.",
			CreateTime: 1658839448, NextMsgSeq: 1, Self: TopicSelfInfo{MsgFlag: MsgFlagAcceptAndNotify}, ErrorInfo: "ok",
		}, got)
		assert.NoError(t, got.Err(), `ErrorInfo "ok" with code 0 is success`)
	})
	t.Run("IDs, filter and account are sent; results in request order", func(t *testing.T) {
		m := newMock(t)
		a, b := tpCommunity+"@TOPIC#_a", tpCommunity+"@TOPIC#_b"
		m.respondAt(millionService, "get_topic", 200, `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,"TopicAndSelfInfo":[
			{"ErrorCode":0,"ErrorInfo":"ok","TopicInfo":{"TopicId":"`+b+`","GroupId":"`+tpCommunity+`","MuteAllMember":"On"},"SelfInfo":{"MuteTime":60,"MsgFlag":"Discard","MsgSeq":"7"}},
			{"ErrorCode":110003,"ErrorInfo":"topic deleted","TopicInfo":{"TopicId":"`+a+`"}}]}`)
		topics, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{a, b}, FromAccount: "amy", ResponseFilter: []string{"TopicName"}})
		require.NoError(t, err)
		assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","From_Account":"amy","TopicIdList":["`+a+`","`+b+`"],"ResponseFilter":["TopicName"]}`, m.requests()[0].Body)
		require.Len(t, topics, 2)
		assert.Equal(t, a, topics[0].ID)
		assert.ErrorIs(t, topics[0].Err(), ErrTopicNotFound)
		var ie *ItemError
		require.ErrorAs(t, topics[0].Err(), &ie)
		assert.Equal(t, ItemError{Command: "get_topic", Kind: "topic", ID: a, Code: ErrTopicNotFound, Info: "topic deleted"}, *ie)
		assert.Equal(t, b, topics[1].ID)
		assert.Equal(t, tpCommunity, topics[1].GroupID, `"GroupId" is read as well as "GroupID"`)
		assert.True(t, topics[1].MuteAll, `MuteAllMember "On"`)
		assert.Equal(t, TopicSelfInfo{MsgFlag: MsgFlagDiscard, MuteTime: 60, MsgSeq: 7}, topics[1].Self)
	})
	t.Run("a failed item without TopicInfo takes its ID from its place", func(t *testing.T) {
		m := newMock(t)
		a, b := tpCommunity+"@TOPIC#_a", tpCommunity+"@TOPIC#_b"
		m.respondAt(millionService, "get_topic", 200, `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,"TopicAndSelfInfo":[
			{"ErrorCode":10010,"ErrorInfo":"gone"},{"ErrorCode":0,"ErrorInfo":"ok","TopicInfo":{"TopicId":"`+b+`","ShutUpAllFlag":1,"TopicDefinedData":[{"Key":"k","Value":"v"}]}}]}`)
		topics, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{a, b}})
		require.NoError(t, err)
		assert.Equal(t, a, topics[0].ID)
		assert.ErrorIs(t, topics[0].Err(), ErrGroupNotFound)
		assert.True(t, topics[1].MuteAll, "ShutUpAllFlag 1")
		assert.Equal(t, map[string]string{"k": "v"}, topics[1].CustomData)
	})
	t.Run("an answer naming another topic is a DecodeError", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "get_topic", 200, `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,"TopicAndSelfInfo":[{"ErrorCode":0,"TopicInfo":{"TopicId":"`+tpCommunity+`@TOPIC#_x"}}]}`)
		_, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{tpCommunity + "@TOPIC#_a"}})
		var de *DecodeError
		assert.ErrorAs(t, err, &de)
	})
	t.Run("a FAIL envelope", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "get_topic", 200, `{"ActionStatus":"FAIL","ErrorCode":11000,"ErrorInfo":"no topics"}`)
		_, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity})
		assert.ErrorIs(t, err, ErrCommunityNotSupported)
	})
}

func TestModifyTopicWire(t *testing.T) {
	ctx := context.Background()
	m := newMock(t)
	m.respondAt(millionService, "modify_topic", 200, `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0}`)
	require.NoError(t, m.client.ModifyTopic(ctx, &ModifyTopicRequest{GroupID: tpCommunity, TopicID: tpCustom, Name: Ptr("New"), Introduction: Ptr(""), MuteAll: Ptr(true)}))
	require.NoError(t, m.client.ModifyTopic(ctx, &ModifyTopicRequest{GroupID: tpCommunity, TopicID: tpCustom, FromAccount: "amy", MuteAll: Ptr(false), CustomString: Ptr("c"), FaceURL: Ptr("f"), Notification: Ptr("n")}))
	reqs := m.requests()
	require.Len(t, reqs, 2)
	assertSignedAt(t, reqs[0], millionService, "modify_topic")
	assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","TopicId":"`+tpCustom+`","TopicName":"New","Introduction":"","MuteAllMember":"On"}`, reqs[0].Body)
	assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","TopicId":"`+tpCustom+`","From_Account":"amy","MuteAllMember":"Off","CustomString":"c","FaceUrl":"f","Notification":"n"}`, reqs[1].Body)
}

func TestDestroyTopicsWire(t *testing.T) {
	ctx := context.Background()
	t.Run("the documented sample", func(t *testing.T) {
		m := newMock(t)
		other := tpCommunity + "@TOPIC#_TestTopic_1"
		m.respondAt(millionService, "destroy_topic", 200, `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,"DestroyResultItem":[
			{"ErrorCode":0,"ErrorInfo":"ok","TopicId":"`+tpCustom+`"},{"ErrorCode":110003,"ErrorInfo":"destroyed","TopicId":"`+other+`"}]}`)
		res, err := m.client.DestroyTopics(ctx, &DestroyTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{tpCustom, other}})
		require.NoError(t, err)
		reqs := m.requests()
		require.Len(t, reqs, 1)
		assertSignedAt(t, reqs[0], millionService, "destroy_topic")
		assert.JSONEq(t, `{"GroupId":"`+tpCommunity+`","TopicIdList":["`+tpCustom+`","`+other+`"]}`, reqs[0].Body)
		assert.Equal(t, []ItemResult{{Command: "destroy_topic", ID: tpCustom, ErrorInfo: "ok"}, {Command: "destroy_topic", ID: other, ErrorCode: ErrTopicNotFound, ErrorInfo: "destroyed"}}, res)
	})
	for _, n := range []int{MaxTopicsPerDestroy, MaxTopicsPerDestroy + 1} {
		t.Run(fmt.Sprintf("%d topics", n), func(t *testing.T) {
			m := newMock(t)
			answerByAt(m, millionService, "destroy_topic", func(_ int, body string) string {
				items := []string{}
				for _, id := range wwNamed(body) {
					items = append(items, `{"ErrorCode":0,"ErrorInfo":"ok","TopicId":"`+id+`"}`)
				}
				return `{"ActionStatus":"OK","ErrorInfo":"ok","ErrorCode":0,"DestroyResultItem":[` + strings.Join(items, ",") + `]}`
			})
			ids := wwIDs(tpCommunity+"@TOPIC#_t", n)
			res, err := m.client.DestroyTopics(ctx, &DestroyTopicsRequest{GroupID: tpCommunity, TopicIDs: ids})
			require.NoError(t, err)
			assert.Len(t, res, n)
			reqs := m.requests()
			require.Len(t, reqs, (n+MaxTopicsPerDestroy-1)/MaxTopicsPerDestroy)
			assert.Equal(t, ids[:min(n, MaxTopicsPerDestroy)], wwNamed(reqs[0].Body))
			if n > MaxTopicsPerDestroy {
				assert.Equal(t, ids[MaxTopicsPerDestroy:], wwNamed(reqs[1].Body))
			}
		})
	}
	t.Run("an answer without DestroyResultItem is a DecodeError", func(t *testing.T) {
		m := newMock(t)
		m.respondAt(millionService, "destroy_topic", 200, okEnvelope)
		_, err := m.client.DestroyTopics(ctx, &DestroyTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{tpCustom}})
		var de *DecodeError
		assert.ErrorAs(t, err, &de)
	})
}

func TestTopicValidation(t *testing.T) {
	ctx := context.Background()
	m := newMock(t)
	long := func(n int) string { return strings.Repeat("x", n) }
	tooLongID := tpCommunity + "@TOPIC#_" + long(MaxTopicIDBytes-len(tpCommunity+"@TOPIC#_")+1)
	assertRefused(t, []refusal{
		{"create: nil", func() error { _, err := m.client.CreateTopic(ctx, nil); return err }, "req", ""},
		{"create: a permission-group ID as the group", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: "@PMG#_x", Name: "n"})
			return err
		}, "GroupID", "GroupId"},
		{"create: no name", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity})
			return err
		}, "Name", "TopicName"},
		{"create: a name of 31 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: long(31)})
			return err
		}, "Name", "TopicName"},
		{"create: a topic ID of another community", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, TopicID: "@TGS#_other@TOPIC#_a", Name: "n"})
			return err
		}, "TopicID", "TopicId"},
		{"create: a topic ID of 97 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, TopicID: tooLongID, Name: "n"})
			return err
		}, "TopicID", "TopicId"},
		{"create: a custom ID in the service's form", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, TopicID: tpServerMade, Name: "n"})
			return err
		}, "TopicID", "TopicId"},
		{"create: a custom string of 3001 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n", CustomString: long(3001)})
			return err
		}, "CustomString", "CustomString"},
		{"create: a face URL of 101 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n", FaceURL: long(101)})
			return err
		}, "FaceURL", "FaceUrl"},
		{"create: a notification of 301 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n", Notification: long(301)})
			return err
		}, "Notification", "Notification"},
		{"create: an introduction of 241 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n", Introduction: long(241)})
			return err
		}, "Introduction", "Introduction"},
		{"create: a custom field with no key", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n", CustomData: map[string]string{"": "v"}})
			return err
		}, `CustomData[""]`, "TopicDefinedData"},
		{"create: a creator of 33 bytes", func() error {
			_, err := m.client.CreateTopic(ctx, &CreateTopicRequest{GroupID: tpCommunity, Name: "n", FromAccount: long(33)})
			return err
		}, "FromAccount", "From_Account"},
		{"import: a negative CreateTime", func() error {
			_, err := m.client.ImportTopic(ctx, &ImportTopicRequest{GroupID: tpCommunity, Name: "n", CreateTime: -1})
			return err
		}, "CreateTime", "CreateTime"},
		{"get: a topic twice", func() error {
			_, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{tpCustom, tpCustom}})
			return err
		}, "TopicIDs[1]", "TopicIdList"},
		{"get: an empty filter name", func() error {
			_, err := m.client.GetTopics(ctx, &GetTopicsRequest{GroupID: tpCommunity, ResponseFilter: []string{""}})
			return err
		}, "ResponseFilter[0]", "ResponseFilter"},
		{"modify: nothing set", func() error {
			return m.client.ModifyTopic(ctx, &ModifyTopicRequest{GroupID: tpCommunity, TopicID: tpCustom})
		}, "req", ""},
		{"modify: an empty name", func() error {
			return m.client.ModifyTopic(ctx, &ModifyTopicRequest{GroupID: tpCommunity, TopicID: tpCustom, Name: Ptr("")})
		}, "Name", "TopicName"},
		{"modify: no topic", func() error {
			return m.client.ModifyTopic(ctx, &ModifyTopicRequest{GroupID: tpCommunity, Name: Ptr("x")})
		}, "TopicID", "TopicId"},
		{"destroy: no topics", func() error {
			_, err := m.client.DestroyTopics(ctx, &DestroyTopicsRequest{GroupID: tpCommunity})
			return err
		}, "TopicIDs", "TopicIdList"},
		{"destroy: a community ID as a topic", func() error {
			_, err := m.client.DestroyTopics(ctx, &DestroyTopicsRequest{GroupID: tpCommunity, TopicIDs: []string{tpCommunity}})
			return err
		}, "TopicIDs[0]", "TopicId"},
	})
	assert.Empty(t, m.requests(), "nothing was sent")
}

// refusal is a call that must fail before sending with a ValidationError
// naming field (the Go name) and param (the wire name).
type refusal struct {
	name         string
	call         func() error
	field, param string
}

func assertRefused(t *testing.T, cases []refusal) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, tc.param, ve.Param)
			assert.ErrorIs(t, err, ErrInvalidRequest)
		})
	}
}
