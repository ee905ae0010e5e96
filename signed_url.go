package tim

import (
	"bytes"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
)

// sigPlaceholder stands for "usersig=" and the signature in every URL above
// the signing layer (see signingTransport): the value is "[redacted]",
// query-escaped.
const sigPlaceholder = "usersig=%5Bredacted%5D"

// redacted replaces a signature found in text the SDK hands out.
const redacted = "[redacted]"

// requestURL builds the URL of one attempt to endpoint ep (see endpoints),
// with a fresh random and the signature's placeholder.
func (c *Client) requestURL(ep int, command string) string {
	endpoint := c.endpoints.urls[ep]
	var b strings.Builder
	b.Grow(len(endpoint) + len(command) + len(c.queryHead) + len(sigPlaceholder) + 48)
	b.WriteString(endpoint)
	b.WriteString(command)
	b.WriteString(c.queryHead)
	b.WriteByte('&')
	b.WriteString(sigPlaceholder)
	b.WriteString("&random=")
	var num [10]byte
	b.Write(strconv.AppendUint(num[:0], uint64(rand.Uint32()), 10))
	b.WriteString("&contenttype=json")
	return b.String()
}

// sigForms is a UserSig and the forms it takes in text: as a query value
// (how it is sent) and as a path segment. Every one of them is redacted
// from what the SDK hands out.
type sigForms struct {
	raw, query, path string
	secrets          [][]byte  // the forms long enough to redact, as bytes
	secret           sigSecret // hands out f, made once per signature
}

func newSigForms(sig, query string) *sigForms {
	f := &sigForms{raw: sig, query: query, path: url.PathEscape(sig)}
	f.secret = func() *sigForms { return f }
	for _, form := range []string{f.raw, f.query, f.path} {
		if len(form) >= minSecret && !containsBytes(f.secrets, form) {
			f.secrets = append(f.secrets, []byte(form))
		}
	}
	return f
}

func containsBytes(list [][]byte, s string) bool {
	for _, b := range list {
		if string(b) == s {
			return true
		}
	}
	return false
}

// minSecret is the shortest form that is redacted: a real UserSig is a
// compressed, base64-encoded document of well over a hundred bytes, and
// redacting a two-letter test signature would garble every message.
const minSecret = 8

// redact replaces every form of the signature in s.
func (f *sigForms) redact(s string) string {
	for _, form := range f.secrets {
		if strings.Contains(s, string(form)) {
			s = strings.ReplaceAll(s, string(form), redacted)
		}
	}
	return s
}

// redactBytes is redact for a response body; b is returned as it is in the
// usual case, when it holds no form of the signature.
func (f *sigForms) redactBytes(b []byte) []byte {
	for _, form := range f.secrets {
		if bytes.Contains(b, form) {
			b = bytes.ReplaceAll(b, form, []byte(redacted))
		}
	}
	return b
}

// newSigEscaper returns a function that gives the forms of a UserSig. A
// signer hands out the same signature for hours, so it keeps the last one:
// escaping it byte by byte on every request cost about 4% of the client's
// CPU per call (BENCHMARKS.md, goal 5). The signature lives in the closure,
// out of reach of fmt and reflection-based printers, and it is safe for
// concurrent use.
func newSigEscaper() func(sig string) *sigForms {
	var last atomic.Pointer[sigForms]
	return func(sig string) *sigForms {
		if f := last.Load(); f != nil && f.raw == sig {
			return f
		}
		var b strings.Builder
		b.Grow(len(sig) + 16)
		writeQueryEscaped(&b, sig)
		f := newSigForms(sig, b.String())
		last.Store(f)
		return f
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
