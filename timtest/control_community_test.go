package timtest_test

// Tests of POST /_timfake/add_to_community.

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/timkit/tim"
)

func TestControlAddToCommunity(t *testing.T) {
	ctx := context.Background()
	srv, client := ctlServer(t)
	news := ctlGroup + "@TOPIC#_news"

	a := ctlPost(t, srv, "add_to_community", `{"group_id": "`+ctlGroup+`", "topics": ["`+news+`"], "members": {"bob": "Admin", "amy": "Admin"}}`)
	require.Equal(t, http.StatusOK, a.Status, a.Raw)
	assert.Equal(t, map[string]any{"ok": true}, a.Body)

	topics, err := client.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: ctlGroup})
	require.NoError(t, err)
	require.Len(t, topics, 1)
	assert.Equal(t, news, topics[0].ID)
	assert.Equal(t, "news", topics[0].Name, "named after its ID's suffix")
	roles, err := client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: ctlGroup, Accounts: []string{"bob", "amy"}})
	require.NoError(t, err)
	assert.Equal(t, []tim.MemberRole{{Account: "bob", Role: tim.RoleAdmin}, {Account: "amy", Role: tim.RoleAdmin}}, roles, "a member's role is set")

	a = ctlPost(t, srv, "add_to_community", `{"group_id": "`+ctlGroup+`", "topics": ["`+news+`"]}`)
	assert.Equal(t, http.StatusOK, a.Status, "a topic it has stays as it is")

	for _, body := range []string{
		`{"group_id": "@TGS#_nope", "topics": ["@TGS#_nope@TOPIC#_x"]}`,
		`{"group_id": "` + ctlGroup + `", "topics": ["` + ctlGroup + `@TOPIC#_ok", "@TGS#_other@TOPIC#_x"]}`,
		`{"group_id": "` + ctlGroup + `", "topics": ["` + ctlGroup + `@TOPIC#_ok"], "members": {"carl": "Owner"}}`,
		`{"group_id": "` + ctlGroup + `", "members": {"owner": "Member"}}`,
		`{"group_id": "` + ctlGroup + `", "members": {"carl": "Member"}, "extra": 1}`,
	} {
		a := ctlPost(t, srv, "add_to_community", body)
		assert.Equal(t, http.StatusBadRequest, a.Status, body)
		assert.Equal(t, false, a.Body["ok"], body)
	}
	ids, err := srv.Topics(ctlGroup)
	require.NoError(t, err)
	assert.Equal(t, []string{news}, ids, "a refused request changes nothing")
	members, err := srv.Members(ctlGroup)
	require.NoError(t, err)
	assert.NotContains(t, members, "carl")
}
