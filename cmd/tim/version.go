package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"

	"github.com/timkit/tim"
)

// runVersion is "tim version": it prints the SDK's release (tim.Version),
// the Go release the binary was built with and its platform, as
// "tim v0.1.0 go1.25.14 linux/amd64".
func runVersion(_ context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("tim version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "usage: tim version\n\nVersion prints tim's release, the Go release it was built with and its platform.\n")
	}
	if _, status, done := parse(fs, args, 0); done {
		return status
	}
	fmt.Fprintf(e.stdout, "tim %s %s %s/%s\n", tim.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
