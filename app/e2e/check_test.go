package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"tokendesk"
	tokenapp "tokendesk/app"
	"tokendesk/internal/emulator"
	"tokendesk/internal/lang"
	"tokendesk/internal/pageload"
	"tokendesk/worker/site"
)

// The sentences the check shows in English (internal/lang/en.go); the test
// recognises each by a phrase of its own.
const (
	saysRegistered   = "This token is registered"
	saysUnregistered = "The API does not know this token"
	saysAuthFailed   = "The API refused this token"
	saysUnavailable  = "is having trouble"
	saysTimedOut     = "took too long to answer"
	// readyCheck matches the check form once app.wasm has taken it over.
	readyCheck = `#check-form[data-wasm="ready"]`
	// strangerToken is a well-formed token the emulator never issued.
	strangerToken = "123e4567-e89b-42d3-a456-426614174000"
)

// TestCheck drives "Check a token", the reveal's "Check it now" and "Use it
// now" against the real stack.
func TestCheck(t *testing.T) {
	t.Parallel() // a stack of its own: beside the other suites
	st := startSuite(t)

	// Sequential: the emulator's one-shot faults are global to the stack.
	t.Run("1_registered_pasted_with_quotes", st.checkRegistered)
	t.Run("2_unregistered_and_authorization_fail", st.checkUnregistered)
	t.Run("3_upstream_5xx_and_timeout", st.checkUpstreamFailures)
	t.Run("4_javascript_disabled", st.checkNoJavaScript)
	t.Run("5_reveal_check_and_snippets", st.checkReveal)
	t.Run("6_axe", st.checkAxe)
	t.Run("7_storage_sweep", st.checkSweep)
	t.Run("8_embed_check_is_framable", st.checkEmbedHeaders)
	t.Run("9_every_language", st.checkEveryLanguage)
	t.Run("10_japanese", st.checkJapanese)
	t.Run("11_javascript_disabled_german", st.checkNoJavaScriptGerman)
}

// issue asks the emulator for a token directly, as someone who got theirs
// months ago.
func (st *suite) issue(t *testing.T, mail string) string {
	t.Helper()
	resp, err := http.PostForm(st.s.EmulatorURL+emulator.TokenPath, url.Values{"name": {"Saved Earlier"}, "mail": {st.useMail(mail)}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		Result struct{ Token string } `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || answer.Result.Token == "" {
		t.Fatalf("issue a token: %v", err)
	}
	return answer.Result.Token
}

// openCheck loads /check and waits until app.wasm has taken it over.
func (st *suite) openCheck(tb *tab) {
	tb.t.Helper()
	tb.do("load /check and wait for the wasm takeover",
		pageload.Open(st.s.URL+tokendesk.CheckPage),
		chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("`+tokenapp.IDCheckToken+`").focus()`),
		chromedp.WaitVisible(chromedp.CSS(readyCheck), pageload.Paced),
	)
}

// paste puts text into the check field as a paste does (an input event of
// type insertFromPaste).
func paste(tb *tab, text string) {
	tb.t.Helper()
	q, _ := json.Marshal(text)
	tb.do("paste into the field", chromedp.Evaluate[chromedp.Void](`(() => {
		const el = document.getElementById("`+tokenapp.IDCheckToken+`");
		el.focus();
		el.value = `+string(q)+`;
		el.dispatchEvent(new InputEvent("input", {inputType: "insertFromPaste", bubbles: true}));
	})()`))
}

// checkAnswer submits the check form and returns the answer's sentence.
func checkAnswer(tb *tab, timeout time.Duration) string {
	tb.t.Helper()
	return answerTo(tb, tokenapp.IDCheckSubmit, tokenapp.IDCheckResult, timeout)
}

// answerTo clicks button and returns the answer that then appears in the
// live region id: a region that went through "Checking…" and came out
// with a sentence (an observer sees even a busy state too short to poll).
func answerTo(tb *tab, button, id string, timeout time.Duration) string {
	tb.t.Helper()
	return answerToIn(tb, lang.EN, button, id, timeout)
}

// answerToIn is answerTo on a page in lang.
func answerToIn(tb *tab, l lang.Lang, button, id string, timeout time.Duration) string {
	tb.t.Helper()
	busy, _ := json.Marshal(l.Text(lang.KeyCheckingStatus))
	tb.do("watch #"+id, chromedp.Evaluate[chromedp.Void](`(() => {
		const r = document.getElementById("`+id+`");
		window.__checkBusy = false;
		window.__checkAnswered = false;
		if (window.__checkObserver) window.__checkObserver.disconnect();
		window.__checkObserver = new MutationObserver(() => {
			const text = r.textContent.trim();
			if (text === `+string(busy)+`) window.__checkBusy = true;
			else if (window.__checkBusy && text !== "") window.__checkAnswered = true;
		});
		window.__checkObserver.observe(r, {subtree: true, childList: true, characterData: true});
	})()`))
	tb.do("click #"+button, chromedp.Click(chromedp.ID(button), pageload.Paced))
	tb.waitFor("an answer in #"+id, `window.__checkAnswered === true`, timeout)
	// The sentence; a link to the form may follow it.
	return strings.TrimSpace(eval[string](tb, `document.querySelector("#`+id+` p")?.textContent || ""`))
}

// setCheckField replaces the check field's value, as typing would.
func setCheckField(tb *tab, text string) {
	tb.t.Helper()
	q, _ := json.Marshal(text)
	tb.do("set the field", chromedp.Evaluate[chromedp.Void](`(() => {
		const el = document.getElementById("`+tokenapp.IDCheckToken+`");
		el.value = `+string(q)+`;
		el.dispatchEvent(new InputEvent("input", {inputType: "insertText", bubbles: true}));
	})()`))
}

func (st *suite) checkRegistered(t *testing.T) {
	tok := st.issue(t, "saved.registered@example.com")
	tb := st.newTab(t, false)
	st.openCheck(tb)
	// Masked text, never a password field, which the browser would offer
	// to save (with the token) once the form is sent.
	waitMasked(tb)
	if typ, _ := tb.attr(tokenapp.IDCheckToken, "type"); typ != "text" {
		t.Errorf("#%s type = %q, want masked text", tokenapp.IDCheckToken, typ)
	}
	for name, want := range map[string]string{"autocomplete": "off", "spellcheck": "false", "name": tokendesk.FieldToken} {
		if v, _ := tb.attr(tokenapp.IDCheckToken, name); v != want {
			t.Errorf("#%s %s = %q, want %q", tokenapp.IDCheckToken, name, v, want)
		}
	}
	paste(tb, "  \""+tok+"\"\n")
	if v := tb.value(tokenapp.IDCheckToken); v != tok {
		t.Errorf("after a paste the field holds %q, want the token without spaces and quotes", v)
	}
	tb.do("show the token", chromedp.Click(chromedp.ID(tokenapp.IDCheckToggle), pageload.Paced))
	tb.waitFor("the token shown", checkFieldMask+` === "none"`, 5*time.Second)
	tb.do("hide it again", chromedp.Click(chromedp.ID(tokenapp.IDCheckToggle), pageload.Paced))
	tb.waitFor("the token hidden", checkFieldMask+` === "disc"`, 5*time.Second)
	noPasswordField(t, tb, "/check")

	before := st.s.Emulator.Count()
	msg := checkAnswer(tb, 15*time.Second)
	t.Logf("#%s: %q", tokenapp.IDCheckResult, msg)
	if !strings.Contains(msg, saysRegistered) {
		t.Errorf("checking an issued token says %q, want %q…", msg, saysRegistered)
	}
	checkSentence(t, msg)
	reqs := st.s.Emulator.Requests()[before:]
	if len(reqs) != 1 || reqs[0].Path != tokendesk.CheckPath || reqs[0].Form.Get(tokendesk.FieldToken) != tok || len(reqs[0].Form) != 1 || !reqs[0].HasContentLength {
		t.Errorf("the upstream got %+v, want one fixed-length check with exactly the token", reqs)
	}
	if loc, _ := chromedp.Run(tb.ctx, chromedp.Location()); strings.Contains(loc, tok) || !strings.HasSuffix(loc, tokendesk.CheckPage) {
		t.Errorf("after the check the page is %s, want %s with no token", loc, tokendesk.CheckPage)
	}
}

func (st *suite) checkUnregistered(t *testing.T) {
	tb := st.newTab(t, false)
	st.openCheck(tb)
	tb.do("type a token never issued", chromedp.SendKeys(chromedp.ID(tokenapp.IDCheckToken), strangerToken, pageload.Paced))
	msg := checkAnswer(tb, 15*time.Second)
	t.Logf("unregistered: %q", msg)
	if !strings.Contains(msg, saysUnregistered) || !strings.Contains(strings.ToLower(msg), "typo") {
		t.Errorf("an unknown token gets %q, want %q… with a word about typos", msg, saysUnregistered)
	}
	if href := eval[string](tb, `document.querySelector("#`+tokenapp.IDCheckResult+` a")?.getAttribute("href") || ""`); href != "/" {
		t.Errorf("the answer links to %q, want the token form /", href)
	}

	tok := st.issue(t, "saved.authfail@example.com")
	st.s.Emulator.FailAuthorization(tok)
	paste(tb, tok)
	msg = checkAnswer(tb, 15*time.Second)
	t.Logf("authorization fail: %q", msg)
	if !strings.Contains(msg, saysAuthFailed) {
		t.Errorf("authorization fail gets %q, want %q…", msg, saysAuthFailed)
	}
	checkSentence(t, msg)

	// Not a token at all: said at once, nothing sent.
	before := st.s.Emulator.Count()
	setCheckField(tb, tok[:13])
	tb.do("check half a token", chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit), pageload.Paced))
	tb.waitFor("a field error", `document.getElementById("`+tokenapp.IDCheckToken+`-error")?.textContent.trim() !== ""`, 5*time.Second)
	if v, _ := tb.attr(tokenapp.IDCheckToken, "aria-invalid"); v != "true" {
		t.Errorf("aria-invalid = %q for half a token", v)
	}
	if n := st.s.Emulator.Count() - before; n != 0 {
		t.Errorf("half a token reached the upstream %d times", n)
	}
}

func (st *suite) checkUpstreamFailures(t *testing.T) {
	tok := st.issue(t, "saved.failures@example.com")
	tb := st.newTab(t, false)
	st.openCheck(tb)
	paste(tb, tok)

	st.s.Emulator.FaultNext(emulator.Fault5xx, 1)
	msg := checkAnswer(tb, 15*time.Second)
	t.Logf("5xx: %q", msg)
	if !strings.Contains(msg, saysUnavailable) || !strings.Contains(msg, "try again") {
		t.Errorf("an upstream 5xx gets %q, want %q… and what to do", msg, saysUnavailable)
	}
	checkSentence(t, msg)
	if code := statusCode.FindString(msg); code != "" {
		t.Errorf("the answer shows the raw status code %s", code)
	}

	st.s.Emulator.FaultNext(emulator.FaultSlow, 1)
	start := time.Now()
	msg = checkAnswer(tb, 20*time.Second)
	t.Logf("timeout after %s: %q", time.Since(start).Round(time.Millisecond), msg)
	if !strings.Contains(msg, saysTimedOut) {
		t.Errorf("an upstream timeout gets %q, want %q…", msg, saysTimedOut)
	}
	st.wantUpstreamStillSlow(t)
	checkSentence(t, msg)
	if v := tb.value(tokenapp.IDCheckToken); v != tok {
		t.Errorf("the field holds %q after the failures, want the token kept for another try", v)
	}
}

// checkNoJavaScript posts the prerendered form: the relay answers a page
// with the result sentence.
// checkFieldMask is how Chromium draws the check field: "disc" while
// masked, "none" while shown.
const checkFieldMask = `getComputedStyle(document.getElementById("` + tokenapp.IDCheckToken + `")).webkitTextSecurity`

// waitMasked waits until the stylesheet masks the check field: a page's
// stylesheet can come late under load, and typing or clicking before it
// lands meets a layout that is still moving.
func waitMasked(tb *tab) {
	tb.t.Helper()
	tb.waitFor("the check field masked by the stylesheet", checkFieldMask+` === "disc"`, 20*time.Second)
}

// noPasswordField fails when the page has a password field: the browser
// would offer to save what it held when the form is sent.
func noPasswordField(t *testing.T, tb *tab, where string) {
	t.Helper()
	if n := eval[int](tb, `document.querySelectorAll('input[type="password"]').length`); n != 0 {
		t.Errorf("%s: %d password field(s); a checked token must not be offered for saving", where, n)
	}
}

func (st *suite) checkNoJavaScript(t *testing.T) {
	tok := st.issue(t, "saved.nojs@example.com")
	tb := st.newTab(t, true)
	tb.do("load /check without JavaScript",
		pageload.Open(st.s.URL+tokendesk.CheckPage),
		chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced),
	)
	if v, ok := tb.attr(tokenapp.IDCheckForm, "data-wasm"); ok {
		t.Fatalf("#%s has data-wasm=%q with JavaScript disabled", tokenapp.IDCheckForm, v)
	}
	noPasswordField(t, tb, "/check without JavaScript")
	waitMasked(tb)
	for _, c := range []struct{ token, want string }{
		{" " + tok + " ", "registered, and the MetaHuman SDK API is up"},
		{strangerToken, "not registered"},
	} {
		tb.do("load /check without JavaScript", pageload.Open(st.s.URL+tokendesk.CheckPage), chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced))
		tb.do("post the plain form",
			chromedp.SendKeys(chromedp.ID(tokenapp.IDCheckToken), c.token, pageload.Paced),
			chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit), pageload.Paced),
		)
		tb.waitFor("the relay's page", `location.pathname === "`+tokendesk.CheckPath+`" && document.readyState === "complete"`, 15*time.Second)
		body := eval[string](tb, `document.body.innerText`)
		t.Logf("the relay's page says: %q", body)
		if !strings.Contains(body, c.want) {
			t.Errorf("the page after a plain post of %q says %q, want the result sentence (%s)", c.token, body, c.want)
		}
		if strings.Contains(body, `{"`) {
			t.Errorf("the page shows raw JSON: %q", body)
		}
		if loc := eval[string](tb, `location.href`); strings.Contains(loc, strings.TrimSpace(c.token)) {
			t.Errorf("the token is in the URL %s", loc)
		}
		// The answer's own form, for another try, holds no password field
		// and not the token: nothing for the browser to offer to save.
		noPasswordField(t, tb, "the relay's page")
		if html := eval[string](tb, `document.documentElement.outerHTML`); strings.Contains(html, strings.TrimSpace(c.token)) {
			t.Errorf("the relay's page holds the checked token")
		}
	}
}

func (st *suite) checkReveal(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	p := person{name: "Joan Clarke", mail: st.useMail("joan.reveal@example.com")}
	st.fill(tb, p)
	token := st.submitAndReveal(tb, p)

	// Check it now, with the token hidden: it stays hidden.
	tb.do("hide the token", chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced))
	tb.waitFor("#token hidden", `document.getElementById("token")?.type === "password"`, 5*time.Second)
	before := st.s.Emulator.Count()
	msg := answerTo(tb, tokenapp.IDCheckNow, tokenapp.IDCheckNowResult, 15*time.Second)
	t.Logf("check it now: %q", msg)
	if !strings.Contains(msg, saysRegistered) {
		t.Errorf("Check it now says %q, want %q…", msg, saysRegistered)
	}
	if reqs := st.s.Emulator.Requests()[before:]; len(reqs) != 1 || reqs[0].Form.Get(tokendesk.FieldToken) != token {
		t.Errorf("Check it now sent %+v, want one check of the revealed token", reqs)
	}
	if typ, _ := tb.attr("token", "type"); typ != "password" {
		t.Errorf("checking showed the token (type %q)", typ)
	}

	// Hidden: the snippets are masked too.
	if where := domHolds(tb, token); len(where) != 1 || where[0] != "value of #token" {
		t.Errorf("while hidden the token is in %v, want only the password field's value", where)
	}
	if got := tb.text(tokenapp.IDSnippet("curl")); !strings.Contains(got, tokenapp.MaskToken(token)) {
		t.Errorf("the hidden curl snippet reads %q, want the mask", got)
	}

	// Copy a snippet: "Copied" after the write, and the clipboard holds
	// the snippet with the token exactly once.
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	copyID := tokenapp.IDSnippetCopy("curl")
	tb.do("copy the curl snippet", chromedp.Click(chromedp.ID(copyID), pageload.Paced))
	tb.waitFor("Copied", `(document.getElementById("`+copyID+`")?.textContent || "").startsWith("Copied")`, 5*time.Second)
	clip := eval[string](tb, `navigator.clipboard.readText()`)
	if strings.Count(clip, token) != 1 || !strings.HasPrefix(clip, "curl "+tokendesk.APIURL+tokendesk.CheckPath) || !strings.Contains(clip, "--data-urlencode") {
		t.Errorf("the clipboard holds %q, want the curl snippet with the token once", clip)
	}
	if s := tb.text(tokenapp.IDSnippetStatus); !strings.HasPrefix(s, "Copied") {
		t.Errorf("#%s = %q after the copy", tokenapp.IDSnippetStatus, s)
	}

	// Shown: the snippets show it; Done wipes everything.
	tb.do("show the token", chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced))
	tb.waitFor("#token shown", `document.getElementById("token")?.type === "text"`, 5*time.Second)
	if got := tb.text(tokenapp.IDSnippet("env")); got != tokenapp.EnvVar+"="+token {
		t.Errorf("the .env snippet reads %q", got)
	}
	if href := eval[string](tb, `document.querySelector('#`+tokenapp.IDUseNow+` a[href="`+tokendesk.DocsURL+`"]')?.href || ""`); href == "" {
		t.Error("no link to the API docs")
	}
	// The link to the check opens a tab of its own: the reveal stays.
	tb.do("open the check from the reveal", chromedp.Click(chromedp.ID(tokenapp.IDCheckLink), pageload.Paced))
	opened := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !opened; time.Sleep(100 * time.Millisecond) {
		infos, err := chromedp.Targets(tb.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			opened = opened || info.Type == "page" && strings.HasSuffix(info.URL, tokendesk.CheckPage)
		}
	}
	if !opened {
		t.Error("the reveal's link to the check opened no tab at " + tokendesk.CheckPage)
	}
	if v := tb.value("token"); v != token {
		t.Fatalf("after opening the check the reveal holds %q, want the token still there", v)
	}

	tb.do("done", chromedp.Click(chromedp.ID("done"), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))
	if where := domHolds(tb, token); len(where) > 0 {
		t.Errorf("after Done the token is still in the page: %v", where)
	}
	if where := domHolds(tb, tokenapp.MaskToken(token)); len(where) > 0 {
		t.Errorf("after Done a masked snippet is still in the page: %v", where)
	}
}

func (st *suite) checkAxe(t *testing.T) {
	tb := st.newTab(t, false)
	st.openCheck(tb)
	reportAxe(t, "on /check", st.runAxe(tb))
	tb.do("type a token never issued", chromedp.SendKeys(chromedp.ID(tokenapp.IDCheckToken), strangerToken, pageload.Paced))
	checkAnswer(tb, 15*time.Second)
	vs := st.runAxe(tb)
	reportAxe(t, "on /check with an answer", vs)
	t.Logf("axe on /check with an answer: %d violations", len(vs))

	st.open(tb)
	p := person{name: "Mary Jackson", mail: st.useMail("mary.axe@example.com")}
	st.fill(tb, p)
	st.submitAndReveal(tb, p)
	answerTo(tb, tokenapp.IDCheckNow, tokenapp.IDCheckNowResult, 15*time.Second)
	vs = st.runAxe(tb)
	reportAxe(t, "on the reveal with snippets", vs)
	t.Logf("axe on the reveal with snippets: %d violations", len(vs))
	tb.do("hide", chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced))
	reportAxe(t, "on the reveal with masked snippets", st.runAxe(tb))
}

// checkSweep checks a saved token, then gets a new one, checks it, shows
// and copies every snippet, and sweeps every place a token could stay.
func (st *suite) checkSweep(t *testing.T) {
	saved := st.issue(t, "saved.sweep@example.com")
	tb := st.newTab(t, false)
	st.openCheck(tb)
	if !eval[bool](tb, `navigator.serviceWorker.ready.then(r => !!r.active)`) {
		t.Fatal("the service worker never became active")
	}
	paste(tb, saved)
	checkAnswer(tb, 15*time.Second)

	st.open(tb)
	p := person{name: "Dorothy Vaughan", mail: st.useMail("dorothy.sweep@example.com")}
	st.fill(tb, p)
	token := st.submitAndReveal(tb, p)
	answerTo(tb, tokenapp.IDCheckNow, tokenapp.IDCheckNowResult, 15*time.Second)
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	for _, sn := range tokenapp.Snippets(token) {
		id := tokenapp.IDSnippetCopy(sn.ID)
		tb.do("copy "+sn.ID, chromedp.Click(chromedp.ID(id), pageload.Paced))
		tb.waitFor("Copied on "+id, `(document.getElementById("`+id+`")?.textContent || "").startsWith("Copied")`, 5*time.Second)
	}
	tb.do("hide, show, done", chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced), chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced),
		chromedp.Click(chromedp.ID("done"), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))

	needles, _ := json.Marshal([]string{token, saved})
	rep := eval[sweepReport](tb, sweepJS+"("+string(needles)+")")
	t.Logf("swept:\n  %s", strings.Join(rep.Inventory, "\n  "))
	for _, h := range rep.Hits {
		t.Errorf("token found: %s", h)
	}
	hist, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range hist.Entries {
		for _, tok := range []string{token, saved} {
			if strings.Contains(e.URL+e.UserTypedURL+e.Title, tok) {
				t.Errorf("history entry %s holds a token", e.URL)
			}
		}
	}
	for _, m := range tb.consoleMessages() {
		for _, tok := range []string{token, saved} {
			if strings.Contains(m, tok) {
				t.Errorf("the console shows a token: %.300s", m)
			}
		}
	}
	logs := st.s.Logs()
	if !strings.Contains(logs, tokendesk.CheckPath) {
		t.Errorf("the worker's logs never mention %s; are they captured? tail:\n%s", tokendesk.CheckPath, st.s.LogTail(20))
	}
	for _, tok := range append([]string{strangerToken}, collect(st.s.Emulator.Tokens())...) {
		if strings.Contains(logs, tok) {
			t.Errorf("the worker's logs hold a checked or issued token")
		}
	}
}

func collect(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// checkEmbedHeaders: /embed/check may be framed like /embed; /check may not.
func (st *suite) checkEmbedHeaders(t *testing.T) {
	for path, framable := range map[string]bool{
		tokendesk.EmbedCheckPage: true, tokendesk.CheckPage: false,
		lang.DE.PagePath(tokendesk.EmbedCheckPage): true, lang.JA.PagePath(tokendesk.CheckPage): false,
	} {
		l, _ := lang.SplitPath(path)
		title := l.Text(lang.KeyCheckPageTitle)
		resp, err := http.Get(st.s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != 200 || !strings.Contains(string(body), `id="`+tokenapp.IDCheckForm+`"`) {
			t.Errorf("GET %s: %d, want the prerendered check", path, resp.StatusCode)
		}
		if got := strings.HasSuffix(csp, "frame-ancestors "+site.DefaultFrameAncestors) && resp.Header.Get("X-Frame-Options") == ""; got != framable {
			t.Errorf("GET %s: framable %v (CSP %q, X-Frame-Options %q), want %v", path, got, csp, resp.Header.Get("X-Frame-Options"), framable)
		}
		if !strings.Contains(string(body), "<title>"+title+"</title>") {
			t.Errorf("GET %s: the title is not %q", path, title)
		}
	}
}
