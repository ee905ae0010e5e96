package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const demoSpec = "../../examples/specs/demo.json"

// timVars are the variables tim reads its credentials from.
var timVars = []string{"TIM_SDKAPPID", "TIM_SECRET_KEY", "TIM_ADMIN", "TIM_REGION", "TIM_BASE_URL"}

// noCredentials clears the TIM_* variables for the test.
func noCredentials(t *testing.T) {
	for _, v := range timVars {
		t.Setenv(v, "")
	}
}

// runTim runs the command in-process, with stdin not a terminal, and
// returns its exit status and output.
func runTim(t *testing.T, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	return runEnv(t, &env{stdin: strings.NewReader(stdin)}, args...)
}

// runEnv runs the command in-process with e (its streams replaced) and
// returns its exit status and output.
func runEnv(t *testing.T, e *env, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e.stdout, e.stderr = &out, &errOut
	if e.stdin == nil {
		e.stdin = strings.NewReader("")
	}
	status = run(context.Background(), e, args)
	return status, out.String(), errOut.String()
}

func TestDemo(t *testing.T) {
	noCredentials(t)
	status, out, errOut := runTim(t, "", "plan", "--demo", "-detailed-exitcode", "-f", demoSpec)
	assert.Equal(t, exitChanges, status, errOut)
	assert.Contains(t, out, "Plan: 2 to create, 4 to change, 2 to destroy; 14 API calls.\n")
	assert.Contains(t, errOut, "tim: --demo: using an embedded fake service")

	status, out, errOut = runTim(t, "", "apply", "--demo", "-auto-approve", "-f", demoSpec)
	assert.Equal(t, exitOK, status, errOut)
	golden(t, "demo_apply.golden", out)
	assert.Contains(t, errOut, "tim apply: checked: the settings, topics and permission groups it changed match the spec")

	// Each --demo run starts from the seed again: the export of the seed
	// is what it holds, and planning it changes nothing.
	status, out, errOut = runTim(t, "", "export", "--demo")
	require.Equal(t, exitOK, status, errOut)
	spec, err := community.ParseSpec(strings.NewReader(out))
	require.NoError(t, err)
	assert.Equal(t, demoGroup, spec.GroupID)
	assert.Len(t, spec.PermissionGroups, 3)
	assert.Len(t, spec.Topics, 3, "export writes the topics")
	require.NotNil(t, spec.Settings, "and the settings")
	assert.Equal(t, tim.GroupPermReadHistory, *spec.Settings.DefaultPermission)
	status, out, errOut = runTim(t, out, "plan", "--demo", "-quiet", "-detailed-exitcode", "-f", "-")
	assert.Equal(t, exitOK, status, errOut)
	assert.Equal(t, "No changes: @TGS#_demo matches the spec.\n", out)
	assert.NotContains(t, errOut, "loaded", "-quiet")
}

func TestRefusesWithoutCredentials(t *testing.T) {
	noCredentials(t)
	for _, args := range [][]string{
		{"plan", "-f", demoSpec},
		{"apply", "-f", demoSpec},
		{"export", "--group", demoGroup},
	} {
		status, out, errOut := runTim(t, "", args...)
		assert.Equal(t, exitError, status, args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "no credentials: set TIM_SDKAPPID, TIM_SECRET_KEY, TIM_ADMIN and TIM_REGION (or TIM_BASE_URL), or pass --demo")
	}
	t.Setenv("TIM_SDKAPPID", "1400000000")
	status, _, errOut := runTim(t, "", "plan", "-f", demoSpec)
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, "some TIM_* variables are set but not TIM_SECRET_KEY, TIM_ADMIN, TIM_REGION or TIM_BASE_URL")
	assert.Contains(t, errOut, "--demo")
}

func TestUsage(t *testing.T) {
	noCredentials(t)
	for _, verb := range []string{"export", "plan", "apply", "access"} {
		status, _, errOut := runTim(t, "", verb, "-h")
		assert.Equal(t, exitOK, status, verb)
		assert.Contains(t, errOut, "usage: tim "+verb)
		assert.Contains(t, errOut, "-demo")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "usage: tim <verb>"},
		{[]string{"destroy"}, `unknown verb "destroy"`},
		{[]string{"plan", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"plan"}, "-f is required"},
		{[]string{"plan", "-f", demoSpec, "extra"}, `unexpected argument "extra"`},
		{[]string{"export"}, "--group is required"},
		{[]string{"plan", "-f", "no/such/file.json"}, "no such file"},
	} {
		status, _, errOut := runTim(t, "", tc.args...)
		assert.Equal(t, exitError, status, "%v: bad usage is 1, never plan's 2", tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
	}
	status, out, _ := runTim(t, "", "help")
	assert.Equal(t, exitOK, status)
	assert.Contains(t, out, "tim export --group GROUP_ID")
}

func TestBadSpec(t *testing.T) {
	noCredentials(t)
	status, _, errOut := runTim(t, `{"group_id": "@TGS#_demo", "permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": 0, "member": []}]}`, "plan", "--demo", "-f", "-")
	assert.Equal(t, exitError, status)
	assert.Equal(t, "tim plan: <stdin>:1:98: permission_groups[0].member: unknown field (known: id, name, permission, custom_string, topics, members)\n", errOut, "checked before anything is called")
}

// TestYAMLSpec: plan and apply take a YAML spec, by the file's name or,
// on stdin, by its first character; its errors name the file, the line and
// the column, every one of them; export writes YAML that plans to nothing.
func TestYAMLSpec(t *testing.T) {
	noCredentials(t)
	status, fromJSON, errOut := runTim(t, "", "plan", "--demo", "-quiet", "-f", demoSpec)
	require.Equal(t, exitOK, status, errOut)
	status, fromYAML, errOut := runTim(t, "", "plan", "--demo", "-quiet", "-f", "../../examples/specs/demo.yaml")
	require.Equal(t, exitOK, status, errOut)
	assert.Equal(t, fromJSON, fromYAML)
	yaml, err := os.ReadFile("../../examples/specs/demo.yaml")
	require.NoError(t, err)
	status, fromStdin, errOut := runTim(t, string(yaml), "plan", "--demo", "-quiet", "-f", "-")
	require.Equal(t, exitOK, status, errOut)
	assert.Equal(t, fromJSON, fromStdin)

	bad := filepath.Join(t.TempDir(), "team.yml")
	require.NoError(t, os.WriteFile(bad, []byte("group_id: \"@TGS#_demo\"\npermission_groups:\n  - id: \"@PMG#_x\"\n    name: X\n    permission: SendMessage|Bogus\n  - id: mods\n    name: \"\"\n    permission: 0\n"), 0o600))
	status, out, errOut := runTim(t, "", "plan", "--demo", "-f", bad)
	assert.Equal(t, exitError, status)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "tim plan: "+bad+":5:5: permission_groups[0].permission: permission \"SendMessage|Bogus\": unknown name \"Bogus\"")
	require.NoError(t, os.WriteFile(bad, []byte("group_id: \"@TGS#_demo\"\npermission_groups:\n  - id: mods\n    name: \"\"\n    permission: 0\n"), 0o600))
	status, _, errOut = runTim(t, "", "plan", "--demo", "-f", bad)
	assert.Equal(t, exitError, status)
	assert.Equal(t, "tim plan: "+bad+":3:5: permission_groups[0].id: \"mods\" is not a permission-group ID (@PMG#_…)\n"+bad+":4:5: permission_groups[0].name: is required (1 to 150 bytes)\n", errOut)

	status, out, errOut = runTim(t, "", "export", "--demo", "-quiet", "-format", "yaml")
	require.Equal(t, exitOK, status, errOut)
	assert.True(t, strings.HasPrefix(out, "group_id: '@TGS#_demo'\nprune: false\nsettings:\n"), out)
	assert.Contains(t, out, "\ntopics:\n")
	assert.Contains(t, out, "\npermission_groups:\n")
	status, out, errOut = runTim(t, out, "plan", "--demo", "-quiet", "-detailed-exitcode", "-f", "-")
	assert.Equal(t, exitOK, status, errOut)
	assert.Equal(t, "No changes: @TGS#_demo matches the spec.\n", out)

	status, _, errOut = runTim(t, "", "export", "--demo", "-format", "toml")
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut, `tim export: -format "toml": want json or yaml`)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}

func TestShellUnquote(t *testing.T) {
	assert.Equal(t, "plain", shellUnquote("plain"))
	assert.Equal(t, "a b'c", shellUnquote(`'a b'\''c'`))
}

// TestExportServerMade: a group whose ID the service made cannot be in a
// spec: export fails naming it, or leaves it out with --skip-server-made.
func TestExportServerMade(t *testing.T) {
	srv := timtest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.CreateCommunity("@TGS#_made", "owner"))
	made, err := srv.CreatePermissionGroup("@TGS#_made", timtest.PermissionGroup{Name: "Made by the service"})
	require.NoError(t, err)
	_, err = srv.CreatePermissionGroup("@TGS#_made", timtest.PermissionGroup{ID: "@PMG#_custom", Name: "Custom"})
	require.NoError(t, err)
	noCredentials(t)
	t.Setenv("TIM_SDKAPPID", strconv.FormatUint(srv.SDKAppID(), 10))
	t.Setenv("TIM_SECRET_KEY", srv.SecretKey())
	t.Setenv("TIM_ADMIN", srv.Admin())
	t.Setenv("TIM_BASE_URL", srv.URL())

	status, out, errOut := runTim(t, "", "export", "--group", "@TGS#_made")
	assert.Equal(t, exitError, status)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "have IDs the service made, which a spec cannot name, and were left out: "+made)
	assert.Contains(t, errOut, "--skip-server-made exports the others")
	assert.NotContains(t, errOut, srv.SecretKey())

	status, out, errOut = runTim(t, "", "export", "--group", "@TGS#_made", "--skip-server-made")
	assert.Equal(t, exitOK, status, errOut)
	assert.Contains(t, errOut, "left out 1 permission group(s) and 0 topic(s) with server-made IDs: ["+made+"]")
	spec, err := community.ParseSpec(strings.NewReader(out))
	require.NoError(t, err)
	require.Len(t, spec.PermissionGroups, 1)
	assert.Equal(t, "@PMG#_custom", spec.PermissionGroups[0].ID)

	// Applying that spec leaves the server-made group alone (no prune).
	status, out, _ = runTim(t, out, "plan", "-f", "-")
	assert.Equal(t, exitOK, status)
	assert.Equal(t, "No changes: @TGS#_made matches the spec.\n", out)
}

// TestExportDoesNotEscape: export writes &, < and > as they are, in JSON
// and YAML, and what it writes plans to nothing.
func TestExportDoesNotEscape(t *testing.T) {
	srv := demoFake(t)
	_, err := srv.CreatePermissionGroup(demoGroup, timtest.PermissionGroup{ID: "@PMG#_qa", Name: "Q&A <mods>", CustomString: `{"note":"a<b && b>c"}`})
	require.NoError(t, err)
	for _, format := range []string{"json", "yaml"} {
		status, out, errOut := runTim(t, "", "export", "-quiet", "--group", demoGroup, "-format", format)
		require.Equal(t, exitOK, status, errOut)
		assert.Contains(t, out, "Q&A <mods>", format)
		assert.Contains(t, out, `a<b && b>c`, format)
		assert.NotContains(t, out, `\u00`, format)
		status, out, errOut = runTim(t, out, "plan", "-quiet", "-f", "-")
		assert.Equal(t, exitOK, status, errOut)
		assert.Equal(t, "No changes: @TGS#_demo matches the spec.\n", out, format)
	}
}
