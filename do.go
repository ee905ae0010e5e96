package tim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// Do sends one REST command of any service and decodes the answer into
// resp: the call every typed method of the client makes, for the commands
// the SDK does not type. service and command are the two segments of the
// URL path after /v4/ ("group_open_http_svc", "get_joined_group_list"; see
// [ServiceGroup]):
//
//	var resp struct {
//		TotalCount  int
//		GroupIdList []struct{ GroupId string }
//	}
//	err := client.Do(ctx, tim.ServiceGroup, "get_joined_group_list",
//		map[string]any{"Member_Account": "leckie", "GroupType": "Community"}, &resp)
//
// The request is the client's like any other: signed with a fresh UserSig
// and random, sent to the client's base URL (or a standby), under the
// client's timeouts, paced by its rate limiter and in-flight places. The
// budget of a command of the SDK under its own service is the typed
// method's; any other API has its own, keyed "service/command" (see
// [RateLimiter]).
//
// req is the JSON body: nil sends {}; a [json.RawMessage] or a []byte is
// sent byte for byte; anything else is encoded with encoding/json. The body
// must be a JSON object. resp may be nil (only the envelope is checked) or
// a non-nil pointer to anything encoding/json decodes into; it need not
// hold the envelope's fields, and a *json.RawMessage gets the whole body.
// It is set only when the call succeeds, to the answer decoded into a zero
// value of its type; otherwise it is left as it was.
//
// The envelope is read first: a FAIL is an [*APIError] (errors.Is(err,
// tim.ErrGroupNotFound) works), a body that is not an envelope a
// [*DecodeError], and so is a successful body that does not decode into
// resp (the service acted). The other errors are those of every call
// ([*TransportError], [*HTTPError], [*ValidationError]).
//
// Retries: a request is sent again only when the service cannot have acted
// on it (a rate limit, a connection never made, a refusal such as 60014 or
// an expired UserSig; see [RetryPolicy]), unless the command is one of the
// SDK's idempotent commands under its own service: nothing tells the SDK
// what sending another API's request twice would do, so a lost answer, an
// internal error or a 5xx comes back to the caller ([MayHaveApplied] says
// true) and RetryPolicy.RetryNonIdempotent does not change that.
//
// service and command are checked before anything is sent: 1 to 64 bytes
// of ASCII letters, digits, '_', '-' and '.', and not "." or "..", so that
// neither can reach another path. The Chat docs' "RESTful API List" names
// every command and its service.
func (c *Client) Do(ctx context.Context, service, command string, req, resp any) error {
	if err := c.ready(ctx, command); err != nil {
		return err
	}
	if err := checkPathSegment(command, "command", command); err != nil {
		return err
	}
	if err := checkPathSegment(command, "service", service); err != nil {
		return err
	}
	if resp != nil {
		if v := reflect.ValueOf(resp); v.Kind() != reflect.Pointer || v.IsNil() {
			return invalid(command, "resp", "", fmt.Sprintf("is a %T; pass nil or a non-nil pointer", resp))
		}
	}
	body, err := requestBody(command, req)
	if err != nil {
		return err
	}
	var out rawResponse
	if err := c.exchange(ctx, routeFor(service, command), body, &out); err != nil {
		return err
	}
	if resp == nil {
		return nil
	}
	// Decoded into a new value first, so that resp is left as it was when
	// the answer does not fit it.
	v := reflect.New(reflect.TypeOf(resp).Elem())
	if err := json.Unmarshal(out.body, v.Interface()); err != nil {
		return &DecodeError{Command: command, Err: fmt.Errorf("the answer does not decode into %T: %w", resp, err)}
	}
	reflect.ValueOf(resp).Elem().Set(v.Elem())
	return nil
}

// maxPathSegment is the longest service or command name Do sends.
const maxPathSegment = 64

// checkPathSegment checks a service or command name for Client.Do: only
// the characters that need no escaping in a URL path, and not a name that
// moves up or stays in place.
func checkPathSegment(cmd, field, s string) error {
	switch {
	case s == "":
		return invalid(cmd, field, "", "is empty")
	case len(s) > maxPathSegment:
		return invalid(cmd, field, "", fmt.Sprintf("is %d bytes; at most %d", len(s), maxPathSegment))
	case s == "." || s == "..":
		return invalid(cmd, field, "", quoteID(s)+" is not a name")
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9', ch == '_', ch == '-', ch == '.':
		default:
			return invalid(cmd, field, "", fmt.Sprintf("%s holds %q at byte %d; use ASCII letters, digits, '_', '-' and '.'", quoteID(s), ch, i))
		}
	}
	return nil
}

// requestBody is the body Do sends for req: a JSON object.
func requestBody(cmd string, req any) ([]byte, error) {
	var body []byte
	switch r := req.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		body = r
	case []byte:
		body = r
	default:
		b, err := json.Marshal(req)
		if err != nil {
			return nil, invalid(cmd, "req", "", "does not encode as JSON: "+err.Error())
		}
		if string(b) == "null" { // a nil pointer, map or slice
			return []byte("{}"), nil
		}
		body = b
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case !json.Valid(trimmed):
		return nil, invalid(cmd, "req", "", "is not valid JSON")
	case trimmed[0] != '{':
		return nil, invalid(cmd, "req", "", "is not a JSON object; every request body is one")
	}
	return body, nil
}

// rawResponse is what Do decodes an answer into: the envelope, and a copy
// of the whole body (the buffer it was read into is reused), which Do then
// decodes into the caller's value.
type rawResponse struct {
	envelope
	body []byte
}

func (r *rawResponse) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &r.envelope); err != nil {
		return err
	}
	if bytes.TrimSpace(b)[0] != '{' {
		return errors.New("the answer is not a JSON object")
	}
	r.body = append(r.body[:0], b...)
	return nil
}
