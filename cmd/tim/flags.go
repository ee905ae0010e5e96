package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// common are the flags every verb has.
type common struct {
	demo    bool
	quiet   bool
	timeout time.Duration
}

// newFlags returns a verb's FlagSet, with the common flags, printing its
// usage (summary, then flags) to w.
func newFlags(verb, args, summary string, w io.Writer, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet("tim "+verb, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.BoolVar(&c.demo, "demo", false, "run against an embedded fake seeded with the demo community "+demoGroup+" (nothing real is called)")
	fs.BoolVar(&c.quiet, "quiet", false, "print no progress on stderr")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: tim %s %s\n\n%s\n\nFlags (-flag and --flag are the same):\n", verb, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; done reports that the verb must end with status
// (after -h, 0; after a bad flag, 1: 2 is plan's "changes pending").
func parse(fs *flag.FlagSet, args []string) (status int, done bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitError, true // the flag package printed the error and the usage
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitError, true
	}
	return 0, false
}
