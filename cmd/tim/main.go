package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		isTerminal: func() bool { return isTerminal(os.Stdin.Fd()) }, signals: sigs, grace: defaultGrace, timer: realTimer}
	os.Exit(run(context.Background(), e, os.Args[1:]))
}

// defaultGrace is how long apply waits, after the first interrupt, for the
// writes already sent.
const defaultGrace = 10 * time.Second

// Exit statuses.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // plan -detailed-exitcode: changes pending
)

// verbs are the commands, by name.
var verbs = map[string]func(ctx context.Context, env *env, args []string) int{
	"export": runExport,
	"plan":   runPlan,
	"apply":  runApply,
	"access": runAccess, // access.go

	"version": runVersion, // version.go
}

const usage = `usage: tim <verb> [flags]

  tim export --group GROUP_ID         print the community's spec (JSON) on stdout
  tim plan -f spec.json [-out FILE]   show what apply would change; save the plan
                                      (-detailed-exitcode: exit 0 no changes, 2 changes, 1 error)
  tim apply -f spec.json              show the plan, ask, make the changes (-auto-approve: do not ask)
  tim apply FILE                      apply a saved plan, unless the community changed since
  tim access -group G -account A      what A may do in G (-topic T: and in topic T), and why
  tim version                         print tim's release, the Go release and the platform

"tim <verb> -h" lists a verb's flags. Credentials come from flags and
TIM_SDKAPPID, TIM_SECRET_KEY, TIM_ADMIN and TIM_REGION or TIM_BASE_URL;
--demo runs against an embedded fake instead.
`

// env is what a verb runs with: its streams, its environment, whether
// stdin is a terminal, and the interrupts (SIGINT, SIGTERM) it receives.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     func() bool
	signals        <-chan os.Signal
	grace          time.Duration // how long apply waits for writes in flight after an interrupt
	timer          startTimer    // apply's clock: realTimer unless a test gives its own
}

func run(ctx context.Context, e *env, args []string) int {
	if e.getenv == nil {
		e.getenv = os.Getenv
	}
	if e.isTerminal == nil {
		e.isTerminal = func() bool { return false }
	}
	if e.grace == 0 {
		e.grace = defaultGrace
	}
	if e.timer == nil {
		e.timer = realTimer
	}
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitError
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, usage)
		return exitOK
	}
	verb, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "tim: unknown verb %q\n\n%s", args[0], usage)
		return exitError
	}
	return verb(ctx, e, args[1:])
}
