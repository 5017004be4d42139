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
