package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tokendesk"
	tokenapp "tokendesk/app"
	"tokendesk/internal/lang"
	"tokendesk/internal/pageload"
)

// The desk in every language: the pages, their head, their layout at
// 320 px, axe, the whole token flow in Russian and Japanese, the JS-off
// post in German and boot.js's offer of the browser's language.

// openIn loads lang's page and waits until app.wasm has taken over.
func (st *suite) openIn(tb *tab, l lang.Lang) {
	tb.t.Helper()
	tb.do("load the desk in "+l.Tag()+" and wait for the wasm takeover",
		pageload.Open(st.s.URL+l.Path()),
		chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced),
		wakeWasm(),
		chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced),
	)
}

// flowIn is the whole token flow in lang: field errors, the reveal, hide
// and show, copy, Done; every sentence checked against lang's catalog.
func (st *suite) flowIn(t *testing.T, l lang.Lang, p person) {
	text := func(k lang.Key, args ...string) string { return l.Text(k, args...) }
	tb := st.newTab(t, false)
	st.openIn(tb, l)
	if got := eval[string](tb, `document.documentElement.lang`); got != l.Tag() {
		t.Errorf("<html lang=%q>, want %q", got, l.Tag())
	}
	if got := eval[string](tb, `document.title`); got != text(lang.KeyPageTitle) {
		t.Errorf("title %q, want %q", got, text(lang.KeyPageTitle))
	}

	tb.do("submit the empty form", chromedp.Click(chromedp.ID("submit"), pageload.Paced))
	tb.waitFor("field errors", `document.getElementById("name-error")?.textContent.trim() !== ""`, 5*time.Second)
	if got := tb.text("name-error"); got != text(lang.KeyNameRequired) {
		t.Errorf("#name-error %q, want %q", got, text(lang.KeyNameRequired))
	}
	if got := tb.text("mail-error"); got != text(lang.KeyMailRequired) {
		t.Errorf("#mail-error %q, want %q", got, text(lang.KeyMailRequired))
	}
	if got := tb.text("form-status"); got != text(lang.KeyFieldsMany, "n", "2") {
		t.Errorf("#form-status %q, want %q", got, text(lang.KeyFieldsMany, "n", "2"))
	}

	st.fill(tb, p)
	token := st.submitAndReveal(tb, p)
	if got := tb.text(tokenapp.IDResultTitle); got != text(lang.KeyResultTitle) {
		t.Errorf("reveal title %q, want %q", got, text(lang.KeyResultTitle))
	}
	if w := tb.text("token-warning"); !strings.Contains(w, text(lang.KeyCannotRetrieve)) || !strings.Contains(w, text(lang.KeyStoreNow)) {
		t.Errorf("warning %q is not the %s one", w, l.Tag())
	}
	st.checkButtonsFit(tb, "the reveal")

	tb.do("hide the token", chromedp.Click(chromedp.ID("toggle"), pageload.Paced))
	tb.waitFor("#token hidden", `document.getElementById("token")?.type === "password"`, 5*time.Second)
	if got := tb.text("toggle"); got != text(lang.KeyShow) {
		t.Errorf("toggle %q while hidden, want %q", got, text(lang.KeyShow))
	}
	if got, _ := tb.attr("toggle", "aria-label"); got != text(lang.KeyShowToken) {
		t.Errorf("toggle's name %q while hidden, want %q", got, text(lang.KeyShowToken))
	}
	tb.do("show the token", chromedp.Click(chromedp.ID("toggle"), pageload.Paced))
	tb.waitFor("#token shown", `document.getElementById("token")?.type === "text"`, 5*time.Second)

	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	tb.do("copy", chromedp.Click(chromedp.ID("copy"), pageload.Paced))
	tb.waitFor("#copy-status", `document.getElementById("copy-status")?.textContent.trim() !== ""`, 5*time.Second)
	if got := tb.text("copy-status"); got != text(lang.KeyCopiedStatus) {
		t.Errorf("#copy-status %q, want %q", got, text(lang.KeyCopiedStatus))
	}
	if got := tb.text("copy"); got != text(lang.KeyCopied) {
		t.Errorf("#copy %q, want %q", got, text(lang.KeyCopied))
	}
	if clip := eval[string](tb, `navigator.clipboard.readText()`); clip != token {
		t.Errorf("clipboard holds %q, want the token", clip)
	}

	tb.do("done", chromedp.Click(chromedp.ID("done"), pageload.Paced))
	tb.do("back to the form", chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	if got := tb.text("desk-title"); got != text(lang.KeyFormTitle) {
		t.Errorf("form title %q after Done, want %q", got, text(lang.KeyFormTitle))
	}
	if where := domHolds(tb, token); len(where) > 0 {
		t.Errorf("after Done the token is still in the page: %v", where)
	}
}

func (st *suite) flowRussian(t *testing.T) {
	st.flowIn(t, lang.RU, person{name: "Софья Ковалевская", mail: st.useMail("sofia.ru@example.com"), comment: "Аватары для лекций"})
}

func (st *suite) flowJapanese(t *testing.T) {
	st.flowIn(t, lang.JA, person{name: "葛飾 北斎", mail: st.useMail("hokusai.ja@example.com"), comment: "浮世絵のアバター"})
}

// noJavaScriptGerman posts the German page's plain form: the relay answers
// in German.
func (st *suite) noJavaScriptGerman(t *testing.T) {
	tb := st.newTab(t, true)
	tb.do("load the German page without JavaScript",
		pageload.Open(st.s.URL+lang.DE.Path()),
		chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced),
	)
	p := person{name: "Emmy Noether", mail: st.useMail("emmy.nojs@example.com"), comment: "Ohne JavaScript"}
	st.fill(tb, p)
	before := st.s.Emulator.Count()
	tb.do("post the plain form", chromedp.Click(chromedp.ID("submit"), pageload.Paced), chromedp.WaitVisible(chromedp.CSS("#token, p#form-error"), pageload.Paced))
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "de" {
		t.Errorf("the relay's answer has <html lang=%q>, want de", lang)
	}
	shown, _ := tb.attr("token", "value")
	if want, ok := st.s.Emulator.TokenFor(p.mail); !ok || shown != want {
		t.Fatalf("server-rendered #token = %q, want the emulator's %q (issued: %v; upstream reached %d times)", shown, want, ok, st.s.Emulator.Count()-before)
	}
	body := eval[string](tb, `document.body.innerText`)
	for _, k := range []lang.Key{lang.KeyResultTitle, lang.KeyCannotRetrieve, lang.KeyCopyByHand, lang.KeyDone} {
		if !strings.Contains(body, lang.DE.Text(k)) {
			t.Errorf("the answer lacks %q:\n%s", lang.DE.Text(k), body)
		}
	}
	if reqs := st.s.Emulator.Requests(); len(reqs) > 0 {
		last := reqs[len(reqs)-1]
		if _, sent := last.Form["lang"]; sent || len(last.Form) != 3 {
			t.Errorf("upstream got fields %v, want only name, mail and comment", last.Form)
		}
	}
	if href := eval[string](tb, `document.querySelector("a.btn")?.getAttribute("href") || ""`); href != lang.DE.Path() {
		t.Errorf("Done goes to %q, want the German page %q", href, lang.DE.Path())
	}

	// An error answer keeps the language and the values.
	tb.do("back", pageload.Open(st.s.URL+lang.DE.Path()), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced))
	st.fill(tb, person{name: "Emmy Noether", mail: "emmy@localhost"})
	tb.do("post an invalid address", chromedp.Click(chromedp.ID("submit"), pageload.Paced), chromedp.WaitVisible(chromedp.CSS("p#form-error"), pageload.Paced))
	if got := tb.text("form-error"); got != lang.DE.Text(lang.KeyMailDomain) {
		t.Errorf("error answer %q, want %q", got, lang.DE.Text(lang.KeyMailDomain))
	}
	if got := tb.value("mail"); got != "emmy@localhost" {
		t.Errorf("#mail = %q in the error answer, want the typed value", got)
	}
	if got := tb.text("submit"); got != lang.DE.Text(lang.KeyTryAgain) {
		t.Errorf("button %q, want %q", got, lang.DE.Text(lang.KeyTryAgain))
	}
}

// head is what a page says about its language.
type head struct {
	Lang       string            `json:"lang"`
	Title      string            `json:"title"`
	Alternates map[string]string `json:"alternates"`
	Manifest   string            `json:"manifest"`
	Switcher   []string          `json:"switcher"`
	Current    string            `json:"current"`
	Catalog    string            `json:"catalog"`
	OGURL      string            `json:"ogURL"`
}

const headJS = `(() => {
	const alternates = {};
	for (const l of document.querySelectorAll('link[rel="alternate"][hreflang]')) alternates[l.hreflang] = l.getAttribute("href");
	return {
		lang: document.documentElement.lang,
		title: document.title,
		alternates,
		manifest: document.querySelector('link[rel="manifest"]')?.getAttribute("href") || "",
		switcher: [...document.querySelectorAll("#languages a")].map(a => a.hreflang + " " + a.getAttribute("href") + " " + a.lang),
		current: document.querySelector('#languages a[aria-current="page"]')?.hreflang || "",
		catalog: document.getElementById("catalog")?.dataset.lang || "",
		ogURL: document.querySelector('meta[property="og:url"]')?.content || "",
	};
})()`

// langAttributes loads every language's "/" and /embed (and /embed?lang=)
// with JavaScript off, as a crawler would, and checks what each page says
// about its language.
func (st *suite) langAttributes(t *testing.T) {
	tb := st.newTab(t, true)
	type visit struct {
		url  string
		lang lang.Lang
		page string
	}
	var visits []visit
	for _, l := range lang.All {
		visits = append(visits, visit{l.PagePath("/"), l, "/"}, visit{l.PagePath(tokendesk.EmbedPath), l, tokendesk.EmbedPath})
	}
	visits = append(visits,
		visit{"/embed?lang=ko", lang.KO, tokendesk.EmbedPath},
		visit{"/embed?lang=pt-br&theme=dark", lang.PtBR, tokendesk.EmbedPath},
		visit{"/de", lang.DE, "/"}, // the assets add the slash
	)
	for _, v := range visits {
		tb.do("load "+v.url, pageload.Open(st.s.URL+v.url), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced))
		h := eval[head](tb, headJS)
		if h.Lang != v.lang.Tag() {
			t.Errorf("%s: <html lang=%q>, want %q", v.url, h.Lang, v.lang.Tag())
		}
		if h.Title != v.lang.Text(lang.KeyPageTitle) {
			t.Errorf("%s: title %q", v.url, h.Title)
		}
		// Absolute, on the origin the page was asked on.
		want := map[string]string{"x-default": st.s.URL + lang.EN.PagePath(v.page)}
		var switcher []string
		for _, l := range lang.All {
			want[l.Tag()] = st.s.URL + l.PagePath(v.page)
			switcher = append(switcher, l.Tag()+" "+l.PagePath(v.page)+" "+l.Tag())
		}
		if got, _ := json.Marshal(h.Alternates); string(got) != mustJSON(want) {
			t.Errorf("%s: hreflang alternates %s, want %s", v.url, got, mustJSON(want))
		}
		if h.OGURL != want[v.lang.Tag()] {
			t.Errorf("%s: og:url %q, want %q", v.url, h.OGURL, want[v.lang.Tag()])
		}
		if !slices.Equal(h.Switcher, switcher) || h.Current != v.lang.Tag() {
			t.Errorf("%s: switcher %v (current %q), want %v (current %q)", v.url, h.Switcher, h.Current, switcher, v.lang.Tag())
		}
		if wantManifest := strings.TrimSuffix(v.lang.Path(), "/") + "/manifest.webmanifest"; h.Manifest != wantManifest {
			t.Errorf("%s: manifest %q, want %q", v.url, h.Manifest, wantManifest)
		}
		if wantCatalog := map[bool]string{true: "", false: v.lang.Tag()}[v.lang == lang.EN]; h.Catalog != wantCatalog {
			t.Errorf("%s: catalog for %q, want %q", v.url, h.Catalog, wantCatalog)
		}
	}
	for _, l := range lang.All {
		manifest := strings.TrimSuffix(l.Path(), "/") + "/manifest.webmanifest"
		m := eval[map[string]any](tb, `fetch(`+mustJSON(manifest)+`).then(r => r.json())`)
		if m["lang"] != l.Tag() || m["name"] != l.Text(lang.KeyAppName) || m["description"] != l.Text(lang.KeyPageDescription) || m["start_url"] != l.Path() || m["id"] != "/" {
			t.Errorf("%s: lang %v, name %v, description %v, start_url %v, id %v", manifest, m["lang"], m["name"], m["description"], m["start_url"], m["id"])
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// checkButtonsFit fails when the page is wider than the viewport or a
// button's text is cut off.
func (st *suite) checkButtonsFit(tb *tab, what string) {
	tb.t.Helper()
	problems := eval[[]string](tb, `(() => {
		const out = [], vw = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth > vw) out.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + vw + " px viewport");
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5) && getComputedStyle(el).position !== "fixed" && !el.closest(".visually-hidden")) out.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + el.className) + " reaches " + Math.round(r.left) + ".." + Math.round(r.right));
		}
		for (const b of document.querySelectorAll("button, .btn")) {
			if (b.offsetParent === null) continue;
			if (b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1) out.push("button " + JSON.stringify(b.textContent.trim()) + " is cut off (" + b.scrollWidth + "×" + b.scrollHeight + " in " + b.clientWidth + "×" + b.clientHeight + ")");
		}
		return out;
	})()`)
	for _, p := range problems {
		tb.t.Errorf("%s at %d px: %s", what, eval[int](tb, `document.documentElement.clientWidth`), p)
	}
}

// narrow makes the tab a 320 px wide phone.
func (tb *tab) narrow() {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: 320, Height: 640, DeviceScaleFactor: 2, Mobile: true,
	}); err != nil {
		tb.t.Fatalf("320 px viewport: %v", err)
	}
}

// widen gives the tab its window's size again.
func (tb *tab) widen() {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		tb.t.Fatalf("clear the 320 px viewport: %v", err)
	}
}

// layoutAndAxe checks every language's "/" and /embed, as first shown and
// with field errors (the longest sentences each can show): at 320 px no
// button is cut off and nothing is wider than the screen, and at the
// window's width axe finds nothing. Each page is loaded once for both, in
// one tab for all languages (see tab.in).
func (st *suite) layoutAndAxe(t *testing.T) {
	shared := st.newTab(t, false)
	for _, l := range lang.All {
		t.Run(l.Tag(), func(t *testing.T) {
			tb := shared.in(t)
			for _, page := range []string{"/", tokendesk.EmbedPath} {
				url := l.PagePath(page)
				tb.narrow()
				tb.do("load "+url, pageload.Open(st.s.URL+url), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced))
				st.checkButtonsFit(tb, url)
				tb.widen()
				reportAxe(t, url, st.runAxe(tb))
				tb.do("take over and show the field errors", wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced), chromedp.Click(chromedp.ID("submit"), pageload.Paced))
				tb.waitFor("field errors", `document.getElementById("mail-error")?.textContent.trim() !== ""`, 5*time.Second)
				reportAxe(t, url+" with field errors", st.runAxe(tb))
				tb.narrow()
				st.checkButtonsFit(tb, url+" with field errors")
			}
		})
	}
}

// offerLanguage: boot.js offers the browser's preferred language in one
// line, and only when the page is in another one; nothing is stored.
func (st *suite) offerLanguage(t *testing.T) {
	cases := []struct {
		accept string
		page   string
		offer  bool
		want   lang.Lang
	}{
		{"de-AT,de,en", "/", true, lang.DE},
		{"de-AT,de", "/de/", false, 0},
		{"pt-BR", "/embed", true, lang.PtBR},
		{"zh-CN,zh", "/ja/", true, lang.ZhHans},
		{"zh-TW,en", "/ko/", true, lang.EN}, // no Traditional Chinese: English is next
		{"it-IT,fr", "/", true, lang.FR},
		{"en-US", "/ru/", true, lang.EN},
		{"en-US", "/", false, 0},
	}
	// Accept-Language without q-values: Chromium copies the override
	// into navigator.languages as it is. One tab for all the cases (see
	// tab.in): each one checks that nothing was stored, so none leaves
	// anything for the next.
	tb := st.newTab(t, false)
	ua := eval[string](tb, `navigator.userAgent`)
	for _, c := range cases {
		if _, err := chromedp.Call(tb.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: c.accept}); err != nil {
			t.Fatalf("Accept-Language %s: %v", c.accept, err)
		}
		tb.do("load "+c.page, pageload.Open(st.s.URL+c.page), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced))
		offer := eval[map[string]string](tb, `(() => { const a = document.querySelector(".lang-offer a"); return a ? {href: a.getAttribute("href"), text: a.textContent, lang: a.parentElement.lang} : {}; })()`)
		if !c.offer {
			if len(offer) != 0 {
				t.Errorf("%s with %s: offer %v, want none", c.page, c.accept, offer)
			}
			continue
		}
		_, page := lang.SplitPath(c.page)
		want := map[string]string{"href": c.want.PagePath(page), "text": c.want.Text(lang.KeyOfferLang), "lang": c.want.Tag()}
		if mustJSON(offer) != mustJSON(want) {
			t.Errorf("%s with %s: offer %v, want %v", c.page, c.accept, offer, want)
		}
		if len(offer) > 0 {
			// Above everything, and still there after the takeover.
			if first := eval[bool](tb, `document.querySelector(".lang-offer").getBoundingClientRect().top < document.getElementById("token-form").getBoundingClientRect().top`); !first {
				t.Errorf("%s: the offer is not above the form", c.page)
			}
			tb.do("take over", wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
			if !eval[bool](tb, `!!document.querySelector(".lang-offer a")`) {
				t.Errorf("%s: the offer is gone after the takeover", c.page)
			}
		}
		if n := eval[int](tb, `localStorage.length + sessionStorage.length + document.cookie.length`); n != 0 {
			t.Errorf("%s: the offer stored something", c.page)
		}
	}
}
