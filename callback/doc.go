// Package callback receives the Tencent Cloud Chat service's third-party
// callbacks (webhooks): the HTTP POSTs the service sends to an app's
// backend before and after events, such as a topic created or a member
// leaving a community.
//
// A [Handler] is an [http.Handler]. It verifies every callback before
// reading its body, the way stripe-go's webhook.ConstructEvent does: the
// method, the app ID in the URL, the signature (Sign, the SHA-256 of the
// console's callback token and RequestTime, compared in constant time) and
// a 60-second window on RequestTime against replays. Only then does it read
// the body, within a bound, decode it into a typed event and call the
// functions registered for its command:
//
//	h := callback.NewHandler(1400000000, os.Getenv("TIM_CALLBACK_TOKEN"),
//		callback.OnAfterNewMemberJoin(func(ctx context.Context, e *callback.AfterNewMemberJoin) error {
//			return welcome(ctx, e.GroupID, e.Accounts)
//		}),
//		callback.OnBeforeCreateTopic(func(ctx context.Context, e *callback.BeforeCreateTopic) (callback.Decision, error) {
//			return callback.Decision{Deny: strings.Contains(e.Name, "spam")}, nil
//		}),
//		callback.OnError(func(ctx context.Context, err error) { slog.WarnContext(ctx, "tim callback", "err", err) }),
//	)
//	if err := h.Err(); err != nil {
//		log.Fatal(err) // an empty token, say
//	}
//	http.Handle("/tim/callback", h)
//
// Typed events cover the topic and member events a community backend
// follows, a group's base-info change, before-create-topic (answered with a
// [Decision]) and the rate-limit alert; [OnOther] gets any other command
// with its raw JSON, and [OnEvent] every verified callback, for code that
// follows many events at once. Each event keeps its body in Meta.Raw, and
// decoding follows the documented samples where the copies of the
// documentation disagree: EventTime as a number or a string, a changed
// member as Modified_Account or Member_Account, TopicIdList as an array or
// a string.
//
// The package depends on the standard library only. The fake in
// github.com/timkit/tim/timtest sends signed callbacks
// (timtest.WithCallback), so a Handler can be tested end to end.
package callback
