package tim

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// communityCodes is every code API-community.md §F lists as missing, with
// its constant, its description and its retry class (the "retry?" column:
// 10023 is a rate limit; 110002's is not stated, and is not retried).
var communityCodes = []struct {
	code  int
	c     ErrorCode
	text  string
	retry bool
}{
	{10008, ErrRequestSignatureInvalid, "invalid request signature", false},
	{10009, ErrOwnerCannotLeave, "the group owner may not leave", false},
	{10014, ErrGroupFull, "group is full", false},
	{10017, ErrSenderMuted, "sender is muted", false},
	{10023, ErrMessageRateLimited, "group message rate limit", true},
	{10024, ErrAlreadyProcessed, "already processed", false},
	{10025, ErrIDInUseByYou, "ID already in use by you", false},
	{10036, ErrAVChatRoomLimit, "AVChatRoom count limit reached", false},
	{10037, ErrGroupCountLimit, "group or topic count limit reached", false},
	{10038, ErrMemberCountLimit, "member count limit reached", false},
	{10058, ErrTrialGroupLimit, "Trial Edition group limit reached", false},
	{110002, ErrTopicDestroyFailed, "destroying the topic failed", false},
	{110003, ErrTopicNotFound, "topic was destroyed or does not exist", false},
	{80001, ErrContentRejected, "content failed the security check", false},
	{80002, ErrMessageTooLarge, "message body exceeds 12 KB", false},
	{80005, ErrSecurityCheckTimeout, "security check timed out, or service deactivated", false},
	{60027, ErrNonTPushResource, "access to non-TPush resources not allowed", false},
}

func TestCommunityErrorCodes(t *testing.T) {
	for _, tc := range communityCodes {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			assert.Equal(t, tc.code, int(tc.c))
			assert.Equal(t, fmt.Sprintf("tim: error %d: %s", tc.code, tc.text), tc.c.Error())
			err := &APIError{Command: "create_topic", Code: ErrorCode(tc.code)}
			assert.ErrorIs(t, err, tc.c)
			assert.NotErrorIs(t, err, ErrGroupNotFound)
			assert.Equal(t, tc.retry, tc.c.Retryable())
			assert.Equal(t, tc.retry, errors.Is(err, ErrRateLimited), "the one retryable code is a rate limit")
			assert.False(t, MayHaveApplied(err), "every one is a refusal before acting")
			assert.Equal(t, tc.retry, retryReasonFor(routeOf(CommandCreateTopic), err, false) == retryRateLimited)
		})
	}
}

// A custom topic ID in use: create_topic's page gives 10025, import_topic's
// 10021. Both match ErrIDInUse; neither matches a code it is not.
func TestIDInUseCodes(t *testing.T) {
	for _, code := range []ErrorCode{10021, 10025} {
		err := fmt.Errorf("wrapped: %w", &APIError{Command: "create_topic", Code: code})
		assert.ErrorIs(t, err, ErrIDInUse, "%d", code)
		assert.NotErrorIs(t, err, ErrRateLimited, "%d", code)
		assert.NotErrorIs(t, err, ErrInvalidParameter, "%d", code)
	}
	assert.NotErrorIs(t, &APIError{Code: 10024}, ErrIDInUse)
	assert.NotErrorIs(t, ErrIDInUse, ErrIDInUseByYou, "the narrower code does not match the wider one")
}
