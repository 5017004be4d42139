package tokendesk

import (
	"strings"
)

// The contract parses form bodies and media types itself, with the small
// functions in this file, urlencoded.go and multipart.go, instead of
// net/url, mime and mime/multipart: those bring fmt, reflect, os, net and
// crypto into the Worker's wasm, about 1.6 MB, and a cold start pays for
// every byte (BENCHMARKS.md, "What the Worker does without"). Fuzz tests check each
// against the standard library (fuzz_parse_test.go).

// Content types the relay accepts.
const (
	ContentTypeURLEncoded = "application/x-www-form-urlencoded"
	ContentTypeMultipart  = "multipart/form-data"
)

// maxMultipartParts bounds the parts read from a multipart body, so a body of
// many tiny parts costs no more than a few fields.
const maxMultipartParts = 16

// ParseBody parses a form body of the given Content-Type. The body must
// already be bounded by MaxBodyBytes. Repeated fields are kept, so Validate
// can refuse them. Values are bytes as sent: Validate refuses any that are
// not UTF-8.
func ParseBody(contentType string, body []byte) (map[string][]string, *Error) {
	mediaType, params, ok := ParseMediaType(contentType)
	if !ok {
		return nil, UnsupportedMediaType()
	}
	switch mediaType {
	case ContentTypeURLEncoded:
		values, ok := ParseQuery(string(body))
		if !ok {
			return nil, badForm(KeyNotURLEncoded)
		}
		return values, nil
	case ContentTypeMultipart:
		return parseMultipart(params["boundary"], body)
	}
	return nil, UnsupportedMediaType()
}

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
		if _, dup := params[name]; dup {
			return "", nil, false
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

// UnsupportedMediaType is the error for a body that is not a form.
func UnsupportedMediaType() *Error {
	return NewLocalizedError(415, CodeUnsupportedMediaType, KeyUnsupportedMediaType)
}

func badForm(key Key) *Error { return NewLocalizedError(400, CodeBadForm, key) }

// BodyTooLarge is the error for a body over MaxBodyBytes.
func BodyTooLarge() *Error {
	return NewLocalizedError(413, CodeBodyTooLarge, KeyBodyTooLarge)
}
