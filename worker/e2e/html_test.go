package e2e

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tokendesk/internal/emulator"
)

func testHTML(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	t.Run("success page", func(t *testing.T) {
		mail := "html.ok.e2e@example.com"
		a := c.post(t, url.Values{"name": {"Html Ok e2e"}, "mail": {mail}, "comment": {"html ok comment e2e"}},
			http.Header{"Accept": {browserAccept}, "Origin": {c.s.URL}})
		if a.resp.StatusCode != 200 {
			t.Fatalf("status %d body %q", a.resp.StatusCode, a.body)
		}
		tok, ok := emu.TokenFor(mail)
		if !ok {
			t.Fatal("no token issued")
		}
		c.sawToken(tok)
		if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type = %q, want text/html", ct)
		}
		if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		if !bytes.Contains(a.body, []byte(`value="`+html.EscapeString(tok)+`"`)) {
			t.Errorf("page does not show the token %q:\n%s", tok, a.body)
		}
		if bytes.Contains(a.body, []byte("<script")) {
			t.Errorf("page has a script")
		}
	})
	t.Run("error page keeps the values", func(t *testing.T) {
		before := emu.Count()
		name := `Zoë <b>"Bold"</b> & e2e-html`
		badMail := `not-a-mail"><script>alert(1)</script>`
		comment := "keep me ✓ <i>e2e</i>"
		a := c.post(t, url.Values{"name": {name}, "mail": {badMail}, "comment": {comment}},
			http.Header{"Accept": {browserAccept}})
		if a.resp.StatusCode != 400 {
			t.Fatalf("status %d, want 400; body %s", a.resp.StatusCode, a.body)
		}
		if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type = %q, want text/html", ct)
		}
		if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		page := string(a.body)
		for _, v := range []string{name, badMail, comment} {
			if !strings.Contains(page, html.EscapeString(v)) {
				t.Errorf("page does not keep %q (escaped %q)", v, html.EscapeString(v))
			}
		}
		if strings.Contains(page, "<script>") {
			t.Errorf("a value was not escaped:\n%s", page)
		}
		if !regexp.MustCompile(`id="mail"[^>]*aria-invalid="true"`).MatchString(page) {
			t.Errorf("the mail field is not marked invalid:\n%s", page)
		}
		wantUnchanged(t, emu, before)
	})
	t.Run("upstream error page keeps the values", func(t *testing.T) {
		name, mail := "Html Fault e2e", "html.fault.e2e@example.com"
		emu.FaultNext(emulator.Fault5xx, 1)
		a := c.post(t, url.Values{"name": {name}, "mail": {mail}}, http.Header{"Accept": {browserAccept}})
		if a.resp.StatusCode != 502 || !strings.HasPrefix(a.resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d type %q, want 502 text/html", a.resp.StatusCode, a.resp.Header.Get("Content-Type"))
		}
		for _, v := range []string{name, mail} {
			if !strings.Contains(string(a.body), `value="`+html.EscapeString(v)+`"`) {
				t.Errorf("page does not keep %q", v)
			}
		}
	})
}
