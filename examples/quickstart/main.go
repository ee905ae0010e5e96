// Command quickstart lists a community's permission groups, the roles of some
// accounts and the topic permissions of one permission group.
//
// With no configuration it starts the SDK's in-memory fake service
// (package timtest), seeds a small community and calls it:
//
//	go run ./examples/quickstart
//
// To call a real app instead, set all of:
//
//	TIM_SDKAPPID             the app's SDKAppID
//	TIM_SECRET_KEY           the app's secret key
//	TIM_ADMIN                an app admin account
//	TIM_REGION or TIM_BASE_URL  a region name (china, singapore, ...) or a base URL
//	TIM_GROUP_ID             a community's GroupId
//	TIM_PERMISSION_GROUP_ID  one of its permission groups
//	TIM_ACCOUNTS             comma-separated accounts to look up
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/timkit/tim"
	"github.com/timkit/tim/internal/exampleenv"
	"github.com/timkit/tim/timtest"
)

// target is what the example calls and asks about.
type target struct {
	client            *tim.Client
	groupID           string
	permissionGroupID string
	accounts          []string
	pageSize          int
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t, cleanup, err := configure(w)
	if err != nil {
		return err
	}
	defer cleanup()
	defer t.client.Close() // its idle connections; before cleanup stops the fake

	fmt.Fprintf(w, "\nPermission groups of %s:\n", t.groupID)
	n := 0
	for g, err := range t.client.AllPermissionGroups(ctx, &tim.GetPermissionGroupsRequest{GroupID: t.groupID, Limit: t.pageSize}) {
		if err != nil {
			return fmt.Errorf("list permission groups: %w", err)
		}
		n++
		fmt.Fprintf(w, "  %-28s %-14q members=%-3d %s\n", g.ID, g.Name, g.MemberCount, g.Permission)
	}
	fmt.Fprintf(w, "  (%d in all, fetched %d a page)\n", n, t.pageSize)

	roles, err := t.client.GetRoleInGroup(ctx, &tim.GetRoleInGroupRequest{GroupID: t.groupID, Accounts: t.accounts})
	if err != nil {
		return fmt.Errorf("get roles: %w", err)
	}
	fmt.Fprintf(w, "\nRoles in %s:\n", t.groupID)
	for _, r := range roles {
		fmt.Fprintf(w, "  %-10s %s\n", r.Account, r.Role)
	}

	perms, err := t.client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: t.groupID, PermissionGroupID: t.permissionGroupID})
	if err != nil {
		return fmt.Errorf("get topic permissions: %w", err)
	}
	fmt.Fprintf(w, "\nTopic permissions of %s:\n", t.permissionGroupID)
	for _, p := range perms {
		if err := p.Err(); err != nil {
			fmt.Fprintf(w, "  %s: %v\n", p.TopicID, err)
			continue
		}
		fmt.Fprintf(w, "  %s  %s\n", p.TopicID, p.Permission)
	}
	return nil
}

// configure builds the target from TIM_* variables, or from a seeded fake
// when none is set.
func configure(w io.Writer) (*target, func(), error) {
	client, err := exampleenv.Client("TIM_GROUP_ID", "TIM_PERMISSION_GROUP_ID", "TIM_ACCOUNTS")
	switch {
	case err != nil:
		return nil, nil, err
	case client == nil: // no TIM_* variable is set
		return fakeTarget(w)
	}
	fmt.Fprintf(w, "Calling %s as %s.\n", client.BaseURL(), client.Identifier())
	return &target{
		client:            client,
		groupID:           os.Getenv("TIM_GROUP_ID"),
		permissionGroupID: os.Getenv("TIM_PERMISSION_GROUP_ID"),
		accounts:          exampleenv.List("TIM_ACCOUNTS"),
		pageSize:          tim.MaxPermissionGroupsPerPage,
	}, func() {}, nil
}

// fakeTarget starts the fake and seeds a small community.
func fakeTarget(w io.Writer) (*target, func(), error) {
	srv := timtest.NewServer()
	const community = "@TGS#_@TGS#cV6IHIIM62C4"
	announcements := community + "@TOPIC#_announcements"
	general := community + "@TOPIC#_general"

	var moderators string
	seed := func() error {
		if err := srv.CreateCommunity(community, "leckie"); err != nil {
			return err
		}
		for account, role := range map[string]tim.Role{"peter": tim.RoleMember, "amy": tim.RoleAdmin, "li": tim.RoleMember} {
			if err := srv.AddMember(community, account, role); err != nil {
				return err
			}
		}
		for _, topic := range []string{announcements, general} {
			if err := srv.CreateTopic(community, topic); err != nil {
				return err
			}
		}
		var err error
		moderators, err = srv.CreatePermissionGroup(community, timtest.PermissionGroup{
			ID: "@PMG#_moderators", Name: "Moderators",
			Permission: tim.GroupPermManageMembers | tim.GroupPermMuteMembers | tim.GroupPermSendMessage | tim.GroupPermRecallMessages,
		})
		if err != nil {
			return err
		}
		for _, pg := range []timtest.PermissionGroup{
			{Name: "Speakers", Permission: tim.GroupPermSendMessage | tim.GroupPermAtAll},
			{Name: "Readers", Permission: tim.GroupPermReadHistory},
			{Name: "Editors", Permission: tim.GroupPermManageTopics | tim.GroupPermSendMessage},
			{Name: "Legacy", Permission: tim.GroupPermSendMessage | 1<<12}, // a bit the SDK has no name for is kept
		} {
			if _, err := srv.CreatePermissionGroup(community, pg); err != nil {
				return err
			}
		}
		if err := srv.AddPermissionGroupMembers(community, moderators, "amy", "peter"); err != nil {
			return err
		}
		if err := srv.SetTopicPermission(community, moderators, announcements, tim.TopicPermSendMessage|tim.TopicPermAtAll|tim.TopicPermMuteMembers); err != nil {
			return err
		}
		return srv.SetTopicPermission(community, moderators, general, tim.TopicPermSendMessage|tim.TopicPermRecallMessages)
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
	return &target{
		client:            client,
		groupID:           community,
		permissionGroupID: moderators,
		accounts:          []string{"leckie", "amy", "peter", "wesley"},
		pageSize:          2, // small pages, to show the iterator following cursors
	}, srv.Close, nil
}
