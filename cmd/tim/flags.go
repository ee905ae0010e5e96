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
	demo        bool
	quiet       bool
	timeout     time.Duration
	concurrency int
	config      config
}

// newFlags returns a verb's FlagSet, with the common flags, printing its
// usage (summary, then flags) to w.
func newFlags(verb, args, summary string, w io.Writer, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet("tim "+verb, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.BoolVar(&c.demo, "demo", false, "run against an embedded fake seeded with the demo community "+demoGroup+" (nothing real is called)")
	fs.BoolVar(&c.quiet, "quiet", false, "print no progress on stderr")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.IntVar(&c.concurrency, "concurrency", 0, "how many calls to keep in flight (default: community.DefaultLoadConcurrency when reading, community.DefaultApplyConcurrency when applying)")
	c.config.configFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: tim %s %s\n\n%s\n\nFlags (-flag and --flag are the same):\n", verb, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, which may hold up to maxArgs arguments among the
// flags; done reports that the verb must end with status (after -h, 0;
// after a bad flag or argument, 1: 2 is plan's "changes pending").
func parse(fs *flag.FlagSet, args []string, maxArgs int) (positional []string, status int, done bool) {
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			return nil, exitOK, true
		case err != nil:
			return nil, exitError, true // the flag package printed the error and the usage
		}
		if fs.NArg() == 0 {
			break
		}
		if len(positional) == maxArgs {
			fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
			fs.Usage()
			return nil, exitError, true
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if c := fs.Lookup("concurrency"); c != nil {
		if n, ok := c.Value.(flag.Getter).Get().(int); ok && n < 0 {
			fmt.Fprintf(fs.Output(), "%s: -concurrency must not be negative\n", fs.Name())
			return nil, exitError, true
		}
	}
	return positional, 0, false
}

// usageError prints a verb's bad usage, msg, and its usage, and returns
// exitError.
func usageError(e *env, verb string, fs *flag.FlagSet, msg string) int {
	fmt.Fprintf(e.stderr, "tim %s: %s\n", verb, msg)
	fs.Usage()
	return exitError
}
