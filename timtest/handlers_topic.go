package timtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/timkit/tim"
	"github.com/timkit/tim/callback"
)

// The topic commands: create_topic, get_topic, modify_topic and
// destroy_topic under million_group_open_http_svc, import_topic under
// group_open_http_svc. Limits and codes are those of the topic pages.

// Limits of a topic's fields, in bytes.
const (
	maxTopicNameBytes    = 30
	maxTopicFaceURLBytes = 100
	maxTopicNoticeBytes  = 300
	maxTopicIntroBytes   = 240
)

// keyValue is a custom field as requests and answers carry them.
type keyValue struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// keyValues lists custom fields sorted by key, as answers carry them.
func keyValues(m map[string]string) []keyValue {
	out := make([]keyValue, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, keyValue{k, m[k]})
	}
	return out
}

// topicFields are the settable fields of a topic in a request, nil when
// the request leaves one out.
type topicFields struct {
	Name         *string `json:"TopicName"`
	CustomString *string `json:"CustomString"`
	FaceURL      *string `json:"FaceUrl"`
	Notification *string `json:"Notification"`
	Introduction *string `json:"Introduction"`
}

// check answers 10004 for a field over its documented limit, or an empty
// name.
func (f *topicFields) check() *fail {
	if f := checkLengths(
		textLimit{"TopicName", f.Name, maxTopicNameBytes},
		textLimit{"CustomString", f.CustomString, maxCustomStringBytes},
		textLimit{"FaceUrl", f.FaceURL, maxTopicFaceURLBytes},
		textLimit{"Notification", f.Notification, maxTopicNoticeBytes},
		textLimit{"Introduction", f.Introduction, maxTopicIntroBytes},
	); f != nil {
		return f
	}
	if f.Name != nil && *f.Name == "" {
		return failf(tim.ErrInvalidParameter, "TopicName is empty")
	}
	return nil
}

// apply sets the fields the request names and returns the ones that
// changed, under the names the after-topic-info-changed callback uses.
func (f *topicFields) apply(t *topic) map[string]any {
	changed := map[string]any{}
	for _, l := range []struct {
		value    *string
		field    *string
		callback string // "" for a field whose change sends no callback
	}{
		{f.Name, &t.name, "Name"},
		{f.Introduction, &t.introduction, "Introduction"},
		{f.Notification, &t.notification, "Notification"},
		{f.FaceURL, &t.faceURL, "FaceUrl"},
		{f.CustomString, &t.custom, ""},
	} {
		if l.value == nil || *l.value == *l.field {
			continue
		}
		*l.field = *l.value
		if l.callback != "" {
			changed[l.callback] = *l.value
		}
	}
	return changed
}

// lookupTopicCommunity finds a live community that takes topics: 10010 for
// a group that does not exist, 11000 ("the group does not support
// community topics") for another group type. The caller holds s.mu.
func (s *Server) lookupTopicCommunity(groupID string) (*group, *fail) {
	g, f := s.lookupGroup(groupID)
	if f != nil {
		return nil, f
	}
	if g.typ != Community {
		return nil, failf(tim.ErrCommunityNotSupported, "group type %s does not support community topics", g.typ)
	}
	return g, nil
}

// newTopicRequest is the body of create_topic and import_topic.
type newTopicRequest struct {
	Type       string         `json:"Type"` // import_topic: only "Community"
	GroupID    string         `json:"GroupId"`
	TopicID    string         `json:"TopicId"`
	From       stringOrNumber `json:"From_Account"` // "uint64" in the table, a string in the samples
	CustomData []keyValue     `json:"TopicDefinedData"`
	CreateTime *int64         `json:"CreateTime"`
	topicFields
}

// newTopic checks and adds the topic of a create or an import; inUse is
// the code for a custom ID the community has.
func (s *Server) newTopic(req *newTopicRequest, inUse tim.ErrorCode) (*group, *topic, *fail) {
	g, id, f := s.checkNewTopic(req, inUse)
	if f != nil {
		return nil, nil, f
	}
	t := &topic{id: id, created: s.now().Unix(), customData: map[string]string{}}
	if req.CreateTime != nil {
		t.created = *req.CreateTime
	}
	for _, kv := range req.CustomData {
		t.customData[kv.Key] = kv.Value
	}
	req.apply(t)
	s.addTopic(g, t)
	return g, t, nil
}

// checkNewTopic checks a create or an import as the service would before
// making the topic, and returns its community and ID. The caller holds
// s.mu.
func (s *Server) checkNewTopic(req *newTopicRequest, inUse tim.ErrorCode) (*group, string, *fail) {
	g, f := s.lookupTopicCommunity(req.GroupID)
	if f != nil {
		return nil, "", f
	}
	if req.Name == nil {
		return nil, "", failf(tim.ErrInvalidParameter, "TopicName is required")
	}
	if f := req.check(); f != nil {
		return nil, "", f
	}
	id := req.TopicID
	switch {
	case id == "":
		id = fmt.Sprintf("%s%s@TOPIC#c%06X", g.id, topicInfix, s.topicSerial+1)
	case !validTopicID(g.id, id):
		return nil, "", failf(tim.ErrInvalidParameter, "TopicId must be %s%s + a suffix, at most %d bytes", g.id, topicInfix, maxTopicIDLen)
	case strings.Contains(topicSuffix(g.id, id), "@TGS#_") || strings.Contains(id, topicInfix+"@TOPIC#"):
		return nil, "", failf(tim.ErrInvalidParameter, "a custom topic ID may not hold @TOPIC#_@TOPIC# (the service's IDs do) nor @TGS#_ after @TOPIC#_")
	case g.topics[id] != nil:
		return nil, "", failf(inUse, "topic ID %s is already in use", id)
	}
	return g, id, nil
}

// createTopic answers a custom topic ID in use with 10025, the code
// create_topic's page lists ("the ID is already used by you").
func (s *Server) createTopic(body []byte) (result, *fail) {
	var req newTopicRequest
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, t, f := s.newTopic(&req, tim.ErrIDInUseByYou)
	if f != nil {
		return nil, f
	}
	s.emitCallback(callback.CommandAfterCreateTopic, map[string]any{
		"GroupId": g.id, "TopicId": t.id, "Type": string(Community),
		"Operator_Account": s.operatorOr(string(req.From)), "Owner_Account": g.owner(),
		"Name": t.name, "UserDefinedDataList": keyValues(t.customData),
	})
	return result{"TopicId": t.id}, nil
}

// importTopic answers a custom topic ID in use with 10021, the code
// import_topic's page lists ("the topic ID is in use"). It sends no
// callback.
func (s *Server) importTopic(body []byte) (result, *fail) {
	var req newTopicRequest
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if req.Type != "" && req.Type != string(Community) {
		return nil, failf(tim.ErrInvalidParameter, "Type must be Community")
	}
	if req.CreateTime != nil && *req.CreateTime < 0 {
		return nil, failf(tim.ErrInvalidParameter, "CreateTime is negative")
	}
	_, t, f := s.newTopic(&req, tim.ErrIDInUse)
	if f != nil {
		return nil, f
	}
	return result{"TopicId": t.id}, nil
}

// operatorOr is account, or the identifier of the request being served.
func (s *Server) operatorOr(account string) string {
	if account != "" {
		return account
	}
	return s.operator
}

// getTopic answers every topic, or those named, in the shape of the
// documented sample: TopicAndSelfInfo items with the item's own ErrorCode
// and ErrorInfo "ok", SelfInfo, and TopicInfo with GroupID (capital D) and
// ShutUpAllFlag. A topic that was destroyed answers 110003, one that never
// was 10010 ("the group or topic was deleted"); such an item's TopicInfo
// holds the TopicId alone (the docs show no failed item).
func (s *Server) getTopic(body []byte) (result, *fail) {
	var req struct {
		GroupID  string         `json:"GroupId"`
		From     stringOrNumber `json:"From_Account"`
		TopicIDs []string       `json:"TopicIdList"`
		Filter   []string       `json:"ResponseFilter"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if req.From == "" {
		return nil, failf(tim.ErrInvalidParameter, "From_Account is required")
	}
	g, f := s.lookupTopicCommunity(req.GroupID)
	if f != nil {
		return nil, f
	}
	ids := req.TopicIDs
	if len(ids) == 0 {
		for _, t := range g.topicsInOrder() {
			ids = append(ids, t.id)
		}
	}
	self := map[string]any{"ShutUpTime": 0, "MsgSeq": 0, "MsgFlag": string(tim.MsgFlagAcceptAndNotify)}
	if p := g.profiles[string(req.From)]; p != nil {
		self["ShutUpTime"], self["MsgSeq"], self["MsgFlag"] = p.mutedUntil, p.msgSeq, string(msgFlagOf(p))
	}
	items := make([]map[string]any, len(ids))
	for i, id := range ids {
		t := g.topics[id]
		switch {
		case t != nil:
			items[i] = map[string]any{"ErrorCode": 0, "ErrorInfo": "ok", "SelfInfo": self, "TopicInfo": topicInfo(g, t, req.Filter)}
		case g.destroyedTopics[id]:
			items[i] = map[string]any{"ErrorCode": int(tim.ErrTopicNotFound), "ErrorInfo": "topic already destroyed", "TopicInfo": map[string]any{"TopicId": id}}
		default:
			items[i] = map[string]any{"ErrorCode": int(tim.ErrGroupNotFound), "ErrorInfo": "group or topic was deleted", "TopicInfo": map[string]any{"TopicId": id}}
		}
	}
	return result{"ErrorInfo": "ok", "TopicAndSelfInfo": items}, nil
}

// topicInfo is a topic's TopicInfo: TopicId and the fields filter names,
// or every field when it names none. TopicDefinedData is sent when the
// topic has custom fields (inferred: the sample shows none).
func topicInfo(g *group, t *topic, filter []string) map[string]any {
	muted := 0
	if t.muteAll {
		muted = 1
	}
	info := map[string]any{
		"TopicId": t.id, "GroupID": g.id, "TopicName": t.name, "FaceUrl": t.faceURL,
		"Notification": t.notification, "Introduction": t.introduction, "CustomString": t.custom,
		"CreateTime": t.created, "LastMsgTime": 0, "NextMsgSeq": 1, "ShutUpAllFlag": muted,
	}
	if len(t.customData) > 0 {
		info["TopicDefinedData"] = keyValues(t.customData)
	}
	if len(filter) > 0 {
		for k := range info {
			if k != "TopicId" && !slices.Contains(filter, k) {
				delete(info, k)
			}
		}
	}
	return info
}

// modifyTopic answers 10010 for a topic that does not exist ("the topic was
// dissolved"), and sends the after-topic-info-changed callback when the
// name, introduction, notification or face URL changed, with the fields
// that did. Its documented body has no TopicId, so it carries none.
func (s *Server) modifyTopic(body []byte) (result, *fail) {
	var req struct {
		GroupID string         `json:"GroupId"`
		TopicID string         `json:"TopicId"`
		From    stringOrNumber `json:"From_Account"`
		MuteAll *string        `json:"MuteAllMember"`
		topicFields
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	g, f := s.lookupTopicCommunity(req.GroupID)
	if f != nil {
		return nil, f
	}
	t := g.topics[req.TopicID]
	if t == nil {
		return nil, failf(tim.ErrGroupNotFound, "topic %s was dissolved or does not exist", req.TopicID)
	}
	if f := req.check(); f != nil {
		return nil, f
	}
	if req.MuteAll != nil && *req.MuteAll != "On" && *req.MuteAll != "Off" {
		return nil, failf(tim.ErrInvalidParameter, "MuteAllMember must be On or Off")
	}
	if req.MuteAll != nil {
		t.muteAll = *req.MuteAll == "On"
	}
	if changed := req.apply(t); len(changed) > 0 {
		changed["GroupId"], changed["Type"], changed["Operator_Account"] = g.id, string(Community), s.operatorOr(string(req.From))
		s.emitCallback(callback.CommandAfterTopicInfoChanged, changed)
	}
	return result{"ErrorInfo": "ok"}, nil
}

// destroyTopic destroys the topics it can, with their permissions in every
// permission group, and answers each topic in DestroyResultItem: 110003 for
// one that does not exist (or no longer does). The docs give no limit on
// TopicIdList.
func (s *Server) destroyTopic(body []byte) (result, *fail) {
	var req struct {
		GroupID  string   `json:"GroupId"`
		TopicIDs []string `json:"TopicIdList"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	if len(req.TopicIDs) == 0 {
		return nil, failf(tim.ErrInvalidParameter, "TopicIdList is required")
	}
	g, f := s.lookupTopicCommunity(req.GroupID)
	if f != nil {
		return nil, f
	}
	items := make([]map[string]any, len(req.TopicIDs))
	var destroyed []string
	for i, id := range req.TopicIDs {
		if g.topics[id] == nil {
			items[i] = map[string]any{"ErrorCode": int(tim.ErrTopicNotFound), "ErrorInfo": "topic already destroyed", "TopicId": id}
			continue
		}
		g.destroyTopic(id)
		destroyed = append(destroyed, id)
		items[i] = map[string]any{"ErrorCode": 0, "ErrorInfo": "ok", "TopicId": id}
	}
	if len(destroyed) > 0 {
		s.emitCallback(callback.CommandAfterTopicDestroyed, map[string]any{
			"GroupId": g.id, "Type": string(Community), "TopicIdList": destroyed,
		})
	}
	return result{"ErrorInfo": "ok", "DestroyResultItem": items}, nil
}

// msgFlagOf is a member's message flag, AcceptAndNotify unless set.
func msgFlagOf(p *profile) tim.MsgFlag {
	if p.msgFlag == "" {
		return tim.MsgFlagAcceptAndNotify
	}
	return p.msgFlag
}

// topicSuffix is a topic ID without its community's part.
func topicSuffix(groupID, topicID string) string {
	return strings.TrimPrefix(topicID, groupID+topicInfix)
}

// textLimit is a text field of a request, nil when the request leaves it
// out, and its limit in bytes.
type textLimit struct {
	name  string
	value *string
	max   int
}

// checkLengths answers 10004 for the first field over its limit.
func checkLengths(limits ...textLimit) *fail {
	for _, l := range limits {
		if l.value != nil && len(*l.value) > l.max {
			return failf(tim.ErrInvalidParameter, "%s exceeds %d bytes", l.name, l.max)
		}
	}
	return nil
}
