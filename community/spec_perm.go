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

// parsePerm reads a permission of a spec, the one place every permission
// field is decoded (a group's, a topic grant's, the community default): a
// JSON number (an unsigned 64-bit integer), a list of names ("SendMessage",
// hex such as "0x800" for bits without a name), or a string that parse
// reads (see [parsePermString]).
func parsePerm[P tim.GroupPermission | tim.TopicPermission](raw json.RawMessage, parse func(string) (P, error)) (P, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || isNull(raw):
		return 0, errors.New("want a number, a list of names or names joined by |, not null")
	case raw[0] == '[':
		var list []string
		if err := strictDecode(raw, &list); err != nil {
			return 0, errors.New("want a list of names, each a string")
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
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		return parsePermString(s, parse)
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		n, err := strconv.ParseUint(string(raw), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s is not an unsigned 64-bit integer", raw)
		}
		return P(n), nil
	}
	return 0, fmt.Errorf("want a number, a list of names or names joined by |, not %s", jsonKind(raw))
}

// parsePermString reads a permission written as a string, as
// tim.GroupPermission.String prints it: names joined by "|" (spaces around
// each are allowed: "SendMessage | AtAll"), hex for bits without a name
// ("SendMessage|0x800"), "0" for none, or a decimal number. An empty string
// or an empty part ("SendMessage||AtAll", a trailing "|") is refused: a
// template's missing value must not silently mean "no permission".
func parsePermString[P tim.GroupPermission | tim.TopicPermission](s string, parse func(string) (P, error)) (P, error) {
	if strings.TrimSpace(s) == "" {
		return 0, errors.New(`is an empty string; write "0" or [] for none`)
	}
	parts := strings.Split(s, "|")
	for i, part := range parts {
		if strings.TrimSpace(part) == "" {
			return 0, fmt.Errorf("%q: part %d of %d is empty", s, i+1, len(parts))
		}
	}
	p, err := parse(s)
	if err != nil {
		return 0, errors.New(strings.TrimPrefix(err.Error(), "tim: "))
	}
	return p, nil
}
