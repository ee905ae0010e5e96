package community_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/timkit/tim/community"
)

// FuzzParseSpecFile: reading any text, as JSON or YAML, never panics, and
// an error is a *SpecError (or several joined) whose position, when it has
// one, is inside the text.
func FuzzParseSpecFile(f *testing.F) {
	for _, s := range []string{jsonSpec, yamlSpec, positionsJSON, positionsYAML, `{"a":1,"a":2}`, "a: 1\na: 2\n", "- [x\n", "a: &x 1\nb: *x\n", `{"group_id": "@TGS#_a", "permission_groups": [{"id": "@PMG#_x", "name": "X", "permission": "A||B"}]}`} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, yaml bool) {
		name := "spec.json"
		if yaml {
			name = "spec.yaml"
		}
		spec, err := community.ParseSpecFile(name, data)
		if err == nil {
			_ = spec.Position("permission_groups[0].members[0]")
			return
		}
		errs := []error{err}
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			errs = joined.Unwrap()
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range errs {
			var se *community.SpecError
			if !errors.As(e, &se) {
				t.Fatalf("not a *SpecError: %v", e)
			}
			if se.Pos.Line < 0 || se.Pos.Line > lines {
				t.Fatalf("line %d of %d: %v", se.Pos.Line, lines, e)
			}
		}
	})
}
