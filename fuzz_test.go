package tim

// Fuzz tests of every decoder the client runs on what the network hands it.
// Their seed corpus runs with the normal tests; fuzz longer with, e.g.,
//
//	go test -run '^$' -fuzz '^FuzzDecodeResponse$' -fuzztime 1m .

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// responseTypes lists every response type the client decodes, with its
// command. A new command adds one line.
var responseTypes = []struct {
	command string
	new     func() response
}{
	{cmdGetPermissionGroup, func() response { return new(getPermissionGroupResponse) }},
	{cmdGetRoleInGroup, func() response { return new(getRoleInGroupResponse) }},
	{cmdGetTopicPermissionGroup, func() response { return new(getTopicPermissionResponse) }},
	{cmdCreatePermissionGroup, func() response { return new(createPermissionGroupResponse) }},
	{cmdModifyPermissionGroup, func() response { return new(envelope) }},
	{cmdDestroyPermissionGroup, func() response { return new(destroyPermissionGroupResponse) }},
	{cmdAddTopicPermission, func() response { return new(topicWriteResponse) }},
	{cmdAddPermissionGroupMember, func() response { return new(memberWriteResponse) }},
	{cmdGetPermissionGroupMembers, func() response { return new(getPermissionGroupMembersResponse) }},
}

// responseSeeds are bodies, valid and odd, for the response fuzz tests.
var responseSeeds = []string{
	seedPermissionGroupsAll, seedPermissionGroupsByID, seedRoles, seedTopicPermissionsAll, seedTopicPermissionsOne, okEnvelope,
	`{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone","RequestId":"r","ErrorDisplay":"d"}`,
	`{"ActionStatus":"FAIL","ErrorCode":"10010","ErrorInfo":"code as a string"}`,
	`{"ActionStatus":"FAIL","ErrorCode":0}`,
	`{"ActionStatus":"OK","ErrorCode":70001}`,
	`{"ActionStatus":"FAIL","ErrorCode":99999999999}`,
	`{"ActionStatus":"FAIL","ErrorCode":1e3}`,
	`{"ActionStatus":"FAIL","ErrorCode":-1,"UserIdList":"wrong type"}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[null],"Next":""}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[{"MemberNum":"7","CreateTime":1.5e9,"Permission":18446744073709551615}],"Next":0}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfoList":[],"Next":12345678901234567890}`,
	`{"ActionStatus":"OK","ErrorCode":0,"Next":null,"TopicPermissionResultList":[null,{}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"TopicPermissionResultList":[{"ErrorCode":110014,"TopicId":"t","Permission":-1}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"a","Role":"Overlord"},null]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Account":"a","Role":"Owner"}],"UserIdList":null}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupId":"@PMG#_@PMG#cM2"}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfo":{"PermissionGroupId":"@PMG#_x"}}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupInfo":[1],"PermissionGroupId":7}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupResultList":[{"ErrorCode":0,"PermissionGroupId":"@PMG#_p"},{"ErrorCode":110006,"PermissionGroupId":"@PMG#_q"},null]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupResultList":[{"ErrorCode":110006,"PermissionGroupId":"@PMG#_q"},{"ErrorCode":0,"PermissionGroupId":"@PMG#_p"}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"PermissionGroupResultList":[{"ErrorCode":0,"PermissionGroupId":"@PMG#_p"},{"ErrorCode":0,"PermissionGroupId":"stranger"}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"TopicPermissionResultList":[{"ErrorCode":110010,"ErrorInfo":"dup","TopicId":"@TGS#_g@TOPIC#_t"},{"ErrorCode":0,"TopicId":"@TGS#_g@TOPIC#_u"}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"TopicPermissionResultList":[{"ErrorCode":0,"TopicId":"@TGS#_g@TOPIC#_t"},{"ErrorCode":110010,"TopicId":"@TGS#_g@TOPIC#_t"}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"tommy","Result":0},{"Member_Account":"jared","Result":"10013"},{"Member_Account":"x","Result":2,"ErrorCode":0}]}`,
	`{"ActionStatus":"OK","ErrorCode":0,"MemberList":[{"Member_Account":"a","Role":"Admin","JoinTime":"1700000000","NameCard":"n","Custom":[1]}],"Next":"TGSMTQ0MTE1MjM1MTUyNDI0MzY1"}`,
	`{"ActionStatus":"OK","ErrorCode":0,"MemberList":[],"Next":7}`,
	`{"ActionStatus":"OK","ErrorCode":0,"Unknown":{"deep":[1,2,{"x":null}]}}`,
	`{"ActionStatus":"OK","ErrorCode":0,"UserIdList":[{"Member_Acc`,
	`{}`, `[]`, `null`, `""`, `0`, ``, ` `, `{"ActionStatus":null}`, `{"ActionStatus":1}`,
	"<html><body>502 Bad Gateway</body></html>",
	"\xff\xfe{\"ActionStatus\":\"OK\"}",
	`{"ActionStatus":"OK\u0000","ErrorCode":0}`,
	strings.Repeat("[", 10000),
}

// FuzzDecodeResponse decodes any body into every response type: no panic,
// and the result is one of three things: success with an OK envelope, an
// *APIError for a failed envelope, or a *DecodeError.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range responseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, rt := range responseTypes {
			out := rt.new()
			err := decodeResponse(rt.command, data, out)
			var (
				apiErr    *APIError
				decodeErr *DecodeError
			)
			switch {
			case err == nil:
				if env := out.head(); env.ActionStatus == "" || env.failed() {
					t.Fatalf("%s: success with envelope %+v", rt.command, *env)
				}
			case errors.As(err, &apiErr):
				if apiErr.Command != rt.command || apiErr.ActionStatus == "" || !errors.Is(err, apiErr.Code) {
					t.Fatalf("%s: bad APIError %#v", rt.command, apiErr)
				}
				if apiErr.ActionStatus == "OK" && apiErr.Code == 0 {
					t.Fatalf("%s: an OK envelope reported as failed", rt.command)
				}
			case errors.As(err, &decodeErr):
				if decodeErr.Command != rt.command || decodeErr.Err == nil {
					t.Fatalf("%s: bad DecodeError %#v", rt.command, decodeErr)
				}
			default:
				t.Fatalf("%s: error of type %T: %v", rt.command, err, err)
			}
			if err != nil {
				_ = err.Error()
			}
		}
	})
}

// bodyTransport answers every request with HTTP 200 and the same body.
type bodyTransport []byte

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(b)),
		Request:    r,
	}, nil
}

// FuzzClientResponses runs the public methods on any body: the decoding and
// everything the methods do with the result after it (null items, lenient
// numbers, account order) must not panic, and a failure is a typed error.
func FuzzClientResponses(f *testing.F) {
	for _, s := range responseSeeds {
		f.Add([]byte(s))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := NewClient(testAppID, testAdmin, WithRegion(RegionSingapore), WithUserSigner(mustStatic("sig")),
			WithHTTPClient(&http.Client{Transport: bodyTransport(data)}), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}), WithoutRateLimit())
		if err != nil {
			t.Fatal(err)
		}
		check := func(err error) {
			var (
				apiErr    *APIError
				decodeErr *DecodeError
			)
			if err != nil && !errors.As(err, &apiErr) && !errors.As(err, &decodeErr) {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
		const group, pg = "@TGS#_g", "@PMG#_p"
		page, err := c.GetPermissionGroups(ctx, &GetPermissionGroupsRequest{GroupID: group})
		check(err)
		if err == nil {
			for _, g := range page.PermissionGroups {
				_ = g.Err()
				_ = g.Permission.String()
			}
		}
		roles, err := c.GetRoleInGroup(ctx, &GetRoleInGroupRequest{GroupID: "g", Accounts: []string{"leckie", "peter"}})
		check(err)
		if err == nil && (len(roles) != 2 || roles[0].Account != "leckie" || roles[1].Account != "peter") {
			t.Fatalf("roles %v do not answer the accounts asked about", roles)
		}
		perms, err := c.GetTopicPermissions(ctx, &GetTopicPermissionsRequest{GroupID: group, PermissionGroupID: pg})
		check(err)
		for _, p := range perms {
			_ = p.Err()
			_ = p.Permission.String()
		}

		_, err = c.CreatePermissionGroup(ctx, &CreatePermissionGroupRequest{GroupID: group, Name: "n"})
		check(err)
		check(c.ModifyPermissionGroup(ctx, &ModifyPermissionGroupRequest{GroupID: group, PermissionGroupID: pg, Name: Ptr("n")}))
		// The list writes must answer every item asked about, in order.
		inOrder := func(want []string, res []ItemResult, err error) {
			check(err)
			if err != nil {
				return
			}
			if len(res) != len(want) {
				t.Fatalf("%d results for %d items", len(res), len(want))
			}
			for i, r := range res {
				if r.ID != want[i] {
					t.Fatalf("result %d is for %q, not %q", i, r.ID, want[i])
				}
				_ = r.Err()
			}
		}
		ids := []string{"@PMG#_p", "@PMG#_q"}
		res, err := c.DestroyPermissionGroups(ctx, &DestroyPermissionGroupsRequest{GroupID: group, PermissionGroupIDs: ids})
		inOrder(ids, res, err)
		topicIDs := []string{group + "@TOPIC#_t", group + "@TOPIC#_u"}
		topics := []TopicPermissionSetting{{TopicID: topicIDs[0]}, {TopicID: topicIDs[1]}}
		res, err = c.AddTopicPermissions(ctx, &TopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, Topics: topics})
		inOrder(topicIDs, res, err)
		res, err = c.DeleteTopicPermissions(ctx, &DeleteTopicPermissionsRequest{GroupID: group, PermissionGroupID: pg, TopicIDs: topicIDs})
		inOrder(topicIDs, res, err)
		accounts := []string{"tommy", "jared"}
		res, err = c.AddPermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: accounts})
		inOrder(accounts, res, err)
		res, err = c.DeletePermissionGroupMembers(ctx, &PermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg, Accounts: accounts})
		inOrder(accounts, res, err)
		members, err := c.GetPermissionGroupMembers(ctx, &GetPermissionGroupMembersRequest{GroupID: group, PermissionGroupID: pg})
		check(err)
		if err == nil {
			for _, m := range members.Members {
				_ = m.Role.Known()
			}
		}
	})
}

// FuzzCursor decodes any bytes as a pagination cursor, directly and as a
// field: no panic; a JSON string decodes to itself, a JSON number to its
// text, and zero or null to "".
func FuzzCursor(f *testing.F) {
	for _, s := range []string{`""`, `"abc"`, `"0"`, `0`, `0.0`, `-0`, `0e10`, `12345678901234567890`, `1.5`, `-3`, `1e400`, `null`, `true`, `{}`, `[]`,
		`"\u00e9\ud800"`, ` "x" `, ``, `"`, `"unterminated`, `01`, `NaN`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c cursor
		err := c.UnmarshalJSON(data)
		trimmed := bytes.TrimSpace(data)
		if err == nil && json.Valid(trimmed) {
			var v any
			d := json.NewDecoder(bytes.NewReader(trimmed))
			d.UseNumber()
			if d.Decode(&v) == nil {
				switch v := v.(type) {
				case string:
					if string(c) != v {
						t.Fatalf("string %q decoded as %q", v, c)
					}
				case json.Number:
					if f, ferr := v.Float64(); (ferr == nil && f == 0) != (c == "") {
						t.Fatalf("number %s decoded as %q", v, c)
					}
					if c != "" && string(c) != v.String() {
						t.Fatalf("number %s decoded as %q", v, c)
					}
				case nil:
					if c != "" {
						t.Fatalf("null decoded as %q", c)
					}
				}
			}
		}
		var field struct{ Next cursor }
		_ = json.Unmarshal(append(append([]byte(`{"Next":`), data...), '}'), &field)
	})
}

// FuzzLenientNumbers decodes any bytes as a flexInt and as an ErrorCode,
// directly and as fields: no panic; a decimal integer (quoted or not)
// decodes to its value; an ErrorCode is always within 32 bits.
func FuzzLenientNumbers(f *testing.F) {
	for _, s := range []string{`0`, `-1`, `10010`, `"10010"`, `" 1"`, `1e3`, `1.5`, `"1e3"`, `9223372036854775807`, `9223372036854775808`, `-9223372036854775808`,
		`2147483648`, `-2147483649`, `1e16`, `null`, `""`, `"`, `true`, `[]`, `{}`, `0x10`, `+5`, `NaN`, `Infinity`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n flexInt
		err := n.UnmarshalJSON(data)
		text := string(data)
		if len(text) >= 2 && text[0] == '"' && text[len(text)-1] == '"' {
			text = text[1 : len(text)-1]
		}
		if want, perr := strconv.ParseInt(text, 10, 64); perr == nil && (err != nil || int64(n) != want) {
			t.Fatalf("%q: got %d, %v; want %d", data, n, err, want)
		}

		var code ErrorCode
		if err := code.UnmarshalJSON(data); err == nil && (code < math.MinInt32 || code > math.MaxInt32) {
			t.Fatalf("%q: code %d out of range", data, int(code))
		}
		_ = code.Error()

		var fields struct {
			N flexInt   `json:"n"`
			C ErrorCode `json:"c"`
		}
		_ = json.Unmarshal(append(append([]byte(`{"n":`), data...), '}'), &fields)
		_ = json.Unmarshal(append(append([]byte(`{"c":`), data...), '}'), &fields)
	})
}
