package community

import (
	"bytes"
	"encoding/json"
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// Encode returns s as a file in format, as [ParseSpecFile] reads it back:
// JSON indented by two spaces, or YAML in block style with lists of names
// on one line and members one a line. Permissions are lists of names, as
// MarshalJSON writes them. Unlike json.Marshal, Encode writes &, < and >
// as they are (a name "Q&A" stays "Q&A", not "Q\u0026A"): a spec is a file
// people read, not HTML.
func (s *Spec) Encode(format SpecFormat) ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	data = unescapeHTML(data)
	var out bytes.Buffer
	switch format {
	case SpecJSON:
		if err := json.Indent(&out, data, "", "  "); err != nil {
			return nil, err
		}
		out.WriteByte('\n')
	case SpecYAML:
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil { // JSON is YAML, and the node tree keeps the order
			return nil, err
		}
		restyle(doc.Content[0], "")
		enc := yaml.NewEncoder(&out)
		enc.SetIndent(2)
		if err := enc.Encode(doc.Content[0]); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("community: Encode: unknown format %v", format)
	}
	return out.Bytes(), nil
}

// unescapeHTML turns the \u0026, \u003c and \u003e escapes encoding/json
// writes for &, < and > back into those characters, in valid JSON text
// (escape by escape, so that an escaped backslash followed by "u0026"
// stays as it is).
func unescapeHTML(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c != '\\' || i+1 >= len(data) {
			out = append(out, c)
			continue
		}
		if data[i+1] == 'u' && i+6 <= len(data) {
			switch string(data[i+2 : i+6]) {
			case "0026":
				out, i = append(out, '&'), i+5
				continue
			case "003c":
				out, i = append(out, '<'), i+5
				continue
			case "003e":
				out, i = append(out, '>'), i+5
				continue
			}
		}
		out, i = append(out, c, data[i+1]), i+1 // any other escape, whole or its first two bytes
	}
	return out
}

// restyle sets the YAML styles of node n, the value of key: block
// mappings; lists of scalars on one line, but for members, one a line (a
// change to them is then one line of a diff); strings plain where that
// reads back as the same string, quoted where YAML 1.1 would read a
// boolean.
func restyle(n *yaml.Node, key string) {
	n.Style = 0
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			restyle(n.Content[i], "")
			restyle(n.Content[i+1], n.Content[i].Value)
		}
	case yaml.SequenceNode:
		flow := key != "members"
		for _, item := range n.Content {
			restyle(item, "")
			flow = flow && item.Kind == yaml.ScalarNode
		}
		if flow {
			n.Style = yaml.FlowStyle
		}
	case yaml.ScalarNode:
		if n.Tag == "!!str" && yaml11Bools[n.Value] != "" {
			n.Style = yaml.DoubleQuotedStyle
		}
	}
}
