package tim

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
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
// Whether anything was sent is decided from what happened on the
// connection (was one made, was the request written), never from the
// error's type or text: a TLS error after the request was written, or
// while the answer was read, keeps the request where it was.
//
// The client stays on the base URL it moved to, and after
// [StandbyProbeInterval] sends one request to the primary again: if the
// service answers it (a success, or an error code of the service's own
// other than an internal error), the client goes back; if it fails in any
// other way (no connection, a 502 page, a dropped answer), the client
// stays on the standby, and the request is retried there as [RetryPolicy]
// allows. Every move is logged at Warn level
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
	now    func() time.Time // time.Now, or a test's clock

	mu      sync.Mutex
	cur     int       // the one in use
	since   time.Time // when cur was chosen, or last found the primary down
	probing bool      // a request is trying the primary
}

func newEndpoints(bases []string, logger *slog.Logger) *endpoints {
	e := &endpoints{logger: logger, probe: StandbyProbeInterval, now: time.Now}
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
	if e.cur > 0 && !e.probing && e.now().Sub(e.since) >= e.probe {
		e.probing = true
		return 0
	}
	return e.cur
}

// done records how an attempt on endpoint i ended, with err (nil for a
// success). It reports whether the request should be sent again at once,
// to the endpoint pick now returns: only when no connection could be made
// (see sendStateOf).
func (e *endpoints) done(ctx context.Context, i int, err error) bool {
	if len(e.urls) == 1 {
		return false
	}
	var te *TransportError
	reached := !errors.As(err, &te) || te.sent != noConnection
	e.mu.Lock()
	defer e.mu.Unlock()
	probed := i == 0 && e.cur > 0
	if probed {
		e.probing = false
	}
	switch {
	case probed && answered(err):
		e.log(ctx, e.cur, 0, "the primary answers again")
		e.cur, e.since = 0, e.now()
		return false
	case !reached && ctx.Err() != nil:
		// The caller gave up while the connection was being made: that
		// says nothing of the endpoint. Nothing moves, and a probe waits
		// for the next request.
		return false
	case probed:
		e.since = e.now() // no answer yet: stay on the standby
		return !reached
	case reached:
		return false // a success, or a failure after connecting, never moves
	case i != e.cur:
		return true // another request already moved on
	case i+1 < len(e.urls):
		e.log(ctx, i, i+1, "cannot connect: "+err.Error())
		e.cur, e.since = i+1, e.now()
		return true
	}
	return false // the last one: the error goes to the caller
}

// answered reports whether err (nil for a success) is an answer of the
// service itself: a well-formed envelope that is not an internal error.
func answered(err error) bool {
	var apiErr *APIError
	return err == nil || errors.As(err, &apiErr) && !internalErrors[apiErr.Code]
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
