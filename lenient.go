package tim

import (
	"errors"
	"math"
	"strconv"
)

// flexInt decodes an integer sent as a JSON number, a numeric string or a
// float with no fraction ("1e3"): where the docs and the samples disagree on
// a field's type, or no sample was seen, either shape decodes.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && v == math.Trunc(v) && math.Abs(v) <= 1<<53 {
		*f = flexInt(v)
		return nil
	}
	return errors.New("tim: not an integer")
}

// UnmarshalJSON accepts a code as a JSON number or a numeric string.
func (c *ErrorCode) UnmarshalJSON(b []byte) error {
	var n flexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return errors.New("tim: error code out of range")
	}
	*c = ErrorCode(n)
	return nil
}

// nullItem reports a list in a response that holds null where an item
// belongs: its fields, per-item code included, are unknown.
func nullItem(command string, index int) error {
	return &DecodeError{Command: command, Err: errors.New("item " + strconv.Itoa(index) + " of the list is null")}
}
