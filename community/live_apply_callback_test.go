package community_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/community"
)

// callbackFirst delivers the service's AfterTopicDestroyed callback to the
// Live before the destroy's answer reaches Apply (the callback raced the
// answer).
type callbackFirst struct {
	*tim.Client
	live atomic.Pointer[community.Live]
}

func (c *callbackFirst) DestroyTopics(ctx context.Context, req *tim.DestroyTopicsRequest) ([]tim.ItemResult, error) {
	res, err := c.Client.DestroyTopics(ctx, req)
	if err == nil {
		_ = c.live.Load().HandleCallback(ctx, &callback.AfterTopicDestroyed{GroupID: req.GroupID, TopicIDs: req.TopicIDs})
	}
	return res, err
}

// TestLiveApplyOwnTopicDestroyCallback: the callback of a topic the plan
// destroys, coming before the destroy's answer, must not make Apply's patch
// not fit: the plan's other writes show when Apply returns.
func TestLiveApplyOwnTopicDestroyCallback(t *testing.T) {
	srv, client := exampleFakeWith()
	defer srv.Close()
	defer client.Close()
	c := &callbackFirst{Client: client}
	live, err := community.NewLive(ctxT(t), c, demo, nil)
	require.NoError(t, err)
	defer live.Close(context.Background())
	c.live.Store(live)
	spec, err := community.ParseSpec(strings.NewReader(`{"group_id": "@TGS#_demo", "prune_topics": true,
		"topics": [{"id": "@TGS#_demo@TOPIC#_general", "name": "` + nameOf(t, live, demoGeneral) + `"}],
		"permission_groups": [{"id": "@PMG#_new", "name": "New", "permission": ["SendMessage"], "members": ["dave"]}]}`))
	require.NoError(t, err)
	plan, err := community.Diff(live.View().Snapshot, spec)
	require.NoError(t, err)
	_, err = live.Apply(ctxT(t), plan, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"@PMG#_new"}, live.Access().GroupsOf("dave"), "Apply's own writes are visible when it returns")
}

// nameOf is the name the Live has for topic id.
func nameOf(t *testing.T, live *community.Live, id string) string {
	tp := live.View().Snapshot.Topic(id)
	require.NotNil(t, tp)
	return tp.Name
}
