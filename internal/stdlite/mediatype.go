package stdlite

import "strings"

// ParseMediaType parses a Content-Type value as RFC 9110 defines it: a
// lower-cased type/subtype and its parameters (names lower-cased, values
// unquoted). It reports false for anything malformed, as mime.ParseMediaType
// returns an error.
func ParseMediaType(v string) (string, map[string]string, bool) {
	base, rest := v, ""
	if i := strings.IndexByte(v, ';'); i >= 0 {
		base, rest = v[:i], v[i:]
	}
	base = strings.ToLower(strings.TrimSpace(base))
	typ, sub, ok := strings.Cut(base, "/")
	if !ok || !isToken(typ) || !isToken(sub) {
		return "", nil, false
	}
	params := map[string]string{}
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		if rest[0] != ';' {
			return "", nil, false
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		if rest == "" {
			break // a trailing semicolon
		}
		name, after, ok := strings.Cut(rest, "=")
		name = strings.ToLower(strings.TrimRight(name, " \t"))
		if !ok || !isToken(name) {
			return "", nil, false
		}
		after = strings.TrimLeft(after, " \t")
		var value string
		if strings.HasPrefix(after, `"`) {
			value, rest, ok = cutQuoted(after)
			if !ok {
				return "", nil, false
			}
		} else {
			end := strings.IndexAny(after, "; \t")
			if end < 0 {
				end = len(after)
			}
			value, rest = after[:end], after[end:]
			if !isToken(value) {
				return "", nil, false
			}
		}
		if v, dup := params[name]; dup && v != value {
			return "", nil, false // as mime: a parameter twice, unless the same
		}
		params[name] = value
	}
	return base, params, true
}

// cutQuoted reads a quoted-string at the start of s and returns its value
// and what follows.
func cutQuoted(s string) (value, rest string, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:], true
		case '\r', '\n':
			return "", "", false
		case '\\':
			// As in mime: only a special character is escaped; any other
			// backslash stays.
			if i+1 < len(s) && strings.IndexByte(tspecials, s[i+1]) >= 0 {
				i++
			}
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}

// tspecials are the characters a token may not hold.
const tspecials = `()<>@,;:\"/[]?={}`

// isToken reports whether s is an RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(tspecials, c) >= 0 {
			return false
		}
	}
	return true
}
