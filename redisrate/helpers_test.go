package redisrate_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// addrEnv names the variable that holds the address of the Redis the tests
// use; testdata/with-redis.sh starts one and sets it.
const addrEnv = "TIM_REDIS_ADDR"

const (
	community = "@TGS#_fleet"
	command   = tim.CommandGetRoleInGroup
)

func TestMain(m *testing.M) {
	// go-redis logs failed dials on its own; the outage tests make many.
	redis.SetLogger(quiet{})
	if os.Getenv(fleetChildEnv) == "1" {
		os.Exit(fleetChild())
	}
	os.Exit(m.Run())
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// redisAddr returns the address of the shared test Redis, or skips.
func redisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv(addrEnv)
	if addr == "" {
		t.Skipf("needs a Redis: run ./testdata/with-redis.sh (it starts one), or set %s=host:port", addrEnv)
	}
	return addr
}

// newRedis returns a client for addr with short timeouts and no retries,
// as the package doc suggests for a limiter, closed when t ends.
func newRedis(t testing.TB, addr string, hooks ...redis.Hook) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{
		Addr:               addr,
		DialTimeout:        200 * time.Millisecond,
		ReadTimeout:        200 * time.Millisecond,
		WriteTimeout:       200 * time.Millisecond,
		DialerRetries:      1,
		DialerRetryTimeout: time.Millisecond,
		MaxRetries:         -1,
	})
	for _, h := range hooks {
		rdb.AddHook(h)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// sharedRedis returns a client for the shared test Redis, or skips.
func sharedRedis(t testing.TB, hooks ...redis.Hook) *redis.Client {
	t.Helper()
	rdb := newRedis(t, redisAddr(t), hooks...)
	require.NoError(t, rdb.Ping(context.Background()).Err(), "the Redis at %s=%s", addrEnv, os.Getenv(addrEnv))
	return rdb
}

// uniquePrefix returns a key prefix no other test or run uses, and deletes
// its keys when t ends, so that tests share one Redis without meeting.
func uniquePrefix(t testing.TB, rdb *redis.Client) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	prefix := "timtest:" + strings.NewReplacer("/", ".", " ", "_").Replace(t.Name()) + ":" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		for _, k := range keys(t, rdb, prefix) {
			rdb.Del(ctx, k)
		}
	})
	return prefix
}

// keys lists the Redis keys of the limiters with this prefix.
func keys(t testing.TB, rdb *redis.Client, prefix string) []string {
	t.Helper()
	var out []string
	iter := rdb.Scan(context.Background(), 0, "rate:"+prefix+"*", 100).Iterator()
	for iter.Next(context.Background()) {
		out = append(out, iter.Val())
	}
	require.NoError(t, iter.Err())
	return out
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// fake starts a timtest server with one community whose owner is "owner".
func fake(t testing.TB, opts ...timtest.Option) *timtest.Server {
	t.Helper()
	srv := timtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	require.NoError(t, srv.CreateCommunity(community, "owner"))
	return srv
}

// logBuffer is a concurrency-safe buffer for a slog text handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}

// counter is a go-redis hook that counts dials and commands.
type counter struct {
	dials, commands atomic.Int64
}

func (c *counter) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c.dials.Add(1)
		return next(ctx, network, addr)
	}
}

func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.commands.Add(1)
		return next(ctx, cmd)
	}
}

func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
