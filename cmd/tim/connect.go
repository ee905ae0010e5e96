package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/exampleenv"
	"github.com/timkit/tim/timtest"
)

// demoGroup is the community of the demo seed.
const demoGroup = "@TGS#_demo"

// demoSeed is the state --demo starts the embedded fake with (a
// timtest.Seed).
//
//go:embed demo_seed.json
var demoSeed []byte

// errNoCredentials is the refusal without TIM_* variables or --demo.
var errNoCredentials = errors.New("no credentials: set TIM_SDKAPPID, TIM_SECRET_KEY, TIM_ADMIN and TIM_REGION (or TIM_BASE_URL), or pass --demo to run against an embedded fake")

// connect returns a client: for the app the TIM_* variables name, or with
// demo for an embedded fake seeded with the demo community, said on stderr.
// close releases it (and stops the fake).
func connect(demo bool, stderr io.Writer) (client *tim.Client, close func(), err error) {
	if demo {
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
	client, err = exampleenv.Client()
	switch {
	case err != nil:
		// exampleenv speaks for the examples, which fall back to the fake.
		return nil, nil, errors.New(strings.Replace(err.Error(), "or none to use the fake", "or none and --demo for an embedded fake", 1))
	case client == nil:
		return nil, nil, errNoCredentials
	}
	return client, func() { client.Close() }, nil
}
