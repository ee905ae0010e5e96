package community

import (
	"context"
	"errors"

	"github.com/timkit/tim"
)

// class is what an item's answer means for the wanted state.
type class int

const (
	classDone    class = iota // written now
	classAlready              // the answer says the wanted state already holds
	classFollow               // the answer needs a read or another write to settle
	classFailed               // refused
)

// listRun is what happened to the items of one split write.
type listRun struct {
	done, already, follow, failed, unknown, notSent []string
	err                                             error // the request's error, or the first refused item's
	calls                                           int
}

// runList sends items with send (a split write of the SDK, limit a request)
// and sorts them by what their answers mean, as classify says for an item
// error (nil: done).
func runList(ctx context.Context, items []string, limit int, send func(context.Context, []string) ([]tim.ItemResult, error), classify func(error) class) listRun {
	var r listRun
	if len(items) == 0 {
		return r
	}
	results, err := send(ctx, items)
	var be *tim.BatchError
	switch {
	case err == nil:
		r.calls = (len(items) + limit - 1) / limit
	case errors.As(err, &be):
		r.calls = be.Request
		results = be.Results
	default:
		r.calls = callsOf(err)
	}
	answered := make(map[string]bool, len(results))
	for _, res := range results {
		answered[res.ID] = true
		ierr := res.Err()
		c := classDone
		if ierr != nil {
			c = classify(ierr)
		}
		switch c {
		case classDone:
			r.done = append(r.done, res.ID)
		case classAlready:
			r.already = append(r.already, res.ID)
		case classFollow:
			r.follow = append(r.follow, res.ID)
		default:
			r.failed = append(r.failed, res.ID)
			if r.err == nil {
				r.err = ierr
			}
		}
	}
	if err == nil {
		for _, id := range items {
			if !answered[id] { // the SDK answers every item; a server that did not leaves it unknown
				r.unknown = append(r.unknown, id)
				if r.err == nil {
					r.err = errors.New("the answer does not mention " + id)
				}
			}
		}
		return r
	}
	r.err = err
	var unconfirmed, notSent []string
	if be != nil {
		unconfirmed, notSent = be.Unconfirmed, be.NotSent
	} else {
		for _, id := range items {
			if !answered[id] {
				unconfirmed = append(unconfirmed, id)
			}
		}
	}
	if mayHaveApplied(err) {
		r.unknown = append(r.unknown, unconfirmed...)
	} else {
		r.failed = append(r.failed, unconfirmed...)
	}
	r.notSent = append(r.notSent, notSent...)
	return r
}

// merge adds the items and calls of a follow-up write to r.
func (r *listRun) merge(f listRun) {
	r.done = append(r.done, f.done...)
	r.already = append(r.already, f.already...)
	r.failed = append(r.failed, f.failed...)
	r.unknown = append(r.unknown, f.unknown...)
	r.notSent = append(r.notSent, f.notSent...)
	r.calls += f.calls
	if r.err == nil {
		r.err = f.err
	}
}

// outcome turns r into the operation's outcome. Items still waiting for a
// follow-up count as failed: the wanted state is not confirmed.
func (r *listRun) outcome(o *Op) Outcome {
	out := Outcome{Op: o, Done: r.done, AlreadyDone: r.already, Failed: append(r.failed, r.follow...),
		Unknown: r.unknown, NotSent: r.notSent, Calls: r.calls, Status: Applied}
	switch {
	case len(out.Unknown) > 0:
		out.Status, out.Err = Unknown, r.err
	case len(out.Failed) > 0 || len(out.NotSent) > 0:
		out.Status, out.Err = Failed, r.err
	}
	if out.Status != Applied && out.Err == nil {
		out.Err = errors.New("not confirmed")
	}
	return out
}

// mayHaveApplied reports whether a failed request may have been acted on.
// For the SDK's errors it asks tim.MayHaveApplied, which knows whether a
// transport failure happened before anything was sent; an error of another
// kind (from a Client of yours) may have, unless it is only the context's.
func mayHaveApplied(err error) bool {
	var (
		ve *tim.ValidationError
		ae *tim.APIError
		te *tim.TransportError
		he *tim.HTTPError
		de *tim.DecodeError
	)
	switch {
	case errors.As(err, &ve), errors.As(err, &ae), errors.As(err, &te), errors.As(err, &he), errors.As(err, &de):
		return tim.MayHaveApplied(err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	}
	return true
}

// failure is the status of a one-request operation that failed with err.
func failure(err error) Status {
	if mayHaveApplied(err) {
		return Unknown
	}
	return Failed
}
