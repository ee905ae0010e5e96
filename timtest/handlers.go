package timtest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/timkit/tim"
)

const (
	apiPrefix       = "/v4/"
	groupService    = "group_open_http_svc"
	millionService  = "million_group_open_http_svc"
	maxRequestBytes = 1 << 20
	maxRoleAccounts = 500
	maxPageLimit    = 20
	maxGroupInfoIDs = 50
)

// result is what a command answers beyond the envelope.
type result map[string]any

// handler serves one command. It runs with s.mu held.
type handler func(s *Server, body []byte) (result, *fail)

var handlers = map[string]handler{
	"get_permission_group":       communityOnly((*Server).getPermissionGroup),
	"get_role_in_group":          (*Server).getRoleInGroup,
	"get_topic_permission_group": communityOnly((*Server).getTopicPermissionGroup),

	"create_permission_group":          communityOnly((*Server).createPermissionGroup),
	"modify_permission_group":          communityOnly((*Server).modifyPermissionGroup),
	"destroy_permission_group":         communityOnly((*Server).destroyPermissionGroup),
	"add_topic_permission_group":       communityOnly(func(s *Server, b []byte) (result, *fail) { return s.topicWrite(b, true) }),
	"set_topic_permission_group":       communityOnly(func(s *Server, b []byte) (result, *fail) { return s.topicWrite(b, false) }),
	"delete_topic_permission_group":    communityOnly((*Server).deleteTopicPermission),
	"add_permission_group_member":      communityOnly((*Server).addPermissionGroupMember),
	"delete_permission_group_member":   communityOnly((*Server).deletePermissionGroupMember),
	"get_permission_group_member_list": communityOnly((*Server).getPermissionGroupMemberList),

	"get_group_info": (*Server).getGroupInfo,

	"create_topic":  communityOnly((*Server).createTopic),
	"get_topic":     communityOnly((*Server).getTopic),
	"modify_topic":  communityOnly((*Server).modifyTopic),
	"destroy_topic": communityOnly((*Server).destroyTopic),
	"import_topic":  communityOnly((*Server).importTopic),

	"get_group_member_info":           (*Server).getGroupMemberInfo,
	"get_specified_group_member_info": (*Server).getSpecifiedGroupMemberInfo,
	"add_group_member":                (*Server).addGroupMember,
	"delete_group_member":             (*Server).deleteGroupMember,
	"modify_group_member_info":        (*Server).modifyGroupMemberInfo,
	"import_group_member":             (*Server).importGroupMember,
	"modify_group_base_info":          (*Server).modifyGroupBaseInfo,
}

// serviceOf is the service a command is served under: the topic commands
// but import_topic under million_group_open_http_svc, every other command
// under group_open_http_svc.
func serviceOf(command string) string {
	switch command {
	case "create_topic", "get_topic", "modify_topic", "destroy_topic":
		return millionService
	}
	return groupService
}

// route splits a request path, /v4/{service}/{command}, and checks it as
// the service does. A path the REST layer cannot route, outside the two
// services, is a bad URL (60002, "HTTP parsing error: check the URL"): the
// REST layer answers before any service sees it. A command a service does
// not have, one of the other service's included, reaches that service,
// which answers as for any command word it does not know: 10003 ("invalid
// command word"). The docs show neither case; these are the codes the
// error table gives for each kind of failure.
func route(path string) (command string, h handler, f *fail) {
	rest, ok := strings.CutPrefix(path, apiPrefix)
	service, command, found := strings.Cut(rest, "/")
	if !ok || !found || command == "" || strings.Contains(command, "/") || (service != groupService && service != millionService) {
		return command, nil, failf(tim.ErrBadURL, "unknown path %s", path)
	}
	h, ok = handlers[command]
	if !ok || serviceOf(command) != service {
		return command, nil, failf(tim.ErrInvalidCommand, "unknown command %s under %s", command, service)
	}
	return command, h, nil
}

// communityOnly answers 11000, before anything else, for an app without
// community support.
func communityOnly(h handler) handler {
	return func(s *Server, body []byte) (result, *fail) {
		if !s.communities {
			return nil, failf(tim.ErrCommunityNotSupported, "this app does not support communities")
		}
		return h(s, body)
	}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.control && strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	r, answered := s.cb.withOrigin(r)
	defer answered() // the callbacks the request causes go after its answer
	arrived := s.now()
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	rec := Request{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Time: arrived}
	if rec.Query.Has("usersig") {
		rec.Query.Set("usersig", "[redacted]")
	}
	if s.latency > 0 && !s.wait(r.Context(), s.latency) {
		// The client went away before the answer: the request arrived, so
		// it is recorded, but the command does not run.
		_, _, _ = s.admit(r, body, &rec) // names the command and checks the UserSig
		rec.Unanswered = true
		s.keep(rec)
		return
	}

	res, f, fault, live := s.answer(r, body, &rec)
	rec.Fault = fault
	if f != nil {
		rec.ErrorCode = f.code
	}
	rec.Unanswered = !live
	s.keep(rec)
	if !live {
		return // the client went away during a fault's delay
	}

	switch {
	case fault == nil:
	case fault.Drop:
		dropConnection(w)
		return
	case fault.Status != 0:
		writePage(w, fault.Status)
		return
	case fault.NotJSON:
		writePage(w, http.StatusOK)
		return
	}
	out := result{}
	maps.Copy(out, res)
	if f != nil {
		out["ActionStatus"], out["ErrorCode"], out["ErrorInfo"] = "FAIL", int(f.code), f.info
	} else {
		out["ActionStatus"], out["ErrorCode"] = "OK", 0
		if _, ok := out["ErrorInfo"]; !ok { // the topic commands answer "ok", as their samples show
			out["ErrorInfo"] = ""
		}
	}
	data, _ := json.Marshal(out)
	data = append(data, '\n')
	if fault != nil && fault.Truncate {
		data = data[:len(data)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
	// Out of net/http's buffer before the deferred release of the
	// callbacks: they go after the answer has been sent.
	_ = http.NewResponseController(w).Flush()
}

// keep records a request, unless recording is off.
func (s *Server) keep(rec Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.record {
		s.requests = append(s.requests, rec)
	}
}

// answer checks a request, takes the command's next fault, if any, and runs
// the command unless the fault replaces it. live is false when the client
// went away during the fault's delay: there is no one to answer.
func (s *Server) answer(r *http.Request, body []byte, rec *Request) (res result, f *fail, fault *Fault, live bool) {
	command, h, f := s.admit(r, body, rec)
	if f != nil {
		return nil, f, nil, true
	}

	s.mu.Lock()
	if !s.allow(command, s.now()) {
		s.mu.Unlock()
		return nil, failf(tim.ErrRateLimitExceeded, "more than %d calls of %s in a second", s.ratePerSec, command), nil, true
	}
	fault = s.takeFault(command)
	s.mu.Unlock()

	if fault != nil && !fault.AfterApply && !fault.Pass {
		if fault.Delay > 0 && !s.wait(r.Context(), fault.Delay) {
			return nil, nil, fault, false
		}
		if fault.kinds() > 0 {
			if fault.Code != 0 {
				return nil, &fail{code: fault.Code, info: fault.Info}, fault, true
			}
			return nil, nil, fault, true
		}
	}

	if f := s.beforeCallback(r, command, body); f != nil {
		return nil, f, fault, true
	}
	s.mu.Lock()
	s.cb.enter(r)
	s.operator = rec.Query.Get("identifier")
	res, f = h(s, body)
	s.operator = ""
	s.cb.exit()
	s.mu.Unlock()
	if fault != nil && fault.AfterApply {
		// Applied; now the delay, so that a client that gives up meanwhile
		// leaves the change made, as a slow service would.
		if fault.Delay > 0 && !s.wait(r.Context(), fault.Delay) {
			return nil, nil, fault, false
		}
		if fault.Code != 0 {
			return nil, &fail{code: fault.Code, info: fault.Info}, fault, true
		}
	}
	return res, f, fault, true
}

// admit checks a request as the service does before it acts, and returns
// the command and its handler.
func (s *Server) admit(r *http.Request, body []byte, rec *Request) (string, handler, *fail) {
	command, h, routeFail := route(r.URL.Path)
	if routeFail != nil && routeFail.code == tim.ErrBadURL {
		return "", nil, routeFail
	}
	rec.Command = command
	if r.Method != http.MethodPost {
		return "", nil, failf(tim.ErrBadURL, "use POST")
	}

	q := r.URL.Query()
	appID := q.Get("sdkappid")
	identifier := q.Get("identifier")
	sig := q.Get("usersig")
	switch {
	case appID == "":
		return "", nil, failf(tim.ErrSDKAppIDMissing, "sdkappid is missing")
	case identifier == "":
		return "", nil, failf(tim.ErrBadURLParameters, "identifier is missing")
	case sig == "":
		return "", nil, failf(tim.ErrUserSigEmpty, "usersig is missing")
	case q.Get("contenttype") != "json":
		return "", nil, failf(tim.ErrBadURLParameters, "contenttype must be json")
	}
	id, err := strconv.ParseUint(appID, 10, 64)
	if err != nil {
		return "", nil, failf(tim.ErrBadURLParameters, "sdkappid is not a number")
	}
	if id != s.sdkAppID {
		return "", nil, failf(tim.ErrSDKAppIDNotFound, "sdkappid %d is not this app", id)
	}
	if _, err := strconv.ParseUint(q.Get("random"), 10, 32); err != nil {
		return "", nil, failf(tim.ErrBadURLParameters, "random must be an unsigned 32-bit integer")
	}
	if f := s.checkUserSig(sig, identifier); f != nil {
		return "", nil, f
	}
	rec.UserSigValid = true
	if !slices.Contains(s.admins, identifier) {
		return "", nil, failf(tim.ErrAdminRequired, "%s is not an app admin", identifier)
	}

	if routeFail != nil {
		return "", nil, routeFail
	}
	if len(body) == 0 {
		return "", nil, failf(tim.ErrBadJSON, "empty body")
	}
	if len(body) > maxRequestBytes {
		return "", nil, failf(tim.ErrInvalidParameter, "body too large")
	}
	return command, h, nil
}

// wait waits for d, or until ctx ends; it reports whether d passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // the server closes the connection (or resets the stream)
}

// writePage answers status with a small HTML page, as a proxy or a load
// balancer in front of the service does.
func writePage(w http.ResponseWriter, status int) {
	title := "503 Service Temporarily Unavailable" // what a 200 page of a captive portal or CDN might say
	if status != http.StatusOK {
		title = strconv.Itoa(status) + " " + http.StatusText(status)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, "<html>\r\n<head><title>"+title+"</title></head>\r\n<body>\r\n<center><h1>"+title+"</h1></center>\r\n<hr><center>timtest</center>\r\n</body>\r\n</html>\r\n")
}

func (s *Server) checkUserSig(sig, identifier string) *fail {
	_, err := tim.VerifyUserSig(sig, s.sdkAppID, s.secretKey(), identifier, s.now())
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tim.ErrUserSigExpired):
		return failf(tim.ErrUserSigExpired, "UserSig expired")
	case errors.Is(err, tim.ErrIdentifierMismatch):
		return failf(tim.ErrIdentifierMismatch, "identifier does not match the UserSig")
	case errors.Is(err, tim.ErrSDKAppIDMismatch):
		return failf(tim.ErrSDKAppIDMismatch, "sdkappid does not match the UserSig")
	case errors.Is(err, tim.ErrSecretKeyMismatch):
		return failf(tim.ErrSecretKeyMismatch, "UserSig verification failed: signed with another key")
	default:
		return failf(tim.ErrUserSigInvalid, "UserSig is invalid")
	}
}

// decode reads a request body as the service does: a body that is not JSON
// is refused by the REST layer with 60003 ("HTTP request JSON parsing
// error"); JSON the group service cannot read into the command's request (a
// field of the wrong type, an array for an object) gets 10011 ("failed to
// parse the JSON packet").
func decode(body []byte, v any) *fail {
	if !json.Valid(body) {
		return failf(tim.ErrBadJSON, "HTTP request JSON parsing error")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return failf(tim.ErrJSONParseFailed, "failed to parse the JSON packet: field %s has the wrong type", typeErr.Field)
		}
		return failf(tim.ErrJSONParseFailed, "failed to parse the JSON packet")
	}
	return nil
}
