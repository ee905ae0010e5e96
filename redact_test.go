package tim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The walk finds a secret behind a pointer to a struct's first field seen
// first, and in a slice whose shorter view was seen first.
func TestHoldsSecretThroughAliases(t *testing.T) {
	f := newSigForms("s3cr3t-signature-value", "s3cr3t-signature-value")
	type inner struct {
		first  int
		secret string
	}
	in := &inner{secret: "x s3cr3t-signature-value"}
	assert.True(t, holdsSecret(struct {
		p *int
		s *inner
	}{&in.first, in}, f), "a pointer to the first field, then the struct")

	words := []string{"a", "b", "s3cr3t-signature-value"}
	assert.True(t, holdsSecret(struct{ short, long []string }{words[:1], words}, f), "a shorter slice, then the whole")

	var buf [64]byte
	copy(buf[:], "usersig=s3cr3t-signature-value")
	assert.True(t, holdsSecret(struct{ b [64]byte }{buf}, f), "a byte array")

	type node struct {
		next *node
		m    map[any]any
	}
	cyc := &node{m: map[any]any{1: nil, "k": []any{nil}}}
	cyc.next = cyc
	assert.False(t, holdsSecret(cyc, f), "a cycle, nil interfaces and odd keys end the walk")
	assert.False(t, holdsSecret(nil, f))
}
