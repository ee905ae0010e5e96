package timtest

// get_permission_group over raw HTTP: failures, paging and cursors, the
// fields of an item, and the permission groups seeded with
// Server.CreatePermissionGroup.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

func TestGetPermissionGroupErrors(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedPGs(t, srv, tComm, 3)
	require.NoError(t, srv.CreateCommunity("@TGS#_gone", tOwner))
	require.NoError(t, srv.DissolveGroup("@TGS#_gone"))
	for _, typ := range []GroupType{Public, Private, Work, ChatRoom, Meeting, AVChatRoom} {
		require.NoError(t, srv.CreateGroup("@TGS#"+string(typ), typ, tOwner))
	}
	q := adminQuery(t, srv)

	tests := []struct {
		name string
		body string
		want tim.ErrorCode
	}{
		{"all, Limit omitted", `{"GroupId":"` + tComm + `"}`, 0},
		{"Limit 1", `{"GroupId":"` + tComm + `","Limit":1}`, 0},
		{"Limit 20", `{"GroupId":"` + tComm + `","Limit":20}`, 0},
		{"Limit null", `{"GroupId":"` + tComm + `","Limit":null}`, 0},
		{"Limit 21", `{"GroupId":"` + tComm + `","Limit":21}`, tim.ErrInvalidParameter},
		{"Limit 0", `{"GroupId":"` + tComm + `","Limit":0}`, tim.ErrInvalidParameter},
		{"Limit -1", `{"GroupId":"` + tComm + `","Limit":-1}`, tim.ErrInvalidParameter},
		{"Next empty string", `{"GroupId":"` + tComm + `","Limit":20,"Next":""}`, 0},
		{"Next garbage", `{"GroupId":"` + tComm + `","Limit":20,"Next":"garbage"}`, tim.ErrInvalidParameter},
		{"Next negative", `{"GroupId":"` + tComm + `","Limit":20,"Next":"-5"}`, tim.ErrInvalidParameter},
		{"Next fractional number", `{"GroupId":"` + tComm + `","Limit":20,"Next":1.5}`, tim.ErrInvalidParameter},
		{"Next boolean", `{"GroupId":"` + tComm + `","Limit":20,"Next":true}`, tim.ErrJSONParseFailed},
		{"GroupId missing", `{"Limit":20}`, tim.ErrInvalidParameter},
		{"unknown group", `{"GroupId":"@TGS#_nope"}`, tim.ErrGroupNotFound},
		{"dissolved group", `{"GroupId":"@TGS#_gone"}`, tim.ErrGroupNotFound},
	}
	for _, typ := range []GroupType{Public, Private, Work, ChatRoom, Meeting, AVChatRoom} {
		tests = append(tests, struct {
			name string
			body string
			want tim.ErrorCode
		}{string(typ) + " group", `{"GroupId":"@TGS#` + string(typ) + `"}`, tim.ErrNoPermission})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, cmdPermGroup, q, tt.body))
		})
	}

	t.Run("dissolve after seeding", func(t *testing.T) {
		const g = "@TGS#_dissolved-later"
		seedCommunity(t, srv, g)
		seedPGs(t, srv, g, 2)
		assertCode(t, 0, postEnv(t, srv, cmdPermGroup, q, map[string]any{"GroupId": g}))
		require.NoError(t, srv.DissolveGroup(g))
		assertCode(t, tim.ErrGroupNotFound, postEnv(t, srv, cmdPermGroup, q, map[string]any{"GroupId": g}))
	})
}

func TestCommunityEndpointsWithoutCommunitySupport(t *testing.T) {
	srv := newTestServer(t, WithoutCommunitySupport())
	seedCommunity(t, srv, tComm)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv)
	tests := []struct {
		name, cmd string
		body      any
		want      tim.ErrorCode
	}{
		{"get_permission_group", cmdPermGroup, map[string]any{"GroupId": tComm}, tim.ErrCommunityNotSupported},
		{"get_permission_group of an unknown group", cmdPermGroup, map[string]any{"GroupId": "@TGS#_nope"}, tim.ErrCommunityNotSupported},
		{"get_permission_group with a bad Limit", cmdPermGroup, map[string]any{"GroupId": tComm, "Limit": 99}, tim.ErrCommunityNotSupported},
		{"get_topic_permission_group", cmdTopicPermGroup, map[string]any{"GroupId": tComm, "PermissionGroupId": "@PMG#_x"}, tim.ErrCommunityNotSupported},
		{"get_role_in_group still serves a Public group", cmdRole, map[string]any{"GroupId": "@TGS#pub", "User_Account": []string{tOwner}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertCode(t, tt.want, postEnv(t, srv, tt.cmd, q, tt.body))
		})
	}
}

func TestGetPermissionGroupPaging(t *testing.T) {
	const n = 45
	setup := func(t *testing.T) (*Server, url.Values, []string) {
		srv := newTestServer(t)
		seedCommunity(t, srv, tComm)
		// Another community's groups interleave in the server's creation
		// order and must never show up.
		seedCommunity(t, srv, tComm2)
		ids := make([]string, 0, n)
		for i := range n {
			id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: fmt.Sprintf("pg-%02d", i), ID: map[bool]string{true: fmt.Sprintf("@PMG#_custom%02d", 99-i)}[i%3 == 1]})
			require.NoError(t, err)
			ids = append(ids, id)
			if i%10 == 0 {
				_, err := srv.CreatePermissionGroup(tComm2, PermissionGroup{Name: "elsewhere"})
				require.NoError(t, err)
			}
		}
		return srv, adminQuery(t, srv), ids
	}

	t.Run("20/20/5 in creation order", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		assert.Len(t, p1.PermissionGroupInfoList, 20)
		assert.NotEmpty(t, p1.Next)
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		assert.Len(t, p2.PermissionGroupInfoList, 20)
		assert.NotEmpty(t, p2.Next)
		assert.NotEqual(t, p1.Next, p2.Next)
		p3 := pgPage(t, srv, q, tComm, 20, p2.Next)
		require.True(t, assertCode(t, 0, p3.envelope))
		assert.Len(t, p3.PermissionGroupInfoList, 5)
		assert.Equal(t, "", p3.Next)
		got := slices.Concat(pgIDs(p1.PermissionGroupInfoList), pgIDs(p2.PermissionGroupInfoList), pgIDs(p3.PermissionGroupInfoList))
		assert.Equal(t, ids, got)
		for _, it := range slices.Concat(p1.PermissionGroupInfoList, p2.PermissionGroupInfoList, p3.PermissionGroupInfoList) {
			assert.Equal(t, 0, it.ErrorCode)
		}
	})

	t.Run("Next omitted starts at the beginning", func(t *testing.T) {
		srv, q, ids := setup(t)
		p := pgPage(t, srv, q, tComm, 20, nil)
		require.True(t, assertCode(t, 0, p.envelope))
		assert.Equal(t, ids[:20], pgIDs(p.PermissionGroupInfoList))
	})

	t.Run("Limit omitted answers at most 20", func(t *testing.T) {
		srv, q, ids := setup(t)
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Equal(t, ids[:20], pgIDs(rep.PermissionGroupInfoList))
		assert.NotEmpty(t, rep.Next)
	})

	for _, limit := range []int{1, 7, 15, 20} {
		t.Run(fmt.Sprintf("every group once with Limit %d", limit), func(t *testing.T) {
			srv, q, ids := setup(t)
			assert.Equal(t, ids, pgAll(t, srv, q, tComm, limit))
		})
	}

	t.Run("Next as a JSON number", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		require.NotEmpty(t, p1.Next)
		asString := pgPage(t, srv, q, tComm, 20, p1.Next)
		asNumber := pgPage(t, srv, q, tComm, 20, json.RawMessage(p1.Next))
		require.True(t, assertCode(t, 0, asNumber.envelope))
		assert.Equal(t, asString, asNumber)
		assert.Equal(t, ids[20:40], pgIDs(asNumber.PermissionGroupInfoList))
	})

	t.Run("a group created between pages comes at the end", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		// A custom ID that sorts before everything else.
		added, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: "@PMG#_!first", Name: "late"})
		require.NoError(t, err)
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		p3 := pgPage(t, srv, q, tComm, 20, p2.Next)
		require.True(t, assertCode(t, 0, p3.envelope))
		assert.Equal(t, "", p3.Next)
		got := slices.Concat(pgIDs(p1.PermissionGroupInfoList), pgIDs(p2.PermissionGroupInfoList), pgIDs(p3.PermissionGroupInfoList))
		assert.Equal(t, append(slices.Clone(ids), added), got)
	})

	t.Run("a not-yet-returned group destroyed between pages", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		require.NoError(t, srv.DestroyPermissionGroup(tComm, ids[29]))
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		p3 := pgPage(t, srv, q, tComm, 20, p2.Next)
		require.True(t, assertCode(t, 0, p3.envelope))
		assert.Equal(t, "", p3.Next)
		got := slices.Concat(pgIDs(p1.PermissionGroupInfoList), pgIDs(p2.PermissionGroupInfoList), pgIDs(p3.PermissionGroupInfoList))
		assert.Equal(t, slices.Delete(slices.Clone(ids), 29, 30), got)
	})

	t.Run("the last returned group destroyed between pages", func(t *testing.T) {
		srv, q, ids := setup(t)
		p1 := pgPage(t, srv, q, tComm, 20, "")
		require.True(t, assertCode(t, 0, p1.envelope))
		require.NoError(t, srv.DestroyPermissionGroup(tComm, ids[19]))
		require.NoError(t, srv.DestroyPermissionGroup(tComm, ids[0]))
		p2 := pgPage(t, srv, q, tComm, 20, p1.Next)
		require.True(t, assertCode(t, 0, p2.envelope))
		assert.Equal(t, ids[20:40], pgIDs(p2.PermissionGroupInfoList))
	})

	t.Run("exactly one full page ends with an empty Next", func(t *testing.T) {
		srv := newTestServer(t)
		seedCommunity(t, srv, tComm)
		ids := seedPGs(t, srv, tComm, 20)
		p := pgPage(t, srv, adminQuery(t, srv), tComm, 20, "")
		require.True(t, assertCode(t, 0, p.envelope))
		assert.Equal(t, ids, pgIDs(p.PermissionGroupInfoList))
		assert.Equal(t, "", p.Next)
	})

	t.Run("a community without permission groups", func(t *testing.T) {
		srv := newTestServer(t)
		seedCommunity(t, srv, tComm)
		m := postMap(t, srv, cmdPermGroup, adminQuery(t, srv), map[string]any{"GroupId": tComm, "Limit": 20, "Next": ""})
		assert.Equal(t, "OK", m["ActionStatus"])
		assert.Equal(t, []any{}, m["PermissionGroupInfoList"], "an empty list, not null")
		assert.Equal(t, "", m["Next"])
	})
}

// A cursor past every permission group must end the listing (an empty last
// page) or be refused (10004); it must never restart it, or a client holding
// it pages forever.
func TestGetPermissionGroupCursorPastTheEnd(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedPGs(t, srv, tComm, 5)
	q := adminQuery(t, srv)
	check := func(t *testing.T, next any) {
		rep := pgPage(t, srv, q, tComm, 2, next)
		if rep.ErrorCode != 0 {
			assertCode(t, tim.ErrInvalidParameter, rep.envelope)
			return
		}
		assert.Empty(t, pgIDs(rep.PermissionGroupInfoList))
		assert.Equal(t, "", rep.Next)
	}
	t.Run("99999", func(t *testing.T) { check(t, "99999") })
	t.Run("max uint64 as a string", func(t *testing.T) {
		check(t, "18446744073709551615")
	})
	t.Run("max uint64 as a number", func(t *testing.T) {
		check(t, json.RawMessage("18446744073709551615"))
	})
}

func TestGetPermissionGroupFields(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	seedCommunity(t, srv, tComm2)
	for _, a := range []string{"alice", "bob", "carol"} {
		require.NoError(t, srv.AddMember(tComm, a, tim.RoleMember))
	}
	q := adminQuery(t, srv)

	seeds := []PermissionGroup{
		{Name: "test_permission_group", CustomString: "test_custom_string", Permission: 123},
		{ID: "@PMG#_test_permission_group_with_topic", Name: "with topic", Permission: tim.GroupPermMuteMembers | tim.GroupPermSendMessage},
		{Name: "Модераторы 管理员 \"<&>\"", CustomString: `{"json":"inside","n":1}`, Permission: 1<<63 | 1<<40 | 123456},
		{Name: "no custom string"},
	}
	want := make([]pgItem, len(seeds))
	for i, s := range seeds {
		id, err := srv.CreatePermissionGroup(tComm, s)
		require.NoError(t, err)
		if s.ID == "" {
			assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), "server-made ID %q", id)
		} else {
			assert.Equal(t, s.ID, id)
		}
		want[i] = pgItem{PermissionGroupID: id, PermissionGroupName: s.Name, CustomString: s.CustomString, Permission: uint64(s.Permission)}
	}
	otherID, err := srv.CreatePermissionGroup(tComm2, PermissionGroup{Name: "other community"})
	require.NoError(t, err)

	t.Run("all, as seeded", func(t *testing.T) {
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "Limit": 20, "Next": ""}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		assert.Equal(t, want, rep.PermissionGroupInfoList)
		assert.Equal(t, "", rep.Next)
	})

	t.Run("field names", func(t *testing.T) {
		m := postMap(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm})
		assert.Equal(t, []string{"ActionStatus", "ErrorCode", "ErrorInfo", "Next", "PermissionGroupInfoList"}, keysOf(m))
		list, ok := m["PermissionGroupInfoList"].([]any)
		require.True(t, ok)
		require.NotEmpty(t, list)
		item, ok := list[0].(map[string]any)
		require.True(t, ok)
		assert.Equal(t, []string{"CustomString", "ErrorCode", "ErrorInfo", "MemberCount", "Permission", "PermissionGroupId", "PermissionGroupName"}, keysOf(item))
		// 64-bit permissions travel as exact JSON integers.
		item2 := list[2].(map[string]any)
		assert.Equal(t, json.Number(strconv.FormatUint(1<<63|1<<40|123456, 10)), item2["Permission"])
	})

	t.Run("MemberCount follows AddPermissionGroupMembers", func(t *testing.T) {
		id := want[1].PermissionGroupID
		count := func() int {
			var rep pgReply
			post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &rep)
			require.True(t, assertCode(t, 0, rep.envelope))
			require.Len(t, rep.PermissionGroupInfoList, 1)
			return rep.PermissionGroupInfoList[0].MemberCount
		}
		assert.Equal(t, 0, count())
		require.NoError(t, srv.AddPermissionGroupMembers(tComm, id, "alice", "bob"))
		assert.Equal(t, 2, count())
		require.NoError(t, srv.AddPermissionGroupMembers(tComm, id, "bob", "carol", tOwner))
		assert.Equal(t, 4, count(), "adding bob again does not count him twice")
		members, err := srv.PermissionGroupMembers(tComm, id)
		require.NoError(t, err)
		assert.Equal(t, []string{"alice", "bob", "carol", tOwner}, members)
		assert.Error(t, srv.AddPermissionGroupMembers(tComm, id, "stranger"))
		assert.Equal(t, 4, count())
		// The other groups are untouched.
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{want[0].PermissionGroupID}}, &rep)
		require.Len(t, rep.PermissionGroupInfoList, 1)
		assert.Equal(t, 0, rep.PermissionGroupInfoList[0].MemberCount)
	})

	t.Run("PermissionGroupIdList", func(t *testing.T) {
		var rep pgReply
		ids := []string{want[2].PermissionGroupID, "@PMG#_nope", "bad", otherID, want[0].PermissionGroupID}
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": ids}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope), "per-item failures leave the call OK")
		require.Len(t, rep.PermissionGroupInfoList, len(ids))
		assert.Equal(t, ids, pgIDs(rep.PermissionGroupInfoList), "input order")
		got := rep.PermissionGroupInfoList
		assert.Equal(t, want[2], got[0])
		assert.Equal(t, want[0], got[4])
		for i, code := range map[int]tim.ErrorCode{1: tim.ErrPermissionGroupNotFound, 2: tim.ErrInvalidPermissionGroupID, 3: tim.ErrPermissionGroupNotFound} {
			assert.Equal(t, int(code), got[i].ErrorCode, "item %d %s", i, ids[i])
			assert.NotEmpty(t, got[i].ErrorInfo, "item %d", i)
		}
		assert.Equal(t, "", rep.Next)
	})

	t.Run("destroyed group is 110006 by id and gone from the list", func(t *testing.T) {
		id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: "short-lived"})
		require.NoError(t, err)
		require.NoError(t, srv.DestroyPermissionGroup(tComm, id))
		var rep pgReply
		post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tComm, "PermissionGroupIdList": []string{id}}, &rep)
		require.True(t, assertCode(t, 0, rep.envelope))
		require.Len(t, rep.PermissionGroupInfoList, 1)
		assert.Equal(t, int(tim.ErrPermissionGroupNotFound), rep.PermissionGroupInfoList[0].ErrorCode)
		assert.NotContains(t, pgAll(t, srv, q, tComm, 20), id)
	})
}

func TestCreatePermissionGroupValidation(t *testing.T) {
	srv := newTestServer(t)
	seedCommunity(t, srv, tComm)
	require.NoError(t, srv.CreateGroup("@TGS#pub", Public, tOwner))
	q := adminQuery(t, srv)
	_, err := srv.CreatePermissionGroup(tComm, PermissionGroup{ID: "@PMG#_taken", Name: "first"})
	require.NoError(t, err)

	tests := []struct {
		name  string
		group string
		pg    PermissionGroup
		want  tim.ErrorCode // 0: created
	}{
		{"server-made ID", tComm, PermissionGroup{Name: "n"}, 0},
		{"custom ID", tComm, PermissionGroup{ID: "@PMG#_mods", Name: "n"}, 0},
		{"custom ID of printable ASCII", tComm, PermissionGroup{ID: "@PMG#_ ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", Name: "n"}, 0},
		{"custom ID starting @PMG#_@PMG#", tComm, PermissionGroup{ID: "@PMG#_@PMG#x", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID with non-ASCII", tComm, PermissionGroup{ID: "@PMG#_modé", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID with a control character", tComm, PermissionGroup{ID: "@PMG#_a\tb", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID without the prefix", tComm, PermissionGroup{ID: "mods", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID that is only the prefix", tComm, PermissionGroup{ID: "@PMG#_", Name: "n"}, tim.ErrInvalidPermissionGroupID},
		{"custom ID already taken", tComm, PermissionGroup{ID: "@PMG#_taken", Name: "n"}, tim.ErrIDInUse},
		{"name missing", tComm, PermissionGroup{}, tim.ErrInvalidParameter},
		{"name of 150 ASCII bytes", tComm, PermissionGroup{Name: strings.Repeat("n", 150)}, 0},
		{"name of 150 UTF-8 bytes", tComm, PermissionGroup{Name: strings.Repeat("é", 75)}, 0},
		{"name of 151 bytes", tComm, PermissionGroup{Name: strings.Repeat("n", 151)}, tim.ErrInvalidParameter},
		{"name of 76 runes, 151 bytes", tComm, PermissionGroup{Name: strings.Repeat("é", 75) + "n"}, tim.ErrInvalidParameter},
		{"custom string of 3000 bytes", tComm, PermissionGroup{Name: "n", CustomString: strings.Repeat("c", 3000)}, 0},
		{"custom string of 3001 bytes", tComm, PermissionGroup{Name: "n", CustomString: strings.Repeat("c", 3001)}, tim.ErrInvalidParameter},
		{"custom string of 3001 UTF-8 bytes", tComm, PermissionGroup{Name: "n", CustomString: strings.Repeat("€", 1000) + "c"}, tim.ErrInvalidParameter},
		{"in a Public group", "@TGS#pub", PermissionGroup{Name: "n"}, tim.ErrNoPermission},
		{"in an unknown group", "@TGS#_nope", PermissionGroup{Name: "n"}, tim.ErrGroupNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := srv.CreatePermissionGroup(tt.group, tt.pg)
			if tt.want != 0 {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.want), "errors.Is(%v, %d)", err, int(tt.want))
				assert.Empty(t, id)
				return
			}
			require.NoError(t, err)
			if tt.pg.ID == "" {
				assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), "server-made ID %q", id)
			} else {
				assert.Equal(t, tt.pg.ID, id)
			}
			var rep pgReply
			post(t, srv, cmdPermGroup, q, map[string]any{"GroupId": tt.group, "PermissionGroupIdList": []string{id}}, &rep)
			require.True(t, assertCode(t, 0, rep.envelope))
			require.Len(t, rep.PermissionGroupInfoList, 1)
			assert.Equal(t, pgItem{PermissionGroupID: id, PermissionGroupName: tt.pg.Name, CustomString: tt.pg.CustomString}, rep.PermissionGroupInfoList[0])
		})
	}

	t.Run("server-made IDs are distinct", func(t *testing.T) {
		seen := map[string]bool{}
		for range 30 {
			id, err := srv.CreatePermissionGroup(tComm, PermissionGroup{Name: "n"})
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(id, "@PMG#_@PMG#"), id)
			assert.False(t, seen[id], "ID %s made twice", id)
			seen[id] = true
		}
	})
}
