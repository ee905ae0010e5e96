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

// inBatches sends items in runs of at most size, one request after another,
// and gathers their results in the order of items. It stops at the first
// failed request and returns the results of the requests before it with the
// error, so every change the service confirmed is reported. Requests run in
// sequence rather than in parallel for that reason: on failure the results
// are always a prefix of items.
func inBatches[T any](ctx context.Context, items []T, size int, send func(context.Context, []T) ([]ItemResult, error)) ([]ItemResult, error) {
	out := make([]ItemResult, 0, len(items))
	for start := 0; start < len(items); start += size {
		end := min(start+size, len(items))
		res, err := send(ctx, items[start:end])
		if err != nil {
			return out, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// inOrder returns the results of a response list in the order of ids. A
// response without the list (nil) means every item succeeded. A response that
// leaves out an item is a *DecodeError: what happened to it is unknown.
func inOrder(command string, ids []string, got []ItemResult) ([]ItemResult, error) {
	if got == nil {
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
		if !ok {
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
