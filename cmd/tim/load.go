package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// loadOptions are the community.LoadOptions of a verb: its -concurrency.
func (c *common) loadOptions() *community.LoadOptions {
	return &community.LoadOptions{Concurrency: c.concurrency}
}

// load reads a snapshot of group, with progress on stderr.
func load(ctx context.Context, e *env, client *tim.Client, group string, c *common) (*community.Snapshot, error) {
	p := newProgress(e.stderr, group, c.quiet)
	opts := c.loadOptions()
	opts.Progress = p.update
	snap, err := community.Load(ctx, client, group, opts)
	if err != nil {
		return nil, err
	}
	p.done(snap)
	return snap, nil
}

// stdinName is the name errors give the spec read from stdin.
const stdinName = "<stdin>"

// readSpec reads and checks the spec at path ("-" for stdin), JSON or YAML
// (community.ParseSpecFile: by the file's extension, or its first
// character). Its errors name the file, the line and the column.
func readSpec(e *env, path string) (*community.Spec, error) {
	name, r := stdinName, e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		name, r = path, f
	}
	data, err := io.ReadAll(io.LimitReader(r, community.MaxSpecBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return community.ParseSpecFile(name, data)
}

// fail prints err on stderr and returns exitError. A spec that does not fit
// its community prints one line per problem, as a compiler does, then what
// it means.
func fail(e *env, verb string, err error) int {
	var ce *community.CheckError
	if errors.As(err, &ce) {
		fmt.Fprintln(e.stderr, ce.Error())
		fmt.Fprintf(e.stderr, "tim %s: the spec does not fit %s (%d problem(s) above): nothing was written\n", verb, ce.GroupID, len(ce.Problems))
		return exitError
	}
	fmt.Fprintf(e.stderr, "tim %s: %v\n", verb, err)
	return exitError
}

// session is what plan and apply share: a client, the spec and the plan.
type session struct {
	client *tim.Client
	close  func()
	plan   *community.Plan
}

// prepare reads the spec, connects, loads the community, checks that the
// spec fits it (community.CheckSpec: its accounts are members, its granted
// topics exist) and diffs.
func prepare(ctx context.Context, e *env, specPath string, c *common) (*session, error) {
	if specPath == "" {
		return nil, fmt.Errorf("-f is required: the spec file (- for stdin)")
	}
	spec, err := readSpec(e, specPath)
	if err != nil {
		return nil, err
	}
	client, closeFn, err := connect(c, e)
	if err != nil {
		return nil, err
	}
	s := &session{client: client, close: closeFn}
	snap, err := load(ctx, e, client, spec.GroupID, c)
	if err != nil {
		closeFn()
		return nil, err
	}
	if err := community.CheckSpec(ctx, client, snap, spec); err != nil {
		closeFn()
		return nil, err
	}
	if s.plan, err = community.Diff(snap, spec); err != nil {
		closeFn()
		return nil, err
	}
	return s, nil
}
