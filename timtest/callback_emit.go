package timtest

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/timkit/tim/callback"
)

// emitCallback queues the third-party callback command (for example
// "Group.CallbackAfterCreateTopic") with the documented body fields, for
// delivery after the REST call that caused it has been answered. It is
// called with s.mu held and never blocks. Until callbacks are configured
// ([WithCallback]) it does nothing.
//
// body holds the documented fields under their wire names (GroupId,
// TopicId, Operator_Account, ...). emitCallback adds CallbackCommand, first,
// and, for the commands whose documented body has one, EventTime from the
// fake's clock, in the documented shape (a number for member join and
// exit, a string for member-field and group-info changes), unless body has
// one. The other fields follow in the documented order, then any extra
// ones by name. The callback's ClientIP is the REST caller's.
//
// Callbacks are delivered one at a time, in the order emitted; one emitted
// while a REST handler runs waits until that request has been answered. A
// full queue ([maxQueuedCallbacks]) drops the callback and records it as
// failed: emitCallback never waits.
func (s *Server) emitCallback(command string, body map[string]any) {
	c := s.cb
	if c == nil {
		return
	}
	d := &delivery{command: command, body: callbackBody(command, body, s.now())}
	if o := c.origin; o != nil {
		d.clientIP, d.after = o.clientIP, o.answered
	}
	c.enqueue(d)
}

// callbackFields lists each documented body's fields in the documented
// order, CallbackCommand aside.
var callbackFields = map[string][]string{
	callback.CommandBeforeCreateTopic:       {"Operator_Account", "Type", "Name"},
	callback.CommandAfterCreateTopic:        {"GroupId", "TopicId", "Operator_Account", "Owner_Account", "Type", "Name", "UserDefinedDataList"},
	callback.CommandAfterTopicDestroyed:     {"GroupId", "Type", "TopicIdList"},
	callback.CommandAfterTopicInfoChanged:   {"GroupId", "Type", "Operator_Account", "Name", "Introduction", "Notification", "FaceUrl"},
	callback.CommandAfterNewMemberJoin:      {"GroupId", "Type", "JoinType", "Operator_Account", "NewMemberList", "EventTime"},
	callback.CommandAfterMemberExit:         {"GroupId", "Type", "ExitType", "Operator_Account", "ExitMemberList", "EventTime"},
	callback.CommandAfterMemberFieldChanged: {"GroupId", "Type", "Operator_Account", "Modified_Account", "Role", "NameCard", "EventTime"},
	callback.CommandAfterGroupInfoChanged:   {"GroupId", "Type", "Operator_Account", "Name", "Introduction", "Notification", "FaceUrl", "EventTime"},
	callback.CommandRequestOverLimit:        {"ServiceName", "Command", "Request", "Limit"},
}

// eventTimeAsString is true for the commands whose documented samples send
// EventTime as a string; the others send a number.
var eventTimeAsString = map[string]bool{
	callback.CommandAfterMemberFieldChanged: true,
	callback.CommandAfterGroupInfoChanged:   true,
}

// callbackBody encodes a callback's body: CallbackCommand, the documented
// fields in order (EventTime filled from now), then the others by name.
func callbackBody(command string, fields map[string]any, now time.Time) []byte {
	var b bytes.Buffer
	b.WriteString(`{"CallbackCommand":`)
	writeJSON(&b, command)
	write := func(k string, v any) {
		b.WriteByte(',')
		writeJSON(&b, k)
		b.WriteByte(':')
		writeJSON(&b, v)
	}
	done := map[string]bool{"CallbackCommand": true}
	for _, k := range callbackFields[command] {
		v, ok := fields[k]
		if !ok && k == "EventTime" {
			ms := now.UnixMilli()
			v, ok = ms, true
			if eventTimeAsString[command] {
				v = strconv.FormatInt(ms, 10)
			}
		}
		if ok {
			write(k, v)
		}
		done[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !done[k] {
			write(k, fields[k])
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// writeJSON writes v as JSON without HTML escaping (null if it has no
// JSON form).
func writeJSON(b *bytes.Buffer, v any) {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		b.WriteString("null")
		return
	}
	b.Write(bytes.TrimSuffix(out.Bytes(), []byte("\n")))
}

// origin is the REST request whose handler is running: what a callback
// emitted by the handler takes from it.
type origin struct {
	clientIP   string        // the ClientIP of its callbacks
	identifier string        // the admin who called
	answered   chan struct{} // closed once the request has been answered
}

type originKey struct{}

// withOrigin attaches r's origin to its context and returns the function
// that marks it answered, for serveHTTP to defer. Without callbacks it
// returns r as it is.
func (c *callbacks) withOrigin(r *http.Request) (*http.Request, func()) {
	if c == nil {
		return r, func() {}
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	o := &origin{clientIP: ip, identifier: r.URL.Query().Get("identifier"), answered: make(chan struct{})}
	return r.WithContext(context.WithValue(r.Context(), originKey{}, o)), func() { close(o.answered) }
}

// enter makes r's origin the one of the callbacks emitted until exit; the
// caller holds s.mu for both.
func (c *callbacks) enter(r *http.Request) {
	if c != nil {
		c.origin, _ = r.Context().Value(originKey{}).(*origin)
	}
}

func (c *callbacks) exit() {
	if c != nil {
		c.origin = nil
	}
}
