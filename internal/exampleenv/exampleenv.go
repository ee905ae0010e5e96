// Package exampleenv reads the TIM_* environment variables the examples
// share, so that each example's code shows the SDK rather than variable
// parsing. It is internal: applications configure their clients their own
// way.
package exampleenv

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// clientVars are the variables every example needs to call a real app,
// besides TIM_REGION or TIM_BASE_URL.
var clientVars = []string{"TIM_SDKAPPID", "TIM_SECRET_KEY", "TIM_ADMIN"}

// Client returns a client for a real app when TIM_* variables are set, or
// nil when none of clientVars, TIM_REGION, TIM_BASE_URL and more is set (the
// example then uses the fake). When only some are set it returns an error
// naming the missing ones. more are the example's own required variables.
func Client(more ...string) (*tim.Client, error) {
	names := append(clientVars[:len(clientVars):len(clientVars)], more...)
	set := false
	for _, n := range append(names, "TIM_REGION", "TIM_BASE_URL") {
		if os.Getenv(n) != "" {
			set = true
		}
	}
	if !set {
		return nil, nil
	}
	var missing []string
	for _, n := range names {
		if os.Getenv(n) == "" {
			missing = append(missing, n)
		}
	}
	if os.Getenv("TIM_REGION") == "" && os.Getenv("TIM_BASE_URL") == "" {
		missing = append(missing, "TIM_REGION or TIM_BASE_URL")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("some TIM_* variables are set but not %s (set all of them, or none to use the fake)", strings.Join(missing, ", "))
	}

	if os.Getenv("TIM_REGION") != "" && os.Getenv("TIM_BASE_URL") != "" {
		// As the tim command does: which one was meant is not ours to guess.
		return nil, errors.New("TIM_REGION and TIM_BASE_URL are both set; set one")
	}
	appID, err := strconv.ParseUint(os.Getenv("TIM_SDKAPPID"), 10, 64)
	if err != nil {
		return nil, errors.New("TIM_SDKAPPID is not a number")
	}
	opts := []tim.Option{tim.WithSecretKey(os.Getenv("TIM_SECRET_KEY"))}
	if r := os.Getenv("TIM_REGION"); r != "" {
		region, err := tim.ParseRegion(r)
		if err != nil {
			return nil, err
		}
		opts = append(opts, tim.WithRegion(region))
	} else {
		opts = append(opts, tim.WithBaseURL(os.Getenv("TIM_BASE_URL")))
	}
	return tim.NewClient(appID, os.Getenv("TIM_ADMIN"), opts...)
}

// List returns the comma-separated entries of variable name, blanks dropped.
func List(name string) []string {
	var out []string
	for _, item := range strings.Split(os.Getenv(name), ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
