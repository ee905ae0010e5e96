package tim

// VerifyUserSig: signatures made by other encoders, expiry, every way a
// signature can be wrong, and the size limit.

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
				if !errors.Is(other, tc.want) {
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
