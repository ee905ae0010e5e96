package community

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// MaxSpecBytes is the largest spec [ParseSpec] and [ParseSpecFile] read.
const MaxSpecBytes = 64 << 20

// SpecFormat is a way of writing a spec: JSON or YAML.
type SpecFormat int

// The formats of a spec.
const (
	SpecJSON SpecFormat = iota + 1
	SpecYAML
)

// String returns "json" or "yaml".
func (f SpecFormat) String() string {
	switch f {
	case SpecJSON:
		return "json"
	case SpecYAML:
		return "yaml"
	}
	return "SpecFormat(" + itoa(int(f)) + ")"
}

// ParseSpec reads a spec from r, JSON or YAML, as [ParseSpecFile] reads a
// file whose name says nothing: the format is told by the first character
// that is not white space. Errors give the line and column, without a
// file name: `spec: 3:7: permission_groups[0].topcis: unknown field (…)`.
func ParseSpec(r io.Reader) (*Spec, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSpecBytes+1))
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return ParseSpecFile("", data)
}

// ParseSpecFile reads a spec from data, the contents of the file name, and
// checks it ([Spec.Validate]) before anything is called. The name's
// extension says the format: ".json" JSON, ".yaml" or ".yml" YAML (in any
// case); otherwise (stdin, say) a document whose first character that is
// not white space is "{" or "[" is JSON and any other YAML.
//
// Both formats hold the same fields with the same rules. The text must be
// valid UTF-8, one document, with no field the format does not define at
// any level (a misspelt "topcis" must not silently mean "topics not
// managed"), no key written twice in any object (encoding/json and
// sigs.k8s.io/yaml would keep the last: a second "prune" or "members" from
// a hand merge or a template would win silently), and every value of the
// right type. In JSON a \u escape must not be half of a surrogate pair
// (encoding/json would turn it into U+FFFD). A permission is a number, a
// list of names, or names joined by "|" in one string ("SendMessage|AtAll";
// see [GroupSpec]). YAML is read through sigs.k8s.io/yaml, with the rules
// of docs/specs.md: anchors, aliases, merge keys and tags are refused, and
// so is a plain scalar that YAML 1.1 and 1.2 read differently (yes, no,
// on, off, y, n; 0123, 0o17, 0b1, 1_000, 1.5e3 and other numbers that are
// not decimal integers or 0x hex), since the reader of a file cannot tell
// which was meant: write true or false, a decimal integer, or quote the
// string.
//
// Every error is a [*SpecError] (several, joined with errors.Join, when
// Validate finds several) that names the place and, where it is known, its
// position: `spec.yaml:12:9: permission_groups[1].members[2]: "" is
// empty`. The spec remembers the positions of its keys and list entries,
// for errors found later ([Spec.Position]).
func ParseSpecFile(name string, data []byte) (*Spec, error) {
	src := &specSource{file: name}
	s, err := parseSpec(src, data)
	if err != nil {
		return nil, src.locate(err)
	}
	return s, nil
}

func parseSpec(src *specSource, data []byte) (*Spec, error) {
	if len(data) > MaxSpecBytes {
		return nil, &SpecError{Reason: fmt.Sprintf("is larger than %d bytes", MaxSpecBytes)}
	}
	// A byte-order mark, which some editors write first, is not part of
	// the document (RFC 8259 lets a parser ignore it; YAML allows it).
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		return nil, errorAt("", fmt.Sprintf("is not valid UTF-8 (at byte %d)", off), nodeAt(data, off))
	}
	text := data
	var err error
	if formatOf(src.file, data) == SpecYAML {
		text, src.root, err = yamlToJSON(data)
	} else {
		src.root, err = jsonSyntax(data)
	}
	if err != nil {
		return nil, err
	}
	s := new(Spec)
	if err := s.UnmarshalJSON(text); err != nil {
		return nil, err
	}
	setSource(s, src)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// formatOf returns the format of the file name holding data.
func formatOf(name string, data []byte) SpecFormat {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return SpecJSON
	case ".yaml", ".yml":
		return SpecYAML
	}
	if rest := strings.TrimLeft(string(data[:min(len(data), 1024)]), " \t\r\n"); strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, "[") {
		return SpecJSON
	}
	return SpecYAML
}

// jsonSyntax checks that data is one JSON value, and returns the position
// of its every key and list entry (checking them as checkJSONText does).
func jsonSyntax(data []byte) (*posNode, error) {
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		var syntax *json.SyntaxError
		if !errors.As(err, &syntax) {
			return nil, &SpecError{Reason: "invalid JSON"}
		}
		off, reason := int(syntax.Offset)-1, "invalid JSON: "+syntax.Error()
		switch msg := syntax.Error(); {
		case strings.Contains(msg, "unexpected end"):
			off = len(data)
		case strings.Contains(msg, "after top-level value"):
			reason = "holds more than one JSON value"
		}
		return nil, errorAt("", reason, nodeAt(data, max(off, 0)))
	}
	return jsonPositions(data)
}

// nodeAt is the position of offset off of data.
func nodeAt(data []byte, off int) *posNode {
	line, col := newLineCounter(data).pos(off)
	return &posNode{line: int32(line), col: int32(col)}
}

// locate gives err, a *SpecError or several joined, the file's name and,
// where it has none, the position of its path, and returns it.
func (src *specSource) locate(err error) error {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		var se *SpecError
		if !errors.As(e, &se) {
			continue
		}
		se.Pos.File = src.file
		if se.Pos.Line == 0 && src.root != nil {
			se.Pos.Line, se.Pos.Column = src.root.find(se.Path)
		}
	}
	return err
}
