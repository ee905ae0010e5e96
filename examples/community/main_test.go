package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunAgainstFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"@TOPIC#_announcements: created",
		"@TOPIC#_general: created",
		`"Free spam": refused by the app's callback (errors.Is(err, tim.ErrCallbackDenied))`,
		"alice: added\n  bob: added\n  carol: added\n  alice: already a member (errors.Is(err, tim.ErrAlreadyMember))",
		"@PMG#_moderators in @TOPIC#_general: MuteMembers|SendMessage|RecallMessages",
		"alice: in @PMG#_moderators",
		`@TOPIC#_general "General"`,
		"bob: removed",
		`before create topic "Free spam" by administrator: deny=true`,
		"Done.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q\noutput:\n%s", want, got)
		}
	}
	// The after-event callbacks come one at a time, in the order of the
	// calls that caused them (a before-event callback is sent during its
	// call, so it may come between them).
	after := []string{
		`topic created: @TOPIC#_announcements "Announcements"`,
		`topic created: @TOPIC#_general "General"`,
		"members joined (Invited): alice, bob, carol",
		"members left (Kicked): bob",
	}
	at := 0
	for _, want := range after {
		i := strings.Index(got[at:], want)
		if i < 0 {
			t.Fatalf("output lacks %q after position %d\noutput:\n%s", want, at, got)
		}
		at += i + len(want)
	}
	if strings.Contains(got, "refused or failed") {
		t.Errorf("the handler refused a callback the fake signed:\n%s", got)
	}
}
