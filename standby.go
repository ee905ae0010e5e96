package tim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"
)

// StandbyProbeInterval is how long a client that moved to a standby base
// URL ([WithStandby]) stays there before it tries the primary again.
const StandbyProbeInterval = 30 * time.Second

// WithStandby gives the client standby base URLs, tried in order when a
// connection to the current one cannot be made: a DNS failure, a refused
// connection, a failed TLS handshake. Nothing of the request was sent in
// those cases, so the request moves to the next base URL at once, whatever
// the command, and the move is not counted as a retry. A request that may
// have reached the server (a reset, a timeout, a 5xx, any answer) is never
// sent elsewhere; it is retried, or not, where it was, as [RetryPolicy]
// says.
//
// The client stays on the base URL it moved to, and after
// [StandbyProbeInterval] sends one request to the primary again: if that
// connects, the client goes back. Every move is logged at Warn level
// through [WithLogger] ("tim standby", with the hosts and the reason; no
// query, no secret).
//
// The Chat docs give a standby domain for most regions, for when DNS is
// hijacked ([Region.StandbyURL]):
//
//	tim.WithRegion(tim.RegionSingapore),
//	tim.WithStandby(tim.RegionSingapore.StandbyURL()),
//
// Each URL follows the rules of [WithBaseURL].
func WithStandby(baseURLs ...string) Option {
	return optionFunc(func(s *settings) error {
		if len(baseURLs) == 0 {
			return errors.New("tim: WithStandby: no base URL")
		}
		for _, raw := range baseURLs {
			if raw == "" {
				return errors.New("tim: WithStandby: empty base URL (the region may have no known standby domain)")
			}
			u, err := parseBaseURL(raw)
			if err != nil {
				return err
			}
			s.standby = append(s.standby, u)
		}
		return nil
	})
}

// endpoints is where a client sends requests: the primary base URL and its
// standbys, and which of them is in use.
type endpoints struct {
	urls   []string // base URL + apiPrefix; urls[0] is the primary's
	hosts  []string // for log records
	logger *slog.Logger
	probe  time.Duration

	mu      sync.Mutex
	cur     int       // the one in use
	since   time.Time // when cur was chosen, or last found the primary down
	probing bool      // a request is trying the primary
}

func newEndpoints(bases []string, logger *slog.Logger) *endpoints {
	e := &endpoints{logger: logger, probe: StandbyProbeInterval}
	for _, b := range bases {
		e.urls = append(e.urls, b+apiPrefix)
		host := b
		if u, err := url.Parse(b); err == nil {
			host = u.Host
		}
		e.hosts = append(e.hosts, host)
	}
	return e
}

// pick returns the endpoint an attempt should use. With standbys, once the
// probe interval has passed, one attempt at a time goes to the primary.
func (e *endpoints) pick() int {
	if len(e.urls) == 1 {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cur > 0 && !e.probing && time.Since(e.since) >= e.probe {
		e.probing = true
		return 0
	}
	return e.cur
}

// done records how an attempt on endpoint i ended: connected is false when
// no connection could be made (nothing was sent). It reports whether the
// request should be sent again at once, to the endpoint pick now returns.
func (e *endpoints) done(ctx context.Context, i int, connected bool, reason error) bool {
	if len(e.urls) == 1 {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	probed := i == 0 && e.cur > 0
	if probed {
		e.probing = false
	}
	switch {
	case connected && probed:
		e.log(ctx, e.cur, 0, "the primary answers again")
		e.cur, e.since = 0, time.Now()
		return false
	case connected:
		return false // a success, or a failure after connecting, never moves
	case probed:
		e.since = time.Now() // still down: stay on the standby
		return true
	case i != e.cur:
		return true // another request already moved on
	case i+1 < len(e.urls):
		e.log(ctx, i, i+1, "cannot connect: "+reason.Error())
		e.cur, e.since = i+1, time.Now()
		return true
	}
	return false // the last one: the error goes to the caller
}

// unused records that an attempt picked for endpoint i ended before it
// sent anything (its context ended while it waited, say).
func (e *endpoints) unused(i int) {
	if len(e.urls) == 1 || i != 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cur > 0 {
		e.probing = false // the probe was not made: the next attempt makes it
	}
}

func (e *endpoints) log(ctx context.Context, from, to int, why string) {
	if e.logger == nil {
		return
	}
	e.logger.LogAttrs(ctx, slog.LevelWarn, "tim standby",
		slog.String("from", e.hosts[from]), slog.String("to", e.hosts[to]), slog.String("reason", why))
}

// unconnected reports whether err says no connection to the server could
// be made, so that nothing of the request was sent: a DNS failure, a
// refused or unreachable dial, a proxy that would not connect, a TLS
// handshake that failed.
func unconnected(err error) bool {
	if connectFailed(err) {
		return true
	}
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
		alert     tls.AlertError
		op        *net.OpError
	)
	if errors.As(err, &verify) || errors.As(err, &authority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &record) || errors.As(err, &alert) {
		return true
	}
	if errors.As(err, &op) && op.Op == "remote error" {
		return true // an alert from the server during the handshake
	}
	return strings.Contains(err.Error(), "TLS handshake") // net/http's handshake timeout
}
