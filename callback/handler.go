package callback

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"time"
)

// Handler is an [http.Handler] for the service's third-party callbacks. It
// verifies each callback before anything else, decodes it and calls the
// functions given for its command. Build it with [NewHandler]; it is safe
// for concurrent use and holds its token only inside a closure, so that
// printing it, or diffing it in a test, never shows the token.
type Handler struct {
	sdkAppID  uint64
	check     func(requestTime int64, sign string) bool // nil: unsigned callbacks accepted
	now       func() time.Time
	tolerance time.Duration
	maxBody   int64
	cfg       *config
}

// NewHandler returns a Handler for the callbacks of app sdkAppID, signed
// with token (the console's callback token, 回调鉴权 Token). Before any
// handler runs, every callback must:
//
//   - be a POST (else 405);
//   - carry SdkAppid = sdkAppID, once (else 403);
//   - carry RequestTime (decimal Unix seconds) and Sign = [Sign](token,
//     RequestTime), compared in constant time (else 403);
//   - have RequestTime within the tolerance ([DefaultTolerance], 60 s) of
//     the clock, either way (else 403): a replayed callback expires;
//   - have contenttype "json" in any case, if it has one (else 415);
//   - have a body of at most [DefaultMaxBodyBytes] (else 413), read only
//     once the checks above passed;
//   - have a JSON object body naming the same CallbackCommand as the URL,
//     and typed fields of the documented types (else 400).
//
// A refused callback calls no handler; [OnError] gets the reason.
//
// An empty token does not turn the checks off: the Handler refuses every
// callback (500, [ErrNotConfigured]) unless [InsecureSkipSignCheck] is given.
// An sdkAppID of 0 or a bad option does the same; [Handler.Err] reports it
// at start-up.
//
// A verified callback goes to the handlers given for its command (On...),
// or [OnOther] for a command without a type here, then to [OnEvent]. The
// answer is HTTP 200 with:
//
//   - {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0} when every
//     handler returned nil, and for a command nobody handles;
//   - {"ActionStatus":"FAIL","ErrorInfo":"callback handler failed","ErrorCode":1}
//     when one returned an error; the service ignores after-event answers
//     ("忽略回调返回码"), so this only makes the failure visible;
//   - for Group.CallbackBeforeCreateTopic, the [Decision]: ErrorCode 0
//     allows, 1 denies (the caller gets 10016), or the Decision's own code
//     (10100..10200) and ErrorInfo, passed on to the caller. A handler
//     error denies with 1.
//
// A handler that panics is recovered: the answer is 500 with the FAIL
// envelope, and OnError gets a [*PanicError] (http.ErrAbortHandler is
// re-raised, as net/http expects). Handlers get the request's context.
func NewHandler(sdkAppID uint64, token string, opts ...Option) *Handler {
	c := &config{now: time.Now, tolerance: DefaultTolerance, maxBody: DefaultMaxBodyBytes, after: map[string][]func(context.Context, Event) error{}}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	h := &Handler{sdkAppID: sdkAppID, now: c.now, tolerance: c.tolerance, maxBody: c.maxBody, cfg: c}
	switch {
	case token != "":
		h.check = signChecker(token)
	case !c.insecure:
		c.fail("%v", errNoToken)
	}
	if sdkAppID == 0 {
		c.fail("SDKAppID 0")
	}
	return h
}

// Err reports a Handler that refuses every callback because of how it was
// built: an empty token without [InsecureSkipSignCheck], an SDKAppID of 0, a
// nil function or a bad value given to an option. The error matches
// [ErrNotConfigured]. Check it once at start-up.
func (h *Handler) Err() error {
	if h == nil || h.cfg == nil {
		return errZeroHandler
	}
	return h.cfg.err
}

// errZeroHandler is the Err of a Handler not made by NewHandler.
var errZeroHandler = fmt.Errorf("%w: a Handler not made by NewHandler", ErrNotConfigured)

// String describes h without its token.
func (h *Handler) String() string {
	if h == nil {
		return "callback.Handler(nil)"
	}
	return fmt.Sprintf("callback.Handler{SDKAppID: %d, SignChecked: %t}", h.sdkAppID, h.check != nil)
}

// Format prints [Handler.String] for every verb.
func (h *Handler) Format(f fmt.State, _ rune) { io.WriteString(f, h.String()) }

// ServeHTTP verifies, decodes and dispatches one callback, as [NewHandler]
// describes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, r2 := h.verify(r)
	if r2 != nil {
		h.report(ctx, r2)
		if r2.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		writeEnvelope(w, r2.status, "FAIL", 1, http.StatusText(r2.status))
		return
	}
	var e Event = &m
	if decode := decoders[m.Command]; decode != nil {
		ev, err := decode(m)
		if err != nil {
			r2 := refuse(ErrMalformedBody, http.StatusBadRequest, "%s: %v", m.Command, err)
			h.report(ctx, r2)
			writeEnvelope(w, r2.status, "FAIL", 1, http.StatusText(r2.status))
			return
		}
		e = ev
	}
	h.dispatch(ctx, w, e)
}

// verify runs every check of NewHandler's list and returns the callback's
// Meta.
func (h *Handler) verify(r *http.Request) (Meta, *refusal) {
	if err := h.Err(); err != nil {
		return Meta{}, &refusal{reason: err, status: http.StatusInternalServerError}
	}
	if r.Method != http.MethodPost {
		return Meta{}, refuse(ErrNotPost, http.StatusMethodNotAllowed, "got %.10q", r.Method)
	}
	q := r.URL.Query()
	at, bad := h.verifyQuery(q)
	if bad != nil {
		return Meta{}, bad
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
	switch {
	case err != nil:
		return Meta{}, refuse(ErrMalformedBody, http.StatusBadRequest, "reading: %v", err)
	case int64(len(body)) > h.maxBody:
		return Meta{}, refuse(ErrBodyTooLarge, http.StatusRequestEntityTooLarge, "more than %d bytes", h.maxBody)
	}
	inBody, err := bodyCommand(body)
	if err != nil {
		return Meta{}, refuse(ErrMalformedBody, http.StatusBadRequest, "%v", err)
	}
	command, _, twice := single(q, "CallbackCommand")
	switch {
	case twice || command != "" && inBody != "" && command != inBody:
		return Meta{}, refuse(ErrCommandMismatch, http.StatusBadRequest, "URL %.64q, body %.64q", command, inBody)
	case command == "" && inBody == "":
		return Meta{}, refuse(ErrMissingCommand, http.StatusBadRequest, "")
	case command == "":
		command = inBody
	}
	clientIP, _, _ := single(q, "ClientIP")
	platform, _, _ := single(q, "OptPlatform")
	return Meta{Command: command, SDKAppID: h.sdkAppID, ClientIP: clientIP, OptPlatform: platform, RequestTime: at,
		Raw: json.RawMessage(body)}, nil
}

// report hands err to every OnError function.
func (h *Handler) report(ctx context.Context, err error) {
	if h == nil || h.cfg == nil {
		return
	}
	for _, fn := range h.cfg.onError {
		fn(ctx, err)
	}
}

// dispatch calls e's handlers and answers.
func (h *Handler) dispatch(ctx context.Context, w http.ResponseWriter, e Event) {
	command := e.Metadata().Command
	var decision Decision
	var errs []error
	panicked := h.guard(ctx, command, func() {
		switch ev := e.(type) {
		case *BeforeCreateTopic:
			var err error
			decision, err = h.decide(ctx, ev)
			errs = append(errs, err)
		case *Meta:
			for _, fn := range h.cfg.other {
				errs = append(errs, fn(ctx, ev))
			}
		default:
			for _, fn := range h.cfg.after[command] {
				errs = append(errs, fn(ctx, e))
			}
		}
		for _, fn := range h.cfg.every {
			errs = append(errs, fn(ctx, e))
		}
	})
	if panicked {
		if command == CommandBeforeCreateTopic {
			// As a handler's error does: a before-event that could not be
			// decided is denied, not left to what the service makes of a
			// 500 (undocumented).
			code, info := Decision{Deny: true}.reply()
			writeEnvelope(w, http.StatusOK, "OK", code, info)
			return
		}
		writeEnvelope(w, http.StatusInternalServerError, "FAIL", 1, "callback handler failed")
		return
	}
	if err := errors.Join(errs...); err != nil {
		h.report(ctx, &HandlerError{Command: command, Err: err})
		if command == CommandBeforeCreateTopic {
			decision = Decision{Deny: true}
		} else {
			writeEnvelope(w, http.StatusOK, "FAIL", 1, "callback handler failed")
			return
		}
	}
	code, info := decision.reply()
	if decision.Deny && code == 1 && decision.Code != 0 {
		h.report(ctx, fmt.Errorf("%w: got %d", ErrInvalidDecision, decision.Code))
	}
	writeEnvelope(w, http.StatusOK, "OK", code, info)
}

// decide asks the before-create-topic handlers in turn until one denies or
// fails.
func (h *Handler) decide(ctx context.Context, e *BeforeCreateTopic) (Decision, error) {
	for _, fn := range h.cfg.before {
		d, err := fn(ctx, e)
		if err != nil || d.Deny {
			return d, err
		}
	}
	return Decision{}, nil
}

// guard runs fn, recovering a panic: it reports a *PanicError and returns
// true. http.ErrAbortHandler is re-raised.
func (h *Handler) guard(ctx context.Context, command string, fn func()) (panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // net/http panics with this very value
				panic(v)
			}
			h.report(ctx, &PanicError{Command: command, Value: v, Stack: debug.Stack()})
			panicked = true
		}
	}()
	fn()
	return false
}

// writeEnvelope answers status with the callback reply envelope.
func writeEnvelope(w http.ResponseWriter, status int, actionStatus string, code int, info string) {
	data, _ := json.Marshal(struct {
		ActionStatus string
		ErrorInfo    string
		ErrorCode    int
	}{actionStatus, info, code})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}
