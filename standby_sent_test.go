package tim_test

// A request that reached the server is never sent to the standby, however
// the connection fails afterwards: here a TLS server reads the whole
// request and then writes bytes that are not TLS, which the client reads
// as a TLS record error, the kind of error a failed handshake gives too.

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// garbleAfterRead is a TLS server that reads each request whole, then
// writes what head says (nothing, or a 200's header and part of its body)
// through TLS, and then bytes that are not TLS on the raw connection.
func garbleAfterRead(t *testing.T, head string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var read atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return
		}
		read.Add(1)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		if head != "" {
			_, _ = buf.WriteString(head)
			_ = buf.Flush()
		}
		_, _ = conn.(*tls.Conn).NetConn().Write([]byte("not TLS: plain bytes from a broken middlebox\r\n"))
	}))
	t.Cleanup(srv.Close)
	return srv, &read
}

func TestStandbyNeverResendsWhatWasWritten(t *testing.T) {
	for name, head := range map[string]string{
		"non-TLS bytes instead of an answer":   "",
		"non-TLS bytes in the body of a 200":   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"ActionStatus\":\"OK\",",
		"non-TLS bytes after a 200's headers!": "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			primary, read := garbleAfterRead(t, head)
			standby := timtest.NewServer()
			t.Cleanup(standby.Close)
			require.NoError(t, standby.CreateCommunity(seamGroup, "owner"))
			// The primary's certificate is trusted through the caller's
			// transport; verification stays on.
			c, err := tim.NewClient(timtest.DefaultSDKAppID, timtest.DefaultAdmin, tim.WithBaseURL(primary.URL),
				tim.WithStandby(standby.URL()), tim.WithSecretKey(timtest.DefaultSecretKey),
				tim.WithHTTPClient(primary.Client()), tim.WithRetryPolicy(timtest.FastRetries()))
			require.NoError(t, err)
			defer c.Close()

			_, err = c.CreatePermissionGroup(context.Background(), &tim.CreatePermissionGroupRequest{GroupID: seamGroup, PermissionGroupID: "@PMG#_once", Name: "once"})
			require.Error(t, err, "the create reached the primary, whose answer was lost")
			var te *tim.TransportError
			require.ErrorAs(t, err, &te)
			assert.True(t, tim.MayHaveApplied(err), "the primary read the whole request")
			assert.Equal(t, int32(1), read.Load(), "sent once, to the primary")
			assert.Empty(t, standby.Requests(), "never sent again to the standby")

			// An idempotent read after the same failure is retried where it
			// was, not moved: the client stays on the primary.
			_, err = c.RoleOf(context.Background(), seamGroup, "owner")
			require.Error(t, err)
			assert.Equal(t, int32(1+tim.DefaultMaxAttempts), read.Load(), "retried at the primary")
			assert.Empty(t, standby.Requests())
		})
	}
}
