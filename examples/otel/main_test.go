package main

import (
	"context"
	"testing"
)

// TestNoSpanHoldsTheUserSig runs the example: every span recorded through
// tim.WithMiddleware is free of the UserSig, and the contrast through
// tim.WithHTTPClient shows it.
func TestNoSpanHoldsTheUserSig(t *testing.T) {
	safe, unsafe, err := run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if safe.spans < 4 {
		t.Errorf("%d spans through the middleware; want one per attempt (4)", safe.spans)
	}
	if safe.leaking != 0 {
		t.Errorf("%d of %d spans recorded through WithMiddleware hold the UserSig", safe.leaking, safe.spans)
	}
	if unsafe.leaking == 0 {
		t.Errorf("the WithHTTPClient contrast recorded no UserSig: the example no longer shows the danger")
	}
}
