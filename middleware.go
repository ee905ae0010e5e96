package tim

import (
	"errors"
	"net/http"
)

// Middleware wraps the HTTP round trip of every attempt: tracing
// (otelhttp.NewTransport), a logger, a metrics wrapper. It gets the next
// RoundTripper and returns one that calls it.
//
// A middleware never sees the UserSig: the request's URL carries
// usersig=[redacted] (escaped, "usersig=%5Bredacted%5D") in its place, and
// the client puts the real signature in below every middleware, just before
// the base transport. Responses and errors coming back up hold no signature
// either. [CommandFromContext] tells a middleware the request's command.
//
// Only the request the client built for an attempt is signed — the same
// method, host, path and query (which carries the attempt's own random
// number) — and only the first time it reaches the signing layer. A
// middleware may add headers, but must leave the URL as it is, or the
// request goes out unsigned. A request a middleware sends of its own through
// next, even with the client's context and the placeholder, goes out
// unsigned, and so does a second send of the same request: leave retries to
// the client ([RetryPolicy]), which signs every attempt anew.
type Middleware func(next http.RoundTripper) http.RoundTripper

// WithMiddleware adds middleware to the client's transport stack. The first
// one given is the outermost: it sees a request first and its answer last.
// Each sees every attempt, retries included. Later WithMiddleware options
// add theirs inside the earlier ones.
//
//	tim.WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
//		return otelhttp.NewTransport(next)
//	})
//
// This is the safe place to observe requests: a transport passed with
// [WithHTTPClient] sits below the signature and sees the signed URL.
func WithMiddleware(mw ...Middleware) Option {
	return optionFunc(func(s *settings) error {
		for _, m := range mw {
			if m == nil {
				return errors.New("tim: WithMiddleware: nil middleware")
			}
		}
		s.middleware = append(s.middleware, mw...)
		return nil
	})
}
