package tim

import (
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-resty/resty/v2"
)

// The transport stack of a client, from the top:
//
//	resty → http.Client (never follows redirects)
//	      → the caller's middleware ([WithMiddleware]), outermost first
//	      → signingTransport: puts the real UserSig into the URL, and takes it out of
//	        whatever comes back
//	      → the base transport: the caller's ([WithHTTPClient]) or the
//	        client's own (a tuned clone of http.DefaultTransport)
//
// Above the signer every URL carries a placeholder instead of the UserSig,
// so resty, net/http's errors and the middleware never see it.

// wire is what sends a client's requests; the Client reaches it only
// through a closure (see Client.wire).
type wire struct {
	rest      *resty.Client
	closeIdle func()
}

func newWire(s *settings) *wire {
	w := &wire{closeIdle: func() {}}
	dt := newDefaultTransport()
	if dt.tuned != nil {
		w.closeIdle = dt.tuned.CloseIdleConnections
	}
	var base http.RoundTripper = dt
	if s.httpClient != nil {
		// The caller's transport as it is at each request; the default one
		// while it is nil (httpmock.ActivateNonDefault may set it later,
		// DeactivateAndReset set it back to nil).
		base = callerTransport{hc: s.httpClient, fallback: dt}
	}
	var rt http.RoundTripper = signingTransport{base}
	for i := len(s.middleware) - 1; i >= 0; i-- {
		rt = s.middleware[i](rt)
	}
	hc := &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	// resty.NewWithClient rather than resty.New, whose cookie jar costs
	// time on every call and has no use here. Its own log lines are
	// dropped: the client logs each attempt itself.
	w.rest = resty.NewWithClient(hc).
		SetLogger(silentLogger{}).
		SetDisableWarn(true).
		SetHeader("Content-Type", "application/json").
		SetHeader("Accept", "application/json"). // set once here, not by resty on every request
		SetHeader("User-Agent", orDefault(s.userAgent, DefaultUserAgent))
	return w
}

// defaultTransport sends through http.DefaultTransport: through a tuned
// clone of it while it is the standard library's *http.Transport, and
// through whatever RoundTripper the program installs there instead
// (httpmock.Activate, an instrumentation wrapper), before or after the
// client was made.
//
// The clone keeps up to 2 × DefaultMaxInFlight idle connections to the
// service and does not cap busy ones: the client caps the requests in
// flight per command itself ([WithMaxInFlight]), before each request's turn
// at the rate limiter, so a request never waits for a connection after its
// turn (BENCHMARKS.md, goal 5, and the rate-limit tests).
type defaultTransport struct {
	orig  http.RoundTripper // http.DefaultTransport when the client was made
	tuned *http.Transport   // its tuned clone; nil when it was not an *http.Transport
}

func newDefaultTransport() *defaultTransport {
	dt := &defaultTransport{orig: http.DefaultTransport}
	if std, ok := dt.orig.(*http.Transport); ok {
		t := std.Clone()
		t.MaxIdleConns = 4 * DefaultMaxInFlight
		t.MaxIdleConnsPerHost = 2 * DefaultMaxInFlight
		t.MaxConnsPerHost = 0
		// Keep the program's TLS settings (its root CAs, say), but never
		// without verification, and TLS 1.2 at least.
		cfg := t.TLSClientConfig
		if cfg == nil {
			cfg = &tls.Config{}
		}
		cfg.InsecureSkipVerify = false
		cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS12)
		t.TLSClientConfig = cfg
		dt.tuned = t
	}
	return dt
}

func (t *defaultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	cur := http.DefaultTransport
	if t.tuned != nil && cur == t.orig {
		return t.tuned.RoundTrip(r)
	}
	return roundTrip(cur, r)
}

// callerTransport sends through the caller's http.Client's transport as it
// is at each request, so that a transport swapped in after NewClient
// (httpmock.ActivateNonDefault) is used.
type callerTransport struct {
	hc       *http.Client
	fallback http.RoundTripper // while hc.Transport is nil
}

func (t callerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt := t.hc.Transport
	if rt == nil {
		rt = t.fallback
	}
	return roundTrip(rt, r)
}

// roundTrip sends r through rt, refusing a transport without TLS
// verification.
func roundTrip(rt http.RoundTripper, r *http.Request) (*http.Response, error) {
	switch {
	case rt == nil:
		return nil, errors.New("tim: no transport (http.DefaultTransport is nil)")
	case skipsVerify(rt):
		return nil, errInsecureTransport
	}
	return rt.RoundTrip(r)
}

var errInsecureTransport = errors.New("tim: the transport skips TLS verification (InsecureSkipVerify); the SDK will not send credentials over it")

func skipsVerify(rt http.RoundTripper) bool {
	t, ok := rt.(*http.Transport)
	return ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify
}

// signingTransport is the layer just above the base transport. It signs the
// request the client built for an attempt, once: it replaces the UserSig
// placeholder in a copy of the URL with the real, escaped UserSig (from the
// request's context) and records what happens on the wire (see
// sendStateOf). Any other request passes unsigned: one a middleware makes of
// its own with the client's context, placeholder included, is never signed
// (see attemptInfo.claim). Nothing it hands back up holds the signature:
// the response points at the request it was given, its body's errors and
// the transport's errors are scrubbed (see scrubBelow).
type signingTransport struct{ base http.RoundTripper }

func (s signingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	a := attemptOf(r.Context())
	if a == nil || !a.claim(r) {
		return s.base.RoundTrip(r) // not the client's request for this attempt
	}
	f := a.forms()
	signed := r.WithContext(a.traced(r.Context())) // shallow; r itself is not modified
	u := *r.URL
	u.RawQuery = strings.Replace(u.RawQuery, sigPlaceholder, "usersig="+f.query, 1)
	signed.URL = &u
	resp, err := s.base.RoundTrip(signed)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, scrubBelow(err, f)
	}
	resp.Request = r
	if resp.Body != nil {
		// The body leads back, through its connection, to the transport
		// and the signed request: keep it where reflection cannot follow.
		body := resp.Body
		resp.Body = hiddenBody(func() (io.ReadCloser, *sigForms) { return body, f })
	}
	return resp, nil
}

// hiddenBody is a response body behind a function, which reflection-based
// printers (spew, testify) do not enter. A read error, which comes from
// below the signing layer, is scrubbed as the transport's are.
type hiddenBody func() (io.ReadCloser, *sigForms)

func (b hiddenBody) Read(p []byte) (int, error) {
	body, f := b()
	n, err := body.Read(p)
	if err != nil && err != io.EOF { //nolint:errorlint // Read returns io.EOF itself; anything else, a wrapped EOF too, is scrubbed
		err = scrubBelow(err, f)
	}
	return n, err
}

func (b hiddenBody) Close() error {
	body, _ := b()
	return body.Close()
}

// silentLogger drops resty's own log lines.
type silentLogger struct{}

func (silentLogger) Errorf(string, ...any) {}
func (silentLogger) Warnf(string, ...any)  {}
func (silentLogger) Debugf(string, ...any) {}
