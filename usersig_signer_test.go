package tim

// The UserSigners: KeySigner (caching, renewal, Invalidate, concurrency)
// and StaticUserSig, and that printing either never shows a secret.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
