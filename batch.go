package tim

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// ItemResult is the outcome of a write for one item of a list: a permission
// group of [Client.DestroyPermissionGroups], a topic of
// [Client.AddTopicPermissions], an account of
// [Client.AddPermissionGroupMembers], and so on. The call as a whole can
// succeed while some items failed; check each with [ItemResult.Err].
type ItemResult struct {
	// Command is the REST command the result is from.
	Command string
	// ID is the item the result is about: a permission group ID, a topic ID
	// or an account.
	ID string
	// ErrorCode and ErrorInfo are the item's result; 0 is success.
	ErrorCode ErrorCode
	ErrorInfo string
}

// Err returns the item's failure as an [*ItemError], or nil when it
// succeeded:
//
//	if errors.Is(r.Err(), tim.ErrAlreadyMember) { ... }
func (r ItemResult) Err() error { return itemError(r.Command, r.ID, r.ErrorCode, r.ErrorInfo) }

// BatchError is the error of a write on a list ([Client.DestroyPermissionGroups],
// [Client.AddTopicPermissions], [Client.AddPermissionGroupMembers], ...) that
// took several requests, one of which failed. Long lists are sent in
// requests of at most the documented size, one after another, and the first
// failure stops the call. The write's items then fall in three parts, in
// order:
//
//   - Results: the results of the requests that succeeded, one per item
//     (the same slice the call returns with the error), so that
//     `if err != nil { return err }` loses nothing: they stay reachable
//     with errors.As;
//   - Unconfirmed: the items of the request that failed. Whether the service
//     applied them depends on Err, as [BatchError.MayHaveApplied] says: not
//     if it refused the request (an *APIError such as [ErrGroupNotFound] or
//     a rate limit); perhaps if the answer was lost or unreadable. Read them
//     back to know.
//   - NotSent: the items of the requests after it, never sent.
//
// A list that fits one request fails with that request's own error, not a
// BatchError: nothing of it was confirmed.
//
// It unwraps to Err, so errors.Is(err, tim.ErrGroupNotFound) and
// errors.As(err, &apiErr) see the request's own error.
type BatchError struct {
	Command     string       // the REST command
	Err         error        // the failed request's error
	Request     int          // which request failed, from 1
	Requests    int          // how many requests the list needed
	Results     []ItemResult // the results of the requests before it
	Unconfirmed []string     // the IDs the failed request named
	NotSent     []string     // the IDs of the requests after it
}

// Error says what happened, e.g. "tim: add_permission_group_member: request
// 2 of 3 failed after 100 accounts were done; its 100 accounts may or may
// not have been applied, 50 were not sent: transport: EOF".
func (e *BatchError) Error() string {
	kind := itemKind(e.Command) + "s"
	var b strings.Builder
	b.WriteString("tim: " + e.Command + ": request " + strconv.Itoa(e.Request) + " of " + strconv.Itoa(e.Requests) + " failed")
	if len(e.Results) > 0 {
		b.WriteString(" after " + strconv.Itoa(len(e.Results)) + " " + kind + " were done")
	}
	b.WriteString("; its " + strconv.Itoa(len(e.Unconfirmed)) + " " + kind)
	if e.MayHaveApplied() {
		b.WriteString(" may or may not have been applied")
	} else {
		b.WriteString(" were not applied")
	}
	if len(e.NotSent) > 0 {
		b.WriteString(", " + strconv.Itoa(len(e.NotSent)) + " were not sent")
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "tim: "+e.Command+": "))
	return b.String()
}

// Unwrap returns the failed request's error.
func (e *BatchError) Unwrap() error { return e.Err }

// MayHaveApplied reports whether the service may have acted on the failed
// request's items (Unconfirmed), as [MayHaveApplied] says of Err.
func (e *BatchError) MayHaveApplied() bool { return MayHaveApplied(e.Err) }

// MayHaveApplied reports whether the service may have acted on a request
// that failed with err, an error of a call of this package: true when the
// answer was lost, cut short or unreadable (a [*TransportError] after the
// connection was made, an [*HTTPError] other than 429, a [*DecodeError]) or
// was an internal error (10002, 60008, 70169, 70202, 70500); false when the
// service refused the request before acting (any other [*APIError]: a bad
// parameter, a missing group, a rate limit, a rejected UserSig) or nothing
// was sent (a [*ValidationError], a connection never made, a wait that
// ended). Read the items back when it says true: whether they were applied
// is unknown. For an error of another kind it returns false.
func MayHaveApplied(err error) bool {
	var (
		apiErr   *APIError
		transErr *TransportError
		httpErr  *HTTPError
		decErr   *DecodeError
	)
	switch {
	case errors.As(err, &apiErr):
		return internalErrors[apiErr.Code]
	case errors.As(err, &transErr):
		return !transErr.notSent()
	case errors.As(err, &httpErr):
		return httpErr.StatusCode != 429
	case errors.As(err, &decErr):
		return true
	}
	return false // a validation error, or a wait that ended: nothing was sent
}

// inBatches sends items, whose IDs are ids, in runs of at most size, one
// request after another, and gathers their results in the order of items.
// It stops at the first failed request. A list of one request returns that
// request's error; a longer one returns the results of the requests before
// the failure with a *BatchError, so every change the service confirmed is
// reported and every other item is accounted for. Requests run in sequence
// rather than in parallel for that reason: on failure the results are
// always a prefix of items.
func inBatches[T any](ctx context.Context, command string, items []T, ids []string, size int, send func(ctx context.Context, batch []T, batchIDs []string) ([]ItemResult, error)) ([]ItemResult, error) {
	out := make([]ItemResult, 0, len(items))
	requests := (len(items) + size - 1) / size
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		res, err := send(ctx, items[start:end], ids[start:end])
		if err != nil {
			if requests == 1 {
				return nil, err
			}
			return out, &BatchError{
				Command: command, Err: err, Request: start/size + 1, Requests: requests,
				Results: out, Unconfirmed: ids[start:end:end], NotSent: ids[end:len(ids):len(ids)],
			}
		}
		out = append(out, res...)
	}
	return out, nil
}

// listShape says how [inOrder] reads an answer's per-item list.
type listShape uint8

const (
	// listDocumented: the docs show the list; an answer without it is
	// malformed.
	listDocumented listShape = iota
	// listInferred: no sample shows the list; an answer without it means
	// every item succeeded.
	listInferred
	// listOfFailures: as listInferred, and an item the list leaves out
	// succeeded too (deleting a permission-group member cannot fail for one
	// account alone: deleting a non-member succeeds).
	listOfFailures
)

// inOrder returns the results of a response list in the order of ids. An
// answer that does not match the request is a *DecodeError, never a silent
// success: an item the list leaves out (unless shape says that means
// success), an item the request did not name, or an item listed twice with
// different results.
func inOrder(command string, ids []string, got []ItemResult, shape listShape) ([]ItemResult, error) {
	if got == nil {
		if shape == listDocumented {
			return nil, &DecodeError{Command: command, Err: errors.New("the answer has no per-item result list")}
		}
		out := make([]ItemResult, len(ids))
		for i, id := range ids {
			out[i] = ItemResult{Command: command, ID: id}
		}
		return out, nil
	}
	same := len(got) == len(ids)
	for i := 0; same && i < len(got); i++ {
		same = got[i].ID == ids[i]
	}
	if same { // the usual case: the server answers in request order
		return got, nil
	}
	asked := make(map[string]bool, len(ids))
	for _, id := range ids {
		asked[id] = true
	}
	byID := make(map[string]ItemResult, len(got))
	for _, r := range got {
		if !asked[r.ID] {
			return nil, &DecodeError{Command: command, Err: errors.New("the answer has a result for " + quoteID(r.ID) + ", which the request did not name")}
		}
		if prev, dup := byID[r.ID]; dup && prev != r {
			return nil, &DecodeError{Command: command, Err: errors.New("the answer has two different results for " + quoteID(r.ID))}
		}
		byID[r.ID] = r
	}
	out := make([]ItemResult, len(ids))
	for i, id := range ids {
		r, ok := byID[id]
		switch {
		case !ok && shape == listOfFailures:
			r = ItemResult{Command: command, ID: id}
		case !ok:
			return nil, &DecodeError{Command: command, Err: errors.New("no result for " + quoteID(id) + " in the answer")}
		}
		out[i] = r
	}
	return out, nil
}

// inRequestOrder returns the items of an answer's list in the order of ids,
// checked as inOrder checks a list of results (every ID once, none the
// request did not name); result gives an item's ID and per-item code. A
// null item is a *DecodeError.
func inRequestOrder[T any](command string, ids []string, list []*T, result func(*T) ItemResult) ([]T, error) {
	got := make([]ItemResult, len(list))
	byID := make(map[string]*T, len(list))
	for i, it := range list {
		if it == nil {
			return nil, nullItem(command, i)
		}
		got[i] = result(it)
		byID[got[i].ID] = it
	}
	if _, err := inOrder(command, ids, got, listDocumented); err != nil {
		return nil, err
	}
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = *byID[id]
	}
	return out, nil
}

// itemResults turns the per-item list of an answer into results, in the
// answer's order. A list the answer did not hold (nil) stays nil, which
// [inOrder] reads as "every item succeeded"; a null item is a *DecodeError.
func itemResults[T any](command string, list []*T, result func(*T) ItemResult) ([]ItemResult, error) {
	if list == nil {
		return nil, nil
	}
	out := make([]ItemResult, len(list))
	for i, it := range list {
		if it == nil {
			return nil, nullItem(command, i)
		}
		out[i] = result(it)
		out[i].Command = command
	}
	return out, nil
}

// Ptr returns a pointer to v, for the optional fields of a request such as
// [ModifyPermissionGroupRequest]:
//
//	req := &tim.ModifyPermissionGroupRequest{Name: tim.Ptr("moderators")}
func Ptr[T any](v T) *T { return &v }
