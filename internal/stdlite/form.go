package stdlite

import "errors"

// The form media types: what a form body may be sent as.
const (
	ContentTypeURLEncoded = "application/x-www-form-urlencoded"
	ContentTypeMultipart  = "multipart/form-data"
)

// maxMultipartParts bounds the parts read from a multipart body, so a body of
// many tiny parts costs no more than a few fields.
const maxMultipartParts = 16

// Why ParseForm refused a body.
var (
	ErrMediaType = errors.New("stdlite: the content type is not a form's")
	ErrQuery     = errors.New("stdlite: the body is not valid URL encoding")
	ErrBoundary  = errors.New("stdlite: the multipart content type has no valid boundary")
	ErrMultipart = errors.New("stdlite: the multipart body is malformed")
	ErrFile      = errors.New("stdlite: a multipart part is a file")
)

// ParseForm parses a form body of the given Content-Type, as
// http.Request.ParseForm and ParseMultipartForm read one: urlencoded or
// multipart/form-data. Repeated fields are kept. Values are bytes as sent,
// UTF-8 or not.
func ParseForm(contentType string, body []byte) (map[string][]string, error) {
	mediaType, params, ok := ParseMediaType(contentType)
	if !ok {
		return nil, ErrMediaType
	}
	switch mediaType {
	case ContentTypeURLEncoded:
		values, ok := ParseQuery(string(body))
		if !ok {
			return nil, ErrQuery
		}
		return values, nil
	case ContentTypeMultipart:
		return ParseMultipart(params["boundary"], body)
	}
	return nil, ErrMediaType
}
