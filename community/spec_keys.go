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
	return w.value(nil)
}

// jsonPositions does what checkJSONText does and returns the position of
// every key and list entry of data, which must be valid JSON; its errors
// carry their position too.
func jsonPositions(data []byte) (*posNode, error) {
	w := jsonWalker{data: data, lines: newLineCounter(data)}
	root := &posNode{}
	return root, w.value(root)
}

// jsonWalker walks valid JSON text, recording positions in the nodes it is
// given when lines is set.
type jsonWalker struct {
	data  []byte
	i     int
	lines *lineCounter // nil: no positions
	path  []pathStep   // where the walk is, written out only for an error
}

// pathStep is one step of a path: a key, or an index when index ≥ 0.
type pathStep struct {
	key   string
	index int
}

// at returns the path of the value being walked (SpecError syntax).
func (w *jsonWalker) at() string {
	p := ""
	for _, st := range w.path {
		if st.index >= 0 {
			p += "[" + strconv.Itoa(st.index) + "]"
		} else {
			p = memberPath(p, st.key)
		}
	}
	return p
}

// node returns the node of the value starting at offset off, or nil
// without positions.
func (w *jsonWalker) node(off int) *posNode {
	if w.lines == nil {
		return nil
	}
	line, col := w.lines.pos(off)
	return &posNode{line: int32(line), col: int32(col)}
}

// errorAt is a *SpecError at path, with the position of n when known.
func errorAt(path, reason string, n *posNode) *SpecError {
	e := &SpecError{Path: path, Reason: reason}
	if n != nil {
		e.Pos = Position{Line: int(n.line), Column: int(n.col)}
	}
	return e
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

// value walks one value, recording what it holds in n (nil without
// positions).
func (w *jsonWalker) value(n *posNode) error {
	w.space()
	if w.i >= len(w.data) {
		return nil
	}
	switch w.data[w.i] {
	case '{':
		return w.object(n)
	case '[':
		return w.array(n)
	case '"':
		start := w.i
		_, lone, err := w.str(false)
		if err != nil {
			return err
		}
		if lone != "" {
			return errorAt(w.at(), "holds a lone surrogate escape ("+lone+"), which encoding/json would turn into U+FFFD", w.node(start))
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

func (w *jsonWalker) object(n *posNode) error {
	w.i++                          // {
	first := map[string]*posNode{} // each key's first occurrence
	if n != nil {
		n.fields = first
	}
	for {
		w.space()
		if w.data[w.i] == '}' {
			w.i++
			return nil
		}
		at := w.node(w.i)
		key, lone, err := w.str(true)
		if err != nil {
			return err
		}
		prev, dup := first[key]
		switch {
		case lone != "":
			return errorAt(w.at(), "key "+strconv.Quote(key)+" holds a lone surrogate escape ("+lone+")", at)
		case dup && prev != nil:
			return errorAt(w.at(), "key "+strconv.Quote(key)+" written twice (first at line "+strconv.Itoa(int(prev.line))+")", at)
		case dup:
			return errorAt(w.at(), "key "+strconv.Quote(key)+" written twice", at)
		}
		first[key] = at
		w.space()
		w.i++ // :
		w.path = append(w.path, pathStep{key: key, index: -1})
		if err := w.value(at); err != nil {
			return err
		}
		w.path = w.path[:len(w.path)-1]
		w.space()
		if w.data[w.i] == ',' {
			w.i++
		}
	}
}

func (w *jsonWalker) array(n *posNode) error {
	w.i++ // [
	w.path = append(w.path, pathStep{index: 0})
	last := len(w.path) - 1 // the walk of an entry leaves the stack as it found it
	for k := 0; ; k++ {
		w.space()
		if w.data[w.i] == ']' {
			w.i++
			w.path = w.path[:last]
			return nil
		}
		var item *posNode
		if n != nil {
			n.items = append(n.items, *w.node(w.i))
			item = &n.items[len(n.items)-1]
		}
		w.path[last].index = k
		if err := w.value(item); err != nil {
			return err
		}
		w.space()
		if w.data[w.i] == ',' {
			w.i++
		}
	}
}

// str reads a string token: its value (when wanted), and the first \u
// escape that is a lone half of a surrogate pair ("" when none).
func (w *jsonWalker) str(want bool) (value, lone string, err error) {
	start, escaped := w.i, false
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
		escaped = true
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
	switch {
	case !want:
	case !escaped:
		value = string(w.data[start+1 : w.i-1])
	default:
		if err := json.Unmarshal(w.data[start:w.i], &value); err != nil {
			return "", "", err
		}
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
