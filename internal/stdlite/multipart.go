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
	delimiter := []byte("--" + boundary)
	rest, ok := openingDelimiter(body, delimiter)
	if !ok {
		return nil, ErrMultipart
	}
	values := map[string][]string{}
	for parts := 0; ; parts++ {
		if bytes.HasPrefix(rest, []byte("--")) {
			// The close delimiter; an epilogue on later lines is ignored.
			if !endsLine(rest[2:]) {
				return nil, ErrMultipart
			}
			return values, nil
		}
		if rest, ok = cutNewline(skipLinearSpace(rest)); !ok || parts == maxMultipartParts {
			return nil, ErrMultipart
		}
		var h partHeader
		if h, rest, ok = readPartHeader(rest); !ok {
			return nil, ErrMultipart
		}
		if h.file {
			return nil, ErrFile
		}
		var content []byte
		if content, rest, ok = readPartContent(rest, delimiter); !ok {
			return nil, ErrMultipart
		}
		if !bytes.HasPrefix(rest, []byte("--")) && !endsLine(rest) {
			return nil, ErrMultipart // junk after a delimiter
		}
		if h.named && h.name != "" {
			values[h.name] = append(values[h.name], string(content))
		}
	}
}

// openingDelimiter returns what follows the first delimiter line of body:
// the delimiter at the start of a line, then white space to the line's
// end, or the close delimiter's line. What comes before is the preamble,
// which is ignored, as are lines in it that only hold the delimiter.
func openingDelimiter(body, delimiter []byte) ([]byte, bool) {
	for {
		if rest, ok := bytes.CutPrefix(body, delimiter); ok && (endsLine(rest) || bytes.HasPrefix(rest, []byte("--")) && endsLine(rest[2:])) {
			return rest, true
		}
		i := bytes.IndexByte(body, '\n')
		if i < 0 {
			return nil, false
		}
		body = body[i+1:]
	}
}

// partHeader is what a part's header lines say: the field its
// Content-Disposition names, and whether the part is a file.
type partHeader struct {
	name        string
	named, file bool
}

// readPartHeader reads a part's header lines, up to the blank line, and
// returns what follows it. Only the first Content-Disposition counts, as
// in mime/multipart.
func readPartHeader(rest []byte) (partHeader, []byte, bool) {
	var h partHeader
	disposed := false
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return h, nil, false
		}
		var line []byte
		line, rest = bytes.TrimSuffix(rest[:i], []byte("\r")), rest[i+1:]
		if len(line) == 0 {
			return h, rest, true
		}
		key, value, found := strings.Cut(string(line), ":")
		if !found || !isToken(key) || strings.ContainsFunc(value, isControl) {
			return h, nil, false
		}
		if strings.EqualFold(key, "Content-Disposition") && !disposed {
			disposed = true
			disposition, params, ok := parseDisposition(value)
			if !ok {
				return h, nil, false
			}
			// Only a form-data part names a field.
			h.name, h.named = params["name"]
			h.named = h.named && disposition == "form-data"
			_, h.file = params["filename"]
		}
	}
}

// readPartContent reads a part's content, which runs to the next
// delimiter: that starts a line, or the content when it is empty. It
// returns what follows the delimiter.
func readPartContent(rest, delimiter []byte) (content, after []byte, ok bool) {
	if startsDelimiter(rest, delimiter) {
		return nil, rest[len(delimiter):], true
	}
	for at := 0; ; {
		i := bytes.Index(rest[at:], append([]byte("\n"), delimiter...))
		if i < 0 {
			return nil, nil, false
		}
		end := at + i
		if startsDelimiter(rest[end+1:], delimiter) {
			return bytes.TrimSuffix(rest[:end], []byte("\r")), rest[end+1+len(delimiter):], true
		}
		at = end + 1
	}
}

// endsLine reports whether b, after white space, ends its line (CRLF or
// LF) or the body.
func endsLine(b []byte) bool {
	after := skipLinearSpace(b)
	return len(after) == 0 || after[0] == '\n' || bytes.HasPrefix(after, []byte("\r\n"))
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
