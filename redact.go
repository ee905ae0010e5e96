package tim

import (
	"bytes"
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
)

// scrubError returns err if nothing about it holds a form of the signature,
// and otherwise an error that keeps only what a caller can act on: its class
// (cancelled, deadline, timeout, connection never made), for errors.Is and
// the retry rules, and its text with the signature redacted, if redacting
// the signature's forms leaves none of it (no run of it, however escaped);
// otherwise no text at all. A transport may quote the signed URL in its
// error text, or keep the request in a field that a reflection-based
// printer would reach.
func scrubError(err error, f *sigForms) error {
	msg := err.Error()
	clean := f.redact(msg)
	switch {
	case anyDecoding(clean, f.holdsRun):
		return withhold(err, "")
	case clean != msg || holdsSecret(err, f):
		return withhold(err, clean)
	}
	return err
}

// scrubBelow is scrubError for an error from below the signing layer,
// where the URL carries the real signature: an error whose text mentions
// usersig at all, in any case or escaping ("USERSIG", "usersig%3D",
// "usersig%253D"…), keeps its class and no text.
func scrubBelow(err error, f *sigForms) error {
	if anyDecoding(err.Error(), mentionsUserSig) {
		return withhold(err, "")
	}
	return scrubError(err, f)
}

func withhold(err error, msg string) error {
	return &redactedError{
		msg:      msg,
		canceled: errors.Is(err, context.Canceled),
		deadline: errors.Is(err, context.DeadlineExceeded),
		timeout:  isTimeout(err),
		unsent:   connectFailed(err),
	}
}

// redactedError stands for a transport error that held the signature.
type redactedError struct {
	msg                                 string // "": the text is withheld too
	canceled, deadline, timeout, unsent bool
}

func (e *redactedError) Error() string {
	if e.msg == "" {
		return "error withheld: its text quoted the signed URL" + e.class()
	}
	return e.msg + " (error value withheld: it held the UserSig)"
}

// class names what kind of failure the withheld error was.
func (e *redactedError) class() string {
	switch {
	case e.canceled:
		return " (" + context.Canceled.Error() + ")"
	case e.deadline:
		return " (" + context.DeadlineExceeded.Error() + ")"
	case e.timeout:
		return " (a timeout)"
	case e.unsent:
		return " (no connection could be made)"
	}
	return ""
}

// Is keeps the context errors matchable.
func (e *redactedError) Is(target error) bool {
	return target == context.Canceled && e.canceled || target == context.DeadlineExceeded && e.deadline
}

// Timeout reports whether the error was a timeout, as net.Error does.
func (e *redactedError) Timeout() bool { return e.timeout }

// maxDecodings bounds anyDecoding: a URL escaped more than this many times
// over is not expected of any transport.
const maxDecodings = 4

// anyDecoding reports whether test holds for s or for what s becomes when
// its percent-escapes are decoded once, twice… (up to maxDecodings times,
// or until nothing changes).
func anyDecoding(s string, test func(string) bool) bool {
	for range maxDecodings + 1 {
		if test(s) {
			return true
		}
		d := percentDecode(s)
		if d == s {
			return false
		}
		s = d
	}
	return false
}

// percentDecode decodes every valid %XX in s and leaves the rest as it is.
func percentDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for ; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return s[:strings.IndexByte(s, '%')] + string(b)
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

func mentionsUserSig(s string) bool {
	const word = "usersig"
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// minRun is the shortest run of the signature that counts as quoting it.
const minRun = 12

// holdsRun reports whether s holds minRun bytes in a row of the raw
// signature (the whole of a shorter one long enough to redact), in any
// case.
func (f *sigForms) holdsRun(s string) bool {
	raw := f.raw
	if len(raw) < minSecret {
		return false
	}
	raw, s = strings.ToLower(raw), strings.ToLower(s)
	if len(raw) <= minRun {
		return strings.Contains(s, raw)
	}
	for i := 0; i+minRun <= len(raw); i++ {
		if strings.Contains(s, raw[i:i+minRun]) {
			return true
		}
	}
	return false
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// connectFailed reports whether a transport failure happened before the
// request could be written: no connection was made (dial, DNS, proxy).
func connectFailed(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect") {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var re *redactedError
	return errors.As(err, &re) && re.unsent
}

// maxWalk bounds holdsSecret's walk; a value larger than that is taken to
// hold the secret, since it cannot be shown not to.
const maxWalk = 20000

// holdsSecret reports whether a form of the signature can be reached from
// v by reflection, the way a printer such as spew or a testify diff walks
// it: through pointers, interfaces, structs (unexported fields included),
// slices, arrays and maps. Functions, channels and unsafe pointers are not
// followed, as printers do not follow them.
func holdsSecret(v any, f *sigForms) bool {
	if len(f.secrets) == 0 {
		return false
	}
	w := walker{f: f, seen: map[visit]bool{}}
	return w.walk(reflect.ValueOf(v))
}

type walker struct {
	f     *sigForms
	seen  map[visit]bool
	steps int
}

// visit is a value already walked: an address, what is there and, for a
// slice, how much, since a pointer to a struct's first field, or a shorter
// slice of the same array, shares the address with more than it covers.
type visit struct {
	addr uintptr
	typ  reflect.Type
	n    int
}

// first reports whether v (a pointer, slice or map) is walked for the first
// time, and marks it walked.
func (w *walker) first(v reflect.Value) bool {
	k := visit{addr: v.Pointer(), typ: v.Type()}
	if v.Kind() == reflect.Slice {
		k.n = v.Len()
	}
	if w.seen[k] {
		return false
	}
	w.seen[k] = true
	return true
}

func (w *walker) walk(v reflect.Value) bool {
	if w.steps++; w.steps > maxWalk {
		return true
	}
	switch v.Kind() {
	case reflect.String:
		return w.secret(v.String())
	case reflect.Pointer:
		if v.IsNil() || !w.first(v) {
			return false
		}
		return w.walk(v.Elem())
	case reflect.Interface:
		return !v.IsNil() && w.walk(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if w.walk(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return false
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return w.secretBytes(v.Bytes())
		}
		if !w.first(v) {
			return false
		}
		fallthrough
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 { // a byte array, e.g. a fixed buffer
			b := make([]byte, v.Len())
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			return w.secretBytes(b)
		}
		for i := range v.Len() {
			if w.walk(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		if v.IsNil() || !w.first(v) {
			return false
		}
		it := v.MapRange()
		for it.Next() {
			if w.walk(it.Key()) || w.walk(it.Value()) {
				return true
			}
		}
	}
	return false
}

func (w *walker) secret(s string) bool {
	for _, form := range w.f.secrets {
		if strings.Contains(s, string(form)) {
			return true
		}
	}
	return false
}

func (w *walker) secretBytes(b []byte) bool {
	for _, form := range w.f.secrets {
		if bytes.Contains(b, form) {
			return true
		}
	}
	return false
}
