package timtest

import (
	"slices"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
)

// A group's profile: get_group_info and modify_group_base_info.

// Limits of a group's profile fields, in bytes: the newer docs' (older
// copies give 30, 240 and 300 for the first three; the SDK checks the
// larger ones, as the fake does).
const (
	maxGroupNameBytes    = 100
	maxGroupIntroBytes   = 400
	maxGroupNoticeBytes  = 400
	maxGroupFaceURLBytes = 100
)

// getGroupInfo answers the profile of each group: 10010 in the item of one
// that does not exist (or was dissolved). Communities carry
// EnablePermission (0 or 1) and DefaultPermission, names the docs do not
// show (see tim.GroupInfo). ResponseFilter.GroupBaseInfoFilter keeps
// GroupId and the fields it names.
func (s *Server) getGroupInfo(body []byte) (result, *fail) {
	var req struct {
		IDs    []string `json:"GroupIdList"`
		Filter struct {
			Base []string `json:"GroupBaseInfoFilter"`
		} `json:"ResponseFilter"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if f := checkCount("GroupIdList", len(req.IDs), maxGroupInfoIDs); f != nil {
		return nil, f
	}
	list := make([]map[string]any, len(req.IDs))
	for i, id := range req.IDs {
		g, f := s.lookupGroup(id)
		if f != nil {
			list[i] = map[string]any{"GroupId": id, "ErrorCode": int(f.code), "ErrorInfo": f.info}
			continue
		}
		mute := "Off"
		if g.muteAll {
			mute = "On"
		}
		item := map[string]any{
			"Type": string(g.typ), "Name": g.name, "Introduction": g.introduction, "Notification": g.notification,
			"FaceUrl": g.faceURL, "Owner_Account": g.owner(), "MemberNum": len(g.members), "CreateTime": g.created,
			"MuteAllMember": mute,
		}
		if g.typ == Community {
			enabled := 0
			if g.permEnabled {
				enabled = 1
			}
			item["EnablePermission"], item["DefaultPermission"] = enabled, uint64(g.defaultPerm)
		}
		if len(req.Filter.Base) > 0 {
			for k := range item {
				if !slices.Contains(req.Filter.Base, k) {
					delete(item, k)
				}
			}
		}
		item["GroupId"], item["ErrorCode"], item["ErrorInfo"] = id, 0, ""
		list[i] = item
	}
	return result{"GroupInfo": list}, nil
}

// modifyGroupBaseInfo changes a group's profile. EnablePermission and
// DefaultPermission (names inferred) are for communities only, and
// DefaultPermission only while permission groups are enabled (after the
// request's own EnablePermission), as the third-party SDK the names come
// from says; otherwise 10004. A change of the name, introduction,
// notification or face URL sends the after-group-info-changed callback
// with the fields that changed.
func (s *Server) modifyGroupBaseInfo(body []byte) (result, *fail) {
	var req struct {
		GroupID      string               `json:"GroupId"`
		Name         *string              `json:"Name"`
		Introduction *string              `json:"Introduction"`
		Notification *string              `json:"Notification"`
		FaceURL      *string              `json:"FaceUrl"`
		MuteAll      *string              `json:"MuteAllMember"`
		Enable       *int                 `json:"EnablePermission"`
		Default      *tim.GroupPermission `json:"DefaultPermission"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.lookupGroup(req.GroupID)
	if f != nil {
		return nil, f
	}
	fields := []struct {
		name  string
		value *string
		field *string
		max   int
	}{
		{"Name", req.Name, &g.name, maxGroupNameBytes},
		{"Introduction", req.Introduction, &g.introduction, maxGroupIntroBytes},
		{"Notification", req.Notification, &g.notification, maxGroupNoticeBytes},
		{"FaceUrl", req.FaceURL, &g.faceURL, maxGroupFaceURLBytes},
	}
	enabled := g.permEnabled
	if req.Enable != nil {
		enabled = *req.Enable == 1
	}
	limits := make([]textLimit, len(fields))
	for i, l := range fields {
		limits[i] = textLimit{l.name, l.value, l.max}
	}
	if f := checkLengths(limits...); f != nil {
		return nil, f
	}
	switch {
	case req.Name != nil && *req.Name == "":
		return nil, failf(tim.ErrInvalidParameter, "Name is empty")
	case req.MuteAll != nil && *req.MuteAll != "On" && *req.MuteAll != "Off":
		return nil, failf(tim.ErrInvalidParameter, "MuteAllMember must be On or Off")
	case (req.Enable != nil || req.Default != nil) && g.typ != Community:
		return nil, failf(tim.ErrInvalidParameter, "EnablePermission and DefaultPermission are for communities")
	case req.Enable != nil && *req.Enable != 0 && *req.Enable != 1:
		return nil, failf(tim.ErrInvalidParameter, "EnablePermission must be 0 or 1")
	case req.Default != nil && !enabled:
		return nil, failf(tim.ErrInvalidParameter, "DefaultPermission needs permission groups enabled")
	}
	changed := map[string]any{}
	for _, l := range fields {
		if l.value != nil && *l.value != *l.field {
			*l.field = *l.value
			changed[l.name] = *l.value
		}
	}
	if req.MuteAll != nil {
		g.muteAll = *req.MuteAll == "On"
	}
	g.permEnabled = enabled
	if req.Default != nil {
		g.defaultPerm = *req.Default
	}
	if len(changed) > 0 {
		changed["GroupId"], changed["Type"], changed["Operator_Account"] = g.id, string(g.typ), s.operator
		s.emitCallback(callback.CommandAfterGroupInfoChanged, changed)
	}
	return nil, nil
}
