package tim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/timkit/tim"
)

// TestCheckCustomTopicID: the rule create_topic applies to a custom ID,
// each failure a *tim.ValidationError saying why.
func TestCheckCustomTopicID(t *testing.T) {
	const g = "@TGS#_demo"
	assert.NoError(t, tim.CheckCustomTopicID(g, g+"@TOPIC#_events"))
	for _, tc := range []struct{ group, id, want string }{
		{g, "", "is empty"},
		{g, g + "@TOPIC#_", "is not a topic of @TGS#_demo"},
		{g, "@TGS#_x@TOPIC#_a", "is a topic of another community (@TGS#_x), not of @TGS#_demo"},
		{g, g + "@TOPIC#_" + strings.Repeat("a", 90), "is 108 bytes; topic IDs are at most 96"},
		{g, g + "@TOPIC#_@TOPIC#c1", "a custom ID may not hold @TOPIC#_@TOPIC#"},
		{g, g + "@TOPIC#_a@TGS#_b", "nor @TGS#_ after @TOPIC#_"},
		{g, g + "@TOPIC#_a\x00", "NUL"},
		{"@PMG#_x", "@PMG#_x@TOPIC#_a", "not a community ID"},
	} {
		err := tim.CheckCustomTopicID(tc.group, tc.id)
		var ve *tim.ValidationError
		if assert.True(t, errors.As(err, &ve), "%q: %v", tc.id, err) {
			assert.Contains(t, err.Error(), tc.want, tc.id)
		}
	}
	assert.False(t, tim.IsServerMadeTopicID(g+"@TOPIC#_events"))
	assert.True(t, tim.IsServerMadeTopicID(g+"@TOPIC#_@TOPIC#cETE3"))
}
