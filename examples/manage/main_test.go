package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// timVars are the variables that switch the example to a real app.
var timVars = []string{
	"TIM_SDKAPPID", "TIM_SECRET_KEY", "TIM_ADMIN", "TIM_REGION", "TIM_BASE_URL",
	"TIM_GROUP_ID", "TIM_ACCOUNTS", "TIM_TOPIC_IDS",
}

// clearTIMVars makes sure the test uses the fake whatever the environment holds.
func clearTIMVars(t *testing.T) {
	for _, n := range timVars {
		t.Setenv(n, "")
	}
}

func TestRunAgainstFake(t *testing.T) {
	clearTIMVars(t)
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"using the embedded fake service",
		`created @PMG#_@PMG#`,
		"@TOPIC#_announcements: granted SendMessage|ReadHistory",
		"@TOPIC#_no-such-topic: refused, as expected: tim: add_topic_permission_group: topic @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_no-such-topic: error 110013",
		"errors.Is(err, tim.ErrInvalidTopicID) = true",
		"amy: added",
		"peter: added",
		"amy: already in the group (errors.Is(err, tim.ErrAlreadyMember))",
		`"Moderators (tim example)" members=2 MuteMembers|SendMessage custom={"team":"trust-and-safety"}`,
		"member:  amy (Admin in the community)",
		`now:     "Senior moderators (tim example)" MuteMembers|SendMessage|BanMembers`,
		`custom:  {"team":"trust-and-safety"} (unchanged)`,
		"@TOPIC#_announcements: MuteMembers|SendMessage|ReadHistory|RecallMessages",
		"@TOPIC#_help: deleted",
		"@TOPIC#_help: tim: get_topic_permission_group: topic @TGS#_@TGS#cV6IHIIM62C4@TOPIC#_help: error 110014",
		"amy: removed",
		": destroyed",
		"reading it now: @PMG#_@PMG#",
		"errors.Is(err, tim.ErrPermissionGroupNotFound) = true",
		"Done.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q\noutput:\n%s", want, got)
		}
	}
	// After removing amy, only peter is listed.
	removed := got[strings.Index(got, "amy: removed"):]
	removed = removed[:strings.Index(removed, "\n9. ")]
	if strings.Contains(removed, "member:  amy") || !strings.Contains(removed, "member:  peter") {
		t.Errorf("members after removing amy:\n%s", removed)
	}
}

func TestRunWithSomeVariablesMissing(t *testing.T) {
	clearTIMVars(t)
	t.Setenv("TIM_SDKAPPID", "1400000000")
	t.Setenv("TIM_GROUP_ID", "@TGS#_@TGS#cV6IHIIM62C4")
	var out bytes.Buffer
	err := run(&out)
	if err == nil {
		t.Fatal("run succeeded with most TIM_* variables missing")
	}
	for _, name := range []string{"TIM_SECRET_KEY", "TIM_ADMIN", "TIM_ACCOUNTS", "TIM_TOPIC_IDS", "TIM_REGION or TIM_BASE_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), "TIM_SDKAPPID") || strings.Contains(err.Error(), "TIM_GROUP_ID") {
		t.Errorf("error %q names a variable that is set", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed %q before failing", out.String())
	}
}

// A failed step must not leave the permission group behind.
func TestFailedStepDestroysTheGroup(t *testing.T) {
	srv := timtest.NewServer()
	t.Cleanup(srv.Close)
	const community = "@TGS#_@TGS#cV6IHIIM62C4"
	topic := community + "@TOPIC#_general"
	if err := srv.CreateCommunity(community, "leckie"); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddMember(community, "amy", tim.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateTopic(community, topic); err != nil {
		t.Fatal(err)
	}
	if err := srv.FailNext(tim.CommandSetTopicPermissionGroup, 1, timtest.Fault{Code: tim.ErrCallbackDenied}); err != nil {
		t.Fatal(err)
	}
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	m := &manager{target: target{client: client, groupID: community, accounts: []string{"amy"}, topicIDs: []string{topic}}, w: &out}
	ctx := context.Background()

	if err := m.create(ctx); err != nil {
		t.Fatal(err)
	}
	err = m.manage(ctx)
	if !errors.Is(err, tim.ErrCallbackDenied) {
		t.Fatalf("manage: got %v, want the injected 10016", err)
	}
	m.destroyAfterFailure(ctx)
	if !strings.Contains(out.String(), "Destroyed "+m.pgID+" after the failure.") {
		t.Errorf("output:\n%s", out.String())
	}
	if _, err := srv.PermissionGroupMembers(community, m.pgID); !errors.Is(err, tim.ErrPermissionGroupNotFound) {
		t.Errorf("the permission group is still there (err %v)", err)
	}
}
