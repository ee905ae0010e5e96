package tim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"time"
)

// envelope is the part every response shares.
type envelope struct {
	ActionStatus string    `json:"ActionStatus"`
	ErrorCode    ErrorCode `json:"ErrorCode"`
	ErrorInfo    string    `json:"ErrorInfo"`
	ErrorDisplay string    `json:"ErrorDisplay"`
	RequestID    string    `json:"RequestId"`
}

func (e *envelope) head() *envelope { return e }

func (e *envelope) failed() bool {
	return e.ActionStatus != "" && (e.ActionStatus != "OK" || e.ErrorCode != 0)
}

// response is a decoded response body; every one embeds envelope.
type response interface{ head() *envelope }

// call sends one of the SDK's commands with in as its body and decodes its
// answer into out: exchange on the command's route. The caller has checked
// c.ready.
func (c *Client) call(ctx context.Context, command string, in any, out response) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("tim: %s: encode request: %w", command, err)
	}
	return c.exchange(ctx, routeOf(command), body, out)
}

// exchange sends body as a request of route r and decodes the answer into
// out, retrying as the client's RetryPolicy says (see [RetryPolicy] for
// what is retried and why). Every attempt is made anew (see attempt): a
// place, a turn at the rate limiter, a UserSig, a URL with a fresh random.
// It is the one raw call every command goes through, Client.Do included.
func (c *Client) exchange(ctx context.Context, r *route, body []byte, out response) error {
	command := r.command
	var (
		last     error // the previous attempt's failure
		budget   = c.retry.MaxAttempts
		retries  int  // backoff retries so far
		renewed  bool // the one resend with a new UserSig was made
		moves    int  // moves to another base URL (see WithStandby)
		attempts int
	)
	for {
		ep := c.endpoints.pick()
		sig, took, stage, err := c.attempt(ctx, r, ep, body, out, last != nil)
		if stage != "" {
			c.endpoints.unused(ep)
			if stage == waitLimiter && last != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
				// The deadline comes before the limiter's turn: the last
				// failure is the news, not a deadline that has not passed.
				setAttempts(last, attempts)
				return last
			}
			return stopped(command, stage, err, attempts, last)
		}
		attempts++
		move := c.endpoints.done(ctx, ep, err)
		if err == nil {
			c.logAttempt(ctx, r, attempts, took, nil, noRetry, 0)
			return nil
		}
		if move && moves < len(c.endpoints.urls) && ctx.Err() == nil {
			// Nothing was sent: the request moves, and it is not a retry.
			moves++
			budget++
			c.logAttempt(ctx, r, attempts, took, err, retryStandby, 0)
			last = err
			continue
		}

		why := retryReasonFor(r, err, c.retry.RetryNonIdempotent)
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
		c.logAttempt(ctx, r, attempts, took, err, why, wait)
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

// What an attempt that ended before sending was waiting for.
const (
	waitPlace   = "waiting for a request slot"
	waitLimiter = "waiting for the rate limiter"
	waitSigner  = "getting a UserSig"
)

// attempt makes one attempt: it takes one of the command's in-flight places,
// then its turn at the rate limiter (the place first: a turn taken while
// waiting for a connection would be spent late, together with others), gets
// a UserSig and sends. The place is given back however the attempt ends, a
// panic in the caller's transport, limiter or signer included. An attempt
// that ended before sending returns what it was waiting for as stage. reset
// clears out first, so that nothing of a failed attempt's answer survives.
func (c *Client) attempt(ctx context.Context, r *route, ep int, body []byte, out response, reset bool) (sig string, took attemptTimes, stage string, err error) {
	returned := false
	defer func() {
		if !returned { // a panic or runtime.Goexit in the caller's code
			c.endpoints.unused(ep)
		}
	}()
	place, err := c.inFlight.acquire(ctx, r.key)
	if err != nil {
		returned = true
		return "", took, waitPlace, err
	}
	defer func() { <-place }()
	queued := time.Now()
	if err := c.limiter.Wait(ctx, r.key); err != nil {
		returned = true
		return "", took, waitLimiter, err
	}
	took.limiter = time.Since(queued)
	if reset {
		reflect.ValueOf(out).Elem().SetZero()
	}
	if sig, err = c.signer.UserSig(ctx); err != nil {
		returned = true
		return "", took, waitSigner, err
	}
	start := time.Now()
	err = c.send(ctx, r, ep, sig, body, out)
	took.exchange = time.Since(start)
	if c.closed.Load() {
		// Closed during the call: its connection just went back to the
		// pool, where Close cannot have seen it.
		c.wire().closeIdle()
	}
	returned = true
	return sig, took, "", err
}

// attemptTimes is how long an attempt waited for its turn at the rate
// limiter, and how long its exchange with the server took.
type attemptTimes struct{ limiter, exchange time.Duration }

// send makes one HTTP attempt signed with sig: POST, read, decode.
func (c *Client) send(ctx context.Context, r *route, ep int, sig string, body []byte, out response) error {
	command := r.command
	forms := c.escapeSig(sig)
	timeout := c.timeout
	if c.timeouts != nil {
		timeout = c.timeouts()
	}
	attemptCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := c.requestURL(ep, r.path)
	a := newAttempt(command, u, forms)

	// A *bytes.Reader, not the []byte: resty hands a reader to the request
	// as it is, where it would copy a []byte twice (BENCHMARKS.md, goal 1).
	resp, err := c.wire().rest.R().
		SetContext(a.context(attemptCtx)).
		SetBody(bytes.NewReader(body)).
		SetDoNotParseResponse(true).
		Post(u)
	if err != nil {
		return exchangeError(ctx, attemptCtx, timeout, a, err)
	}
	raw := resp.RawBody()
	defer raw.Close()
	if resp.StatusCode() != http.StatusOK {
		// Drain a little so the connection can be reused; the body is not kept.
		_, _ = io.Copy(io.Discard, io.LimitReader(raw, 64<<10))
		return &HTTPError{Command: command, StatusCode: resp.StatusCode(), ContentType: resp.Header().Get("Content-Type")}
	}
	buf := bodyBuffers.Get().(*[]byte)
	defer putBodyBuffer(buf)
	data, err := readBody(raw, (*buf)[:0])
	*buf = data
	if err != nil {
		return exchangeError(ctx, attemptCtx, timeout, a, err)
	}
	if len(data) > MaxResponseBytes {
		return &DecodeError{Command: command, Err: fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, MaxResponseBytes)}
	}
	// Server text (ErrorInfo, a per-item ErrorInfo, a member's raw item)
	// reaches the caller: should it ever echo the signature, it is redacted.
	return decodeResponse(command, forms.redactBytes(data), out)
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

// exchangeError types a failure to send a request or read its answer. ctx is
// the caller's context and attemptCtx the attempt's (ctx with the
// per-attempt timeout). When ctx is done the error matches ctx.Err(), even
// if net/http reported a cause set on ctx; when only the attempt's timeout
// passed it matches ErrAttemptTimeout and not context.DeadlineExceeded, so
// it can be told apart (and retried).
func exchangeError(ctx, attemptCtx context.Context, timeout time.Duration, a *attemptInfo, err error) error {
	te := transportError(a, err)
	switch {
	case ctx.Err() != nil:
		if !errors.Is(te.Err, ctx.Err()) {
			te.Err = fmt.Errorf("%w (%w)", ctx.Err(), te.Err)
		}
	case attemptCtx.Err() != nil:
		te.Err = fmt.Errorf("%w (%s)", ErrAttemptTimeout, timeout)
	}
	return te
}

// transportError wraps a failure to exchange a request. The request URL is
// dropped (net/http's *url.Error quotes it; above the signing layer it
// carries no signature, but it is noise), and what is left is scrubbed once
// more of any form of the signature: the signing layer scrubs what the base
// transport says, and this catches anything else (a failure reading the
// body, say). How far the request got is decided by sendStateOf.
func transportError(a *attemptInfo, err error) *TransportError {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	err = scrubError(err, a.forms())
	return &TransportError{Command: a.command, Err: err, sent: sendStateOf(a, err)}
}
