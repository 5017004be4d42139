package stdlite

import (
	"strconv"
	"strings"
	"testing"
)

// A multipart body of maxMultipartParts parts is read; one more is refused.
func TestParseMultipartBoundsParts(t *testing.T) {
	body := func(parts int) []byte {
		var b strings.Builder
		for i := range parts {
			b.WriteString("--B\r\nContent-Disposition: form-data; name=\"f" + strconv.Itoa(i) + "\"\r\n\r\nx\r\n")
		}
		b.WriteString("--B--\r\n")
		return []byte(b.String())
	}
	if got, err := ParseMultipart("B", body(maxMultipartParts)); err != nil || len(got) != maxMultipartParts {
		t.Errorf("%d parts: %d fields, %v", maxMultipartParts, len(got), err)
	}
	if _, err := ParseMultipart("B", body(maxMultipartParts+1)); err != ErrMultipart {
		t.Errorf("%d parts: %v, want ErrMultipart", maxMultipartParts+1, err)
	}
}

// What fuzzing against mime/multipart found: a preamble line may hold the
// boundary without being a delimiter line, and only a part's first
// Content-Disposition counts.
func TestParseMultipartAsMimeDoes(t *testing.T) {
	part := "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n--b--\r\n"
	for _, tt := range []struct{ name, body, want string }{
		{"a preamble line that holds the boundary", "see --b below\r\n" + part, "Ann"},
		{"a preamble line of the boundary and a CR", "--b\r\r\n" + part, "Ann"},
		{"a preamble line of the boundary and more", "--bc\r\n" + part, "Ann"},
		{"two Content-Disposition headers", "--b\r\nContent-Disposition: form-data; name=\"name\"\r\nContent-Disposition: form-data; name=\"mail\"\r\n\r\nAnn\r\n--b--\r\n", "Ann"},
	} {
		got, err := ParseMultipart("b", []byte(tt.body))
		if err != nil || len(got) != 1 || len(got["name"]) != 1 || got["name"][0] != tt.want {
			t.Errorf("%s: %v, %v; want name=%s", tt.name, got, err, tt.want)
		}
	}
}
