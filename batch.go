package tim

import (
	"context"
	"errors"
	"strconv"
)

// ItemResult is the outcome of a write for one item of a list: a permission
// group of [Client.DestroyPermissionGroups], a topic of
// [Client.AddTopicPermissions], an account of
// [Client.AddPermissionGroupMembers], and so on. The call as a whole can
// succeed while some items failed; check each with [ItemResult.Err].
type ItemResult struct {
	// ID is the item the result is about: a permission group ID, a topic ID
	// or an account.
	ID string
	// ErrorCode and ErrorInfo are the item's result; 0 is success.
	ErrorCode ErrorCode
	ErrorInfo string
}

// Err returns the item's failure as an *APIError, or nil when it succeeded:
//
//	if errors.Is(r.Err(), tim.ErrAlreadyMember) { ... }
func (r ItemResult) Err() error { return itemError("", r.ErrorCode, r.ErrorInfo) }

// BatchError is the error of a write on a list ([Client.DestroyPermissionGroups],
// [Client.AddTopicPermissions], [Client.AddPermissionGroupMembers], ...) when
// one of its requests failed. Long lists are sent in several requests, one
// after another, and the first failure stops the call. The write's items then
// fall in three parts, in order:
//
//   - the items of the requests that succeeded: their results are returned
//     with the error;
//   - Unconfirmed: the items of the request that failed. Whether the service
//     applied them depends on Err: not if it refused the request (an
//     *APIError such as [ErrGroupNotFound] or a rate limit); perhaps if the
//     answer was lost or unreadable (a *TransportError, an *HTTPError, a
//     *DecodeError, an internal error such as [ErrInternal]). Read them back
//     to know.
//   - NotSent: the items of the requests after it, never sent.
//
// It unwraps to Err, so errors.Is(err, tim.ErrGroupNotFound) and
// errors.As(err, &apiErr) see the request's own error.
type BatchError struct {
	Command     string   // the REST command
	Err         error    // the failed request's error
	Unconfirmed []string // the IDs the failed request named
	NotSent     []string // the IDs of the requests after it
}

// Error returns the failed request's error with how many items it left unconfirmed and unsent.
func (e *BatchError) Error() string {
	return "tim: " + e.Command + ": " + strconv.Itoa(len(e.Unconfirmed)) + " items unconfirmed, " +
		strconv.Itoa(len(e.NotSent)) + " not sent: " + e.Err.Error()
}

// Unwrap returns the failed request's error.
func (e *BatchError) Unwrap() error { return e.Err }

// inBatches sends items, whose IDs are ids, in runs of at most size, one
// request after another, and gathers their results in the order of items.
// It stops at the first failed request and returns the results of the
// requests before it with a *BatchError, so every change the service
// confirmed is reported and every other item is accounted for. Requests run
// in sequence rather than in parallel for that reason: on failure the
// results are always a prefix of items.
func inBatches[T any](ctx context.Context, command string, items []T, ids []string, size int, send func(ctx context.Context, batch []T, batchIDs []string) ([]ItemResult, error)) ([]ItemResult, error) {
	out := make([]ItemResult, 0, len(items))
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		res, err := send(ctx, items[start:end], ids[start:end])
		if err != nil {
			return out, &BatchError{Command: command, Err: err, Unconfirmed: ids[start:end:end], NotSent: ids[end:len(ids):len(ids)]}
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
// item the list leaves out is a *DecodeError, unless shape says otherwise:
// what happened to it is unknown.
func inOrder(command string, ids []string, got []ItemResult, shape listShape) ([]ItemResult, error) {
	if got == nil {
		if shape == listDocumented {
			return nil, &DecodeError{Command: command, Err: errors.New("the answer has no per-item result list")}
		}
		out := make([]ItemResult, len(ids))
		for i, id := range ids {
			out[i] = ItemResult{ID: id}
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
	byID := make(map[string]ItemResult, len(got))
	for _, r := range got {
		byID[r.ID] = r
	}
	out := make([]ItemResult, len(ids))
	for i, id := range ids {
		r, ok := byID[id]
		switch {
		case !ok && shape == listOfFailures:
			r = ItemResult{ID: id}
		case !ok:
			return nil, &DecodeError{Command: command, Err: errors.New("no result for " + strconv.Quote(id) + " in the answer")}
		}
		out[i] = r
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
	}
	return out, nil
}

// checkIDs validates a list of IDs a write names: not empty, no empty or
// repeated entry (a repeated ID would make the per-item results ambiguous).
func checkIDs(command, field string, ids []string) error {
	if len(ids) == 0 {
		return invalid(command, field, "is empty")
	}
	seen := make(map[string]struct{}, len(ids))
	for i, id := range ids {
		if id == "" {
			return invalid(command, field, "entry "+strconv.Itoa(i)+" is empty")
		}
		if _, dup := seen[id]; dup {
			return invalid(command, field, strconv.Quote(id)+" appears more than once")
		}
		seen[id] = struct{}{}
	}
	return nil
}

// Ptr returns a pointer to v, for the optional fields of a request such as
// [ModifyPermissionGroupRequest]:
//
//	req := &tim.ModifyPermissionGroupRequest{Name: tim.Ptr("moderators")}
func Ptr[T any](v T) *T { return &v }
