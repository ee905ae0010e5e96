package community

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// SpecError is a spec that breaks a rule: where (Path, e.g.
// `permission_groups[0].topics["@TGS#_a@TOPIC#_x"]`, "" for the whole
// document) and what is wrong.
type SpecError struct {
	Path   string
	Reason string
}

// Error returns "spec: {path}: {reason}".
func (e *SpecError) Error() string {
	if e.Path == "" {
		return "spec: " + e.Reason
	}
	return "spec: " + e.Path + ": " + e.Reason
}

func joinPath(parent, child string) string {
	switch {
	case child == "":
		return parent
	case strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}

// decode reads one permission group of a spec.
func (g *GroupSpec) decode(data []byte) error {
	var w struct {
		ID           *string         `json:"id"`
		Name         *string         `json:"name"`
		Permission   json.RawMessage `json:"permission"`
		CustomString json.RawMessage `json:"custom_string"`
		Topics       json.RawMessage `json:"topics"`
		Members      json.RawMessage `json:"members"`
	}
	if isNull(data) {
		return &SpecError{Reason: "is null; want an object"}
	}
	if err := strictDecode(data, &w); err != nil {
		return &SpecError{Reason: err.Error()}
	}
	var out GroupSpec
	switch {
	case w.ID == nil:
		return &SpecError{Path: "id", Reason: "is required"}
	case w.Name == nil:
		return &SpecError{Path: "name", Reason: "is required"}
	case w.Permission == nil:
		return &SpecError{Path: "permission", Reason: "is required (a number or a list of names; [] for none)"}
	}
	out.ID, out.Name = *w.ID, *w.Name
	p, err := parsePerm(w.Permission, tim.ParseGroupPermission)
	if err != nil {
		return &SpecError{Path: "permission", Reason: err.Error()}
	}
	out.Permission = p
	if w.CustomString != nil {
		var cs string
		if err := strictField(w.CustomString, &cs, "a string"); err != nil {
			return &SpecError{Path: "custom_string", Reason: err.Error()}
		}
		out.CustomString = &cs
	}
	if w.Topics != nil {
		topics, err := decodeTopics(w.Topics)
		if err != nil {
			var se *SpecError
			if errors.As(err, &se) {
				se.Path = joinPath("topics", se.Path)
				return se
			}
			return &SpecError{Path: "topics", Reason: err.Error()}
		}
		out.Topics = topics
	}
	if w.Members != nil {
		members := []string{}
		if err := strictField(w.Members, &members, "a list of accounts"); err != nil {
			return &SpecError{Path: "members", Reason: err.Error()}
		}
		out.Members = members
	}
	*g = out
	return nil
}

// strictField decodes a field's value, refusing null.
func strictField(raw json.RawMessage, v any, want string) error {
	if isNull(raw) {
		return errors.New("is null; leave the field out to leave it unmanaged, or write " + want)
	}
	if err := strictDecode(raw, v); err != nil {
		return fmt.Errorf("want %s: %w", want, err)
	}
	return nil
}

// decodeTopics reads the "topics" object token by token, in the order
// written (a key written twice is caught before, by checkJSONText).
func decodeTopics(raw json.RawMessage) (map[string]tim.TopicPermission, error) {
	if isNull(raw) {
		return nil, errors.New("is null; leave the field out to leave topics unmanaged, or write {} for none")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("want an object of topic IDs to permissions")
	}
	out := map[string]tim.TopicPermission{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // object keys are strings
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, &SpecError{Path: "[" + strconv.Quote(key) + "]", Reason: err.Error()}
		}
		p, err := parsePerm(val, tim.ParseTopicPermission)
		if err != nil {
			return nil, &SpecError{Path: "[" + strconv.Quote(key) + "]", Reason: err.Error()}
		}
		out[key] = p
	}
	return out, nil
}

// parsePerm reads a permission: a JSON number (an unsigned 64-bit integer)
// or a list of names, each read by parse (a name, or hex for bits without a
// name).
func parsePerm[P tim.GroupPermission | tim.TopicPermission](raw json.RawMessage, parse func(string) (P, error)) (P, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || isNull(raw):
		return 0, errors.New("want a number or a list of names, not null")
	case raw[0] == '[':
		var list []string
		if err := strictDecode(raw, &list); err != nil {
			return 0, fmt.Errorf("want a list of names: %w", err)
		}
		var p P
		for i, name := range list {
			if strings.TrimSpace(name) == "" || strings.Contains(name, "|") {
				return 0, fmt.Errorf("entry %d (%q): want one name per entry", i, name)
			}
			v, err := parse(name)
			if err != nil {
				return 0, fmt.Errorf("entry %d: %v", i, strings.TrimPrefix(err.Error(), "tim: "))
			}
			p |= v
		}
		return p, nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		n, err := strconv.ParseUint(string(raw), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s is not an unsigned 64-bit integer", raw)
		}
		return P(n), nil
	}
	return 0, fmt.Errorf("want a number or a list of names, not %s", quote(string(raw), 40))
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }
