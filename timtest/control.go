package timtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/timkit/tim"
)

// The control endpoint ([WithControlEndpoint]).
const (
	controlPrefix   = "/_timfake/"
	maxControlBytes = 1 << 20  // a fail_next or reset body
	maxSeedBytes    = 16 << 20 // a seed body
)

// controlRoute is one endpoint under controlPrefix: its method and what
// serves it (an answer to encode, or an error for a 400).
type controlRoute struct {
	method string
	serve  func(*Server, *http.Request) (any, error)
}

var controlRoutes = map[string]controlRoute{
	"fail_next": {http.MethodPost, (*Server).controlFailNext},
	"requests":  {http.MethodGet, (*Server).controlRequests},
	"reset":     {http.MethodPost, (*Server).controlReset},
	"seed":      {http.MethodPost, (*Server).controlSeed},

	"add_to_community": {http.MethodPost, (*Server).controlAddToCommunity}, // control_community.go
}

// serveControl answers a request under controlPrefix. It refuses, before
// anything else, a request a web page could have made: one with an Origin
// header (browsers send it on cross-origin requests and on every POST), one
// addressed to a Host name that is not loopback (a DNS-rebinding page
// reaches the fake under its own name), and a POST whose body is not
// declared JSON (a form or a no-cors fetch cannot declare it without a
// CORS preflight, which the fake never answers).
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	if msg := controlRefusal(r); msg != "" {
		writeControl(w, http.StatusForbidden, controlError(msg))
		return
	}
	rt, ok := controlRoutes[strings.TrimPrefix(r.URL.Path, controlPrefix)]
	switch {
	case !ok:
		writeControl(w, http.StatusNotFound, controlError(fmt.Sprintf("no control endpoint %s (there are fail_next, requests, reset, seed and add_to_community)", r.URL.Path)))
		return
	case r.Method != rt.method:
		w.Header().Set("Allow", rt.method)
		writeControl(w, http.StatusMethodNotAllowed, controlError(fmt.Sprintf("use %s for %s", rt.method, r.URL.Path)))
		return
	case r.Method == http.MethodPost && !isJSON(r.Header.Get("Content-Type")):
		writeControl(w, http.StatusUnsupportedMediaType, controlError(fmt.Sprintf("%s takes Content-Type: application/json, not %q", r.URL.Path, r.Header.Get("Content-Type"))))
		return
	}
	out, err := rt.serve(s, r)
	if err != nil {
		writeControl(w, http.StatusBadRequest, controlError(err.Error()))
		return
	}
	writeControl(w, http.StatusOK, out)
}

// controlRefusal says why a control request is refused for where it comes
// from, or "".
func controlRefusal(r *http.Request) string {
	if origin := r.Header.Values("Origin"); len(origin) > 0 {
		return fmt.Sprintf("the control endpoint refuses requests with an Origin header (%q): a web page cannot drive the fake", origin[0])
	}
	if !loopbackHost(r.Host) {
		return fmt.Sprintf("the control endpoint answers only requests addressed to localhost or a loopback IP, not Host %q", r.Host)
	}
	return ""
}

// loopbackHost reports whether a Host header names this machine by
// "localhost" or a loopback IP, with or without a port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isJSON reports whether a Content-Type is application/json, parameters
// (charset) aside.
func isJSON(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && mediaType == "application/json"
}

type controlAnswer struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func controlError(msg string) controlAnswer { return controlAnswer{Error: msg} }

var controlOK = controlAnswer{OK: true}

func writeControl(w http.ResponseWriter, status int, v any) {
	data, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

// controlFault is a [Fault] as the control endpoint reads and writes it.
type controlFault struct {
	Code       tim.ErrorCode `json:"code,omitempty"`
	Info       string        `json:"info,omitempty"`
	Status     int           `json:"status,omitempty"`
	DelayMS    int64         `json:"delay_ms,omitempty"`
	Truncate   bool          `json:"truncate,omitempty"`
	NotJSON    bool          `json:"not_json,omitempty"`
	Drop       bool          `json:"drop,omitempty"`
	AfterApply bool          `json:"after_apply,omitempty"`
	Pass       bool          `json:"pass,omitempty"`
}

func (c controlFault) fault() (Fault, error) {
	if c.DelayMS > math.MaxInt64/int64(time.Millisecond) {
		return Fault{}, fmt.Errorf("timtest: fail_next: delay_ms %d is too long", c.DelayMS)
	}
	return Fault{
		Code: c.Code, Info: c.Info, Status: c.Status, Delay: time.Duration(c.DelayMS) * time.Millisecond,
		Truncate: c.Truncate, NotJSON: c.NotJSON, Drop: c.Drop, AfterApply: c.AfterApply, Pass: c.Pass,
	}, nil
}

func toControlFault(f *Fault) *controlFault {
	if f == nil {
		return nil
	}
	return &controlFault{
		Code: f.Code, Info: f.Info, Status: f.Status, DelayMS: f.Delay.Milliseconds(),
		Truncate: f.Truncate, NotJSON: f.NotJSON, Drop: f.Drop, AfterApply: f.AfterApply, Pass: f.Pass,
	}
}

// controlFailNext serves POST /_timfake/fail_next.
func (s *Server) controlFailNext(r *http.Request) (any, error) {
	var req struct {
		Command string       `json:"command"`
		N       *int         `json:"n"`
		Fault   controlFault `json:"fault"`
	}
	if err := decodeControl(r, "fail_next", maxControlBytes, &req); err != nil {
		return nil, err
	}
	n := 1
	if req.N != nil {
		n = *req.N
	}
	f, err := req.Fault.fault()
	if err != nil {
		return nil, err
	}
	if err := s.FailNext(req.Command, n, f); err != nil {
		return nil, err
	}
	return controlOK, nil
}

// controlRequest is a [Request] as GET /_timfake/requests lists it.
type controlRequest struct {
	Command      string        `json:"command"`
	Path         string        `json:"path"`
	Query        url.Values    `json:"query"`
	UserSigValid bool          `json:"usersig_valid"`
	Header       http.Header   `json:"header"`
	Body         string        `json:"body"`
	ErrorCode    tim.ErrorCode `json:"error_code"`
	Fault        *controlFault `json:"fault"`
	Unanswered   bool          `json:"unanswered"`
	Time         time.Time     `json:"time"`
}

// controlRequests serves GET /_timfake/requests.
func (s *Server) controlRequests(r *http.Request) (any, error) {
	var reqs []Request
	if command := r.URL.Query().Get("command"); command != "" {
		reqs = s.RequestsFor(command)
	} else {
		reqs = s.Requests()
	}
	list := make([]controlRequest, len(reqs))
	for i, q := range reqs {
		list[i] = controlRequest{
			Command: q.Command, Path: q.Path, Query: q.Query, UserSigValid: q.UserSigValid,
			Header: q.Header, Body: string(q.Body), ErrorCode: q.ErrorCode, Fault: toControlFault(q.Fault), Unanswered: q.Unanswered, Time: q.Time,
		}
	}
	return struct {
		OK       bool             `json:"ok"`
		Requests []controlRequest `json:"requests"`
	}{true, list}, nil
}

// controlReset serves POST /_timfake/reset. Its body may be empty or {}.
func (s *Server) controlReset(r *http.Request) (any, error) {
	body, err := readControl(r, "reset", maxControlBytes)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) > 0 {
		var none struct{}
		if err := strictJSON(body, &none); err != nil {
			return nil, fmt.Errorf("timtest: reset: the body must be empty or {}: %w", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	clear(s.faults)
	clear(s.windows)
	return controlOK, nil
}

// controlSeed serves POST /_timfake/seed.
func (s *Server) controlSeed(r *http.Request) (any, error) {
	body, err := readControl(r, "seed", maxSeedBytes)
	if err != nil {
		return nil, err
	}
	if err := s.LoadSeed(bytes.NewReader(body)); err != nil {
		return nil, err
	}
	return controlOK, nil
}

// readControl reads a control request's body, up to limit bytes.
func readControl(r *http.Request, endpoint string, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("timtest: %s: reading the body: %w", endpoint, err)
	case int64(len(body)) > limit:
		return nil, fmt.Errorf("timtest: %s: the body exceeds %d bytes", endpoint, limit)
	}
	return body, nil
}

// decodeControl reads a control request's JSON body into v, refusing
// unknown fields and anything after the value.
func decodeControl(r *http.Request, endpoint string, limit int64, v any) error {
	body, err := readControl(r, endpoint, limit)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("timtest: %s: the body is empty; send a JSON object", endpoint)
	}
	if err := strictJSON(body, v); err != nil {
		return fmt.Errorf("timtest: %s: %w", endpoint, err)
	}
	return nil
}

// strictJSON decodes one JSON value into v, refusing unknown fields and
// anything after the value.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}
