package timtest

import (
	"net/http"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
)

// beforeCallbacks maps a REST command to the before-event callback it
// triggers. The function builds the callback's body from the request's
// body and the admin who called; ok false sends none (the command's
// handler then answers the request's error). It runs without s.mu and
// takes it to read state.
var beforeCallbacks = map[string]func(s *Server, body []byte, identifier string) (command string, fields map[string]any, ok bool){
	"create_topic": (*Server).beforeCreateTopic,
}

// beforeCreateTopic builds Group.CallbackBeforeCreateTopic's documented
// body (Operator_Account, Type, Name) for a create_topic request that
// passes create_topic's own checks (inferred: the docs do not say whether
// the service asks the app before or after checking the request; asking
// only about topics it would make is the choice that never asks about a
// refused one). The operator is From_Account, or the calling admin.
func (s *Server) beforeCreateTopic(body []byte, identifier string) (string, map[string]any, bool) {
	var req newTopicRequest
	if decode(body, &req) != nil {
		return "", nil, false
	}
	s.mu.Lock()
	g, _, f := s.checkNewTopic(&req, tim.ErrIDInUseByYou)
	s.mu.Unlock()
	if f != nil {
		return "", nil, false
	}
	operator := string(req.From)
	if operator == "" {
		operator = identifier
	}
	return callback.CommandBeforeCreateTopic, map[string]any{"Operator_Account": operator, "Type": string(g.typ), "Name": *req.Name}, true
}

// beforeCallback sends the before-event callback a REST command triggers,
// if callbacks are on and the command triggers one, waits for the app's
// answer (at most beforeTimeout) and returns the failure the answer turns
// the REST call into: nil to go on (ErrorCode 0, or no usable answer:
// inferred), 10016 for ErrorCode 1 or any code outside the app's range,
// the app's own code from 10100 to 10200 with its ErrorInfo. It must be
// called without s.mu held: the wait is on the network.
func (s *Server) beforeCallback(r *http.Request, command string, body []byte) *fail {
	c := s.cb
	build := beforeCallbacks[command]
	if c == nil || build == nil {
		return nil
	}
	o, _ := r.Context().Value(originKey{}).(*origin)
	if o == nil {
		o = &origin{}
	}
	cbCommand, fields, ok := build(s, body, o.identifier)
	if !ok {
		return nil
	}
	rec := c.send(&delivery{command: cbCommand, body: callbackBody(cbCommand, fields, s.now()), clientIP: o.clientIP}, beforeTimeout)
	c.mu.Lock()
	c.records = append(c.records, rec)
	c.mu.Unlock()
	if rec.Status != http.StatusOK || rec.ActionStatus == "" {
		return nil
	}
	switch code := rec.ErrorCode; {
	case code == 0:
		return nil
	case code >= callback.MinDenyCode && code <= callback.MaxDenyCode:
		return failf(tim.ErrorCode(code), "%s", rec.ErrorInfo)
	default:
		return failf(tim.ErrCallbackDenied, "denied by the app's %s callback", cbCommand)
	}
}

// alertOverLimit sends Alert.RequestOverLimit the first time in a second
// that a command's calls pass 80% of the rate limit ([WithRateLimit]). The
// caller holds s.mu. ServiceName is the command's REST service (inferred:
// the documented sample shows "openim" for batchsendmsg) and Request the
// calls seen in the second so far.
func (s *Server) alertOverLimit(command string, w *rateWindow) {
	if s.cb == nil || w.alerted || w.calls*5 <= s.ratePerSec*4 {
		return
	}
	w.alerted = true
	s.emitCallback(callback.CommandRequestOverLimit, map[string]any{
		"ServiceName": serviceOf(command), "Command": command, "Request": w.calls, "Limit": s.ratePerSec,
	})
}
