package tokendesk

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
)

// Content types the relay accepts.
const (
	ContentTypeURLEncoded = "application/x-www-form-urlencoded"
	ContentTypeMultipart  = "multipart/form-data"
)

// maxMultipartParts bounds the parts read from a multipart body, so a body of
// many tiny parts costs no more than a few fields.
const maxMultipartParts = 16

// ParseBody parses a form body of the given Content-Type. The body must
// already be bounded by MaxBodyBytes; ParseBody does not read past it.
// Repeated fields are kept, so Validate can refuse them.
func ParseBody(contentType string, body []byte) (url.Values, *Error) {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, UnsupportedMediaType()
	}
	switch mediaType {
	case ContentTypeURLEncoded:
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, badForm("The form body is not valid URL encoding. Encode each field with encodeURIComponent or curl --data-urlencode.")
		}
		return values, nil
	case ContentTypeMultipart:
		return parseMultipart(params["boundary"], body)
	}
	return nil, UnsupportedMediaType()
}

func parseMultipart(boundary string, body []byte) (url.Values, *Error) {
	if boundary == "" {
		return nil, badForm("The multipart body has no boundary in its Content-Type.")
	}
	reader := multipart.NewReader(bytes.NewReader(body), boundary)
	values := url.Values{}
	for parts := 0; ; parts++ {
		part, err := reader.NextPart()
		if errors.Is(err, io.EOF) {
			return values, nil
		}
		if err != nil || parts == maxMultipartParts {
			return nil, badForm("The multipart body could not be read. Send name, mail and comment as plain form fields.")
		}
		name := part.FormName()
		if part.FileName() != "" {
			return nil, badForm("The form takes no files. Send name, mail and comment as plain text fields.")
		}
		value, err := io.ReadAll(io.LimitReader(part, MaxBodyBytes))
		if err != nil {
			return nil, badForm("The multipart body could not be read. Send name, mail and comment as plain form fields.")
		}
		if name != "" {
			values[name] = append(values[name], string(value))
		}
	}
}

// UnsupportedMediaType is the error for a body that is not a form.
func UnsupportedMediaType() *Error {
	return NewError(415, CodeUnsupportedMediaType,
		"Send the form as application/x-www-form-urlencoded or multipart/form-data.")
}

func badForm(message string) *Error { return NewError(400, CodeBadForm, message) }

// BodyTooLarge is the error for a body over MaxBodyBytes.
func BodyTooLarge() *Error {
	return NewError(413, CodeBodyTooLarge,
		"The form is too large. Name, email and comment together must stay under 8 KiB.")
}
