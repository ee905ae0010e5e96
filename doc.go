// Package tim is a typed client for the Tencent Cloud Chat (Tencent IM)
// server REST API: the community permission-group, topic-permission and
// member-role endpoints a backend calls to run large communities.
//
// A [Client] acts as one app admin. It signs every request URL (sdkappid,
// identifier, a UserSig, a fresh random, contenttype=json), POSTs JSON,
// decodes the response envelope and turns the service's error codes into
// errors usable with [errors.Is] and [errors.As]:
//
//	client, err := tim.NewClient(1400000000, "administrator",
//		tim.WithRegion(tim.RegionSingapore),
//		tim.WithSecretKey(os.Getenv("TIM_SECRET_KEY")))
//	if err != nil {
//		return err
//	}
//	roles, err := client.GetRoleInGroup(ctx, "@TGS#_@TGS#cV6IHIIM62C4", []string{"leckie", "peter"})
//	switch {
//	case errors.Is(err, tim.ErrGroupNotFound):
//		// the community was dissolved
//	case err != nil:
//		return err
//	}
//
// # Errors
//
// A call fails with one of: a [*ValidationError] (bad input, nothing sent;
// matches [ErrInvalidRequest]), a [*TransportError] (the network), an
// [*HTTPError] (a non-200 status such as a proxy's 502), a [*DecodeError] (a
// body that is not the envelope) or an [*APIError] (the service said no). An
// APIError unwraps to its [ErrorCode], and every ErrorCode constant is a
// sentinel. Results that are lists carry a per-item code, reported by the
// item's Err method. No error, log record or printed value holds the secret
// key, a UserSig or the signed URL.
//
// # Retries, rate limits and timeouts
//
// A call retries what is safe to send again ([RetryPolicy]; 3 attempts by
// default, with jittered exponential backoff and a longer one after a rate
// limit), renews an expired UserSig once, and does not repeat a write that
// is not idempotent once the service may have applied it. Before every
// attempt it waits for a per-command rate limiter ([WithRateLimit], 200
// calls a second by default, or your own [RateLimiter]). Each attempt is
// bounded by [WithTimeout]; the deadline of the call's context always wins,
// backoffs included.
//
// # Testing
//
// Package github.com/timkit/tim/timtest runs an in-memory fake of the
// service on loopback, for the SDK's own tests, its examples and yours. It
// can enforce the rate limit and fail on purpose (error codes, 502 pages,
// delays, truncated or non-JSON bodies, dropped connections).
package tim
