package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
)

// communitySpecE2E manages the demo community whole: settings, a new
// topic and a renamed one, a new group granting the new topic, members.
const communitySpecE2E = `{"group_id": "@TGS#_demo",
  "settings": {"permission_groups_enabled": true, "default_permission": ["ReadHistory", "SendMessage"]},
  "topics": [
    {"id": "@TGS#_demo@TOPIC#_events", "name": "Events", "notification": "Fridays", "mute_all": true},
    {"id": "@TGS#_demo@TOPIC#_general", "name": "General", "introduction": "Say hello"}],
  "permission_groups": [
    {"id": "@PMG#_hosts", "name": "Hosts", "permission": ["SendMessage"],
     "topics": {"@TGS#_demo@TOPIC#_events": ["SendMessage", "AtAll"], "@TGS#_demo@TOPIC#_general": ["SendMessage"]},
     "members": ["bob", "carol"]}]}`

// TestEndToEndCommunity runs tim against a timfake process with a spec of
// the whole community: plan, apply, plan again empty; the community read
// back by a client that is not tim (net/http and a UserSig) matches; a
// spec naming an account outside the community or a topic that does not
// exist fails plan with nothing sent; prune_topics with "topics": [] is
// refused without a terminal, like a prune of every group.
func TestEndToEndCommunity(t *testing.T) {
	vars := startTimfake(t)
	bin := buildCommand(t, ".", "tim")
	timb := timBinary{bin: bin, vars: vars}
	raw := newRawClient(t, vars)
	dir := t.TempDir()
	write := func(name, doc string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
		return path
	}
	spec := write("community.json", communitySpecE2E)

	status, out, errOut := timb.run(t, "plan", "-detailed-exitcode", "-f", spec)
	require.Equal(t, 2, status, "stderr: %s", errOut)
	assert.Contains(t, out, "  + topic @TGS#_demo@TOPIC#_events\n")
	assert.NotContains(t, out, "permission_groups_enabled", "unchanged: not shown")
	status, out, errOut = timb.run(t, "apply", "-auto-approve", "-f", spec)
	require.Equal(t, 0, status, "stdout: %s\nstderr: %s", out, errOut)
	status, out, errOut = timb.run(t, "plan", "-detailed-exitcode", "-f", spec)
	assert.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Equal(t, "No changes: @TGS#_demo matches the spec.\n", out)

	// Read back with plain HTTP.
	var topics struct {
		TopicAndSelfInfo []struct{ TopicInfo map[string]any }
	}
	raw.call(t, "million_group_open_http_svc/get_topic", map[string]any{"GroupId": demoGroup, "From_Account": vars["TIM_ADMIN"]}, &topics)
	byID := map[string]map[string]any{}
	for _, it := range topics.TopicAndSelfInfo {
		byID[it.TopicInfo["TopicId"].(string)] = it.TopicInfo
	}
	events := byID["@TGS#_demo@TOPIC#_events"]
	require.NotNil(t, events, "created: %v", byID)
	assert.Equal(t, "Events", events["TopicName"])
	assert.Equal(t, "Fridays", events["Notification"])
	assert.EqualValues(t, 1, events["ShutUpAllFlag"])
	assert.Equal(t, "General", byID["@TGS#_demo@TOPIC#_general"]["TopicName"])
	assert.Equal(t, "Say hello", byID["@TGS#_demo@TOPIC#_general"]["Introduction"])
	assert.Contains(t, byID, "@TGS#_demo@TOPIC#_random", "no prune_topics: kept")

	var info struct{ GroupInfo []map[string]any }
	raw.call(t, "group_open_http_svc/get_group_info", map[string]any{"GroupIdList": []string{demoGroup}}, &info)
	require.Len(t, info.GroupInfo, 1)
	assert.EqualValues(t, 1, info.GroupInfo[0]["EnablePermission"])
	assert.EqualValues(t, tim.GroupPermReadHistory|tim.GroupPermSendMessage, info.GroupInfo[0]["DefaultPermission"])

	var grants struct {
		TopicPermissionResultList []struct {
			TopicID    string `json:"TopicId"`
			Permission uint64
		}
	}
	raw.call(t, "group_open_http_svc/get_topic_permission_group", map[string]any{"GroupId": demoGroup, "PermissionGroupId": "@PMG#_hosts"}, &grants)
	got := map[string]uint64{}
	for _, g := range grants.TopicPermissionResultList {
		got[g.TopicID] = g.Permission
	}
	assert.Equal(t, map[string]uint64{"@TGS#_demo@TOPIC#_events": uint64(tim.TopicPermSendMessage | tim.TopicPermAtAll),
		"@TGS#_demo@TOPIC#_general": uint64(tim.TopicPermSendMessage)}, got)
	var members struct {
		MemberList []struct {
			Account string `json:"Member_Account"`
		}
	}
	raw.call(t, "group_open_http_svc/get_permission_group_member_list", map[string]any{"GroupId": demoGroup, "PermissionGroupId": "@PMG#_hosts", "Limit": 50, "Next": ""}, &members)
	var accounts []string
	for _, m := range members.MemberList {
		accounts = append(accounts, m.Account)
	}
	slices.Sort(accounts)
	assert.Equal(t, []string{"bob", "carol"}, accounts)

	// An account outside the community and a topic that does not exist:
	// plan fails naming both, and nothing is written.
	bad := write("bad.json", strings.Replace(strings.Replace(communitySpecE2E, `"carol"]`, `"carol", "zed"]`, 1),
		`"@TGS#_demo@TOPIC#_general": ["SendMessage"]}`, `"@TGS#_demo@TOPIC#_genral": ["SendMessage"]}`, 1))
	raw.control(t, "reset")
	status, out, errOut = timb.run(t, "plan", "-f", bad)
	assert.Equal(t, 1, status)
	assert.Empty(t, out)
	// Each problem at its place in the file, as a compiler prints it.
	assert.Regexp(t, regexp.QuoteMeta(bad)+`:\d+:\d+: `+regexp.QuoteMeta(`permission_groups[0].topics["@TGS#_demo@TOPIC#_genral"]: topic @TGS#_demo@TOPIC#_genral does not exist in @TGS#_demo, and the spec's "topics" does not create it`)+"\n"+
		regexp.QuoteMeta(bad)+`:\d+:\d+: `+regexp.QuoteMeta(`permission_groups[0].members[2]: account zed is not a member of @TGS#_demo`)+"\n"+
		regexp.QuoteMeta(`tim plan: the spec does not fit @TGS#_demo (2 problem(s) above): nothing was written`), errOut)
	status, _, _ = timb.run(t, "apply", "-auto-approve", "-f", bad)
	assert.Equal(t, 1, status)
	commands := raw.commands(t)
	assert.Equal(t, 2, strings.Count(strings.Join(commands, " "), "get_role_in_group"), "one call a run: %v", commands)
	for _, c := range commands {
		assert.Contains(t, []string{"get_group_info", "get_topic", "get_permission_group", "get_topic_permission_group",
			"get_permission_group_member_list", "get_role_in_group"}, c, "reads only")
	}

	// prune_topics with no topic listed: every topic would go; apply
	// refuses without a terminal, even with -auto-approve, and writes
	// nothing; the plan shows each topic with its grants.
	pruneAll := write("prune.json", `{"group_id": "@TGS#_demo", "prune_topics": true, "topics": [], "permission_groups": []}`)
	status, out, _ = timb.run(t, "plan", "-f", pruneAll)
	assert.Equal(t, 0, status)
	assert.Contains(t, out, `  - topic @TGS#_demo@TOPIC#_events "Events" (grants in 1 permission group)`)
	assert.Contains(t, out, "Warning: the spec prunes topics and lists none: this plan destroys every topic of @TGS#_demo.")
	raw.control(t, "reset")
	status, _, errOut = timb.run(t, "apply", "-auto-approve", "-f", pruneAll)
	assert.Equal(t, 1, status)
	assert.Contains(t, errOut, "this plan destroys every permission group or every topic of @TGS#_demo")
	assert.NotContains(t, raw.commands(t), "destroy_topic")
}

// rawClient calls the fake as a backend that does not use tim would: a
// signed URL built by hand and net/http.
type rawClient struct {
	base, appID, admin, sig string
}

func newRawClient(t *testing.T, vars map[string]string) *rawClient {
	appID, err := strconv.ParseUint(vars["TIM_SDKAPPID"], 10, 64)
	require.NoError(t, err)
	sig, err := tim.GenerateUserSig(appID, vars["TIM_SECRET_KEY"], vars["TIM_ADMIN"], time.Now(), time.Hour)
	require.NoError(t, err)
	return &rawClient{base: vars["TIM_BASE_URL"], appID: vars["TIM_SDKAPPID"], admin: vars["TIM_ADMIN"], sig: sig}
}

// call POSTs body to the command at path ("service/command") and decodes
// the answer into out, requiring ActionStatus OK.
func (c *rawClient) call(t *testing.T, path string, body, out any) {
	t.Helper()
	q := url.Values{"sdkappid": {c.appID}, "identifier": {c.admin}, "usersig": {c.sig}, "random": {"7"}, "contenttype": {"json"}}
	data, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(c.base+"/v4/"+path+"?"+q.Encode(), "application/json", bytes.NewReader(data))
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var env struct{ ActionStatus string }
	require.NoError(t, json.Unmarshal(answer, &env))
	require.Equal(t, "OK", env.ActionStatus, "%s: %s", path, answer)
	require.NoError(t, json.Unmarshal(answer, out))
}

// control POSTs {} to a control endpoint of the fake.
func (c *rawClient) control(t *testing.T, endpoint string) {
	t.Helper()
	resp, err := http.Post(c.base+"/_timfake/"+endpoint, "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, endpoint)
}

// commands lists the commands the fake received since its last reset.
func (c *rawClient) commands(t *testing.T) []string {
	t.Helper()
	resp, err := http.Get(c.base + "/_timfake/requests")
	require.NoError(t, err)
	defer resp.Body.Close()
	var list struct{ Requests []struct{ Command string } }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	out := make([]string, len(list.Requests))
	for i, r := range list.Requests {
		out[i] = r.Command
	}
	return out
}
