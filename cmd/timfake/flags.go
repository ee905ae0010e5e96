package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/timkit/tim/timtest"
)

// config is what the flags ask for.
type config struct {
	listen      string
	sdkAppID    uint64
	secretKey   string
	admins      []string
	seed        string
	rateLimit   int
	latency     time.Duration
	memberLimit int
	noCommunity bool
	noRecord    bool

	callbackURL       string
	callbackToken     string // never printed
	callbackAllowHTTP bool
}

// parseFlags reads the command line. It returns flag.ErrHelp for -h.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("timfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: timfake [flags]\n\n"+
			"Runs the timtest fake of the Tencent Cloud Chat REST API. Once listening it prints\n"+
			"the base URL, then export lines for TIM_BASE_URL, TIM_SDKAPPID, TIM_SECRET_KEY and\n"+
			"TIM_ADMIN, on stdout; it stops on SIGINT or SIGTERM.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "`address` to listen on; port 0 picks a free one")
	fs.Uint64Var(&c.sdkAppID, "sdkappid", timtest.DefaultSDKAppID, "the app `ID`")
	fs.StringVar(&c.secretKey, "secret-key", timtest.DefaultSecretKey, "the `key` UserSigs are verified with")
	fs.Func("admin", "an app admin `account`; repeat for more, the first is TIM_ADMIN (default "+timtest.DefaultAdmin+")", func(s string) error {
		if s == "" {
			return errors.New("empty account")
		}
		c.admins = append(c.admins, s)
		return nil
	})
	fs.StringVar(&c.seed, "seed", "", "a seed `file` (JSON: see timtest.Seed) to start with")
	fs.IntVar(&c.rateLimit, "rate-limit", 0, "answer 60007 past `n` calls of a command in a second (0: no limit)")
	fs.DurationVar(&c.latency, "latency", 0, "delay every answer by `duration`, e.g. 20ms")
	fs.IntVar(&c.memberLimit, "permission-group-member-limit", 0, "answer 110012 past `n` members in a permission group (0: no limit)")
	fs.BoolVar(&c.noCommunity, "no-communities", false, "an app without community support: permission-group commands answer 11000")
	fs.BoolVar(&c.noRecord, "no-record", false, "keep no requests (GET /_timfake/requests lists none)")
	fs.StringVar(&c.callbackURL, "callback-url", "", "send the service's callbacks to `URL`, the app's callback URL (http only to loopback)")
	fs.StringVar(&c.callbackToken, "callback-token", "", "sign callbacks with `token`, the console's callback token (none: unsigned)")
	fs.BoolVar(&c.callbackAllowHTTP, "callback-allow-http", false, "allow a plain http --callback-url beyond loopback (a container network, say)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var bad error
	switch {
	case fs.NArg() > 0:
		bad = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.sdkAppID == 0:
		bad = errors.New("-sdkappid must not be 0")
	case c.secretKey == "":
		bad = errors.New("-secret-key must not be empty")
	case c.rateLimit < 0:
		bad = errors.New("-rate-limit must not be negative")
	case c.latency < 0:
		bad = errors.New("-latency must not be negative")
	case c.memberLimit < 0:
		bad = errors.New("-permission-group-member-limit must not be negative")
	case c.callbackURL == "" && (c.callbackToken != "" || c.callbackAllowHTTP):
		bad = errors.New("--callback-token and --callback-allow-http need --callback-url")
	case c.callbackURL != "":
		bad = checkCallbackURL(c.callbackURL, c.callbackAllowHTTP)
	}
	if bad != nil {
		fmt.Fprintln(stderr, bad)
		fs.Usage()
		return nil, bad
	}
	if len(c.admins) == 0 {
		c.admins = []string{timtest.DefaultAdmin}
	}
	return c, nil
}

// options returns the timtest options the config asks for.
func (c *config) options() []timtest.Option {
	opts := []timtest.Option{
		timtest.WithControlEndpoint(),
		timtest.WithSDKAppID(c.sdkAppID),
		timtest.WithSecretKey(c.secretKey),
		timtest.WithAdmins(c.admins...),
		timtest.WithRateLimit(c.rateLimit),
		timtest.WithLatency(c.latency),
		timtest.WithPermissionGroupMemberLimit(c.memberLimit),
	}
	if c.noCommunity {
		opts = append(opts, timtest.WithoutCommunitySupport())
	}
	if c.noRecord {
		opts = append(opts, timtest.WithoutRecording())
	}
	if c.callbackURL != "" {
		opts = append(opts, timtest.WithCallback(c.callbackURL, c.callbackToken))
	}
	return opts
}
