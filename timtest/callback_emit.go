package timtest

// emitCallback queues the third-party callback command (for example
// "Group.CallbackAfterCreateTopic") with the documented body fields, for
// delivery after the REST call that caused it has been answered. It is
// called with s.mu held and never blocks. Until callbacks are configured it
// does nothing.
//
//lint:ignore U1000 the seam for package callback's fake (issue 16), called once that lands
func (s *Server) emitCallback(command string, body map[string]any) {
	_, _ = command, body
}
