package community

import (
	"encoding/json"
	"strconv"
)

// checkJSONText finds what encoding/json would accept silently but change
// the meaning of a spec: a key written twice in one object, at any level
// (encoding/json keeps the last: a second "prune" or "members" wins), and a
// \u escape that is half of a surrogate pair (encoding/json turns it into
// U+FFFD, another string than the one written). data must be valid JSON;
// the first problem, in document order, is returned as a *SpecError naming
// its place.
func checkJSONText(data []byte) error {
	w := jsonWalker{data: data}
	return w.value("")
}

// jsonWalker walks valid JSON text.
type jsonWalker struct {
	data []byte
	i    int
}

func (w *jsonWalker) space() {
	for w.i < len(w.data) {
		switch w.data[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

// value walks one value at path.
func (w *jsonWalker) value(path string) error {
	w.space()
	if w.i >= len(w.data) {
		return nil
	}
	switch w.data[w.i] {
	case '{':
		return w.object(path)
	case '[':
		return w.array(path)
	case '"':
		_, lone, err := w.str()
		if err != nil {
			return err
		}
		if lone != "" {
			return &SpecError{Path: path, Reason: "holds a lone surrogate escape (" + lone + "), which encoding/json would turn into U+FFFD"}
		}
		return nil
	}
	for w.i < len(w.data) { // a number, true, false or null
		switch w.data[w.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return nil
		}
		w.i++
	}
	return nil
}

func (w *jsonWalker) object(path string) error {
	w.i++ // {
	seen := map[string]bool{}
	for {
		w.space()
		if w.data[w.i] == '}' {
			w.i++
			return nil
		}
		key, lone, err := w.str()
		if err != nil {
			return err
		}
		switch {
		case lone != "":
			return &SpecError{Path: path, Reason: "key " + strconv.Quote(key) + " holds a lone surrogate escape (" + lone + ")"}
		case seen[key]:
			return &SpecError{Path: path, Reason: "key " + strconv.Quote(key) + " written twice"}
		}
		seen[key] = true
		w.space()
		w.i++ // :
		if err := w.value(memberPath(path, key)); err != nil {
			return err
		}
		w.space()
		if w.data[w.i] == ',' {
			w.i++
		}
	}
}

func (w *jsonWalker) array(path string) error {
	w.i++ // [
	for n := 0; ; n++ {
		w.space()
		if w.data[w.i] == ']' {
			w.i++
			return nil
		}
		if err := w.value(path + "[" + strconv.Itoa(n) + "]"); err != nil {
			return err
		}
		w.space()
		if w.data[w.i] == ',' {
			w.i++
		}
	}
}

// str reads a string token: its value, and the first \u escape that is a
// lone half of a surrogate pair ("" when none).
func (w *jsonWalker) str() (value, lone string, err error) {
	start := w.i
	w.i++ // "
	pendingHigh := ""
	for w.data[w.i] != '"' {
		if w.data[w.i] != '\\' {
			if pendingHigh != "" && lone == "" {
				lone = pendingHigh
			}
			pendingHigh = ""
			w.i++
			continue
		}
		if w.data[w.i+1] != 'u' {
			if pendingHigh != "" && lone == "" {
				lone = pendingHigh
			}
			pendingHigh = ""
			w.i += 2
			continue
		}
		esc := string(w.data[w.i : w.i+6])
		r, _ := strconv.ParseUint(esc[2:], 16, 32)
		w.i += 6
		switch {
		case r >= 0xD800 && r < 0xDC00:
			if pendingHigh != "" && lone == "" {
				lone = pendingHigh
			}
			pendingHigh = esc
		case r >= 0xDC00 && r < 0xE000:
			if pendingHigh == "" && lone == "" {
				lone = esc
			}
			pendingHigh = ""
		default:
			if pendingHigh != "" && lone == "" {
				lone = pendingHigh
			}
			pendingHigh = ""
		}
	}
	if pendingHigh != "" && lone == "" {
		lone = pendingHigh
	}
	w.i++ // "
	if err := json.Unmarshal(w.data[start:w.i], &value); err != nil {
		return "", "", err
	}
	return value, lone, nil
}

// memberPath is the path of key's value in the object at path: .key for a
// plain name, ["key"] otherwise (a topic ID).
func memberPath(path, key string) string {
	plain := key != ""
	for i := 0; i < len(key); i++ {
		if c := key[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}
