package tim

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
)

const (
	// DefaultTimeout bounds each HTTP attempt when [WithTimeout] is not given.
	// The service gives up after about 3 s, so a client timeout must be longer.
	// A deadline on the caller's context always applies as well.
	DefaultTimeout = 10 * time.Second

	// DefaultMaxConcurrency is how many requests one call may have in flight
	// when it splits a large input (see [Client.GetRoleInGroup]).
	DefaultMaxConcurrency = 8

	// MaxResponseBytes is the largest response body the client reads. The
	// service caps its own answers at 1 MB (error 10018).
	MaxResponseBytes = 4 << 20

	// DefaultMaxConns is how many connections to the service the default
	// transport keeps open at most; pass a transport of your own with
	// [WithHTTPClient] for another limit.
	DefaultMaxConns = 64

	// DefaultUserAgent is sent when [WithUserAgent] is not given.
	DefaultUserAgent = "timkit-tim-go"

	groupService = "/v4/group_open_http_svc/"
)

// Client calls the Chat REST API as one app admin. Create it with [NewClient];
// it is safe for concurrent use and should be reused, since it keeps
// connections alive.
//
// Printing a Client shows its app, admin and base URL, never a signature.
type Client struct {
	sdkAppID    uint64
	identifier  string
	signer      UserSigner
	baseURL     string // scheme://host[/prefix], no trailing slash
	endpoint    string // baseURL + groupService
	queryHead   string // "?sdkappid=…&identifier=…"
	http        *resty.Client
	timeout     time.Duration
	logger      *slog.Logger // nil: no logging
	concurrency int
	retry       RetryPolicy // every field set
	limiter     RateLimiter
	escapeSig   func(sig string) string // see newSigEscaper
}

// Option configures a [Client]. Options check their input, and [NewClient]
// returns the first error.
type Option func(*settings) error

type settings struct {
	region      Region
	baseURL     string
	httpClient  *http.Client
	timeout     time.Duration
	logger      *slog.Logger
	userAgent   string
	signer      UserSigner
	secretKey   string
	concurrency int
	retry       RetryPolicy
	limiter     RateLimiter // nil: the default
}

// WithRegion calls the REST API domain of region r.
func WithRegion(r Region) Option {
	return func(s *settings) error {
		if !r.valid() {
			return fmt.Errorf("tim: WithRegion: unknown region %d", int(r))
		}
		s.region = r
		return nil
	}
}

// WithBaseURL calls a base URL other than a region's domain: a standby domain
// such as "https://adminapisgp.my-imcloud.com", a proxy (a path prefix is
// kept), or a local fake. It must be https; plain http is accepted only for a
// loopback address. It must not carry a query.
func WithBaseURL(rawURL string) Option {
	return func(s *settings) error {
		u, err := parseBaseURL(rawURL)
		if err != nil {
			return err
		}
		s.baseURL = u
		return nil
	}
}

// WithSecretKey signs requests with UserSigs made from the app's secret key by
// a [KeySigner] (cached, renewed before expiry). Use it or [WithUserSigner].
func WithSecretKey(key string) Option {
	return func(s *settings) error {
		if key == "" {
			return errors.New("tim: WithSecretKey: key is empty")
		}
		s.secretKey = key
		return nil
	}
}

// WithUserSigner signs requests with UserSigs from signer, e.g.
// [StaticUserSig] or a [KeySigner] shared between clients. Use it or
// [WithSecretKey].
func WithUserSigner(signer UserSigner) Option {
	return func(s *settings) error {
		if signer == nil {
			return errors.New("tim: WithUserSigner: signer is nil")
		}
		s.signer = signer
		return nil
	}
}

// WithHTTPClient sends requests through hc (its transport, proxy and TLS
// settings). The client works on a copy: it never follows redirects, so a
// signed URL is never sent anywhere but the configured host. A transport
// that skips TLS verification is refused. A Timeout on hc bounds each
// attempt like [WithTimeout] (the shorter of the two applies), so an attempt
// that runs out of it is retried as [ErrAttemptTimeout].
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("tim: WithHTTPClient: client is nil")
		}
		if t, ok := hc.Transport.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify {
			return errors.New("tim: WithHTTPClient: TLS verification is disabled (InsecureSkipVerify); the SDK will not send credentials over it")
		}
		s.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each HTTP attempt (default [DefaultTimeout]). It must
// exceed the service's own 3 s limit. A deadline on the caller's context
// applies too, whichever comes first. An attempt that gets no answer in time
// fails with [ErrAttemptTimeout] and is retried like a dropped connection
// (see [RetryPolicy]); when the caller's deadline passes the call ends with
// an error matching [context.DeadlineExceeded].
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 3*time.Second {
			return fmt.Errorf("tim: WithTimeout: %s is not longer than the service's 3 s limit", d)
		}
		s.timeout = d
		return nil
	}
}

// WithLogger logs one record per attempt (every request sent, retries
// included), with the message "tim request" and these attributes:
//
//	command      the REST command, e.g. "get_role_in_group"
//	attempt      1 for the first request of a call, 2 for its first retry, ...
//	duration     how long the attempt took
//	outcome      ok, api_error, http_error, decode_error or transport_error
//	error_code   the service's code, for an api_error
//	http_status  the status, for an http_error
//	will_retry   whether the client sends the request again (on failures)
//	retry_reason transient, rate_limited or new_signature (when it will retry)
//	retry_in     the backoff before the next attempt (when it will retry)
//
// Levels: Debug on success, Info for a failure that will be retried, Warn
// for the failure a call returns. Records never hold the URL's query, a
// body, the secret key or a UserSig. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("tim: WithLogger: logger is nil")
		}
		s.logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default [DefaultUserAgent]).
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return errors.New("tim: WithUserAgent: empty or multi-line user agent")
		}
		s.userAgent = ua
		return nil
	}
}

// WithMaxConcurrency bounds the requests one call keeps in flight when it
// splits a large input (default [DefaultMaxConcurrency]).
func WithMaxConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("tim: WithMaxConcurrency: %d is less than 1", n)
		}
		s.concurrency = n
		return nil
	}
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
// says, and calls of each command are paced to the service's limit of 200 a
// second ([DefaultRateLimit], [DefaultRateBurst], [WithRateLimit]).
func NewClient(sdkAppID uint64, identifier string, opts ...Option) (*Client, error) {
	if sdkAppID == 0 {
		return nil, errors.New("tim: NewClient: SDKAppID is zero")
	}
	if identifier == "" || len(identifier) > MaxIdentifierLen {
		return nil, fmt.Errorf("tim: NewClient: identifier must be 1 to %d bytes", MaxIdentifierLen)
	}
	var s settings
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("tim: NewClient: nil option")
		}
		if err := o(&s); err != nil {
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
	c.endpoint = c.baseURL + groupService
	c.escapeSig = newSigEscaper()
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
	c.http = resty.NewWithClient(httpClientFrom(s.httpClient)).
		SetLogger(silentLogger{}).
		SetDisableWarn(true).
		SetHeader("Content-Type", "application/json").
		SetHeader("Accept", "application/json"). // set once here, not by resty on every request
		SetHeader("User-Agent", orDefault(s.userAgent, DefaultUserAgent))
	return c, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// httpClientFrom returns the *http.Client the SDK sends through: a copy of
// the caller's, or one with a keep-alive pool sized for many concurrent
// callers. resty.NewWithClient is used rather than resty.New, whose cookie jar
// costs time on every call and has no use here.
//
// The default transport keeps at most DefaultMaxConns connections to the
// service, idle or busy: past that, callers wait for a free one rather than
// dial more. The service takes 200 calls per second per command, which 64
// connections carry at round trips up to 300 ms; without the cap, callers
// that start together dial more than they end up using (BENCHMARKS.md, goal 5).
func httpClientFrom(user *http.Client) *http.Client {
	var hc http.Client
	if user != nil {
		hc = *user
	}
	if hc.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = DefaultMaxConns
		t.MaxConnsPerHost = DefaultMaxConns
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		hc.Transport = t
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Timeout = 0 // NewClient folds it into the per-attempt timeout
	return &hc
}

// silentLogger drops resty's own log lines: they print full request URLs,
// which carry the UserSig. The client logs each request itself through slog.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}

// SDKAppID returns the app the client calls.
func (c *Client) SDKAppID() uint64 { return c.sdkAppID }

// Identifier returns the admin account the client acts as.
func (c *Client) Identifier() string { return c.identifier }

// BaseURL returns where requests go, e.g. "https://adminapisgp.im.qcloud.com".
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the client without secrets.
func (c *Client) String() string {
	return fmt.Sprintf("tim.Client{SDKAppID: %d, Identifier: %q, BaseURL: %q}", c.sdkAppID, c.identifier, c.baseURL)
}

// Format prints [Client.String] for every verb, so no verb can reveal a field.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// envelope is the part every response shares.
type envelope struct {
	ActionStatus string    `json:"ActionStatus"`
	ErrorCode    ErrorCode `json:"ErrorCode"`
	ErrorInfo    string    `json:"ErrorInfo"`
	ErrorDisplay string    `json:"ErrorDisplay"`
	RequestID    string    `json:"RequestId"`
}

func (e *envelope) head() *envelope { return e }

// response is a decoded response body; every one embeds envelope.
type response interface{ head() *envelope }

// call sends one command and decodes its answer into out, retrying as the
// client's RetryPolicy says (see [RetryPolicy] for what is retried and why).
// Every attempt waits for the rate limiter, asks the signer for a UserSig
// and builds a new URL with a fresh random; out is reset before each retry so
// nothing of a failed attempt's answer survives.
func (c *Client) call(ctx context.Context, command string, in any, out response) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("tim: %s: encode request: %w", command, err)
	}
	var (
		last     error // the previous attempt's failure
		budget   = c.retry.MaxAttempts
		retries  int  // backoff retries so far
		renewed  bool // the one resend with a new UserSig was made
		attempts int
	)
	for {
		if err := c.limiter.Wait(ctx, command); err != nil {
			if last != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				// The deadline comes before the limiter's turn: the last
				// failure is the news, not a deadline that has not passed.
				setAttempts(last, attempts)
				return last
			}
			return stopped(command, "waiting for the rate limiter", err, attempts, last)
		}
		if last != nil {
			reflect.ValueOf(out).Elem().SetZero() // decode the retry into a clean value
		}
		sig, err := c.signer.UserSig(ctx)
		if err != nil {
			return stopped(command, "getting a UserSig", err, attempts, last)
		}
		attempts++
		start := time.Now()
		err = c.send(ctx, command, sig, body, out)
		took := time.Since(start)
		if err == nil {
			c.logAttempt(ctx, command, attempts, took, nil, noRetry, 0)
			return nil
		}

		why := retryReasonFor(command, err, c.retry.RetryNonIdempotent)
		var wait time.Duration
		switch why {
		case retryNewUserSig:
			inv, ok := c.signer.(Invalidator)
			if !ok || renewed {
				why = noRetry
				break
			}
			renewed = true
			budget++ // the resend with a new UserSig is not a retry of a failure
			inv.Invalidate(sig)
		case retryTransient, retryRateLimited:
			if attempts >= budget {
				why = noRetry
				break
			}
			wait = c.retry.backoff(why, retries+1)
			if !fitsDeadline(ctx, wait) {
				why = noRetry // the deadline would pass during the backoff
			}
		}
		if ctx.Err() != nil {
			why = noRetry
		}
		c.logAttempt(ctx, command, attempts, took, err, why, wait)
		if why == noRetry {
			setAttempts(err, attempts)
			return err
		}
		if why != retryNewUserSig {
			retries++
		}
		last = err
		if !sleep(ctx, wait) {
			return stopped(command, "waiting to retry", ctx.Err(), attempts, last)
		}
	}
}

// send makes one HTTP attempt signed with sig: POST, read, decode.
func (c *Client) send(ctx context.Context, command, sig string, body []byte, out response) error {
	attemptCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	// A *bytes.Reader, not the []byte: resty hands a reader to the request
	// as it is, where it would copy a []byte twice (BENCHMARKS.md, goal 1).
	resp, err := c.http.R().
		SetContext(attemptCtx).
		SetBody(bytes.NewReader(body)).
		SetDoNotParseResponse(true).
		Post(c.requestURL(command, sig))
	if err != nil {
		return c.exchangeError(ctx, attemptCtx, command, sig, err)
	}
	raw := resp.RawBody()
	defer raw.Close()
	if resp.StatusCode() != http.StatusOK {
		// Drain a little so the connection can be reused; the body is not kept.
		io.Copy(io.Discard, io.LimitReader(raw, 64<<10))
		return &HTTPError{Command: command, StatusCode: resp.StatusCode(), ContentType: resp.Header().Get("Content-Type")}
	}
	buf := bodyBuffers.Get().(*[]byte)
	defer putBodyBuffer(buf)
	data, err := readBody(raw, (*buf)[:0])
	*buf = data
	if err != nil {
		return c.exchangeError(ctx, attemptCtx, command, sig, err)
	}
	if len(data) > MaxResponseBytes {
		return &DecodeError{Command: command, Err: fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, MaxResponseBytes)}
	}
	return decodeResponse(command, data, out)
}

// bodyBuffers holds buffers for response bodies. A body is only decoded
// (decoding copies every string), never kept, so its buffer can serve the
// next response.
var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// maxPooledBody is the largest buffer put back in bodyBuffers (a 500-account
// get_role_in_group answer is about 30 kB), so a rare large body is not kept.
const maxPooledBody = 64 << 10

func putBodyBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBody {
		*b = (*b)[:0]
		bodyBuffers.Put(b)
	}
}

// readBody appends r's content to buf until EOF, reading at most
// MaxResponseBytes+1 bytes, so that a longer body is seen as too long
// without reading it all. It is io.ReadAll with io.LimitReader without their
// allocations.
func readBody(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow
		}
		space := buf[len(buf):cap(buf)]
		if rest := MaxResponseBytes + 1 - len(buf); len(space) > rest {
			space = space[:rest]
		}
		n, err := r.Read(space)
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF || len(buf) > MaxResponseBytes:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
}

// decodeResponse fills out from a response body and turns a failed envelope
// into an *APIError. A failed envelope wins over a payload that does not
// decode: the code is what the caller needs.
func decodeResponse(command string, data []byte, out response) error {
	err := json.Unmarshal(data, out)
	env := out.head()
	if err != nil {
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &DecodeError{Command: command, Err: err}
		}
		// Decoding may have stopped before the envelope fields: read them alone.
		var only envelope
		if json.Unmarshal(data, &only) != nil || !only.failed() {
			return &DecodeError{Command: command, Err: err}
		}
		env = &only
	}
	if env.ActionStatus == "" {
		return &DecodeError{Command: command, Err: errors.New("no ActionStatus in the body")}
	}
	if env.failed() {
		return &APIError{
			Command:      command,
			ActionStatus: env.ActionStatus,
			Code:         env.ErrorCode,
			Info:         env.ErrorInfo,
			Display:      env.ErrorDisplay,
			RequestID:    env.RequestID,
		}
	}
	return nil
}

func (e *envelope) failed() bool {
	return e.ActionStatus != "" && (e.ActionStatus != "OK" || e.ErrorCode != 0)
}

// requestURL builds the signed URL of one attempt, with a fresh random.
func (c *Client) requestURL(command, sig string) string {
	esc := c.escapeSig(sig)
	var b strings.Builder
	b.Grow(len(c.endpoint) + len(command) + len(c.queryHead) + len(esc) + 48)
	b.WriteString(c.endpoint)
	b.WriteString(command)
	b.WriteString(c.queryHead)
	b.WriteString("&usersig=")
	b.WriteString(esc)
	b.WriteString("&random=")
	var num [10]byte
	b.Write(strconv.AppendUint(num[:0], uint64(rand.Uint32()), 10))
	b.WriteString("&contenttype=json")
	return b.String()
}

// escapedSig is a UserSig and its query-escaped form.
type escapedSig struct{ sig, escaped string }

// newSigEscaper returns a function that escapes a UserSig for a query value.
// A signer hands out the same signature for hours, so it keeps the last one:
// escaping it byte by byte on every request cost about 4% of the client's
// CPU per call (BENCHMARKS.md, goal 5). The signature lives in the closure,
// out of reach of fmt and reflection-based printers, and it is safe for
// concurrent use.
func newSigEscaper() func(sig string) string {
	var last atomic.Pointer[escapedSig]
	return func(sig string) string {
		if e := last.Load(); e != nil && e.sig == sig {
			return e.escaped
		}
		var b strings.Builder
		b.Grow(len(sig) + 16)
		writeQueryEscaped(&b, sig)
		e := &escapedSig{sig: sig, escaped: b.String()}
		last.Store(e)
		return e.escaped
	}
}

// writeQueryEscaped writes s escaped for a query value (like url.QueryEscape,
// without allocating).
func writeQueryEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			ch == '-', ch == '_', ch == '.', ch == '~':
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
}

// exchangeError types a failure to send a request or read its answer. ctx is
// the caller's context and attemptCtx the attempt's (ctx with the
// per-attempt timeout). When ctx is done the error matches ctx.Err(), even
// if net/http reported a cause set on ctx; when only the attempt's timeout
// passed it matches ErrAttemptTimeout and not context.DeadlineExceeded, so
// it can be told apart (and retried).
func (c *Client) exchangeError(ctx, attemptCtx context.Context, command, sig string, err error) error {
	te := transportError(command, sig, err)
	switch {
	case ctx.Err() != nil:
		if !errors.Is(te.Err, ctx.Err()) {
			te.Err = fmt.Errorf("%w (%w)", ctx.Err(), te.Err)
		}
	case attemptCtx.Err() != nil:
		te.Err = fmt.Errorf("%w (%s)", ErrAttemptTimeout, c.timeout)
	}
	return te
}

// transportError wraps a failure to exchange a request, without the request
// URL: net/http's *url.Error prints it, query and UserSig included. A
// transport of the caller's (WithHTTPClient) might still quote the URL or the
// signature in its own error; such a message is withheld.
func transportError(command, sig string, err error) *TransportError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	unsent := notSent(err)
	if msg := err.Error(); strings.Contains(msg, "usersig=") || strings.Contains(msg, sig) || strings.Contains(msg, url.QueryEscape(sig)) {
		err = &withheldError{err}
	}
	return &TransportError{Command: command, Err: err, notSent: unsent}
}

// withheldError hides the text of an error that quoted a secret, and keeps
// it reachable for errors.Is (a context error, say) without printing it.
type withheldError struct{ err error }

func (w *withheldError) Error() string {
	return "request failed (details withheld: they quoted the signed URL)"
}

func (w *withheldError) Is(target error) bool {
	return target == context.Canceled && errors.Is(w.err, context.Canceled) ||
		target == context.DeadlineExceeded && errors.Is(w.err, context.DeadlineExceeded)
}

// logAttempt writes the one record of an attempt: see WithLogger.
func (c *Client) logAttempt(ctx context.Context, command string, attempt int, d time.Duration, err error, why retryReason, wait time.Duration) {
	if c.logger == nil {
		return
	}
	level := slog.LevelDebug
	switch {
	case err != nil && why != noRetry:
		level = slog.LevelInfo
	case err != nil:
		level = slog.LevelWarn
	}
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("command", command),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	)
	if err == nil {
		attrs = append(attrs, slog.String("outcome", "ok"))
		c.logger.LogAttrs(ctx, level, "tim request", attrs...)
		return
	}
	attrs = append(attrs, slog.String("outcome", outcomeOf(err)))
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		attrs = append(attrs, slog.Int("error_code", int(apiErr.Code)))
	}
	var httpErr *HTTPError
	if errors.As(err, &httpErr) {
		attrs = append(attrs, slog.Int("http_status", httpErr.StatusCode))
	}
	attrs = append(attrs, slog.Bool("will_retry", why != noRetry))
	if why != noRetry {
		attrs = append(attrs, slog.String("retry_reason", why.String()), slog.Duration("retry_in", wait))
	}
	c.logger.LogAttrs(ctx, level, "tim request", attrs...)
}

// outcomeOf names the kind of failure for a log record.
func outcomeOf(err error) string {
	var (
		apiErr    *APIError
		httpErr   *HTTPError
		decodeErr *DecodeError
		transErr  *TransportError
	)
	switch {
	case errors.As(err, &apiErr):
		return "api_error"
	case errors.As(err, &httpErr):
		return "http_error"
	case errors.As(err, &decodeErr):
		return "decode_error"
	case errors.As(err, &transErr):
		return "transport_error"
	default:
		return "error"
	}
}
