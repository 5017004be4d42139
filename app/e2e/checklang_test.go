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
	for _, l := range tokendesk.Langs {
		for _, page := range []string{tokendesk.CheckPage, tokendesk.EmbedCheckPage} {
			url := l.PagePath(page)
			tb.do("load "+url, pageload.Open(st.s.URL+url), chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm)))
			h := eval[head](tb, headJS)
			if h.Lang != l.Tag() {
				t.Errorf("%s: <html lang=%q>, want %q", url, h.Lang, l.Tag())
			}
			if h.Title != l.Text(tokendesk.KeyCheckPageTitle) {
				t.Errorf("%s: title %q, want %q", url, h.Title, l.Text(tokendesk.KeyCheckPageTitle))
			}
			want := map[string]string{"x-default": st.s.URL + tokendesk.EN.PagePath(page)}
			var switcher []string
			for _, other := range tokendesk.Langs {
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
			if got := tb.text("check-title"); got != l.Text(tokendesk.KeyCheckTitle) {
				t.Errorf("%s: heading %q, want %q", url, got, l.Text(tokendesk.KeyCheckTitle))
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
	ja := tokendesk.JA
	tok := st.issue(t, "saved.ja@example.com")
	tb := st.newTab(t, false)
	url := ja.PagePath(tokendesk.CheckPage)
	tb.do("load "+url+" and wait for the wasm takeover",
		pageload.Open(st.s.URL+url),
		chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("`+tokenapp.IDCheckToken+`").focus()`),
		chromedp.WaitVisible(chromedp.CSS(readyCheck)),
	)
	if got := tb.text(tokenapp.IDCheckToggle); got != ja.Text(tokendesk.KeyShow) {
		t.Errorf("toggle %q, want %q", got, ja.Text(tokendesk.KeyShow))
	}
	if got, _ := tb.attr(tokenapp.IDCheckToggle, "aria-label"); got != ja.Text(tokendesk.KeyShowToken) {
		t.Errorf("toggle's name %q, want %q", got, ja.Text(tokendesk.KeyShowToken))
	}

	paste(tb, ` "`+tok+`" `)
	if got := answerToIn(tb, ja, tokenapp.IDCheckSubmit, tokenapp.IDCheckResult, 15*time.Second); got != ja.Text(tokendesk.KeyCheckSaysRegistered) {
		t.Errorf("a saved token: %q, want %q", got, ja.Text(tokendesk.KeyCheckSaysRegistered))
	}

	paste(tb, strangerToken)
	if got := answerToIn(tb, ja, tokenapp.IDCheckSubmit, tokenapp.IDCheckResult, 15*time.Second); got != ja.Text(tokendesk.KeyCheckSaysUnregistered) {
		t.Errorf("a stranger: %q, want %q", got, ja.Text(tokendesk.KeyCheckSaysUnregistered))
	}
	link := eval[[]string](tb, `(() => { const a = document.querySelector("#`+tokenapp.IDCheckResult+` a"); return a ? [a.textContent, a.getAttribute("href")] : []; })()`)
	if !slices.Equal(link, []string{ja.Text(tokendesk.KeyCreateNew), ja.Path()}) {
		t.Errorf("the way to a new token is %q, want %q to %s", link, ja.Text(tokendesk.KeyCreateNew), ja.Path())
	}

	setCheckField(tb, "0b8f6c2e-6f3e")
	tb.do("check a cut-short token", chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit)))
	tb.waitFor("the field error", `document.getElementById("`+tokenapp.IDCheckToken+`-error")?.textContent.trim() !== ""`, 5*time.Second)
	if got := tb.text(tokenapp.IDCheckToken + "-error"); got != ja.Text(tokendesk.KeyCheckTokenInvalid) {
		t.Errorf("field error %q, want %q", got, ja.Text(tokendesk.KeyCheckTokenInvalid))
	}
}

// checkNoJavaScriptGerman posts the German check's plain form: the relay
// answers in German and links back to the German check.
func (st *suite) checkNoJavaScriptGerman(t *testing.T) {
	de := tokendesk.DE
	tok := st.issue(t, "saved.de@example.com")
	tb := st.newTab(t, true)
	for _, c := range []struct {
		token string
		title tokendesk.Key
	}{
		{tok, tokendesk.KeyCheckWorksTitle},
		{strangerToken, tokendesk.KeyCheckBadTitle},
	} {
		url := de.PagePath(tokendesk.CheckPage)
		tb.do("load "+url+" without JavaScript", pageload.Open(st.s.URL+url), chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm)))
		tb.do("post the plain form",
			chromedp.SendKeys(chromedp.ID(tokenapp.IDCheckToken), c.token),
			chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit)),
		)
		waitLoad(tb, "the relay's page", `location.pathname === "`+tokendesk.CheckPath+`" && document.readyState === "complete"`, 15*time.Second)
		if got := eval[string](tb, `document.documentElement.lang`); got != de.Tag() {
			t.Errorf("the relay's page has lang %q, want %q", got, de.Tag())
		}
		if got := strings.TrimSpace(eval[string](tb, `document.querySelector("h1")?.textContent || ""`)); got != de.Text(c.title) {
			t.Errorf("the relay's page is titled %q, want %q", got, de.Text(c.title))
		}
		if c.title != tokendesk.KeyCheckWorksTitle {
			continue
		}
		link := eval[[]string](tb, `(() => { const a = document.querySelector("#check-result a"); return a ? [a.textContent, a.getAttribute("href")] : []; })()`)
		if !slices.Equal(link, []string{de.Text(tokendesk.KeyCheckAnother), de.PagePath(tokendesk.CheckPage)}) {
			t.Errorf("the answer links %q, want %q to %s", link, de.Text(tokendesk.KeyCheckAnother), de.PagePath(tokendesk.CheckPage))
		}
	}
}
