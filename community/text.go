package community

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// badText says what is wrong with a string the service would refuse, as
// package tim checks it: invalid UTF-8 or a NUL byte; "" when nothing is.
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "holds a NUL byte"
	}
	return ""
}

// quote quotes s for a message or a plan line, cut to max bytes (at a rune
// boundary) with its length said when it is longer.
func quote(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

func itoa(n int) string { return strconv.Itoa(n) }

// sortedUnique sorts list and drops repeats, in place.
func sortedUnique(list []string) []string {
	slices.Sort(list)
	return slices.Compact(list)
}
