package community_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// cancelInMemberPage wraps a memClient: its first member page is read
// whole, then the caller gives up, and the page is answered only once
// every other goroutine of the test's bubble has settled (synctest.Wait).
// So the read queues the group's next page after the load has seen its
// context end, whatever the scheduling.
type cancelInMemberPage struct {
	*memClient
	cancel context.CancelFunc
	pages  atomic.Int32
}

func (c *cancelInMemberPage) GetPermissionGroupMembers(ctx context.Context, req *tim.GetPermissionGroupMembersRequest) (*tim.PermissionGroupMembersPage, error) {
	page, err := c.memClient.GetPermissionGroupMembers(ctx, req)
	if c.pages.Add(1) == 1 {
		c.cancel()
		synctest.Wait()
	}
	return page, err
}

// TestLoadCancelledBetweenMemberPages: the caller's context ends while a
// group's first of three member pages is read. The next page, queued once
// that read returns, can no longer start, so Load fails naming the group
// and the step; it never returns the group with 50 of its 120 members and
// a nil error.
func TestLoadCancelledBetweenMemberPages(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		members := make([]string, 120)
		for i := range members {
			members[i] = fmt.Sprintf("u%03d", i)
		}
		served := &community.Snapshot{GroupID: "@TGS#_p", Owner: "owner", PermissionGroups: []community.PermissionGroup{
			{ID: "@PMG#_g", Name: "g", Members: members, Topics: map[string]tim.TopicPermission{}},
		}}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		c := &cancelInMemberPage{memClient: newMemClient(served), cancel: cancel}

		snap, err := community.Load(ctx, c, "@TGS#_p", nil)

		require.Error(t, err, "a load whose context ended mid-group returned %v", snap)
		assert.Nil(t, snap)
		assert.ErrorIs(t, err, context.Canceled)
		var le *community.LoadError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, "@PMG#_g", le.PermissionGroupID)
		assert.Equal(t, "list members", le.Step)
		assert.Equal(t, int32(1), c.pages.Load(), "the next page was not read")
	})
}
