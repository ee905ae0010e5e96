package tim

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test vector of API.md §7.
const (
	vecKey        = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
	vecAppID      = uint64(1400000000)
	vecIdentifier = "xiaojun"
	vecTime       = int64(1700000000)
	vecExpire     = int64(15552000) // 180 days
	vecSig        = "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
)

var (
	vecIssued   = time.Unix(vecTime, 0)
	vecValidity = time.Duration(vecExpire) * time.Second
)

// userSigSentinels are the errors VerifyUserSig may match.
var userSigSentinels = []error{ErrUserSigInvalid, ErrSDKAppIDMismatch, ErrIdentifierMismatch, ErrUserSigExpired, ErrSecretKeyMismatch}

// unpackUserSig undoes the UserSig encoding by hand, without the package's
// decoder: alphabet, base64, zlib, JSON (numbers kept as json.Number).
func unpackUserSig(t testing.TB, sig string) map[string]any {
	t.Helper()
	raw := strings.NewReplacer("*", "+", "-", "/", "_", "=").Replace(sig)
	z, err := base64.StdEncoding.DecodeString(raw)
	require.NoError(t, err, "std base64 with padding")
	zr, err := zlib.NewReader(bytes.NewReader(z))
	require.NoError(t, err)
	var js bytes.Buffer
	_, err = js.ReadFrom(zr)
	require.NoError(t, err)
	dec := json.NewDecoder(&js)
	dec.UseNumber()
	var doc map[string]any
	require.NoError(t, dec.Decode(&doc))
	return doc
}

// packUserSig encodes a document the way the official libraries do: JSON,
// zlib at level, standard base64, then + / = replaced by * - _. Without pad
// the base64 padding is dropped.
func packUserSig(t testing.TB, doc any, level int, pad bool) string {
	t.Helper()
	js, err := json.Marshal(doc)
	require.NoError(t, err)
	return packRaw(t, js, level, pad)
}

func packRaw(t testing.TB, js []byte, level int, pad bool) string {
	t.Helper()
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, level)
	require.NoError(t, err)
	_, err = zw.Write(js)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	enc := base64.StdEncoding
	if !pad {
		enc = base64.RawStdEncoding
	}
	return strings.NewReplacer("+", "*", "/", "-", "=", "_").Replace(enc.EncodeToString(z.Bytes()))
}

// officialDoc is the document the official Go library (tls-sig-api-v2-golang)
// builds: a map with int values and TLS.sig the base64 of the HMAC.
func officialDoc(key string, appID uint64, identifier string, issued, expire int64) map[string]any {
	return map[string]any{
		"TLS.ver":        "2.0",
		"TLS.identifier": identifier,
		"TLS.sdkappid":   appID,
		"TLS.expire":     expire,
		"TLS.time":       issued,
		"TLS.sig":        hmacBase64(key, identifier, appID, issued, expire, nil),
	}
}

func vectorSig(t testing.TB) string {
	t.Helper()
	sig, err := GenerateUserSig(vecAppID, vecKey, vecIdentifier, vecIssued, vecValidity)
	require.NoError(t, err)
	return sig
}

func TestUserSigTestVector(t *testing.T) {
	assert.Equal(t, vecSig, hmacBase64(vecKey, vecIdentifier, vecAppID, vecTime, vecExpire, nil))

	sig := vectorSig(t)
	assert.NotContains(t, sig, "+")
	assert.NotContains(t, sig, "/")
	assert.NotContains(t, sig, "=")
	doc := unpackUserSig(t, sig)
	assert.Equal(t, map[string]any{
		"TLS.ver":        "2.0",
		"TLS.identifier": "xiaojun",
		"TLS.sdkappid":   json.Number("1400000000"),
		"TLS.time":       json.Number("1700000000"),
		"TLS.expire":     json.Number("15552000"),
		"TLS.sig":        vecSig,
	}, doc, "exactly these fields, the numbers as JSON numbers")

	info, err := VerifyUserSig(sig, vecAppID, vecKey, vecIdentifier, vecIssued.Add(time.Hour))
	require.NoError(t, err)
	assert.Nil(t, info.UserBuf)
}

func TestHMACContent(t *testing.T) {
	// A different input must give a different HMAC: each line is signed.
	base := hmacBase64(vecKey, vecIdentifier, vecAppID, vecTime, vecExpire, nil)
	for name, got := range map[string]string{
		"key":        hmacBase64(vecKey+"x", vecIdentifier, vecAppID, vecTime, vecExpire, nil),
		"identifier": hmacBase64(vecKey, "xiaojuN", vecAppID, vecTime, vecExpire, nil),
		"sdkappid":   hmacBase64(vecKey, vecIdentifier, vecAppID+1, vecTime, vecExpire, nil),
		"time":       hmacBase64(vecKey, vecIdentifier, vecAppID, vecTime+1, vecExpire, nil),
		"expire":     hmacBase64(vecKey, vecIdentifier, vecAppID, vecTime, vecExpire+1, nil),
		"userbuf":    hmacBase64(vecKey, vecIdentifier, vecAppID, vecTime, vecExpire, []byte{}),
	} {
		assert.NotEqual(t, base, got, name)
		assert.Len(t, got, 44, "base64 of 32 bytes, padded")
	}
}

func TestVerifyUserSigCompatibility(t *testing.T) {
	now := vecIssued.Add(24 * time.Hour)
	official := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	lenient := map[string]any{
		"TLS.ver":        "2.0",
		"TLS.identifier": vecIdentifier,
		"TLS.sdkappid":   "1400000000",
		"TLS.expire":     "15552000",
		"TLS.time":       "1700000000",
		"TLS.sig":        vecSig,
	}
	userBuf := []byte{0x00, 0x01, 0xfe, 0xff, 'r', 'o', 'o', 'm'}
	withUserBuf := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	withUserBuf["TLS.userbuf"] = base64.StdEncoding.EncodeToString(userBuf)
	withUserBuf["TLS.sig"] = hmacBase64(vecKey, vecIdentifier, vecAppID, vecTime, vecExpire, userBuf)
	extra := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	extra["TLS.unknown"] = []int{1, 2}

	tests := []struct {
		name    string
		sig     string
		userBuf []byte
	}{
		{"official Go library, no compression", packUserSig(t, official, zlib.NoCompression, true), nil},
		{"default compression", packUserSig(t, official, zlib.DefaultCompression, true), nil},
		{"best compression", packUserSig(t, official, zlib.BestCompression, true), nil},
		{"numbers as strings", packUserSig(t, lenient, zlib.NoCompression, true), nil},
		{"no base64 padding", packUserSig(t, official, zlib.NoCompression, false), nil},
		{"no padding, numbers as strings", packUserSig(t, lenient, zlib.DefaultCompression, false), nil},
		{"with userbuf", packUserSig(t, withUserBuf, zlib.NoCompression, true), userBuf},
		{"unknown field", packUserSig(t, extra, zlib.NoCompression, true), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := VerifyUserSig(tc.sig, vecAppID, vecKey, vecIdentifier, now)
			require.NoError(t, err)
			assert.Equal(t, vecAppID, info.SDKAppID)
			assert.Equal(t, vecIdentifier, info.Identifier)
			assert.Equal(t, vecIssued, info.IssuedAt)
			assert.Equal(t, vecValidity, info.Validity)
			assert.Equal(t, tc.userBuf, info.UserBuf)
		})
	}

	t.Run("truncated padding", func(t *testing.T) {
		// Grow an ignored field until the base64 ends in "==", then keep one.
		doc := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
		var sig string
		for n := 0; ; n++ {
			doc["TLS.note"] = strings.Repeat("n", n)
			sig = packUserSig(t, doc, zlib.NoCompression, true)
			if strings.HasSuffix(sig, "__") {
				break
			}
		}
		info, err := VerifyUserSig(sig[:len(sig)-1], vecAppID, vecKey, vecIdentifier, now)
		require.NoError(t, err)
		assert.Equal(t, vecIssued, info.IssuedAt)
	})

	t.Run("unpadded input really lacks padding", func(t *testing.T) {
		// The test above only means something if the vector's zlib stream
		// length is not a multiple of three.
		assert.NotEqual(t, packUserSig(t, official, zlib.NoCompression, true), packUserSig(t, official, zlib.NoCompression, false))
	})
}

func TestUserSigRoundTrip(t *testing.T) {
	tests := []struct {
		name       string
		appID      uint64
		identifier string
		issued     time.Time
		validity   time.Duration
		wantValid  time.Duration
	}{
		{"vector", vecAppID, vecIdentifier, vecIssued, vecValidity, vecValidity},
		{"one second", 1, "a", time.Unix(1, 0), time.Second, time.Second},
		{"fraction truncated", 20000001, "admin", time.Unix(1600000000, 0), 90*time.Second + 999*time.Millisecond, 90 * time.Second},
		{"32-byte identifier", 1400000001, strings.Repeat("x", 32), time.Unix(1700000000, 0), 24 * time.Hour, 24 * time.Hour},
		{"utf-8 identifier", 1400000002, "管理员-admin", time.Unix(1700000123, 0), time.Hour, time.Hour},
		{"issued with nanoseconds", vecAppID, "admin", time.Unix(1700000000, 999999999), time.Hour, time.Hour},
		{"max appid", ^uint64(0) >> 1, "admin", time.Unix(1700000000, 0), time.Hour, time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := GenerateUserSig(tc.appID, vecKey, tc.identifier, tc.issued, tc.validity)
			require.NoError(t, err)
			issued := time.Unix(tc.issued.Unix(), 0)
			info, err := VerifyUserSig(sig, tc.appID, vecKey, tc.identifier, issued)
			require.NoError(t, err)
			assert.Equal(t, tc.appID, info.SDKAppID)
			assert.Equal(t, tc.identifier, info.Identifier)
			assert.Equal(t, issued, info.IssuedAt)
			assert.Equal(t, tc.wantValid, info.Validity)
			assert.Equal(t, issued.Add(tc.wantValid), info.ExpiresAt())
			assert.Nil(t, info.UserBuf)
		})
	}
}

func TestVerifyUserSigExpiry(t *testing.T) {
	sig := vectorSig(t)
	expiry := vecIssued.Add(vecValidity)
	tests := []struct {
		name    string
		now     time.Time
		expired bool
	}{
		{"at issue", vecIssued, false},
		{"before issue", vecIssued.Add(-time.Hour), false},
		{"one second before expiry", expiry.Add(-time.Second), false},
		{"exactly at expiry", expiry, false},
		{"one second after expiry", expiry.Add(time.Second), true},
		{"a year later", expiry.Add(365 * 24 * time.Hour), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := VerifyUserSig(sig, vecAppID, vecKey, vecIdentifier, tc.now)
			if !tc.expired {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUserSigExpired)
			assert.NotErrorIs(t, err, ErrUserSigInvalid)
			assert.Equal(t, "tim: error 70001: UserSig expired", err.Error())
			assert.Equal(t, expiry, info.ExpiresAt(), "the info is filled in even when expired")
		})
	}
}

func TestVerifyUserSigNegativeExpire(t *testing.T) {
	// A document signed with a negative TLS.expire is never valid, not even
	// long before its TLS.time.
	sig := packUserSig(t, officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, -7200), zlib.NoCompression, true)
	for _, now := range []time.Time{vecIssued.Add(-24 * time.Hour), vecIssued.Add(-3 * time.Hour), vecIssued} {
		info, err := VerifyUserSig(sig, vecAppID, vecKey, vecIdentifier, now)
		require.ErrorIs(t, err, ErrUserSigExpired, "at %v", now)
		assert.Equal(t, -2*time.Hour, info.Validity)
	}
}

func TestVerifyUserSigFailures(t *testing.T) {
	now := vecIssued.Add(time.Hour)
	sig := vectorSig(t)

	// Flip one character in the middle of the signature.
	mid := len(sig) / 2
	flipped := []byte(sig)
	if flipped[mid] == 'A' {
		flipped[mid] = 'B'
	} else {
		flipped[mid] = 'A'
	}

	// A document whose TLS.time was changed after signing.
	retimed := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	retimed["TLS.time"] = vecTime + 3600

	noSig := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	delete(noSig, "TLS.sig")
	emptySig := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	emptySig["TLS.sig"] = ""
	badNumber := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	badNumber["TLS.time"] = "soon"
	negativeApp := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire)
	negativeApp["TLS.sdkappid"] = -1
	negativeExpire := officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, -1)

	tests := []struct {
		name       string
		sig        string
		appID      uint64
		key        string
		identifier string
		want       error
		wantText   string // exact error text, when given
	}{
		{"wrong identifier", sig, vecAppID, vecKey, "xiaojuN", ErrIdentifierMismatch, "tim: error 70013: identifier does not match the UserSig"},
		{"wrong sdkappid", sig, vecAppID + 1, vecKey, vecIdentifier, ErrSDKAppIDMismatch, "tim: error 70014: SDKAppID does not match the UserSig"},
		{"negative sdkappid", packUserSig(t, negativeApp, zlib.NoCompression, true), ^uint64(0), vecKey, vecIdentifier, ErrSDKAppIDMismatch, ""},
		{"wrong key", sig, vecAppID, vecKey[1:], vecIdentifier, ErrSecretKeyMismatch, "tim: error 70009: secret key or SDKAppID mismatch: the signature does not match the key"},
		{"flipped character", string(flipped), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, ""},
		{"changed TLS.time", packUserSig(t, retimed, zlib.NoCompression, true), vecAppID, vecKey, vecIdentifier, ErrSecretKeyMismatch, "tim: error 70009: secret key or SDKAppID mismatch: the signature does not match the key"},
		{"negative expire", packUserSig(t, negativeExpire, zlib.NoCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigExpired, ""},
		{"empty", "", vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not zlib"},
		{"abc", "abc", vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not zlib"},
		{"not base64", "!!!!", vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not base64"},
		{"base64 of non-zlib", base64.StdEncoding.EncodeToString([]byte("hello, this is not zlib")), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not zlib"},
		{"truncated zlib", sig[:len(sig)-8], vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: corrupt zlib stream"},
		{"zlib of non-JSON", packRaw(t, []byte("TLS.sig: nope"), zlib.DefaultCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not a UserSig document"},
		{"zlib of a JSON array", packRaw(t, []byte(`["TLS.sig"]`), zlib.DefaultCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not a UserSig document"},
		{"non-integer time", packUserSig(t, badNumber, zlib.NoCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: not a UserSig document"},
		{"JSON without TLS.sig", packUserSig(t, noSig, zlib.NoCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: no TLS.sig"},
		{"JSON with empty TLS.sig", packUserSig(t, emptySig, zlib.NoCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: no TLS.sig"},
		{"empty JSON object", packRaw(t, []byte(`{}`), zlib.NoCompression, true), vecAppID, vecKey, vecIdentifier, ErrUserSigInvalid, "tim: error 70003: UserSig invalid: no TLS.sig"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifyUserSig(tc.sig, tc.appID, tc.key, tc.identifier, now)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			for _, other := range userSigSentinels {
				if other != tc.want {
					assert.NotErrorIs(t, err, other)
				}
			}
			if tc.wantText != "" {
				assert.Equal(t, tc.wantText, err.Error())
			}
			assert.NotContains(t, err.Error(), vecKey)
			assert.NotContains(t, err.Error(), vecKey[1:])
		})
	}
}

// TestVerifyUserSigSizeLimit checks the bound on the decompressed document:
// a valid document padded to exactly maxSigDoc bytes is accepted, one byte
// more is not, and a zlib bomb is refused without being inflated.
func TestVerifyUserSigSizeLimit(t *testing.T) {
	now := vecIssued.Add(time.Hour)
	js, err := json.Marshal(officialDoc(vecKey, vecAppID, vecIdentifier, vecTime, vecExpire))
	require.NoError(t, err)
	pad := func(n int) []byte { return append(append([]byte(nil), js...), bytes.Repeat([]byte(" "), n-len(js))...) }

	_, err = VerifyUserSig(packRaw(t, pad(maxSigDoc), zlib.BestCompression, true), vecAppID, vecKey, vecIdentifier, now)
	require.NoError(t, err, "exactly the limit")

	_, err = VerifyUserSig(packRaw(t, pad(maxSigDoc+1), zlib.BestCompression, true), vecAppID, vecKey, vecIdentifier, now)
	require.ErrorIs(t, err, ErrUserSigInvalid)
	assert.Equal(t, "tim: error 70003: UserSig invalid: too large", err.Error())

	const bombSize = 8 << 20
	bomb := packRaw(t, make([]byte, bombSize), zlib.BestCompression, true)
	require.Less(t, len(bomb), 64<<10, "the bomb is small on the wire")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = VerifyUserSig(bomb, vecAppID, vecKey, vecIdentifier, now)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrUserSigInvalid)
	assert.Equal(t, "tim: error 70003: UserSig invalid: too large", err.Error())
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(bombSize/8), "inflating stops at the limit instead of reading all %d bytes", bombSize)
}

func TestGenerateUserSigInputErrors(t *testing.T) {
	const key = "generate-input-errors-KEY-c0ffee"
	tests := []struct {
		name       string
		appID      uint64
		key        string
		identifier string
		validity   time.Duration
		want       string
	}{
		{"zero appid", 0, key, "admin", time.Hour, "tim: SDKAppID is zero"},
		{"appid past int64", 1 << 63, key, "admin", time.Hour, "tim: SDKAppID is out of range"},
		{"empty key", vecAppID, "", "admin", time.Hour, "tim: secret key is empty"},
		{"empty identifier", vecAppID, key, "", time.Hour, "tim: identifier is empty"},
		{"33-byte identifier", vecAppID, key, strings.Repeat("a", 33), time.Hour, "tim: identifier is 33 bytes; at most 32 are allowed"},
		{"33-byte utf-8 identifier", vecAppID, key, strings.Repeat("管", 11), time.Hour, "tim: identifier is 33 bytes; at most 32 are allowed"},
		{"zero validity", vecAppID, key, "admin", 0, "tim: UserSig validity must be at least one second"},
		{"validity under a second", vecAppID, key, "admin", 999 * time.Millisecond, "tim: UserSig validity must be at least one second"},
		{"negative validity", vecAppID, key, "admin", -time.Hour, "tim: UserSig validity must be at least one second"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := GenerateUserSig(tc.appID, tc.key, tc.identifier, vecIssued, tc.validity)
			require.Error(t, err)
			assert.Empty(t, sig)
			assert.Equal(t, tc.want, err.Error())
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), key)
		})
	}
}

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const (
	signerKey   = "key-signer-test-KEY-0123456789abcdef"
	signerAdmin = "administrator"
)

func TestNewKeySignerErrors(t *testing.T) {
	tests := []struct {
		name       string
		appID      uint64
		identifier string
		key        string
		opts       []SignerOption
		want       string
	}{
		{"zero appid", 0, signerAdmin, signerKey, nil, "tim: SDKAppID is zero"},
		{"empty identifier", vecAppID, "", signerKey, nil, "tim: identifier is empty"},
		{"empty key", vecAppID, signerAdmin, "", nil, "tim: secret key is empty"},
		{"33-byte identifier", vecAppID, strings.Repeat("a", 33), signerKey, nil, "tim: identifier is 33 bytes; at most 32 are allowed"},
		{"validity under a minute", vecAppID, signerAdmin, signerKey, []SignerOption{WithSignerValidity(59 * time.Second)}, "tim: UserSig validity must be at least a minute"},
		{"zero validity", vecAppID, signerAdmin, signerKey, []SignerOption{WithSignerValidity(0)}, "tim: UserSig validity must be at least a minute"},
		{"negative validity", vecAppID, signerAdmin, signerKey, []SignerOption{WithSignerValidity(-time.Hour)}, "tim: UserSig validity must be at least a minute"},
		{"nil clock", vecAppID, signerAdmin, signerKey, []SignerOption{WithSignerClock(nil)}, "tim: signer clock is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewKeySigner(tc.appID, tc.key, tc.identifier, tc.opts...)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, tc.want, err.Error())
			assert.NotContains(t, err.Error(), signerKey)
		})
	}

	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin, WithSignerValidity(time.Minute))
	require.NoError(t, err, "exactly a minute is allowed")
	assert.Equal(t, time.Minute, s.validity)
}

func TestKeySignerRenewsAtHalfValidity(t *testing.T) {
	tests := []struct {
		name     string
		opts     []SignerOption
		validity time.Duration
	}{
		{"default", nil, DefaultUserSigValidity},
		{"one minute", []SignerOption{WithSignerValidity(time.Minute)}, time.Minute},
		{"seven days", []SignerOption{WithSignerValidity(7 * 24 * time.Hour)}, 7 * 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t0 := time.Unix(1700000000, 0)
			clock := &fakeClock{now: t0}
			s, err := NewKeySigner(vecAppID, signerKey, signerAdmin, append(tc.opts, WithSignerClock(clock.Now))...)
			require.NoError(t, err)
			ctx := context.Background()

			first, err := s.UserSig(ctx)
			require.NoError(t, err)
			info, err := VerifyUserSig(first, vecAppID, signerKey, signerAdmin, clock.Now())
			require.NoError(t, err)
			assert.Equal(t, t0, info.IssuedAt)
			assert.Equal(t, tc.validity, info.Validity)

			clock.Advance(tc.validity/2 - time.Second)
			again, err := s.UserSig(ctx)
			require.NoError(t, err)
			assert.Equal(t, first, again, "cached until half the validity has passed")

			clock.Advance(time.Second)
			renewed, err := s.UserSig(ctx)
			require.NoError(t, err)
			assert.NotEqual(t, first, renewed, "renewed at half the validity")
			info, err = VerifyUserSig(renewed, vecAppID, signerKey, signerAdmin, clock.Now())
			require.NoError(t, err)
			assert.Equal(t, t0.Add(tc.validity/2), info.IssuedAt)
			assert.Equal(t, tc.validity, info.Validity)

			clock.Advance(tc.validity/2 - time.Second)
			cached, err := s.UserSig(ctx)
			require.NoError(t, err)
			assert.Equal(t, renewed, cached, "the renewed one is cached in turn")
		})
	}
}

func TestKeySignerInvalidate(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	clock := &fakeClock{now: t0}
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin, WithSignerClock(clock.Now))
	require.NoError(t, err)
	ctx := context.Background()

	s.Invalidate("anything") // before any signature: harmless
	first, err := s.UserSig(ctx)
	require.NoError(t, err)

	s.Invalidate("not-the-cached-one")
	cached, err := s.UserSig(ctx)
	require.NoError(t, err)
	require.Equal(t, first, cached, "invalidating another signature keeps the cached one")

	// Rejected within the same second: the new one must still differ.
	s.Invalidate(first)
	fresh, err := s.UserSig(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first, fresh)
	info, err := VerifyUserSig(fresh, vecAppID, signerKey, signerAdmin, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, t0.Add(time.Second), info.IssuedAt, "issued a second after the rejected one")

	clock.Advance(time.Minute)
	again, err := s.UserSig(ctx)
	require.NoError(t, err)
	assert.Equal(t, fresh, again, "the new signature is cached")

	s.Invalidate(first) // already replaced: nothing happens
	again, err = s.UserSig(ctx)
	require.NoError(t, err)
	assert.Equal(t, fresh, again)

	s.Invalidate(fresh)
	later, err := s.UserSig(ctx)
	require.NoError(t, err)
	info, err = VerifyUserSig(later, vecAppID, signerKey, signerAdmin, clock.Now())
	require.NoError(t, err)
	assert.Equal(t, clock.Now(), info.IssuedAt, "issued now when now is later than a second after")
}

func TestKeySignerConcurrent(t *testing.T) {
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin)
	require.NoError(t, err)
	var signs atomic.Int32
	sign := s.sign
	s.sign = func(issuedAt time.Time) (string, error) {
		signs.Add(1)
		return sign(issuedAt)
	}

	const goroutines, calls = 50, 20
	sigs := make([][]string, goroutines)
	errs := make([]error, goroutines)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < calls; i++ {
				sig, err := s.UserSig(context.Background())
				if err != nil {
					errs[g] = err
					return
				}
				sigs[g] = append(sigs[g], sig)
			}
		}()
	}
	close(start)
	wg.Wait()

	distinct := map[string]bool{}
	for g := range sigs {
		require.NoError(t, errs[g])
		require.Len(t, sigs[g], calls)
		for _, sig := range sigs[g] {
			distinct[sig] = true
		}
	}
	// A fresh signer signs once, whoever gets there first; the others wait
	// for it and take its signature.
	assert.Equal(t, int32(1), signs.Load(), "signatures made")
	assert.Len(t, distinct, 1)
	now := time.Now()
	for sig := range distinct {
		info, err := VerifyUserSig(sig, vecAppID, signerKey, signerAdmin, now)
		require.NoError(t, err)
		assert.Equal(t, DefaultUserSigValidity, info.Validity)
	}
}

func TestKeySignerConcurrentInvalidate(t *testing.T) {
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin)
	require.NoError(t, err)
	var wg sync.WaitGroup
	bad := make(chan error, 50*10)
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				sig, err := s.UserSig(context.Background())
				if err == nil && (g+i)%7 == 0 {
					s.Invalidate(sig)
					sig, err = s.UserSig(context.Background())
				}
				if err == nil {
					_, err = VerifyUserSig(sig, vecAppID, signerKey, signerAdmin, time.Now())
				}
				if err != nil {
					bad <- err
				}
			}
		}()
	}
	wg.Wait()
	close(bad)
	for err := range bad {
		assert.NoError(t, err)
	}
}

func TestKeySignerCachedCallDoesNotWaitForRenewal(t *testing.T) {
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin)
	require.NoError(t, err)
	want, err := s.UserSig(context.Background())
	require.NoError(t, err)

	s.mu.Lock() // as if another goroutine were renewing
	defer s.mu.Unlock()
	got := make(chan string, 1)
	go func() {
		sig, _ := s.UserSig(context.Background())
		got <- sig
	}()
	select {
	case sig := <-got:
		assert.Equal(t, want, sig)
	case <-time.After(2 * time.Second):
		t.Fatal("a cached UserSig waited for the renewal lock")
	}
}

func TestKeySignerCachedCallDoesNotAllocate(t *testing.T) {
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin)
	require.NoError(t, err)
	ctx := context.Background()
	want, err := s.UserSig(ctx)
	require.NoError(t, err)
	var got string
	allocs := testing.AllocsPerRun(200, func() { got, _ = s.UserSig(ctx) })
	assert.Zero(t, allocs)
	assert.Equal(t, want, got)
}

func TestStaticUserSig(t *testing.T) {
	s, err := StaticUserSig("SECRETSIG")
	require.NoError(t, err)
	sig, err := s.UserSig(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "SECRETSIG", sig)

	for _, bad := range []string{"", "a b", "sig\n", "sig\x00", "sïg"} {
		s, err := StaticUserSig(bad)
		assert.Error(t, err, "%q is refused when the signer is made", bad)
		assert.Nil(t, s)
	}
}

var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%10.3v", "%-40s"}

func TestSignersDoNotPrintSecrets(t *testing.T) {
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin, WithSignerValidity(2*time.Hour))
	require.NoError(t, err)
	sig, err := s.UserSig(context.Background())
	require.NoError(t, err)
	const keySignerText = `tim.KeySigner{SDKAppID: 1400000000, Identifier: "administrator", Validity: 2h0m0s}`
	assert.Equal(t, keySignerText, s.String())

	static := mustStatic("SECRETSIG")
	const staticText = "tim.StaticUserSig([redacted])"

	type holder struct {
		Signer UserSigner
		Key    *KeySigner
	}
	// Unexported fields are printed without calling Format.
	type private struct {
		signer UserSigner
		key    *KeySigner
	}
	secrets := []string{signerKey, sig, strings.NewReplacer("*", "+", "-", "/", "_", "=").Replace(sig), "SECRETSIG"}

	for _, verb := range printVerbs {
		t.Run(verb, func(t *testing.T) {
			outputs := map[string]string{
				"*KeySigner":        fmt.Sprintf(verb, s),
				"StaticUserSig":     fmt.Sprintf(verb, static),
				"UserSigner(*Key)":  fmt.Sprintf(verb, UserSigner(s)),
				"holder":            fmt.Sprintf(verb, holder{Signer: static, Key: s}),
				"pointer to holder": fmt.Sprintf(verb, &holder{Signer: s, Key: s}),
				"slice":             fmt.Sprintf(verb, []UserSigner{s, static}),
				"map":               fmt.Sprintf(verb, map[string]UserSigner{"a": s, "b": static}),
				"unexported fields": fmt.Sprintf(verb, private{signer: static, key: s}),
			}
			for name, out := range outputs {
				for _, secret := range secrets {
					assert.NotContains(t, out, secret, "%s printed with %s", name, verb)
				}
			}
			// Format ignores the verb and its flags.
			assert.Equal(t, keySignerText, outputs["*KeySigner"])
			assert.Equal(t, keySignerText, outputs["UserSigner(*Key)"])
			assert.Equal(t, staticText, outputs["StaticUserSig"])
		})
	}
}

func BenchmarkKeySignerCached(b *testing.B) {
	s, err := NewKeySigner(vecAppID, signerKey, signerAdmin)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.UserSig(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.UserSig(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerateUserSig(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := GenerateUserSig(vecAppID, vecKey, vecIdentifier, vecIssued, vecValidity); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzVerifyUserSig(f *testing.F) {
	valid, err := GenerateUserSig(vecAppID, vecKey, vecIdentifier, vecIssued, vecValidity)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid, vecAppID, vecIdentifier)
	f.Add(valid, vecAppID+1, vecIdentifier)
	f.Add(valid, vecAppID, "someone")
	f.Add("garbage", vecAppID, vecIdentifier)
	f.Add("eJyrVkpJLElUslIqLU4tUqoFAC4cBS4_", vecAppID, vecIdentifier)
	f.Add("", uint64(0), "")
	now := vecIssued.Add(time.Hour)

	f.Fuzz(func(t *testing.T, sig string, appID uint64, identifier string) {
		info, err := VerifyUserSig(sig, appID, vecKey, identifier, now)
		if err != nil {
			matched := 0
			for _, s := range userSigSentinels {
				if errors.Is(err, s) {
					matched++
				}
			}
			if matched != 1 {
				t.Fatalf("error %q matches %d of the UserSig sentinels, want 1", err, matched)
			}
			if strings.Contains(err.Error(), vecKey) {
				t.Fatalf("error %q shows the key", err)
			}
			return
		}
		if info.Identifier != identifier || info.SDKAppID != appID {
			t.Fatalf("accepted a UserSig for %q/%d as one for %q/%d", info.Identifier, info.SDKAppID, identifier, appID)
		}
		if now.After(info.ExpiresAt()) {
			t.Fatalf("accepted a UserSig that expired at %v", info.ExpiresAt())
		}
	})
}
