package tim

import (
	"cmp"
	"context"
	"encoding/json"
	"strings"
)

// MaxGroupsPerInfoCall is how many groups one get_group_info request may
// name; [Client.GetGroupInfo] splits longer lists.
const MaxGroupsPerInfoCall = 50

// GetGroupInfoRequest asks for the profiles of groups.
type GetGroupInfoRequest struct {
	// GroupIDs are the groups, of any type: at least one, none twice. Any
	// number; longer lists than [MaxGroupsPerInfoCall] are split.
	GroupIDs []string
	// ResponseFilter, when set, chooses the fields the answer holds; nil
	// asks for the service's default.
	ResponseFilter *GroupInfoFilter
}

// GroupInfo is the part of a group's profile the SDK reads from
// get_group_info.
type GroupInfo struct {
	// ID is the GroupId.
	ID string
	// Type is the group type: "Community", "Public", "Work", ...
	Type string
	// Name is the group's name.
	Name string
	// Introduction, Notification and FaceURL are the group's texts and
	// picture (FaceUrl).
	Introduction, Notification, FaceURL string
	// MuteAll is whether every member but the owner and admins is muted,
	// read from MuteAllMember ("On"/"Off", the current name) or
	// ShutUpAllMember (the older one); nil when the answer has neither.
	MuteAll *bool
	// Owner is the Owner_Account. The owner has every permission in a
	// community.
	Owner string
	// MemberCount is MemberNum.
	MemberCount int
	// CreateTime is the creation time in Unix seconds.
	CreateTime int64
	// PermissionGroupsEnabled is the community's "permission groups
	// enabled" switch, read from EnablePermission (0 or 1; true or false);
	// nil when the answer has no such field.
	//
	// Inferred: the official REST pages do not show it; the name comes from
	// a third-party SDK and the client SDKs' enablePermissionGroup.
	PermissionGroupsEnabled *bool
	// DefaultPermission is what every member of the community may do
	// whatever their permission groups, read from DefaultPermission; nil
	// when the answer has no such field.
	//
	// Inferred, as PermissionGroupsEnabled. No REST field is known for a
	// topic's default permission.
	DefaultPermission *GroupPermission
	// ErrorCode and ErrorInfo are the per-item result (10010 for a group
	// that does not exist, say); see [GroupInfo.Err].
	ErrorCode ErrorCode
	ErrorInfo string
	// Raw is the item as the server sent it, for the profile fields not
	// decoded above.
	Raw json.RawMessage
}

// Err returns the item's failure as an [*ItemError], or nil.
func (g GroupInfo) Err() error { return itemError(CommandGetGroupInfo, g.ID, g.ErrorCode, g.ErrorInfo) }

// UnmarshalJSON decodes an item of GroupInfo and keeps its bytes in Raw.
func (g *GroupInfo) UnmarshalJSON(b []byte) error {
	var it struct {
		ID         string    `json:"GroupId"`
		Type       string    `json:"Type"`
		Name       string    `json:"Name"`
		Intro      string    `json:"Introduction"`
		Notice     string    `json:"Notification"`
		FaceURL    string    `json:"FaceUrl"`
		MuteAll    *flexBool `json:"MuteAllMember"`
		ShutUpAll  *flexBool `json:"ShutUpAllMember"`
		Owner      string    `json:"Owner_Account"`
		MemberNum  flexInt   `json:"MemberNum"`
		CreateTime flexInt   `json:"CreateTime"`
		Enable     *flexBool `json:"EnablePermission"`
		Default    *flexInt  `json:"DefaultPermission"`
		ErrorCode  ErrorCode `json:"ErrorCode"`
		ErrorInfo  string    `json:"ErrorInfo"`
	}
	if err := json.Unmarshal(b, &it); err != nil {
		return err
	}
	*g = GroupInfo{
		ID: it.ID, Type: it.Type, Name: it.Name, Owner: it.Owner,
		Introduction: it.Intro, Notification: it.Notice, FaceURL: it.FaceURL,
		MemberCount: int(it.MemberNum), CreateTime: int64(it.CreateTime),
		ErrorCode: it.ErrorCode, ErrorInfo: it.ErrorInfo,
		Raw: append(json.RawMessage(nil), b...),
	}
	if mute := cmp.Or(it.MuteAll, it.ShutUpAll); mute != nil {
		on := bool(*mute)
		g.MuteAll = &on
	}
	if it.Enable != nil {
		on := bool(*it.Enable)
		g.PermissionGroupsEnabled = &on
	}
	if it.Default != nil {
		p := GroupPermission(*it.Default)
		g.DefaultPermission = &p
	}
	return nil
}

type getGroupInfoBody struct {
	GroupIDs       []string             `json:"GroupIdList"`
	ResponseFilter *groupInfoFilterBody `json:"ResponseFilter,omitempty"`
}

type getGroupInfoResponse struct {
	envelope
	GroupInfo []*GroupInfo `json:"GroupInfo"`
}

// GetGroupInfo returns the profiles of groups (get_group_info), one per ID
// in the order of req.GroupIDs: a group that does not exist comes back with
// its per-item error ([GroupInfo.Err], matching [ErrGroupNotFound]). More
// than [MaxGroupsPerInfoCall] IDs are sent in several requests, one after
// another; the first failure is returned, with no partial result.
//
// Docs: https://trtc.io/document/34961
func (c *Client) GetGroupInfo(ctx context.Context, req *GetGroupInfoRequest) ([]GroupInfo, error) {
	const cmd = CommandGetGroupInfo
	if err := c.ready(ctx, cmd); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(cmd, "req", "", "is nil")
	}
	err := checkList(cmd, "GroupIDs", "GroupIdList", req.GroupIDs, true, func(field, id string) error {
		if id == "" {
			return invalid(cmd, field, "GroupIdList", "is empty")
		}
		if reason := badText(id); reason != "" {
			return invalid(cmd, field, "GroupIdList", reason)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := req.ResponseFilter.check(cmd); err != nil {
		return nil, err
	}
	filter := req.ResponseFilter.body()
	out := make([]GroupInfo, 0, len(req.GroupIDs))
	for start := 0; start < len(req.GroupIDs); start += MaxGroupsPerInfoCall {
		batch := req.GroupIDs[start:min(start+MaxGroupsPerInfoCall, len(req.GroupIDs))]
		var resp getGroupInfoResponse
		if err := c.call(ctx, cmd, &getGroupInfoBody{GroupIDs: batch, ResponseFilter: filter}, &resp); err != nil {
			return nil, err
		}
		infos, err := inRequestOrder(cmd, batch, resp.GroupInfo, func(g *GroupInfo) ItemResult {
			return ItemResult{Command: cmd, ID: g.ID, ErrorCode: g.ErrorCode, ErrorInfo: g.ErrorInfo}
		})
		if err != nil {
			return nil, err
		}
		out = append(out, infos...)
	}
	return out, nil
}

// flexBool decodes a switch sent as true/false, 0/1, "0"/"1" or
// "On"/"Off" (any case).
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var v bool
	if err := json.Unmarshal(b, &v); err == nil {
		*f = flexBool(v)
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch strings.ToLower(s) {
		case "on":
			*f = true
			return nil
		case "off":
			*f = false
			return nil
		}
	}
	var n flexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = n != 0
	return nil
}
