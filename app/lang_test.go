package app

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// rendersIn renders what a person can meet on the desk's pages in lang:
// the full page and the embed (with the update notice), the form with
// field errors, busy, with a form error, and the reveal (copied, and copy
// failed).
func rendersIn(t *testing.T, lang tokendesk.Lang) map[string]string {
	t.Helper()
	out := map[string]string{}

	for name, p := range map[string]*Page{"page": NewPage(lang), "embed": NewEmbed(lang)} {
		disp := app.NewServerTester(p)
		p.updateAvailable = true
		out[name] = app.HTMLString(p)
		disp.Close()
	}

	client := func(name string, env *fakeEnv, steps func(app.ClientDispatcher, *Desk)) {
		d := NewDesk(lang).withEnv(env)
		disp := app.NewClientTester(d)
		defer disp.Close()
		steps(disp, d)
		out[name] = app.HTMLString(d)
	}
	client("field errors", &fakeEnv{}, func(disp app.ClientDispatcher, d *Desk) {
		do(disp, d, d.submit)
	})
	client("one field error", &fakeEnv{}, func(disp app.ClientDispatcher, d *Desk) {
		fill(disp, d)
		d.s.values[tokendesk.FieldMail] = "nobody"
		do(disp, d, d.submit)
	})
	client("busy", &fakeEnv{}, func(disp app.ClientDispatcher, d *Desk) {
		fill(disp, d)
		do(disp, d, func(app.Context) { d.s.submit() })
	})
	for _, answer := range []Answer{
		// As the relay sends them: the message in English.
		{Status: 429, Code: tokendesk.CodeRateLimited, Message: en(tokendesk.KeyRateLimited)},
		{Status: 502, Code: tokendesk.CodeUpstreamFailed, Message: en(tokendesk.KeyUpstreamFailed)},
		{Status: 400, Code: tokendesk.CodeFieldInvalid, Field: tokendesk.FieldMail, Message: en(tokendesk.KeyMailInvalid)},
		{Status: 403, Code: tokendesk.CodeUpstreamRejected, Message: en(tokendesk.KeyUpstreamRefused)},
		{Status: 500},
	} {
		client("answer "+answer.Code, &fakeEnv{answer: answer}, func(disp app.ClientDispatcher, d *Desk) {
			fill(disp, d)
			if answer.Field != "" {
				d.s.values[answer.Field] = "nobody@"
			}
			do(disp, d, d.submit)
		})
	}
	client("offline", &fakeEnv{failure: Offline}, func(disp app.ClientDispatcher, d *Desk) {
		fill(disp, d)
		do(disp, d, d.submit)
	})
	const token = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"
	client("copied", &fakeEnv{answer: Answer{Status: 200, Token: token}, copyOK: true}, func(disp app.ClientDispatcher, d *Desk) {
		fill(disp, d)
		do(disp, d, d.submit)
		do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	})
	client("copy failed, hidden", &fakeEnv{answer: Answer{Status: 200, Token: token}}, func(disp app.ClientDispatcher, d *Desk) {
		fill(disp, d)
		do(disp, d, d.submit)
		do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) })
		do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	})
	return out
}

var (
	tagOrText   = regexp.MustCompile(`<[^>]*>|[^<]+`)
	textAttr    = regexp.MustCompile(`\s(aria-label|title|alt|placeholder|data-offer)="([^"]*)"`)
	placeholder = regexp.MustCompile(`\\\{[a-z]+\\\}`)
)

// visibleTexts lists what a person reads or hears in markup: text nodes and
// the attributes that carry words.
func visibleTexts(markup string) []string {
	var texts []string
	for _, part := range tagOrText.FindAllString(markup, -1) {
		if strings.HasPrefix(part, "<") {
			for _, m := range textAttr.FindAllStringSubmatch(part, -1) {
				texts = append(texts, html.UnescapeString(m[2]))
			}
			continue
		}
		if s := strings.TrimSpace(html.UnescapeString(part)); s != "" {
			texts = append(texts, s)
		}
	}
	return texts
}

// sentencePattern matches a catalog sentence with any value in its
// placeholders.
func sentencePattern(s string) *regexp.Regexp {
	return regexp.MustCompile(`^` + placeholder.ReplaceAllString(regexp.QuoteMeta(s), `.+`) + `$`)
}

// Every word on every page in every language comes from that language's
// catalog. The exceptions are the switcher's entries, each in its own
// language (its name and its one-line offer), the product's name and the
// token. So no English can hide in a component, and no English sentence
// shows on a page in another language.
func TestEveryTextComesFromTheCatalog(t *testing.T) {
	for _, lang := range tokendesk.Langs {
		var allowed []*regexp.Regexp
		for k := tokendesk.FirstKey; k <= tokendesk.LastKey; k++ {
			allowed = append(allowed, sentencePattern(lang.Text(k)))
		}
		for _, other := range tokendesk.Langs {
			allowed = append(allowed,
				sentencePattern(other.Text(tokendesk.KeyLangName)),
				sentencePattern(other.Text(tokendesk.KeyOfferLang)))
		}
		neutral := []string{BrandName, "/", "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"}

		for name, markup := range rendersIn(t, lang) {
			if !strings.Contains(markup, lang.Text(tokendesk.KeyFormTitle)) && !strings.Contains(markup, lang.Text(tokendesk.KeyResultTitle)) {
				t.Errorf("%s %s: no title in the language:\n%s", lang.Tag(), name, markup)
			}
		texts:
			for _, text := range visibleTexts(markup) {
				for _, n := range neutral {
					if text == n {
						continue texts
					}
				}
				for _, re := range allowed {
					if re.MatchString(text) {
						continue texts
					}
				}
				t.Errorf("%s %s: %q is not a sentence of the %s catalog", lang.Tag(), name, text, lang.Tag())
			}
			if lang == tokendesk.EN {
				continue
			}
			// And the other way round: no English sentence, where the
			// language's differs (German "Name" is both).
			for k := tokendesk.FirstKey; k <= tokendesk.LastKey; k++ {
				english := tokendesk.EN.Text(k)
				if english == lang.Text(k) || k == tokendesk.KeyOfferLang || k == tokendesk.KeyLangName {
					continue
				}
				re := sentencePattern(english)
				for _, text := range visibleTexts(markup) {
					if re.MatchString(text) {
						t.Errorf("%s %s: English %q", lang.Tag(), name, text)
					}
				}
			}
		}
	}
}

func TestSwitcherLinksEveryLanguage(t *testing.T) {
	for _, lang := range tokendesk.Langs {
		for page, p := range map[string]*Page{"/": NewPage(lang), EmbedPath: NewEmbed(lang)} {
			disp := app.NewServerTester(p)
			markup := app.HTMLString(p)
			disp.Close()
			for _, l := range tokendesk.Langs {
				link := regexp.MustCompile(`<a [^>]*href="` + regexp.QuoteMeta(l.PagePath(page)) + `"[^>]*>`).FindString(markup)
				if link == "" {
					t.Errorf("%s%s: no link to %s", lang.Tag(), page, l.PagePath(page))
					continue
				}
				for _, want := range []string{`hreflang="` + l.Tag() + `"`, `lang="` + l.Tag() + `"`} {
					if !strings.Contains(link, want) {
						t.Errorf("%s%s: link %s has no %s", lang.Tag(), page, link, want)
					}
				}
				if current := strings.Contains(link, "aria-current"); current != (l == lang) {
					t.Errorf("%s%s: link %s: aria-current %v", lang.Tag(), page, link, current)
				}
			}
		}
	}
}
