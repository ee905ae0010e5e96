package timtest_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func TestListen(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "0.0.0.0:0", ":0"} {
		t.Run(addr, func(t *testing.T) {
			srv, err := timtest.Listen(addr, timtest.WithAdmins("ops"))
			require.NoError(t, err)
			defer srv.Close()
			assert.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"), srv.URL())
			assert.NotEqual(t, "http://127.0.0.1:0", srv.URL())

			require.NoError(t, srv.CreateCommunity("@TGS#_listen", "owner"))
			client, err := tim.NewClient(srv.SDKAppID(), "ops", tim.WithBaseURL(srv.URL()), tim.WithSecretKey(srv.SecretKey()))
			require.NoError(t, err)
			defer client.Close()
			role, err := client.RoleOf(context.Background(), "@TGS#_listen", "owner")
			require.NoError(t, err)
			assert.Equal(t, tim.RoleOwner, role)
		})
	}
}

func TestListenFixedPort(t *testing.T) {
	first, err := timtest.Listen("127.0.0.1:0")
	require.NoError(t, err)
	addr := strings.TrimPrefix(first.URL(), "http://")

	// The address is in use.
	_, err = timtest.Listen(addr)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "timtest: listen tcp "+addr), err.Error())

	// Free again after Close.
	first.Close()
	again, err := timtest.Listen(addr)
	require.NoError(t, err)
	defer again.Close()
	assert.Equal(t, "http://"+addr, again.URL())
}

func TestListenBadAddress(t *testing.T) {
	for _, addr := range []string{"nonsense", "127.0.0.1:http-alt-nope", "127.0.0.1:99999"} {
		_, err := timtest.Listen(addr)
		require.Error(t, err, addr)
		assert.True(t, strings.HasPrefix(err.Error(), "timtest: "), err.Error())
		var opErr *net.OpError
		assert.ErrorAs(t, err, &opErr, "the net error is wrapped")
	}
}

func TestNewServerStaysOnLoopback(t *testing.T) {
	srv := timtest.NewServer(timtest.WithControlEndpoint())
	defer srv.Close()
	assert.True(t, strings.HasPrefix(srv.URL(), "http://127.0.0.1:"), srv.URL())
	assert.NotContains(t, srv.String(), srv.SecretKey())
}
