package tokendesk

import (
	"strings"

	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
)

// FieldToken is the one field of a token check, as the upstream names it.
const FieldToken = "token"

// NormalizeToken returns a token as a person pasted it, without the
// whitespace and the one pair of matching quotes that often come along
// (from a .env file, a JSON answer or a chat message).
func NormalizeToken(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"“", "”"}, {"‘", "’"}, {"«", "»"}} {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// IsUUID reports whether s is a UUID in its text form, 8-4-4-4-12
// hexadecimal digits, the shape of every token the API issues.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !stdlite.IsHexDigit(c) {
				return false
			}
		}
	}
	return true
}

// ValidateCheckToken checks the token field of a token check as a person
// typed or pasted it, and returns the token to send.
func ValidateCheckToken(value string) (string, *Error) {
	token := NormalizeToken(value)
	switch {
	case token == "":
		return "", fieldError(CodeFieldRequired, FieldToken, lang.KeyCheckTokenRequired)
	case !IsUUID(token):
		return "", fieldError(CodeFieldInvalid, FieldToken, lang.KeyCheckTokenInvalid)
	}
	return token, nil
}

// ValidateCheck checks the fields of a token check. Fields other than
// token are ignored; token must be given exactly once.
func ValidateCheck(values map[string][]string) (string, *Error) {
	if len(values[FieldToken]) > 1 {
		return "", Duplicated(FieldToken)
	}
	var value string
	if v := values[FieldToken]; len(v) == 1 {
		value = v[0]
	}
	return ValidateCheckToken(value)
}

// CheckForm returns the urlencoded body sent upstream for a check: exactly
// the token field.
func CheckForm(token string) string {
	return FieldToken + "=" + stdlite.QueryEscape(token)
}

// The check field's classes, in the page and in the relay's plain-post
// answer alike. CheckFieldMasked adds web/desk.css's mask, drawn as discs:
// the field is text, not a password, which password managers offer to save.
const (
	CheckFieldClass  = "input mono token"
	CheckFieldMasked = CheckFieldClass + " masked"
)
