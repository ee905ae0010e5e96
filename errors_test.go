package tim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiCodes is every code API.md §6 lists, with its constant and its meaning.
var apiCodes = []struct {
	code  int
	c     ErrorCode
	text  string
	retry bool // the "retry?" column, or "try again"/"retry" in the prose
}{
	{10002, ErrInternal, "internal server error", true},
	{10003, ErrInvalidCommand, "invalid command word", false},
	{10004, ErrInvalidParameter, "invalid parameter", false},
	{10005, ErrTooManyAccounts, "too many accounts in one request", false},
	{10006, ErrGroupRateLimited, "group service rate limit", true},
	{10007, ErrNoPermission, "no permission for the operation", false},
	{10010, ErrGroupNotFound, "group does not exist or was dissolved", false},
	{10013, ErrAlreadyMember, "already a member", false},
	{10015, ErrInvalidGroupID, "invalid group ID or request JSON", false},
	{10016, ErrCallbackDenied, "denied by the app's callback", false},
	{10018, ErrResponseTooLarge, "response would exceed 1 MB", false},
	{10019, ErrUserNotFound, "user does not exist", false},
	{10059, ErrPlanRequired, "needs a higher plan", false},
	{11000, ErrCommunityNotSupported, "app does not support communities or topics", false},
	{110006, ErrPermissionGroupNotFound, "permission group does not exist or was dissolved", false},
	{110007, ErrPermissionGroupDeleteFailed, "permission group deletion failed", true},
	{110008, ErrInvalidPermissionGroupID, "invalid permission group ID", false},
	{110010, ErrTopicAlreadyInPermissionGroup, "topic already in the permission group", false},
	{110011, ErrTopicNotInPermissionGroup, "topic not in the permission group", false},
	{110012, ErrPermissionGroupMemberLimit, "permission group member limit reached", false},
	{110013, ErrInvalidTopicID, "invalid topic ID", false},
	{110014, ErrTopicPermissionAlreadyDeleted, "topic permission already deleted", false},
	{60002, ErrBadURL, "bad URL", false},
	{60003, ErrBadJSON, "bad request JSON", false},
	{60004, ErrAccountCheckFailed, "account check failed", false},
	{60005, ErrUserSigCheckFailed, "UserSig check failed", false},
	{60007, ErrRateLimitExceeded, "REST API rate limit exceeded", true},
	{60008, ErrServerTimeout, "server timeout", true},
	{60009, ErrBadResource, "bad resource", false},
	{60010, ErrAdminRequired, "identifier is not an app admin", false},
	{60011, ErrAppTooFrequent, "app calls too frequent", true},
	{60012, ErrSDKAppIDMissing, "SDKAppID missing", false},
	{60014, ErrAccountCheckTimeout, "account check timed out", true},
	{60016, ErrAppDisabled, "app disabled", false},
	{60017, ErrRequestDisabled, "request disabled", false},
	{60018, ErrTooFrequent, "calls too frequent", true},
	{60019, ErrTooFrequentGeneral, "calls too frequent", true},
	{60020, ErrPlanExpired, "plan expired", false},
	{60021, ErrIPNotAllowed, "IP not allowed", false},
	{60025, ErrBadURLParameters, "bad URL parameters", false},
	{60026, ErrWrongRegion, "wrong region domain for the app", false},
	{60028, ErrTrialQuotaExceeded, "trial quota used up", false},
	{70001, ErrUserSigExpired, "UserSig expired", true},
	{70002, ErrUserSigEmpty, "UserSig empty", false},
	{70003, ErrUserSigInvalid, "UserSig invalid", false},
	{70005, ErrUserSigVerifyFailed, "UserSig check failed", false},
	{70009, ErrSecretKeyMismatch, "secret key or SDKAppID mismatch", false},
	{70013, ErrIdentifierMismatch, "identifier does not match the UserSig", false},
	{70014, ErrSDKAppIDMismatch, "SDKAppID does not match the UserSig", false},
	{70016, ErrSecretKeyNotFound, "secret key not found", false},
	{70020, ErrSDKAppIDNotFound, "SDKAppID not found", false},
	{70051, ErrAccountBlocklisted, "account blocklisted", false},
	{70052, ErrUserSigInvalidated, "UserSig invalidated", true},
	{70107, ErrAccountNotImported, "account not imported", false},
	{70169, ErrAuthTimeout, "internal timeout", true},
	{70202, ErrAuthInternal, "internal error", true},
	{70402, ErrAuthInvalidParameters, "invalid parameters", false},
	{70403, ErrAuthAdminRequired, "needs an app admin", false},
	{70500, ErrAuthServiceError, "internal error", true},
	// 70050 "too many failed checks, wait 60 s" is checked on its own below.
}

func TestErrorCodesMatchTheAPI(t *testing.T) {
	for i, tc := range apiCodes {
		other := apiCodes[(i+1)%len(apiCodes)].c
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			assert.Equal(t, tc.code, int(tc.c))
			assert.Equal(t, fmt.Sprintf("tim: error %d: %s", tc.code, tc.text), tc.c.Error())

			err := &APIError{Code: ErrorCode(tc.code)}
			assert.ErrorIs(t, err, tc.c)
			assert.NotErrorIs(t, err, other)
			assert.ErrorIs(t, fmt.Errorf("outer: %w", err), tc.c)
			assert.ErrorIs(t, err, ErrorCode(tc.code), "a code compares by value")
			assert.NotErrorIs(t, err, ErrInvalidRequest)

			assert.Equal(t, tc.retry, tc.c.Retryable())
			assert.Equal(t, tc.retry, err.Retryable())
		})
	}

	assert.Equal(t, 70050, int(ErrTooManyFailedChecks))
	assert.Equal(t, "tim: error 70050: too many failed checks, wait 60 s", ErrTooManyFailedChecks.Error())
	assert.ErrorIs(t, &APIError{Code: 70050}, ErrTooManyFailedChecks)
}

func TestErrorsAsThroughWrapping(t *testing.T) {
	orig := &APIError{Command: "get_permission_group", ActionStatus: "FAIL", Code: ErrPermissionGroupNotFound, Info: "not found", RequestID: "req-1"}
	err := fmt.Errorf("loading groups: %w", fmt.Errorf("page 2: %w", orig))

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Same(t, orig, apiErr)
	assert.Equal(t, ErrPermissionGroupNotFound, apiErr.Code)
	assert.Equal(t, "req-1", apiErr.RequestID)
	assert.ErrorIs(t, err, ErrPermissionGroupNotFound)
	assert.NotErrorIs(t, err, ErrGroupNotFound)

	var code ErrorCode
	require.ErrorAs(t, err, &code, "the code itself is reachable")
	assert.Equal(t, ErrPermissionGroupNotFound, code)

	var te *TransportError
	assert.False(t, errors.As(err, &te))
}

func TestErrRateLimited(t *testing.T) {
	tests := []struct {
		code ErrorCode
		want bool
	}{
		{60007, true},
		{60011, true},
		{60018, true},
		{60019, true},
		{10006, true},
		{10002, false},
		{10010, false},
		{60008, false},
		{70001, false},
		{12345, false},
		{0, false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(int(tc.code)), func(t *testing.T) {
			assert.Equal(t, tc.want, errors.Is(tc.code, ErrRateLimited))
			assert.Equal(t, tc.want, errors.Is(&APIError{Command: "get_role_in_group", Code: tc.code}, ErrRateLimited))
			assert.Equal(t, tc.want, errors.Is(fmt.Errorf("wrapped: %w", &APIError{Code: tc.code}), ErrRateLimited))
		})
	}
	assert.False(t, errors.Is(ErrRateLimited, ErrRateLimitExceeded), "the class does not match a code")
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		code         ErrorCode
		retryable    bool
		needsNewSig  bool
		documentedAs string
	}{
		{10002, true, false, "internal error, try again"},
		{60007, true, false, "rate limit, with backoff"},
		{60008, true, false, "server timeout"},
		{60014, true, false, "account check timed out"},
		{70169, true, false, "internal timeout"},
		{70202, true, false, "internal error"},
		{70500, true, false, "internal error"},
		{110007, true, false, "permission-group deletion failed (retry)"},
		{70001, true, true, "UserSig expired: make a new one, then retry"},
		{70052, true, true, "UserSig invalidated: make a new one"},
		{10004, false, false, "invalid parameter"},
		{10010, false, false, "group not found"},
		{60010, false, false, "needs an app admin"},
		{70003, false, false, "UserSig invalid"},
		{12345, false, false, "undocumented"},
		{0, false, false, "success is no failure"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(int(tc.code)), func(t *testing.T) {
			assert.Equal(t, tc.retryable, tc.code.Retryable(), tc.documentedAs)
			assert.Equal(t, tc.retryable, (&APIError{Code: tc.code}).Retryable(), tc.documentedAs)
			assert.Equal(t, tc.needsNewSig, tc.code.NeedsNewUserSig(), tc.documentedAs)
		})
	}
}

func TestAPIErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"full", &APIError{Command: "get_role_in_group", Code: 10010, Info: "group not found"}, "tim: get_role_in_group: error 10010: group does not exist or was dissolved (group not found)"},
		{"no info", &APIError{Command: "get_role_in_group", Code: 10010}, "tim: get_role_in_group: error 10010: group does not exist or was dissolved"},
		{"no command", &APIError{Code: 10010, Info: "group not found"}, "tim: error 10010: group does not exist or was dissolved (group not found)"},
		{"unknown code", &APIError{Code: 12345}, "tim: error 12345"},
		{"unknown code with command and info", &APIError{Command: "get_permission_group", Code: 12345, Info: "what"}, "tim: get_permission_group: error 12345 (what)"},
		{"bare unknown code", ErrorCode(12345), "tim: error 12345"},
		{"bare known code", ErrGroupNotFound, "tim: error 10010: group does not exist or was dissolved"},
		{"negative code", ErrorCode(-1), "tim: error -1"},
		{"the SDK's own code for Result 0", ErrNotAdded, "tim: not added; the service gave no reason (Result 0)"},
		{"the SDK's own code for Result 3", &ItemError{Command: "add_group_member", Kind: "account", ID: "bob", Code: ErrAwaitingConfirmation},
			"tim: add_group_member: account bob: invited, awaiting the account's confirmation (Result 3)"},
		{"10025 as an API error", &APIError{Command: "create_topic", Code: 10025}, "tim: create_topic: error 10025: ID already in use by you"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}

	assert.ErrorIs(t, &APIError{Code: 10025}, ErrIDInUse, "10025 is an ID in use too")
	assert.ErrorIs(t, &APIError{Code: 10021}, ErrIDInUse)
	assert.NotErrorIs(t, &APIError{Code: 10021}, ErrIDInUseByYou, "only 10025 is the narrower one")
	assert.ErrorIs(t, &APIError{Code: 10023}, ErrRateLimited)
	assert.False(t, ErrNotAdded.Retryable())

	var unknown ErrorCode = 12345
	assert.ErrorIs(t, &APIError{Code: 12345}, unknown)
	assert.NotErrorIs(t, &APIError{Code: 12345}, ErrorCode(12346))
}

func TestItemError(t *testing.T) {
	assert.NoError(t, itemError("destroy_permission_group", "@PMG#_x", 0, "ignored"))

	err := itemError("destroy_permission_group", "@PMG#_x", ErrPermissionGroupNotFound, "no such group")
	var itemErr *ItemError
	require.ErrorAs(t, err, &itemErr)
	assert.Equal(t, &ItemError{Command: "destroy_permission_group", Kind: "permission group", ID: "@PMG#_x", Code: ErrPermissionGroupNotFound, Info: "no such group"}, itemErr)
	assert.ErrorIs(t, err, ErrPermissionGroupNotFound)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr), "an item's failure is not a failed request")
	assert.Equal(t, "tim: destroy_permission_group: permission group @PMG#_x: error 110006: permission group does not exist or was dissolved (no such group)", err.Error())

	// The server's text is left out when it says no more than the code's description.
	topic := itemError("add_topic_permission_group", "@TGS#_g@TOPIC#_x", ErrInvalidTopicID, "invalid topic ID")
	assert.Equal(t, "tim: add_topic_permission_group: topic @TGS#_g@TOPIC#_x: error 110013: invalid topic ID", topic.Error())
	assert.Equal(t, "tim: c: error 110013: invalid topic ID", (&APIError{Command: "c", Code: ErrInvalidTopicID, Info: "Invalid topic ID."}).Error())
}

func TestValidationError(t *testing.T) {
	err := invalid("get_permission_group", "Limit", "Limit", "must be at most 20")
	assert.Equal(t, "tim: get_permission_group: invalid Limit: must be at most 20", err.Error())
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.ErrorIs(t, fmt.Errorf("outer: %w", err), ErrInvalidRequest)
	assert.NotErrorIs(t, err, ErrBodyTooLarge)
	assert.NotErrorIs(t, err, ErrInvalidParameter)

	var ve *ValidationError
	require.ErrorAs(t, fmt.Errorf("outer: %w", err), &ve)
	assert.Equal(t, ValidationError{Command: "get_permission_group", Field: "Limit", Param: "Limit", Reason: "must be at most 20"}, *ve)

	assert.NotErrorIs(t, &APIError{Code: ErrInvalidParameter}, ErrInvalidRequest, "a server refusal is not a local validation error")
}

func TestTransportError(t *testing.T) {
	err := &TransportError{Command: "get_role_in_group", Err: context.DeadlineExceeded}
	assert.Equal(t, "tim: get_role_in_group: transport: context deadline exceeded", err.Error())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, fmt.Errorf("outer: %w", err), context.DeadlineExceeded)
	assert.NotErrorIs(t, err, context.Canceled)
	assert.Equal(t, context.DeadlineExceeded, errors.Unwrap(err))

	var te *TransportError
	require.ErrorAs(t, fmt.Errorf("outer: %w", err), &te)
	assert.Equal(t, "get_role_in_group", te.Command)

	cause := errors.New("connection refused")
	assert.ErrorIs(t, &TransportError{Command: "x", Err: fmt.Errorf("dial: %w", cause)}, cause)
}

func TestHTTPError(t *testing.T) {
	tests := []struct {
		status    int
		retryable bool
	}{
		{502, true},
		{500, true},
		{503, true},
		{504, true},
		{429, true},
		{404, false},
		{400, false},
		{403, false},
		{301, false},
		{499, false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			err := &HTTPError{Command: "get_permission_group", StatusCode: tc.status, ContentType: "text/html"}
			assert.Equal(t, tc.retryable, err.Retryable())
			assert.Equal(t, fmt.Sprintf("tim: get_permission_group: unexpected HTTP status %d", tc.status), err.Error())
		})
	}

	var he *HTTPError
	require.ErrorAs(t, fmt.Errorf("outer: %w", &HTTPError{Command: "c", StatusCode: 502}), &he)
	assert.Equal(t, 502, he.StatusCode)
}

func TestDecodeError(t *testing.T) {
	tooLarge := &DecodeError{Command: "get_permission_group", Err: fmt.Errorf("%w: more than 4194304 bytes", ErrBodyTooLarge)}
	assert.Equal(t, "tim: get_permission_group: malformed response: tim: response body too large: more than 4194304 bytes", tooLarge.Error())
	assert.ErrorIs(t, tooLarge, ErrBodyTooLarge)
	assert.ErrorIs(t, fmt.Errorf("outer: %w", tooLarge), ErrBodyTooLarge)

	truncated := &DecodeError{Command: "get_role_in_group", Err: io.ErrUnexpectedEOF}
	assert.Equal(t, "tim: get_role_in_group: malformed response: unexpected EOF", truncated.Error())
	assert.ErrorIs(t, truncated, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, truncated, ErrBodyTooLarge)
	assert.Same(t, io.ErrUnexpectedEOF, errors.Unwrap(truncated))

	var de *DecodeError
	require.ErrorAs(t, fmt.Errorf("outer: %w", truncated), &de)
	assert.Equal(t, "get_role_in_group", de.Command)
}

func TestErrorCodeFormat(t *testing.T) {
	assert.Equal(t, "0", fmt.Sprint(ErrorCode(0)))
	assert.Equal(t, "10010", fmt.Sprintf("%d", ErrGroupNotFound))
	assert.Equal(t, "tim: error 10010: group does not exist or was dissolved", fmt.Sprintf("%v", ErrGroupNotFound))
	assert.Equal(t, "{ErrorCode:0 ErrorInfo:}", fmt.Sprintf("%+v", struct {
		ErrorCode ErrorCode
		ErrorInfo string
	}{}))
}

func TestHTTP429IsARateLimit(t *testing.T) {
	assert.ErrorIs(t, &HTTPError{StatusCode: 429}, ErrRateLimited)
	assert.NotErrorIs(t, &HTTPError{StatusCode: 502}, ErrRateLimited)
}
