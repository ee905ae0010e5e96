package tim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The region table of API.md §2.
var apiRegions = []struct {
	region Region
	name   string
	domain string
}{
	{RegionChina, "china", "console.tim.qq.com"},
	{RegionSingapore, "singapore", "adminapisgp.im.qcloud.com"},
	{RegionSeoul, "seoul", "adminapikr.im.qcloud.com"},
	{RegionTokyo, "tokyo", "adminapijpn.im.qcloud.com"},
	{RegionFrankfurt, "frankfurt", "adminapiger.im.qcloud.com"},
	{RegionSiliconValley, "silicon-valley", "adminapiusa.im.qcloud.com"},
	{RegionJakarta, "jakarta", "adminapiidn.im.qcloud.com"},
	{RegionMumbai, "mumbai", "adminapiind.im.qcloud.com"},
	{RegionRiyadh, "riyadh", "adminapiksa.im.qcloud.com"},
}

func TestRegionDomainsAndNames(t *testing.T) {
	for _, tc := range apiRegions {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.domain, tc.region.Domain())
			assert.Equal(t, tc.name, tc.region.String())

			byName, err := ParseRegion(tc.region.String())
			require.NoError(t, err)
			assert.Equal(t, tc.region, byName)

			byDomain, err := ParseRegion(tc.domain)
			require.NoError(t, err)
			assert.Equal(t, tc.region, byDomain)
		})
	}
}

func TestRegions(t *testing.T) {
	rs := Regions()
	require.Len(t, rs, 9)
	want := make([]Region, 0, len(apiRegions))
	for _, tc := range apiRegions {
		want = append(want, tc.region)
	}
	assert.Equal(t, want, rs, "every region, in the order of the constants")

	rs[0] = RegionRiyadh
	assert.Equal(t, RegionChina, Regions()[0], "each call returns a new slice")
}

func TestParseRegion(t *testing.T) {
	accepted := []struct {
		in   string
		want Region
	}{
		{"china", RegionChina},
		{"China", RegionChina},
		{"  singapore\t", RegionSingapore},
		{"SEOUL", RegionSeoul},
		{"silicon-valley", RegionSiliconValley},
		{"Silicon Valley", RegionSiliconValley},
		{"SILICON_VALLEY", RegionSiliconValley},
		{"silicon_valley", RegionSiliconValley},
		{"Silicon-Valley", RegionSiliconValley},
		{"adminapiusa.im.qcloud.com", RegionSiliconValley},
		{"AdminAPISGP.im.qcloud.com", RegionSingapore},
		{" console.tim.qq.com ", RegionChina},
		{"adminapiksa.im.qcloud.com", RegionRiyadh},
	}
	for _, tc := range accepted {
		t.Run("accepts "+tc.in, func(t *testing.T) {
			got, err := ParseRegion(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	rejected := []string{
		"",
		" ",
		"mars",
		"siliconvalley",
		"silicon  valley",
		"Region(99)",
		"Region(1)",
		"1",
		"https://adminapisgp.im.qcloud.com",
		"adminapisgp.my-imcloud.com",
		"adminapisgp.im.qcloud.com.evil.example",
		"singapore,tokyo",
	}
	for _, in := range rejected {
		t.Run("rejects "+in, func(t *testing.T) {
			got, err := ParseRegion(in)
			require.Error(t, err)
			assert.Equal(t, Region(0), got)
			assert.Equal(t, `tim: unknown region "`+in+`"`, err.Error())
		})
	}
}

func TestUnknownRegion(t *testing.T) {
	tests := []struct {
		r    Region
		want string
	}{
		{Region(0), "Region(0)"},
		{Region(10), "Region(10)"},
		{Region(99), "Region(99)"},
		{Region(-1), "Region(-1)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, "", tc.r.Domain())
			assert.Equal(t, tc.want, tc.r.String())
			_, err := ParseRegion(tc.r.String())
			assert.Error(t, err)
		})
	}
}

func TestParseBaseURL(t *testing.T) {
	accepted := []struct {
		in, want string
	}{
		{"https://adminapisgp.im.qcloud.com", "https://adminapisgp.im.qcloud.com"},
		{"https://adminapisgp.im.qcloud.com/", "https://adminapisgp.im.qcloud.com"},
		{"https://adminapisgp.my-imcloud.com", "https://adminapisgp.my-imcloud.com"},
		{"https://proxy.example.com/tim", "https://proxy.example.com/tim"},
		{"https://proxy.example.com/tim/", "https://proxy.example.com/tim"},
		{"https://proxy.example.com/a/b/", "https://proxy.example.com/a/b"},
		{"https://proxy.example.com:8443/tim/", "https://proxy.example.com:8443/tim"},
		{"HTTPS://proxy.example.com", "https://proxy.example.com"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"http://127.0.0.1:8080/fake/", "http://127.0.0.1:8080/fake"},
		{"http://127.1.2.3", "http://127.1.2.3"},
		{"http://[::1]:1", "http://[::1]:1"},
		{"http://localhost", "http://localhost"},
		{"http://LocalHost:9000/", "http://LocalHost:9000"},
	}
	for _, tc := range accepted {
		t.Run("accepts "+tc.in, func(t *testing.T) {
			got, err := parseBaseURL(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	rejected := []struct {
		in   string
		want string // exact error text, when given
	}{
		{"http://example.com", `tim: base URL for host "example.com": plain http is allowed only to a loopback address; use https`},
		{"http://adminapisgp.im.qcloud.com/", `tim: base URL for host "adminapisgp.im.qcloud.com": plain http is allowed only to a loopback address; use https`},
		{"http://localhost.example.com", ""},
		{"http://10.0.0.1:8080", ""},
		{"http://0.0.0.0:8080", ""},
		{"http://[::2]:1", ""},
		{"ftp://files.example.com", `tim: base URL for host "files.example.com": scheme must be https`},
		{"ws://127.0.0.1", `tim: base URL for host "127.0.0.1": scheme must be https`},
		{"", "tim: base URL is not an absolute URL with a host"},
		{"/v4/group_open_http_svc", "tim: base URL is not an absolute URL with a host"},
		{"adminapisgp.im.qcloud.com", "tim: base URL is not an absolute URL with a host"},
		{"https://", "tim: base URL is not an absolute URL with a host"},
		{"https:adminapisgp.im.qcloud.com", "tim: base URL is not an absolute URL with a host"},
		{"https://h/?usersig=SECRET", "tim: base URL must not carry user info, a query or a fragment"},
		{"https://h?usersig=SECRET&identifier=admin", "tim: base URL must not carry user info, a query or a fragment"},
		{"https://h/path?", "tim: base URL must not carry user info, a query or a fragment"},
		{"https://h/#SECRET", "tim: base URL must not carry user info, a query or a fragment"},
		{"https://admin:SECRET@h/", "tim: base URL must not carry user info, a query or a fragment"},
		{"https://SECRET@h", "tim: base URL must not carry user info, a query or a fragment"},
		{"http://admin:SECRET@localhost:8080", "tim: base URL must not carry user info, a query or a fragment"},
		{"http://127.0.0.1:8080?usersig=SECRET", "tim: base URL must not carry user info, a query or a fragment"},
		{"http://example.com/?usersig=SECRET", ""},
		{"http://admin:SECRET@example.com", ""},
		{"https://h/%zz?usersig=SECRET", "tim: base URL is not an absolute URL with a host"},
		{"https://h\x7f/?usersig=SECRET", "tim: base URL is not an absolute URL with a host"},
		{"ftp://h/?usersig=SECRET", ""},
	}
	for _, tc := range rejected {
		t.Run("rejects "+tc.in, func(t *testing.T) {
			got, err := parseBaseURL(tc.in)
			require.Error(t, err)
			assert.Empty(t, got)
			if tc.want != "" {
				assert.Equal(t, tc.want, err.Error())
			}
			assert.NotContains(t, err.Error(), "SECRET")
			assert.NotContains(t, strings.ToLower(err.Error()), "usersig")
		})
	}
}
