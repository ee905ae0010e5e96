// Package timing gates the tests that assert wall-clock rates, counts and
// durations. They run only when TIM_TIMING_TESTS=1 (.ci/run runs them in a
// step of their own), so that the default go test ./... passes on a busy
// machine; the logic they measure is tested on injected clocks by default.
package timing

import (
	"os"
	"testing"
)

// Env is the environment variable that turns the timing tests on.
const Env = "TIM_TIMING_TESTS"

// Enabled reports whether the timing tests run.
func Enabled() bool { return os.Getenv(Env) == "1" }

// Require skips t unless the timing tests run.
func Require(t testing.TB) {
	t.Helper()
	if !Enabled() {
		t.Skip("a wall-clock timing test: set " + Env + "=1 to run it")
	}
}
