package community

import "strconv"

// Position is a place in a spec's text: the file, and the line and column
// (from 1) where a value starts; zero when unknown.
type Position struct {
	File         string
	Line, Column int
}

// String returns "file:line:col" ("line:col" without a file), or "" when
// the position is unknown.
func (p Position) String() string {
	if p.Line <= 0 {
		return ""
	}
	s := strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	if p.File != "" {
		s = p.File + ":" + s
	}
	return s
}

// Position returns where the value at path (a [SpecError] path, e.g.
// "permission_groups[0].members[3]" or "topics[1].id") starts in the text
// the spec was read from, or the zero Position when that is not known (a
// spec built in code, or read without positions).
func (s *Spec) Position(path string) Position { return Position{} }
