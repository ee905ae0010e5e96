package community

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// cancellingLister answers the listing with one page of one group, and
// cancels the caller's context as it does: the answer came back just as
// the caller gave up.
type cancellingLister struct {
	Client // nil: no other call is expected
	cancel context.CancelFunc
}

func (c cancellingLister) GetPermissionGroups(context.Context, *tim.GetPermissionGroupsRequest) (*tim.PermissionGroupsPage, error) {
	c.cancel()
	return &tim.PermissionGroupsPage{PermissionGroups: []tim.PermissionGroup{{ID: "@PMG#_a", Name: "a"}}}, nil
}

// The caller's context ends while the listing starts its page's reads, with
// every place taken: the reads are never started, and the listing must not
// report success, or Load would return a snapshot without them (golangci-
// lint's nilerr found this).
func TestListingStoppedByTheCallerIsAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := &loader{c: cancellingLister{cancel: cancel}, groupID: "@TGS#_c", seen: map[string]bool{},
		pending: map[*PermissionGroup]int{}, sem: make(chan struct{}, 1), cancel: cancel}
	l.sem <- struct{}{} // a read holds the only place
	err := l.listGroups(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, l.slots, 1, "the group was listed; its reads were not started")
}
