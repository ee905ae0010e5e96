package callback

import (
	"errors"
	"fmt"
)

// The reasons a [Handler] refuses a callback, one error value each. The
// error given to [OnError] matches exactly one of them with [errors.Is]; its
// text adds what was received (a time, an app ID, a size) but never the
// token or a Sign.
var (
	// ErrNotConfigured: the Handler cannot verify anything (an SDKAppID of
	// 0, or an empty token without [InsecureSkipSignCheck]); every callback
	// is answered 500. [Handler.Err] returns it at start-up.
	ErrNotConfigured = errors.New("callback: handler not configured")
	// ErrNotPost: the method is not POST (405).
	ErrNotPost = errors.New("callback: method is not POST")
	// ErrMissingSDKAppID: the URL has no SdkAppid (403).
	ErrMissingSDKAppID = errors.New("callback: SdkAppid missing")
	// ErrWrongSDKAppID: SdkAppid is another app's, not a number, or given
	// twice (403).
	ErrWrongSDKAppID = errors.New("callback: SdkAppid is not this app's")
	// ErrMissingRequestTime: the URL has no RequestTime (403).
	ErrMissingRequestTime = errors.New("callback: RequestTime missing")
	// ErrBadRequestTime: RequestTime is not a decimal number of seconds, or
	// is given twice (403).
	ErrBadRequestTime = errors.New("callback: RequestTime malformed")
	// ErrMissingSign: the URL has no Sign (403).
	ErrMissingSign = errors.New("callback: Sign missing")
	// ErrWrongSign: Sign is not the token's signature of RequestTime, or is
	// given twice (403).
	ErrWrongSign = errors.New("callback: Sign does not match")
	// ErrOutsideWindow: RequestTime is more than the tolerance (60 s by
	// default) before or after the handler's clock (403): a replay, or a
	// clock that is off.
	ErrOutsideWindow = errors.New("callback: RequestTime outside the accepted window")
	// ErrContentType: contenttype is present and is not "json" in any case
	// (415).
	ErrContentType = errors.New("callback: contenttype is not json")
	// ErrBodyTooLarge: the body is longer than the bound (413), see
	// [WithMaxBodyBytes].
	ErrBodyTooLarge = errors.New("callback: body too large")
	// ErrMalformedBody: the body could not be read, is not a JSON object, or
	// a typed event's field has a type the documentation does not allow
	// (400).
	ErrMalformedBody = errors.New("callback: body malformed")
	// ErrMissingCommand: neither the URL nor the body names the
	// CallbackCommand (400).
	ErrMissingCommand = errors.New("callback: CallbackCommand missing")
	// ErrCommandMismatch: the URL's CallbackCommand differs from the body's
	// (400).
	ErrCommandMismatch = errors.New("callback: CallbackCommand differs between URL and body")
	// ErrInvalidDecision: a before-create-topic handler denied with a Code
	// outside 10100..10200; the Handler denied with ErrorCode 1 instead.
	ErrInvalidDecision = errors.New("callback: Decision.Code outside 10100..10200")
)

// refusal is a verification failure: a reason, the HTTP status it is
// answered with, and what was received.
type refusal struct {
	reason error
	status int
	detail string
}

func (r *refusal) Error() string {
	if r.detail == "" {
		return r.reason.Error()
	}
	return r.reason.Error() + ": " + r.detail
}

func (r *refusal) Unwrap() error { return r.reason }

func refuse(reason error, status int, format string, args ...any) *refusal {
	return &refusal{reason: reason, status: status, detail: fmt.Sprintf(format, args...)}
}

// HandlerError is a verified callback's handler (typed, [OnOther] or
// [OnEvent]) returning an error. The Handler answered a FAIL envelope, or a
// denial for a before-event.
type HandlerError struct {
	// Command is the CallbackCommand.
	Command string
	// Err is what the handler returned.
	Err error
}

func (e *HandlerError) Error() string {
	return fmt.Sprintf("callback: handler for %s: %v", e.Command, e.Err)
}

func (e *HandlerError) Unwrap() error { return e.Err }

// PanicError is a verified callback's handler panicking. The Handler
// recovered, answered 500 and went on serving.
type PanicError struct {
	// Command is the CallbackCommand.
	Command string
	// Value is what the handler panicked with.
	Value any
	// Stack is the panicking goroutine's stack.
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("callback: handler for %s panicked: %v", e.Command, e.Value)
}
