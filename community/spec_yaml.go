package community

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	// go.yaml.in/yaml/v3, the YAML library sigs.k8s.io/yaml itself
	// requires, is imported directly for its node tree: sigs.k8s.io/yaml
	// converts YAML to JSON through maps, which drops the lines and
	// columns, the order, and every key written twice but the last, all of
	// which a spec's errors need.
	yaml "go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// yamlToJSON reads a YAML spec: it checks the node tree (one document, no
// key twice, none of the constructs the rules refuse), records the position
// of every key and list entry, and converts the text to JSON with
// sigs.k8s.io/yaml for the JSON decoders.
func yamlToJSON(data []byte) ([]byte, *posNode, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return nil, nil, &SpecError{Reason: "is empty"}
	case err != nil:
		return nil, nil, yamlSyntaxError(data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, nil, errorAt("", "holds more than one YAML document (a line --- starts another)", &posNode{line: int32(next.Line)})
	case !errors.Is(err, io.EOF):
		return nil, nil, yamlSyntaxError(data, err)
	}
	root := &posNode{}
	if err := walkYAML(doc.Content[0], "", root); err != nil {
		return nil, nil, err
	}
	text, err := sigsyaml.YAMLToJSON(data)
	if err != nil {
		return nil, nil, yamlSyntaxError(data, err)
	}
	return text, root, nil
}

// walkYAML checks node n at path and records in at the positions of what
// it holds.
func walkYAML(n *yaml.Node, path string, at *posNode) error {
	if reason := yamlNodeProblem(n); reason != "" {
		return errorAt(path, reason, yamlPos(n))
	}
	switch n.Kind {
	case yaml.MappingNode:
		at.fields = make(map[string]*posNode, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if reason := yamlKeyProblem(k); reason != "" {
				return errorAt(path, reason, yamlPos(k))
			}
			child := yamlPos(k)
			if first, dup := at.fields[k.Value]; dup {
				return errorAt(path, "key "+strconv.Quote(k.Value)+" written twice (first at line "+strconv.Itoa(int(first.line))+")", child)
			}
			at.fields[k.Value] = child
			if err := walkYAML(n.Content[i+1], memberPath(path, k.Value), child); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		at.items = make([]posNode, len(n.Content))
		for i, item := range n.Content {
			at.items[i] = *yamlPos(item)
			if err := walkYAML(item, path+"["+strconv.Itoa(i)+"]", &at.items[i]); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if reason := plainScalarProblem(n); reason != "" {
			return errorAt(path, reason, yamlPos(n))
		}
	}
	return nil
}

func yamlPos(n *yaml.Node) *posNode {
	return &posNode{line: int32(n.Line), col: int32(n.Column)}
}

// yamlNodeProblem says why a spec does not take node n, or "": anchors and
// aliases (one line meaning two places, which a reviewer reads as one) and
// explicit tags (quote a string instead).
func yamlNodeProblem(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.AliasNode:
		return "aliases (*" + n.Value + ") are not supported: write the value out"
	case n.Anchor != "":
		return "anchors (&" + n.Anchor + ") are not supported: write the value out"
	case n.Style&yaml.TaggedStyle != 0:
		return "tags (" + n.Tag + ") are not supported: quote a string instead"
	}
	return ""
}

// yamlKeyProblem says why k cannot be a key of a spec, or "": keys are
// strings, and a merge key (<<) would let the keys it brings be written
// over silently.
func yamlKeyProblem(k *yaml.Node) string {
	if reason := yamlNodeProblem(k); reason != "" {
		return reason
	}
	switch {
	case k.Kind != yaml.ScalarNode:
		return "a key must be a string, not a " + yamlKind(k)
	case k.Tag == "!!merge":
		return "merge keys (<<) are not supported: write the keys out"
	case isPlain(k) && yaml11Bools[k.Value] != "":
		return "key " + k.Value + " is a boolean in YAML 1.1 and a string in YAML 1.2: quote it"
	case k.Tag != "!!str":
		return "key " + k.Value + " is read by YAML as " + strings.TrimPrefix(k.Tag, "!!") + ", not a string: quote it"
	}
	return ""
}

// yaml11Bools are the plain scalars YAML 1.1 (sigs.k8s.io/yaml's reader)
// reads as booleans and YAML 1.2 as strings, with the boolean; true and
// false, in any of their cases, are booleans in both.
var yaml11Bools = map[string]string{
	"y": "true", "Y": "true", "yes": "true", "Yes": "true", "YES": "true", "on": "true", "On": "true", "ON": "true",
	"n": "false", "N": "false", "no": "false", "No": "false", "NO": "false", "off": "false", "Off": "false", "OFF": "false",
}

// The numbers a spec takes in YAML: decimal integers and 0x hex, which
// YAML 1.1 and 1.2 read alike.
var (
	yamlDecimal = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	yamlHex     = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
)

// plainScalarProblem says why a spec does not take plain (unquoted) scalar
// n, or "": one that YAML 1.1 and 1.2 read differently, or a number that
// is not a decimal integer or 0x hex fitting in 64 bits.
func plainScalarProblem(n *yaml.Node) string {
	if !isPlain(n) {
		return ""
	}
	v := n.Value
	switch n.Tag {
	case "!!str":
		if b := yaml11Bools[v]; b != "" {
			return v + " is " + b + " in YAML 1.1 and a string in YAML 1.2: write " + b + ", or " + strconv.Quote(v) + " for a string"
		}
	case "!!int", "!!float":
		_, errInt := strconv.ParseInt(v, 10, 64)
		_, errUint := strconv.ParseUint(v, 10, 64)
		switch {
		case yamlDecimal.MatchString(v) && (errInt == nil || errUint == nil):
			return ""
		case yamlHex.MatchString(v):
			if _, err := strconv.ParseUint(v[2:], 16, 64); err == nil {
				return ""
			}
		}
		return v + " is not a number a spec takes: write a decimal integer (or 0x hex) of 64 bits at most, or " + strconv.Quote(v) + " for a string; YAML 1.1 and 1.2 read other forms differently"
	}
	return ""
}

func isPlain(n *yaml.Node) bool {
	return n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "scalar"
}

// yamlSyntaxError is the *SpecError of YAML the parser refused, err. The
// line comes from sigs.k8s.io/yaml's parser (go.yaml.in/yaml/v2), which
// names it more closely than v3, corrected: it gives the line of a
// parser's problem counted from 0 and leaves out line 1.
func yamlSyntaxError(data []byte, err error) error {
	if _, v2err := sigsyaml.YAMLToJSON(data); v2err != nil {
		err = v2err
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if l, cerr := strconv.Atoi(n); cerr == nil {
				line, msg = l, after
			}
		}
	}
	switch {
	case slices.Contains(yamlParserProblems, msg):
		line++
	case line == 0 && scannerProblem(msg):
		line = 1
	}
	line = min(line, bytes.Count(data, []byte("\n"))+1) // a problem at the end of a text without a last newline is put on the line after it
	return errorAt("", "invalid YAML: "+msg, &posNode{line: int32(line)})
}

// yamlParserProblems are the problems go.yaml.in/yaml/v2's parser (not its
// scanner) reports, with a line counted from 0.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive", "found duplicate %YAML directive",
	"found incompatible YAML document", "found undefined tag handle",
}

// scannerProblem reports whether msg is a problem of go.yaml.in/yaml/v2's
// scanner, which names the line unless it is line 1.
func scannerProblem(msg string) bool {
	for _, p := range []string{"found ", "did not find ", "could not find ", "mapping ", "block sequence "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
