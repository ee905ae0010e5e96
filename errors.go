package tim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ErrorCode is an error code of the Chat service: the ErrorCode of a response
// envelope or of one item in a list. An ErrorCode is itself an error, so the
// constants below are sentinels for [errors.Is]:
//
//	if errors.Is(err, tim.ErrGroupNotFound) { ... }
//
// Codes without a constant still compare by value: errors.Is(err, tim.ErrorCode(10059)).
type ErrorCode int

// Codes of the group service, documented on the permission-group and member-role pages.
const (
	ErrInternal                      ErrorCode = 10002  // internal server error; try again
	ErrInvalidCommand                ErrorCode = 10003  // invalid command word
	ErrInvalidParameter              ErrorCode = 10004  // invalid parameter
	ErrTooManyAccounts               ErrorCode = 10005  // too many accounts in one request
	ErrGroupRateLimited              ErrorCode = 10006  // group-service rate limit
	ErrNoPermission                  ErrorCode = 10007  // the operator lacks the permission, or the group type does not support the call
	ErrRequestSignatureInvalid       ErrorCode = 10008  // invalid request: the signature it carries did not verify
	ErrOwnerCannotLeave              ErrorCode = 10009  // the group owner may not leave the group
	ErrGroupNotFound                 ErrorCode = 10010  // the group does not exist or was dissolved
	ErrJSONParseFailed               ErrorCode = 10011  // the request's JSON could not be parsed
	ErrInvalidOperator               ErrorCode = 10012  // invalid operator
	ErrAlreadyMember                 ErrorCode = 10013  // already a member
	ErrGroupFull                     ErrorCode = 10014  // the group is full
	ErrInvalidGroupID                ErrorCode = 10015  // invalid group ID (get_role_in_group: request JSON could not be parsed)
	ErrCallbackDenied                ErrorCode = 10016  // denied by the app's third-party callback
	ErrSenderMuted                   ErrorCode = 10017  // the sender is muted
	ErrResponseTooLarge              ErrorCode = 10018  // the response would exceed 1 MB; shrink the request
	ErrUserNotFound                  ErrorCode = 10019  // the user does not exist
	ErrIDInUse                       ErrorCode = 10021  // the group or topic ID is already in use; also expected for a custom permission-group ID in use (see Client.CreatePermissionGroup); 10025 matches it too
	ErrMessageRateLimited            ErrorCode = 10023  // the group's message rate limit (40 messages a second) was reached
	ErrAlreadyProcessed              ErrorCode = 10024  // the invitation or request was already processed
	ErrIDInUseByYou                  ErrorCode = 10025  // the ID is already in use and the operator owns it; matches ErrIDInUse
	ErrCommandDisabled               ErrorCode = 10026  // the command word is disabled for the app
	ErrAVChatRoomLimit               ErrorCode = 10036  // too many AVChatRoom groups (listed on create_topic's page too)
	ErrGroupCountLimit               ErrorCode = 10037  // a create or join count limit was reached (on the topic pages: the prepaid topic count)
	ErrMemberCountLimit              ErrorCode = 10038  // the group's member count limit was reached
	ErrTooManyMembers                ErrorCode = 10054  // too many members; pull them by page
	ErrTrialGroupLimit               ErrorCode = 10058  // the Trial Edition's limit of 100 groups was reached
	ErrPlanRequired                  ErrorCode = 10059  // needs a higher plan
	ErrCommunityNotSupported         ErrorCode = 11000  // the app or group does not support communities or topics
	ErrTopicDestroyFailed            ErrorCode = 110002 // destroying the topic failed
	ErrTopicNotFound                 ErrorCode = 110003 // the topic was destroyed or does not exist
	ErrPermissionGroupNotFound       ErrorCode = 110006 // the permission group does not exist or was dissolved
	ErrPermissionGroupDeleteFailed   ErrorCode = 110007 // deleting the permission group failed; retry
	ErrInvalidPermissionGroupID      ErrorCode = 110008 // invalid permission group ID
	ErrTopicAlreadyInPermissionGroup ErrorCode = 110010 // the topic is already in the permission group
	ErrTopicNotInPermissionGroup     ErrorCode = 110011 // the topic is not in the permission group
	ErrPermissionGroupMemberLimit    ErrorCode = 110012 // the permission group's member limit is reached
	ErrInvalidTopicID                ErrorCode = 110013 // invalid topic ID
	ErrTopicPermissionAlreadyDeleted ErrorCode = 110014 // the topic permission was already deleted
	ErrBadURL                        ErrorCode = 60002  // malformed URL
	ErrBadJSON                       ErrorCode = 60003  // malformed request JSON
	ErrAccountCheckFailed            ErrorCode = 60004  // account check failed
	ErrUserSigCheckFailed            ErrorCode = 60005  // UserSig check failed
	ErrRateLimitExceeded             ErrorCode = 60007  // REST API rate limit (200 calls/s per app) exceeded
	ErrServerTimeout                 ErrorCode = 60008  // server timeout or bad HTTP format
	ErrBadResource                   ErrorCode = 60009  // bad resource
	ErrAdminRequired                 ErrorCode = 60010  // the identifier is not an app admin
	ErrAppTooFrequent                ErrorCode = 60011  // app-wide calls too frequent
	ErrSDKAppIDMissing               ErrorCode = 60012  // the sdkappid parameter is missing
	ErrResponseJSONInvalid           ErrorCode = 60013  // the service could not parse a response JSON
	ErrAccountCheckTimeout           ErrorCode = 60014  // account check timed out
	ErrUserIDNotString               ErrorCode = 60015  // a UserID must be a string
	ErrAppDisabled                   ErrorCode = 60016  // the app is disabled
	ErrRequestDisabled               ErrorCode = 60017  // the request is disabled
	ErrTooFrequent                   ErrorCode = 60018  // calls too frequent
	ErrTooFrequentGeneral            ErrorCode = 60019  // calls too frequent
	ErrPlanExpired                   ErrorCode = 60020  // the plan expired
	ErrIPNotAllowed                  ErrorCode = 60021  // the caller's IP is not allowed
	ErrBadURLParameters              ErrorCode = 60025  // bad URL parameters
	ErrWrongRegion                   ErrorCode = 60026  // the domain is not the app's region
	ErrNonTPushResource              ErrorCode = 60027  // access to resources of products other than TPush is not allowed
	ErrTrialQuotaExceeded            ErrorCode = 60028  // trial quota used up
	ErrUserSigExpired                ErrorCode = 70001  // the UserSig expired: make a new one
	ErrUserSigEmpty                  ErrorCode = 70002  // the UserSig is empty
	ErrUserSigInvalid                ErrorCode = 70003  // the UserSig is invalid
	ErrUserSigVerifyFailed           ErrorCode = 70005  // the UserSig check failed
	ErrSecretKeyMismatch             ErrorCode = 70009  // secret key or SDKAppID mismatch
	ErrIdentifierMismatch            ErrorCode = 70013  // the identifier does not match the UserSig
	ErrSDKAppIDMismatch              ErrorCode = 70014  // the SDKAppID does not match the UserSig
	ErrSecretKeyNotFound             ErrorCode = 70016  // secret key not found
	ErrSDKAppIDNotFound              ErrorCode = 70020  // SDKAppID not found
	ErrTooManyFailedChecks           ErrorCode = 70050  // too many failed checks; wait 60 s
	ErrAccountBlocklisted            ErrorCode = 70051  // the account is blocklisted
	ErrUserSigInvalidated            ErrorCode = 70052  // the UserSig was invalidated: make a new one
	ErrAccountNotImported            ErrorCode = 70107  // the account was not imported
	ErrAuthTimeout                   ErrorCode = 70169  // internal timeout
	ErrAuthInternal                  ErrorCode = 70202  // internal error
	ErrAuthInvalidParameters         ErrorCode = 70402  // invalid parameters
	ErrAuthAdminRequired             ErrorCode = 70403  // the operation needs an app admin
	ErrAuthServiceError              ErrorCode = 70500  // internal error
	ErrContentRejected               ErrorCode = 80001  // the content failed the security check (sensitive words)
	ErrMessageTooLarge               ErrorCode = 80002  // the message body exceeds 12 KB
	ErrSecurityCheckTimeout          ErrorCode = 80005  // the security check timed out (import_topic's page); the code table says "service deactivated"
)

// Codes of the SDK's own, for per-item results the service reports without
// an error code: add_group_member's and import_group_member's Result (0
// failed, 1 added, 2 already a member, 3 awaiting confirmation): -100000
// minus the Result, negative and far from any code the service uses. They
// appear only in
// an [ItemResult] and its [*ItemError], never in an [*APIError]. Result 2
// is [ErrAlreadyMember], as add_permission_group_member reports it.
const (
	// ErrNotAdded is Result 0: the service did not add the account and
	// said no more.
	ErrNotAdded ErrorCode = -100000
	// ErrAwaitingConfirmation is Result 3: the account was invited and
	// joins once it accepts; it is not a member yet.
	ErrAwaitingConfirmation ErrorCode = -100003
)

// ErrRateLimited matches every code that means "too many calls, slow down":
// 60007, 60011, 60018, 60019, 10006 and 10023.
//
//	if errors.Is(err, tim.ErrRateLimited) { ... back off ... }
var ErrRateLimited = errors.New("tim: rate limited")

// ErrInvalidRequest matches every [ValidationError]: a request the SDK refused
// to send because its input breaks a documented rule.
var ErrInvalidRequest = errors.New("tim: invalid request")

// ErrBodyTooLarge matches a [DecodeError] for a response body larger than the
// client accepts.
var ErrBodyTooLarge = errors.New("tim: response body too large")

// ErrAttemptTimeout matches a [TransportError] for an attempt that got no
// answer within the client's per-attempt timeout ([WithTimeout]) while the
// caller's context was still live. Such an attempt is retried (unless the
// command is not idempotent, see [RetryPolicy]); it does not match
// [context.DeadlineExceeded], which is kept for the caller's own deadline.
var ErrAttemptTimeout = errors.New("tim: no answer within the per-attempt timeout")

// ErrNoMorePages is returned by [Paginator.NextPage] called after the last page.
var ErrNoMorePages = errors.New("tim: no more pages")

// ErrCursorRepeated is returned by pagination when the server answers with a
// cursor it already returned, which would otherwise loop forever.
var ErrCursorRepeated = errors.New("tim: server repeated a pagination cursor")

// ErrNoProgress is returned by pagination when the server answers
// [MaxEmptyPages] pages in a row with no items and a new cursor each time: a
// listing that would otherwise run forever.
var ErrNoProgress = errors.New("tim: pagination makes no progress")

// ErrClientClosed is returned by a call made after [Client.Close].
var ErrClientClosed = errors.New("tim: client is closed")

// retryClass says how a code may be retried.
type retryClass uint8

const (
	retryNever  retryClass = iota
	retryNow               // a transient failure: retry with a short backoff
	retrySlow              // a rate limit: retry with a longer backoff
	retryNewSig            // the UserSig must be renewed first
)

type codeInfo struct {
	text  string
	retry retryClass
}

var codeTable = map[ErrorCode]codeInfo{
	ErrInternal:                {"internal server error", retryNow},
	ErrInvalidCommand:          {"invalid command word", retryNever},
	ErrInvalidParameter:        {"invalid parameter", retryNever},
	ErrTooManyAccounts:         {"too many accounts in one request", retryNever},
	ErrGroupRateLimited:        {"group service rate limit", retrySlow},
	ErrNoPermission:            {"no permission for the operation", retryNever},
	ErrRequestSignatureInvalid: {"invalid request signature", retryNever},
	ErrOwnerCannotLeave:        {"the group owner may not leave", retryNever},
	ErrGroupNotFound:           {"group does not exist or was dissolved", retryNever},
	ErrJSONParseFailed:         {"request JSON could not be parsed", retryNever},
	ErrInvalidOperator:         {"invalid operator", retryNever},
	ErrAlreadyMember:           {"already a member", retryNever},
	ErrGroupFull:               {"group is full", retryNever},
	ErrInvalidGroupID:          {"invalid group ID or request JSON", retryNever},
	ErrCallbackDenied:          {"denied by the app's callback", retryNever},
	ErrSenderMuted:             {"sender is muted", retryNever},
	ErrResponseTooLarge:        {"response would exceed 1 MB", retryNever},
	ErrUserNotFound:            {"user does not exist", retryNever},
	ErrIDInUse:                 {"ID already in use", retryNever},
	ErrMessageRateLimited:      {"group message rate limit", retrySlow},
	ErrAlreadyProcessed:        {"already processed", retryNever},
	ErrIDInUseByYou:            {"ID already in use by you", retryNever},
	ErrCommandDisabled:         {"command disabled for the app", retryNever},
	ErrAVChatRoomLimit:         {"AVChatRoom count limit reached", retryNever},
	ErrGroupCountLimit:         {"group or topic count limit reached", retryNever},
	ErrMemberCountLimit:        {"member count limit reached", retryNever},
	ErrTooManyMembers:          {"too many members, pull by page", retryNever},
	ErrTrialGroupLimit:         {"Trial Edition group limit reached", retryNever},
	ErrPlanRequired:            {"needs a higher plan", retryNever},
	ErrCommunityNotSupported:   {"app does not support communities or topics", retryNever},
	// 110002 is not retried though 110007, its permission-group twin, is:
	// 110007's description asks for a retry, 110002's says nothing, and
	// destroy_topic is not idempotent (a retry after a partial destroy
	// would answer 110003 for what it did destroy).
	ErrTopicDestroyFailed:            {"destroying the topic failed", retryNever},
	ErrTopicNotFound:                 {"topic was destroyed or does not exist", retryNever},
	ErrPermissionGroupNotFound:       {"permission group does not exist or was dissolved", retryNever},
	ErrPermissionGroupDeleteFailed:   {"permission group deletion failed", retryNow},
	ErrInvalidPermissionGroupID:      {"invalid permission group ID", retryNever},
	ErrTopicAlreadyInPermissionGroup: {"topic already in the permission group", retryNever},
	ErrTopicNotInPermissionGroup:     {"topic not in the permission group", retryNever},
	ErrPermissionGroupMemberLimit:    {"permission group member limit reached", retryNever},
	ErrInvalidTopicID:                {"invalid topic ID", retryNever},
	ErrTopicPermissionAlreadyDeleted: {"topic permission already deleted", retryNever},
	ErrBadURL:                        {"bad URL", retryNever},
	ErrBadJSON:                       {"bad request JSON", retryNever},
	ErrAccountCheckFailed:            {"account check failed", retryNever},
	ErrUserSigCheckFailed:            {"UserSig check failed", retryNever},
	ErrRateLimitExceeded:             {"REST API rate limit exceeded", retrySlow},
	ErrServerTimeout:                 {"server timeout", retryNow},
	ErrBadResource:                   {"bad resource", retryNever},
	ErrAdminRequired:                 {"identifier is not an app admin", retryNever},
	ErrAppTooFrequent:                {"app calls too frequent", retrySlow},
	ErrSDKAppIDMissing:               {"SDKAppID missing", retryNever},
	ErrResponseJSONInvalid:           {"response JSON could not be parsed", retryNever},
	ErrAccountCheckTimeout:           {"account check timed out", retryNow},
	ErrUserIDNotString:               {"UserID must be a string", retryNever},
	ErrAppDisabled:                   {"app disabled", retryNever},
	ErrRequestDisabled:               {"request disabled", retryNever},
	ErrTooFrequent:                   {"calls too frequent", retrySlow},
	ErrTooFrequentGeneral:            {"calls too frequent", retrySlow},
	ErrPlanExpired:                   {"plan expired", retryNever},
	ErrIPNotAllowed:                  {"IP not allowed", retryNever},
	ErrBadURLParameters:              {"bad URL parameters", retryNever},
	ErrWrongRegion:                   {"wrong region domain for the app", retryNever},
	ErrNonTPushResource:              {"access to non-TPush resources not allowed", retryNever},
	ErrTrialQuotaExceeded:            {"trial quota used up", retryNever},
	ErrUserSigExpired:                {"UserSig expired", retryNewSig},
	ErrUserSigEmpty:                  {"UserSig empty", retryNever},
	ErrUserSigInvalid:                {"UserSig invalid", retryNever},
	ErrUserSigVerifyFailed:           {"UserSig check failed", retryNever},
	ErrSecretKeyMismatch:             {"secret key or SDKAppID mismatch", retryNever},
	ErrIdentifierMismatch:            {"identifier does not match the UserSig", retryNever},
	ErrSDKAppIDMismatch:              {"SDKAppID does not match the UserSig", retryNever},
	ErrSecretKeyNotFound:             {"secret key not found", retryNever},
	ErrSDKAppIDNotFound:              {"SDKAppID not found", retryNever},
	ErrTooManyFailedChecks:           {"too many failed checks, wait 60 s", retryNever},
	ErrAccountBlocklisted:            {"account blocklisted", retryNever},
	ErrUserSigInvalidated:            {"UserSig invalidated", retryNewSig},
	ErrAccountNotImported:            {"account not imported", retryNever},
	ErrAuthTimeout:                   {"internal timeout", retryNow},
	ErrAuthInternal:                  {"internal error", retryNow},
	ErrAuthInvalidParameters:         {"invalid parameters", retryNever},
	ErrAuthAdminRequired:             {"needs an app admin", retryNever},
	ErrAuthServiceError:              {"internal error", retryNow},
	ErrContentRejected:               {"content failed the security check", retryNever},
	ErrMessageTooLarge:               {"message body exceeds 12 KB", retryNever},
	ErrSecurityCheckTimeout:          {"security check timed out, or service deactivated", retryNever},
	ErrNotAdded:                      {"not added; the service gave no reason (Result 0)", retryNever},
	ErrAwaitingConfirmation:          {"invited, awaiting the account's confirmation (Result 3)", retryNever},
}

// Error describes the code, e.g. "tim: error 10010: group does not exist or was dissolved".
func (c ErrorCode) Error() string { return "tim: " + c.describe() }

// Format prints the number for the integer verbs (%d, %x, ...) and the
// description otherwise, so a per-item ErrorCode field reads "0" in a %+v
// dump of a successful item.
func (c ErrorCode) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'd' || verb == 'x' || verb == 'X' || verb == 'o' || verb == 'b', c == 0 && verb == 'v':
		fmt.Fprintf(f, fmt.FormatString(f, verb), int(c))
	default:
		fmt.Fprintf(f, fmt.FormatString(f, verb), c.Error())
	}
}

func (c ErrorCode) describe() string {
	if info, ok := codeTable[c]; ok && c < 0 { // one of the SDK's own
		return info.text
	}
	if info, ok := codeTable[c]; ok {
		return "error " + strconv.Itoa(int(c)) + ": " + info.text
	}
	return "error " + strconv.Itoa(int(c))
}

// Is reports whether c belongs to the class target names: [ErrRateLimited]
// for the rate-limit codes, [ErrIDInUse] for 10025 (an ID in use by the
// operator: create_topic's page gives 10025 for a custom topic ID in use,
// import_topic's 10021). Equal codes match without it.
func (c ErrorCode) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return codeTable[c].retry == retrySlow
	case ErrIDInUse:
		return c == ErrIDInUseByYou
	}
	return false
}

// Retryable reports whether a request that failed with c may succeed if sent
// again: internal errors and timeouts after a short backoff, rate limits
// after a longer one, and 70001 and 70052 with a new UserSig. The client
// does all of that itself (see [RetryPolicy]); the answer here is for code
// that retries on its own. Such code must mind what the client minds: after
// an internal error (10002, 60008, 70169, 70202, 70500) the service may have
// acted, so sending a create or an add again may do it twice.
// 70050 (too many failed checks) asks for a 60 s wait, which no caller should
// sleep through unawares, so it is not. Codes that are not documented are not
// retryable.
func (c ErrorCode) Retryable() bool {
	return codeTable[c].retry != retryNever
}

// NeedsNewUserSig reports whether c asks for a fresh UserSig before a retry
// (70001 expired, 70052 invalidated).
func (c ErrorCode) NeedsNewUserSig() bool {
	return codeTable[c].retry == retryNewSig
}

// APIError is a failure the service reported in a response envelope: the
// call reached the service and was answered with ActionStatus "FAIL" or a
// non-zero ErrorCode. It unwraps to its [ErrorCode], so
// errors.Is(err, tim.ErrGroupNotFound) and errors.As(err, &apiErr) both work.
type APIError struct {
	// Command is the REST command that failed, e.g. "get_role_in_group".
	Command string
	// ActionStatus is the envelope's status, normally "FAIL".
	ActionStatus string
	// Code is the envelope's ErrorCode.
	Code ErrorCode
	// Info is the envelope's ErrorInfo, the server's explanation.
	Info string
	// Display is the envelope's ErrorDisplay, when the server sends one.
	Display string
	// RequestID is the envelope's RequestId, when the server sends one.
	RequestID string
	// Attempts is how many requests the call sent, retries included (see
	// [RetryPolicy]); 0 for a per-item result in a list.
	Attempts int
}

// Error returns "tim: {command}: error {code}: {meaning} ({server info})",
// followed by ", after {n} attempts" when the call was retried.
func (e *APIError) Error() string {
	msg := "tim: "
	if e.Command != "" {
		msg += e.Command + ": "
	}
	return msg + e.Code.describe() + e.Code.info(e.Info) + afterAttempts(e.Attempts)
}

// info is the server's text, as " (text)", unless it is empty or says no
// more than the code's own description.
func (c ErrorCode) info(text string) string {
	t := strings.TrimRight(strings.TrimSpace(text), ".")
	if t == "" || strings.EqualFold(t, codeTable[c].text) {
		return ""
	}
	return " (" + text + ")"
}

// afterAttempts is the suffix an error's text gets when its call sent more
// than one request.
func afterAttempts(n int) string {
	if n < 2 {
		return ""
	}
	return ", after " + strconv.Itoa(n) + " attempts"
}

// Unwrap returns the error code, which makes the code's sentinel match.
func (e *APIError) Unwrap() error { return e.Code }

// Retryable reports whether the failure is transient; see [ErrorCode.Retryable].
func (e *APIError) Retryable() bool { return e.Code.Retryable() }

// ItemError is the failure of one item in a list: a permission group a read
// could not return, a topic a write refused, an account that could not be
// added. The call as a whole succeeded; other items may have too. It
// unwraps to its [ErrorCode], so errors.Is(err, tim.ErrAlreadyMember)
// works, and errors.As(err, &itemErr) tells it apart from a failed request
// (an [*APIError], a [*TransportError], ...):
//
//	var itemErr *tim.ItemError
//	if errors.As(err, &itemErr) {
//		log.Printf("skipping %s: %v", itemErr.ID, err)
//	}
type ItemError struct {
	Command string    // the REST command, e.g. "add_topic_permission_group"
	Kind    string    // what the item is: "permission group", "topic", "account" or "group"
	ID      string    // the item: a permission group ID, a topic ID, an account or a group ID
	Code    ErrorCode // the item's ErrorCode (or Result)
	Info    string    // the item's ErrorInfo, when the server sent one
}

// Error returns "tim: {command}: {kind} {id}: error {code}: {meaning} ({server info})".
func (e *ItemError) Error() string {
	return "tim: " + e.Command + ": " + e.Kind + " " + e.ID + ": " + e.Code.describe() + e.Code.info(e.Info)
}

// Unwrap returns the item's code, which makes the code's sentinel match.
func (e *ItemError) Unwrap() error { return e.Code }

// itemError returns the typed error of one item in a response list, or nil
// when the item succeeded.
func itemError(command, id string, code ErrorCode, info string) error {
	if code == 0 {
		return nil
	}
	return &ItemError{Command: command, Kind: itemKind(command), ID: id, Code: code, Info: info}
}

// itemKind names what the items of command's lists are.
func itemKind(command string) string {
	switch command {
	case CommandGetPermissionGroup, CommandDestroyPermissionGroup:
		return "permission group"
	case CommandGetGroupInfo:
		return "group"
	case CommandAddPermissionGroupMember, CommandDeletePermissionGroupMember, CommandGetRoleInGroup,
		CommandAddGroupMember, CommandDeleteGroupMember, CommandImportGroupMember:
		return "account"
	case CommandGetTopicPermissionGroup, CommandAddTopicPermissionGroup, CommandSetTopicPermissionGroup, CommandDeleteTopicPermissionGroup,
		CommandGetTopic, CommandDestroyTopic:
		return "topic"
	}
	return "item"
}

// TransportError is a failure to reach the service or to read its answer: a
// refused connection, a TLS failure, a dropped connection, an attempt that
// timed out ([ErrAttemptTimeout]), the caller's context ending. The request
// URL is never part of it (it carries the UserSig). It unwraps to the
// underlying error, so errors.Is(err, context.DeadlineExceeded) works when
// the caller's deadline passed.
type TransportError struct {
	Command  string // the REST command, e.g. "get_role_in_group"
	Err      error  // the cause, with any quoted URL removed
	Attempts int    // how many requests the call sent, retries included

	// sent is how far the request got (see sendStateOf). Only one that
	// certainly never left may be sent again, if its command is not
	// idempotent, without the caller's consent.
	sent sendState
}

// notSent reports whether the request certainly never left.
func (e *TransportError) notSent() bool { return e.sent != mayHaveSent }

// Error returns "tim: {command}: transport: {cause}", followed by
// ", after {n} attempts" when the call was retried.
func (e *TransportError) Error() string {
	return "tim: " + e.Command + ": transport: " + e.Err.Error() + afterAttempts(e.Attempts)
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Retryable reports whether sending again may help: true unless the
// caller's context was cancelled or ran out of time. A request that failed
// in transport may still have reached the service.
func (e *TransportError) Retryable() bool {
	return !errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded)
}

// HTTPError is an answer whose HTTP status is not 200, such as a 502 page
// from a proxy. The service itself answers 200 even for failures, so this
// means the network path failed. The body is not kept.
type HTTPError struct {
	Command     string // the REST command
	StatusCode  int    // the HTTP status, e.g. 502
	ContentType string // the answer's Content-Type, e.g. "text/html"
	Attempts    int    // how many requests the call sent, retries included
}

// Error returns "tim: {command}: unexpected HTTP status {code}", followed by
// ", after {n} attempts" when the call was retried.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("tim: %s: unexpected HTTP status %d", e.Command, e.StatusCode) + afterAttempts(e.Attempts)
}

// Retryable reports whether the status is a server-side or gateway failure (5xx)
// or a 429.
func (e *HTTPError) Retryable() bool {
	return e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests
}

// Is makes a 429 Too Many Requests match [ErrRateLimited].
func (e *HTTPError) Is(target error) bool {
	return target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests
}

// DecodeError is an HTTP 200 answer whose body is not a response envelope:
// not JSON, truncated, missing ActionStatus, or larger than the client
// accepts ([ErrBodyTooLarge]).
type DecodeError struct {
	Command  string // the REST command
	Err      error  // what was wrong with the body
	Attempts int    // how many requests the call sent, retries included
}

// Error returns "tim: {command}: malformed response: {cause}", followed by
// ", after {n} attempts" when the call was retried.
func (e *DecodeError) Error() string {
	return "tim: " + e.Command + ": malformed response: " + e.Err.Error() + afterAttempts(e.Attempts)
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ValidationError is a request the SDK refused to send because a field breaks
// a documented rule (a missing group ID, a permission-group ID where a
// community ID belongs, a Limit over 20, ...), or a call it could not make
// (a nil context, a nil Client). Nothing was sent. It matches
// [ErrInvalidRequest].
type ValidationError struct {
	Command string // the REST command the request was for
	// Field is the Go name of what is wrong, as the caller wrote it:
	// "GroupID", "Accounts[3]", "Topics[0].TopicID", "ctx".
	Field string
	// Param is the field's name on the wire, e.g. "GroupId" or
	// "User_Account"; "" for what is not sent (ctx, the Client).
	Param  string
	Reason string // what is wrong with it
}

// Error returns "tim: {command}: invalid {field}: {reason}".
func (e *ValidationError) Error() string {
	cmd := ""
	if e.Command != "" {
		cmd = e.Command + ": "
	}
	return "tim: " + cmd + "invalid " + e.Field + ": " + e.Reason
}

// Is reports whether target is [ErrInvalidRequest].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

func invalid(command, field, param, reason string) error {
	return &ValidationError{Command: command, Field: field, Param: param, Reason: reason}
}
