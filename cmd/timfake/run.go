package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/timkit/tim/timtest"
)

// closeTimeout bounds the wait for open requests when timfake stops.
const closeTimeout = 5 * time.Second

// run is timfake: it serves until ctx ends and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	var seed *timtest.Seed
	if c.seed != "" {
		if seed, err = readSeed(c.seed); err != nil {
			fmt.Fprintf(stderr, "timfake: -seed %s: %v\n", c.seed, err)
			return 1
		}
	}

	srv, err := timtest.Listen(c.listen, append(c.options(), timtest.WithCallbackLog(stderr))...)
	if err != nil {
		fmt.Fprintf(stderr, "timfake: -listen %s: %v\n", c.listen, err)
		return 1
	}
	if err := srv.ApplySeed(seed); err != nil {
		srv.Close()
		fmt.Fprintf(stderr, "timfake: -seed %s: %v\n", c.seed, err)
		return 1
	}
	if !loopback(c.listen) {
		fmt.Fprintf(stderr, "timfake: warning: listening on %s, beyond loopback: plain HTTP, and the control endpoint (/_timfake/) lets anyone who reaches it read the requests and change the answers. The tim Go SDK accepts plain http only on loopback.\n", c.listen)
	}

	// One write, so that a reader gets the five lines together.
	io.WriteString(stdout, envLines(srv))
	fmt.Fprintf(stderr, "timfake: listening on %s (app %d, admin %s), control endpoint %s/_timfake/\n", srv.URL(), srv.SDKAppID(), srv.Admin(), srv.URL())
	if c.callbackURL != "" {
		signed := "signed with the --callback-token"
		if c.callbackToken == "" {
			signed = "unsigned (no --callback-token: the console's authentication off)"
		}
		fmt.Fprintf(stderr, "timfake: callbacks go to %s, %s\n", c.callbackURL, signed)
	}
	if seed != nil {
		noun := "communities"
		if len(seed.Communities) == 1 {
			noun = "community"
		}
		fmt.Fprintf(stderr, "timfake: seeded %d %s from %s\n", len(seed.Communities), noun, c.seed)
	}
	fmt.Fprintln(stderr, "timfake: stop with Ctrl-C or SIGTERM")

	<-ctx.Done()
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
		fmt.Fprintln(stderr, "timfake: stopped")
	case <-time.After(closeTimeout):
		fmt.Fprintf(stderr, "timfake: requests still open after %v; stopping anyway\n", closeTimeout)
	}
	return 0
}

func readSeed(name string) (*timtest.Seed, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return timtest.DecodeSeed(f)
}

// envLines returns what timfake prints on stdout: the base URL, then
// export lines for the TIM_* variables.
func envLines(srv *timtest.Server) string {
	var b strings.Builder
	b.WriteString(srv.URL() + "\n")
	for _, kv := range [][2]string{
		{"TIM_BASE_URL", srv.URL()},
		{"TIM_SDKAPPID", strconv.FormatUint(srv.SDKAppID(), 10)},
		{"TIM_SECRET_KEY", srv.SecretKey()},
		{"TIM_ADMIN", srv.Admin()},
	} {
		b.WriteString("export " + kv[0] + "=" + shellQuote(kv[1]) + "\n")
	}
	return b.String()
}

// shellQuote returns v as a POSIX shell word: as it is when every byte is
// one of A-Z a-z 0-9 _ - . , : / @ % + =, single-quoted otherwise.
func shellQuote(v string) string {
	safe := v != ""
	for i := 0; i < len(v) && safe; i++ {
		c := v[i]
		safe = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-.,:/@%+=", c) >= 0
	}
	if safe {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// loopback reports whether a listen address ("host:port") is on loopback
// only: localhost, a loopback IP, or a name that resolves to loopback IPs
// only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(context.Background(), host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return false
		}
	}
	return true
}
