package tim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

const (
	// DefaultTimeout bounds each HTTP attempt when [WithTimeout] is not given.
	// The service gives up after about 3 s, so a client timeout must be longer.
	// A deadline on the caller's context always applies as well.
	DefaultTimeout = 10 * time.Second

	// DefaultMaxConcurrency is how many requests one call may have in flight
	// when it splits a large input (see [Client.GetRoleInGroup]).
	DefaultMaxConcurrency = 8

	// DefaultMaxInFlight is how many requests of one command a client has in
	// flight at most ([WithMaxInFlight]). The service takes 200 calls of a
	// command per second, which 64 requests in flight carry at round trips
	// up to 300 ms.
	DefaultMaxInFlight = 64

	// MaxResponseBytes is the largest response body the client reads. The
	// service caps its own answers at 1 MB (error 10018).
	MaxResponseBytes = 4 << 20

	// DefaultUserAgent is sent when [WithUserAgent] is not given: the
	// SDK's name and its [Version], e.g. "timkit-tim-go/v0.1.0".
	DefaultUserAgent = "timkit-tim-go/" + Version

	// apiPrefix comes between the base URL and a route's path
	// ("service/command").
	apiPrefix = "/v4/"
)

// Client calls the Chat REST API as one app admin. Create it with [NewClient];
// it is safe for concurrent use and should be reused, since it keeps
// connections alive. [Client.Close] releases them.
//
// Printing a Client shows its app, admin and base URL, never a signature;
// nothing a reflection-based printer (a testify diff, spew) can reach from
// it holds the secret key, a UserSig or a signed URL.
type Client struct {
	sdkAppID    uint64
	identifier  string
	signer      UserSigner
	baseURL     string     // the primary's scheme://host[/prefix], no trailing slash
	endpoints   *endpoints // the primary and the standbys
	queryHead   string     // "?sdkappid=…&identifier=…"
	timeout     time.Duration
	logger      *slog.Logger // nil: no logging
	concurrency int
	retry       RetryPolicy // every field set
	limiter     RateLimiter
	inFlight    *inFlight
	escapeSig   func(sig string) *sigForms // see newSigEscaper

	// wire sends requests. It is a closure so that reflection cannot walk
	// into the transport, whose pooled connections keep the last signed URL
	// in their buffers.
	wire   func() *wire
	closed *atomic.Bool

	// timeouts is nil, or a test's per-attempt timeouts (export_test.go).
	timeouts func() time.Duration
}

// NewClient returns a client for app sdkAppID acting as identifier, which
// must be an app admin account. It needs where to send requests
// ([WithRegion] or [WithBaseURL]) and how to sign them ([WithSecretKey] or
// [WithUserSigner]):
//
//	client, err := tim.NewClient(1400000000, "administrator",
//		tim.WithRegion(tim.RegionSingapore),
//		tim.WithSecretKey(os.Getenv("TIM_SECRET_KEY")))
//
// Each attempt is bounded by [DefaultTimeout]; pass a context with a deadline
// to bound a whole call. Failed requests are retried as [DefaultRetryPolicy]
// says, and calls of each command are paced under the service's limit of 200
// a second ([DefaultRateLimit] a second in bursts of [DefaultRateBurst]; see
// [WithRateLimit]). Call [Client.Close] when done with it.
func NewClient(sdkAppID uint64, identifier string, opts ...Option) (*Client, error) {
	if sdkAppID == 0 {
		return nil, errors.New("tim: NewClient: SDKAppID is zero")
	}
	if err := checkIdentifier(identifier); err != nil {
		return nil, fmt.Errorf("tim: NewClient: %w", err)
	}
	var s settings
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("tim: NewClient: nil option")
		}
		if err := o.apply(&s); err != nil {
			return nil, err
		}
	}

	c := &Client{
		sdkAppID:    sdkAppID,
		identifier:  identifier,
		timeout:     orDefault(s.timeout, DefaultTimeout),
		logger:      s.logger,
		concurrency: orDefault(s.concurrency, DefaultMaxConcurrency),
		retry:       s.retry.withDefaults(),
		limiter:     s.limiter,
		inFlight:    newInFlight(orDefault(s.maxInFlight, DefaultMaxInFlight)),
		escapeSig:   newSigEscaper(),
		closed:      new(atomic.Bool),
	}
	if c.limiter == nil {
		c.limiter, _ = NewRateLimiter(DefaultRateLimit, DefaultRateBurst)
	}

	switch {
	case s.region != 0 && s.baseURL != "":
		return nil, errors.New("tim: NewClient: both WithRegion and WithBaseURL given; choose one")
	case s.region != 0:
		c.baseURL = "https://" + s.region.Domain()
	case s.baseURL != "":
		c.baseURL = s.baseURL
	default:
		return nil, errors.New("tim: NewClient: no region: use WithRegion or WithBaseURL")
	}
	c.endpoints = newEndpoints(append([]string{c.baseURL}, s.standby...), s.logger)
	c.queryHead = "?sdkappid=" + strconv.FormatUint(sdkAppID, 10) +
		"&identifier=" + url.QueryEscape(identifier)

	switch {
	case s.signer != nil && s.secretKey != "":
		return nil, errors.New("tim: NewClient: both WithSecretKey and WithUserSigner given; choose one")
	case s.signer != nil:
		c.signer = s.signer
	case s.secretKey != "":
		ks, err := NewKeySigner(sdkAppID, s.secretKey, identifier)
		if err != nil {
			return nil, err
		}
		c.signer = ks
	default:
		return nil, errors.New("tim: NewClient: no credentials: use WithSecretKey or WithUserSigner")
	}

	if s.httpClient != nil && s.httpClient.Timeout > 0 {
		// Enforced per attempt, so that running out of it is told apart
		// from the caller's own deadline.
		c.timeout = min(c.timeout, s.httpClient.Timeout)
	}
	w := newWire(&s)
	c.wire = func() *wire { return w }
	// A client dropped without Close still lets its idle connections go.
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// checkIdentifier applies the rules for the admin identifier: 1 to
// MaxIdentifierLen bytes of valid UTF-8 without a NUL.
func checkIdentifier(id string) error {
	if id == "" || len(id) > MaxIdentifierLen {
		return fmt.Errorf("identifier must be 1 to %d bytes", MaxIdentifierLen)
	}
	if reason := badText(id); reason != "" {
		return errors.New("identifier " + reason)
	}
	return nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// SDKAppID returns the app the client calls (0 for a nil Client).
func (c *Client) SDKAppID() uint64 {
	if c == nil {
		return 0
	}
	return c.sdkAppID
}

// Identifier returns the admin account the client acts as.
func (c *Client) Identifier() string {
	if c == nil {
		return ""
	}
	return c.identifier
}

// BaseURL returns where requests go, e.g. "https://adminapisgp.im.qcloud.com"
// (the primary, when there are standbys: see [WithStandby]).
func (c *Client) BaseURL() string {
	if c == nil {
		return ""
	}
	return c.baseURL
}

// String describes the client without secrets.
func (c *Client) String() string {
	if c == nil {
		return "tim.Client(nil)"
	}
	return fmt.Sprintf("tim.Client{SDKAppID: %d, Identifier: %q, BaseURL: %q}", c.sdkAppID, c.identifier, c.baseURL)
}

// Format prints [Client.String] for every verb, so no verb can reveal a field.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// Close releases the client: it closes the idle connections of the
// transport the client made (not those of a transport passed with
// [WithHTTPClient]), and later calls fail with [ErrClientClosed]. Calls in
// flight finish. Close is safe to call more than once and always returns
// nil.
func (c *Client) Close() error {
	if c == nil || c.wire == nil || c.closed.Swap(true) {
		return nil
	}
	c.wire().closeIdle()
	return nil
}

// ready is the first check of every call: a usable client and a context.
func (c *Client) ready(ctx context.Context, command string) error {
	switch {
	case c == nil:
		return &ValidationError{Command: command, Field: "Client", Reason: "is nil; make one with tim.NewClient"}
	case c.wire == nil:
		return &ValidationError{Command: command, Field: "Client", Reason: "was not made by tim.NewClient"}
	case ctx == nil:
		return &ValidationError{Command: command, Field: "ctx", Reason: "is nil; pass context.Background() or a context with a deadline"}
	case c.closed.Load():
		return &commandError{command, ErrClientClosed}
	}
	return nil
}

// commandError puts the command into the text of a package-level error
// such as ErrClientClosed, which it unwraps to.
type commandError struct {
	command string
	err     error
}

func (e *commandError) Error() string {
	return "tim: " + e.command + ": " + strings.TrimPrefix(e.err.Error(), "tim: ")
}

func (e *commandError) Unwrap() error { return e.err }

// badText says what is wrong with a string the SDK sends as an ID or an
// account, or "": invalid UTF-8 (encoding/json would silently replace the
// bad bytes, and the service would act on another string) or a NUL.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return "holds a NUL byte"
		}
	}
	return ""
}
