package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/timkit/tim/community"
)

// confirm asks at the terminal whether to apply the plan printed above,
// terraform's way; without a terminal on stdin it refuses. An interrupt
// while it asks is a "no".
func (a *applyRun) confirm() bool {
	all := a.plan.DestroysAll()
	if !a.e.isTerminal() {
		msg := "stdin is not a terminal and -auto-approve was not given: nothing was applied; pass -auto-approve, or save the plan with tim plan -out FILE and apply it with tim apply FILE"
		if all {
			msg = "this plan destroys every permission group or every topic of " + a.plan.GroupID + " (the spec prunes and names none): confirm it at a terminal; -auto-approve and saved plans do not cover it. Nothing was applied"
		}
		a.report.Error = msg
		fmt.Fprintln(a.e.stderr, "tim apply: "+msg)
		return false
	}
	question := "tim will make the changes shown above."
	if all {
		question = "tim will DESTROY EVERY PERMISSION GROUP OR EVERY TOPIC of " + a.plan.GroupID + " shown above."
	}
	fmt.Fprintf(a.e.stderr, "\nDo you want to perform these actions?\n  %s\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", question)
	// The answer is read in a goroutine so that an interrupt (main catches
	// SIGINT) cancels at once; the read then stays blocked until tim exits.
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(a.e.stdin).ReadString('\n')
		answer <- line
	}()
	var line string
	select {
	case line = <-answer:
	case <-a.e.signals:
		a.report.Error = "apply cancelled: interrupted at the prompt"
		fmt.Fprintln(a.e.stderr, "\nApply cancelled: interrupted at the prompt; nothing was applied.")
		return false
	}
	if strings.TrimSpace(line) != "yes" {
		a.report.Error = "apply cancelled"
		fmt.Fprintln(a.e.stderr, "\nApply cancelled: nothing was applied.")
		return false
	}
	return true
}

// applyReport is what tim apply -json prints: one document with the plan,
// the outcomes, the check after applying, and the error, if any.
type applyReport struct {
	Plan    *community.Plan   `json:"plan"`
	Result  *community.Result `json:"result"`
	Verify  *verifyReport     `json:"verify"`
	Error   string            `json:"error,omitempty"`
	printed bool
}

type verifyReport struct {
	Matches bool            `json:"matches"`
	Drift   *community.Plan `json:"drift,omitempty"`
}

func (r *applyReport) write(w io.Writer) {
	doc := struct {
		FormatVersion int `json:"format_version"`
		*applyReport
	}{community.FormatVersion, r}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		data = []byte(fmt.Sprintf(`{"format_version": %d, "error": "the report could not be written"}`, community.FormatVersion))
	}
	fmt.Fprintf(w, "%s\n", data)
}
