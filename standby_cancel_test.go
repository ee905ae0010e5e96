package tim_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// A caller that gives up while the connection to the primary is being made
// says nothing of the primary: the client does not move to the standby, and
// the next call goes to the primary.
func TestStandbyStaysWhenTheCallerGivesUpWhileConnecting(t *testing.T) {
	primary, standby := timtest.NewServer(), timtest.NewServer()
	defer primary.Close()
	defer standby.Close()
	for _, s := range []*timtest.Server{primary, standby} {
		require.NoError(t, s.CreateCommunity(seamGroup, "owner"))
	}
	primaryAddr := strings.TrimPrefix(primary.URL(), "http://")
	dialing, slow := make(chan struct{}, 1), make(chan struct{})
	var d net.Dialer
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == primaryAddr {
			select {
			case dialing <- struct{}{}:
			default:
			}
			select {
			case <-slow:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return d.DialContext(ctx, network, addr)
	}}
	c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin, tim.WithBaseURL(primary.URL()), tim.WithStandby(standby.URL()),
		tim.WithSecretKey(timtest.DefaultSecretKey), tim.WithRetryPolicy(timtest.FastRetries()), tim.WithHTTPClient(&http.Client{Transport: transport}))
	require.NoError(t, err)
	defer c.Close()

	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-dialing; cancel() }()
	_, err = c.RoleOf(ctx, seamGroup, "owner")
	require.ErrorIs(t, err, context.Canceled)

	close(slow) // the primary was fine all along
	_, err = c.RoleOf(context.Background(), seamGroup, "owner")
	require.NoError(t, err)
	assert.Len(t, primary.Requests(), 1, "the next call goes to the primary")
	assert.Empty(t, standby.Requests())
}
