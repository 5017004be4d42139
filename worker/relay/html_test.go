//go:build !(js && wasm)

package relay

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/internal/lang"
	_ "tokendesk/internal/lang/translations"
	"tokendesk/internal/stdlite"
	"tokendesk/worker/message"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// A plain post from a page in another language is answered in it; the
// JSON stays English; the lang field never goes upstream.
func TestHTMLAnswersInThePostingPagesLanguage(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, Log: func(*message.Request, LogEntry) {}}
	for _, l := range lang.All {
		form := url.Values{"name": {"Ann Lee"}, "mail": {"ann@example.com"}, "comment": {"x"}, tokendesk.FieldLang: {l.Tag()}}
		w := request{body: form.Encode(), header: map[string]string{"Accept": browserAccept}}.do(t, rl)
		page := w.Body.String()
		if w.Code != 200 || !strings.Contains(page, `<html lang="`+l.Tag()+`">`) ||
			!strings.Contains(page, html.EscapeString(l.Text(lang.KeyCannotRetrieve))) ||
			!strings.Contains(page, `href="`+l.Path()+`"`) {
			t.Errorf("%s: token page %d\n%s", l.Tag(), w.Code, page)
		}
		sent := up.last(t).body
		if sent != "name=Ann+Lee&mail=ann%40example.com&comment=x" {
			t.Errorf("%s: upstream got %q, want only name, mail and comment", l.Tag(), sent)
		}

		form.Set("mail", "nope")
		w = request{body: form.Encode(), header: map[string]string{"Accept": browserAccept}}.do(t, rl)
		page = w.Body.String()
		if w.Code != 400 || !strings.Contains(page, html.EscapeString(l.Text(lang.KeyMailInvalid))) ||
			!strings.Contains(page, `<input type="hidden" name="lang" value="`+l.Tag()+`">`) ||
			!strings.Contains(page, `value="nope"`) {
			t.Errorf("%s: error page %d\n%s", l.Tag(), w.Code, page)
		}

		e := decodeError(t, request{body: form.Encode()}.do(t, rl))
		if e.Error.Message != lang.EN.Text(lang.KeyMailInvalid) || e.Error.Code != tokendesk.CodeFieldInvalid {
			t.Errorf("%s: JSON error %+v, want the English message", l.Tag(), e.Error)
		}
	}
	// No lang, or one the desk does not speak: English.
	for _, v := range []string{"", "xx", "<b>"} {
		w := request{body: validForm + "&lang=" + url.QueryEscape(v), header: map[string]string{"Accept": browserAccept}}.do(t, rl)
		if !strings.Contains(w.Body.String(), `<html lang="en">`) {
			t.Errorf("lang=%q: not English:\n%s", v, w.Body)
		}
	}
}

// Exchanges for rejected, which words its sentence by path.
var (
	tokenX = &exchange{url: stdlite.ParseTarget("https://desk.example.com" + tokendesk.TokenPath)}
	checkX = &exchange{url: stdlite.ParseTarget("https://desk.example.com" + tokendesk.CheckPath)}
)

var (
	tagOrText = regexp.MustCompile(`<[^>]*>|[^<]+`)
	wordsAttr = regexp.MustCompile(`\s(aria-label|title|alt|placeholder)="([^"]*)"`)
)

// Every word of the HTML answers comes from the page's language's catalog
// (the relay writes none of its own), and none is English in another
// language.
func TestHTMLAnswersHaveNoTextOutsideTheCatalog(t *testing.T) {
	errs := []*tokendesk.Error{
		tokendesk.ValidateField(tokendesk.FieldName, ""),
		tokendesk.ValidateField(tokendesk.FieldComment, strings.Repeat("é", 1001)),
		tokendesk.Duplicated(tokendesk.FieldMail),
		tokendesk.BodyTooLarge(),
		rejected(tokenX, 429, []byte(`{"error":{"code":429,"message":"slow down"}}`)),
		rejected(tokenX, 403, nil),
		rejected(checkX, 422, []byte(`{"error":{"code":0,"message":"unknown"}}`)),
		rejected(checkX, 400, nil),
		upstreamUnreachable(),
		tokendesk.NewLocalizedError(404, tokendesk.CodeNotFound, lang.KeyNotFound, "path", tokendesk.TokenPath, "check", tokendesk.CheckPath),
		tokendesk.NewLocalizedError(405, tokendesk.CodeMethodNotAllowed, lang.KeyUsePostCheck),
		tokendesk.NewLocalizedError(504, tokendesk.CodeUpstreamTimeout, lang.KeyUpstreamTimeout, "timeout", "10s"),
	}
	values := url.Values{"name": {"Ann"}, "mail": {"ann@example.com"}, "token": {"x"}}
	for _, l := range lang.All {
		var allowed []*regexp.Regexp
		for k := lang.FirstKey; k <= lang.LastKey; k++ {
			allowed = append(allowed, regexp.MustCompile(`^`+regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(l.Text(k)), `.+`)+`$`))
		}
		token := &exchange{url: stdlite.ParseTarget("https://desk.example.com" + tokendesk.TokenPath), lang: l, values: values}
		check := &exchange{url: stdlite.ParseTarget("https://desk.example.com" + tokendesk.CheckPath), lang: l, values: values}
		pages := map[string]string{
			"token":   string(pageToken(token, "4520efa4-ee63-4a6d-a585-091dc338ee28")),
			"checked": string(pageChecked(check)),
		}
		for _, e := range errs {
			pages["token "+e.Code+" "+e.Message] = string(pageError(token, e))
			pages["check "+e.Code+" "+e.Message] = string(pageError(check, e))
		}
		for name, page := range pages {
			for _, part := range tagOrText.FindAllString(page, -1) {
				var texts []string
				if strings.HasPrefix(part, "<") {
					for _, m := range wordsAttr.FindAllStringSubmatch(part, -1) {
						texts = append(texts, html.UnescapeString(m[2]))
					}
				} else if s := strings.TrimSpace(html.UnescapeString(part)); s != "" {
					texts = append(texts, s)
				}
				// Every text of the part, each attribute of a tag included.
			texts:
				for _, text := range texts {
					if strings.HasSuffix(text, " · "+l.Text(lang.KeySiteName)) {
						text = strings.TrimSuffix(text, " · "+l.Text(lang.KeySiteName))
					}
					for _, re := range allowed {
						if re.MatchString(text) {
							continue texts
						}
					}
					// A sentence followed by the upstream's quoted words.
					if strings.Contains(text, l.Text(lang.KeyUpstreamSaid, "said", "slow down")) {
						continue texts
					}
					t.Errorf("%s %s: %q is not a sentence of the %s catalog", l.Tag(), name, text, l.Tag())
				}
			}
			if l == lang.EN {
				continue
			}
			for k := lang.FirstKey; k <= lang.LastKey; k++ {
				if en := lang.EN.Text(k); en != l.Text(k) && len(en) > 12 && strings.Contains(html.UnescapeString(page), en) {
					t.Errorf("%s %s: English %q", l.Tag(), name, en)
				}
			}
		}
	}
}

// last is the last request the upstream received.
func (u *upstream) last(t *testing.T) received {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.requests) == 0 {
		t.Fatal("the upstream received nothing")
	}
	return u.requests[len(u.requests)-1]
}
