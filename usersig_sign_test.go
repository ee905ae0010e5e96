package tim

// GenerateUserSig: the TLSSigAPIv2 test vector, the signed content, and
// round trips through the package's own and a hand-made decoder.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func BenchmarkGenerateUserSig(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := GenerateUserSig(vecAppID, vecKey, vecIdentifier, vecIssued, vecValidity); err != nil {
			b.Fatal(err)
		}
	}
}
