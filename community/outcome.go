package community

import (
	"encoding/json"
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
	fmt.Fprintf(&b, "%-14s %s %s", o.Status, sign(o.Op.Kind), o.Op.Kind)
	if o.Op.Kind != KindSettings {
		b.WriteString(" " + o.Op.target())
	}
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
	case KindCreate, KindAddTopics, KindAddMembers, KindCreateTopic:
		return "+"
	case KindDeleteTopics, KindDeleteMembers, KindDestroy, KindDestroyTopic:
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

// MarshalJSON writes the result as a versioned JSON document (see
// [FormatVersion]), the one tim apply -json prints:
//
//	{"format_version": 2, "group_id": "@TGS#_…",
//	 "outcomes": [{"kind": "add_members", "command": "add_permission_group_member",
//	   "permission_group": "@PMG#_x", "status": "applied", "done": ["alice"],
//	   "already_done": [], "failed": [], "unknown": [], "not_sent": [],
//	   "api_calls": 1, "note": "", "error": ""}, …],
//	 "summary": {"applied": 5, "failed": 0, "unknown": 0, "not_attempted": 0, "api_calls": 7}}
//
// Statuses are "applied", "failed", "unknown" and "not_attempted". An
// outcome of a topic operation has "topic" (and "permission_group": "").
func (r *Result) MarshalJSON() ([]byte, error) {
	type outcomeJSON struct {
		Kind            string   `json:"kind"`
		Command         string   `json:"command"`
		PermissionGroup string   `json:"permission_group"`
		Topic           string   `json:"topic,omitempty"`
		Status          string   `json:"status"`
		Done            []string `json:"done"`
		AlreadyDone     []string `json:"already_done"`
		Failed          []string `json:"failed"`
		Unknown         []string `json:"unknown"`
		NotSent         []string `json:"not_sent"`
		APICalls        int      `json:"api_calls"`
		Note            string   `json:"note"`
		Error           string   `json:"error"`
	}
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	out := struct {
		FormatVersion int           `json:"format_version"`
		GroupID       string        `json:"group_id"`
		Outcomes      []outcomeJSON `json:"outcomes"`
		Summary       struct {
			Applied      int `json:"applied"`
			Failed       int `json:"failed"`
			Unknown      int `json:"unknown"`
			NotAttempted int `json:"not_attempted"`
			APICalls     int `json:"api_calls"`
		} `json:"summary"`
	}{FormatVersion: FormatVersion, GroupID: r.GroupID, Outcomes: make([]outcomeJSON, len(r.Outcomes))}
	for i, o := range r.Outcomes {
		j := outcomeJSON{Kind: kindNames[o.Op.Kind], Command: o.Op.Kind.Command(), PermissionGroup: o.Op.PermissionGroupID, Topic: o.Op.TopicID,
			Status: strings.ReplaceAll(o.Status.String(), " ", "_"), Done: list(o.Done), AlreadyDone: list(o.AlreadyDone),
			Failed: list(o.Failed), Unknown: list(o.Unknown), NotSent: list(o.NotSent), APICalls: o.Calls, Note: o.Note}
		if o.Err != nil {
			j.Error = o.Err.Error()
		}
		out.Outcomes[i] = j
	}
	out.Summary.Applied, out.Summary.Failed = r.Count(Applied), r.Count(Failed)
	out.Summary.Unknown, out.Summary.NotAttempted, out.Summary.APICalls = r.Count(Unknown), r.Count(NotAttempted), r.Calls
	return json.Marshal(out)
}
