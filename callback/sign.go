package callback

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far RequestTime may be from the handler's clock,
// either way: the documented minute ("RequestTime 和当前时间相差超过1分钟即可认为是无效请求").
const DefaultTolerance = time.Minute

// DefaultMaxBodyBytes bounds a callback's body. The documented bodies of
// group events are under a few kilobytes; message callbacks carry at most a
// message (12 KB) and its metadata. A longer body is answered 413 and never
// parsed.
const DefaultMaxBodyBytes = 1 << 20

// Sign returns the signature the service adds to a callback's URL (as Sign,
// next to RequestTime) when callback authentication is on: the lowercase hex
// SHA-256 of the token followed by requestTime, Unix seconds in decimal.
// Sign("xxxxyyyy", 1669872112) is the documented
// "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061".
//
// The Sign covers neither the body nor the rest of the URL: it proves that
// the sender knows the token and sent the request within the tolerance, so
// serve callbacks over HTTPS, where nobody else can see a Sign to replay it.
func Sign(token string, requestTime int64) string {
	sum := sha256.Sum256([]byte(token + strconv.FormatInt(requestTime, 10)))
	return hex.EncodeToString(sum[:])
}

// signChecker returns a function reporting whether sign is the token's
// signature of requestTime, compared in constant time. The token lives only
// in the closure, so that no printer or reflection of a Handler reaches it.
func signChecker(token string) func(requestTime int64, sign string) bool {
	return func(requestTime int64, sign string) bool {
		want := Sign(token, requestTime)
		return subtle.ConstantTimeCompare([]byte(want), []byte(sign)) == 1
	}
}

// single returns the one value of name in q; present is false when it is
// absent or empty, and twice is true when it is given more than once.
func single(q url.Values, name string) (value string, present, twice bool) {
	vs := q[name]
	switch {
	case len(vs) == 0 || len(vs) == 1 && vs[0] == "":
		return "", false, false
	case len(vs) > 1:
		return "", true, true
	}
	return vs[0], true, false
}

// parseSeconds parses a RequestTime: decimal digits without sign or leading
// zero, as strconv.FormatInt writes them.
func parseSeconds(s string) (int64, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// verifyQuery checks the URL's SdkAppid, and unless verification is off its
// Sign and RequestTime, and contenttype. It returns the RequestTime (zero
// when unsigned).
func (h *Handler) verifyQuery(q url.Values) (time.Time, *refusal) {
	app, present, twice := single(q, "SdkAppid")
	switch {
	case !present:
		return time.Time{}, refuse(ErrMissingSDKAppID, http.StatusForbidden, "")
	case twice:
		return time.Time{}, refuse(ErrWrongSDKAppID, http.StatusForbidden, "given twice")
	}
	if id, err := strconv.ParseUint(app, 10, 64); err != nil || id != h.sdkAppID {
		return time.Time{}, refuse(ErrWrongSDKAppID, http.StatusForbidden, "got %.20q, want %d", app, h.sdkAppID)
	}

	var at time.Time
	if h.check != nil {
		var r *refusal
		if at, r = h.verifySign(q); r != nil {
			return time.Time{}, r
		}
	}
	if ct, present, _ := single(q, "contenttype"); present && !strings.EqualFold(ct, "json") {
		return time.Time{}, refuse(ErrContentType, http.StatusUnsupportedMediaType, "got %.20q", ct)
	}
	return at, nil
}

// verifySign checks Sign against RequestTime, then RequestTime against the
// clock.
func (h *Handler) verifySign(q url.Values) (time.Time, *refusal) {
	raw, present, twice := single(q, "RequestTime")
	if !present {
		return time.Time{}, refuse(ErrMissingRequestTime, http.StatusForbidden, "")
	}
	secs, ok := parseSeconds(raw)
	if twice || !ok {
		return time.Time{}, refuse(ErrBadRequestTime, http.StatusForbidden, "got %.24q", raw)
	}
	sign, present, twice := single(q, "Sign")
	switch {
	case !present:
		return time.Time{}, refuse(ErrMissingSign, http.StatusForbidden, "")
	case twice || !h.check(secs, sign):
		// The received Sign is not quoted: it may be a valid one for
		// another time.
		return time.Time{}, refuse(ErrWrongSign, http.StatusForbidden, "")
	}
	at := time.Unix(secs, 0).UTC()
	now := h.now()
	switch d := now.Sub(at); {
	case d > h.tolerance:
		return time.Time{}, refuse(ErrOutsideWindow, http.StatusForbidden, "RequestTime %d is %v behind the clock, more than %v", secs, d, h.tolerance)
	case d < -h.tolerance:
		return time.Time{}, refuse(ErrOutsideWindow, http.StatusForbidden, "RequestTime %d is %v ahead of the clock, more than %v", secs, -d, h.tolerance)
	}
	return at, nil
}
