package tim

import "net/url"

// HoldsSecret reports whether reflection reaches secret, raw or escaped,
// from v, by the walk the client makes over transport errors: for the
// secret scan of values that hold no UserSig, such as the fake's callback
// sender.
func HoldsSecret(v any, secret string) bool {
	return holdsSecret(v, newSigForms(secret, url.QueryEscape(secret)))
}
