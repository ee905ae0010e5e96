package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// load reads a snapshot of group, with progress on stderr.
func load(ctx context.Context, e *env, client *tim.Client, group string, quiet bool) (*community.Snapshot, error) {
	p := newProgress(e.stderr, group, quiet)
	snap, err := community.Load(ctx, client, group, &community.LoadOptions{Progress: p.update})
	if err != nil {
		return nil, err
	}
	p.done(snap)
	return snap, nil
}

// readSpec reads and checks the spec at path ("-" for stdin).
func readSpec(e *env, path string) (*community.Spec, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	spec, err := community.ParseSpec(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return spec, nil
}

// fail prints err on stderr and returns exitError.
func fail(e *env, verb string, err error) int {
	fmt.Fprintf(e.stderr, "tim %s: %v\n", verb, err)
	return exitError
}

// session is what plan and apply share: the flags, the spec, a client, a
// snapshot and the plan.
type session struct {
	client *tim.Client
	close  func()
	spec   *community.Spec
	snap   *community.Snapshot
	plan   *community.Plan
}

// prepare reads the spec, connects, loads the community and diffs.
func prepare(ctx context.Context, e *env, verb, specPath string, c *common) (*session, error) {
	if specPath == "" {
		return nil, fmt.Errorf("-f is required: the spec file (- for stdin)")
	}
	spec, err := readSpec(e, specPath)
	if err != nil {
		return nil, err
	}
	client, closeFn, err := connect(c.demo, e.stderr)
	if err != nil {
		return nil, err
	}
	s := &session{client: client, close: closeFn, spec: spec}
	if s.snap, err = load(ctx, e, client, spec.GroupID, c.quiet); err != nil {
		closeFn()
		return nil, err
	}
	if s.plan, err = community.Diff(s.snap, spec); err != nil {
		closeFn()
		return nil, err
	}
	return s, nil
}
