package redisrate_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/timkit/tim"
	"github.com/timkit/tim/redisrate"
	"github.com/timkit/tim/timtest"
)

// Every process of a fleet builds the same limiter on the same Redis; the
// client then waits for the fleet's turn before each attempt. The Redis
// options make an outage show in milliseconds rather than seconds: one dial
// attempt, no command retries, short timeouts.
func Example_fleet() {
	rdb := redis.NewClient(&redis.Options{
		Addr:               os.Getenv("REDIS_ADDR"),
		DialTimeout:        100 * time.Millisecond,
		ReadTimeout:        100 * time.Millisecond,
		WriteTimeout:       100 * time.Millisecond,
		DialerRetries:      1,
		DialerRetryTimeout: time.Millisecond,
		MaxRetries:         -1,
	})
	defer rdb.Close()
	const sdkAppID = 1400000000
	// 185 calls a second in bursts of 5, fleet-wide: 190 in any second,
	// with 10 to spare under the service's 200 for calls in transit.
	limiter, err := redisrate.New(rdb, sdkAppID, redisrate.WithRate(185, 5))
	if err != nil {
		log.Fatal(err)
	}
	client, err := tim.NewClient(sdkAppID, "administrator",
		tim.WithRegion(tim.RegionSingapore),
		tim.WithSecretKey(os.Getenv("TIM_SECRET_KEY")),
		tim.WithRateLimiter(limiter))
	if err != nil {
		log.Fatal(err)
	}
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_@TGS#cV6IHIIM62C4", Accounts: []string{"leckie"}})
	if errors.Is(err, redisrate.ErrUnavailable) {
		log.Fatal("Redis is down and the limiter fails closed: nothing was sent")
	}
	fmt.Println(roles, err)
}

// unreachableRedis returns a client for a port nothing listens on, set to
// fail at once: a Redis outage, for the examples that need no Redis.
func unreachableRedis() *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr: "127.0.0.1:1", DialerRetries: 1, DialerRetryTimeout: time.Millisecond, MaxRetries: -1,
	})
}

// exampleLogger logs to stdout without the time and the Redis error, so
// that the examples' output is the same on every run.
func exampleLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "error" {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// By default the limiter fails closed: when Redis does not answer, the
// client's call fails with an error matching ErrUnavailable, and nothing
// reaches the service.
func ExampleNew_failClosed() {
	rdb := unreachableRedis()
	defer rdb.Close()
	srv := timtest.NewServer()
	defer srv.Close()
	if err := srv.CreateCommunity("@TGS#_demo", "owner"); err != nil {
		panic(err)
	}

	limiter, _ := redisrate.New(rdb, srv.SDKAppID(), redisrate.WithLogger(exampleLogger()))
	client, _ := srv.NewClient(tim.WithRateLimiter(limiter))
	_, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: "@TGS#_demo", Accounts: []string{"owner"}})

	var unavailable *redisrate.UnavailableError
	fmt.Println(errors.Is(err, redisrate.ErrUnavailable), errors.As(err, &unavailable) && unavailable.Command == "get_role_in_group")
	fmt.Println("requests the service got:", len(srv.RequestsFor("get_role_in_group")))
	// Output:
	// level=WARN msg="redisrate: Redis unavailable" sdkappid=1400000000 mode="fail closed" probe_every=1s
	// true true
	// requests the service got: 0
}

// With a fallback, calls wait for a local limiter while Redis is down: here
// 42 calls a second in bursts of 5, one of four processes' share of
// WithRate(185, 5): (185 + 5) ÷ 4 = 47.5. The fallback starts after a
// pause of a second and the limiter's timeout, so that no sliding second
// holds calls of both budgets.
func ExampleWithFallback() {
	rdb := unreachableRedis()
	defer rdb.Close()
	local, _ := tim.NewRateLimiter(42, 5)
	limiter, _ := redisrate.New(rdb, 1400000000,
		redisrate.WithRate(185, 5),
		redisrate.WithFallback(local),
		redisrate.WithLogger(exampleLogger()))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := limiter.Wait(ctx, "get_role_in_group") // the outage begins: nothing starts for 1.2 s
	fmt.Println("within 10 ms:", errors.Is(err, context.DeadlineExceeded))

	went := 0
	for range 5 { // after the pause, the local burst
		if limiter.Wait(context.Background(), "get_role_in_group") == nil {
			went++
		}
	}
	fmt.Println("after the pause:", went, "calls")
	// Output:
	// level=WARN msg="redisrate: Redis unavailable" sdkappid=1400000000 mode=fallback probe_every=1s fallback_in=1.2s
	// within 10 ms: true
	// after the pause: 5 calls
}

// Each app and command has its bucket under its own key.
func ExampleLimiter_Key() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}) // New does not connect
	defer rdb.Close()
	limiter, _ := redisrate.New(rdb, 1400000000, redisrate.WithRate(185, 5))
	fmt.Println(limiter.Key("get_role_in_group"))
	fmt.Println(limiter)
	// Output:
	// rate:tim:{1400000000}:get_role_in_group
	// redisrate.Limiter{SDKAppID: 1400000000, Key: "rate:tim:{1400000000}:<command>", Limit: 185 req/s (burst 5), WhenUnavailable: fail closed}
}

// The options: the rate and burst every process shares, the prefix of the
// keys (one per app and command), how long to wait before asking Redis
// again after a failure, and where the outage is logged.
func ExampleWithRate() {
	rdb := unreachableRedis()
	defer rdb.Close()
	limiter, err := redisrate.New(rdb, 1400000000,
		redisrate.WithRate(185, 5),
		redisrate.WithKeyPrefix("myapp:tim:"),
		redisrate.WithProbeInterval(2*time.Second),
		redisrate.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	fmt.Println(err)
	fmt.Println(limiter.Key(tim.CommandGetRoleInGroup))
	// Output:
	// <nil>
	// rate:myapp:tim:{1400000000}:get_role_in_group
}
