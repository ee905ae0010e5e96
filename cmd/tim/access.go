package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

func runAccess(ctx context.Context, e *env, args []string) int {
	var (
		c                     common
		group, account, topic string
		asJSON                bool
	)
	fs := newFlags("access", "-group GROUP_ID -account ACCOUNT [-topic TOPIC] [-json] [flags]",
		"Access prints what an account may do in the community and, with -topic, in one topic, and\n"+
			"why: the rule (owner, app admin, or the community default OR every permission group the\n"+
			"account is in; in a topic, the groups' topic grants OR the community bits that reach every\n"+
			"topic), the groups and the default behind each permission, and what is inferred or unknown\n"+
			"(the \"permission groups enabled\" switch: when it is off, roles decide and the answer is\n"+
			"not enforced). It reads the account's role (1 call), the topic (1 call) and the community's\n"+
			"permission model (as export does); it writes nothing. Exit status: 0 answered (an account\n"+
			"that is not a member may do nothing, which is an answer), 1 error.", e.stderr, &c)
	fs.StringVar(&group, "group", "", "the community's GroupId (@TGS#_…); with --demo, "+demoGroup+" by default")
	fs.StringVar(&account, "account", "", "the account asked about")
	fs.StringVar(&topic, "topic", "", "a topic: its ID (GROUP_ID@TOPIC#_…), or what follows @TOPIC#_ in it")
	fs.BoolVar(&asJSON, "json", false, "print the answer as one JSON document (format_version 1)")
	if _, status, done := parse(fs, args, 0); done {
		return status
	}
	if group == "" && c.demo {
		group = demoGroup
	}
	topicID, err := checkAccessFlags(group, account, topic)
	if err != nil {
		return usageError(e, "access", fs, err.Error())
	}
	ctx, client, done, err := startReading(ctx, e, &c)
	if err != nil {
		return fail(e, "access", err)
	}
	defer done()
	r, err := askAccess(ctx, e, client, &c, group, account, topicID)
	if err != nil {
		return fail(e, "access", err)
	}
	if asJSON {
		err = r.writeJSON(e.stdout)
	} else {
		_, err = io.WriteString(e.stdout, r.text())
	}
	if err != nil {
		return fail(e, "access", err)
	}
	return exitOK
}

// checkAccessFlags checks the flags before anything is sent and returns
// the topic's ID ("" without -topic).
func checkAccessFlags(group, account, topic string) (topicID string, err error) {
	switch {
	case group == "":
		return "", errors.New("-group is required")
	case !strings.HasPrefix(group, tim.CommunityIDPrefix):
		return "", fmt.Errorf("-group %q is not a community ID (%s…)", group, tim.CommunityIDPrefix)
	case account == "":
		return "", errors.New("-account is required")
	}
	if err := tim.CheckAccount(account); err != nil {
		return "", fmt.Errorf("-account: %w", err)
	}
	// A full topic ID, or its part after the community's ID ("@TOPIC#_x"
	// or "x"), checked as every request checks one.
	topicID = topic
	switch {
	case topic == "":
		return "", nil
	case !strings.HasPrefix(topic, tim.CommunityIDPrefix):
		topicID = group + tim.TopicIDInfix + strings.TrimPrefix(topic, tim.TopicIDInfix)
	}
	if err := tim.CheckTopicID(group, topicID); err != nil {
		return "", fmt.Errorf("-topic: %w", err)
	}
	return topicID, nil
}

// accessReport is what tim access found out.
type accessReport struct {
	group, account, topicID string
	role                    tim.Role
	snap                    *community.Snapshot // nil for an account that is not a member
	community               community.Answer[tim.GroupPermission]
	topic                   *community.Answer[tim.TopicPermission] // nil without -topic
}

// askAccess reads what the answer needs: the account's role (an account
// that is not a member, but for the app admin, may do nothing: then nothing
// more is read), that the topic exists, and the permission model.
func askAccess(ctx context.Context, e *env, client *tim.Client, c *common, group, account, topicID string) (*accessReport, error) {
	r := &accessReport{group: group, account: account, topicID: topicID}
	role, err := client.RoleOf(ctx, group, account)
	if err != nil {
		return nil, err
	}
	r.role = role
	if !role.IsMember() && account != client.Identifier() {
		return r, nil
	}
	if topicID != "" {
		topics, err := client.GetTopics(ctx, &tim.GetTopicsRequest{GroupID: group, TopicIDs: []string{topicID}})
		if err != nil {
			return nil, err
		}
		switch err := topics[0].Err(); {
		case errors.Is(err, tim.ErrTopicNotFound) || errors.Is(err, tim.ErrGroupNotFound): // destroyed; never was
			return nil, fmt.Errorf("%s has no topic %s (%w)", group, topicID, err)
		case err != nil:
			return nil, err
		}
	}
	if r.snap, err = load(ctx, e, client, group, c); err != nil {
		return nil, err
	}
	a := community.NewAccess(r.snap)
	r.community = a.Community(account)
	if topicID != "" {
		t := a.Topic(account, topicID)
		r.topic = &t
	}
	return r, nil
}

// text is the answer for a person: the account's place in the community,
// then community.Answer.Explain for the community and the topic.
func (r *accessReport) text() string {
	var b strings.Builder
	if r.snap == nil {
		fmt.Fprintf(&b, "%s is not a member of %s (get_role_in_group: %s): it may do nothing there.\n", r.account, r.group, r.role)
		return b.String()
	}
	if r.role.IsMember() {
		fmt.Fprintf(&b, "%s is a member of %s (role %s)", r.account, r.group, r.role)
	} else {
		fmt.Fprintf(&b, "%s is the app admin (get_role_in_group: %s)", r.account, r.role)
	}
	groups := r.community.Groups
	switch len(groups) {
	case 0:
		b.WriteString(", in no permission group")
	case 1:
		b.WriteString(", in 1 permission group:")
	default:
		fmt.Fprintf(&b, ", in %d permission groups:", len(groups))
	}
	for i, g := range groups {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, " %s %q", g.PermissionGroupID, g.Name)
	}
	b.WriteString(".\n")
	b.WriteString(r.settingsLine() + "\n\n")
	b.WriteString(r.community.Explain())
	if r.topic != nil {
		b.WriteString("\n" + r.topic.Explain())
	}
	return b.String()
}

// settingsLine says the community's switch and default permission.
func (r *accessReport) settingsLine() string {
	line := "Permission groups are "
	switch on := r.snap.PermissionGroupsEnabled; {
	case on == nil:
		line += "perhaps enabled (get_group_info did not say)"
	case *on:
		line += "enabled"
	default:
		line += "disabled (the community's roles decide)"
	}
	if d := r.snap.DefaultPermission; d != nil {
		return line + "; the community default permission is " + d.String() + "."
	}
	return line + "; the community default permission is not known (counted as 0)."
}
