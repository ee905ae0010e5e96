package callback

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// millis is an EventTime: milliseconds since the epoch, sent as a number
// (the Chinese pages' samples) or as a string (the international copies',
// and every sample of member-field and group-info changes). An empty
// string or null is no time.
type millis int64

func (m *millis) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" || s == `""` {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("EventTime %.24q is not milliseconds", s)
	}
	*m = millis(n)
	return nil
}

// time returns m as a UTC time, zero for no time.
func (m millis) time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// idList is a list of IDs sent as an array, or as a string holding one ID
// (TopicIdList's field table says String).
type idList []string

func (l *idList) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if s != "" {
			*l = idList{s}
		}
		return nil
	}
	return json.Unmarshal(data, (*[]string)(l))
}

// memberList is a list of {"Member_Account": ...} items.
type memberList []struct {
	Account string `json:"Member_Account"`
}

func (l memberList) accounts() []string {
	if len(l) == 0 {
		return nil
	}
	out := make([]string, len(l))
	for i, m := range l {
		out[i] = m.Account
	}
	return out
}

// common holds the fields most group events share.
type common struct {
	GroupID   string `json:"GroupId"`
	Type      string `json:"Type"`
	Operator  string `json:"Operator_Account"`
	EventTime millis `json:"EventTime"`
}

// infoFields are the base-info fields of a group or topic, nil when absent.
type infoFields struct {
	Name         *string `json:"Name"`
	Introduction *string `json:"Introduction"`
	Notification *string `json:"Notification"`
	FaceURL      *string `json:"FaceUrl"`
}

// decoders turns a verified body into its typed event, by command.
var decoders = map[string]func(m Meta) (Event, error){
	CommandBeforeCreateTopic: func(m Meta) (Event, error) {
		var w struct {
			common
			Name string `json:"Name"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &BeforeCreateTopic{Meta: m, Operator: w.Operator, Type: w.Type, Name: w.Name}, err
	},
	CommandAfterCreateTopic: func(m Meta) (Event, error) {
		var w struct {
			common
			TopicID    string     `json:"TopicId"`
			Owner      string     `json:"Owner_Account"`
			Name       string     `json:"Name"`
			CustomData []KeyValue `json:"UserDefinedDataList"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &AfterCreateTopic{Meta: m, GroupID: w.GroupID, TopicID: w.TopicID, Operator: w.Operator, Owner: w.Owner,
			Type: w.Type, Name: w.Name, CustomData: w.CustomData}, err
	},
	CommandAfterTopicDestroyed: func(m Meta) (Event, error) {
		var w struct {
			common
			TopicIDs idList `json:"TopicIdList"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &AfterTopicDestroyed{Meta: m, GroupID: w.GroupID, Type: w.Type, TopicIDs: w.TopicIDs}, err
	},
	CommandAfterTopicInfoChanged: func(m Meta) (Event, error) {
		var w struct {
			common
			infoFields
			TopicID string `json:"TopicId"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &AfterTopicInfoChanged{Meta: m, GroupID: w.GroupID, TopicID: w.TopicID, Type: w.Type, Operator: w.Operator,
			Name: w.Name, Introduction: w.Introduction, Notification: w.Notification, FaceURL: w.FaceURL}, err
	},
	CommandAfterNewMemberJoin: func(m Meta) (Event, error) {
		var w struct {
			common
			JoinType string     `json:"JoinType"`
			Members  memberList `json:"NewMemberList"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &AfterNewMemberJoin{Meta: m, GroupID: w.GroupID, Type: w.Type, JoinType: w.JoinType, Operator: w.Operator,
			Accounts: w.Members.accounts(), EventTime: w.EventTime.time(), EventTimeMillis: int64(w.EventTime)}, err
	},
	CommandAfterMemberExit: func(m Meta) (Event, error) {
		var w struct {
			common
			ExitType string     `json:"ExitType"`
			Members  memberList `json:"ExitMemberList"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &AfterMemberExit{Meta: m, GroupID: w.GroupID, Type: w.Type, ExitType: w.ExitType, Operator: w.Operator,
			Accounts: w.Members.accounts(), EventTime: w.EventTime.time(), EventTimeMillis: int64(w.EventTime)}, err
	},
	CommandAfterMemberFieldChanged: func(m Meta) (Event, error) {
		var w struct {
			common
			Modified string  `json:"Modified_Account"`
			Member   string  `json:"Member_Account"`
			Role     *string `json:"Role"`
			NameCard *string `json:"NameCard"`
		}
		err := json.Unmarshal(m.Raw, &w)
		account := w.Modified
		if account == "" {
			account = w.Member
		}
		return &AfterMemberFieldChanged{Meta: m, GroupID: w.GroupID, Type: w.Type, Operator: w.Operator, Account: account,
			Role: w.Role, NameCard: w.NameCard, EventTime: w.EventTime.time(), EventTimeMillis: int64(w.EventTime)}, err
	},
	CommandAfterGroupInfoChanged: func(m Meta) (Event, error) {
		var w struct {
			common
			infoFields
		}
		err := json.Unmarshal(m.Raw, &w)
		return &AfterGroupInfoChanged{Meta: m, GroupID: w.GroupID, Type: w.Type, Operator: w.Operator,
			Name: w.Name, Introduction: w.Introduction, Notification: w.Notification, FaceURL: w.FaceURL,
			EventTime: w.EventTime.time(), EventTimeMillis: int64(w.EventTime)}, err
	},
	CommandRequestOverLimit: func(m Meta) (Event, error) {
		var w struct {
			Service string `json:"ServiceName"`
			Command string `json:"Command"`
			Rate    int    `json:"Request"`
			Limit   int    `json:"Limit"`
		}
		err := json.Unmarshal(m.Raw, &w)
		return &RequestOverLimit{Meta: m, Service: w.Service, APICommand: w.Command, Rate: w.Rate, Limit: w.Limit}, err
	},
}

// bodyCommand reads the body's CallbackCommand, after checking that the
// body is one JSON object.
func bodyCommand(body []byte) (string, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(body) {
		return "", errors.New("not a JSON object")
	}
	var w struct {
		Command *string `json:"CallbackCommand"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return "", errors.New("CallbackCommand is not a string")
	}
	if w.Command == nil {
		return "", nil
	}
	return *w.Command, nil
}
