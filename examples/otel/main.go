// Command otel traces a tim client with OpenTelemetry, names each span by
// the REST command it carries, and shows that no span holds the UserSig.
//
// It is its own module (so that the SDK's users never download
// OpenTelemetry) and builds on tim.WithMiddleware: otelhttp wraps the
// client's round trip there, above the layer that signs the URL, so its
// spans record url.full with usersig=[redacted]; tim.CommandFromContext
// gives each span its name ("tim get_role_in_group") where otelhttp would
// call every one "HTTP POST". For contrast it also wraps
// the transport the unsafe way, with tim.WithHTTPClient, where the signed
// URL is in plain sight. Spans go to an in-memory exporter; the calls go to
// the embedded fake of package timtest, so it needs no credentials:
//
//	cd examples/otel && go run .
//
// It exits non-zero if a span recorded through the middleware holds any
// form of a UserSig, or if the contrast does not show the leak it should.
package main

import (
	"context"
	"fmt"
	"log"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const community = "@TGS#_@TGS#otel"

func main() {
	safe, unsafe, err := run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("WithMiddleware(otelhttp): %d spans, %d hold a UserSig\n", safe.spans, safe.leaking)
	for _, name := range slices.Sorted(maps.Keys(safe.names)) {
		fmt.Printf("  %q: %d\n", name, safe.names[name])
	}
	fmt.Printf("WithHTTPClient(otelhttp): %d spans, %d hold a UserSig (why tracing belongs in WithMiddleware)\n", unsafe.spans, unsafe.leaking)
	if safe.leaking != 0 || safe.spans == 0 || unsafe.leaking == 0 {
		os.Exit(1)
	}
}

// tally is what one way of tracing recorded: spans, those holding a
// UserSig, and how many spans had each name.
type tally struct {
	spans, leaking int
	names          map[string]int
}

// run makes the same calls through a client traced each way and counts the
// spans, and the spans that hold a UserSig the signer handed out.
func run(ctx context.Context) (safe, unsafe tally, err error) {
	srv := timtest.NewServer()
	defer srv.Close()
	if err := srv.CreateCommunity(community, "leckie"); err != nil {
		return safe, unsafe, err
	}
	if err := srv.AddMember(community, "peter", tim.RoleMember); err != nil {
		return safe, unsafe, err
	}
	signer, err := tim.NewKeySigner(srv.SDKAppID(), srv.SecretKey(), srv.Admin())
	if err != nil {
		return safe, unsafe, err
	}

	middleware := func(tp *sdktrace.TracerProvider) tim.Option {
		return tim.WithMiddleware(func(next http.RoundTripper) http.RoundTripper {
			return otelhttp.NewTransport(next, otelhttp.WithTracerProvider(tp), otelhttp.WithSpanNameFormatter(spanName))
		})
	}
	transport := func(tp *sdktrace.TracerProvider) tim.Option {
		return tim.WithHTTPClient(&http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tp))})
	}
	if safe, err = traced(ctx, srv, signer, middleware); err != nil {
		return safe, unsafe, err
	}
	unsafe, err = traced(ctx, srv, signer, transport)
	return safe, unsafe, err
}

// traced makes a few calls, one of them failed, through a client with the
// tracing option trace, and counts its spans.
func traced(ctx context.Context, srv *timtest.Server, signer *tim.KeySigner, trace func(*sdktrace.TracerProvider) tim.Option) (tally, error) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer func() { _ = tp.Shutdown(ctx) }() // an in-memory exporter: nothing to flush
	client, err := tim.NewClient(srv.SDKAppID(), srv.Admin(), tim.WithBaseURL(srv.URL()), tim.WithUserSigner(signer),
		tim.WithRetryPolicy(timtest.FastRetries()), trace(tp))
	if err != nil {
		return tally{}, err
	}
	defer client.Close()

	if _, err := client.RoleOf(ctx, community, "peter"); err != nil {
		return tally{}, err
	}
	if _, err := client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: community}); err != nil {
		return tally{}, err
	}
	// A retried failure: a 502 page, then the answer.
	if err := srv.FailNext(tim.CommandGetRoleInGroup, 1, timtest.Fault{Status: http.StatusBadGateway}); err != nil {
		return tally{}, err
	}
	if _, err := client.RoleOf(ctx, community, "leckie"); err != nil {
		return tally{}, err
	}

	sig, err := signer.UserSig(ctx)
	if err != nil {
		return tally{}, err
	}
	forms := []string{sig, url.QueryEscape(sig), url.PathEscape(sig)}
	t := tally{names: map[string]int{}}
	for _, span := range exp.GetSpans() {
		t.spans++
		t.names[span.Name]++
		if holds(span, forms) {
			t.leaking++
		}
	}
	return t, nil
}

// spanName names a span by the tim command of its request, and falls back
// to otelhttp's own name for anything else.
func spanName(_ string, r *http.Request) string {
	if cmd, ok := tim.CommandFromContext(r.Context()); ok {
		return "tim " + cmd
	}
	return "HTTP " + r.Method
}

// holds reports whether any attribute or event of span holds one of forms.
func holds(span tracetest.SpanStub, forms []string) bool {
	var text strings.Builder
	text.WriteString(span.Name)
	for _, kv := range span.Attributes {
		fmt.Fprintf(&text, "\n%s=%s", kv.Key, kv.Value.String())
	}
	for _, ev := range span.Events {
		text.WriteString("\n" + ev.Name)
		for _, kv := range ev.Attributes {
			fmt.Fprintf(&text, "\n%s=%s", kv.Key, kv.Value.String())
		}
	}
	for _, f := range forms {
		if strings.Contains(text.String(), f) {
			return true
		}
	}
	return false
}
