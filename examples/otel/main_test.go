package main

import (
	"context"
	"maps"
	"testing"
)

// TestNoSpanHoldsTheUserSig runs the example: every span recorded through
// tim.WithMiddleware is named by its command and free of the UserSig, and
// the contrast through tim.WithHTTPClient shows the UserSig.
func TestNoSpanHoldsTheUserSig(t *testing.T) {
	safe, unsafe, err := run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if safe.spans < 4 {
		t.Errorf("%d spans through the middleware; want one per attempt (4)", safe.spans)
	}
	want := map[string]int{"tim get_role_in_group": 3, "tim get_permission_group": 1}
	if !maps.Equal(safe.names, want) {
		t.Errorf("spans by name: %v; want one per attempt, named by command: %v", safe.names, want)
	}
	if safe.leaking != 0 {
		t.Errorf("%d of %d spans recorded through WithMiddleware hold the UserSig", safe.leaking, safe.spans)
	}
	if unsafe.leaking == 0 {
		t.Errorf("the WithHTTPClient contrast recorded no UserSig: the example no longer shows the danger")
	}
}
