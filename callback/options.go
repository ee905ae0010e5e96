package callback

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Option configures a [Handler]. Handler options (On...) may be given more
// than once, for the same event too: every function given is called, in
// the order given.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options set.
type config struct {
	now       func() time.Time
	tolerance time.Duration
	maxBody   int64
	insecure  bool
	after     map[string][]func(context.Context, Event) error // by CallbackCommand
	before    []func(context.Context, *BeforeCreateTopic) (Decision, error)
	other     []func(context.Context, *Meta) error
	every     []func(context.Context, Event) error
	onError   []func(context.Context, error)
	err       error // the first bad option
}

// fail records the first bad option.
func (c *config) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%w: "+format, append([]any{ErrNotConfigured}, args...)...)
	}
}

// WithClock sets the clock RequestTime is checked against (default
// time.Now). A nil clock is a configuration error ([Handler.Err]).
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now == nil {
			c.fail("WithClock(nil)")
			return
		}
		c.now = now
	})
}

// WithTolerance sets how far RequestTime may be from the clock, either way
// (default [DefaultTolerance], the documented minute). A wider window lets a
// captured callback be replayed for longer. d must be positive.
func WithTolerance(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			c.fail("WithTolerance(%v): must be positive", d)
			return
		}
		c.tolerance = d
	})
}

// WithMaxBodyBytes bounds a callback's body (default [DefaultMaxBodyBytes],
// 1 MiB); a longer one is answered 413. n must be positive and below
// math.MaxInt64 (one byte more is read to tell a body of n bytes from a
// longer one).
func WithMaxBodyBytes(n int64) Option {
	return optionFunc(func(c *config) {
		if n <= 0 || n == math.MaxInt64 {
			c.fail("WithMaxBodyBytes(%d): must be positive and below math.MaxInt64", n)
			return
		}
		c.maxBody = n
	})
}

// InsecureSkipSignCheck accepts callbacks without a Sign, as the service
// sends them when the console's callback authentication (开启鉴权) is off.
// It takes effect only with an empty token: a Handler given a token checks
// every Sign whatever the options. Without a Sign anyone who can reach the
// URL and knows the app ID can post events; the SdkAppid, method, size and
// JSON checks still apply.
func InsecureSkipSignCheck() Option { return optionFunc(func(c *config) { c.insecure = true }) }

// OnError is called with the reason for each refused callback (an error
// matching one of the Err... values), each handler error ([*HandlerError])
// and each recovered panic ([*PanicError]), with the request's context.
// Errors never hold the token or a Sign. By default errors are dropped:
// the caller still gets the status.
func OnError(fn func(ctx context.Context, err error)) Option {
	return optionFunc(func(c *config) {
		if fn == nil {
			c.fail("OnError(nil)")
			return
		}
		c.onError = append(c.onError, fn)
	})
}

// OnEvent is called with every verified callback, typed or not, after the
// handlers for its command: a *AfterCreateTopic, ..., a *Meta for a command
// without a type. It is the hook for code that follows many events, such as
// a cache that refreshes on topic and member changes:
// callback.OnEvent(live.HandleCallback) keeps a community.Live fresh. Its
// error counts as a handler's.
func OnEvent(fn func(ctx context.Context, e Event) error) Option {
	return optionFunc(func(c *config) {
		if fn == nil {
			c.fail("OnEvent(nil)")
			return
		}
		c.every = append(c.every, fn)
	})
}

// OnOther is called with each verified callback whose command this package
// has no type for (Group.CallbackAfterSendMsg, State.StateChange, ...): its
// query fields and raw JSON body. Without it such callbacks are answered OK.
// An error answers the FAIL envelope, which for a before-event of those
// commands the service may take as a refusal.
func OnOther(fn func(ctx context.Context, m *Meta) error) Option {
	return optionFunc(func(c *config) {
		if fn == nil {
			c.fail("OnOther(nil)")
			return
		}
		c.other = append(c.other, fn)
	})
}

// OnBeforeCreateTopic is asked before a topic is created (by a client or
// by REST create_topic), and its [Decision] is the answer: the zero
// Decision allows. The functions are asked in order until one denies. An
// error denies too (ErrorCode 1, so the caller gets 10016): what the
// service does with a failed before-callback is not documented, and a
// denial is the one answer whose effect is.
func OnBeforeCreateTopic(fn func(ctx context.Context, e *BeforeCreateTopic) (Decision, error)) Option {
	return optionFunc(func(c *config) {
		if fn == nil {
			c.fail("OnBeforeCreateTopic(nil)")
			return
		}
		c.before = append(c.before, fn)
	})
}

// on registers fn for the after-event command, whose events are P.
func on[P Event](name, command string, fn func(context.Context, P) error) Option {
	return optionFunc(func(c *config) {
		if fn == nil {
			c.fail("%s(nil)", name)
			return
		}
		c.after[command] = append(c.after[command], func(ctx context.Context, e Event) error { return fn(ctx, e.(P)) })
	})
}

// OnAfterCreateTopic is called after a topic is created
// (Group.CallbackAfterCreateTopic). The service ignores the answer.
func OnAfterCreateTopic(fn func(ctx context.Context, e *AfterCreateTopic) error) Option {
	return on("OnAfterCreateTopic", CommandAfterCreateTopic, fn)
}

// OnAfterTopicDestroyed is called after topics are destroyed
// (Group.CallbackAfterTopicDestroyed). The service ignores the answer.
func OnAfterTopicDestroyed(fn func(ctx context.Context, e *AfterTopicDestroyed) error) Option {
	return on("OnAfterTopicDestroyed", CommandAfterTopicDestroyed, fn)
}

// OnAfterTopicInfoChanged is called after a topic's name, introduction,
// notification or face URL changed (Group.CallbackAfterTopicInfoChanged).
// The documented body does not say which topic: see [AfterTopicInfoChanged].
func OnAfterTopicInfoChanged(fn func(ctx context.Context, e *AfterTopicInfoChanged) error) Option {
	return on("OnAfterTopicInfoChanged", CommandAfterTopicInfoChanged, fn)
}

// OnAfterNewMemberJoin is called after accounts joined a group, by request,
// invitation or REST add_group_member (Group.CallbackAfterNewMemberJoin).
func OnAfterNewMemberJoin(fn func(ctx context.Context, e *AfterNewMemberJoin) error) Option {
	return on("OnAfterNewMemberJoin", CommandAfterNewMemberJoin, fn)
}

// OnAfterMemberExit is called after accounts left a group, by quitting,
// being kicked or REST delete_group_member (Group.CallbackAfterMemberExit).
func OnAfterMemberExit(fn func(ctx context.Context, e *AfterMemberExit) error) Option {
	return on("OnAfterMemberExit", CommandAfterMemberExit, fn)
}

// OnAfterMemberFieldChanged is called after a member's role or name card
// changed (Group.CallbackAfterMemberFieldChanged).
func OnAfterMemberFieldChanged(fn func(ctx context.Context, e *AfterMemberFieldChanged) error) Option {
	return on("OnAfterMemberFieldChanged", CommandAfterMemberFieldChanged, fn)
}

// OnAfterGroupInfoChanged is called after a group's name, introduction,
// notification or face URL changed (Group.CallbackAfterGroupInfoChanged).
func OnAfterGroupInfoChanged(fn func(ctx context.Context, e *AfterGroupInfoChanged) error) Option {
	return on("OnAfterGroupInfoChanged", CommandAfterGroupInfoChanged, fn)
}

// OnRequestOverLimit is called when a REST command's call rate passes 80% of
// its limit (Alert.RequestOverLimit; on as soon as a callback URL is set).
func OnRequestOverLimit(fn func(ctx context.Context, e *RequestOverLimit) error) Option {
	return on("OnRequestOverLimit", CommandRequestOverLimit, fn)
}

// errNoToken is the configuration error of an empty token without
// InsecureSkipSignCheck.
var errNoToken = errors.New("an empty token: give the console's callback token, or InsecureSkipSignCheck() if authentication is off")
