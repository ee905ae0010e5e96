package tim

import (
	"maps"
	"slices"
	"unicode/utf8"
)

// keyValue is one custom field as requests carry them (TopicDefinedData,
// AppMemberDefinedData): {"Key": ..., "Value": ...}.
type keyValue struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// customList turns custom fields into the list a request sends, sorted by
// key so that the same fields make the same body.
func customList(m map[string]string) []keyValue {
	if len(m) == 0 {
		return nil
	}
	out := make([]keyValue, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, keyValue{Key: k, Value: m[k]})
	}
	return out
}

// checkCustomData checks custom fields: a key is 1 or more bytes of UTF-8
// without a NUL; a value may hold any bytes that are valid UTF-8 (the docs
// show a value with "\u0000"), since encoding/json would replace the bytes
// that are not.
func checkCustomData(cmd, field, param string, m map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		entry := field + "[" + quoteID(k) + "]"
		switch {
		case k == "":
			return invalid(cmd, entry, param, "the key is empty")
		case badText(k) != "":
			return invalid(cmd, entry, param, "the key "+badText(k))
		case !utf8.ValidString(m[k]):
			return invalid(cmd, entry, param, "the value is not valid UTF-8")
		}
	}
	return nil
}
