// Package redisrate is a [tim.RateLimiter] shared by every process of a
// fleet through Redis, so that the fleet as a whole, not each process,
// stays under the Chat service's limit of 200 calls per second per command
// and app (past it the service answers 60007).
//
// It builds on github.com/go-redis/redis_rate/v10, which runs GCRA (the
// generic cell rate algorithm, equivalent to a token bucket) in one Lua
// script inside Redis, and on a go-redis v9 client you configure. A
// [Limiter] keeps one bucket per app and command, under a key such as
// rate:tim:{1400000000}:get_role_in_group ([Limiter.Key]); the keys hold the
// app ID and the command only, never a key, UserSig or password.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "10.0.0.5:6379"})
//	limiter, err := redisrate.New(rdb, 1400000000, redisrate.WithRate(185, 5)) // fleet-wide
//	if err != nil {
//		return err
//	}
//	client, err := tim.NewClient(1400000000, "administrator",
//		tim.WithSecretKey(os.Getenv("TIM_SECRET_KEY")),
//		tim.WithRateLimiter(limiter))
//
// # Waiting
//
// [Limiter.Wait] asks Redis once; a call that may go costs one round trip.
// Otherwise it sleeps for the RetryAfter Redis answered and asks again,
// until the call may go or its context ends. A wait takes nothing from the
// bucket until it is let through, so a cancelled wait consumes nothing.
// When the context's deadline comes before the next possible turn, Wait
// returns at once with an error matching [context.DeadlineExceeded], as
// [tim.NewRateLimiter]'s limiter does.
//
// # When Redis is unavailable
//
// You choose; there is no silent unlimited mode. By default the limiter
// fails closed: Wait returns an [*UnavailableError] (matching
// [ErrUnavailable]) and the tim client fails the call with nothing sent.
// With [WithFallback] it waits for a local [tim.RateLimiter] instead: give
// each of N processes the share (rate + burst) ÷ N, such as
// tim.NewRateLimiter(42, 5) in each of four processes sharing
// WithRate(185, 5). Either way the outage is logged once ([WithLogger]),
// and so is its end.
//
// A Redis round trip that takes longer than the limiter's timeout
// ([WithTimeout], 200 ms by default) counts as Redis being unavailable,
// whatever the go-redis client's own timeouts and retries, and whether or
// not the caller's context ended first. After a failure the limiter stops
// asking Redis: for the probe interval ([WithProbeInterval], 1 s by
// default) calls fail closed or use the fallback without a round trip;
// then one call probes Redis while the others wait for its answer. When it
// gets one, every call goes back to Redis.
//
// With a fallback, each switch between the budgets pauses: no call starts
// for a second and the timeout after the outage is seen, nor for a second,
// the probe interval and the timeout after Redis answers again. So no
// sliding second holds calls let through by Redis and by the fallbacks, and
// the fleet stays within the shared limit at the failure, during the
// outage and at the recovery; the package README gives the argument and
// its limits.
package redisrate
