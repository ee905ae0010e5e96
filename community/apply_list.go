package community

import (
	"errors"
	"slices"
)

// listRun is what happened to the items of a unit (or, merged, of an
// operation): written now; found already so; refused; perhaps written (a
// lost answer not settled); never sent.
type listRun struct {
	done, already, failed, unknown, notSent []string
	err                                     error // the first refusal's or the request's
	calls                                   int
	note                                    string
}

// merge adds the items and calls of f to r.
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

// fail counts items as refused, for err.
func (r *listRun) fail(err error, items ...string) {
	r.failed = append(r.failed, items...)
	if r.err == nil {
		r.err = err
	}
}

// only returns r's part about item id (its calls left out).
func (r *listRun) only(id string) listRun {
	pick := func(list []string) []string {
		if slices.Contains(list, id) {
			return []string{id}
		}
		return nil
	}
	out := listRun{done: pick(r.done), already: pick(r.already), failed: pick(r.failed), unknown: pick(r.unknown), notSent: pick(r.notSent)}
	if len(out.failed)+len(out.unknown) > 0 {
		out.err = r.err
	}
	return out
}

// outcome turns r into the operation's outcome: unknown if any item is,
// else failed if any item failed or was not sent, else applied.
func (r *listRun) outcome(o *Op) Outcome {
	out := Outcome{Op: o, Done: r.done, AlreadyDone: r.already, Failed: r.failed,
		Unknown: r.unknown, NotSent: r.notSent, Calls: r.calls, Status: Applied, Note: r.note}
	switch {
	case len(out.Unknown) > 0:
		out.Status, out.Err = Unknown, r.err
	case len(out.Failed) > 0 || len(out.NotSent) > 0:
		out.Status, out.Err = Failed, r.err
	}
	if out.Status != Applied && out.Err == nil && len(out.Failed)+len(out.Unknown) > 0 {
		out.Err = errors.New("not confirmed")
	}
	return out
}
