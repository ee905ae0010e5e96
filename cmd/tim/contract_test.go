package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// demoFake starts a fake seeded with the demo community and points the
// TIM_* variables at it.
func demoFake(t *testing.T) *timtest.Server {
	t.Helper()
	srv := timtest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.LoadSeed(bytes.NewReader(demoSeed)))
	credentialsFor(t, srv)
	return srv
}

// credentialsFor sets the TIM_* variables to srv's, for the test.
func credentialsFor(t *testing.T, srv *timtest.Server) {
	noCredentials(t)
	t.Setenv("TIM_SDKAPPID", strconv.FormatUint(srv.SDKAppID(), 10))
	t.Setenv("TIM_SECRET_KEY", srv.SecretKey())
	t.Setenv("TIM_ADMIN", srv.Admin())
	t.Setenv("TIM_BASE_URL", srv.URL())
}

// readCommands are the commands of tim.Commands() that change nothing.
var readCommands = []string{
	tim.CommandGetPermissionGroup, tim.CommandGetRoleInGroup, tim.CommandGetTopicPermissionGroup,
	tim.CommandGetPermissionGroupMemberList, tim.CommandGetGroupInfo, tim.CommandGetTopic,
	tim.CommandGetGroupMemberInfo, tim.CommandGetSpecifiedGroupMemberInfo,
}

// writeCommands are the commands that change state: every command the SDK
// calls but the reads, so that a command added to the SDK counts as a
// write until it is listed as a read.
var writeCommands = slices.DeleteFunc(tim.Commands(), func(c string) bool { return slices.Contains(readCommands, c) })

// writesTo returns the write commands the fake received, in order.
func writesTo(srv *timtest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		for _, c := range writeCommands {
			if r.Command == c {
				out = append(out, c)
			}
		}
	}
	return out
}

// TestPlanExitCodes: plan exits 0 on success whether or not changes are
// pending; -detailed-exitcode gives 0 / 2 / 1.
func TestPlanExitCodes(t *testing.T) {
	demoFake(t)
	status, out, errOut := runTim(t, "", "plan", "-f", demoSpec)
	assert.Equal(t, exitOK, status, errOut)
	assert.Contains(t, out, "Plan: 2 to create, 4 to change, 2 to destroy; 14 API calls.")
	status, _, _ = runTim(t, "", "plan", "-detailed-exitcode", "-f", demoSpec)
	assert.Equal(t, exitChanges, status)
	status, _, _ = runTim(t, "", "plan", "-detailed-exitcode", "-f", "no/such/spec.json")
	assert.Equal(t, exitError, status)
	status, export, _ := runTim(t, "", "export", "--group", demoGroup)
	require.Equal(t, exitOK, status)
	status, out, _ = runTim(t, export, "plan", "-detailed-exitcode", "-f", "-")
	assert.Equal(t, exitOK, status)
	assert.Equal(t, "No changes: @TGS#_demo matches the spec.\n", out)
}

// TestPlanJSON: -json prints the plan as one JSON document, with no
// credential in it.
func TestPlanJSON(t *testing.T) {
	srv := demoFake(t)
	status, out, errOut := runTim(t, "", "plan", "-json", "-f", demoSpec)
	require.Equal(t, exitOK, status, errOut)
	var doc struct {
		FormatVersion int    `json:"format_version"`
		GroupID       string `json:"group_id"`
		Operations    []struct {
			Kind, Command, PermissionGroup string
			Accounts                       []string
			APICalls                       int `json:"api_calls"`
		}
		Summary struct{ Create, Change, Destroy, APICalls int }
	}
	dec := json.NewDecoder(strings.NewReader(out))
	require.NoError(t, dec.Decode(&doc))
	assert.False(t, dec.More(), "one document")
	assert.Equal(t, community.FormatVersion, doc.FormatVersion)
	assert.Equal(t, demoGroup, doc.GroupID)
	assert.Len(t, doc.Operations, 14)
	assert.Equal(t, 2, doc.Summary.Create, "a permission group and a topic")
	assert.NotContains(t, out, srv.SecretKey())
	assert.NotContains(t, strings.ToLower(out), "usersig")
}

// TestApplyRefusesWithoutATerminal: with no terminal on stdin and no
// -auto-approve, apply prints the plan and refuses, before any write.
func TestApplyRefusesWithoutATerminal(t *testing.T) {
	srv := demoFake(t)
	status, out, errOut := runTim(t, "yes\n", "apply", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, out, "Plan: 2 to create, 4 to change, 2 to destroy")
	assert.Contains(t, errOut, "stdin is not a terminal and -auto-approve was not given: nothing was applied")
	assert.Empty(t, writesTo(srv), "nothing written")
}

// TestApplyAsks: at a terminal, apply asks terraform's question and goes on
// only for "yes".
func TestApplyAsks(t *testing.T) {
	srv := demoFake(t)
	terminal := func(answer string) *env {
		return &env{stdin: strings.NewReader(answer), isTerminal: func() bool { return true }}
	}
	status, _, errOut := runEnv(t, terminal("no\n"), "apply", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "Only 'yes' will be accepted to approve.")
	assert.Contains(t, errOut, "Apply cancelled: nothing was applied.")
	assert.Empty(t, writesTo(srv))

	status, out, errOut := runEnv(t, terminal("yes\n"), "apply", "-f", demoSpec)
	assert.Equal(t, exitOK, status, errOut)
	assert.Contains(t, out, "Apply: 14 applied, 0 failed, 0 unknown, 0 not attempted; 14 API calls.")
}

// TestSavedPlan: plan -out saves the plan; apply FILE applies exactly its
// planned calls, without asking; a second apply of it is refused as stale.
func TestSavedPlan(t *testing.T) {
	srv := demoFake(t)
	file := filepath.Join(t.TempDir(), "plan.json")
	status, planOut, errOut := runTim(t, "", "plan", "-out", file, "-f", demoSpec)
	require.Equal(t, exitOK, status, errOut)
	assert.Contains(t, errOut, "saved the plan to "+file+"; apply exactly it with: tim apply "+file)
	st, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "it names accounts: its owner's only")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.NotContains(t, string(data), srv.SecretKey())
	assert.NotContains(t, strings.ToLower(string(data)), "usersig")

	srv.ResetRequests()
	status, out, errOut := runTim(t, "", "apply", file) // no terminal, no -auto-approve: a saved plan is not asked about
	require.Equal(t, exitOK, status, errOut)
	assert.True(t, strings.HasPrefix(out, planOut), "it prints the saved plan first")
	assert.Contains(t, out, "Apply: 14 applied, 0 failed, 0 unknown, 0 not attempted; 14 API calls.")
	assert.ElementsMatch(t, []string{
		tim.CommandModifyGroupBaseInfo, tim.CommandCreateTopic, tim.CommandModifyTopic, tim.CommandDestroyTopic,
		tim.CommandModifyPermissionGroup, tim.CommandSetTopicPermissionGroup, tim.CommandAddTopicPermissionGroup, tim.CommandAddPermissionGroupMember,
		tim.CommandCreatePermissionGroup, tim.CommandAddTopicPermissionGroup, tim.CommandAddPermissionGroupMember,
		tim.CommandModifyPermissionGroup, tim.CommandSetTopicPermissionGroup, tim.CommandDestroyPermissionGroup,
	}, writesTo(srv), "exactly the planned writes: the 14 calls of the plan, the settings and topics included")

	srv.ResetRequests()
	status, _, errOut = runTim(t, "", "apply", file)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "tim apply: saved plan is stale: ")
	assert.Empty(t, writesTo(srv))
}

// TestSavedPlanStale: a change after the plan to something it depends on
// makes apply FILE refuse, with nothing written.
func TestSavedPlanStale(t *testing.T) {
	srv := demoFake(t)
	file := filepath.Join(t.TempDir(), "plan.json")
	status, _, errOut := runTim(t, "", "plan", "-out", file, "-f", demoSpec)
	require.Equal(t, exitOK, status, errOut)
	// Someone makes a group the plan would destroy... and one it creates.
	_, err := srv.CreatePermissionGroup(demoGroup, timtest.PermissionGroup{ID: "@PMG#_newcomers", Name: "Theirs"})
	require.NoError(t, err)
	require.NoError(t, srv.AddPermissionGroupMembers(demoGroup, "@PMG#_legacy", "erin"))
	srv.ResetRequests()
	status, _, errOut = runTim(t, "", "apply", "-auto-approve", file)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "tim apply: saved plan is stale: the members of permission group @PMG#_legacy changed; permission group @PMG#_newcomers was created; the list of permission groups changed; plan again")
	assert.Empty(t, writesTo(srv), "nothing written")
}

// TestSavedPlanOtherApp: a plan is applied to the app it was made for only.
func TestSavedPlanOtherApp(t *testing.T) {
	demoFake(t)
	file := filepath.Join(t.TempDir(), "plan.json")
	status, _, errOut := runTim(t, "", "plan", "-out", file, "-f", demoSpec)
	require.Equal(t, exitOK, status, errOut)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, bytes.Replace(data, []byte(`"sdkappid": `), []byte(`"sdkappid": 9`), 1), 0o600))
	status, _, errOut = runTim(t, "", "apply", file)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "the plan was made for app 9")
}

// TestRegionAndBaseURL: TIM_REGION with TIM_BASE_URL is refused, naming
// both, before anything is sent anywhere.
func TestRegionAndBaseURL(t *testing.T) {
	srv := demoFake(t)
	t.Setenv("TIM_REGION", "singapore")
	status, out, errOut := runTim(t, "", "plan", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "TIM_REGION and TIM_BASE_URL are both set")
	assert.Empty(t, srv.Requests(), "nothing sent to the fake")

	t.Setenv("TIM_REGION", "")
	status, _, errOut = runTim(t, "", "plan", "--region", "seoul", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "--region and TIM_BASE_URL are both set")
	status, _, errOut = runTim(t, "", "plan", "--base-url", srv.URL(), "--admin", srv.Admin(), "-f", demoSpec)
	assert.Equal(t, exitOK, status, "flags are read too: %s", errOut)
}

// TestSpecKeyTwice: a spec with a key written twice is refused before
// anything is sent.
func TestSpecKeyTwice(t *testing.T) {
	srv := demoFake(t)
	status, _, errOut := runTim(t, `{"group_id": "@TGS#_demo", "prune": false, "permission_groups": [], "prune": true}`, "apply", "-auto-approve", "-f", "-")
	assert.Equal(t, exitError, status)
	assert.Equal(t, "tim apply: <stdin>:1:69: key \"prune\" written twice (first at line 1)\n", errOut)
	assert.Empty(t, srv.Requests())
}

// TestDestroyEverything: a pruning spec that names no group destroys every
// group: -auto-approve does not cover it; only a "yes" at a terminal does.
func TestDestroyEverything(t *testing.T) {
	srv := demoFake(t)
	spec := filepath.Join(t.TempDir(), "empty.json")
	require.NoError(t, os.WriteFile(spec, []byte(`{"group_id": "@TGS#_demo", "prune": true, "permission_groups": []}`), 0o600))
	status, out, errOut := runTim(t, "yes\n", "apply", "-auto-approve", "-f", spec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, out, "Warning: the spec prunes and names no permission group: this plan destroys every permission group of @TGS#_demo.")
	assert.Contains(t, errOut, "confirm it at a terminal")
	assert.Empty(t, writesTo(srv))

	terminal := func(answer string) *env {
		return &env{stdin: strings.NewReader(answer), isTerminal: func() bool { return true }}
	}
	status, _, errOut = runEnv(t, terminal("no\n"), "apply", "-auto-approve", "-f", spec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "tim will DESTROY EVERY PERMISSION GROUP OR EVERY TOPIC of @TGS#_demo shown above.")
	assert.Empty(t, writesTo(srv))
	status, out, errOut = runEnv(t, terminal("yes\n"), "apply", "-auto-approve", "-f", spec)
	assert.Equal(t, exitOK, status, errOut)
	assert.Contains(t, out, "Apply: 3 applied")
}

// TestApplyJSON: -json needs -auto-approve or a plan file, and prints one
// document: the plan, the outcomes, the check.
func TestApplyJSON(t *testing.T) {
	demoFake(t)
	status, _, errOut := runTim(t, "", "apply", "-json", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "-json needs -auto-approve or a saved plan FILE")
	status, out, errOut := runTim(t, "", "apply", "-json", "-auto-approve", "-f", demoSpec)
	require.Equal(t, exitOK, status, errOut)
	var doc struct {
		FormatVersion int `json:"format_version"`
		Plan          struct {
			Operations []json.RawMessage
		}
		Result struct {
			Outcomes []struct{ Status string }
			Summary  struct{ Applied int }
		}
		Verify struct{ Matches bool }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	assert.Equal(t, community.FormatVersion, doc.FormatVersion)
	assert.Len(t, doc.Plan.Operations, 14)
	assert.Equal(t, 14, doc.Result.Summary.Applied)
	assert.Equal(t, "applied", doc.Result.Outcomes[0].Status)
	assert.True(t, doc.Verify.Matches)
}

// arrivals is a proxy in front of the fake that says when a request of
// command arrives (the fake records requests once answered).
func arrivals(t *testing.T, srv *timtest.Server, command string) (url string, arrived <-chan struct{}) {
	target, err := neturl.Parse(srv.URL())
	require.NoError(t, err)
	ch := make(chan struct{}, 16)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // an aborted request is the point of a test here
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/"+command) {
			ch <- struct{}{}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL + strings.TrimPrefix(srv.URL(), target.Scheme+"://"+target.Host), ch
}

// TestApplyInterrupted: the first SIGINT while a write is in flight starts
// nothing new, lets that write finish (its outcome is known: applied) and
// reports every operation; the exit status is 1.
func TestApplyInterrupted(t *testing.T) {
	srv := demoFake(t)
	url, arrived := arrivals(t, srv, tim.CommandAddPermissionGroupMember)
	t.Setenv("TIM_BASE_URL", url)
	// The first member add waits half a second at the fake before it runs
	// and answers.
	require.NoError(t, srv.FailNext(tim.CommandAddPermissionGroupMember, 1, timtest.Fault{Delay: 500 * time.Millisecond}))
	sigs := make(chan os.Signal, 2)
	go func() {
		<-arrived
		sigs <- syscall.SIGINT
	}()
	status, out, errOut := runEnv(t, &env{signals: sigs}, "apply", "-auto-approve", "-concurrency", "1", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "tim apply: interrupted: starting nothing new; waiting up to 10s for the writes already sent")
	assert.Contains(t, errOut, "tim apply: interrupted: the community does not match the spec yet")
	assert.Contains(t, out, "applied        + add members @PMG#_moderators: 1 account [1 call]", "the write in flight finished")
	assert.Contains(t, out, "not attempted  + add members @PMG#_newcomers")
	assert.NotContains(t, out, "unknown        ")
	members, err := srv.PermissionGroupMembers(demoGroup, "@PMG#_moderators")
	require.NoError(t, err)
	assert.Contains(t, members, "erin", "the write sent before the interrupt was applied")
	assert.Len(t, srv.RequestsFor(tim.CommandAddPermissionGroupMember), 1, "no member add started after it")
}
