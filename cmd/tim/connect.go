package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// demoGroup is the community of the demo seed.
const demoGroup = "@TGS#_demo"

// demoSeed is the state --demo starts the embedded fake with (a
// timtest.Seed).
//
//go:embed demo_seed.json
var demoSeed []byte

// connect returns a client: for the app the flags and TIM_* variables name
// (config), or with demo for an embedded fake seeded with the demo
// community, said on stderr. close releases it (and stops the fake).
func connect(c *common, e *env) (client *tim.Client, close func(), err error) {
	if c.demo {
		return connectDemo(e.stderr)
	}
	client, err = c.config.client(e.getenv)
	if err != nil {
		return nil, nil, err
	}
	return client, func() { client.Close() }, nil
}

func connectDemo(stderr io.Writer) (*tim.Client, func(), error) {
	srv := timtest.NewServer()
	if err := srv.LoadSeed(bytes.NewReader(demoSeed)); err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("demo seed: %w", err)
	}
	client, err := srv.NewClient(tim.WithRetryPolicy(tim.DefaultRetryPolicy()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	fmt.Fprintf(stderr, "tim: --demo: using an embedded fake service (package timtest), fresh for this run, seeded with the community %s; nothing real is called\n", demoGroup)
	return client, func() { client.Close(); srv.Close() }, nil
}

// startReading starts a verb that only reads (export, access): ctx bounded
// by -timeout and cancelled on the first interrupt, and a client. done
// releases them.
func startReading(ctx context.Context, e *env, c *common) (_ context.Context, client *tim.Client, done func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	ctx, stopWatching := cancelOnSignal(ctx, e)
	client, closeFn, err := connect(c, e)
	if err != nil {
		stopWatching()
		cancel()
		return nil, nil, nil, err
	}
	return ctx, client, func() { closeFn(); stopWatching(); cancel() }, nil
}
