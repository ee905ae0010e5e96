package timtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/timkit/tim/callback"
)

// Limits of the fake's callback sender.
const (
	// maxQueuedCallbacks bounds the callbacks waiting for delivery.
	maxQueuedCallbacks = 1000
	// afterTimeout bounds one after-event delivery (the docs give none).
	afterTimeout = 5 * time.Second
	// beforeTimeout bounds a before-event: the documented 2 s of message
	// before-callbacks, assumed for topics too.
	beforeTimeout = 2 * time.Second
	// maxReplyBytes bounds the answer read from the app.
	maxReplyBytes = 64 << 10
)

// WithCallback makes the fake send the service's third-party callbacks to
// url, the app's callback URL as set in the console, signed with token (the
// console's callback token): a POST of the documented JSON body to
//
//	url?SdkAppid=…&CallbackCommand=…&contenttype=json&ClientIP=…&OptPlatform=RESTAPI&Sign=…&RequestTime=…
//
// with Sign = callback.Sign(token, RequestTime) and RequestTime from the
// fake's clock ([WithClock]), which a [callback.Handler] verifies. An empty
// token sends them unsigned (no Sign, no RequestTime), as the service does
// with the console's authentication off.
//
// After-event callbacks are queued as the REST calls that cause them
// succeed and sent after the call is answered, one at a time in order;
// [Server.WaitCallbacks] waits for them and [Server.Callbacks] lists them
// with the app's answers. Alert.RequestOverLimit is sent when a command's
// calls in a second pass 80% of [WithRateLimit]'s n. A before-event
// (Group.CallbackBeforeCreateTopic) is sent before the REST command runs,
// and the app's answer decides: ErrorCode 0 goes on, 1 fails the call with
// 10016, a code from 10100 to 10200 fails it with that code and ErrorInfo.
// A before-callback that cannot be delivered or answered lets the call go
// on (inferred: the docs do not say).
//
// url must be http or https; the fake follows no redirects. Delivery uses
// its own HTTP client, or the one of [WithCallbackHTTPClient].
func WithCallback(url, token string) Option {
	return func(s *Server) {
		var sign func(int64) string
		if token != "" {
			sign = func(t int64) string { return callback.Sign(token, t) }
		}
		s.cb = &callbacks{url: url, sign: sign}
	}
}

// callbackOptions are the settings of WithCallbackHTTPClient and
// WithCallbackLog.
type callbackOptions struct {
	client func() *http.Client // nil: the fake's own; a closure, as callbacks.client
	log    io.Writer
}

// WithCallbackHTTPClient sends callbacks with hc, for an app served over
// TLS by a test server: timtest.WithCallbackHTTPClient(tlsServer.Client()).
// Its CheckRedirect is replaced so that no redirect is followed; nil
// keeps the fake's own client.
func WithCallbackHTTPClient(hc *http.Client) Option {
	return func(s *Server) {
		if hc == nil {
			s.cbOpts.client = nil
			return
		}
		c := *hc
		c.CheckRedirect = noRedirects
		s.cbOpts.client = func() *http.Client { return &c }
	}
}

// WithCallbackLog writes one line to w for each callback sent: its command
// and the app's answer, or why it failed (never the Sign). The timfake
// command logs to stderr.
func WithCallbackLog(w io.Writer) Option {
	return func(s *Server) { s.cbOpts.log = w }
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newCallbackClient is the fake's own client for callbacks.
func newCallbackClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second,
		TLSHandshakeTimeout: 5 * time.Second}, CheckRedirect: noRedirects}
}

// Callback is a callback the fake sent, or tried to send.
type Callback struct {
	// Command is the CallbackCommand.
	Command string
	// URL is the URL it was posted to, with Sign shown as [redacted].
	URL string
	// Body is the JSON body.
	Body []byte
	// RequestTime is when it was sent, by the fake's clock; zero if it
	// never was.
	RequestTime time.Time
	// Status is the HTTP status of the app's answer, 0 without one.
	Status int
	// ActionStatus, ErrorCode and ErrorInfo are the app's answer.
	ActionStatus string
	ErrorCode    int
	ErrorInfo    string
	// Err is why the delivery failed: never sent (queue full, server
	// closed, a bad URL), no answer, a status other than 200, an answer
	// that is not the JSON envelope, or ActionStatus other than "OK". It
	// is nil for an answered before-event that denied.
	Err error
}

// Callbacks returns the callbacks sent or dropped so far, in the order they
// were finished.
func (s *Server) Callbacks() []Callback {
	c := s.cb
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.records)
}

// ResetCallbacks forgets the callbacks recorded so far.
func (s *Server) ResetCallbacks() {
	if c := s.cb; c != nil {
		c.mu.Lock()
		c.records = nil
		c.mu.Unlock()
	}
}

// WaitCallbacks waits until every callback queued so far has been sent and
// answered, or dropped, and returns the failures among the recorded ones
// (each Callback's Err, joined), or ctx's error. A REST call's callbacks
// are queued before its answer, so once a call has returned, WaitCallbacks
// covers its callbacks. Do not call it from the app's callback handler: it
// would wait for itself.
func (s *Server) WaitCallbacks(ctx context.Context) error {
	c := s.cb
	if c == nil {
		return nil
	}
	for {
		c.mu.Lock()
		if c.pending == 0 {
			var errs []error
			for _, r := range c.records {
				errs = append(errs, r.Err)
			}
			c.mu.Unlock()
			return errors.Join(errs...)
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// callbacks sends a Server's callbacks: a queue and one goroutine that
// delivers its entries in order.
type callbacks struct {
	app  uint64
	url  string
	sign func(requestTime int64) string // nil: unsigned; the token lives only in it
	// client is reached through a closure: a pooled connection's buffers
	// keep the signed URLs it sent, which a printer of the Server must not
	// reach.
	client func() *http.Client
	now    func() time.Time
	log    io.Writer
	queue  chan *delivery
	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has ended

	mu      sync.Mutex
	closed  bool
	records []Callback
	pending int           // queued or being sent
	changed chan struct{} // closed and replaced each time a delivery ends

	origin *origin // the REST request being handled; guarded by Server.mu
}

// delivery is one queued callback.
type delivery struct {
	command  string
	body     []byte
	clientIP string
	after    <-chan struct{} // closed when the REST call is answered; nil: at once
}

// startCallbacks starts the sender, if WithCallback asked for one.
func (s *Server) startCallbacks() {
	c := s.cb
	if c == nil {
		return
	}
	c.app, c.now, c.log = s.sdkAppID, s.now, s.cbOpts.log
	c.client = s.cbOpts.client
	if c.client == nil {
		hc := newCallbackClient()
		c.client = func() *http.Client { return hc }
	}
	c.queue = make(chan *delivery, maxQueuedCallbacks)
	c.changed = make(chan struct{})
	c.done = make(chan struct{})
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.run()
}

// stopCallbacks ends the sender: the delivery under way is cancelled and
// the queued ones are recorded as dropped. It is idempotent.
func (s *Server) stopCallbacks() {
	c := s.cb
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	<-c.done
	for {
		select {
		case d := <-c.queue:
			c.finish(d.dropped("the fake was closed first"))
		default:
			if s.cbOpts.client == nil {
				c.client().CloseIdleConnections()
			}
			return
		}
	}
}

// enqueue queues d, or records it as dropped when the queue is full or the
// sender stopped. It never blocks.
func (c *callbacks) enqueue(d *delivery) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		c.records = append(c.records, d.dropped("the fake was closed first"))
		return
	}
	select {
	case c.queue <- d:
		c.pending++
	default:
		c.records = append(c.records, d.dropped(fmt.Sprintf("%d callbacks were waiting", maxQueuedCallbacks)))
	}
}

// run delivers the queue in order until the sender stops.
func (c *callbacks) run() {
	defer close(c.done)
	for {
		select {
		case <-c.ctx.Done():
			return
		case d := <-c.queue:
			if c.ctx.Err() != nil {
				c.finish(d.dropped("the fake was closed first"))
				return
			}
			if d.after != nil {
				select {
				case <-d.after:
				case <-c.ctx.Done():
					c.finish(d.dropped("the fake was closed first"))
					return
				}
			}
			c.finish(c.send(d, afterTimeout))
		}
	}
}

// finish records a queued delivery's outcome.
func (c *callbacks) finish(rec Callback) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, rec)
	c.pending--
	close(c.changed)
	c.changed = make(chan struct{})
}

// dropped is the record of a callback never sent.
func (d *delivery) dropped(why string) Callback {
	return Callback{Command: d.command, Body: d.body, Err: fmt.Errorf("timtest: callback %s not sent: %s", d.command, why)}
}

// target returns the URL of d, signed for requestTime, and the same URL
// with the Sign redacted.
func (c *callbacks) target(d *delivery, requestTime int64) (signed, shown string) {
	q := "SdkAppid=" + strconv.FormatUint(c.app, 10) + "&CallbackCommand=" + url.QueryEscape(d.command)
	if d.command == callback.CommandRequestOverLimit {
		q += "&OptPlatform=RESTAPI&contenttype=json" // the alert's documented order, no ClientIP
	} else {
		q += "&contenttype=json&ClientIP=" + url.QueryEscape(d.clientIP) + "&OptPlatform=RESTAPI"
	}
	sep := "?"
	if strings.Contains(c.url, "?") {
		sep = "&"
	}
	base := c.url + sep + q
	if c.sign == nil {
		return base, base
	}
	rt := "&RequestTime=" + strconv.FormatInt(requestTime, 10)
	return base + "&Sign=" + c.sign(requestTime) + rt, base + "&Sign=[redacted]" + rt
}

// send posts d within timeout and returns its record.
func (c *callbacks) send(d *delivery, timeout time.Duration) Callback {
	now := c.now()
	signed, shown := c.target(d, now.Unix())
	rec := Callback{Command: d.command, URL: shown, Body: d.body, RequestTime: now}
	rec.Err = c.post(signed, d, timeout, &rec)
	if rec.Err != nil {
		// Nothing of the signed URL stays in the record: the error text is
		// copied, with the Sign cut out should a transport quote it.
		msg := strings.ReplaceAll(rec.Err.Error(), signed, shown)
		if c.sign != nil {
			msg = strings.ReplaceAll(msg, c.sign(now.Unix()), "[redacted]")
		}
		rec.Err = errors.New(msg)
	}
	c.logf(&rec)
	return rec
}

// post sends d to target and fills rec with the answer.
func (c *callbacks) post(target string, d *delivery, timeout time.Duration, rec *Callback) error {
	if u, err := url.Parse(c.url); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("timtest: callback %s not sent: the callback URL must be http:// or https:// and name a host", d.command)
	}
	ctx, cancel := context.WithTimeout(c.ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(d.body))
	if err != nil {
		return fmt.Errorf("timtest: callback %s not sent: %w", d.command, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its URL is the signed one
		}
		return fmt.Errorf("timtest: callback %s: no answer: %w", d.command, err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	rec.Status = resp.StatusCode
	var env struct {
		ActionStatus *string
		ErrorCode    int
		ErrorInfo    string
	}
	decodeErr := json.Unmarshal(reply, &env)
	if env.ActionStatus != nil {
		rec.ActionStatus, rec.ErrorCode, rec.ErrorInfo = *env.ActionStatus, env.ErrorCode, env.ErrorInfo
	}
	switch {
	case err != nil:
		return fmt.Errorf("timtest: callback %s: reading the answer: %w", d.command, err)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("timtest: callback %s: HTTP %d %.200q", d.command, resp.StatusCode, reply)
	case decodeErr != nil || env.ActionStatus == nil:
		return fmt.Errorf("timtest: callback %s: the answer is not the JSON envelope: %.200q", d.command, reply)
	case rec.ActionStatus != "OK":
		return fmt.Errorf("timtest: callback %s: ActionStatus %q, ErrorCode %d, ErrorInfo %q", d.command, rec.ActionStatus, rec.ErrorCode, rec.ErrorInfo)
	}
	return nil
}

// logf writes rec's line to the callback log, if any.
func (c *callbacks) logf(rec *Callback) {
	if c.log == nil {
		return
	}
	if rec.Err != nil {
		fmt.Fprintf(c.log, "timtest: callback %s failed: %v\n", rec.Command, rec.Err)
		return
	}
	fmt.Fprintf(c.log, "timtest: callback %s: %d %s %d\n", rec.Command, rec.Status, rec.ActionStatus, rec.ErrorCode)
}
