package tim

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// logAttempt writes the one record of an attempt: see WithLogger.
func (c *Client) logAttempt(ctx context.Context, r *route, attempt int, took attemptTimes, err error, why retryReason, wait time.Duration) {
	if c.logger == nil {
		return
	}
	level := slog.LevelDebug
	switch {
	case err != nil && why != noRetry:
		level = slog.LevelInfo
	case err != nil:
		level = slog.LevelWarn
	}
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("command", r.command),
		slog.String("service", r.service),
		slog.Int("attempt", attempt),
		slog.Duration("duration", took.exchange),
		slog.Duration("limiter_wait", took.limiter),
	)
	if err == nil {
		attrs = append(attrs, slog.String("outcome", "ok"))
		c.logger.LogAttrs(ctx, level, "tim request", attrs...)
		return
	}
	attrs = append(attrs, slog.String("outcome", outcomeOf(err)))
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		attrs = append(attrs, slog.Int("error_code", int(apiErr.Code)))
	}
	var httpErr *HTTPError
	if errors.As(err, &httpErr) {
		attrs = append(attrs, slog.Int("http_status", httpErr.StatusCode))
	}
	attrs = append(attrs, slog.Bool("will_retry", why != noRetry))
	if why != noRetry {
		attrs = append(attrs, slog.String("retry_reason", why.String()), slog.Duration("retry_in", wait))
	}
	c.logger.LogAttrs(ctx, level, "tim request", attrs...)
}

// outcomeOf names the kind of failure for a log record.
func outcomeOf(err error) string {
	var (
		apiErr    *APIError
		httpErr   *HTTPError
		decodeErr *DecodeError
		transErr  *TransportError
	)
	switch {
	case errors.As(err, &apiErr):
		return "api_error"
	case errors.As(err, &httpErr):
		return "http_error"
	case errors.As(err, &decodeErr):
		return "decode_error"
	case errors.As(err, &transErr):
		return "transport_error"
	default:
		return "error"
	}
}
