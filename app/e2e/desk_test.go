package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"tokendesk/internal/emulator"
	"tokendesk/internal/pageload"
	"tokendesk/internal/stack"
)

const (
	upstreamTimeout = "2s"
	slowDelay       = 6 * time.Second

	warningText = "This token cannot be retrieved again."
	// readyForm matches the form once app.wasm has taken it over.
	readyForm = `#token-form[data-wasm="ready"]`
)

// statusCode finds a bare HTTP status code in a sentence meant for people.
var statusCode = regexp.MustCompile(`\b[1-5][0-9]{2}\b`)

// suite is the state shared by the scenarios: one stack, one browser.
type suite struct {
	s       *stack.Stack
	browser context.Context
	axe     string

	mu   sync.Mutex
	tabs []*tab
	// mails are every address typed into the desk.
	mails []string
	// frameHosts are TestKeep's documentation sites (keep_test.go).
	frameHosts *frameSites
}

func (st *suite) addTab(tb *tab) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tabs = append(st.tabs, tb)
}

func (st *suite) useMail(m string) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.mails = append(st.mails, m)
	return m
}

// TestDeskLanguages is the desk in every language. The suites run -parallel
// at a time, in no fixed order, each on its own stack with one tab at a
// time.
func TestDeskLanguages(t *testing.T) {
	t.Parallel()
	st := startSuite(t)
	t.Run("9a_flow_russian", st.flowRussian)
	t.Run("9b_flow_japanese", st.flowJapanese)
	t.Run("9c_javascript_disabled_german", st.noJavaScriptGerman)
	t.Run("9d_lang_attributes", st.langAttributes)
	t.Run("9e_layout_320px_and_axe", st.layoutAndAxe)
	t.Run("9f_offer_language", st.offerLanguage)
	// Last, and numbered so: it audits every tab of the suite.
	t.Run("10_storage_sweep", st.storageSweep)
}

func TestDesk(t *testing.T) {
	t.Parallel() // a stack of its own: beside the other suites
	start := time.Now()
	st := startSuite(t)
	t.Logf("stack at %s and Chromium ready in %s", st.s.URL, time.Since(start).Round(time.Millisecond))

	// Sequential: the emulator's one-shot faults are global to the stack.
	// (The languages, 9a to 9g, are TestDeskLanguages.)
	t.Run("1_happy_path", st.happyPath)
	t.Run("2_field_validation", st.fieldValidation)
	t.Run("3a_upstream_5xx", st.upstream5xx)
	t.Run("3b_upstream_timeout", st.upstreamTimeout)
	t.Run("4_offline", st.offline)
	t.Run("5_javascript_disabled", st.noJavaScript)
	t.Run("6_reload_forgets_token", st.reloadForgets)
	t.Run("7_axe", st.axeCheck)
	// Last, and numbered so: it audits every tab of the suite.
	t.Run("10_storage_sweep", st.storageSweep)
}

// ---- shared steps ---------------------------------------------------------

// open loads the desk and waits until app.wasm has taken over the form.
func (st *suite) open(tb *tab) {
	tb.t.Helper()
	tb.do("load the desk and wait for the wasm takeover",
		pageload.Open(st.s.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced),
		wakeWasm(),
		chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced),
	)
}

type person struct{ name, mail, comment string }

func (st *suite) fill(tb *tab, p person) {
	tb.t.Helper()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.ID("name"), p.name, pageload.Paced),
		chromedp.SendKeys(chromedp.ID("mail"), p.mail, pageload.Paced),
	}
	if p.comment != "" {
		steps = append(steps, chromedp.SendKeys(chromedp.ID("comment"), p.comment, pageload.Paced))
	}
	tb.do("fill the form", steps...)
}

// submitAndReveal submits the filled form and returns the token shown,
// checked against the one the emulator issued for p.mail.
func (st *suite) submitAndReveal(tb *tab, p person) string {
	tb.t.Helper()
	tb.do("submit and wait for the reveal",
		chromedp.Click(chromedp.ID("submit"), pageload.Paced),
		chromedp.WaitVisible(chromedp.ID("token"), pageload.Paced),
	)
	shown := tb.value("token")
	want, ok := st.s.Emulator.TokenFor(p.mail)
	if !ok {
		tb.t.Fatalf("the emulator issued no token for %q, yet the page shows %q", p.mail, shown)
	}
	if shown != want {
		tb.t.Fatalf("#token = %q, want exactly the emulator's token %q", shown, want)
	}
	return shown
}

// wantUpstreamStillSlow checks that the page told of the timeout while the
// emulator still held its slow answer: the relay did not wait for it.
func (st *suite) wantUpstreamStillSlow(t *testing.T) {
	t.Helper()
	reqs := st.s.Emulator.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Fault == emulator.FaultSlow {
			if reqs[i].Status != 0 {
				t.Errorf("the emulator had answered %d (after its %s delay) before the page told of the timeout: the relay waited for it", reqs[i].Status, slowDelay)
			}
			return
		}
	}
	t.Error("the emulator got no request with the slow fault")
}

// checkValuesKept asserts the inputs still hold what was typed.
func checkValuesKept(tb *tab, p person) {
	tb.t.Helper()
	for id, want := range map[string]string{"name": p.name, "mail": p.mail, "comment": p.comment} {
		if got := tb.value(id); got != want {
			tb.t.Errorf("#%s = %q after the failure, want the typed %q kept", id, got, want)
		}
	}
}

// domHolds reports where in the live document s appears: the serialized
// DOM, any form control's value, or the title.
func domHolds(tb *tab, s string) []string {
	tb.t.Helper()
	q, _ := json.Marshal(s)
	return eval[[]string](tb, `(() => {
		const s = `+string(q)+`, where = [];
		if (document.documentElement.outerHTML.includes(s)) where.push("outerHTML");
		for (const el of document.querySelectorAll("input, textarea, select")) {
			if (String(el.value).includes(s)) where.push("value of " + (el.id ? "#" + el.id : el.tagName));
		}
		if (document.title.includes(s)) where.push("title");
		return where;
	})()`)
}

// formError waits for #form-error to say something and returns it.
func formError(tb *tab, timeout time.Duration) string {
	tb.t.Helper()
	tb.waitFor("a message in #form-error", `document.getElementById("form-error")?.textContent.trim() !== ""`, timeout)
	return tb.text("form-error")
}

// ---- 1 ---------------------------------------------------------------------

func (st *suite) happyPath(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	p := person{name: "Ada Lovelace", mail: st.useMail("ada.happy@example.com"), comment: "Analytical engine avatars"}
	st.fill(tb, p)
	before := st.s.Emulator.Count()
	token := st.submitAndReveal(tb, p)
	if n := st.s.Emulator.Count() - before; n != 1 {
		t.Errorf("the emulator got %d requests for one submit, want 1", n)
	}
	if reqs := st.s.Emulator.Requests(); len(reqs) > 0 {
		last := reqs[len(reqs)-1]
		if got := last.Form.Get("name") + "|" + last.Form.Get("mail") + "|" + last.Form.Get("comment"); got != p.name+"|"+p.mail+"|"+p.comment {
			t.Errorf("upstream got name|mail|comment = %q, want %q", got, p.name+"|"+p.mail+"|"+p.comment)
		}
	}

	tb.waitFor("focus inside #token-result",
		`(() => { const r = document.getElementById("token-result"); return !!r && r.contains(document.activeElement) && document.activeElement !== document.body })()`,
		5*time.Second)
	t.Logf("focus after reveal: #%s", eval[string](tb, `document.activeElement.id`))
	if w := tb.text("token-result"); !strings.Contains(w, warningText) {
		t.Errorf("reveal lacks the warning %q; it says %q", warningText, w)
	}

	// Hide / Show.
	if typ, _ := tb.attr("token", "type"); typ != "text" {
		t.Errorf("#token type = %q right after the reveal, want text (shown)", typ)
	}
	tb.do("hide the token", chromedp.Click(chromedp.ID("toggle"), pageload.Paced))
	tb.waitFor("#token hidden", `document.getElementById("token")?.type === "password"`, 5*time.Second)
	if label := tb.text("toggle"); !strings.HasPrefix(label, "Show") {
		t.Errorf("toggle says %q while hidden, want Show…", label)
	}
	if v := tb.value("token"); v != token {
		t.Errorf("hidden #token value = %q, want the token kept", v)
	}
	tb.do("show the token", chromedp.Click(chromedp.ID("toggle"), pageload.Paced))
	tb.waitFor("#token shown", `document.getElementById("token")?.type === "text"`, 5*time.Second)
	if label := tb.text("toggle"); !strings.HasPrefix(label, "Hide") {
		t.Errorf("toggle says %q while shown, want Hide…", label)
	}

	// Copy.
	if s := tb.text("copy-status"); s != "" {
		t.Errorf("#copy-status says %q before any copy, want nothing", s)
	}
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	tb.do("copy", chromedp.Click(chromedp.ID("copy"), pageload.Paced))
	tb.waitFor("#copy-status", `document.getElementById("copy-status")?.textContent.trim() !== ""`, 5*time.Second)
	if s := tb.text("copy-status"); !strings.HasPrefix(s, "Copied") {
		t.Errorf("#copy-status = %q after a granted copy, want Copied…", s)
	}
	if clip := eval[string](tb, `navigator.clipboard.readText()`); clip != token {
		t.Errorf("clipboard holds %q, want the token %q", clip, token)
	}

	// Done.
	tb.do("done", chromedp.Click(chromedp.ID("done"), pageload.Paced))
	tb.do("back to the form", chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	if where := domHolds(tb, token); len(where) > 0 {
		t.Errorf("after Done the token is still in the page: %v", where)
	}
	tb.waitFor("focus on #name after Done", `document.activeElement?.id === "name"`, 5*time.Second)
	for _, id := range []string{"name", "mail", "comment"} {
		if v := tb.value(id); v != "" {
			t.Errorf("#%s = %q after Done, want an empty form", id, v)
		}
	}
}

// ---- 2 ---------------------------------------------------------------------

func (st *suite) fieldValidation(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	before := st.s.Emulator.Count()

	tb.do("submit the empty form", chromedp.Click(chromedp.ID("submit"), pageload.Paced))
	tb.waitFor("field errors", `document.getElementById("name-error")?.textContent.trim() !== "" && document.getElementById("mail-error")?.textContent.trim() !== ""`, 5*time.Second)
	for _, id := range []string{"name", "mail"} {
		errID := id + "-error"
		if msg := tb.text(errID); len(msg) < 8 {
			t.Errorf("#%s = %q, want a sentence", errID, msg)
		}
		if v, _ := tb.attr(id, "aria-invalid"); v != "true" {
			t.Errorf("#%s aria-invalid = %q, want true", id, v)
		}
		if v, _ := tb.attr(id, "aria-describedby"); !contains(strings.Fields(v), errID) {
			t.Errorf("#%s aria-describedby = %q, want it to name %s", id, v, errID)
		}
	}
	if v, ok := tb.attr("comment", "aria-invalid"); ok {
		t.Errorf("#comment (optional, empty) has aria-invalid=%q", v)
	}
	tb.waitFor("focus on the first invalid field", `document.activeElement?.id === "name"`, 5*time.Second)

	// A name and a malformed address: only the mail error remains.
	tb.do("type a name and a bad email",
		chromedp.SendKeys(chromedp.ID("name"), "Grace Hopper", pageload.Paced),
		chromedp.SendKeys(chromedp.ID("mail"), st.useMail("grace-at-example"), pageload.Paced),
		chromedp.Click(chromedp.ID("submit"), pageload.Paced),
	)
	tb.waitFor("the name error to clear", `document.getElementById("name-error")?.textContent.trim() === ""`, 5*time.Second)
	if msg := tb.text("mail-error"); !strings.Contains(strings.ToLower(msg), "email") {
		t.Errorf("#mail-error = %q for a malformed address, want a sentence about the email address", msg)
	}
	if v, ok := tb.attr("name", "aria-invalid"); ok {
		t.Errorf("#name still aria-invalid=%q after a valid name", v)
	}
	if v, _ := tb.attr("mail", "aria-invalid"); v != "true" {
		t.Errorf("#mail aria-invalid = %q for a malformed address, want true", v)
	}
	if v, _ := tb.attr("mail", "aria-describedby"); !contains(strings.Fields(v), "mail-error") {
		t.Errorf("#mail aria-describedby = %q, want it to name mail-error", v)
	}
	if n := st.s.Emulator.Count() - before; n != 0 {
		t.Errorf("invalid forms reached the upstream %d times, want never", n)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ---- 3 ---------------------------------------------------------------------

func (st *suite) upstream5xx(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	p := person{name: "Katherine Johnson", mail: st.useMail("katherine.5xx@example.com"), comment: "Orbit maths"}
	st.fill(tb, p)
	before := st.s.Emulator.Count()
	st.s.Emulator.FaultNext(emulator.Fault5xx, 1)
	tb.do("submit", chromedp.Click(chromedp.ID("submit"), pageload.Paced))
	msg := formError(tb, 15*time.Second)
	t.Logf("#form-error: %q", msg)
	if n := st.s.Emulator.Count() - before; n != 1 {
		t.Errorf("the emulator got %d requests, want the one that failed", n)
	}
	checkSentence(t, msg)
	checkValuesKept(tb, p)
	tb.do("no reveal", chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))
	if code := statusCode.FindString(msg); code != "" {
		t.Errorf("#form-error shows the raw status code %s: %q", code, msg)
	}
}

func (st *suite) upstreamTimeout(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	p := person{name: "Margaret Hamilton", mail: st.useMail("margaret.slow@example.com"), comment: "Apollo guidance"}
	st.fill(tb, p)
	st.s.Emulator.FaultNext(emulator.FaultSlow, 1)
	start := time.Now()
	tb.do("submit", chromedp.Click(chromedp.ID("submit"), pageload.Paced))
	msg := formError(tb, 20*time.Second)
	t.Logf("#form-error after %s: %q", time.Since(start).Round(time.Millisecond), msg)
	st.wantUpstreamStillSlow(t)
	checkSentence(t, msg)
	if code := statusCode.FindString(msg); code != "" {
		t.Errorf("#form-error shows the raw status code %s: %q", code, msg)
	}
	checkValuesKept(tb, p)
	tb.do("no reveal", chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))
}

// checkSentence asserts msg reads as a sentence a person can act on.
func checkSentence(t *testing.T, msg string) {
	t.Helper()
	words := strings.Fields(msg)
	if len(words) < 5 || !strings.ContainsAny(msg[len(msg)-1:], ".!") || strings.ToUpper(msg[:1]) != msg[:1] {
		t.Errorf("#form-error = %q, want a readable sentence", msg)
	}
	for _, raw := range []string{"Bad Gateway", "Gateway Timeout", "Service Unavailable", "upstream_", "{", "Error:"} {
		if strings.Contains(msg, raw) {
			t.Errorf("#form-error = %q, contains the raw %q", msg, raw)
		}
	}
}

// ---- 4 ---------------------------------------------------------------------

func (st *suite) offline(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	// The service worker caches the shell on install; ready means active.
	if !eval[bool](tb, `navigator.serviceWorker.ready.then(r => !!r.active)`) {
		t.Fatal("the service worker never became active")
	}
	// go-app's worker does not claim open pages: the next load is controlled.
	tb.do("reload online", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced), wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	tb.waitFor("a controlling service worker", `navigator.serviceWorker.controller !== null`, 10*time.Second)

	goOffline(tb)
	if eval[bool](tb, `navigator.onLine`) {
		t.Fatal("navigator.onLine is still true after going offline")
	}
	tb.do("reload offline: the shell comes from the service worker",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced),
	)
	tb.do("app.wasm (cached) takes over offline", wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))

	p := person{name: "Hedy Lamarr", mail: st.useMail("hedy.offline@example.com"), comment: "Frequency hopping"}
	st.fill(tb, p)
	before := st.s.Emulator.Count()
	tb.do("submit offline", chromedp.Click(chromedp.ID("submit"), pageload.Paced))
	msg := formError(tb, 10*time.Second)
	t.Logf("#form-error offline: %q", msg)
	if !strings.Contains(strings.ToLower(msg), "offline") {
		t.Errorf("#form-error = %q, want it to say plainly that you are offline", msg)
	}
	checkSentence(t, msg)
	checkValuesKept(tb, p)
	if n := st.s.Emulator.Count() - before; n != 0 {
		t.Errorf("an offline submit reached the upstream %d times", n)
	}
}

func goOffline(tb *tab) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatalf("Network.enable: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: new(true),
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		tb.t.Fatalf("Network.emulateNetworkConditionsByRule offline: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: true, DownloadThroughput: -1, UploadThroughput: -1,
	}); err != nil {
		tb.t.Fatalf("Network.overrideNetworkState offline: %v", err)
	}
}

// ---- 5 ---------------------------------------------------------------------

func (st *suite) noJavaScript(t *testing.T) {
	tb := st.newTab(t, true)
	tb.do("load the prerendered page without JavaScript",
		pageload.Open(st.s.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced),
	)
	if v, ok := tb.attr("token-form", "data-wasm"); ok {
		t.Fatalf("#token-form has data-wasm=%q with JavaScript disabled: the test is not testing the plain form", v)
	}
	// Record the Origin header the browser really sends with the post.
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("Network.enable: %v", err)
	}
	var mu sync.Mutex
	var origins []string
	sent := chromedp.Events(tb.ctx, network.RequestWillBeSentExtraInfo)
	go func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			if ct, _ := ev.Headers["Content-Type"].(string); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
				o, _ := ev.Headers["Origin"].(string)
				mu.Lock()
				origins = append(origins, o)
				mu.Unlock()
			}
		}
	}()

	p := person{name: "Alan Turing", mail: st.useMail("alan.nojs@example.com"), comment: "Plain HTML"}
	st.fill(tb, p)
	before := st.s.Emulator.Count()
	// The server-rendered answer: the token, or an error page (p#form-error;
	// the prerendered form has a div#form-error).
	tb.do("post the plain form", chromedp.Click(chromedp.ID("submit"), pageload.Paced), chromedp.WaitVisible(chromedp.CSS("#token, p#form-error"), pageload.Paced))
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/auth/token") {
		t.Errorf("after the post the page is %s, want the server-rendered /auth/token answer", loc)
	}
	tokens, err := chromedp.Run(tb.ctx, chromedp.Nodes(chromedp.CSSAll("#token"), chromedp.AtLeast(0), pageload.Paced))
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) == 0 {
		msg := tb.text("form-error")
		mu.Lock()
		sentOrigins := strings.Join(origins, ", ")
		mu.Unlock()
		t.Fatalf("the plain form post showed no token (upstream reached %d times); #form-error says %q (Origin sent: %s)",
			st.s.Emulator.Count()-before, msg, sentOrigins)
	}
	shown, _ := tb.attr("token", "value")
	want, ok := st.s.Emulator.TokenFor(p.mail)
	if !ok || shown != want {
		t.Errorf("server-rendered #token = %q, want the emulator's %q (issued: %v)", shown, want, ok)
	}
	if w := tb.text("token-result"); !strings.Contains(w, warningText) {
		t.Errorf("server-rendered reveal lacks the warning %q", warningText)
	}
}

// ---- 6 ---------------------------------------------------------------------

func (st *suite) reloadForgets(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)

	// The clipboard refuses: the status must not claim success, and the
	// leave guard stays armed. (A denied clipboard-write permission does not
	// stop a user-activated writeText in Chromium, so the refusal is made
	// in the page.)
	p := person{name: "Barbara Liskov", mail: st.useMail("barbara.reload@example.com")}
	st.fill(tb, p)
	token := st.submitAndReveal(tb, p)
	tb.do("make the clipboard refuse", chromedp.Evaluate[chromedp.Void](`Object.defineProperty(navigator.clipboard, "writeText", {
		configurable: true,
		value: () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError")),
	})`))
	tb.do("copy (refused)", chromedp.Click(chromedp.ID("copy"), pageload.Paced))
	tb.waitFor("#copy-status", `document.getElementById("copy-status")?.textContent.trim() !== ""`, 5*time.Second)
	s := tb.text("copy-status")
	t.Logf("refused copy: %q", s)
	if strings.HasPrefix(s, "Copied") {
		t.Errorf("#copy-status = %q although the clipboard refused, want the manual-copy hint", s)
	}
	if label := tb.text("copy"); strings.HasPrefix(label, "Copied") {
		t.Errorf("#copy says %q although the clipboard refused", label)
	}

	tb.do("reload with an uncopied token", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced), wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	dialogs := tb.dialogsSeen()
	if len(dialogs) != 1 || dialogs[0].Type != page.DialogTypeBeforeunload {
		t.Errorf("reloading with an uncopied token asked %+v, want exactly one beforeunload prompt", dialogs)
	}
	tb.do("no #token after reload", chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))
	if where := domHolds(tb, token); len(where) > 0 {
		t.Errorf("after reload the token is still in the page: %v", where)
	}

	// Copied: the reload asks nothing, and forgets the token too.
	st.open(tb)
	p2 := person{name: "Barbara Liskov", mail: st.useMail("barbara.reload2@example.com")}
	st.fill(tb, p2)
	token2 := st.submitAndReveal(tb, p2)
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	tb.do("copy", chromedp.Click(chromedp.ID("copy"), pageload.Paced))
	tb.waitFor("Copied", `(document.getElementById("copy-status")?.textContent || "").startsWith("Copied")`, 5*time.Second)
	n := len(tb.dialogsSeen())
	tb.do("reload with a copied token", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced), wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	if extra := tb.dialogsSeen()[n:]; len(extra) > 0 {
		t.Errorf("reloading after a copy asked %d times (%+v), want no prompt", len(extra), extra)
	}
	tb.do("no #token after reload", chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))
	for _, tok := range []string{token, token2} {
		if where := domHolds(tb, tok); len(where) > 0 {
			t.Errorf("after reload token %q is still in the page: %v", tok, where)
		}
	}
}

// ---- 7 ---------------------------------------------------------------------

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (st *suite) runAxe(tb *tab) []axeViolation {
	tb.t.Helper()
	if !eval[bool](tb, `typeof axe === "object"`) {
		tb.do("inject axe-core", chromedp.Evaluate[chromedp.Void](st.axe+"\n;undefined"))
	}
	return eval[[]axeViolation](tb, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary || ""})),
	})))`)
}

func reportAxe(t *testing.T, when string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s: %s (%s) %s", when, v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s  %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", " "))
		}
		t.Error(b.String())
	}
}

func (st *suite) axeCheck(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	vs := st.runAxe(tb)
	reportAxe(t, "on the form", vs)
	t.Logf("axe on the form: %d violations", len(vs))

	p := person{name: "Radia Perlman", mail: st.useMail("radia.axe@example.com"), comment: "Spanning tree"}
	st.fill(tb, p)
	st.submitAndReveal(tb, p)
	vs = st.runAxe(tb)
	reportAxe(t, "on the reveal", vs)
	t.Logf("axe on the reveal: %d violations", len(vs))
}

// ---- 10 --------------------------------------------------------------------

// sweepReport is what the page's storage holds, searched for secrets.
type sweepReport struct {
	Hits      []string `json:"hits"`
	Inventory []string `json:"inventory"`
	Caches    int      `json:"caches"`
	Entries   int      `json:"entries"`
}

const sweepJS = `(async (needles) => {
	const hits = [], inventory = [];
	const check = (where, text) => {
		text = String(text);
		for (const n of needles) if (text.includes(n)) hits.push(where + " holds " + JSON.stringify(n));
	};
	const dump = v => { try { return JSON.stringify(v) ?? String(v); } catch (e) { return String(v); } };
	for (const [name, st] of [["localStorage", localStorage], ["sessionStorage", sessionStorage]]) {
		inventory.push(name + ": " + st.length + " keys");
		for (let i = 0; i < st.length; i++) { const k = st.key(i); check(name + "[" + k + "]", k + "=" + st.getItem(k)); }
	}
	check("document.cookie", document.cookie);
	inventory.push("document.cookie: " + document.cookie.length + " chars");
	const dbs = indexedDB.databases ? await indexedDB.databases() : [];
	inventory.push("indexedDB: " + dbs.length + " databases");
	for (const info of dbs) {
		const db = await new Promise((ok, fail) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
		for (const store of db.objectStoreNames) {
			const tx = db.transaction(store, "readonly"), os = tx.objectStore(store);
			const get = req => new Promise((ok, fail) => { req.onsuccess = () => ok(req.result); req.onerror = () => fail(req.error); });
			const [keys, values] = [await get(os.getAllKeys()), await get(os.getAll())];
			inventory.push("indexedDB " + info.name + "/" + store + ": " + values.length + " records");
			check("indexedDB " + info.name + "/" + store, dump(keys) + dump(values));
		}
		db.close();
	}
	let caches_ = 0, entries = 0;
	for (const name of await caches.keys()) {
		caches_++;
		check("cache name", name);
		const cache = await caches.open(name);
		for (const req of await cache.keys()) {
			entries++;
			check("cache " + name + " key", req.url);
			const res = await cache.match(req);
			if (!res) continue;
			check("cache " + name + " " + req.url + " headers", dump([...res.headers]));
			check("cache " + name + " " + req.url + " body", await res.text());
		}
	}
	inventory.push("Cache Storage: " + caches_ + " caches, " + entries + " entries");
	check("location.href", location.href);
	check("history.state", dump(history.state));
	inventory.push("history.length: " + history.length);
	for (const e of performance.getEntries()) check("performance entry", e.name);
	check("document.referrer", document.referrer);
	check("window.name", window.name);
	return {hits, inventory, caches: caches_, entries};
})`

func (st *suite) storageSweep(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	if !eval[bool](tb, `navigator.serviceWorker.ready.then(r => !!r.active)`) {
		t.Fatal("the service worker never became active")
	}
	// Run the flow under the service worker, as a returning visitor would.
	tb.do("reload under the service worker", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced), wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	tb.waitFor("a controlling service worker", `navigator.serviceWorker.controller !== null`, 10*time.Second)

	p := person{name: "Frances Allen", mail: st.useMail("frances.sweep@example.com"), comment: "Compiler optimisation"}
	st.fill(tb, p)
	// First an upstream failure, then the same form again.
	st.s.Emulator.FaultNext(emulator.Fault5xx, 1)
	tb.do("submit (fails upstream)", chromedp.Click(chromedp.ID("submit"), pageload.Paced))
	formError(tb, 15*time.Second)
	token := st.submitAndReveal(tb, p)
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	tb.do("copy", chromedp.Click(chromedp.ID("copy"), pageload.Paced))
	tb.waitFor("Copied", `(document.getElementById("copy-status")?.textContent || "").startsWith("Copied")`, 5*time.Second)
	tb.do("hide and show", chromedp.Click(chromedp.ID("toggle"), pageload.Paced), chromedp.Click(chromedp.ID("toggle"), pageload.Paced))
	tb.do("done", chromedp.Click(chromedp.ID("done"), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID("token"), pageload.Paced))

	if where := domHolds(tb, token); len(where) > 0 {
		t.Errorf("after Done the token is still in the page: %v", where)
	}

	// The token must be nowhere; nor is there any reason to keep the address.
	needles, _ := json.Marshal([]string{token, p.mail})
	rep := eval[sweepReport](tb, sweepJS+"("+string(needles)+")")
	t.Logf("swept:\n  %s", strings.Join(rep.Inventory, "\n  "))
	for _, h := range rep.Hits {
		t.Errorf("secret found: %s", h)
	}
	if rep.Caches == 0 || rep.Entries == 0 {
		t.Errorf("Cache Storage held %d caches with %d entries: the sweep did not see the service worker's cache", rep.Caches, rep.Entries)
	}

	// Cookies of the whole browser context, and of the origin.
	all, err := chromedp.CallBrowser(tb.ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID})
	if err != nil {
		t.Fatalf("Storage.getCookies: %v", err)
	}
	origin, err := chromedp.Call(tb.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{st.s.URL + "/", st.s.URL + "/auth/token"}})
	if err != nil {
		t.Fatalf("Network.getCookies: %v", err)
	}
	for _, c := range append(all.Cookies, origin.Cookies...) {
		if strings.Contains(c.Name+"="+c.Value, token) {
			t.Errorf("cookie %s holds the token", c.Name)
		}
	}
	t.Logf("cookies: %d in the browser context, %d for the origin", len(all.Cookies), len(origin.Cookies))

	// Session history, as the browser keeps it.
	hist, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range hist.Entries {
		if strings.Contains(e.URL+e.UserTypedURL+e.Title, token) {
			t.Errorf("history entry %d (%s) holds the token", e.ID, e.URL)
		}
	}
	t.Logf("history: %d entries", len(hist.Entries))

	// The console of every tab of the run, from its first event.
	tokens := st.s.Emulator.Tokens()
	st.mu.Lock()
	tabs := append([]*tab(nil), st.tabs...)
	mails := append([]string(nil), st.mails...)
	st.mu.Unlock()
	messages := 0
	for _, other := range tabs {
		for _, m := range other.consoleMessages() {
			messages++
			for mail, tok := range tokens {
				if strings.Contains(m, tok) {
					t.Errorf("the console shows the token issued for %s: %.300s", mail, m)
				}
			}
		}
	}
	if len(tb.consoleMessages()) == 0 {
		t.Log("note: this tab logged nothing to the console")
	}
	t.Logf("console: %d messages across %d tabs checked for %d tokens", messages, len(tabs), len(tokens))

	// The worker's logs: no token, no email address, for the whole run.
	logs := st.s.Logs()
	if !strings.Contains(logs, "/auth/token") {
		t.Errorf("the worker's logs never mention /auth/token; are they captured? tail:\n%s", st.s.LogTail(20))
	}
	for mail, tok := range tokens {
		if strings.Contains(logs, tok) {
			t.Errorf("the worker's logs hold the token issued for %s", mail)
		}
	}
	for _, m := range mails {
		if strings.Contains(logs, m) {
			t.Errorf("the worker's logs hold the email address %s", m)
		}
	}
	t.Logf("worker logs: %d bytes checked for %d tokens and %d addresses", len(logs), len(tokens), len(mails))
}
