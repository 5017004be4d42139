package app

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
	_ "tokendesk/internal/lang/translations"
)

// rendersIn renders what a person can meet on the desk's pages in lang:
// the full page and the embed (with the update notice), the form with
// field errors, busy, with a form error, and the reveal (copied, and copy
// failed), the check page with each of its answers, and the reveal's "Check
// it now" and "Use it now".
func rendersIn(t *testing.T, l lang.Lang) map[string]string {
	t.Helper()
	out := map[string]string{}

	for name, p := range map[string]*Page{
		"page": NewPage(l), "embed": NewEmbed(l),
		"check page": NewCheckPage(l), "embedded check": NewEmbedCheck(l),
	} {
		disp := app.NewServerTester(p)
		p.updateAvailable = true
		out[name] = app.HTMLString(p)
		disp.Close()
	}

	client := func(name string, env *fakeEnv, steps func(app.ClientDispatcher, *Desk)) {
		d := NewDesk(l).withEnv(env)
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
		{Status: 429, Code: tokendesk.CodeRateLimited, Message: en(lang.KeyRateLimited)},
		{Status: 502, Code: tokendesk.CodeUpstreamFailed, Message: en(lang.KeyUpstreamFailed)},
		{Status: 400, Code: tokendesk.CodeFieldInvalid, Field: tokendesk.FieldMail, Message: en(lang.KeyMailInvalid)},
		{Status: 403, Code: tokendesk.CodeUpstreamRejected, Message: en(lang.KeyUpstreamRefused)},
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
	const token = knownToken
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

	// The token check: the page, its answers and its field error.
	checker := func(name string, env *fakeEnv, steps func(app.ClientDispatcher, *Checker)) {
		c := NewChecker(l).withEnv(env)
		disp := app.NewClientTester(c)
		defer disp.Close()
		disp.Consume()
		doCheck(disp, c, func(ctx app.Context) { c.OnMount(ctx) })
		steps(disp, c)
		out[name] = app.HTMLString(c)
	}
	checkWith := func(value string) func(app.ClientDispatcher, *Checker) {
		return func(disp app.ClientDispatcher, c *Checker) {
			doCheck(disp, c, func(ctx app.Context) {
				c.s.setValue(value, true)
				c.onSubmit(ctx, app.Event{Value: app.Undefined()})
			})
		}
	}
	checker("check: not a token", &fakeEnv{}, checkWith("0b8f6c2e-6f3e"))
	checker("check: busy, shown", &fakeEnv{}, func(disp app.ClientDispatcher, c *Checker) {
		doCheck(disp, c, func(ctx app.Context) {
			c.onToggle(ctx, app.Event{})
			c.s.setValue(token, false)
			c.s.submit()
		})
	})
	for name, a := range map[string]CheckAnswer{
		"registered":           {Status: 200, Result: true, UpstreamCode: -1},
		"unregistered":         {Status: 422, Code: tokendesk.CodeUpstreamRejected, UpstreamCode: 0},
		"auth failed":          {Status: 422, Code: tokendesk.CodeUpstreamRejected, UpstreamCode: 1},
		"rejected":             {Status: 403, Code: tokendesk.CodeUpstreamRejected, UpstreamCode: -1},
		"unavailable":          {Status: 502, Code: tokendesk.CodeUpstreamFailed, UpstreamCode: -1},
		"timed out":            {Status: 504, Code: tokendesk.CodeUpstreamTimeout, UpstreamCode: -1},
		"rate limited":         {Status: 429, Code: tokendesk.CodeRateLimited, UpstreamCode: -1},
		"unreadable":           {Status: 200, UpstreamCode: -1},
		"refused by the relay": {Status: 400, Code: tokendesk.CodeFieldInvalid, Field: tokendesk.FieldToken, Message: en(lang.KeyCheckTokenInvalid), UpstreamCode: -1},
	} {
		checker("check: "+name, &fakeEnv{checkAnswer: a}, checkWith(token))
	}
	for _, f := range []Failure{Offline, Unreachable} {
		checker("check: failure "+strconv.Itoa(int(f)), &fakeEnv{checkFailure: f}, checkWith(token))
	}

	// The reveal's "Check it now" and "Use it now".
	revealed := func(name string, env *fakeEnv, steps func(app.ClientDispatcher, *Desk)) {
		env.answer = Answer{Status: 200, Token: token}
		client(name, env, func(disp app.ClientDispatcher, d *Desk) {
			fill(disp, d)
			do(disp, d, d.submit)
			steps(disp, d)
		})
	}
	revealed("checked now", &fakeEnv{checkAnswer: CheckAnswer{Status: 200, Result: true, UpstreamCode: -1}, copyOK: true}, func(disp app.ClientDispatcher, d *Desk) {
		do(disp, d, func(ctx app.Context) { d.onCheckNow(ctx, app.Event{}) })
		do(disp, d, func(ctx app.Context) { d.onCopySnippet("env")(ctx, app.Event{}) })
	})
	revealed("checking now, snippet copy failed", &fakeEnv{}, func(disp app.ClientDispatcher, d *Desk) {
		do(disp, d, func(ctx app.Context) { d.onCopySnippet("curl")(ctx, app.Event{}) })
		do(disp, d, func(app.Context) { d.s.startCheckNow() })
	})
	// "Keep it safe" and the clipboard's countdown, in each outcome.
	kept := func(name string, k *fakeKeeper, steps func(app.ClientDispatcher, *Desk)) {
		revealed(name, &fakeEnv{copyOK: true}, func(disp app.ClientDispatcher, d *Desk) {
			d.keep = k
			do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
			steps(disp, d)
		})
	}
	save := func(disp app.ClientDispatcher, d *Desk) {
		do(disp, d, func(ctx app.Context) { d.onSave(ctx, app.Event{Value: app.Undefined()}) })
		do(disp, d, func(ctx app.Context) { d.onToggleQR(ctx, app.Event{}) })
	}
	kept("kept: saved, QR code, countdown", &fakeKeeper{canStore: true, storeOK: true, canShare: true}, save)
	kept("kept: save refused", &fakeKeeper{canStore: true}, save)
	kept("kept: save form, .env", &fakeKeeper{}, func(disp app.ClientDispatcher, d *Desk) {
		save(disp, d)
		do(disp, d, func(ctx app.Context) { d.onDownloadEnv(ctx, app.Event{}) })
	})
	kept("kept: in a frame", &fakeKeeper{framed: true}, func(app.ClientDispatcher, *Desk) {})
	for _, o := range []ClipOutcome{ClipCleared, ClipChanged, ClipAsk, ClipFailed} {
		k := &fakeKeeper{clip: o}
		kept("kept: clipboard "+strconv.Itoa(int(o)), k, func(disp app.ClientDispatcher, d *Desk) {
			for range ClipClearSeconds {
				k.tick(disp)
			}
		})
	}
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
	englishPatterns := map[lang.Key]*regexp.Regexp{}
	for k := lang.FirstKey; k <= lang.LastKey; k++ {
		englishPatterns[k] = sentencePattern(lang.EN.Text(k))
	}
	for _, l := range lang.All {
		var allowed []*regexp.Regexp
		for k := lang.FirstKey; k <= lang.LastKey; k++ {
			allowed = append(allowed, sentencePattern(l.Text(k)))
		}
		for _, other := range lang.All {
			allowed = append(allowed,
				sentencePattern(other.Text(lang.KeyLangName)),
				sentencePattern(other.Text(lang.KeyOfferLang)))
		}
		neutral := []string{BrandName, "/", knownToken}
		// The snippets are code, the same in every language, and so are
		// the names of the programs.
		for _, token := range []string{knownToken, MaskToken(knownToken)} {
			for _, sn := range Snippets(token) {
				neutral = append(neutral, strings.TrimSpace(sn.Text), sn.Label)
			}
		}

		for name, markup := range rendersIn(t, l) {
			texts := visibleTexts(markup)
			if !strings.Contains(markup, l.Text(lang.KeyFormTitle)) && !strings.Contains(markup, l.Text(lang.KeyResultTitle)) && !strings.Contains(markup, l.Text(lang.KeyCheckTitle)) {
				t.Errorf("%s %s: no title in the language:\n%s", l.Tag(), name, markup)
			}
		next:
			for _, text := range texts {
				for _, n := range neutral {
					if text == n {
						continue next
					}
				}
				for _, re := range allowed {
					if re.MatchString(text) {
						continue next
					}
				}
				t.Errorf("%s %s: %q is not a sentence of the %s catalog", l.Tag(), name, text, l.Tag())
			}
			if l == lang.EN {
				continue
			}
			// And the other way round: no English sentence, where the
			// language's differs (German "Name" is both).
			for k := lang.FirstKey; k <= lang.LastKey; k++ {
				english := lang.EN.Text(k)
				if english == l.Text(k) || k == lang.KeyOfferLang || k == lang.KeyLangName {
					continue
				}
				for _, text := range texts {
					if englishPatterns[k].MatchString(text) {
						t.Errorf("%s %s: English %q", l.Tag(), name, text)
					}
				}
			}
		}
	}
}

func TestSwitcherLinksEveryLanguage(t *testing.T) {
	for _, shown := range lang.All {
		for page, p := range map[string]*Page{
			"/": NewPage(shown), tokendesk.EmbedPath: NewEmbed(shown),
			tokendesk.CheckPage: NewCheckPage(shown), tokendesk.EmbedCheckPage: NewEmbedCheck(shown),
		} {
			disp := app.NewServerTester(p)
			markup := app.HTMLString(p)
			disp.Close()
			for _, l := range lang.All {
				link := regexp.MustCompile(`<a [^>]*href="` + regexp.QuoteMeta(l.PagePath(page)) + `"[^>]*>`).FindString(markup)
				if link == "" {
					t.Errorf("%s%s: no link to %s", shown.Tag(), page, l.PagePath(page))
					continue
				}
				for _, want := range []string{`hreflang="` + l.Tag() + `"`, `lang="` + l.Tag() + `"`} {
					if !strings.Contains(link, want) {
						t.Errorf("%s%s: link %s has no %s", shown.Tag(), page, link, want)
					}
				}
				if current := strings.Contains(link, "aria-current"); current != (l == shown) {
					t.Errorf("%s%s: link %s: aria-current %v", shown.Tag(), page, link, current)
				}
			}
		}
	}
}
