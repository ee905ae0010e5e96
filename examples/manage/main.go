// Command manage walks a permission group through its whole life with the
// SDK's write calls: it creates one, grants it permissions in topics, adds
// members, reads everything back, modifies it, changes and deletes a topic
// permission, removes a member, and finally destroys it. Every step prints
// what it did, including the per-item failures the service reports (an
// unknown topic, an account already in the group) and how to tell them apart
// with errors.Is.
//
// With no configuration it starts the SDK's in-memory fake service
// (package timtest), seeds a community with members and topics, and calls it:
//
//	go run ./examples/manage
//
// To run it against a real app instead, set all of:
//
//	TIM_SDKAPPID             the app's SDKAppID
//	TIM_SECRET_KEY           the app's secret key
//	TIM_ADMIN                an app admin account
//	TIM_REGION or TIM_BASE_URL  a region name (china, singapore, ...) or a base URL
//	TIM_GROUP_ID             a community's GroupId
//	TIM_ACCOUNTS             comma-separated members of the community to put in the group
//	TIM_TOPIC_IDS            comma-separated topics of the community to grant permissions in
//
// Against a real app it creates a permission group named "Moderators
// (tim example)" in that community and destroys it at the end, also when a
// step fails. The members and topics themselves are not changed. It exits
// non-zero with a message on any unexpected failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/exampleenv"
	"github.com/timkit/tim/timtest"
)

// The permission group the example creates, and what it changes it to.
const (
	groupName       = "Moderators (tim example)"
	groupCustom     = `{"team":"trust-and-safety"}`
	groupPermission = tim.GroupPermSendMessage | tim.GroupPermMuteMembers

	newGroupName       = "Senior moderators (tim example)"
	newGroupPermission = tim.GroupPermSendMessage | tim.GroupPermMuteMembers | tim.GroupPermBanMembers

	topicPermission    = tim.TopicPermSendMessage | tim.TopicPermReadHistory
	newTopicPermission = tim.TopicPermSendMessage | tim.TopicPermReadHistory | tim.TopicPermMuteMembers | tim.TopicPermRecallMessages
)

// target is what the example works on.
type target struct {
	client   *tim.Client
	groupID  string   // the community
	accounts []string // community members to put in the permission group
	topicIDs []string // topics of the community
}

// manager runs the steps and prints what they do.
type manager struct {
	target
	w    io.Writer
	step int
	pgID string // the permission group, once created
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "manage:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	t, cleanup, err := configure(w)
	if err != nil {
		return err
	}
	defer cleanup()
	defer t.client.Close() // its idle connections; before cleanup stops the fake
	m := &manager{target: *t, w: w}

	if err := m.create(ctx); err != nil {
		return err
	}
	if err := m.manage(ctx); err != nil {
		m.destroyAfterFailure(ctx)
		return err
	}
	if err := m.destroy(ctx); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nDone.")
	return nil
}

// manage runs the steps between creating and destroying the permission group.
func (m *manager) manage(ctx context.Context) error {
	steps := []func(context.Context) error{
		m.grantTopicPermissions,
		m.addMembers,
		m.readBack,
		m.modify,
		m.changeTopicPermission,
		m.deleteTopicPermission,
		m.removeMember,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// title prints the heading of the next step.
func (m *manager) title(s string) {
	m.step++
	fmt.Fprintf(m.w, "\n%d. %s\n", m.step, s)
}

// create makes the permission group and lets the server choose its ID.
func (m *manager) create(ctx context.Context) error {
	m.title("Create a permission group (CreatePermissionGroup; the server makes the ID)")
	id, err := m.client.CreatePermissionGroup(ctx, &tim.CreatePermissionGroupRequest{
		GroupID:      m.groupID,
		Name:         groupName,
		Permission:   groupPermission,
		CustomString: groupCustom,
	})
	if err != nil {
		return fmt.Errorf("create permission group: %w", err)
	}
	m.pgID = id
	fmt.Fprintf(m.w, "  created %s %q %s\n", id, groupName, groupPermission)
	return nil
}

// grantTopicPermissions gives the group a permission in every topic, and in
// one topic that does not exist, to show a per-item failure.
func (m *manager) grantTopicPermissions(ctx context.Context) error {
	m.title("Grant topic permissions (AddTopicPermissions)")
	var settings []tim.TopicPermissionSetting
	for _, topic := range m.topicIDs {
		settings = append(settings, tim.TopicPermissionSetting{TopicID: topic, Permission: topicPermission})
	}
	unknown := m.groupID + "@TOPIC#_no-such-topic"
	settings = append(settings, tim.TopicPermissionSetting{TopicID: unknown, Permission: topicPermission})
	results, err := m.client.AddTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: m.groupID, PermissionGroupID: m.pgID, Topics: settings})
	if err != nil {
		return fmt.Errorf("add topic permissions: %w", err)
	}
	// The call succeeded; each topic has its own result.
	for _, r := range results {
		err := r.Err()
		switch {
		case err == nil:
			fmt.Fprintf(m.w, "  %s: granted %s\n", r.ID, topicPermission)
		case r.ID == unknown:
			fmt.Fprintf(m.w, "  %s: refused, as expected: %v\n", r.ID, err)
			fmt.Fprintf(m.w, "    errors.Is(err, tim.ErrInvalidTopicID) = %t\n", errors.Is(err, tim.ErrInvalidTopicID))
		default:
			return fmt.Errorf("add topic permission in %s: %w", r.ID, err)
		}
	}
	return nil
}

// addMembers puts the accounts into the group, then adds the first one again
// to show that an account already in it is told apart with errors.Is.
func (m *manager) addMembers(ctx context.Context) error {
	m.title("Add members (AddPermissionGroupMembers)")
	if err := m.add(ctx, m.accounts); err != nil {
		return err
	}
	fmt.Fprintf(m.w, "  adding %s again:\n", m.accounts[0])
	return m.add(ctx, m.accounts[:1])
}

// add puts accounts into the group; one that is already in it is fine.
func (m *manager) add(ctx context.Context, accounts []string) error {
	results, err := m.client.AddPermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: m.groupID, PermissionGroupID: m.pgID, Accounts: accounts})
	if err != nil {
		return fmt.Errorf("add members: %w", err)
	}
	for _, r := range results {
		switch err := r.Err(); {
		case err == nil:
			fmt.Fprintf(m.w, "  %s: added\n", r.ID)
		case errors.Is(err, tim.ErrAlreadyMember):
			fmt.Fprintf(m.w, "  %s: already in the group (errors.Is(err, tim.ErrAlreadyMember)): nothing to do\n", r.ID)
		default:
			return fmt.Errorf("add %s: %w", r.ID, err)
		}
	}
	return nil
}

// readBack reads the group, its topic permissions and its members through
// the read endpoints.
func (m *manager) readBack(ctx context.Context) error {
	m.title("Read it back (GetPermissionGroups, GetTopicPermissions, AllPermissionGroupMembers)")
	g, err := m.getGroup(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.w, "  group:   %s %q members=%d %s custom=%s\n", g.ID, g.Name, g.MemberCount, g.Permission, g.CustomString)
	if err := m.printTopicPermissions(ctx); err != nil {
		return err
	}
	return m.printMembers(ctx)
}

// getGroup reads the permission group by its ID.
func (m *manager) getGroup(ctx context.Context) (tim.PermissionGroup, error) {
	page, err := m.client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{
		GroupID:            m.groupID,
		PermissionGroupIDs: []string{m.pgID},
	})
	if err != nil {
		return tim.PermissionGroup{}, fmt.Errorf("get permission group: %w", err)
	}
	if len(page.PermissionGroups) != 1 {
		return tim.PermissionGroup{}, fmt.Errorf("get permission group: got %d results for one ID", len(page.PermissionGroups))
	}
	g := page.PermissionGroups[0]
	if err := g.Err(); err != nil { // a per-item failure
		return tim.PermissionGroup{}, fmt.Errorf("get permission group %s: %w", m.pgID, err)
	}
	return g, nil
}

func (m *manager) printTopicPermissions(ctx context.Context) error {
	perms, err := m.client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{
		GroupID:           m.groupID,
		PermissionGroupID: m.pgID,
		TopicIDs:          m.topicIDs,
	})
	if err != nil {
		return fmt.Errorf("get topic permissions: %w", err)
	}
	for _, p := range perms {
		if err := p.Err(); err != nil {
			fmt.Fprintf(m.w, "  topic:   %s: %v\n", p.TopicID, err)
			continue
		}
		fmt.Fprintf(m.w, "  topic:   %s: %s\n", p.TopicID, p.Permission)
	}
	return nil
}

func (m *manager) printMembers(ctx context.Context) error {
	req := &tim.GetPermissionGroupMembersRequest{GroupID: m.groupID, PermissionGroupID: m.pgID}
	for member, err := range m.client.AllPermissionGroupMembers(ctx, req) {
		if err != nil {
			return fmt.Errorf("list members: %w", err)
		}
		if member.Role == "" { // the service may leave the profile out
			fmt.Fprintf(m.w, "  member:  %s\n", member.Account)
			continue
		}
		fmt.Fprintf(m.w, "  member:  %s (%s in the community)\n", member.Account, member.Role)
	}
	return nil
}

// modify changes the name and the permission only; tim.Ptr makes the
// pointers, and the CustomString left nil keeps its value.
func (m *manager) modify(ctx context.Context) error {
	m.title("Modify the name and permission (ModifyPermissionGroup with tim.Ptr)")
	err := m.client.ModifyPermissionGroup(ctx, &tim.ModifyPermissionGroupRequest{
		GroupID:           m.groupID,
		PermissionGroupID: m.pgID,
		Name:              tim.Ptr(newGroupName),
		Permission:        tim.Ptr(newGroupPermission),
		// CustomString: nil, so it is not sent and keeps its value.
	})
	if err != nil {
		return fmt.Errorf("modify permission group: %w", err)
	}
	g, err := m.getGroup(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.w, "  now:     %q %s\n", g.Name, g.Permission)
	if g.CustomString != groupCustom {
		return fmt.Errorf("CustomString changed to %q; want %q", g.CustomString, groupCustom)
	}
	fmt.Fprintf(m.w, "  custom:  %s (unchanged)\n", g.CustomString)
	return nil
}

// changeTopicPermission changes the permission in the first topic.
func (m *manager) changeTopicPermission(ctx context.Context) error {
	m.title("Change a topic permission (SetTopicPermissions)")
	topic := m.topicIDs[0]
	results, err := m.client.SetTopicPermissions(ctx, &tim.TopicPermissionsRequest{GroupID: m.groupID, PermissionGroupID: m.pgID, Topics: []tim.TopicPermissionSetting{
		{TopicID: topic, Permission: newTopicPermission},
	}})

	if err != nil {
		return fmt.Errorf("set topic permissions: %w", err)
	}
	if err := results[0].Err(); err != nil {
		return fmt.Errorf("set topic permission in %s: %w", topic, err)
	}
	fmt.Fprintf(m.w, "  %s: now %s\n", topic, newTopicPermission)
	return m.printTopicPermissions(ctx)
}

// deleteTopicPermission removes the permission in the last topic.
func (m *manager) deleteTopicPermission(ctx context.Context) error {
	m.title("Delete a topic permission (DeleteTopicPermissions)")
	topic := m.topicIDs[len(m.topicIDs)-1]
	results, err := m.client.DeleteTopicPermissions(ctx, &tim.DeleteTopicPermissionsRequest{GroupID: m.groupID, PermissionGroupID: m.pgID, TopicIDs: []string{topic}})
	if err != nil {
		return fmt.Errorf("delete topic permissions: %w", err)
	}
	if err := results[0].Err(); err != nil {
		return fmt.Errorf("delete topic permission in %s: %w", topic, err)
	}
	fmt.Fprintf(m.w, "  %s: deleted\n", topic)
	return m.printTopicPermissions(ctx)
}

// removeMember takes the first account out of the group.
func (m *manager) removeMember(ctx context.Context) error {
	m.title("Remove a member (DeletePermissionGroupMembers)")
	account := m.accounts[0]
	results, err := m.client.DeletePermissionGroupMembers(ctx, &tim.PermissionGroupMembersRequest{GroupID: m.groupID, PermissionGroupID: m.pgID, Accounts: []string{account}})
	if err != nil {
		return fmt.Errorf("delete members: %w", err)
	}
	if err := results[0].Err(); err != nil {
		return fmt.Errorf("delete %s: %w", account, err)
	}
	fmt.Fprintf(m.w, "  %s: removed\n", account)
	return m.printMembers(ctx)
}

// destroy destroys the group and shows that reading it now fails for that
// item with ErrPermissionGroupNotFound.
func (m *manager) destroy(ctx context.Context) error {
	m.title("Destroy the permission group (DestroyPermissionGroups)")
	results, err := m.client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: m.groupID, PermissionGroupIDs: []string{m.pgID}})
	if err != nil {
		return fmt.Errorf("destroy permission group: %w", err)
	}
	if err := results[0].Err(); err != nil {
		return fmt.Errorf("destroy permission group %s: %w", m.pgID, err)
	}
	fmt.Fprintf(m.w, "  %s: destroyed\n", m.pgID)

	// Reading it now succeeds as a call, with a per-item failure.
	page, err := m.client.GetPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{
		GroupID:            m.groupID,
		PermissionGroupIDs: []string{m.pgID},
	})
	if err != nil {
		return fmt.Errorf("get permission group: %w", err)
	}
	for _, g := range page.PermissionGroups {
		err := g.Err()
		if !errors.Is(err, tim.ErrPermissionGroupNotFound) {
			return fmt.Errorf("reading destroyed group %s: want ErrPermissionGroupNotFound, got %w", g.ID, err)
		}
		fmt.Fprintf(m.w, "  reading it now: %s: %v\n", g.ID, err)
		fmt.Fprintf(m.w, "    errors.Is(err, tim.ErrPermissionGroupNotFound) = true\n")
	}
	return nil
}

// destroyAfterFailure destroys the group after a failed step, so that a
// real app is not left with a half-configured one.
func (m *manager) destroyAfterFailure(ctx context.Context) {
	// A context of its own: the step may have failed because ctx ran out.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	results, err := m.client.DestroyPermissionGroups(ctx, &tim.DestroyPermissionGroupsRequest{GroupID: m.groupID, PermissionGroupIDs: []string{m.pgID}})
	if err == nil {
		err = results[0].Err()
	}
	if err != nil {
		fmt.Fprintf(m.w, "\nCould not destroy %s after the failure: %v\n", m.pgID, err)
		return
	}
	fmt.Fprintf(m.w, "\nDestroyed %s after the failure.\n", m.pgID)
}

// configure builds the target from TIM_* variables, or from a seeded fake
// when none is set.
func configure(w io.Writer) (*target, func(), error) {
	client, err := exampleenv.Client("TIM_GROUP_ID", "TIM_ACCOUNTS", "TIM_TOPIC_IDS")
	switch {
	case err != nil:
		return nil, nil, err
	case client == nil: // no TIM_* variable is set
		return fakeTarget(w)
	}
	accounts := exampleenv.List("TIM_ACCOUNTS")
	if len(accounts) == 0 {
		return nil, nil, errors.New("TIM_ACCOUNTS names no account")
	}
	topicIDs := exampleenv.List("TIM_TOPIC_IDS")
	if len(topicIDs) == 0 {
		return nil, nil, errors.New("TIM_TOPIC_IDS names no topic")
	}
	fmt.Fprintf(w, "Calling %s as %s.\n", client.BaseURL(), client.Identifier())
	return &target{
		client:   client,
		groupID:  os.Getenv("TIM_GROUP_ID"),
		accounts: accounts,
		topicIDs: topicIDs,
	}, func() {}, nil
}

// fakeTarget starts the fake and seeds a community with members and topics,
// but no permission group: the example makes that itself, through the SDK.
func fakeTarget(w io.Writer) (*target, func(), error) {
	srv := timtest.NewServer()
	const community = "@TGS#_@TGS#cV6IHIIM62C4"
	topicIDs := []string{
		community + "@TOPIC#_announcements",
		community + "@TOPIC#_general",
		community + "@TOPIC#_help",
	}
	seed := func() error {
		if err := srv.CreateCommunity(community, "leckie"); err != nil {
			return err
		}
		if err := srv.AddMember(community, "amy", tim.RoleAdmin); err != nil {
			return err
		}
		for _, account := range []string{"peter", "li"} {
			if err := srv.AddMember(community, account, tim.RoleMember); err != nil {
				return err
			}
		}
		for _, topic := range topicIDs {
			if err := srv.CreateTopic(community, topic); err != nil {
				return err
			}
		}
		return nil
	}
	if err := seed(); err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("seed the fake: %w", err)
	}
	client, err := srv.NewClient()
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	fmt.Fprintf(w, "No TIM_* variables set: using the embedded fake service at %s.\n", srv.URL())
	fmt.Fprintf(w, "Seeded community %s: owner leckie, members amy (Admin), peter, li; %d topics.\n", community, len(topicIDs))
	return &target{
		client:   client,
		groupID:  community,
		accounts: []string{"amy", "peter"},
		topicIDs: topicIDs,
	}, srv.Close, nil
}
