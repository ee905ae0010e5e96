package tim_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// lastBody decodes the body of the last request of command the fake got.
func lastBody(t *testing.T, srv *timtest.Server, command string) map[string]any {
	t.Helper()
	reqs := srv.RequestsFor(command)
	require.NotEmpty(t, reqs, command)
	var body map[string]any
	require.NoError(t, json.Unmarshal(reqs[len(reqs)-1].Body, &body))
	return body
}

func TestShortcuts(t *testing.T) {
	srv, client := seamServer(t)
	ctx := context.Background()

	t.Run("RoleOf", func(t *testing.T) {
		role, err := client.RoleOf(ctx, seamGroup, "owner")
		require.NoError(t, err)
		assert.Equal(t, tim.RoleOwner, role)
		role, err = client.RoleOf(ctx, seamGroup, "stranger")
		require.NoError(t, err)
		assert.Equal(t, tim.RoleNotMember, role)
		assert.Equal(t, map[string]any{"GroupId": seamGroup, "User_Account": []any{"stranger"}}, lastBody(t, srv, tim.CommandGetRoleInGroup))
	})

	t.Run("GetPermissionGroup", func(t *testing.T) {
		g, err := client.GetPermissionGroup(ctx, seamGroup, seamPG)
		require.NoError(t, err)
		assert.Equal(t, &tim.PermissionGroup{ID: seamPG, Name: "seams", MemberCount: 2}, g)
		assert.Equal(t, map[string]any{"GroupId": seamGroup, "PermissionGroupIdList": []any{seamPG}}, lastBody(t, srv, tim.CommandGetPermissionGroup))

		_, err = client.GetPermissionGroup(ctx, seamGroup, "@PMG#_missing")
		var itemErr *tim.ItemError
		require.ErrorAs(t, err, &itemErr)
		assert.Equal(t, "@PMG#_missing", itemErr.ID)
		assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound)

		_, err = client.GetPermissionGroup(ctx, seamPG, seamGroup)
		assert.ErrorIs(t, err, tim.ErrInvalidRequest, "swapped IDs")
	})

	t.Run("members", func(t *testing.T) {
		require.NoError(t, client.DeletePermissionGroupMember(ctx, seamGroup, seamPG, "alice"))
		require.NoError(t, client.DeletePermissionGroupMember(ctx, seamGroup, seamPG, "alice"), "a non-member succeeds")
		require.NoError(t, client.AddPermissionGroupMember(ctx, seamGroup, seamPG, "alice"))
		err := client.AddPermissionGroupMember(ctx, seamGroup, seamPG, "alice")
		assert.ErrorIs(t, err, tim.ErrAlreadyMember)
		assert.Equal(t, "tim: add_permission_group_member: account alice: error 10013: already a member", err.Error())
		assert.Equal(t, map[string]any{"GroupId": seamGroup, "PermissionGroupId": seamPG, "MemberList": []any{map[string]any{"Member_Account": "alice"}}},
			lastBody(t, srv, tim.CommandAddPermissionGroupMember))
	})

	t.Run("create twice, destroy", func(t *testing.T) {
		req := &tim.CreatePermissionGroupRequest{GroupID: seamGroup, PermissionGroupID: "@PMG#_twice", Name: "twice"}
		id, err := client.CreatePermissionGroup(ctx, req)
		require.NoError(t, err)
		_, err = client.CreatePermissionGroup(ctx, req)
		assert.ErrorIs(t, err, tim.ErrIDInUse, "a custom ID in use has a sentinel")

		require.NoError(t, client.DestroyPermissionGroup(ctx, seamGroup, id))
		err = client.DestroyPermissionGroup(ctx, seamGroup, id)
		assert.ErrorIs(t, err, tim.ErrPermissionGroupNotFound)
		var itemErr *tim.ItemError
		assert.True(t, errors.As(err, &itemErr))
	})
}
