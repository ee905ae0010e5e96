// Command tim keeps the permission groups of a Tencent Cloud Chat community
// as code, with package github.com/timkit/tim/community: a spec file (JSON,
// kept in git) says which permission groups the community has, what they may
// do, in which topics, and who is in them; tim shows and makes the changes
// that bring the community to it.
//
// Usage:
//
//	tim export --group GROUP_ID      print the community's spec (JSON) on stdout
//	tim plan -f spec.json            show what apply would change
//	tim apply -f spec.json           show the plan, make the changes, report each one
//
// "tim VERB -h" lists a verb's flags. -f - reads the spec from stdin.
//
// The spec format is community.Spec's: "group_id", "prune" (destroy the
// permission groups the spec does not name; default false) and
// "permission_groups", each with "id" (a custom "@PMG#_…" ID), "name" and
// "permission" (a number or a list of names such as ["SendMessage",
// "AtAll"]), and optionally "custom_string", "topics" and "members": a field
// left out is not managed, a field present (even empty) is exact. See
// examples/specs/demo.json.
//
// tim calls the app set by the same variables as the SDK's examples:
//
//	TIM_SDKAPPID                the app's SDKAppID
//	TIM_SECRET_KEY              the app's secret key
//	TIM_ADMIN                   an app admin account
//	TIM_REGION or TIM_BASE_URL  a region name (singapore, ...) or a base URL
//
// With none of them set it refuses, unless given --demo: then it runs against
// an embedded fake service (package timtest) seeded with the community
// @TGS#_demo, and says so on stderr. Each --demo run starts a fresh fake:
//
//	go run ./cmd/tim plan --demo -f examples/specs/demo.json
//	go run ./cmd/tim apply --demo -f examples/specs/demo.json
//
// Output that is data (a spec, a plan, outcomes) goes to stdout; progress
// and diagnostics go to stderr. Exit status:
//
//	export  0 done, 1 error
//	plan    0 no changes, 2 changes pending, 1 error
//	apply   0 the community now matches the spec, 1 it does not (or an error)
//
// Bad flags exit 1 too, so that 2 only ever means "changes pending".
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // plan: changes pending
)

// verbs are the commands, by name.
var verbs = map[string]func(ctx context.Context, env *env, args []string) int{
	"export": runExport,
	"plan":   runPlan,
	"apply":  runApply,

	"version": runVersion, // version.go
}

const usage = `usage: tim <verb> [flags]

  tim export --group GROUP_ID   print the community's spec (JSON) on stdout
  tim plan -f spec.json         show what apply would change (exit 0 no changes, 2 changes, 1 error)
  tim apply -f spec.json        make the changes (exit 0 the community matches, 1 it does not)

"tim <verb> -h" lists a verb's flags. Credentials come from TIM_SDKAPPID,
TIM_SECRET_KEY, TIM_ADMIN and TIM_REGION or TIM_BASE_URL; --demo runs
against an embedded fake instead.
`

// env is what a verb runs with: its streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	verb, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tim: unknown verb %q\n\n%s", args[0], usage)
		return exitError
	}
	return verb(ctx, &env{stdin: stdin, stdout: stdout, stderr: stderr}, args[1:])
}
