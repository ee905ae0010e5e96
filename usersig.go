package tim

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxIdentifierLen is the longest identifier, in bytes, a UserSig may name,
// and the longest account (UserID) a request may name: accounts are
// identifiers, "a string of up to 32 bytes" in the account pages.
const MaxIdentifierLen = 32

// DefaultUserSigValidity is how long a UserSig made by a [KeySigner] is valid.
// The signer renews it when half of that has passed.
const DefaultUserSigValidity = 24 * time.Hour

// UserSigInfo is what a valid UserSig says.
type UserSigInfo struct {
	SDKAppID   uint64
	Identifier string
	IssuedAt   time.Time
	Validity   time.Duration
	// UserBuf is the optional user buffer (TRTC privilege maps); nil when absent.
	UserBuf []byte
}

// ExpiresAt returns the last instant the UserSig is valid.
func (i UserSigInfo) ExpiresAt() time.Time { return i.IssuedAt.Add(i.Validity) }

// sigDoc is the JSON document inside a UserSig (TLSSigAPIv2).
type sigDoc struct {
	Version    string  `json:"TLS.ver"`
	Identifier string  `json:"TLS.identifier"`
	SDKAppID   flexInt `json:"TLS.sdkappid"`
	Expire     flexInt `json:"TLS.expire"`
	Time       flexInt `json:"TLS.time"`
	UserBuf    []byte  `json:"TLS.userbuf,omitempty"`
	Sig        string  `json:"TLS.sig"`
}

// hmacBase64 is TLS.sig: the HMAC-SHA256 of the signed lines, keyed with the
// secret key's bytes as given, in standard base64.
func hmacBase64(key, identifier string, sdkAppID uint64, issued, expire int64, userBuf []byte) string {
	var b []byte
	b = append(b, "TLS.identifier:"...)
	b = append(b, identifier...)
	b = append(b, "\nTLS.sdkappid:"...)
	b = strconv.AppendUint(b, sdkAppID, 10)
	b = append(b, "\nTLS.time:"...)
	b = strconv.AppendInt(b, issued, 10)
	b = append(b, "\nTLS.expire:"...)
	b = strconv.AppendInt(b, expire, 10)
	b = append(b, '\n')
	if userBuf != nil {
		b = append(b, "TLS.userbuf:"...)
		b = base64.StdEncoding.AppendEncode(b, userBuf)
		b = append(b, '\n')
	}
	m := hmac.New(sha256.New, []byte(key))
	m.Write(b)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// The UserSig alphabet: standard base64 with + / = replaced by * - _.
var (
	sigEncoder = strings.NewReplacer("+", "*", "/", "-", "=", "_")
	sigDecoder = strings.NewReplacer("*", "+", "-", "/", "_", "=")
)

// GenerateUserSig makes a UserSig (TLSSigAPIv2) for identifier in app sdkAppID,
// signed with the app's secret key, issued at issuedAt and valid for validity
// (whole seconds; at least one). Pass time.Now() for issuedAt; a fixed time
// makes the HMAC reproducible in tests. The result is accepted by the service
// and by the official TLSSigAPIv2 libraries.
//
// Most callers do not need this: [WithSecretKey] gives the client a
// [KeySigner] that makes and renews signatures itself.
func GenerateUserSig(sdkAppID uint64, secretKey, identifier string, issuedAt time.Time, validity time.Duration) (string, error) {
	if err := checkSignerArgs(sdkAppID, secretKey, identifier); err != nil {
		return "", err
	}
	expire := int64(validity / time.Second)
	if expire < 1 {
		return "", errors.New("tim: UserSig validity must be at least one second")
	}
	issued := issuedAt.Unix()
	doc := sigDoc{
		Version:    "2.0",
		Identifier: identifier,
		SDKAppID:   flexInt(sdkAppID),
		Expire:     flexInt(expire),
		Time:       flexInt(issued),
		Sig:        hmacBase64(secretKey, identifier, sdkAppID, issued, expire, nil),
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("tim: UserSig: %w", err)
	}
	var z bytes.Buffer
	zw := zlibWriters.Get().(*zlib.Writer)
	zw.Reset(&z)
	_, _ = zw.Write(js) // writes to a bytes.Buffer cannot fail
	zw.Close()
	zlibWriters.Put(zw)
	return sigEncoder.Replace(base64.StdEncoding.EncodeToString(z.Bytes())), nil
}

// zlibWriters keeps compressors between signatures: a new one allocates
// about 800 KB of state.
var zlibWriters = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}

func checkSignerArgs(sdkAppID uint64, secretKey, identifier string) error {
	switch {
	case sdkAppID == 0:
		return errors.New("tim: SDKAppID is zero")
	case sdkAppID > math.MaxInt64:
		return errors.New("tim: SDKAppID is out of range")
	case secretKey == "":
		return errors.New("tim: secret key is empty")
	case identifier == "":
		return errors.New("tim: identifier is empty")
	case len(identifier) > MaxIdentifierLen:
		return fmt.Errorf("tim: identifier is %d bytes; at most %d are allowed", len(identifier), MaxIdentifierLen)
	}
	return nil
}

// maxSigDoc bounds the decompressed size of a UserSig: a real one is a few
// hundred bytes, and a zlib bomb must not exhaust memory.
const maxSigDoc = 64 << 10

// VerifyUserSig checks that sig is a UserSig for identifier in app sdkAppID,
// signed with secretKey and still valid at now, and returns what it says.
// It checks in the service's order: the SDKAppID, the identifier, the expiry,
// then the HMAC. Its errors match the service's codes with [errors.Is]:
// [ErrUserSigInvalid] (malformed), [ErrSDKAppIDMismatch],
// [ErrIdentifierMismatch], [ErrUserSigExpired] and [ErrSecretKeyMismatch]
// (signed with another key: the service's 70009).
func VerifyUserSig(sig string, sdkAppID uint64, secretKey, identifier string, now time.Time) (UserSigInfo, error) {
	doc, err := decodeUserSig(sig)
	if err != nil {
		return UserSigInfo{}, fmt.Errorf("%w: %w", ErrUserSigInvalid, err)
	}
	info := UserSigInfo{
		SDKAppID:   uint64(doc.SDKAppID),
		Identifier: doc.Identifier,
		IssuedAt:   time.Unix(int64(doc.Time), 0),
		Validity:   time.Duration(doc.Expire) * time.Second,
		UserBuf:    doc.UserBuf,
	}
	switch {
	case doc.SDKAppID < 0 || uint64(doc.SDKAppID) != sdkAppID:
		return info, ErrSDKAppIDMismatch
	case doc.Identifier != identifier:
		return info, ErrIdentifierMismatch
	case doc.Expire < 0 || now.Unix() > int64(doc.Time)+int64(doc.Expire):
		return info, ErrUserSigExpired
	}
	want := hmacBase64(secretKey, doc.Identifier, uint64(doc.SDKAppID), int64(doc.Time), int64(doc.Expire), doc.UserBuf)
	if !hmac.Equal([]byte(want), []byte(doc.Sig)) {
		return info, fmt.Errorf("%w: the signature does not match the key", ErrSecretKeyMismatch)
	}
	return info, nil
}

func decodeUserSig(sig string) (sigDoc, error) {
	raw := sigDecoder.Replace(sig)
	z, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		// Some encoders drop the padding.
		if z, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(raw, "=")); err != nil {
			return sigDoc{}, errors.New("not base64")
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return sigDoc{}, errors.New("not zlib")
	}
	js, err := io.ReadAll(io.LimitReader(zr, maxSigDoc+1))
	if err != nil {
		return sigDoc{}, errors.New("corrupt zlib stream")
	}
	if len(js) > maxSigDoc {
		return sigDoc{}, errors.New("too large")
	}
	var doc sigDoc
	if err := json.Unmarshal(js, &doc); err != nil {
		return sigDoc{}, errors.New("not a UserSig document")
	}
	if doc.Sig == "" {
		return sigDoc{}, errors.New("no TLS.sig")
	}
	return doc, nil
}

// UserSigner supplies the UserSig of the client's admin identifier. The
// client asks once per request, so an implementation should cache: the
// [KeySigner] answers from memory until its signature is half-way to expiry.
// Implementations must be safe for concurrent use.
type UserSigner interface {
	UserSig(ctx context.Context) (string, error)
}

// KeySigner is the default [UserSigner]: it makes UserSigs from the app's
// secret key, caches the current one and renews it when half of its validity
// has passed. It is safe for concurrent use; a cached answer costs no
// allocation. Printing a KeySigner never shows the key or a signature.
type KeySigner struct {
	sdkAppID   uint64
	identifier string
	validity   time.Duration
	now        func() time.Time
	// sign makes a signature issued at the given time. The key lives only in
	// this closure, out of reach of fmt and reflection-based printers.
	sign func(issuedAt time.Time) (string, error)

	mu  sync.Mutex // serialises renewals
	cur atomic.Pointer[cachedSig]
}

type cachedSig struct {
	sig     string
	issued  time.Time
	renewAt time.Time
}

// Invalidator is implemented by a [UserSigner] that can drop a signature the
// service rejected (70001 expired, 70052 invalidated). The client calls
// Invalidate with the rejected signature before it asks for a new one.
type Invalidator interface {
	Invalidate(sig string)
}

// SignerOption configures a [KeySigner].
type SignerOption func(*KeySigner) error

// WithSignerValidity sets how long each signature is valid (default
// [DefaultUserSigValidity]; at least one minute). The signer renews at half of it.
func WithSignerValidity(d time.Duration) SignerOption {
	return func(s *KeySigner) error {
		if d < time.Minute {
			return errors.New("tim: UserSig validity must be at least a minute")
		}
		s.validity = d
		return nil
	}
}

// WithSignerClock sets the signer's clock (default time.Now), for tests.
func WithSignerClock(now func() time.Time) SignerOption {
	return func(s *KeySigner) error {
		if now == nil {
			return errors.New("tim: signer clock is nil")
		}
		s.now = now
		return nil
	}
}

// NewKeySigner returns a [KeySigner] for identifier in app sdkAppID, signing
// with secretKey. The arguments come in [GenerateUserSig]'s order.
func NewKeySigner(sdkAppID uint64, secretKey, identifier string, opts ...SignerOption) (*KeySigner, error) {
	if err := checkSignerArgs(sdkAppID, secretKey, identifier); err != nil {
		return nil, err
	}
	s := &KeySigner{sdkAppID: sdkAppID, identifier: identifier, validity: DefaultUserSigValidity, now: time.Now}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	s.sign = func(issuedAt time.Time) (string, error) {
		return GenerateUserSig(sdkAppID, secretKey, identifier, issuedAt, s.validity)
	}
	return s, nil
}

// UserSig returns the cached signature, renewing it first when half of its
// validity has passed. It does not wait on the context: a renewal takes well
// under a millisecond.
func (s *KeySigner) UserSig(context.Context) (string, error) {
	now := s.now()
	if c := s.cur.Load(); c != nil && now.Before(c.renewAt) {
		return c.sig, nil
	}
	return s.renew(now)
}

// Invalidate marks sig as rejected: if it is the cached signature, the next
// call of [KeySigner.UserSig] makes a new one, issued at least a second after
// it so that it differs. The client calls it when the service answers 70001
// or 70052. Invalidating a signature that was already replaced does nothing.
func (s *KeySigner) Invalidate(sig string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cur.Load(); c != nil && c.sig == sig {
		s.cur.Store(&cachedSig{sig: c.sig, issued: c.issued}) // zero renewAt: renew on next use
	}
}

func (s *KeySigner) renew(now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cur.Load()
	if c != nil && now.Before(c.renewAt) {
		return c.sig, nil // another goroutine renewed it meanwhile
	}
	issued := now
	if c != nil && !issued.After(c.issued.Add(time.Second)) {
		// The signature is an HMAC of whole seconds: issued in the same
		// second, the "new" one would be the rejected one again.
		issued = c.issued.Add(time.Second)
	}
	sig, err := s.sign(issued)
	if err != nil {
		return "", err
	}
	s.cur.Store(&cachedSig{sig: sig, issued: issued, renewAt: issued.Add(s.validity / 2)})
	return sig, nil
}

// String describes the signer without its key or signature.
func (s *KeySigner) String() string {
	return fmt.Sprintf("tim.KeySigner{SDKAppID: %d, Identifier: %q, Validity: %s}", s.sdkAppID, s.identifier, s.validity)
}

// Format prints [KeySigner.String] for every verb, so no verb can reveal a field.
func (s *KeySigner) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// StaticUserSig returns a [UserSigner] that always answers sig, for a
// signature minted elsewhere (a secrets service, another process). The client
// cannot renew it: when it expires calls fail with [ErrUserSigExpired].
// Printing it never shows the signature. An empty sig, or one with bytes a
// UserSig never has (outside printable ASCII), is an error.
func StaticUserSig(sig string) (UserSigner, error) {
	if sig == "" {
		return nil, errors.New("tim: StaticUserSig: the UserSig is empty")
	}
	for i := 0; i < len(sig); i++ {
		if sig[i] <= ' ' || sig[i] > '~' {
			return nil, fmt.Errorf("tim: StaticUserSig: byte %d of the UserSig is not printable ASCII", i)
		}
	}
	return staticSigner{func() string { return sig }}, nil
}

// staticSigner holds the signature in a closure, out of reach of fmt and of
// reflection-based printers such as test-failure diffs.
type staticSigner struct{ sig func() string }

func (s staticSigner) UserSig(context.Context) (string, error) { return s.sig(), nil }

func (staticSigner) String() string               { return "tim.StaticUserSig([redacted])" }
func (s staticSigner) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }
