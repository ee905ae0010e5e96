package community

import (
	"encoding/json"
	"testing"
)

// FuzzCheckJSONText: the walker never panics nor loops on valid JSON.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":1,"a":2}`, `{"a":"\ud800"}`, `{"a":["\\u0041","\ud83d\ude00"],"b":{"c":null}}`, `"x"`, `1`, ` { "k" : [ true , false ] } `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		_ = checkJSONText(data)
	})
}
