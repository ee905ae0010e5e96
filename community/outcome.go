package community

import (
	"fmt"
	"io"
	"strings"
)

// Status is how an operation of [Apply] ended.
type Status int

// The statuses of an [Outcome].
const (
	NotAttempted Status = iota // Apply stopped before it
	Applied                    // done, or found already done
	Failed                     // refused: not applied, or only some of its items
	Unknown                    // its request may or may not have been applied
)

// String returns "not attempted", "applied", "failed" or "unknown".
func (s Status) String() string {
	switch s {
	case Applied:
		return "applied"
	case Failed:
		return "failed"
	case Unknown:
		return "unknown"
	}
	return "not attempted"
}

// Outcome is how one operation of a plan went.
type Outcome struct {
	// Op is the operation, in the plan.
	Op *Op
	// Status is how it ended; for an operation on a list, the worst of its
	// items (unknown, then failed).
	Status Status
	// Err is why it failed or is unknown: the request's error, or the first
	// item's (a *tim.ItemError).
	Err error
	// The items of an operation on a list (topic IDs, accounts, or the
	// group's ID), by what happened to them: written now; found already so
	// (no second write was made); refused; perhaps written; never sent.
	Done, AlreadyDone, Failed, Unknown, NotSent []string
	// Calls is how many requests the operation made, the reads and writes
	// that confirmed an "already" answer included.
	Calls int
	// Note says what Apply did beyond the plan, e.g. for a create that
	// found the group made already.
	Note string
}

// String prints the outcome on one line, e.g.
// "applied        + add members @PMG#_mods: 3 accounts (1 call)".
func (o Outcome) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %s %s %s", o.Status, sign(o.Op.Kind), o.Op.Kind, o.Op.PermissionGroupID)
	if n := len(o.Op.Topics); n > 0 {
		b.WriteString(": " + plural(n, "topic"))
	}
	if n := len(o.Op.Accounts); n > 0 {
		b.WriteString(": " + plural(n, "account"))
	}
	var parts []string
	for _, p := range []struct {
		items []string
		what  string
	}{{o.AlreadyDone, "already so"}, {o.Failed, "failed"}, {o.Unknown, "unknown"}, {o.NotSent, "not sent"}} {
		if len(p.items) > 0 && (len(o.Op.Topics) > 0 || len(o.Op.Accounts) > 0) {
			parts = append(parts, itoa(len(p.items))+" "+p.what)
		}
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	if o.Status != NotAttempted || o.Calls > 0 {
		b.WriteString(" [" + plural(o.Calls, "call") + "]")
	}
	if o.Note != "" {
		b.WriteString("; " + o.Note)
	}
	if o.Err != nil {
		b.WriteString(": " + o.Err.Error())
	}
	return b.String()
}

// sign is the plan's mark for a kind of operation.
func sign(k Kind) string {
	switch k {
	case KindCreate, KindAddTopics, KindAddMembers:
		return "+"
	case KindDeleteTopics, KindDeleteMembers, KindDestroy:
		return "-"
	}
	return "~"
}

// WriteTo prints one line per outcome and a summary line:
//
//	Apply: 5 applied, 0 failed, 0 unknown, 0 not attempted; 7 API calls.
func (r *Result) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	for i := range r.Outcomes {
		fmt.Fprintln(cw, r.Outcomes[i])
	}
	fmt.Fprintln(cw, r.SummaryLine())
	return cw.n, cw.err
}

// SummaryLine returns the result's last printed line.
func (r *Result) SummaryLine() string {
	return fmt.Sprintf("Apply: %d applied, %d failed, %d unknown, %d not attempted; %s.",
		r.Count(Applied), r.Count(Failed), r.Count(Unknown), r.Count(NotAttempted), plural(r.Calls, "API call"))
}

// String returns the result as [Result.WriteTo] prints it.
func (r *Result) String() string {
	var b strings.Builder
	_, _ = r.WriteTo(&b) // a strings.Builder takes every write
	return b.String()
}
