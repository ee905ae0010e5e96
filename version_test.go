package tim_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

// semver is a release tag as the go command accepts it: vMAJOR.MINOR.PATCH
// with an optional pre-release.
var semver = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$`)

func TestVersionIsATag(t *testing.T) {
	assert.Regexp(t, semver, tim.Version)
}

// The default User-Agent names the SDK and its version, and the server
// sees it.
func TestUserAgentCarriesVersion(t *testing.T) {
	assert.Equal(t, "timkit-tim-go/"+tim.Version, tim.DefaultUserAgent)
	srv := timtest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.CreateCommunity("@TGS#_ua", "owner"))
	client, err := srv.NewClient()
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	_, err = client.RoleOf(context.Background(), "@TGS#_ua", "owner")
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "timkit-tim-go/"+tim.Version, reqs[0].Header.Get("User-Agent"))
}

// One version everywhere: the newest entry of CHANGELOG.md, the tim that
// redisrate and examples/otel require, and the version go.work maps to
// this checkout are all tim.Version.
func TestVersionEverywhere(t *testing.T) {
	changelog, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	entry := regexp.MustCompile(`(?m)^## \[(v[^\]]+)\]`).FindSubmatch(changelog)
	require.NotNil(t, entry, "CHANGELOG.md has no release entry")
	assert.Equal(t, tim.Version, string(entry[1]), "CHANGELOG.md's newest entry")

	for _, gomod := range []string{"redisrate/go.mod", "examples/otel/go.mod"} {
		data, err := os.ReadFile(gomod)
		require.NoError(t, err)
		assert.Contains(t, string(data), "\tgithub.com/timkit/tim "+tim.Version+"\n", gomod)
		assert.NotContains(t, string(data), "replace", gomod)
	}
	work, err := os.ReadFile("go.work")
	require.NoError(t, err)
	assert.Contains(t, string(work), "replace github.com/timkit/tim "+tim.Version+" => ./\n")
	assert.Equal(t, 1, strings.Count(string(work), "replace"), "go.work replaces nothing else")
}
