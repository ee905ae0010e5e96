package community

import (
	"fmt"
	"io"
	"strings"
)

// maxShown is how many bytes of a name or custom string a plan line shows.
const maxShown = 60

// String returns the plan as [Plan.WriteTo] prints it.
func (p *Plan) String() string {
	var b strings.Builder
	_, _ = p.WriteTo(&b) // a strings.Builder takes every write
	return b.String()
}

// WriteTo prints the plan as terraform prints its own: a block for the
// settings, then per topic and per permission group, headed "+" (create),
// "~" (change) or "-" (destroy), one line per change inside it, and a
// summary line:
//
//	Community @TGS#_a:
//
//	  ~ settings
//	      ~ default_permission ReadHistory -> ReadHistory|SendMessage
//
//	  + topic @TGS#_a@TOPIC#_general
//	      + name "General"
//
//	  + permission group @PMG#_mods
//	      + name "Moderators"
//	      + permission MuteMembers|SendMessage
//	      + topic @TGS#_a@TOPIC#_general: SendMessage
//	      + member alice
//
//	Plan: 2 to create, 1 to change, 0 to destroy; 5 API calls.
//
// A destroy says what goes with the group (`- permission group @PMG#_x "X"
// (12 members, 3 topic grants)`) or the topic (`- topic …@TOPIC#_x "X"
// (grants in 3 permission groups)`, then one "- grant" line per group);
// the groups and topics a pruning plan keeps are listed after the changes
// with the reason; a plan that destroys groups
// because its spec prunes and names none says so in a warning. An empty
// plan prints "No changes: {group} matches the spec." (and the kept groups).
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	if p.Empty() {
		fmt.Fprintf(cw, "No changes: %s matches the spec.\n", p.GroupID)
		writeKept(cw, p.Kept)
		writeKeptTopics(cw, p.KeptTopics)
		return cw.n, cw.err
	}
	fmt.Fprintf(cw, "Community %s:\n", p.GroupID)
	for i := 0; i < len(p.Ops); {
		j := i + 1
		for j < len(p.Ops) && p.Ops[j].resource() == p.Ops[i].resource() && !p.Ops[j].Kind.shared() {
			j++
		}
		if p.Ops[i].Kind >= KindSettings {
			writeCommunityBlock(cw, p.Ops[i:j])
		} else {
			writeGroup(cw, p.Ops[i:j])
		}
		i = j
	}
	writeKept(cw, p.Kept)
	writeKeptTopics(cw, p.KeptTopics)
	groups, topics := p.destroysAll()
	if groups {
		but := ""
		if len(p.Kept) > 0 {
			but = " but those kept above"
		}
		fmt.Fprintf(cw, "\nWarning: the spec prunes and names no permission group: this plan destroys every permission group of %s%s.\n", p.GroupID, but)
	}
	if topics {
		but := ""
		if len(p.KeptTopics) > 0 {
			but = " but those kept above"
		}
		fmt.Fprintf(cw, "\nWarning: the spec prunes topics and lists none: this plan destroys every topic of %s%s.\n", p.GroupID, but)
	}
	s := p.Summary()
	fmt.Fprintf(cw, "\nPlan: %d to create, %d to change, %d to destroy; %s.\n", s.Create, s.Change, s.Destroy, plural(s.Calls, "API call"))
	return cw.n, cw.err
}

// writeKept prints the groups a pruning plan keeps, and why.
func writeKept(w io.Writer, kept []KeptGroup) {
	if len(kept) == 0 {
		return
	}
	fmt.Fprintf(w, "\nKept: %s the spec does not name, whose ID the service made (a spec cannot name it; \"prune_server_made\": true destroys it):\n", plural(len(kept), "permission group"))
	for _, k := range kept {
		fmt.Fprintf(w, "  # permission group %s %s (%s)\n", k.ID, quote(k.Name, maxShown), goesWith(k.Members, k.TopicGrants))
	}
}

// goesWith says how many members and topic grants a group holds.
func goesWith(members, grants int) string {
	return plural(members, "member") + ", " + plural(grants, "topic grant")
}

// writeGroup prints the block of one permission group's operations.
func writeGroup(w io.Writer, ops []Op) {
	first := &ops[0]
	id := first.PermissionGroupID
	switch first.Kind {
	case KindCreate:
		fmt.Fprintf(w, "\n  + permission group %s\n", id)
	case KindDestroy:
		fmt.Fprintf(w, "\n  - permission group %s %s (%s)\n", id, quote(first.Fields.Name, maxShown), goesWith(first.Members, first.TopicGrants))
		return
	case KindModify:
		fmt.Fprintf(w, "\n  ~ permission group %s %s\n", id, quote(first.Old.Name, maxShown))
	default:
		fmt.Fprintf(w, "\n  ~ permission group %s\n", id)
	}
	for i := range ops {
		o := &ops[i]
		switch o.Kind {
		case KindCreate:
			fmt.Fprintf(w, "      + name %s\n", quote(o.Fields.Name, maxShown))
			fmt.Fprintf(w, "      + permission %s\n", o.Fields.Permission)
			if o.Fields.CustomString != "" {
				fmt.Fprintf(w, "      + custom_string %s\n", quote(o.Fields.CustomString, maxShown))
			}
		case KindModify:
			if o.Changed&FieldName != 0 {
				fmt.Fprintf(w, "      ~ name %s -> %s\n", quote(o.Old.Name, maxShown), quote(o.Fields.Name, maxShown))
			}
			if o.Changed&FieldPermission != 0 {
				fmt.Fprintf(w, "      ~ permission %s -> %s\n", o.Old.Permission, o.Fields.Permission)
			}
			if o.Changed&FieldCustomString != 0 {
				fmt.Fprintf(w, "      ~ custom_string %s -> %s\n", quote(o.Old.CustomString, maxShown), quote(o.Fields.CustomString, maxShown))
			}
		case KindDeleteTopics:
			for _, t := range o.Topics {
				fmt.Fprintf(w, "      - topic %s: %s\n", t.TopicID, t.Old)
			}
		case KindSetTopics:
			for _, t := range o.Topics {
				fmt.Fprintf(w, "      ~ topic %s: %s -> %s\n", t.TopicID, t.Old, t.New)
			}
		case KindAddTopics:
			for _, t := range o.Topics {
				fmt.Fprintf(w, "      + topic %s: %s\n", t.TopicID, t.New)
			}
		case KindDeleteMembers:
			for _, a := range o.Accounts {
				fmt.Fprintf(w, "      - member %s\n", quoteAccount(a))
			}
		case KindAddMembers:
			for _, a := range o.Accounts {
				fmt.Fprintf(w, "      + member %s\n", quoteAccount(a))
			}
		}
	}
}

// quoteAccount prints an account bare when it is plain, quoted otherwise.
func quoteAccount(a string) string {
	for i := 0; i < len(a); i++ {
		if c := a[i]; c <= ' ' || c == '"' || c >= 0x7f {
			return quote(a, maxShown)
		}
	}
	return a
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}
