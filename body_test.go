package tokendesk

import (
	"strconv"
	"strings"
	"testing"

	"tokendesk/internal/stdlite"
)

func TestParseBody(t *testing.T) {
	part := func(name, extra, value string) string {
		return "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"" + extra + "\r\n\r\n" + value + "\r\n"
	}
	many := ""
	for i := range 100 {
		many += part("f"+strconv.Itoa(i), "", "x")
	}
	const mp = "multipart/form-data; boundary=B"
	tests := []struct {
		name, contentType, body string
		want                    map[string][]string
		status                  int
		code                    string
	}{
		{"urlencoded", stdlite.ContentTypeURLEncoded, "name=Ann+Lee&mail=a%40b.io", map[string][]string{"name": {"Ann Lee"}, "mail": {"a@b.io"}}, 0, ""},
		{"urlencoded with a charset", stdlite.ContentTypeURLEncoded + "; charset=UTF-8", "name=A", map[string][]string{"name": {"A"}}, 0, ""},
		{"repeated fields are kept", stdlite.ContentTypeURLEncoded, "name=A&name=B", map[string][]string{"name": {"A", "B"}}, 0, ""},
		{"a bad escape", stdlite.ContentTypeURLEncoded, "name=%zz", nil, 400, CodeBadForm},
		{"a semicolon", stdlite.ContentTypeURLEncoded, "name=A;mail=b", nil, 400, CodeBadForm},
		{"multipart", mp, part("name", "", "Ann") + part("mail", "", "a@b.io") + "--B--\r\n", map[string][]string{"name": {"Ann"}, "mail": {"a@b.io"}}, 0, ""},
		{"multipart: a file part is refused", mp, part("name", `; filename="a.txt"`, "Ann") + "--B--\r\n", nil, 400, CodeBadForm},
		{"multipart: many parts are refused", mp, many + "--B--\r\n", nil, 400, CodeBadForm},
		{"multipart without a boundary", "multipart/form-data", part("name", "", "Ann"), nil, 400, CodeBadForm},
		{"multipart without its close", mp, part("name", "", "Ann"), nil, 400, CodeBadForm},
		{"another type", "text/plain", "name=Ann", nil, 415, CodeUnsupportedMediaType},
		{"no type", "", "name=Ann", nil, 415, CodeUnsupportedMediaType},
		{"a malformed type", "application/x-www-form-urlencoded; =x", "name=Ann", nil, 415, CodeUnsupportedMediaType},
	}
	for _, tt := range tests {
		got, err := ParseBody(tt.contentType, []byte(tt.body))
		if tt.status != 0 {
			if err == nil || err.Status != tt.status || err.Code != tt.code {
				t.Errorf("%s: got %v, %v; want %d %s", tt.name, got, err, tt.status, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
		for k, v := range tt.want {
			if strings.Join(got[k], "\x00") != strings.Join(v, "\x00") {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, got[k], v)
			}
		}
	}
}
