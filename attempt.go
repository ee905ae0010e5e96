package tim

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
)

// attemptInfo is what the layers of the transport stack know of one
// attempt: its command, the URL the client built for it, its signature,
// and what happened on the wire. It travels in the request's context,
// where a reflection-based printer of the context (a middleware logging the
// request, say) may walk it: the signature is behind a function, which
// printers do not enter, and the URL holds the placeholder.
type attemptInfo struct {
	command string
	url     string    // as built by requestURL, with the signature's placeholder
	secret  sigSecret // the signature
	signed  atomic.Bool
	wire    wireEvents
	trace   httptrace.ClientTrace
}

// attemptKey is the context key of an attempt's *attemptInfo.
type attemptKey struct{}

// sigSecret hands out an attempt's signature (see sigForms.secret).
type sigSecret func() *sigForms

func newAttempt(command, rawURL string, forms *sigForms) *attemptInfo {
	return &attemptInfo{command: command, url: rawURL, secret: forms.secret}
}

func (a *attemptInfo) forms() *sigForms { return a.secret() }

func (a *attemptInfo) context(ctx context.Context) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

func attemptOf(ctx context.Context) *attemptInfo {
	a, _ := ctx.Value(attemptKey{}).(*attemptInfo)
	return a
}

// CommandFromContext returns the REST command (e.g. "get_role_in_group")
// of the attempt whose request carries ctx, and whether ctx is one. A
// [Middleware] reads it from the request it is given, to name a span or
// label a metric by command:
//
//	cmd, _ := tim.CommandFromContext(r.Context())
func CommandFromContext(ctx context.Context) (string, bool) {
	if ctx == nil {
		return "", false
	}
	if a := attemptOf(ctx); a != nil {
		return a.command, true
	}
	return "", false
}

// claim reports whether r is the request the client built for this
// attempt, seen by the signing layer for the first time: the same method,
// scheme, host, path and query (the query holds the attempt's own random
// number). Only that request, once, gets the real signature; anything else
// that carries the attempt's context — a request a middleware makes of its
// own, a second send of the same one — goes on unsigned.
func (a *attemptInfo) claim(r *http.Request) bool {
	if r.Method != http.MethodPost || r.URL == nil {
		return false
	}
	scheme, rest, ok := strings.Cut(a.url, "://")
	if !ok {
		return false
	}
	rest, query, _ := strings.Cut(rest, "?")
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return false
	}
	host, path := rest[:slash], rest[slash:]
	u := r.URL
	if u.Scheme != scheme || u.Host != host || u.RawQuery != query || u.User != nil || u.EscapedPath() != path {
		return false
	}
	return a.signed.CompareAndSwap(false, true)
}

// wireEvents records, from net/http's httptrace hooks on the signed
// request, whether the transport asked for a connection, got one, and
// wrote the request's headers. Hooks may run on other goroutines.
type wireEvents struct {
	asked, got atomic.Int32
	wrote      atomic.Bool
}

// traced returns ctx with hooks that record the attempt's wire events.
func (a *attemptInfo) traced(ctx context.Context) context.Context {
	w := &a.wire
	a.trace = httptrace.ClientTrace{
		GetConn:      func(string) { w.asked.Add(1) },
		GotConn:      func(httptrace.GotConnInfo) { w.got.Add(1) },
		WroteHeaders: func() { w.wrote.Store(true) },
	}
	return httptrace.WithClientTrace(ctx, &a.trace)
}

// sendState is how far a failed attempt got.
type sendState uint8

const (
	// mayHaveSent: some of the request may have reached the server.
	mayHaveSent sendState = iota
	// notWritten: a connection was made, but nothing of the request was
	// written on it.
	notWritten
	// noConnection: no connection could be made (DNS, refused, TLS
	// handshake, proxy), so nothing was sent.
	noConnection
)

// sendStateOf says how far the attempt a got before it failed with err.
// It is the one classification behind both the standby move (only
// noConnection moves a request to another base URL) and the retry rules
// (a request that was not sent may be sent again, whatever the command).
//
// It is decided from what happened on the connection, never from the
// error, which can look the same before and after the write (a TLS record
// error, say). A transport that reports no events (not net/http's, such as
// httpmock's) is judged by its error: only a failed dial or DNS lookup
// counts as nothing sent.
func sendStateOf(a *attemptInfo, err error) sendState {
	if a != nil && a.signed.Load() && a.wire.asked.Load() > 0 {
		switch {
		case a.wire.wrote.Load():
			return mayHaveSent
		case a.wire.asked.Load() > a.wire.got.Load():
			return noConnection // the last connection asked for never came
		default:
			return notWritten
		}
	}
	if connectFailed(err) {
		return noConnection
	}
	return mayHaveSent
}
