package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
)

// checkCallbackURL checks a --callback-url: http or https with a host;
// plain http only to a loopback host unless allowHTTP, since the fake's
// callbacks carry a Sign and event data, and the Go SDK accepts plain http
// only on loopback too.
func checkCallbackURL(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("--callback-url is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("--callback-url must start with http:// or https://, not %q", u.Scheme+":")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("--callback-url names no host")
	case u.Fragment != "" || u.User != nil:
		return errors.New("--callback-url must not hold a #fragment or user:password@")
	case u.Scheme == "http" && !allowHTTP && !loopback(net.JoinHostPort(u.Hostname(), "0")):
		return fmt.Errorf("--callback-url: plain http to %s, beyond loopback: use https, or add --callback-allow-http", u.Hostname())
	}
	return nil
}
