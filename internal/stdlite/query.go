package stdlite

import "strings"

// ParseQuery parses an application/x-www-form-urlencoded body as
// url.ParseQuery does (& separates pairs, + is a space, %XX a byte) and
// reports false where url.ParseQuery returns an error (a bad escape or a
// semicolon).
func ParseQuery(s string) (map[string][]string, bool) {
	values := map[string][]string{}
	ok := true
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if strings.Contains(pair, ";") {
			ok = false
			continue
		}
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		k, kok := unescape(key)
		v, vok := unescape(value)
		if !kok || !vok {
			ok = false
			continue
		}
		values[k] = append(values[k], v)
	}
	return values, ok
}

func unescape(s string) (string, bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if !escapeAt(s, i) {
				return "", false
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b), true
}

// IsHexDigit reports whether c is a hexadecimal digit, in either case.
func IsHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// allHexDigits reports whether s is hexadecimal digits only.
func allHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsHexDigit(s[i]) {
			return false
		}
	}
	return true
}

// escapeAt reports whether s has a percent escape at i: % and two hex
// digits.
func escapeAt(s string, i int) bool {
	return i+2 < len(s) && s[i] == '%' && IsHexDigit(s[i+1]) && IsHexDigit(s[i+2])
}

// unhex is the value of the hex digit c.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// QueryEscape escapes s for a form value, as url.QueryEscape does.
func QueryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+len(s)/2)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}
