package community

import (
	"context"
	"errors"
	"fmt"

	"github.com/timkit/tim"
)

// settings changes the community's settings (modify_group_base_info),
// switch first: the request carries both. A lost answer reads them back
// (get_group_info) before sending again.
func (a *applier) settings(ctx, startCtx context.Context, o *Op) listRun {
	req := &tim.ModifyGroupBaseInfoRequest{GroupID: a.plan.GroupID}
	if o.SettingsChanged&SettingPermissionGroupsEnabled != 0 {
		req.PermissionGroupsEnabled = o.Settings.PermissionGroupsEnabled
	}
	if o.SettingsChanged&SettingDefaultPermission != 0 {
		req.DefaultPermission = o.Settings.DefaultPermission
	}
	return a.rewrite(ctx, startCtx, "settings", "the settings of "+a.plan.GroupID,
		func() error { return a.c.ModifyGroupBaseInfo(ctx, req) },
		func() (readBack, int, error) {
			info, err := fetchInfo(ctx, a.c, a.plan.GroupID)
			if err != nil {
				return 0, 1, err
			}
			var now Snapshot
			now.setInfo(info)
			return settingsAre(&now, o), 1, nil
		})
}

// settingsAre says whether s holds o's new settings, its old ones (a value
// the plan did not know counts as old), or others.
func settingsAre(s *Snapshot, o *Op) readBack {
	isNew, isOld := true, true
	if o.SettingsChanged&SettingPermissionGroupsEnabled != 0 {
		cur, want, was := s.PermissionGroupsEnabled, o.Settings.PermissionGroupsEnabled, o.OldSettings.PermissionGroupsEnabled
		isNew = isNew && cur != nil && want != nil && *cur == *want
		isOld = isOld && (was == nil || cur != nil && *cur == *was)
	}
	if o.SettingsChanged&SettingDefaultPermission != 0 {
		cur, want, was := s.DefaultPermission, o.Settings.DefaultPermission, o.OldSettings.DefaultPermission
		isNew = isNew && cur != nil && want != nil && *cur == *want
		isOld = isOld && (was == nil || cur != nil && *cur == *was)
	}
	switch {
	case isNew:
		return readNew
	case isOld:
		return readOld
	}
	return readOther
}

// createTopic creates a topic with its custom ID. A lost answer sends the
// create again; an ID in use (10021 or 10025) is read back and counts as
// done only when the topic is what the create makes.
func (a *applier) createTopic(ctx, startCtx context.Context, o *Op) listRun {
	var r listRun
	var lost error
	id, t := o.TopicID, &o.Topic
	for round := 0; settling(startCtx, round, lost, &r, id); round++ {
		_, err := a.c.CreateTopic(ctx, &tim.CreateTopicRequest{GroupID: a.plan.GroupID, TopicID: id, Name: t.Name,
			Introduction: t.Introduction, Notification: t.Notification, FaceURL: t.FaceURL, CustomString: t.CustomString})
		r.calls += callsOf(err)
		if errors.Is(err, tim.ErrIDInUse) {
			return a.adoptTopic(ctx, o, r)
		}
		if !r.answered(err, id, &lost, true) {
			break
		}
	}
	r.settled(lost)
	return r
}

// adoptTopic settles a topic create answered "ID in use": done when the
// topic read back is what the create makes (this run's own create whose
// answer was lost), else failed, with nothing changed.
func (a *applier) adoptTopic(ctx context.Context, o *Op, r listRun) listRun {
	id := o.TopicID
	topics, _, err := fetchTopicList(ctx, a.c, a.plan.GroupID, []string{id})
	r.calls++
	want := o.Topic
	want.ID = id
	switch {
	case err != nil:
		r.fail(fmt.Errorf("the topic ID is in use, and reading the topic back failed: %w", err), id)
	case len(topics) == 1 && topics[0] == want:
		r.already = []string{id}
		r.note = "the topic ID was in use: read back, the topic is what this create makes"
	default:
		r.fail(&changed{"topic " + id + " was created"}, id)
	}
	return r
}

// modifyTopic changes a topic's fields. A lost answer reads the topic back
// before sending again.
func (a *applier) modifyTopic(ctx, startCtx context.Context, o *Op) listRun {
	id := o.TopicID
	req := o.modifyTopicRequest(a.plan.GroupID)
	return a.rewrite(ctx, startCtx, id, "topic "+id,
		func() error { return a.c.ModifyTopic(ctx, req) },
		func() (readBack, int, error) {
			topics, _, err := fetchTopicList(ctx, a.c, a.plan.GroupID, []string{id})
			switch {
			case err != nil:
				return 0, 1, err
			case len(topics) != 1:
				return readOther, 1, nil // destroyed meanwhile
			case topics[0].differs(&o.Topic, o.TopicChanged) == 0:
				return readNew, 1, nil
			case topics[0].differs(&o.OldTopic, o.TopicChanged) == 0:
				return readOld, 1, nil
			}
			return readOther, 1, nil
		})
}

// topicDestroyer is how Apply destroys topics: 50 a request; a topic
// already destroyed (110003) or unknown (10010) is already so.
func (a *applier) topicDestroyer() writer {
	return writer{send: func(ctx context.Context, ids []string) ([]tim.ItemResult, error) {
		return a.c.DestroyTopics(ctx, &tim.DestroyTopicsRequest{GroupID: a.plan.GroupID, TopicIDs: ids})
	}, classify: func(err error) class {
		if errors.Is(err, tim.ErrTopicNotFound) || errors.Is(err, tim.ErrGroupNotFound) {
			return classAlready
		}
		return classFailed
	}}
}
