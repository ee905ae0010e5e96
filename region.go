package tim

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Region is a data-center region of the Chat service. An app lives in one
// region, chosen when it was created in the console, and must be called
// through that region's domain (a wrong one answers 60026).
type Region int

// The regions and their REST API domains.
const (
	RegionChina         Region = iota + 1 // console.tim.qq.com
	RegionSingapore                       // adminapisgp.im.qcloud.com
	RegionSeoul                           // adminapikr.im.qcloud.com
	RegionTokyo                           // adminapijpn.im.qcloud.com
	RegionFrankfurt                       // adminapiger.im.qcloud.com
	RegionSiliconValley                   // adminapiusa.im.qcloud.com
	RegionJakarta                         // adminapiidn.im.qcloud.com
	RegionMumbai                          // adminapiind.im.qcloud.com
	RegionRiyadh                          // adminapiksa.im.qcloud.com
)

// regionTable holds each region's name, domain and standby domain (for
// when DNS is hijacked, from the RESTful API overview, trtc.io/document/34620;
// Tokyo's is listed in one copy of that page only, and none is documented
// for Riyadh).
var regionTable = [...]struct{ name, domain, standby string }{
	RegionChina:         {"china", "console.tim.qq.com", "adminapi.my-imcloud.com"},
	RegionSingapore:     {"singapore", "adminapisgp.im.qcloud.com", "adminapisgp.my-imcloud.com"},
	RegionSeoul:         {"seoul", "adminapikr.im.qcloud.com", "adminapikr.my-imcloud.com"},
	RegionTokyo:         {"tokyo", "adminapijpn.im.qcloud.com", "adminapijpn.my-imcloud.com"},
	RegionFrankfurt:     {"frankfurt", "adminapiger.im.qcloud.com", "adminapiger.my-imcloud.com"},
	RegionSiliconValley: {"silicon-valley", "adminapiusa.im.qcloud.com", "adminapiusa.my-imcloud.com"},
	RegionJakarta:       {"jakarta", "adminapiidn.im.qcloud.com", "adminapiidn.my-imcloud.com"},
	RegionMumbai:        {"mumbai", "adminapiind.im.qcloud.com", "adminapiind.my-imcloud.com"},
	RegionRiyadh:        {"riyadh", "adminapiksa.im.qcloud.com", ""},
}

// Regions returns every known region, in the order of the constants.
func Regions() []Region {
	rs := make([]Region, 0, len(regionTable)-1)
	for r := RegionChina; int(r) < len(regionTable); r++ {
		rs = append(rs, r)
	}
	return rs
}

func (r Region) valid() bool { return r > 0 && int(r) < len(regionTable) }

// Domain returns the region's REST API domain, e.g. "adminapisgp.im.qcloud.com",
// or "" for an unknown region.
func (r Region) Domain() string {
	if !r.valid() {
		return ""
	}
	return regionTable[r].domain
}

// StandbyDomain returns the region's documented standby domain, e.g.
// "adminapisgp.my-imcloud.com", or "" when none is known (Riyadh) or the
// region is unknown.
func (r Region) StandbyDomain() string {
	if !r.valid() {
		return ""
	}
	return regionTable[r].standby
}

// StandbyURL returns "https://" + [Region.StandbyDomain], for [WithStandby],
// or "" when no standby domain is known.
func (r Region) StandbyURL() string {
	if d := r.StandbyDomain(); d != "" {
		return "https://" + d
	}
	return ""
}

// String returns the region's name as [ParseRegion] accepts it, e.g. "singapore".
func (r Region) String() string {
	if !r.valid() {
		return fmt.Sprintf("Region(%d)", int(r))
	}
	return regionTable[r].name
}

// ParseRegion returns the region named s: a name as [Region.String] prints it
// ("china", "singapore", "silicon-valley", ...; case, spaces and underscores
// do not matter) or the region's domain.
func ParseRegion(s string) (Region, error) {
	norm := strings.ToLower(strings.TrimSpace(s))
	norm = strings.NewReplacer(" ", "-", "_", "-").Replace(norm)
	for _, r := range Regions() {
		if norm == regionTable[r].name || norm == regionTable[r].domain {
			return r, nil
		}
	}
	return 0, fmt.Errorf("tim: unknown region %q", s)
}

// parseBaseURL checks a base URL given with WithBaseURL and returns it without
// a trailing slash. It must be https, except plain http to a loopback address
// (a local fake or proxy); it must carry no user info, query or fragment,
// because the SDK appends the signed query itself.
func parseBaseURL(raw string) (string, error) {
	// Errors name the host at most: a mistaken URL may carry secrets in its query.
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", errors.New("tim: base URL is not an absolute URL with a host")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("tim: base URL for host %q: plain http is allowed only to a loopback address; use https", u.Hostname())
		}
	default:
		return "", fmt.Errorf("tim: base URL for host %q: scheme must be https", u.Hostname())
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errors.New("tim: base URL must not carry user info, a query or a fragment")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
