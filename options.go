package tim

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Option configures a [Client]. Options check their input, and [NewClient]
// returns the first error. The options are the With… functions of this
// package.
type Option interface {
	apply(*settings) error
}

// optionFunc is the one implementation of Option.
type optionFunc func(*settings) error

func (f optionFunc) apply(s *settings) error { return f(s) }

// settings is what the options collect; NewClient turns it into a Client.
type settings struct {
	region      Region
	baseURL     string
	standby     []string
	httpClient  *http.Client
	middleware  []Middleware
	timeout     time.Duration
	logger      *slog.Logger
	userAgent   string
	signer      UserSigner
	secretKey   string
	concurrency int
	maxInFlight int
	retry       RetryPolicy
	limiter     RateLimiter // nil: the default
}

// WithRegion calls the REST API domain of region r.
func WithRegion(r Region) Option {
	return optionFunc(func(s *settings) error {
		if !r.valid() {
			return fmt.Errorf("tim: WithRegion: unknown region %d", int(r))
		}
		s.region = r
		return nil
	})
}

// WithBaseURL calls a base URL other than a region's domain: a standby domain
// such as "https://adminapisgp.my-imcloud.com", a proxy (a path prefix is
// kept), or a local fake. It must be https; plain http is accepted only for a
// loopback address. It must not carry a query.
func WithBaseURL(rawURL string) Option {
	return optionFunc(func(s *settings) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return err
		}
		s.baseURL = u
		return nil
	})
}

// WithSecretKey signs requests with UserSigs made from the app's secret key by
// a [KeySigner] (cached, renewed before expiry). Use it or [WithUserSigner].
func WithSecretKey(key string) Option {
	return optionFunc(func(s *settings) error {
		if key == "" {
			return errors.New("tim: WithSecretKey: key is empty")
		}
		s.secretKey = key
		return nil
	})
}

// WithUserSigner signs requests with UserSigs from signer, e.g.
// [StaticUserSig] or a [KeySigner] shared between clients. Use it or
// [WithSecretKey].
func WithUserSigner(signer UserSigner) Option {
	return optionFunc(func(s *settings) error {
		if signer == nil {
			return errors.New("tim: WithUserSigner: signer is nil")
		}
		s.signer = signer
		return nil
	})
}

// WithHTTPClient sends requests through hc's transport (its proxy, TLS and
// connection settings). The client reads hc.Transport at every request, so
// a transport swapped in after NewClient is used too, as
// httpmock.ActivateNonDefault(hc) does; a nil Transport means
// [http.DefaultTransport]. Redirects are never followed, whatever hc says, so
// a signed URL goes nowhere but the configured host. A transport that skips
// TLS verification is refused, here and at every request.
//
// hc's Timeout, read here, bounds each attempt like [WithTimeout] (the
// shorter of the two applies), so an attempt that runs out of it is retried
// as [ErrAttemptTimeout].
//
// hc's transport is the lowest layer: it sees the signed URL, UserSig
// included. To observe requests (tracing, logging, metrics) use
// [WithMiddleware], which never sees the signature. A transport that caps
// connections per host (MaxConnsPerHost) below [WithMaxInFlight] makes
// requests wait for a connection after their turn at the rate limiter, and
// after a stall such requests arrive together: leave it uncapped, or cap
// the client's requests in flight instead.
func WithHTTPClient(hc *http.Client) Option {
	return optionFunc(func(s *settings) error {
		if hc == nil {
			return errors.New("tim: WithHTTPClient: client is nil")
		}
		if skipsVerify(hc.Transport) {
			return errInsecureTransport
		}
		s.httpClient = hc
		return nil
	})
}

// WithTimeout bounds each HTTP attempt (default [DefaultTimeout]). It must
// exceed the service's own 3 s limit. A deadline on the caller's context
// applies too, whichever comes first. An attempt that gets no answer in time
// fails with [ErrAttemptTimeout] and is retried like a dropped connection
// (see [RetryPolicy]); when the caller's deadline passes the call ends with
// an error matching [context.DeadlineExceeded].
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(s *settings) error {
		if d <= 3*time.Second {
			return fmt.Errorf("tim: WithTimeout: %s is not longer than the service's 3 s limit", d)
		}
		s.timeout = d
		return nil
	})
}

// WithLogger logs one record per attempt (every request sent, retries
// included), with the message "tim request" and these attributes:
//
//	command      the REST command, e.g. "get_role_in_group"
//	service      its service, e.g. "group_open_http_svc" (the same command
//	             name under two services is two APIs; see Client.Do)
//	attempt      1 for the first request of a call, 2 for its first retry, ...
//	duration     how long the attempt's exchange with the server took
//	limiter_wait how long the attempt waited for its turn at the rate
//	             limiter before it was sent ([WithRateLimit])
//	outcome      ok, api_error, http_error, decode_error or transport_error
//	error_code   the service's code, for an api_error
//	http_status  the status, for an http_error
//	will_retry   whether the client sends the request again (on failures)
//	retry_reason transient, rate_limited, new_signature or standby (when it
//	             will retry)
//	retry_in     the backoff before the next attempt (when it will retry)
//
// Levels: Debug on success, Info for a failure that will be retried, Warn
// for the failure a call returns. Records never hold the URL's query, a
// body, the secret key or a UserSig. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(s *settings) error {
		if l == nil {
			return errors.New("tim: WithLogger: logger is nil")
		}
		s.logger = l
		return nil
	})
}

// WithUserAgent sets the User-Agent header (default [DefaultUserAgent]): not
// empty, printable ASCII and spaces only.
func WithUserAgent(ua string) Option {
	return optionFunc(func(s *settings) error {
		if ua == "" {
			return errors.New("tim: WithUserAgent: user agent is empty")
		}
		for i := 0; i < len(ua); i++ {
			if ua[i] < 0x20 || ua[i] > 0x7e {
				return fmt.Errorf("tim: WithUserAgent: byte %d is not printable ASCII", i)
			}
		}
		s.userAgent = ua
		return nil
	})
}

// WithMaxConcurrency bounds the requests one call keeps in flight when it
// splits a large input (default [DefaultMaxConcurrency]).
func WithMaxConcurrency(n int) Option {
	return optionFunc(func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("tim: WithMaxConcurrency: %d is less than 1", n)
		}
		s.concurrency = n
		return nil
	})
}

// WithMaxInFlight bounds the requests of one command the client has in
// flight at once, across all calls (default [DefaultMaxInFlight]). A request
// takes its place first and its turn at the rate limiter second, so a turn
// is never spent waiting for a connection: after the service stalls, the
// requests held back go out at the limiter's pace, not all together.
func WithMaxInFlight(n int) Option {
	return optionFunc(func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("tim: WithMaxInFlight: %d is less than 1", n)
		}
		s.maxInFlight = n
		return nil
	})
}
