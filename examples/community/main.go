// Command community runs a community's day one with the SDK: it creates
// topics, adds members, makes a permission group that grants permissions
// in those topics, and receives the callbacks the service sends about all
// of it, verified by a callback.Handler.
//
//	go run ./examples/community
//
// It runs against the SDK's in-memory fake service (package timtest), which
// sends signed callbacks (timtest.WithCallback) to a handler this program
// serves on loopback. Against a real app the same handler is mounted at the
// callback URL set in the console, with the console's callback token; see
// the README's "Callbacks" section.
//
// What it shows:
//   - a before-create-topic callback that refuses a topic, and how the REST
//     caller sees the refusal (errors.Is(err, tim.ErrCallbackDenied));
//   - add_group_member's per-account results (added, already a member);
//   - the after-event callbacks arriving once their REST calls have been
//     answered, in order.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
	"github.com/timkit/tim/timtest"
)

// The community the example works on, and the callback token the fake and
// the handler share (in a real app: the console's token, from a secret
// store).
const (
	communityID   = "@TGS#_@TGS#cV6IHIIM62C4"
	owner         = "olga"
	callbackToken = "example-callback-token"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "community:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	events := &eventLog{}
	app := httptest.NewServer(newCallbackHandler(events))
	defer app.Close()

	srv := timtest.NewServer(timtest.WithCallback(app.URL, callbackToken))
	defer srv.Close()
	if err := srv.CreateCommunity(communityID, owner); err != nil {
		return err
	}
	client, err := srv.NewClient()
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Fprintf(w, "Community %s, owned by %s, on the embedded fake service.\n", communityID, owner)

	topics, err := createTopics(ctx, w, client)
	if err != nil {
		return err
	}
	if err := addMembers(ctx, w, client); err != nil {
		return err
	}
	if err := grant(ctx, w, client, topics); err != nil {
		return err
	}
	if err := listTopics(ctx, w, client); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nRemoving bob from the community:")
	if _, err := client.DeleteGroupMembers(ctx, &tim.DeleteGroupMembersRequest{GroupID: communityID, Accounts: []string{"bob"}, Reason: "left the team"}); err != nil {
		return fmt.Errorf("delete member: %w", err)
	}
	fmt.Fprintln(w, "  bob: removed")

	// The fake sends each callback once its REST call has been answered,
	// one at a time; wait for them before reading the log.
	if err := srv.WaitCallbacks(ctx); err != nil {
		return fmt.Errorf("callbacks: %w", err)
	}
	fmt.Fprintln(w, "\nCallbacks the handler verified, in the order they came:")
	for _, line := range events.lines() {
		fmt.Fprintln(w, "  "+line)
	}
	fmt.Fprintln(w, "\nDone.")
	return nil
}

// newCallbackHandler verifies every callback (method, SdkAppid, Sign,
// RequestTime window) before it reaches the functions below, which log
// what they get. A topic whose name contains "spam" is refused.
func newCallbackHandler(events *eventLog) *callback.Handler {
	return callback.NewHandler(timtest.DefaultSDKAppID, callbackToken,
		callback.OnBeforeCreateTopic(func(_ context.Context, e *callback.BeforeCreateTopic) (callback.Decision, error) {
			deny := strings.Contains(strings.ToLower(e.Name), "spam")
			events.add("before create topic %q by %s: deny=%t", e.Name, e.Operator, deny)
			return callback.Decision{Deny: deny}, nil
		}),
		callback.OnAfterCreateTopic(func(_ context.Context, e *callback.AfterCreateTopic) error {
			events.add("topic created: %s %q", short(e.TopicID), e.Name)
			return nil
		}),
		callback.OnAfterNewMemberJoin(func(_ context.Context, e *callback.AfterNewMemberJoin) error {
			events.add("members joined (%s): %s", e.JoinType, strings.Join(e.Accounts, ", "))
			return nil
		}),
		callback.OnAfterMemberExit(func(_ context.Context, e *callback.AfterMemberExit) error {
			events.add("members left (%s): %s", e.ExitType, strings.Join(e.Accounts, ", "))
			return nil
		}),
		callback.OnError(func(_ context.Context, err error) {
			events.add("refused or failed: %v", err)
		}),
	)
}

// createTopics creates two topics with custom IDs and tries a third that
// the app's before-create-topic callback refuses.
func createTopics(ctx context.Context, w io.Writer, c *tim.Client) ([]string, error) {
	fmt.Fprintln(w, "\nCreating topics:")
	var ids []string
	for _, t := range []struct{ suffix, name string }{{"announcements", "Announcements"}, {"general", "General"}} {
		id, err := c.CreateTopic(ctx, &tim.CreateTopicRequest{
			GroupID: communityID, TopicID: communityID + tim.TopicIDInfix + t.suffix, Name: t.name,
		})
		if err != nil {
			return nil, fmt.Errorf("create topic %s: %w", t.suffix, err)
		}
		ids = append(ids, id)
		fmt.Fprintf(w, "  %s: created\n", short(id))
	}
	_, err := c.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: communityID, Name: "Free spam"})
	if !errors.Is(err, tim.ErrCallbackDenied) {
		return nil, fmt.Errorf("create topic \"Free spam\": got %w, want the callback's refusal", err)
	}
	fmt.Fprintf(w, "  \"Free spam\": refused by the app's callback (errors.Is(err, tim.ErrCallbackDenied))\n")
	return ids, nil
}

// addMembers adds three accounts to the community, then one of them again,
// and prints each account's result.
func addMembers(ctx context.Context, w io.Writer, c *tim.Client) error {
	fmt.Fprintln(w, "\nAdding members:")
	for _, accounts := range [][]string{{"alice", "bob", "carol"}, {"alice"}} {
		results, err := c.AddGroupMembers(ctx, &tim.AddGroupMembersRequest{GroupID: communityID, Accounts: accounts})
		if err != nil {
			return fmt.Errorf("add members: %w", err)
		}
		for _, r := range results {
			switch err := r.Err(); {
			case err == nil:
				fmt.Fprintf(w, "  %s: added\n", r.ID)
			case errors.Is(err, tim.ErrAlreadyMember):
				fmt.Fprintf(w, "  %s: already a member (errors.Is(err, tim.ErrAlreadyMember))\n", r.ID)
			default:
				fmt.Fprintf(w, "  %s: %v\n", r.ID, err)
			}
		}
	}
	return nil
}

// grant creates a permission group of moderators that may send, mute and
// recall in every topic given, and puts alice in it.
func grant(ctx context.Context, w io.Writer, c *tim.Client, topics []string) error {
	fmt.Fprintln(w, "\nGranting:")
	pg, err := c.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{
		GroupID: communityID, PermissionGroupID: tim.PermissionGroupIDPrefix + "moderators", Name: "Moderators",
		Permission: tim.GroupPermSendMessage,
	})
	if err != nil {
		return fmt.Errorf("create permission group: %w", err)
	}
	perm := tim.TopicPermSendMessage | tim.TopicPermMuteMembers | tim.TopicPermRecallMessages
	settings := make([]tim.TopicPermissionSetting, len(topics))
	for i, id := range topics {
		settings[i] = tim.TopicPermissionSetting{TopicID: id, Permission: perm}
	}
	results, err := c.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: communityID, PermissionGroupID: pg, Topics: settings})
	if err != nil {
		return fmt.Errorf("grant topics: %w", err)
	}
	for _, r := range results {
		if err := r.Err(); err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s in %s: %s\n", pg, short(r.ID), perm)
	}
	if err := c.AddPermissionGroupMember(ctx, communityID, pg, "alice"); err != nil {
		return fmt.Errorf("add alice to %s: %w", pg, err)
	}
	fmt.Fprintf(w, "  alice: in %s\n", pg)
	return nil
}

// listTopics reads the community's topics back.
func listTopics(ctx context.Context, w io.Writer, c *tim.Client) error {
	topics, err := c.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: communityID})
	if err != nil {
		return fmt.Errorf("get topics: %w", err)
	}
	fmt.Fprintf(w, "\nTopics of %s:\n", communityID)
	for _, t := range topics {
		if err := t.Err(); err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s %q\n", short(t.ID), t.Name)
	}
	return nil
}

// short drops the community's ID from a topic ID, for display.
func short(topicID string) string { return strings.TrimPrefix(topicID, communityID) }

// eventLog collects what the callback handler saw; the handler runs on the
// HTTP server's goroutines.
type eventLog struct {
	mu  sync.Mutex
	got []string
}

func (l *eventLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, fmt.Sprintf(format, args...))
}

func (l *eventLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}
