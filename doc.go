// Package tim is a typed client for the Tencent Cloud Chat (Tencent IM)
// server REST API: the endpoints a backend calls to run large communities
// (permission groups and their topic permissions, topics, members, a
// community's settings), and [Client.Do] for any other command.
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
//	defer client.Close()
//	role, err := client.RoleOf(ctx, "@TGS#_@TGS#cV6IHIIM62C4", "peter")
//	switch {
//	case errors.Is(err, tim.ErrGroupNotFound):
//		// the community was dissolved
//	case err != nil:
//		return err
//	}
//
// # Calls
//
// Every method takes a [context.Context] first. The command methods take a
// request struct next, whose fields carry the IDs and parameters by name:
// GetRoleInGroupRequest for GetRoleInGroup, and one struct for each pair of
// methods that send the same fields (TopicPermissionsRequest for
// AddTopicPermissions and SetTopicPermissions, PermissionGroupMembersRequest
// for AddPermissionGroupMembers and DeletePermissionGroupMembers):
//
//	client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{
//		GroupID: groupID, PermissionGroupID: pgID, Accounts: accounts})
//
// A few one-item shortcuts ([Client.RoleOf], [Client.GetPermissionGroup],
// [Client.DestroyPermissionGroup], [Client.AddPermissionGroupMember],
// [Client.DeletePermissionGroupMember]) take the IDs positionally instead,
// community first, and return a plain error. Either way every input is
// checked before anything is sent, the documented ID shapes included: a
// community's GroupId starts "@TGS#_", a permission group's "@PMG#_", a
// topic's is the GroupId + "@TOPIC#_…". IDs passed in the wrong order fail
// at once with a [*ValidationError] naming the Go field.
//
// Writes on lists split them at the documented limits and return one
// [ItemResult] per item; a failure part-way returns the confirmed results
// with a [*BatchError] that holds them too. Listings are iterators
// (iter.Seq2) and paginators.
//
// Each command lives under a service, the URL path's segment after /v4/:
// the topic commands under [ServiceMillionGroup], the others under
// [ServiceGroup]; the client knows which. [Client.Do] sends any command of
// any service through the same path (signing, pacing, retries, the
// envelope), for the commands the SDK does not type.
//
// # Errors
//
// A call fails with one of: a [*ValidationError] (bad input, nothing sent;
// matches [ErrInvalidRequest]), a [*TransportError] (the network), an
// [*HTTPError] (a non-200 status such as a proxy's 502), a [*DecodeError] (a
// body that is not the envelope, or an answer that does not match its
// request) or an [*APIError] (the service said no). An APIError unwraps to
// its [ErrorCode], and every ErrorCode constant is a sentinel. One item of a
// list that failed while the call succeeded is an [*ItemError], which
// unwraps to its code too. No error, log record or printed value holds the
// secret key, a UserSig or the signed URL.
//
// # Retries, rate limits and timeouts
//
// A call retries what is safe to send again ([RetryPolicy]; 3 attempts by
// default, with jittered exponential backoff and a longer one after a rate
// limit), renews an expired UserSig once, and does not repeat a write that
// is not idempotent once the service may have applied it. Each attempt takes
// one of the command's in-flight places ([WithMaxInFlight]) and then waits
// for a per-command rate limiter: [DefaultRateLimit] calls a second in
// bursts of [DefaultRateBurst], at most 190 in any second, under the
// service's 200 ([WithRateLimit], or your own [RateLimiter]). Each attempt
// is bounded by [WithTimeout]; the deadline of the call's context always
// wins, backoffs included.
//
// # Observing requests
//
// [WithLogger] logs one record per attempt; [WithMiddleware] wraps the HTTP
// round trip (tracing, metrics) and never sees the UserSig: the client puts
// it into the URL below every middleware.
//
// # Testing
//
// Package github.com/timkit/tim/timtest runs an in-memory fake of the
// service on loopback, for the SDK's own tests, its examples and yours. It
// can enforce the rate limit and fail on purpose (error codes, 502 pages,
// delays, truncated or non-JSON bodies, dropped connections). httpmock
// works too: httpmock.Activate before or after NewClient, or a
// MockTransport in [WithHTTPClient].
package tim
