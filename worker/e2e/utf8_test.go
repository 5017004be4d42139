package e2e

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// TestBytesAreNeverChanged: a field that is not valid UTF-8 is refused
// with 400 field_invalid naming it, in urlencoded and multipart bodies
// alike, and nothing reaches the upstream; valid UTF-8 arrives byte for
// byte. (Bodies cross from JS to Go as bytes, never decoded to a string.)
func TestBytesAreNeverChanged(t *testing.T) {
	t.Parallel()
	s := plain.alone(t)
	c := newClient(s)
	multipartBody := func(fields ...[2]string) (string, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for _, f := range fields {
			w, _ := mw.CreateFormField(f[0])
			w.Write([]byte(f[1]))
		}
		mw.Close()
		return mw.FormDataContentType(), b.String()
	}
	mpName, mpNameBody := multipartBody([2]string{"name", "An\xffn"}, [2]string{"mail", "ann@example.com"})
	mpComment, mpCommentBody := multipartBody([2]string{"name", "Ann"}, [2]string{"mail", "ann@example.com"}, [2]string{"comment", "caf\xe9"})
	refused := []struct {
		name, contentType, body, field string
	}{
		{"urlencoded, a raw byte in name", ctURLEncoded, "name=An\xffn&mail=ann%40example.com", "name"},
		{"urlencoded, a percent-encoded byte in mail", ctURLEncoded, "name=Ann&mail=ann%FF%40example.com", "mail"},
		{"urlencoded, Latin-1 in comment", ctURLEncoded, "name=Ann&mail=ann%40example.com&comment=caf\xe9", "comment"},
		{"urlencoded, a lone surrogate encoded as UTF-8", ctURLEncoded, "name=%ED%A0%80&mail=ann%40example.com", "name"},
		{"multipart, a raw byte in name", mpName, mpNameBody, "name"},
		{"multipart, Latin-1 in comment", mpComment, mpCommentBody, "comment"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Emulator.Count()
			a := c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {tc.contentType}, "Accept": {"application/json"}}, strings.NewReader(tc.body))
			wantError(t, a, http.StatusBadRequest, "field_invalid", tc.field)
			wantUnchanged(t, s.Emulator, before)
		})
	}

	t.Run("a plain form post gets the page, not a mangled value", func(t *testing.T) {
		before := s.Emulator.Count()
		a := c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {ctURLEncoded}, "Accept": {"text/html"}}, strings.NewReader("name=An\xffn&mail=ann%40example.com"))
		if a.resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(a.body), "not text") {
			t.Errorf("status %d, body %q", a.resp.StatusCode, a.body)
		}
		wantUnchanged(t, s.Emulator, before)
	})

	for _, tc := range []struct{ name, contentType, body string }{
		{"urlencoded, raw UTF-8", ctURLEncoded, "name=Zo\u00eb \u674e&mail=zoe%40example.com&comment=\U0001F600"},
		{"multipart, raw UTF-8", "", ""},
	} {
		t.Run("valid: "+tc.name, func(t *testing.T) {
			if tc.contentType == "" {
				tc.contentType, tc.body = multipartBody([2]string{"name", "Zo\u00eb \u674e"}, [2]string{"mail", "zoe@example.com"}, [2]string{"comment", "\U0001F600"})
			}
			before := s.Emulator.Count()
			a := c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {tc.contentType}, "Accept": {"application/json"}}, strings.NewReader(tc.body))
			if a.resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", a.resp.StatusCode, a.body)
			}
			got := lastRequest(t, s.Emulator, before).Form
			if got.Get("name") != "Zo\u00eb \u674e" || got.Get("comment") != "\U0001F600" {
				t.Errorf("the upstream received %q", got)
			}
		})
	}
}
