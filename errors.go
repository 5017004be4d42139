package tokendesk

import (
	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
)

// Error codes: stable strings that clients may switch on. Messages may change;
// codes do not.
const (
	CodeFieldRequired        = "field_required"
	CodeFieldInvalid         = "field_invalid"
	CodeFieldTooLong         = "field_too_long"
	CodeFieldDuplicated      = "field_duplicated"
	CodeBadForm              = "bad_form"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeBodyTooLarge         = "body_too_large"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeNotFound             = "not_found"
	CodeOriginForbidden      = "origin_forbidden"
	CodeHTTPSRequired        = "https_required"
	CodeConfig               = "config_error"
	CodeInternal             = "internal_error"
	CodeUpstreamRejected     = "upstream_rejected"
	CodeUpstreamFailed       = "upstream_failed"
	CodeUpstreamBadAnswer    = "upstream_bad_answer"
	CodeUpstreamUnreachable  = "upstream_unreachable"
	CodeUpstreamTimeout      = "upstream_timeout"
	CodeRateLimited          = "rate_limited"
	CodeChallengeFailed      = "challenge_failed"
)

// Error is every error the relay answers with, and what the UI shows. On the
// wire it is {"error": {"code", "message", "field"?, "upstream"?}}.
type Error struct {
	// Status is the HTTP status the error is sent with; not part of the body.
	Status int
	// Code is one of the Code constants.
	Code string
	// Message is a sentence a person can act on, in English: Key's
	// sentence in the English catalog, with Args filled in.
	Message string
	// Key and Args give the sentence in any language: Lang.Text(Key,
	// Args...). Not part of the body; Code is the stable key on the wire.
	Key  lang.Key
	Args []string
	// Field names the form field at fault, for field errors only.
	Field string
	// Upstream holds the upstream's own JSON error when it sent one. It must
	// be valid JSON; the relay checks before it sets it.
	Upstream []byte
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Code + " (" + e.Field + "): " + e.Message
	}
	return e.Code + ": " + e.Message
}

// NewError returns an error that is not about one field, with a message
// that has no translation (it stays English in every language).
func NewError(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// NewLocalizedError returns an error that is not about one field, whose
// sentence is key's, with args filling its placeholders (name, value…). An
// arg named "said" is the upstream's own words: they follow the sentence,
// quoted (lang.KeyUpstreamSaid).
func NewLocalizedError(status int, code string, key lang.Key, args ...string) *Error {
	e := &Error{Status: status, Code: code, Key: key, Args: args}
	e.Message = e.Text(lang.EN)
	return e
}

func fieldError(code, field string, key lang.Key, args ...string) *Error {
	e := NewLocalizedError(400, code, key, args...)
	e.Field = field
	return e
}

// Text returns the error's sentence in l.
func (e *Error) Text(l lang.Lang) string {
	if e.Key == lang.NoKey {
		return e.Message
	}
	s := l.Text(e.Key, e.Args...)
	for i := 0; i+1 < len(e.Args); i += 2 {
		if e.Args[i] == "said" && e.Args[i+1] != "" {
			s += " " + l.Text(lang.KeyUpstreamSaid, "said", e.Args[i+1])
		}
	}
	return s
}

// UpstreamRejectedKey is the sentence for the API's refusal (a 4xx, code
// CodeUpstreamRejected) with status: the relay says it, and the page says
// it again in its own language from the status alone.
func UpstreamRejectedKey(status int) lang.Key {
	switch status {
	case 429:
		return lang.KeyUpstreamBusy
	case 401, 403:
		return lang.KeyUpstreamRefused
	}
	return lang.KeyUpstreamRejected
}

// Duplicated is the error for a field given more than once.
func Duplicated(field string) *Error {
	return fieldError(CodeFieldDuplicated, field, lang.KeyFieldDuplicated, "field", field)
}

// JSON returns the error's wire body. It is written by hand so the Worker
// links no encoding/json (see package stdlite): not for speed, which
// BenchmarkErrorJSON shows is no better. TestErrorJSONIsEncodingJSONs
// holds it to encoding/json's output.
func (e *Error) JSON() []byte {
	b := make([]byte, 0, 64+len(e.Message)+len(e.Upstream))
	b = append(b, `{"error":{"code":`...)
	b = stdlite.AppendJSONString(b, e.Code)
	b = append(b, `,"message":`...)
	b = stdlite.AppendJSONString(b, e.Message)
	if e.Field != "" {
		b = append(b, `,"field":`...)
		b = stdlite.AppendJSONString(b, e.Field)
	}
	if len(e.Upstream) > 0 {
		b = append(b, `,"upstream":`...)
		b = append(b, e.Upstream...)
	}
	return append(b, "}}\n"...)
}
