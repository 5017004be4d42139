package tokendesk

import (
	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
)

// ParseBody parses a form body of the given Content-Type: urlencoded or
// multipart/form-data (stdlite.ParseForm). The body must already be
// bounded by MaxBodyBytes. Repeated fields are kept, so Validate can
// refuse them. Values are bytes as sent: Validate refuses any that are
// not UTF-8.
func ParseBody(contentType string, body []byte) (map[string][]string, *Error) {
	values, err := stdlite.ParseForm(contentType, body)
	switch err {
	case nil:
		return values, nil
	case stdlite.ErrMediaType:
		return nil, UnsupportedMediaType()
	case stdlite.ErrQuery:
		return nil, badForm(lang.KeyNotURLEncoded)
	case stdlite.ErrBoundary:
		return nil, badForm(lang.KeyNoBoundary)
	case stdlite.ErrFile:
		return nil, badForm(lang.KeyNoFiles)
	}
	return nil, badForm(lang.KeyMultipartUnreadable)
}

// UnsupportedMediaType is the error for a body that is not a form.
func UnsupportedMediaType() *Error {
	return NewLocalizedError(415, CodeUnsupportedMediaType, lang.KeyUnsupportedMediaType)
}

func badForm(key lang.Key) *Error { return NewLocalizedError(400, CodeBadForm, key) }

// BodyTooLarge is the error for a body over MaxBodyBytes.
func BodyTooLarge() *Error {
	return NewLocalizedError(413, CodeBodyTooLarge, lang.KeyBodyTooLarge)
}
