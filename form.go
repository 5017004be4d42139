// Package tokendesk is the form contract of the token desk: the fields a
// person sends to get a MetaHuman SDK API token, their limits, how they are
// validated and the shape of every error. The relay (worker/) and the UI
// (app/) both use it, so the rules live in exactly one place.
//
// It imports only the standard library and nothing heavy (no encoding/json,
// no fmt), because it is compiled into the browser's wasm as well.
package tokendesk

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The form fields, as the upstream names them.
const (
	FieldName    = "name"
	FieldMail    = "mail"
	FieldComment = "comment"
)

// Fields lists the fields in the order they are sent upstream.
var Fields = []string{FieldName, FieldMail, FieldComment}

// Limits, in characters (runes) for name and comment and in bytes for mail,
// the unit RFC 5321 uses for the 254 limit.
const (
	MaxNameChars    = 100
	MaxMailBytes    = 254
	MaxCommentChars = 1000
	// MaxBodyBytes bounds a request body; the largest valid form is well
	// under it even when multipart-encoded.
	MaxBodyBytes = 8 << 10
	// MaxTokenBytes bounds what we accept as a token from the upstream.
	MaxTokenBytes = 256
)

// Form is a validated token request. Its values are trimmed.
type Form struct {
	Name    string
	Mail    string
	Comment string
}

// Encode returns the urlencoded body sent upstream: exactly the three fields.
func (f Form) Encode() string {
	var b strings.Builder
	b.Grow(len(f.Name) + len(f.Mail) + len(f.Comment) + 24)
	b.WriteString(FieldName + "=")
	b.WriteString(url.QueryEscape(f.Name))
	b.WriteString("&" + FieldMail + "=")
	b.WriteString(url.QueryEscape(f.Mail))
	b.WriteString("&" + FieldComment + "=")
	b.WriteString(url.QueryEscape(f.Comment))
	return b.String()
}

// Validate checks every field of values and returns the form to send. Fields
// other than name, mail and comment are dropped. The first problem found, in
// field order, is returned.
func Validate(values url.Values) (Form, *Error) {
	for _, field := range Fields {
		if len(values[field]) > 1 {
			return Form{}, Duplicated(field)
		}
	}
	f := Form{
		Name:    normalize(values.Get(FieldName)),
		Mail:    normalize(values.Get(FieldMail)),
		Comment: normalize(values.Get(FieldComment)),
	}
	for _, field := range Fields {
		if err := ValidateField(field, f.value(field)); err != nil {
			return Form{}, err
		}
	}
	f.Mail = canonicalMail(f.Mail)
	return f, nil
}

func (f Form) value(field string) string {
	switch field {
	case FieldName:
		return f.Name
	case FieldMail:
		return f.Mail
	default:
		return f.Comment
	}
}

// ValidateField checks one field's value as a person typed it, so the UI can
// show the same message inline that the relay would send.
func ValidateField(field, value string) *Error {
	value = normalize(value)
	switch field {
	case FieldName:
		return validateName(value)
	case FieldMail:
		return validateMail(value)
	case FieldComment:
		return validateComment(value)
	}
	return nil
}

func normalize(s string) string { return strings.TrimSpace(s) }

func validateName(v string) *Error {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0:
		return fieldError(CodeFieldRequired, FieldName, "Enter your name.")
	case !utf8.ValidString(v):
		return fieldError(CodeFieldInvalid, FieldName, "Your name contains bytes that are not text. Type it again.")
	case n > MaxNameChars:
		return fieldError(CodeFieldTooLong, FieldName,
			"Shorten your name to "+strconv.Itoa(MaxNameChars)+" characters or fewer (it has "+strconv.Itoa(n)+").")
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fieldError(CodeFieldInvalid, FieldName, "Put your name on a single line, without tabs or line breaks.")
	}
	return nil
}

func validateMail(v string) *Error {
	switch {
	case v == "":
		return fieldError(CodeFieldRequired, FieldMail, "Enter your email address.")
	case len(v) > MaxMailBytes:
		return fieldError(CodeFieldTooLong, FieldMail,
			"Use an email address of "+strconv.Itoa(MaxMailBytes)+" characters or fewer.")
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Name != "" || !strings.Contains(v, "@") {
		return fieldError(CodeFieldInvalid, FieldMail,
			"Enter one email address, like name@example.com.")
	}
	domain := addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]
	if !strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[") {
		return fieldError(CodeFieldInvalid, FieldMail,
			"Check the part after @: it needs a domain such as example.com.")
	}
	return nil
}

// canonicalMail returns the bare address net/mail parsed from a valid value,
// so "<a@b.io>" is sent as "a@b.io".
func canonicalMail(v string) string {
	if addr, err := mail.ParseAddress(v); err == nil {
		return addr.Address
	}
	return v
}

func validateComment(v string) *Error {
	if !utf8.ValidString(v) {
		return fieldError(CodeFieldInvalid, FieldComment, "Your comment contains bytes that are not text. Type it again.")
	}
	if n := utf8.RuneCountInString(v); n > MaxCommentChars {
		return fieldError(CodeFieldTooLong, FieldComment,
			"Shorten your comment to "+strconv.Itoa(MaxCommentChars)+" characters or fewer (it has "+strconv.Itoa(n)+").")
	}
	return nil
}

// ValidToken reports whether s looks like a token we can show: non-empty,
// bounded and printable ASCII, so nothing odd reaches the page.
func ValidToken(s string) bool {
	if s == "" || len(s) > MaxTokenBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
