package main

import (
	"errors"
	"flag"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// config is where tim calls: the app, its admin and the service's address,
// from flags first, then the TIM_* environment variables. The secret key
// comes from TIM_SECRET_KEY only: a flag would show it in the process list.
type config struct {
	sdkAppID, admin, region, baseURL setting
}

// setting is one value and where it came from ("--region", "TIM_REGION").
type setting struct {
	value, from string
}

// configFlags adds the flags of a config to fs.
func (c *config) configFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.sdkAppID.value, "sdkappid", "", "the app's SDKAppID (default $TIM_SDKAPPID)")
	fs.StringVar(&c.admin.value, "admin", "", "an app admin account to act as (default $TIM_ADMIN)")
	fs.StringVar(&c.region.value, "region", "", "the app's region: singapore, seoul, ... (default $TIM_REGION); not with -base-url")
	fs.StringVar(&c.baseURL.value, "base-url", "", "the service's base URL instead of a region's (default $TIM_BASE_URL)")
}

// errNoCredentials is the refusal without flags, TIM_* variables or --demo.
var errNoCredentials = errors.New("no credentials: set TIM_SDKAPPID, TIM_SECRET_KEY, TIM_ADMIN and TIM_REGION (or TIM_BASE_URL), or pass --demo to run against an embedded fake")

// client returns a client for the app the flags and the environment name,
// after checking them all: nothing is sent before. getenv is os.Getenv.
func (c *config) client(getenv func(string) string) (*tim.Client, error) {
	fill := func(s *setting, flagName, env string) {
		switch {
		case s.value != "":
			s.from = "--" + flagName
		case getenv(env) != "":
			s.value, s.from = getenv(env), env
		}
	}
	fill(&c.sdkAppID, "sdkappid", "TIM_SDKAPPID")
	fill(&c.admin, "admin", "TIM_ADMIN")
	fill(&c.region, "region", "TIM_REGION")
	fill(&c.baseURL, "base-url", "TIM_BASE_URL")
	key := getenv("TIM_SECRET_KEY")
	if c.region.value != "" && c.baseURL.value != "" {
		return nil, errors.New(c.region.from + " and " + c.baseURL.from + " are both set: tim would not know which service to call; keep one")
	}
	if c.sdkAppID.value == "" && c.admin.value == "" && c.region.value == "" && c.baseURL.value == "" && key == "" {
		return nil, errNoCredentials
	}
	var missing []string
	if c.sdkAppID.value == "" {
		missing = append(missing, "TIM_SDKAPPID")
	}
	if key == "" {
		missing = append(missing, "TIM_SECRET_KEY")
	}
	if c.admin.value == "" {
		missing = append(missing, "TIM_ADMIN")
	}
	if c.region.value == "" && c.baseURL.value == "" {
		missing = append(missing, "TIM_REGION or TIM_BASE_URL")
	}
	if len(missing) > 0 {
		return nil, errors.New("some TIM_* variables are set but not " + strings.Join(missing, ", ") + " (set them, or none and pass --demo for an embedded fake)")
	}
	appID, err := strconv.ParseUint(c.sdkAppID.value, 10, 64)
	if err != nil {
		return nil, errors.New(c.sdkAppID.from + " is not a number")
	}
	opts := []tim.Option{tim.WithSecretKey(key)}
	if c.region.value != "" {
		region, err := tim.ParseRegion(c.region.value)
		if err != nil {
			return nil, errors.New(c.region.from + ": " + strings.TrimPrefix(err.Error(), "tim: "))
		}
		opts = append(opts, tim.WithRegion(region))
	} else {
		opts = append(opts, tim.WithBaseURL(c.baseURL.value))
	}
	return tim.NewClient(appID, c.admin.value, opts...)
}
