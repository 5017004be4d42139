package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tokendesk"
	tokenapp "tokendesk/app"
	"tokendesk/internal/lang"
	"tokendesk/internal/pageload"
)

// The token check in every language: each language's check and embedded
// check (lang, title, hreflang alternates, switcher, heading), a check
// through wasm in Japanese, and a plain post in German that the relay
// answers in German.

// checkEveryLanguage loads every language's check pages with JavaScript
// off, as a crawler would.
func (st *suite) checkEveryLanguage(t *testing.T) {
	tb := st.newTab(t, true)
	for _, l := range lang.All {
		for _, page := range []string{tokendesk.CheckPage, tokendesk.EmbedCheckPage} {
			url := l.PagePath(page)
			tb.do("load "+url, pageload.Open(st.s.URL+url), chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced))
			h := eval[head](tb, headJS)
			if h.Lang != l.Tag() {
				t.Errorf("%s: <html lang=%q>, want %q", url, h.Lang, l.Tag())
			}
			if h.Title != l.Text(lang.KeyCheckPageTitle) {
				t.Errorf("%s: title %q, want %q", url, h.Title, l.Text(lang.KeyCheckPageTitle))
			}
			want := map[string]string{"x-default": st.s.URL + lang.EN.PagePath(page)}
			var switcher []string
			for _, other := range lang.All {
				want[other.Tag()] = st.s.URL + other.PagePath(page)
				switcher = append(switcher, other.Tag()+" "+other.PagePath(page)+" "+other.Tag())
			}
			if got, _ := json.Marshal(h.Alternates); string(got) != mustJSON(want) {
				t.Errorf("%s: hreflang alternates %s, want %s", url, got, mustJSON(want))
			}
			if h.OGURL != want[l.Tag()] {
				t.Errorf("%s: og:url %q, want %q", url, h.OGURL, want[l.Tag()])
			}
			if !slices.Equal(h.Switcher, switcher) || h.Current != l.Tag() {
				t.Errorf("%s: switcher %v (current %q), want %v (current %q)", url, h.Switcher, h.Current, switcher, l.Tag())
			}
			if got := tb.text("check-title"); got != l.Text(lang.KeyCheckTitle) {
				t.Errorf("%s: heading %q, want %q", url, got, l.Text(lang.KeyCheckTitle))
			}
			lang := eval[string](tb, `document.querySelector('#`+tokenapp.IDCheckForm+` input[name="`+tokendesk.FieldLang+`"]')?.value || ""`)
			if lang != l.Tag() {
				t.Errorf("%s: the form posts lang %q, want %q", url, lang, l.Tag())
			}
		}
	}
}

// checkJapanese checks a saved token, a stranger and a cut-short one on
// the Japanese page, through wasm.
func (st *suite) checkJapanese(t *testing.T) {
	ja := lang.JA
	tok := st.issue(t, "saved.ja@example.com")
	tb := st.newTab(t, false)
	url := ja.PagePath(tokendesk.CheckPage)
	tb.do("load "+url+" and wait for the wasm takeover",
		pageload.Open(st.s.URL+url),
		chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("`+tokenapp.IDCheckToken+`").focus()`),
		chromedp.WaitVisible(chromedp.CSS(readyCheck), pageload.Paced),
	)
	if got := tb.text(tokenapp.IDCheckToggle); got != ja.Text(lang.KeyShow) {
		t.Errorf("toggle %q, want %q", got, ja.Text(lang.KeyShow))
	}
	if got, _ := tb.attr(tokenapp.IDCheckToggle, "aria-label"); got != ja.Text(lang.KeyShowToken) {
		t.Errorf("toggle's name %q, want %q", got, ja.Text(lang.KeyShowToken))
	}

	paste(tb, ` "`+tok+`" `)
	if got := answerToIn(tb, ja, tokenapp.IDCheckSubmit, tokenapp.IDCheckResult, 15*time.Second); got != ja.Text(lang.KeyCheckSaysRegistered) {
		t.Errorf("a saved token: %q, want %q", got, ja.Text(lang.KeyCheckSaysRegistered))
	}

	paste(tb, strangerToken)
	if got := answerToIn(tb, ja, tokenapp.IDCheckSubmit, tokenapp.IDCheckResult, 15*time.Second); got != ja.Text(lang.KeyCheckSaysUnregistered) {
		t.Errorf("a stranger: %q, want %q", got, ja.Text(lang.KeyCheckSaysUnregistered))
	}
	link := eval[[]string](tb, `(() => { const a = document.querySelector("#`+tokenapp.IDCheckResult+` a"); return a ? [a.textContent, a.getAttribute("href")] : []; })()`)
	if !slices.Equal(link, []string{ja.Text(lang.KeyCreateNew), ja.Path()}) {
		t.Errorf("the way to a new token is %q, want %q to %s", link, ja.Text(lang.KeyCreateNew), ja.Path())
	}

	setCheckField(tb, "0b8f6c2e-6f3e")
	tb.do("check a cut-short token", chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit), pageload.Paced))
	tb.waitFor("the field error", `document.getElementById("`+tokenapp.IDCheckToken+`-error")?.textContent.trim() !== ""`, 5*time.Second)
	if got := tb.text(tokenapp.IDCheckToken + "-error"); got != ja.Text(lang.KeyCheckTokenInvalid) {
		t.Errorf("field error %q, want %q", got, ja.Text(lang.KeyCheckTokenInvalid))
	}
}

// checkNoJavaScriptGerman posts the German check's plain form: the relay
// answers in German and links back to the German check.
func (st *suite) checkNoJavaScriptGerman(t *testing.T) {
	de := lang.DE
	tok := st.issue(t, "saved.de@example.com")
	tb := st.newTab(t, true)
	for _, c := range []struct {
		token string
		title lang.Key
	}{
		{tok, lang.KeyCheckWorksTitle},
		{strangerToken, lang.KeyCheckBadTitle},
	} {
		url := de.PagePath(tokendesk.CheckPage)
		tb.do("load "+url+" without JavaScript", pageload.Open(st.s.URL+url), chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced))
		tb.do("post the plain form",
			chromedp.SendKeys(chromedp.ID(tokenapp.IDCheckToken), c.token, pageload.Paced),
			chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit), pageload.Paced),
		)
		tb.waitFor("the relay's page", `location.pathname === "`+tokendesk.CheckPath+`" && document.readyState === "complete"`, 15*time.Second)
		if got := eval[string](tb, `document.documentElement.lang`); got != de.Tag() {
			t.Errorf("the relay's page has lang %q, want %q", got, de.Tag())
		}
		if got := strings.TrimSpace(eval[string](tb, `document.querySelector("h1")?.textContent || ""`)); got != de.Text(c.title) {
			t.Errorf("the relay's page is titled %q, want %q", got, de.Text(c.title))
		}
		if c.title != lang.KeyCheckWorksTitle {
			continue
		}
		link := eval[[]string](tb, `(() => { const a = document.querySelector("#check-result a"); return a ? [a.textContent, a.getAttribute("href")] : []; })()`)
		if !slices.Equal(link, []string{de.Text(lang.KeyCheckAnother), de.PagePath(tokendesk.CheckPage)}) {
			t.Errorf("the answer links %q, want %q to %s", link, de.Text(lang.KeyCheckAnother), de.PagePath(tokendesk.CheckPage))
		}
	}
}
