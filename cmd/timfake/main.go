// Command timfake runs the in-memory fake of the Tencent Cloud Chat REST API
// (package github.com/timkit/tim/timtest) as a process: for integration
// tests of services written in any language, and for trying the tim CLI
// without an app.
//
// Usage:
//
//	timfake [flags]
//
//	go run ./cmd/timfake --seed cmd/timfake/testdata/seed.json
//
// The flags (-flag and --flag are the same; -h lists them):
//
//	--listen ADDR      where to listen (default 127.0.0.1:0, a free loopback port)
//	--sdkappid ID      the app ID (default 1400000000)
//	--secret-key KEY   the key UserSigs are verified with (default timtest.DefaultSecretKey)
//	--admin ACCOUNT    an app admin; repeat for more; the first is TIM_ADMIN (default administrator)
//	--seed FILE        a seed file (JSON, see timtest.Seed) to start with
//	--rate-limit N     answer 60007 past N calls of a command in a second (default 0: no limit)
//	--latency D        delay every answer by D, e.g. 20ms
//	--permission-group-member-limit N
//	                   answer 110012 past N members in a permission group
//	--no-communities   an app without community support: permission-group commands answer 11000
//	--no-record        keep no requests (for long runs; /_timfake/requests lists none)
//	--callback-url URL send the service's third-party callbacks to URL (see below)
//	--callback-token T sign them with T, the console's callback token (default: unsigned)
//	--callback-allow-http
//	                   allow a plain http --callback-url beyond loopback
//
// Once it listens, timfake writes exactly five lines to stdout, at once, and
// nothing more:
//
//	http://127.0.0.1:43117
//	export TIM_BASE_URL=http://127.0.0.1:43117
//	export TIM_SDKAPPID=1400000000
//	export TIM_SECRET_KEY=timtest-fake-secret-key-not-a-real-one
//	export TIM_ADMIN=administrator
//
// The first line is the base URL, and its arrival means the fake is ready.
// The other four are POSIX shell commands; a value with a character other
// than A-Z a-z 0-9 _ - . , : / @ % + = is single-quoted. Everything else,
// warnings included, goes to stderr. From a shell:
//
//	go build -o /tmp/timfake ./cmd/timfake
//	/tmp/timfake --seed seed.json >/tmp/timfake.out &
//	until grep -q TIM_ADMIN /tmp/timfake.out 2>/dev/null; do sleep 0.1; done
//	eval "$(sed 1d /tmp/timfake.out)"   # TIM_BASE_URL, TIM_SDKAPPID, TIM_SECRET_KEY, TIM_ADMIN
//	kill %1
//
// The fake answers the REST commands under /v4/group_open_http_svc/ and
// /v4/million_group_open_http_svc/ (the topics) as package timtest
// describes, and serves a control endpoint under /_timfake/ (see
// timtest.WithControlEndpoint) to set tests up from any language:
//
//	json='Content-Type: application/json'
//	curl -s -H "$json" -d '{"command": "get_role_in_group", "n": 1, "fault": {"code": 10002}}' $TIM_BASE_URL/_timfake/fail_next
//	curl -s $TIM_BASE_URL/_timfake/requests
//	curl -s -H "$json" -X POST $TIM_BASE_URL/_timfake/reset
//	curl -s -H "$json" --data-binary @more.json $TIM_BASE_URL/_timfake/seed
//	curl -s -H "$json" -d '{"group_id": "@TGS#_demo", "topics": ["@TGS#_demo@TOPIC#_news"], "members": {"amy": "Admin"}}' $TIM_BASE_URL/_timfake/add_to_community
//
// The control endpoint takes POSTs only with Content-Type: application/json,
// and refuses (403) a request with an Origin header or addressed to a Host
// other than localhost or a loopback IP, so that a web page open on the
// same machine cannot drive the fake.
//
// It serves plain HTTP, which the tim SDK accepts only on loopback. Another
// --listen address (for a container, say) works for REST clients in other
// languages, with a warning on stderr: the control endpoint has no
// authentication, and answers only requests addressed to a loopback host.
//
// With --callback-url, timfake POSTs the callbacks the service would send
// after the matching REST calls (and Alert.RequestOverLimit past 80% of
// --rate-limit) to the app's URL, with SdkAppid, CallbackCommand,
// contenttype, ClientIP, OptPlatform=RESTAPI, and Sign and RequestTime when
// --callback-token is set, as package timtest's WithCallback describes; one
// line per callback on stderr says how the app answered. The token is never
// printed, but a command-line flag is visible to other users of the machine:
// use a test token. The URL must be https, or http to a loopback host
// (localhost, 127.0.0.1, [::1]); --callback-allow-http allows plain http
// elsewhere, for apps in other containers. https uses the system's
// certificate roots (SSL_CERT_FILE adds a test CA).
//
// timfake stops on SIGINT or SIGTERM and exits 0; a second signal ends it at
// once. It exits 1 when it cannot start (a seed file it refuses, an address
// in use) and 2 for bad flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal gets the default action: the process ends at once
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
