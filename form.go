// Package tokendesk is the contract of the token desk: the form a person
// sends to get a MetaHuman SDK API token (its fields, their limits and how
// they are validated), the token check, the shape of every error, and the
// site's paths and pages. The relay (worker/) and the UI (app/) both use
// it, so the rules live in exactly one place.
//
// It imports only small standard packages (slices, strconv, strings,
// unicode, unicode/utf8) and the desk's internal/lang and
// internal/stdlite: the Worker links it, and its wasm's size is its cold
// start (see package stdlite).
package tokendesk

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
)

// The form fields, as the upstream names them.
const (
	FieldName    = "name"
	FieldMail    = "mail"
	FieldComment = "comment"
)

// FieldTurnstile carries the Turnstile widget's answer when the bot check
// is on; the relay reads it and never forwards it.
const FieldTurnstile = "cf-turnstile-response"

// TurnstileAction names the token request to Turnstile: the widget sets
// it, and the relay accepts only answers that siteverify reports with it,
// so an answer solved for another action or site cannot be replayed here.
const TurnstileAction = "token_request"

// FieldLang is the hidden field of the prerendered forms that names the
// posting page's language, so the relay's HTML answer uses it. The relay
// reads it and never forwards it: only Fields go upstream.
const FieldLang = "lang"

// Fields lists the fields in the order they are sent upstream.
var Fields = []string{FieldName, FieldMail, FieldComment}

// FormField is how the token form shows one field. The page (app/) and
// the relay's answer to a plain post (worker/relay) both draw the form
// from FormFields.
type FormField struct {
	Name  string
	Label lang.Key
	// Hint is the sentence under the field, lang.NoKey for none; its
	// {max} is MaxLength.
	Hint lang.Key
	// Type is the input's type, or "textarea".
	Type string
	// Autocomplete is the autocomplete attribute, "" for none.
	Autocomplete string
	MaxLength    int
	Required     bool
}

// FormFields are the token form's fields, in Fields order.
var FormFields = [...]FormField{
	{Name: FieldName, Label: lang.KeyLabelName, Type: "text", Autocomplete: "name", MaxLength: MaxNameChars, Required: true},
	{Name: FieldMail, Label: lang.KeyLabelMail, Type: "email", Autocomplete: "email", MaxLength: MaxMailBytes, Required: true},
	{Name: FieldComment, Label: lang.KeyLabelComment, Hint: lang.KeyCommentHint, Type: "textarea", MaxLength: MaxCommentChars},
}

// Limits, in characters (runes) for name and comment and in bytes for mail,
// the unit RFC 5321 uses for the 254 limit.
const (
	MaxNameChars    = 100
	MaxMailBytes    = 254
	MaxCommentChars = 1000
	// MaxBodyBytes bounds a request body; the largest valid form is well
	// under it even when multipart-encoded.
	MaxBodyBytes = 8 << 10
	// MaxTurnstileBytes bounds a Turnstile answer (Cloudflare's are about
	// 900 bytes; siteverify refuses over 2048).
	MaxTurnstileBytes = 2048
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
	b.WriteString(stdlite.QueryEscape(f.Name))
	b.WriteString("&" + FieldMail + "=")
	b.WriteString(stdlite.QueryEscape(f.Mail))
	b.WriteString("&" + FieldComment + "=")
	b.WriteString(stdlite.QueryEscape(f.Comment))
	return b.String()
}

// Validate checks every field of values and returns the form to send. Fields
// other than name, mail and comment are dropped. The first problem found, in
// field order, is returned.
func Validate(values map[string][]string) (Form, *Error) {
	for _, field := range Fields {
		if len(values[field]) > 1 {
			return Form{}, Duplicated(field)
		}
		if !utf8.ValidString(First(values, field)) {
			return Form{}, NotText(field)
		}
	}
	f := Form{
		Name:    normalize(First(values, FieldName)),
		Mail:    normalize(First(values, FieldMail)),
		Comment: normalize(First(values, FieldComment)),
	}
	for _, field := range Fields {
		if err := ValidateField(field, f.value(field)); err != nil {
			return Form{}, err
		}
	}
	f.Mail = canonicalMail(f.Mail)
	return f, nil
}

// First is a field's first value in parsed form or query values, or "",
// as url.Values.Get gives it.
func First(values map[string][]string, field string) string {
	if v := values[field]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// NotText is the error for a field whose bytes are not UTF-8 text: they
// are refused, never replaced, so what is sent is what was typed.
func NotText(field string) *Error {
	return fieldError(CodeFieldInvalid, field, lang.KeyNotText)
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
	case !utf8.ValidString(v):
		return NotText(FieldName)
	case n == 0:
		return fieldError(CodeFieldRequired, FieldName, lang.KeyNameRequired)
	case n > MaxNameChars:
		return fieldError(CodeFieldTooLong, FieldName, lang.KeyNameTooLong,
			"max", strconv.Itoa(MaxNameChars), "n", strconv.Itoa(n))
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fieldError(CodeFieldInvalid, FieldName, lang.KeyNameOneLine)
	case strings.IndexFunc(v, isBidiControl) >= 0:
		return fieldError(CodeFieldInvalid, FieldName, lang.KeyNameHidden)
	}
	return nil
}

func validateMail(v string) *Error {
	switch {
	case v == "":
		return fieldError(CodeFieldRequired, FieldMail, lang.KeyMailRequired)
	case len(v) > MaxMailBytes:
		return fieldError(CodeFieldTooLong, FieldMail, lang.KeyMailTooLong,
			"max", strconv.Itoa(MaxMailBytes))
	}
	if !utf8.ValidString(v) {
		return NotText(FieldMail)
	}
	addr, ok := stdlite.ParseAddress(v)
	if !ok || strings.IndexFunc(v, isBidiControl) >= 0 {
		return fieldError(CodeFieldInvalid, FieldMail, lang.KeyMailInvalid)
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	if !strings.Contains(domain, ".") {
		return fieldError(CodeFieldInvalid, FieldMail, lang.KeyMailDomain)
	}
	return nil
}

// canonicalMail returns the bare address of a valid value, so "<a@b.io>"
// is sent as "a@b.io".
func canonicalMail(v string) string {
	if addr, ok := stdlite.ParseAddress(v); ok {
		return addr
	}
	return v
}

func validateComment(v string) *Error {
	if !utf8.ValidString(v) {
		return NotText(FieldComment)
	}
	if n := utf8.RuneCountInString(v); n > MaxCommentChars {
		return fieldError(CodeFieldTooLong, FieldComment, lang.KeyCommentTooLong,
			"max", strconv.Itoa(MaxCommentChars), "n", strconv.Itoa(n))
	}
	if hasHiddenCharacter(v) {
		return fieldError(CodeFieldInvalid, FieldComment, lang.KeyCommentHidden)
	}
	return nil
}

// hasHiddenCharacter reports whether a comment holds a control character
// other than a tab or a line break (LF, or the CRLF a form sends for a
// textarea's newline), or a text-direction control: characters that a
// person cannot see, and that can make a log line or a terminal show
// something other than what was sent (NUL, ESC, the bidi overrides).
func hasHiddenCharacter(v string) bool {
	for i, r := range v {
		switch {
		case r == '\t' || r == '\n':
		case r == '\r' && i+1 < len(v) && v[i+1] == '\n':
		case unicode.IsControl(r) || isBidiControl(r):
			return true
		}
	}
	return false
}

// isBidiControl reports whether r is an explicit text-direction control:
// an embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), the
// characters of "Trojan Source" (CVE-2021-42574). The implicit marks
// (LRM, RLM, ALM) stay allowed: right-to-left names need them.
func isBidiControl(r rune) bool {
	return '\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069'
}

// ValidToken reports whether s is a token the desk may show: a UUID, the
// shape of every token the API issues. Anything else from the upstream (a
// wrong UPSTREAM_URL, a compromised API) never reaches the page, so the
// snippets built from a token can rely on its shape.
func ValidToken(s string) bool { return IsUUID(s) }
