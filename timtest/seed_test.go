package timtest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

const seedGroup = "@TGS#_@TGS#cV6IHIIM62C4"

// The format of the issue, required fields only.
const briefSeed = `{"communities": [{"group_id": "@TGS#_@TGS#cV6IHIIM62C4", "owner": "leckie",
  "members": {"amy": "Admin", "peter": "Member"}, "topics": ["@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_general"]}]}`

const fullSeed = `{
  "communities": [
    {
      "group_id": "@TGS#_@TGS#cV6IHIIM62C4",
      "owner": "leckie",
      "members": {"amy": "Admin", "peter": "Member", "zoe": "Member"},
      "topics": ["@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_general", "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_news"],
      "permission_groups": [
        {"id": "@PMG#_mods", "name": "Moderators", "custom_string": "m", "permission": 32,
         "topics": {"@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_general": 12, "@TGS#_@TGS#cV6IHIIM62C4@TOPIC#_news": 8},
         "members": ["amy", "leckie"]},
        {"name": "Readers"}
      ],
      "permission_defaults": {"enabled": false, "permission": 64}
    },
    {"group_id": "@TGS#_second", "owner": "ops"}
  ]
}`

func seedClient(t *testing.T, srv *timtest.Server) *tim.Client {
	t.Helper()
	client, err := srv.NewClient()
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	return client
}

func TestLoadSeedBriefFormat(t *testing.T) {
	srv := timtest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.LoadSeed(strings.NewReader(briefSeed)))
	client := seedClient(t, srv)
	roles, err := client.GetRoleInGroup(context.Background(), &tim.GetRoleInGroupRequest{GroupID: seedGroup, Accounts: []string{"leckie", "amy", "peter", "bob"}})
	require.NoError(t, err)
	assert.Equal(t, []tim.MemberRole{{Account: "leckie", Role: tim.RoleOwner}, {Account: "amy", Role: tim.RoleAdmin}, {Account: "peter", Role: tim.RoleMember}, {Account: "bob", Role: tim.RoleNotMember}}, roles)
	// The topic exists: a permission group can be given a permission in it.
	id, err := srv.CreatePermissionGroup(seedGroup, timtest.PermissionGroup{Name: "x"})
	require.NoError(t, err)
	require.NoError(t, srv.SetTopicPermission(seedGroup, id, seedGroup+"@TOPIC#_general", tim.TopicPermSendMessage))
}

func TestLoadSeedFull(t *testing.T) {
	srv := timtest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.LoadSeed(strings.NewReader(fullSeed)))
	client := seedClient(t, srv)
	ctx := context.Background()

	pg, err := client.GetPermissionGroup(ctx, seedGroup, "@PMG#_mods")
	require.NoError(t, err)
	assert.Equal(t, "Moderators", pg.Name)
	assert.Equal(t, "m", pg.CustomString)
	assert.Equal(t, tim.GroupPermMuteMembers, pg.Permission)
	assert.Equal(t, 2, pg.MemberCount)
	members, err := srv.PermissionGroupMembers(seedGroup, "@PMG#_mods")
	require.NoError(t, err)
	assert.Equal(t, []string{"amy", "leckie"}, members)

	topics, err := client.GetTopicPermissions(ctx, &tim.GetTopicPermissionsRequest{GroupID: seedGroup, PermissionGroupID: "@PMG#_mods"})
	require.NoError(t, err)
	require.Len(t, topics, 2)
	assert.Equal(t, tim.TopicPermMuteMembers|tim.TopicPermSendMessage, topics[0].Permission)
	assert.Equal(t, tim.TopicPermSendMessage, topics[1].Permission)

	// A group without an ID gets one the fake makes, in seed order.
	pg, err = client.GetPermissionGroup(ctx, seedGroup, "@PMG#_@PMG#c000002")
	require.NoError(t, err)
	assert.Equal(t, "Readers", pg.Name)

	infos, err := client.GetGroupInfo(ctx, &tim.GetGroupInfoRequest{GroupIDs: []string{seedGroup, "@TGS#_second"}})
	require.NoError(t, err)
	require.Len(t, infos, 2)
	require.NotNil(t, infos[0].PermissionGroupsEnabled)
	assert.False(t, *infos[0].PermissionGroupsEnabled)
	require.NotNil(t, infos[0].DefaultPermission)
	assert.Equal(t, tim.GroupPermSendMessage, *infos[0].DefaultPermission)
	assert.Equal(t, "ops", infos[1].Owner)
	require.NotNil(t, infos[1].PermissionGroupsEnabled)
	assert.True(t, *infos[1].PermissionGroupsEnabled, "no permission_defaults: the new community's")
}

func TestDecodeSeedRefuses(t *testing.T) {
	community := func(fields string) string {
		return `{"communities": [{"group_id": "@TGS#_ok", "owner": "o"}, {"group_id": "@TGS#_c", "owner": "leckie", ` + fields + `}]}`
	}
	for _, tc := range []struct{ name, seed, want string }{
		{"empty", "  \n", "the seed is empty"},
		{"syntax", "{\n  \"communities\": [\n    {\"group_id\": \"@TGS#_c\",, }]}", "line 3, column 28: invalid character ','"},
		{"ends early", `{"communities": [`, "the JSON ends early"},
		{"not an object", `[]`, "cannot unmarshal array"},
		{"two values", `{} {}`, "after the JSON value"},
		{"unknown top-level field", `{"communities": [], "groups": []}`, `unknown field "groups"`},
		{"unknown community field", community(`"member": {"a": "Admin"}`), `communities[1] ("@TGS#_c"): json: unknown field "member"`},
		{"unknown permission group field", community(`"permission_groups": [{"name": "x", "perm": 1}]`), `communities[1] ("@TGS#_c"): json: unknown field "perm"`},
		{"unknown defaults field", community(`"permission_defaults": {"enable": true}`), `unknown field "enable"`},
		{"wrong type", community(`"topics": "@TGS#_c@TOPIC#_a"`), `communities[1] ("@TGS#_c"): json: cannot unmarshal string`},
		{"community not an object", `{"communities": [3]}`, `communities[0]: json: cannot unmarshal number`},
		{"no group_id", `{"communities": [{"owner": "o"}]}`, "communities[0]: group_id is required"},
		{"not a community ID", `{"communities": [{"group_id": "@TGS#abc", "owner": "o"}]}`, `communities[0] ("@TGS#abc"): group_id "@TGS#abc" is not a community ID`},
		{"prefix alone", `{"communities": [{"group_id": "@TGS#_", "owner": "o"}]}`, `is not a community ID`},
		{"no owner", `{"communities": [{"group_id": "@TGS#_c"}]}`, `communities[0] ("@TGS#_c"): owner is required`},
		{"same ID twice", `{"communities": [{"group_id": "@TGS#_c", "owner": "o"}, {"group_id": "@TGS#_c", "owner": "p"}]}`, `communities[1] ("@TGS#_c"): group_id: communities[0] has the same ID`},
		{"role", community(`"members": {"amy": "admin"}`), `communities[1] ("@TGS#_c"): members["amy"]: role "admin" is not Admin or Member`},
		{"role Owner", community(`"members": {"amy": "Owner"}`), `members["amy"]: role "Owner" is not Admin or Member`},
		{"owner in members", community(`"members": {"leckie": "Admin"}`), `members["leckie"]: the owner's role comes from owner`},
		{"empty account", community(`"members": {"": "Member"}`), `members: an account is ""`},
		{"topic of another group", community(`"topics": ["@TGS#_c@TOPIC#_a", "@TGS#_d@TOPIC#_b"]`), `topics[1]: "@TGS#_d@TOPIC#_b" is not group_id + "@TOPIC#_" + a suffix`},
		{"topic too long", community(`"topics": ["@TGS#_c@TOPIC#_` + strings.Repeat("a", 90) + `"]`), `at most 96 bytes`},
		{"topic twice", community(`"topics": ["@TGS#_c@TOPIC#_a", "@TGS#_c@TOPIC#_a"]`), `topics[1]: "@TGS#_c@TOPIC#_a" is listed twice`},
		{"permission group without name", community(`"permission_groups": [{"id": "@PMG#_x"}]`), `permission_groups[0] ("@PMG#_x"): name is required`},
		{"name too long", community(`"permission_groups": [{"name": "` + strings.Repeat("n", 151) + `"}]`), `name exceeds 150 bytes`},
		{"custom string too long", community(`"permission_groups": [{"name": "n", "custom_string": "` + strings.Repeat("c", 3001) + `"}]`), `custom_string exceeds 3000 bytes`},
		{"bad permission group ID", community(`"permission_groups": [{"id": "mods", "name": "Mods"}]`), `permission_groups[0] ("mods"): id "mods": custom IDs are @PMG#_`},
		{"server-made permission group ID", community(`"permission_groups": [{"id": "@PMG#_@PMG#c1", "name": "Mods"}]`), `must not start @PMG#_@PMG#`},
		{"permission group ID twice", community(`"permission_groups": [{"id": "@PMG#_m", "name": "a"}, {"id": "@PMG#_m", "name": "b"}]`), `permission_groups[1] ("@PMG#_m"): id is also an earlier group's`},
		{"permission group topic", community(`"topics": ["@TGS#_c@TOPIC#_a"], "permission_groups": [{"name": "Mods", "topics": {"@TGS#_c@TOPIC#_b": 8}}]`), `permission_groups[0] (name "Mods"): topics["@TGS#_c@TOPIC#_b"]: not one of the community's topics`},
		{"permission group member", community(`"members": {"amy": "Member"}, "permission_groups": [{"name": "Mods", "members": ["amy", "bob"]}]`), `permission_groups[0] (name "Mods"): members[1]: "bob" is not the owner or in the community's members`},
		{"permission group member twice", community(`"permission_groups": [{"name": "Mods", "members": ["leckie", "leckie"]}]`), `members[1]: "leckie" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := timtest.DecodeSeed(strings.NewReader(tc.seed))
			require.Error(t, err)
			assert.Nil(t, seed)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "timtest: seed: "), err.Error())

			srv := timtest.NewServer()
			defer srv.Close()
			require.Error(t, srv.LoadSeed(strings.NewReader(tc.seed)))
			_, err = seedClient(t, srv).RoleOf(context.Background(), "@TGS#_ok", "o")
			assert.ErrorIs(t, err, tim.ErrGroupNotFound, "a refused seed adds nothing")
		})
	}
}

func TestDecodeSeedAcceptsEmpty(t *testing.T) {
	for _, s := range []string{`{}`, `{"communities": []}`, `{"communities": null}`, "\n{ }\n"} {
		seed, err := timtest.DecodeSeed(strings.NewReader(s))
		require.NoError(t, err, s)
		assert.Empty(t, seed.Communities, s)
	}
}

func TestApplySeed(t *testing.T) {
	srv := timtest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.ApplySeed(nil))
	require.NoError(t, srv.CreateCommunity("@TGS#_taken", "someone"))

	// A Go-built seed is checked as a decoded one.
	err := srv.ApplySeed(&timtest.Seed{Communities: []timtest.SeedCommunity{{GroupID: "@TGS#_new", Owner: "o", Members: map[string]tim.Role{"a": tim.RoleNotMember}}}})
	require.ErrorContains(t, err, `timtest: seed: communities[0] ("@TGS#_new"): members["a"]: role "NotMember" is not Admin or Member`)

	// A community in use refuses the whole seed before any change.
	err = srv.ApplySeed(&timtest.Seed{Communities: []timtest.SeedCommunity{{GroupID: "@TGS#_new", Owner: "o"}, {GroupID: "@TGS#_taken", Owner: "o"}}})
	require.ErrorContains(t, err, `communities[1] ("@TGS#_taken"): group_id: the fake already has a group @TGS#_taken`)
	client := seedClient(t, srv)
	_, err = client.RoleOf(context.Background(), "@TGS#_new", "o")
	require.ErrorIs(t, err, tim.ErrGroupNotFound)

	// A dissolved group's ID can be seeded again, as CreateCommunity allows.
	require.NoError(t, srv.DissolveGroup("@TGS#_taken"))
	require.NoError(t, srv.ApplySeed(&timtest.Seed{Communities: []timtest.SeedCommunity{{GroupID: "@TGS#_taken", Owner: "o", Members: map[string]tim.Role{"a": tim.RoleAdmin}}}}))
	role, err := client.RoleOf(context.Background(), "@TGS#_taken", "a")
	require.NoError(t, err)
	assert.Equal(t, tim.RoleAdmin, role)
}
