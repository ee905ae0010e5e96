package community

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/timkit/tim"
)

// SpecError is a spec that breaks a rule: where (Path, e.g.
// `permission_groups[0].topics["@TGS#_a@TOPIC#_x"]`, "" for the whole
// document; Pos, its place in the file when known) and what is wrong.
type SpecError struct {
	Path   string
	Reason string
	// Pos is where the problem is in the file the spec was read from: the
	// key or list entry Path names ([Spec.Position]), or the exact place
	// of a syntax error, a key written twice or a YAML construct a spec
	// does not take. Its Line is 0 when not known (a spec built in code, a
	// field left out at the top level).
	Pos Position
}

// Error returns "{file}:{line}:{col}: {path}: {reason}" when the position
// is known, "spec: {line}:{col}: {path}: {reason}" when the file has no
// name, and "spec: {path}: {reason}" without a position; the path and its
// colon are left out for the whole document.
func (e *SpecError) Error() string {
	var b strings.Builder
	switch pos := e.Pos.String(); {
	case e.Pos.File != "":
		b.WriteString(pos + ": ")
	case pos != "":
		b.WriteString("spec: " + pos + ": ")
	default:
		b.WriteString("spec: ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

func joinPath(parent, child string) string {
	switch {
	case child == "":
		return parent
	case parent == "":
		return child
	case strings.HasPrefix(child, "["):
		return parent + child
	}
	return parent + "." + child
}

// specError returns err as a *SpecError at path: a *SpecError's own path
// is put under path, another error becomes the reason.
func specError(path string, err error) *SpecError {
	var se *SpecError
	if errors.As(err, &se) {
		se.Path = joinPath(path, se.Path)
		return se
	}
	return &SpecError{Path: path, Reason: err.Error()}
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
		return specError("", err)
	}
	var out GroupSpec
	switch {
	case w.ID == nil:
		return &SpecError{Path: "id", Reason: "is required"}
	case w.Name == nil:
		return &SpecError{Path: "name", Reason: "is required"}
	case w.Permission == nil:
		return &SpecError{Path: "permission", Reason: "is required (a number, a list of names or names joined by |; [] for none)"}
	}
	out.ID, out.Name = *w.ID, *w.Name
	p, err := parsePerm(w.Permission, tim.ParseGroupPermission)
	if err != nil {
		return specError("permission", err)
	}
	out.Permission = p
	if w.CustomString != nil {
		var cs string
		if err := strictField(w.CustomString, &cs, "a string"); err != nil {
			return specError("custom_string", err)
		}
		out.CustomString = &cs
	}
	if w.Topics != nil {
		topics, err := decodeTopics(w.Topics)
		if err != nil {
			return specError("topics", err)
		}
		out.Topics = topics
	}
	if w.Members != nil {
		members, err := decodeStrings(w.Members, "a list of accounts", "an account")
		if err != nil {
			return specError("members", err)
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
	return strictDecode(raw, v)
}

// decodeStrings decodes a list of strings (list says what, item what each
// is), refusing null, naming the entry that is not a string.
func decodeStrings(raw json.RawMessage, list, item string) ([]string, error) {
	out := []string{}
	err := strictField(raw, &out, list+" ([] for none)")
	var typeErr *SpecError
	if !errors.As(err, &typeErr) {
		return out, err
	}
	var entries []json.RawMessage // which entry is not a string
	if err := strictDecode(raw, &entries); err != nil {
		return nil, err
	}
	for i, e := range entries {
		if err := strictDecode(e, new(string)); err != nil {
			return nil, &SpecError{Path: "[" + strconv.Itoa(i) + "]", Reason: "want " + item + " (a string), not " + jsonKind(e)}
		}
	}
	return nil, err
}

// decodeTopics reads the "topics" object token by token, in the order
// written (a key written twice is caught before, by checkJSONText).
func decodeTopics(raw json.RawMessage) (map[string]tim.TopicPermission, error) {
	if isNull(raw) {
		return nil, errors.New("is null; leave the field out to leave topics unmanaged, or write {} for none")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("want an object of topic IDs to permissions, not " + jsonKind(raw))
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
			return nil, specError("["+strconv.Quote(key)+"]", err)
		}
		out[key] = p
	}
	return out, nil
}

// strictDecode decodes one JSON value into v, refusing unknown fields and
// anything after the value. An unknown field is a *SpecError at the field
// (listing the fields v has), a value of the wrong type one at the field
// that holds it, both with paths relative to data. Keys must be written as
// the fields are: encoding/json would match "PRUNE" to "prune", and so let
// a second key in another case win over the first.
func strictDecode(data []byte, v any) error {
	if err := exactKeys(data, v); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return &SpecError{Path: typeErr.Field, Reason: "want " + wantOf(typeErr.Type) + ", not " + kindOf(typeErr.Value)}
	case err != nil && strings.HasPrefix(err.Error(), `json: unknown field "`):
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			return err
		}
		return &SpecError{Path: memberPath("", name), Reason: "unknown field (" + jsonFieldsOf(v) + ")"}
	case err != nil:
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more than one JSON value")
	}
	return nil
}

// exactKeys refuses, in the order written, a key of the JSON object data
// that is not exactly one of the fields of the struct v points to. Data
// that is not an object, or v that is not a struct, is left to the
// decoder.
func exactKeys(data []byte, v any) error {
	fields := jsonFields(reflect.TypeOf(v))
	if fields == nil {
		return nil
	}
	for _, key := range objectKeys(data) {
		if slices.Contains(fields, key) {
			continue
		}
		reason := "unknown field (" + jsonFieldsOf(v) + ")"
		if i := slices.IndexFunc(fields, func(f string) bool { return strings.EqualFold(f, key) }); i >= 0 {
			reason = fmt.Sprintf("unknown field: keys are written in lower case, as %q", fields[i])
		}
		return &SpecError{Path: memberPath("", key), Reason: reason}
	}
	return nil
}

// objectKeys returns the keys of the JSON object data in the order
// written, as far as it reads (what it cannot read, the decoder reports).
func objectKeys(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return keys
		}
		keys = append(keys, key)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// jsonFields returns the JSON names of the fields of struct type t (or a
// pointer to one), those of embedded structs included; nil for another
// type.
func jsonFields(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	names := []string{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "":
			names = append(names, jsonFields(f.Type)...)
		case name != "" && name != "-":
			names = append(names, name)
		}
	}
	return names
}

// jsonFieldsOf lists the JSON fields of the struct v points to: "known: a, b".
func jsonFieldsOf(v any) string {
	names := jsonFields(reflect.TypeOf(v))
	if names == nil {
		return "not a field of this object"
	}
	return "known: " + strings.Join(names, ", ")
}

// wantOf says what a value of Go type t is written as in a spec.
func wantOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a number"
}

// kindOf names a JSON value as encoding/json's UnmarshalTypeError.Value
// does ("string", "number", "number -1", "bool", "array", "object").
func kindOf(value string) string {
	switch {
	case value == "string":
		return "a string"
	case strings.HasPrefix(value, "number"):
		return "a number"
	case value == "bool":
		return "a boolean"
	case value == "array":
		return "a list"
	case value == "object":
		return "an object"
	}
	return value
}

// jsonKind names the kind of JSON value raw is.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }
