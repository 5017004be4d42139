package stdlite

import (
	"bytes"
	"strings"
)

// ParseMultipart reads a multipart/form-data body (RFC 7578): each part is
// one field, named by its Content-Disposition. A file is ErrFile; no
// boundary, or one too long, is ErrBoundary; more than maxMultipartParts
// parts, or anything malformed, is ErrMultipart.
func ParseMultipart(boundary string, body []byte) (map[string][]string, error) {
	if boundary == "" || len(boundary) > 70 {
		return nil, ErrBoundary
	}
	unreadable := ErrMultipart
	delimiter := []byte("--" + boundary)
	// The first delimiter may follow a preamble, which is ignored.
	start := bytes.Index(body, delimiter)
	if start < 0 || (start > 0 && !bytes.HasSuffix(body[:start], []byte("\n"))) {
		return nil, unreadable
	}
	rest := body[start+len(delimiter):]
	values := map[string][]string{}
	for parts := 0; ; parts++ {
		if bytes.HasPrefix(rest, []byte("--")) {
			// The close delimiter; an epilogue on later lines is ignored.
			if after := skipLinearSpace(rest[2:]); len(after) > 0 && after[0] != '\r' && after[0] != '\n' {
				return nil, unreadable
			}
			return values, nil
		}
		rest = skipLinearSpace(rest)
		var ok bool
		if rest, ok = cutNewline(rest); !ok {
			return nil, unreadable
		}
		if parts == maxMultipartParts {
			return nil, unreadable
		}
		// Headers, up to the blank line.
		var name string
		hasName, isFile := false, false
		for {
			var line []byte
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				return nil, unreadable
			}
			line, rest = bytes.TrimSuffix(rest[:i], []byte("\r")), rest[i+1:]
			if len(line) == 0 {
				break
			}
			key, value, found := strings.Cut(string(line), ":")
			if !found || !isToken(key) || strings.ContainsFunc(value, isControl) {
				return nil, unreadable
			}
			if strings.EqualFold(key, "Content-Disposition") {
				disposition, params, ok := parseDisposition(value)
				if !ok {
					return nil, unreadable
				}
				// Only a form-data part names a field.
				name, hasName = params["name"]
				hasName = hasName && disposition == "form-data"
				_, isFile = params["filename"]
			}
		}
		if isFile {
			return nil, ErrFile
		}
		// The content runs to the next delimiter, which starts a line (or
		// the content, when it is empty).
		var content []byte
		if startsDelimiter(rest, delimiter) {
			rest = rest[len(delimiter):]
		} else {
			end := -1
			for at := 0; end < 0; {
				i := bytes.Index(rest[at:], append([]byte("\n"), delimiter...))
				if i < 0 {
					return nil, unreadable
				}
				if startsDelimiter(rest[at+i+1:], delimiter) {
					end = at + i
				}
				at += i + 1
			}
			content = bytes.TrimSuffix(rest[:end], []byte("\r"))
			rest = rest[end+1+len(delimiter):]
		}
		if !bytes.HasPrefix(rest, []byte("--")) {
			if after := skipLinearSpace(rest); len(after) > 0 && after[0] != '\r' && after[0] != '\n' {
				return nil, unreadable // junk after a delimiter
			}
		}
		if hasName && name != "" {
			values[name] = append(values[name], string(content))
		}
	}
}

// parseDisposition parses a Content-Disposition value: a disposition type
// and its parameters, as a media type's.
func parseDisposition(v string) (string, map[string]string, bool) {
	v = strings.TrimSpace(v)
	typ, params, _ := strings.Cut(v, ";")
	mediaType, parsed, ok := ParseMediaType(strings.TrimSpace(typ) + "/x;" + params)
	if !ok {
		return "", nil, false
	}
	return strings.TrimSuffix(mediaType, "/x"), parsed, true
}

// startsDelimiter reports whether b starts with what ends a part: the
// delimiter, then "--", white space or a newline (as mime/multipart
// decides; junk after white space is then an error).
func startsDelimiter(b, delimiter []byte) bool {
	if !bytes.HasPrefix(b, delimiter) {
		return false
	}
	after := b[len(delimiter):]
	return len(after) == 0 || bytes.HasPrefix(after, []byte("--")) || after[0] == ' ' || after[0] == '\t' || after[0] == '\r' || after[0] == '\n'
}

func skipLinearSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// cutNewline removes the CRLF (or LF) that must end a delimiter line.
func cutNewline(b []byte) ([]byte, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\r\n")):
		return b[2:], true
	case bytes.HasPrefix(b, []byte("\n")):
		return b[1:], true
	}
	return nil, false
}

// isControl reports a control character other than tab, which a MIME
// header value may not hold.
func isControl(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }
