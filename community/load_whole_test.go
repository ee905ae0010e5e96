package community_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// TestLoadCancelledAfterTheListing: the caller's context ends right after
// the listing's first (and only) page. Whatever the timing, Load returns a
// whole snapshot or an error wrapping the context's, never a group without
// its members and no error.
func TestLoadCancelledAfterTheListing(t *testing.T) {
	srv, client := newFake(t)
	seedSized(t, srv, "@TGS#_c", 2, 60)
	cancelled := 0
	for try := range 80 {
		ctx, cancel := context.WithCancel(ctxT(t))
		snap, err := community.Load(ctx, client, "@TGS#_c", &community.LoadOptions{Progress: func(p community.Progress) {
			if p.ListingDone {
				cancel()
			}
		}})
		cancel()
		if err != nil {
			cancelled++
			assert.Nil(t, snap, "try %d", try)
			assert.ErrorIs(t, err, context.Canceled, "try %d", try)
			continue
		}
		require.Len(t, snap.PermissionGroups, 1, "try %d", try)
		assert.Len(t, snap.PermissionGroups[0].Members, 60, "try %d: a snapshot is whole", try)
		assert.Len(t, snap.PermissionGroups[0].Topics, 2, "try %d: a snapshot is whole", try)
	}
	t.Logf("%d of 80 loads saw the cancellation", cancelled)
	assert.Positive(t, cancelled, "the cancellation came before the reads ended")
}

// destroyer wraps a Client: the first time a read of group victim's
// members (or topics) goes out, it destroys that group in the fake first,
// as another operator would while Load reads.
type destroyer struct {
	community.Client
	destroy      func() error
	victim       string
	viaTopics    bool
	once         sync.Once
	destroyedErr error
}

func (d *destroyer) hit(id string, topics bool) {
	if id == d.victim && topics == d.viaTopics {
		d.once.Do(func() { d.destroyedErr = d.destroy() })
	}
}

func (d *destroyer) GetPermissionGroupMembers(ctx context.Context, req *tim.GetPermissionGroupMembersRequest) (*tim.PermissionGroupMembersPage, error) {
	if req.Next != "" { // after the first page: the group goes mid-listing
		d.hit(req.PermissionGroupID, false)
	}
	return d.Client.GetPermissionGroupMembers(ctx, req)
}

func (d *destroyer) GetTopicPermissions(ctx context.Context, req *tim.GetTopicPermissionsRequest) ([]tim.TopicPermissionResult, error) {
	d.hit(req.PermissionGroupID, true)
	return d.Client.GetTopicPermissions(ctx, req)
}

// TestLoadDuringADestroy: a permission group destroyed while Load reads it
// (its member or topic read answers 110006) is left out; the load does not
// fail, and every other group is whole.
func TestLoadDuringADestroy(t *testing.T) {
	for _, viaTopics := range []bool{false, true} {
		name := map[bool]string{false: "during its member listing", true: "before its topic read"}[viaTopics]
		t.Run(name, func(t *testing.T) {
			srv, client := newFake(t)
			seedSized(t, srv, "@TGS#_c", 2, 120, 120, 120)
			d := &destroyer{Client: client, victim: "@PMG#_g0001", viaTopics: viaTopics,
				destroy: func() error { return srv.DestroyPermissionGroup("@TGS#_c", "@PMG#_g0001") }}
			var last community.Progress
			snap, err := community.Load(ctxT(t), d, "@TGS#_c", &community.LoadOptions{Progress: func(p community.Progress) { last = p }})
			require.NoError(t, d.destroyedErr)
			require.NoError(t, err)
			var ids []string
			for _, g := range snap.PermissionGroups {
				ids = append(ids, g.ID)
				assert.Len(t, g.Members, 120, g.ID)
				assert.Len(t, g.Topics, 2, g.ID)
			}
			assert.Equal(t, []string{"@PMG#_g0000", "@PMG#_g0002"}, ids, "the destroyed group is absent, not partial")
			assert.Equal(t, 1, last.Vanished)
			assert.Equal(t, 2, last.GroupsDone)
		})
	}
}
