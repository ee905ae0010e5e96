package community

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"weak"
)

// Position is a place in a spec file: the file's name as given to
// [ParseSpecFile] ("" for [ParseSpec]), and a line and a column counted
// from 1, in characters (runes) for JSON and YAML alike. Line 0 means the
// place is not known; Column 0, that only the line is (the YAML parser
// names a syntax error's line only).
type Position struct {
	File         string
	Line, Column int
}

// String returns "file:line:col", "line:col" when there is no file name,
// "file:line" or "line" when the column is not known, the file name alone
// when the line is not, and "" when nothing is.
func (p Position) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if p.File != "" {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
		if p.Column > 0 {
			b.WriteString(":" + strconv.Itoa(p.Column))
		}
	}
	return b.String()
}

// Position returns where the value at path (a [SpecError] Path, such as
// `permission_groups[0].members[3]` or
// `permission_groups[1].topics["@TGS#_a@TOPIC#_x"]`) was written in the
// file s was read from: the position of its key for a field or an entry of
// an object, of the value for an entry of a list. For a path the file does
// not hold (a field left out, an entry removed since), it is the position
// of the nearest enclosing value the file holds; with none but the whole
// document, or for a spec that [ParseSpec] or [ParseSpecFile] did not read,
// Line is 0. [Spec.Clone] keeps the positions: they are those of the file,
// whatever changed in the spec since.
func (s *Spec) Position(path string) Position {
	src := sourceOf(s)
	if src == nil {
		return Position{}
	}
	p := Position{File: src.file}
	p.Line, p.Column = src.root.find(path)
	return p
}

// specSource is where a spec was read from: the file's name and the
// position of every key and list entry of the document.
type specSource struct {
	file string
	root *posNode
}

// posNode is the position of one key (of an object) or entry (of a list)
// of a spec document, with the keys or entries of its value.
type posNode struct {
	line, col int32
	fields    map[string]*posNode // the value's keys, when it is an object
	items     []posNode           // the value's entries, when it is a list
}

// find returns the position of the node at path, or of the nearest
// ancestor the tree holds (0, 0 for the root).
func (n *posNode) find(path string) (line, col int) {
	for path != "" {
		var next *posNode
		switch {
		case path[0] == '.':
			path = path[1:]
			continue
		case strings.HasPrefix(path, `["`):
			quoted, err := strconv.QuotedPrefix(path[1:])
			key, uerr := strconv.Unquote(quoted)
			if err != nil || uerr != nil || !strings.HasPrefix(path[1+len(quoted):], "]") {
				return line, col
			}
			next, path = n.fields[key], path[len(quoted)+2:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return line, col
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || i < 0 || i >= len(n.items) {
				return line, col
			}
			next, path = &n.items[i], path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			next, path = n.fields[path[:end]], path[end:]
		}
		if next == nil {
			return line, col
		}
		n, line, col = next, int(next.line), int(next.col)
	}
	return line, col
}

// sources holds the source of every spec ParseSpecFile read (and of their
// clones), beside the spec rather than in a field of it: a Spec stays plain
// data, which reflect.DeepEqual (testify's Equal) and go-cmp compare field
// by field, equal whether read from a file or built in code. The key is a
// weak pointer, and an entry goes when its spec is garbage.
var sources sync.Map // weak.Pointer[Spec] → *specSource

// setSource records where s was read from.
func setSource(s *Spec, src *specSource) {
	key := weak.Make(s)
	if _, had := sources.Swap(key, src); !had {
		runtime.AddCleanup(s, func(k weak.Pointer[Spec]) { sources.Delete(k) }, key)
	}
}

// sourceOf returns where s was read from, or nil.
func sourceOf(s *Spec) *specSource {
	if s == nil {
		return nil
	}
	v, ok := sources.Load(weak.Make(s))
	if !ok {
		return nil
	}
	return v.(*specSource)
}

// keepSource gives clone the source of s, if it has one.
func keepSource(s, clone *Spec) {
	if src := sourceOf(s); src != nil {
		setSource(clone, src)
	}
}

// lineCounter turns byte offsets of a document, given in increasing order,
// into lines and columns (in runes), in one pass over the text however
// long its lines.
type lineCounter struct {
	data      []byte
	at        int // the offset line and col are of
	line, col int
}

func newLineCounter(data []byte) *lineCounter {
	return &lineCounter{data: data, line: 1, col: 1}
}

// pos returns the line and column of offset off (off ≥ every offset asked
// before; len(data) is the end of the text).
func (c *lineCounter) pos(off int) (line, col int) {
	for c.at < off && c.at < len(c.data) {
		if c.data[c.at] == '\n' {
			c.line, c.col = c.line+1, 1
			c.at++
			continue
		}
		_, n := utf8.DecodeRune(c.data[c.at:])
		c.col++
		c.at += n
	}
	return c.line, c.col
}
