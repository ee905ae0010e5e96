package timtest

// get_role_in_group and get_topic_permission_group over raw HTTP.

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

func TestGetRoleInGroup(t *testing.T) {
	srv := newTestServer(t)
	q := adminQuery(t, srv)
	for _, typ := range []GroupType{Community, Public, Private, Work, ChatRoom, Meeting, AVChatRoom} {
		g := "@TGS#_" + string(typ)
		require.NoError(t, srv.CreateGroup(g, typ, tOwner))
		if typ != AVChatRoom {
			require.NoError(t, srv.AddMember(g, "peter", tim.RoleMember))
			require.NoError(t, srv.AddMember(g, "anna", tim.RoleAdmin))
		}
	}

	t.Run("roles in input order", func(t *testing.T) {
		for _, typ := range []GroupType{Community, Public, Private, Work, ChatRoom, Meeting} {
			t.Run(string(typ), func(t *testing.T) {
				accounts := []string{"peter", "wesley", tOwner, "anna", "peter"}
				var rep roleReply
				post(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#_" + string(typ), "User_Account": accounts}, &rep)
				require.True(t, assertCode(t, 0, rep.envelope))
				assert.Equal(t, []roleItem{
					{"peter", "Member"}, {"wesley", "NotMember"}, {tOwner, "Owner"}, {"anna", "Admin"}, {"peter", "Member"},
				}, rep.UserIDList)
			})
		}
	})

	t.Run("field names", func(t *testing.T) {
		m := postMap(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#_Public", "User_Account": []string{tOwner}})
		assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "UserIdList"}, keysOf(m))
		list, ok := m["UserIdList"].([]any)
		require.True(t, ok)
		require.Len(t, list, 1)
		assert.Equal(t, map[string]any{"Member_Account": tOwner, "Role": "Owner"}, list[0])
	})

	t.Run("a role change is seen", func(t *testing.T) {
		require.NoError(t, srv.CreateGroup("@TGS#promote", Public, tOwner))
		require.NoError(t, srv.AddMember("@TGS#promote", "x", tim.RoleMember))
		require.NoError(t, srv.AddMember("@TGS#promote", "x", tim.RoleAdmin))
		var rep roleReply
		post(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#promote", "User_Account": []string{"x"}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Equal(t, []roleItem{{"x", "Admin"}}, rep.UserIDList)
	})

	accounts := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("user%03d", i)
		}
		return out
	}

	t.Run("500 accounts", func(t *testing.T) {
		accs := accounts(500)
		accs[250] = "anna"
		var rep roleReply
		post(t, srv, cmdRole, q, map[string]any{"GroupId": "@TGS#_Public", "User_Account": accs}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.Len(t, rep.UserIDList, 500)
		for i, it := range rep.UserIDList {
			assert.Equal(t, accs[i], it.MemberAccount)
		}
		assert.Equal(t, "Admin", rep.UserIDList[250].Role)
		assert.Equal(t, "NotMember", rep.UserIDList[499].Role)
	})

	require.NoError(t, srv.CreateGroup("@TGS#gone", Public, tOwner))
	require.NoError(t, srv.DissolveGroup("@TGS#gone"))
	errs := []struct {
		name string
		body any
		want tim.ErrorCode
	}{
		{"501 accounts", map[string]any{"GroupId": "@TGS#_Public", "User_Account": accounts(501)}, tim.ErrInvalidParameter},
		{"empty account list", map[string]any{"GroupId": "@TGS#_Public", "User_Account": []string{}}, tim.ErrInvalidParameter},
		{"User_Account missing", map[string]any{"GroupId": "@TGS#_Public"}, tim.ErrInvalidParameter},
		{"an empty account", map[string]any{"GroupId": "@TGS#_Public", "User_Account": []string{tOwner, ""}}, tim.ErrInvalidParameter},
		{"GroupId missing", map[string]any{"User_Account": []string{tOwner}}, tim.ErrInvalidParameter},
		{"unknown group", map[string]any{"GroupId": "@TGS#nope", "User_Account": []string{tOwner}}, tim.ErrGroupNotFound},
		{"dissolved group", map[string]any{"GroupId": "@TGS#gone", "User_Account": []string{tOwner}}, tim.ErrGroupNotFound},
		{"AVChatRoom", map[string]any{"GroupId": "@TGS#_AVChatRoom", "User_Account": []string{tOwner}}, tim.ErrNoPermission},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdRole, q, tt.body))
		})
	}
}

func TestGetTopicPermissionGroup(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedCommunity(t, srv, tComm2)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	require.NoError(t, srv.CreateCommunity("@TGS#_gone", tOwner))
	q := adminQuery(t, srv)

	topic := func(g, suffix string) string { return g + "@TOPIC#_" + suffix }
	t1, t2, t3, t4, t5 := topic(tComm, "@TOPIC#cKXPQIIM62CD"), topic(tComm, "@TOPIC#cTEJHIIM62CJ"), topic(tComm, "three"), topic(tComm, "four"), topic(tComm, "five")
	other := topic(tComm2, "x")
	for _, tp := range []string{t1, t2, t3, t4, t5} {
		require.NoError(t, srv.CreateTopic(tComm, tp))
	}
	require.NoError(t, srv.CreateTopic(tComm2, other))
	require.Error(t, srv.CreateTopic(tComm, topic(tComm2, "y")), "a topic ID of another community")

	const pg = "@PMG#_test_permission_group_with_topic"
	_, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: pg, Name: "with topics"})
	require.NoError(t, err)
	const big = uint64(1<<63 | 1<<40 | 123456)
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t1, 1234))
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t2, 123456))
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t3, tim.TopicPermSendMessage))
	require.NoError(t, srv.SetTopicPermission(tComm, pg, t5, tim.TopicPermission(big)))
	require.NoError(t, srv.DeleteTopicPermission(tComm, pg, t3))
	// t4 is a topic of the community that is not in the permission group.
	emptyPG, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: "no topics"})
	require.NoError(t, err)
	otherPG, err := srv.CreatePermissionGroup(tComm2, PermissionGroup{Name: "other"})
	require.NoError(t, err)
	gonePG, err := srv.CreatePermissionGroup("@TGS#_gone", PermissionGroup{Name: "gone"})
	require.NoError(t, err)
	require.NoError(t, srv.DissolveGroup("@TGS#_gone"))

	u := func(v uint64) *uint64 { return &v }

	t.Run("all topics, TopicIdList omitted", func(t *testing.T) {
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		got := map[string]uint64{}
		for _, it := range rep.TopicPermissionResultList {
			assert.Equal(t, 0, it.ErrorCode, it.TopicID)
			if assert.NotNil(t, it.Permission, it.TopicID) {
				got[it.TopicID] = *it.Permission
			}
		}
		assert.Len(t, rep.TopicPermissionResultList, 3)
		assert.Equal(t, map[string]uint64{t1: 1234, t2: 123456, t5: big}, got)
	})

	t.Run("all topics, TopicIdList empty", func(t *testing.T) {
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": []string{}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Len(t, rep.TopicPermissionResultList, 3)
	})

	t.Run("field names", func(t *testing.T) {
		m := postMap(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": []string{t2}})
		assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "TopicPermissionResultList"}, keysOf(m))
		list, ok := m["TopicPermissionResultList"].([]any)
		require.True(t, ok)
		require.Len(t, list, 1)
		assert.Equal(t, map[string]any{"ErrorCode": json.Number("0"), "ErrorInfo": "", "TopicId": t2, "Permission": json.Number("123456")}, list[0])
	})

	t.Run("a permission group without topics", func(t *testing.T) {
		m := postMap(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": emptyPG})
		assert.Equal(t, "OK", m["ActionStatus"])
		assert.Equal(t, []any{}, m["TopicPermissionResultList"], "an empty list, not null")
	})

	t.Run("given topics, per-item codes in input order", func(t *testing.T) {
		ids := []string{t3, t4, topic(tComm, "never-created"), "garbage", other, t2, t1}
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupId": pg, "TopicIdList": ids}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope), "per-item failures leave the call OK")
		require.Len(t, rep.TopicPermissionResultList, len(ids))
		want := []struct {
			code tim.ErrorCode
			perm *uint64
		}{
			{tim.ErrTopicPermissionAlreadyDeleted, nil},
			{tim.ErrTopicNotInPermissionGroup, nil},
			{tim.ErrInvalidTopicID, nil},
			{tim.ErrInvalidTopicID, nil},
			{tim.ErrInvalidTopicID, nil},
			{0, u(123456)},
			{0, u(1234)},
		}
		for i, it := range rep.TopicPermissionResultList {
			assert.Equal(t, ids[i], it.TopicID, "item %d", i)
			assert.Equal(t, int(want[i].code), it.ErrorCode, "item %d %s", i, ids[i])
			assert.Equal(t, want[i].perm, it.Permission, "item %d %s", i, ids[i])
			if want[i].code != 0 {
				assert.NotEmpty(t, it.ErrorInfo, "item %d", i)
			} else {
				assert.Empty(t, it.ErrorInfo, "item %d", i)
			}
		}
	})

	t.Run("a deleted topic permission set again", func(t *testing.T) {
		const g = "@TGS#_again"
		seedCommunity(t, srv, g)
		tp := topic(g, "t")
		require.NoError(t, srv.CreateTopic(g, tp))
		id, err := srv.CreatePermissionGroup(g, PermissionGroup{Name: "n"})
		require.NoError(t, err)
		require.NoError(t, srv.SetTopicPermission(g, id, tp, 5))
		require.NoError(t, srv.DeleteTopicPermission(g, id, tp))
		require.NoError(t, srv.SetTopicPermission(g, id, tp, 7))
		var rep topicReply
		post(t, srv, cmdTopicPermGroup, q, map[string]any{"GroupId": g, "PermissionGroupId": id, "TopicIdList": []string{tp}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.Len(t, rep.TopicPermissionResultList, 1)
		assert.Equal(t, 0, rep.TopicPermissionResultList[0].ErrorCode)
		assert.Equal(t, u(7), rep.TopicPermissionResultList[0].Permission)
	})

	errs := []struct {
		name string
		body any
		want tim.ErrorCode
	}{
		{"unknown permission group", map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_nope"}, tim.ErrPermissionGroupNotFound},
		{"permission group of another community", map[string]any{"GroupId": tComm, "PermissionGroupId": otherPG}, tim.ErrPermissionGroupNotFound},
		{"malformed permission group id", map[string]any{"GroupId": tComm, "PermissionGroupId": "bad"}, tim.ErrInvalidPermissionGroupID},
		{"PermissionGroupId missing", map[string]any{"GroupId": tComm}, tim.ErrInvalidParameter},
		{"PermissionGroupId missing with topics", map[string]any{"GroupId": tComm, "TopicIdList": []string{t1}}, tim.ErrInvalidParameter},
		{"unknown group", map[string]any{"GroupId": "@TGS#_nope", "PermissionGroupId": pg}, tim.ErrGroupNotFound},
		{"dissolved group", map[string]any{"GroupId": "@TGS#_gone", "PermissionGroupId": gonePG}, tim.ErrGroupNotFound},
		{"Public group", map[string]any{"GroupId": "@TGS#pub", "PermissionGroupId": pg}, tim.ErrNoPermission},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdTopicPermGroup, q, tt.body))
		})
	}
}
