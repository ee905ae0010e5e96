package callback

// Decision answers a before-event ([OnBeforeCreateTopic]). The zero
// Decision allows.
type Decision struct {
	// Deny refuses the operation.
	Deny bool
	// Code, with Deny, is the app's own error code, 10100 to 10200, that
	// the service passes on with Info to whoever asked instead of 10016. 0
	// denies with the documented ErrorCode 1, which the caller sees as
	// 10016; a code outside the range does the same and is reported to
	// OnError as [ErrInvalidDecision].
	Code int
	// Info is the ErrorInfo sent with Code.
	Info string
}

// Documented range of an app's own denial codes.
const (
	MinDenyCode = 10100
	MaxDenyCode = 10200
)

// reply returns the ErrorCode and ErrorInfo that answer d.
func (d Decision) reply() (code int, info string) {
	switch {
	case !d.Deny:
		return 0, ""
	case d.Code >= MinDenyCode && d.Code <= MaxDenyCode:
		return d.Code, d.Info
	default:
		return 1, ""
	}
}
