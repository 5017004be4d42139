package stdlite

import (
	"strings"
	"unicode/utf8"
)

// ParseAddress checks one email address as a person types it and returns
// the bare address sent upstream. It accepts what net/mail.ParseAddress
// accepts for a bare addr-spec (RFC 5322 dot-atoms, UTF-8 as RFC 6532
// allows), optionally in angle brackets, and refuses display names,
// comments, quoted local parts, domain literals and lists. FuzzParseAddress
// checks it against net/mail.
func ParseAddress(v string) (string, bool) {
	if strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">") {
		v = v[1 : len(v)-1]
	}
	at := strings.LastIndexByte(v, '@')
	if at < 0 || !utf8.ValidString(v) {
		return "", false
	}
	local, domain := v[:at], v[at+1:]
	if !isDotAtom(local) || !isDotAtom(domain) {
		return "", false
	}
	return v, true
}

// isDotAtom reports whether s is atoms of atext joined by single dots.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if r != '.' && !isAtext(r) {
			return false
		}
	}
	return true
}

// isAtext is RFC 5322 atext, with any non-ASCII character (RFC 6532).
func isAtext(r rune) bool {
	if r >= utf8.RuneSelf {
		return r != utf8.RuneError
	}
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
		strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}
