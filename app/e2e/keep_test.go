package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"tokendesk"
	tokenapp "tokendesk/app"
	"tokendesk/internal/chromium"
	"tokendesk/internal/lang"
	"tokendesk/internal/pageload"
	"tokendesk/internal/tabwatch"
)

// TestKeep drives "Keep it safe" and the clipboard's countdown against the
// real stack: the password manager (in a Chromium whose password manager
// is on), the QR code, the .env download, the clipboard clear, copying in
// frames, axe, and a storage sweep after all of it. The timed clear waits
// its real 90 s: it copies first and checks the clear last, and the other
// scenarios run in between, so that the wait holds no -parallel slot of
// its own (it waited 50 to 95 s for one, and then held it, idle).
//
// That countdown is the longest wait of the package, so it starts before
// the suites run: the stack starts and the copy is made before t.Parallel.
// go test gives the -parallel slots to the waiting suites in no fixed
// order, and TestKeep took one 4 to 30 s after the start, which the
// package's end then waited for.
func TestKeep(t *testing.T) {
	// The documentation sites that frame the embed are named in
	// FRAME_ANCESTORS, as a deploy for them would be built.
	hosts := listenFrameHosts(t)
	st := startSuiteWith(t, map[string]string{"FRAME_ANCESTORS": "'self' " + hosts.docs + " " + hosts.iframely})
	st.frameHosts = hosts
	clear := &timedClear{keep: t, st: st}
	t.Run("0_timed_clear_copy", clear.copy)
	t.Parallel() // a stack of its own: beside the other suites
	t.Run("1_password_manager", st.keepPasswordManager)
	t.Run("1b_check_offers_no_save", st.keepCheckOffersNoSave)
	t.Run("2_qr_code", st.keepQRCode)
	t.Run("3_env_download", st.keepEnvDownload)
	t.Run("4_clipboard_clear", st.keepClipboardClear)
	t.Run("5_copy_in_frames", st.keepCopyInFrames)
	t.Run("6_axe", st.keepAxe)
	t.Run("7_storage_sweep", st.keepSweep)
	t.Run("8_timed_clear_check", clear.check)
}

// reveal opens the desk in tb and gets a token for a new address.
func (st *suite) reveal(tb *tab, name, mail string) (token string, p person) {
	tb.t.Helper()
	st.open(tb)
	p = person{name: name, mail: st.useMail(mail)}
	st.fill(tb, p)
	return st.submitAndReveal(tb, p), p
}

// onNewDocument runs script in every document of tb before the page's own.
func onNewDocument(tb *tab, script string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script}); err != nil {
		tb.t.Fatal(err)
	}
}

// recordStore keeps what the page hands navigator.credentials.store and
// how the call ended, in window.__store.
const recordStore = `(() => {
	const c = navigator.credentials, store = c.store.bind(c);
	c.store = (cred) => store(cred).then(
		(r) => { window.__store = {type: cred.type, id: cred.id, name: cred.name, password: cred.password, resolved: true}; return r; },
		(e) => { window.__store = {type: cred.type, error: e.name + ": " + e.message}; throw e; });
})()`

// recordSubmits keeps, for each form submission the document sees, how
// many characters its fields held then, in window.__submits: what the
// password manager could read when it was told of the submission.
const recordSubmits = `(() => {
	window.__submits = [];
	document.addEventListener("submit", (e) => {
		const f = e.target;
		window.__submits.push({form: f.id, at: Math.round(performance.now()),
			fields: Array.from(f.elements).filter((el) => el.name).map((el) => el.name + ":" + el.value.length).join(" ")});
	}, true);
})()`

type storeCall struct {
	Type, ID, Name, Password, Error string
	Resolved                        bool
}

// savingBrowser is a Chromium whose password manager saves: without
// --enable-automation (with it, Chromium drops every password: "Saving
// disabled"), and in the default, not an off-the-record, profile. Its
// first tab shows chrome://password-manager-internals, which logs what the
// password manager decides.
func (st *suite) savingBrowser(t *testing.T) (internals, desk, desk2 *tab) {
	profile := t.TempDir()
	opts := append(chromium.Options(chromiumPath(t), profile), chromedp.Flag("enable-automation", false))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	first, cancelFirst := chromedp.NewContext(alloc)
	t.Cleanup(cancelFirst)
	opened := 0
	open := func() *tab {
		ctx, cancel := first, func() {}
		if opened++; opened > 1 {
			ctx, cancel = chromedp.NewContext(first) // a tab of the same browser
		}
		t.Cleanup(cancel)
		tctx, tcancel := context.WithTimeout(ctx, tabTimeout)
		t.Cleanup(tcancel)
		tb := &tab{t: t, ctx: tctx, watch: tabwatch.New(), workerLog: st.s.LogTail}
		if _, err := chromedp.Call(tctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
			t.Fatalf("start Chromium with its password manager on: %v", err)
		}
		st.addTab(tb)
		return tb
	}
	internals = open()
	tb := internals
	tb.do("open the password manager's log", chromedp.Navigate("chrome://password-manager-internals"))
	desk, desk2 = open(), open()
	return internals, desk, desk2
}

// ---- 1 ---------------------------------------------------------------------

// keepPasswordManager saves with PasswordCredential, then with the form
// where there is none, and reads the password manager's own log.
func (st *suite) keepPasswordManager(t *testing.T) {
	internals, tb, tb2 := st.savingBrowser(t)
	onNewDocument(tb, recordStore)
	log := func() string { return eval[string](internals, `document.body.innerText`) }
	prompts := func() int { return strings.Count(log(), "PENDING_PASSWORD_STATE") }
	before := prompts()

	token, p := st.reveal(tb, "Ada Keep", "ada.keep@example.com")
	tb.do("save", chromedp.Click(chromedp.ID(tokenapp.IDSave), pageload.Paced))
	offered := lang.EN.Text(lang.KeySaveOffered)
	tb.waitFor("the save status", `document.getElementById("`+tokenapp.IDKeepStatus+`")?.textContent === `+jsString(offered), 10*time.Second)
	call := eval[storeCall](tb, `window.__store || {}`)
	want := storeCall{Type: "password", ID: p.mail, Name: lang.EN.Text(lang.KeyAppName), Password: token, Resolved: true}
	if call != want {
		t.Errorf("store() got and answered %+v, want %+v", call, want)
	}
	internals.waitFor("the save prompt", `document.body.innerText.split("PENDING_PASSWORD_STATE").length - 1 > `+strconv.Itoa(before), 30*time.Second)
	if l := log(); !strings.Contains(l, "CM API save a credential: origin="+st.s.URL) {
		t.Errorf("the password manager's log has no credential from %s:\n%.2000s", st.s.URL, l)
	}
	if v := eval[string](tb, `document.getElementById("`+tokenapp.IDSavePass+`").value`); v != token {
		t.Logf("the save form holds %d characters right after the click", len(v))
	}
	tb.waitFor("the save form emptied", `document.getElementById("`+tokenapp.IDSavePass+`").value === ""`, 5*time.Second)

	// Without PasswordCredential (Firefox, Safari): the form, in a tab of
	// its own (a tab whose save prompt is still open logs no new one).
	tb.do("done", chromedp.Click(chromedp.ID(tokenapp.IDDone), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDToken), pageload.Paced))
	tb = tb2
	onNewDocument(tb, `delete window.PasswordCredential`)
	onNewDocument(tb, recordSubmits)
	before = prompts()
	token2, _ := st.reveal(tb, "Ada Form", "ada.form@example.com")
	tb.do("save by the form", chromedp.Click(chromedp.ID(tokenapp.IDSave), pageload.Paced))
	tb.waitFor("the form's status", `document.getElementById("`+tokenapp.IDKeepStatus+`")?.textContent === `+jsString(lang.EN.Text(lang.KeySaveAsk)), 10*time.Second)
	for deadline := time.Now().Add(30 * time.Second); prompts() <= before; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			l := log()
			t.Fatalf("no save prompt for the form (submissions the page saw: %s); the password manager's log ends:\n%s",
				eval[string](tb, `JSON.stringify(window.__submits)`), l[max(0, len(l)-4000):])
		}
	}
	if l := log(); !strings.Contains(l, "Signon realm :  "+st.s.URL+"/") || !strings.Contains(l, "New password element :  password") {
		t.Errorf("the password manager's log has no form from %s with the new password:\n%.3000s", st.s.URL, l)
	}
	if loc := eval[string](tb, `location.href`); strings.Contains(loc, token2) || strings.Contains(loc, "?") {
		t.Errorf("the form went somewhere: %s", loc)
	}
	t.Logf("the password manager offered to save %d times", prompts())
}

// keepCheckOffersNoSave: a token typed into the check and sent by the plain
// form post (a real form submission) is never taken up by the password
// manager, as a password field's form would be (issue 19): its log, which
// records every form it parses and what it makes of it, never takes the
// check's field for a password. A save the desk asks for right after, in
// the same browser, shows that the log is live.
func (st *suite) keepCheckOffersNoSave(t *testing.T) {
	internals, tb, tb2 := st.savingBrowser(t)
	log := func() string { return eval[string](internals, `document.body.innerText`) }
	before := strings.Count(log(), "PENDING_PASSWORD_STATE")
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	tok := st.issue(t, "keep.check.nosave@example.com")
	tb.do("type a token into /check and post the plain form",
		pageload.Open(st.s.URL+tokendesk.CheckPage),
		chromedp.WaitVisible(chromedp.ID(tokenapp.IDCheckForm), pageload.Paced),
		chromedp.SendKeys(chromedp.ID(tokenapp.IDCheckToken), tok, pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDCheckSubmit), pageload.Paced),
	)
	tb.waitFor("the relay's page", `location.pathname === "`+tokendesk.CheckPath+`" && document.readyState === "complete"`, 15*time.Second)

	st.reveal(tb2, "Ada Control", "ada.control@example.com")
	tb2.do("save, as a control", chromedp.Click(chromedp.ID(tokenapp.IDSave), pageload.Paced))
	internals.waitFor("the control's save prompt", `document.body.innerText.split("PENDING_PASSWORD_STATE").length - 1 > `+strconv.Itoa(before), 30*time.Second)
	// The password manager parses every form, the check's included; a
	// password field's form it parses into a password element.
	taken := regexp.MustCompile(`[Pp]assword element :  ` + tokendesk.FieldToken + `\b`)
	if l := log(); taken.MatchString(l) || strings.Contains(l, tok) {
		i := taken.FindStringIndex(l)
		if i == nil {
			i = []int{strings.Index(l, tok)}
		}
		t.Errorf("the password manager took the check's field for a password:\n%s", l[max(0, i[0]-1500):min(len(l), i[0]+500)])
	}
}

// ---- 2 ---------------------------------------------------------------------

func (st *suite) keepQRCode(t *testing.T) {
	tb := st.newTab(t, false)
	token, _ := st.reveal(tb, "Grace QR", "grace.qr@example.com")
	tb.do("no QR code before it is asked for", chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDQR), pageload.Paced))
	tb.do("show the QR code", chromedp.Click(chromedp.ID(tokenapp.IDQRToggle), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDQR), pageload.Paced))
	shot, err := chromedp.Run(tb.ctx, chromedp.Screenshot(chromedp.ID(tokenapp.IDQR), pageload.Paced))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || res.GetText() != token {
		t.Errorf("the QR code on the page decodes to %v (%v), want the token; the screenshot: %s", res, err, keepShot(t, shot))
	}
	if v, _ := tb.attr(tokenapp.IDQRToggle, "aria-expanded"); v != "true" {
		t.Errorf("the QR toggle has aria-expanded=%q while shown", v)
	}
	tb.do("Hide removes it", chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDQR), pageload.Paced))
	tb.do("show it again, then Done", chromedp.Click(chromedp.ID(tokenapp.IDQRToggle), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDQR), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDDone), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDToken), pageload.Paced))
	if n := eval[int](tb, `document.querySelectorAll("#`+tokenapp.IDQR+`, svg").length`); n != 0 {
		t.Errorf("after Done the page has %d SVG drawings", n)
	}
}

// keepShot writes a failed check's screenshot where it outlives the test,
// and says where.
func keepShot(t *testing.T, png []byte) string {
	f, err := os.CreateTemp("", strings.ReplaceAll(t.Name(), "/", "_")+"-*.png")
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	if _, err := f.Write(png); err != nil {
		return err.Error()
	}
	return f.Name()
}

// ---- 3 ---------------------------------------------------------------------

// recordBlobs keeps every Blob URL the page makes and revokes, in order.
const recordBlobs = `(() => {
	window.__blobs = [];
	const create = URL.createObjectURL, revoke = URL.revokeObjectURL;
	URL.createObjectURL = (b) => { const u = create(b); __blobs.push("create " + u); return u; };
	URL.revokeObjectURL = (u) => { __blobs.push("revoke " + u); revoke(u); };
})()`

func (st *suite) keepEnvDownload(t *testing.T) {
	tb := st.newTab(t, false)
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID,
	}); err != nil {
		t.Fatal(err)
	}
	// The page's CSP keeps fetch to 'self'; off, a fetch can tell a live
	// Blob URL from a revoked one.
	if _, err := chromedp.Call(tb.ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	onNewDocument(tb, recordBlobs)
	token, _ := st.reveal(tb, "Hedy Env", "hedy.env@example.com")
	tb.do("download the .env file", chromedp.Click(chromedp.ID(tokenapp.IDDownloadEnv), pageload.Paced))
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && len(got) == 0; time.Sleep(100 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if !strings.HasSuffix(f, ".crdownload") {
				got, _ = os.ReadFile(f)
			}
		}
	}
	want := "# MetaHuman SDK API token. Keep this file out of version control: add this line to .gitignore\n" +
		"# metahumansdk.env\nMETAHUMANSDK_TOKEN=" + token + "\n"
	if string(got) != want {
		t.Errorf("the download holds %q, want %q", got, want)
	}
	blobs := eval[[]string](tb, `window.__blobs`)
	if len(blobs) != 2 || !strings.HasPrefix(blobs[0], "create blob:") || blobs[1] != "revoke "+strings.TrimPrefix(blobs[0], "create ") {
		t.Fatalf("Blob URLs made and revoked: %q, want one, revoked", blobs)
	}
	fetchable := `(u) => fetch(u).then(() => "live", () => "gone")`
	if s := eval[string](tb, `(`+fetchable+`)(URL.createObjectURL(new Blob(["x"])))`); s != "live" {
		t.Fatalf("a fresh Blob URL reads %s: the check cannot tell", s)
	}
	if s := eval[string](tb, `(`+fetchable+`)(`+jsString(strings.TrimPrefix(blobs[0], "create "))+`)`); s != "gone" {
		t.Errorf("the .env Blob URL is still %s after the download", s)
	}
	if s := tb.text(tokenapp.IDKeepStatus); s != lang.EN.Text(lang.KeyEnvDownloaded, "file", tokenapp.EnvFileName) {
		t.Errorf("status after the download: %q", s)
	}
}

// ---- 4 ---------------------------------------------------------------------

func clipboard(tb *tab) string {
	tb.t.Helper()
	return eval[string](tb, `navigator.clipboard.readText()`)
}

func (st *suite) keepClipboardClear(t *testing.T) {
	tb := st.newTab(t, false)
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	token, _ := st.reveal(tb, "Joan Clip", "joan.clip@example.com")
	clearNow := tokenapp.IDClipClear + "-now"
	copyToken := func() {
		tb.t.Helper()
		tb.do("copy", chromedp.Click(chromedp.ID(tokenapp.IDCopy), pageload.Paced), chromedp.WaitVisible(chromedp.ID(clearNow), pageload.Paced))
		if c := clipboard(tb); c != token {
			t.Fatalf("the clipboard holds %q after Copy, want the token", c)
		}
	}
	copyToken()
	if s := tb.text(tokenapp.IDClipTimer); !strings.HasPrefix(s, "The clipboard clears in ") {
		t.Errorf("the countdown says %q", s)
	}
	cleared := lang.EN.Text(lang.KeyClipCleared)
	tb.do("clear the clipboard", chromedp.Click(chromedp.ID(clearNow), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(clearNow), pageload.Paced))
	if c, s := clipboard(tb), tb.text(tokenapp.IDCopyStatus); c != "" || s != cleared {
		t.Errorf("after Clear the clipboard holds %q and the status says %q", c, s)
	}
	tb.waitFor("focus on Copy", `document.activeElement?.id === "`+tokenapp.IDCopy+`"`, 5*time.Second)

	// Something else copied meanwhile is left alone.
	copyToken()
	tb.do("copy something else", chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText("a note of mine")`, chromedp.EvalAwaitPromise))
	tb.do("clear the clipboard", chromedp.Click(chromedp.ID(clearNow), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(clearNow), pageload.Paced))
	if c, s := clipboard(tb), tb.text(tokenapp.IDCopyStatus); c != "a note of mine" || s != lang.EN.Text(lang.KeyClipChanged) {
		t.Errorf("the clipboard holds %q and the status says %q, want the note left alone", c, s)
	}

	// Done clears it too, a copied snippet as well.
	sn := tokenapp.IDSnippetCopy("env")
	tb.do("copy the .env snippet", chromedp.Click(chromedp.ID(sn), pageload.Paced), chromedp.WaitVisible(chromedp.ID(clearNow), pageload.Paced))
	if c := clipboard(tb); !strings.Contains(c, token) {
		t.Fatalf("the clipboard holds %q after copying the snippet", c)
	}
	tb.do("done", chromedp.Click(chromedp.ID(tokenapp.IDDone), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDToken), pageload.Paced))
	tb.waitFor("the clipboard emptied by Done", `navigator.clipboard.readText().then(t => t === "")`, 5*time.Second)
}

// timedClear waits the countdown out in two steps: copy copies the token
// and starts the countdown, and check waits for the clear. Chromium writes
// while the page has focus, so the clipboard is empty after
// ClipClearSeconds. Its tab is in a browser of its own (the clipboard is
// the browser's, and the other scenarios copy), open until TestKeep ends.
//
// The tab records every write the page makes to the clipboard (recordClip),
// so check holds whenever it runs: TestKeep's other scenarios run between
// the two steps, and they may end after the countdown has.
type timedClear struct {
	keep   *testing.T // TestKeep, which the browser and the tab outlive no step of
	st     *suite
	tb     *tab // nil until copy has copied
	token  string
	copied time.Time
}

// recordClip keeps each navigator.clipboard.writeText call of the page in
// window.__clipWrites: when it was made (performance.now(), in ms), how
// long the text was, and how the write ended. The text itself stays out
// of it: it is the token.
const recordClip = `(() => {
	const c = navigator.clipboard, write = c.writeText.bind(c);
	window.__clipWrites = [];
	c.writeText = (text) => {
		const w = {at: performance.now(), length: String(text).length, state: "pending"};
		window.__clipWrites.push(w);
		return write(text).then((r) => { w.state = "written"; return r; }, (e) => { w.state = e.name; throw e; });
	};
})()`

// clipWrite is one entry of window.__clipWrites.
type clipWrite struct {
	At     float64 // ms, performance.now()
	Length int
	State  string
}

func (c *timedClear) copy(t *testing.T) {
	chrome, stop, err := chromium.Start(chromiumPath(t), 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	c.keep.Cleanup(stop)
	// A tab like newTab's, but with no deadline of its own: each step has one.
	tb := &tab{t: t, watch: tabwatch.New(), workerLog: c.st.s.LogTail, dialogs: &dialogLog{}}
	ctx, cancel := chromedp.NewContext(chrome, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.watch.Listen))
	c.keep.Cleanup(cancel)
	// The first action opens the tab, and the tab lives as long as that
	// action's context: so the live one, not the step's.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	tb.live = ctx
	tb = tb.in(t)
	if _, err := chromedp.Call(tb.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	tb.setClipboard(c.st.s.URL, browser.PermissionSettingGranted)
	onNewDocument(tb, recordClip)
	own := &suite{s: c.st.s, axe: c.st.axe, browser: chrome}
	token, _ := own.reveal(tb, "Mary Timer", "mary.timer@example.com")
	tb.do("copy", chromedp.Click(chromedp.ID(tokenapp.IDCopy), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDClipTimer), pageload.Paced))
	c.copied = time.Now()
	if got := clipboard(tb); got != token {
		t.Fatalf("the clipboard holds %q after Copy", got)
	}
	c.tb, c.token = tb, token
}

func (c *timedClear) check(t *testing.T) {
	if c.tb == nil {
		t.Skip("0_timed_clear_copy copied nothing")
	}
	tb := c.tb.in(t)
	countdown := time.Duration(tokenapp.ClipClearSeconds) * time.Second
	// The countdown's rest, and as long again for a loaded machine.
	left := max(time.Until(c.copied.Add(countdown)), 0)
	ctx, cancel := context.WithTimeout(tb.live, 2*left+tabTimeout)
	t.Cleanup(cancel)
	tb.ctx = ctx
	// Asked before the countdown can have ended, the tab would only say
	// no for its rest: each question costs Chromium CPU that the other
	// suites need (pageload.Interval). What is checked is the poll below.
	select {
	case <-time.After(left):
	case <-ctx.Done():
	}
	tb.waitFor("the timed clear", `document.getElementById("`+tokenapp.IDCopyStatus+`")?.textContent === `+jsString(lang.EN.Text(lang.KeyClipCleared)), left+30*time.Second)
	if got := clipboard(tb); got != "" {
		t.Errorf("the clipboard holds %q after the countdown", got)
	}
	// Two writes: the token, and nothing else until the clear's "" a
	// whole countdown later. Only this page writes to this browser's
	// clipboard, so it held the token until then.
	writes := eval[[]clipWrite](tb, `window.__clipWrites`)
	if len(writes) != 2 || writes[0].Length != len(c.token) || writes[1].Length != 0 ||
		writes[0].State != "written" || writes[1].State != "written" {
		t.Fatalf("the page's clipboard writes: %+v; want the token's %d characters, then \"\", both written", writes, len(c.token))
	}
	after := time.Duration((writes[1].At - writes[0].At) * float64(time.Millisecond))
	// A tick reads the clock, and a loaded page's ticks come late: the
	// clear may come some seconds after the countdown, never before it.
	if after < countdown || after > countdown+30*time.Second {
		t.Errorf("the clear came %s after the copy, want %s (and at most 30 s more)", after.Round(time.Millisecond), countdown)
	}
	t.Logf("cleared %s after the copy", after.Round(time.Millisecond))
}

// ---- 5 ---------------------------------------------------------------------

// frameSites are the two documentation origins of copyInFrames, listening
// before the stack starts, so that its FRAME_ANCESTORS can name them.
type frameSites struct {
	docs, iframely   string // origins
	docsL, iframelyL net.Listener
	once             sync.Once
}

func listenFrameHosts(t *testing.T) *frameSites {
	t.Helper()
	listen := func() (net.Listener, string) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(l.Addr().String())
		return l, "http://localhost:" + port // another site than the stack's 127.0.0.1
	}
	f := &frameSites{}
	f.docsL, f.docs = listen()
	f.iframelyL, f.iframely = listen()
	return f
}

// serve serves documentation pages that frame /embed: /allow and /deny
// frame it with and without allow="clipboard-write"; /gitbook frames the
// "Iframely" origin, as GitBook does (no allow), and that page holds the
// desk's own oEmbed HTML, as Iframely's does. It returns the docs' origin.
func (f *frameSites) serve(t *testing.T, stackURL string) (host string) {
	t.Helper()
	f.once.Do(func() { f.start(t, stackURL) })
	return f.docs
}

func (f *frameSites) start(t *testing.T, stackURL string) {
	res, err := http.Get(stackURL + "/oembed?format=json&url=" + url.QueryEscape(stackURL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	var oembed struct{ HTML string }
	err = json.NewDecoder(res.Body).Decode(&oembed)
	res.Body.Close()
	if err != nil || !strings.Contains(oembed.HTML, "<iframe") {
		t.Fatalf("oEmbed answer: %v %q", err, oembed.HTML)
	}
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Docs</title></head><body style="margin:0">%s</body></html>`, body)
		}
	}
	mux := http.NewServeMux()
	frame := `<iframe id="f" src="%s" %s width="700" height="1400" style="border:0" title="Token"></iframe>`
	mux.Handle("/allow", page(fmt.Sprintf(frame, stackURL+"/embed", `allow="clipboard-write"`)))
	mux.Handle("/deny", page(fmt.Sprintf(frame, stackURL+"/embed", "")))
	// Another origin than the host's, but the same site: only the desk's
	// frame runs in a process of its own.
	mux.Handle("/gitbook", page(fmt.Sprintf(frame, f.iframely+"/", "")))
	for l, h := range map[net.Listener]http.Handler{f.docsL: mux, f.iframelyL: page(oembed.HTML)} {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
	}
}

// embedFrame is the desk's frame in the tab, reached by its own target.
func embedFrame(tb *tab, prefix string) *tab {
	tb.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		infos, err := chromedp.Targets(tb.ctx)
		if err != nil {
			tb.t.Fatal(err)
		}
		for _, info := range infos {
			// Only this tab's frames: the browser is shared with other tabs.
			if info.Type == "iframe" && info.BrowserContextID == chromedp.FromContext(tb.ctx).BrowserContextID && strings.HasPrefix(info.URL, prefix) {
				ctx, cancel := chromedp.NewContext(tb.ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
				tb.t.Cleanup(cancel)
				if err := chromedp.Do(ctx); err != nil {
					tb.t.Fatal(err)
				}
				if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
					tb.t.Fatal(err)
				}
				return &tab{t: tb.t, ctx: ctx, watch: tb.watch, workerLog: tb.workerLog}
			}
		}
	}
	infos, _ := chromedp.Targets(tb.ctx)
	var seen []string
	for _, info := range infos {
		seen = append(seen, info.Type+" "+info.URL)
	}
	tb.t.Fatalf("no frame at %s; targets: %q", prefix, seen)
	return nil
}

// clickInFrame clicks the element id of frame with the tab's mouse, as a
// person does. The desk's frame is #f of the page, or sits at the top left
// of the "Iframely" page in #f (both pages have no margins or borders).
func clickInFrame(tb, frame *tab, id string) {
	tb.t.Helper()
	type box struct{ X, Y float64 }
	in := eval[box](frame, `(() => { const e = document.getElementById(`+jsString(id)+`); e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return {X: r.x + r.width / 2, Y: r.y + r.height / 2}; })()`)
	at := eval[box](tb, `(() => { const r = document.getElementById("f").getBoundingClientRect(); return {X: r.x, Y: r.y}; })()`)
	tb.do("click #"+id+" in the frame", chromedp.MouseClickXY(at.X+in.X, at.Y+in.Y))
}

// keepCopyInFrames copies in the embed framed three ways: with
// clipboard-write delegated the copy works; without it, and two frames
// deep as Iframely frames it, the token is shown selected with the hint.
// In every frame the save section says why it cannot save.
func (st *suite) keepCopyInFrames(t *testing.T) {
	host := st.frameHosts.serve(t, st.s.URL)
	for _, c := range []struct {
		page   string
		copies bool
	}{{"/allow", true}, {"/deny", false}, {"/gitbook", false}} {
		t.Run(strings.TrimPrefix(c.page, "/"), func(t *testing.T) {
			tb := st.newTab(t, false)
			ctxID := chromedp.FromContext(tb.ctx).BrowserContextID
			for _, perm := range []struct{ name, origin, embedded string }{
				{"clipboard-write", host, st.s.URL}, {"clipboard-read", st.s.URL, ""},
			} {
				if _, err := chromedp.CallBrowser(tb.ctx, browser.SetPermission, browser.SetPermissionParams{
					Permission: &browser.PermissionDescriptor{Name: perm.name}, Setting: browser.PermissionSettingGranted,
					Origin: perm.origin, EmbeddedOrigin: perm.embedded, BrowserContextID: ctxID,
				}); err != nil {
					t.Fatal(err)
				}
			}
			tb.do("open the docs page", chromedp.Navigate(host+c.page))
			frame := embedFrame(tb, st.s.URL+"/embed")
			frame.waitFor("the prerendered form", `!!document.getElementById("name")`, 20*time.Second)
			mail := st.useMail("frame" + strings.TrimPrefix(c.page, "/") + "@example.com")
			frame.do("fill the form", chromedp.Evaluate[chromedp.Void](`(() => {
				document.getElementById("name").focus();
				document.getElementById("name").value = "Frances Frame";
				document.getElementById("mail").value = `+jsString(mail)+`;
			})()`))
			frame.waitFor("the wasm takeover", `document.getElementById("token-form")?.dataset.wasm === "ready"`, 60*time.Second)
			frame.do("fill again after the takeover", chromedp.Evaluate[chromedp.Void](`(() => {
				document.getElementById("name").value = "Frances Frame";
				document.getElementById("mail").value = `+jsString(mail)+`;
			})()`))
			frame.do("submit", chromedp.Evaluate[chromedp.Void](`document.getElementById("submit").click()`))
			frame.waitFor("the token", `!!document.getElementById("token")?.value`, 30*time.Second)
			token := eval[string](frame, `document.getElementById("token").value`)

			clickInFrame(tb, frame, tokenapp.IDCopy)
			frame.waitFor("the copy's status", `document.getElementById("copy-status")?.textContent.trim() !== ""`, 10*time.Second)
			status := eval[string](frame, `document.getElementById("copy-status").textContent`)
			if c.copies {
				if status != lang.EN.Text(lang.KeyCopiedStatus) {
					t.Errorf("with clipboard-write the copy says %q", status)
				}
			} else {
				if status != lang.EN.Text(lang.KeyCopyFailed) {
					t.Errorf("without clipboard-write the copy says %q, want the Ctrl+C hint", status)
				}
				frame.waitFor("the token selected in its field", `(() => {
					const e = document.activeElement;
					return e?.id === "token" && e.type === "text" && e.readOnly && e.selectionStart === 0 && e.selectionEnd === e.value.length;
				})()`, 5*time.Second)
			}
			if eval[bool](frame, `!!document.getElementById("`+tokenapp.IDSaveForm+`")`) {
				t.Error("the frame offers the save form")
			}
			href := eval[string](frame, `document.getElementById("`+tokenapp.IDOpenFull+`")?.getAttribute("href") || ""`)
			if href != "/" || strings.Contains(href, token) {
				t.Errorf("the link to the full page is %q", href)
			}
			t.Logf("%s: the copy says %q", c.page, status)
		})
	}
}

// ---- 6 ---------------------------------------------------------------------

func (st *suite) keepAxe(t *testing.T) {
	tb := st.newTab(t, false)
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	st.reveal(tb, "Radia Axe", "radia.keep@example.com")
	tb.do("copy, save, download, show the QR code",
		chromedp.Click(chromedp.ID(tokenapp.IDCopy), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDClipTimer), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDDownloadEnv), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDQRToggle), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDQR), pageload.Paced))
	vs := st.runAxe(tb)
	reportAxe(t, "on the reveal with Keep it safe", vs)
	t.Logf("axe on the reveal with Keep it safe: %d violations", len(vs))
	// The keyboard reaches every control of "Keep it safe", in order.
	ids := eval[[]string](tb, `[...document.querySelectorAll("#`+tokenapp.IDKeep+` button, #`+tokenapp.IDKeep+` a, #`+tokenapp.IDKeep+` input")].filter(e => e.tabIndex >= 0).map(e => e.id)`)
	want := []string{tokenapp.IDSave, tokenapp.IDQRToggle, tokenapp.IDDownloadEnv, tokenapp.IDLeakGitleaks, tokenapp.IDLeakGitHub}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("the tab order of Keep it safe is %q, want %q", ids, want)
	}
}

// ---- 7 ---------------------------------------------------------------------

// keepSweep runs all of "Keep it safe" and sweeps every place a token
// could stay.
func (st *suite) keepSweep(t *testing.T) {
	tb := st.newTab(t, false)
	st.open(tb)
	if !eval[bool](tb, `navigator.serviceWorker.ready.then(r => !!r.active)`) {
		t.Fatal("the service worker never became active")
	}
	tb.do("reload under the service worker", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("token-form"), pageload.Paced), wakeWasm(), chromedp.WaitVisible(chromedp.CSS(readyForm), pageload.Paced))
	if _, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: t.TempDir(),
		BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID,
	}); err != nil {
		t.Fatal(err)
	}
	tb.setClipboard(st.s.URL, browser.PermissionSettingGranted)
	p := person{name: "Dorothy Keep", mail: st.useMail("dorothy.keep@example.com")}
	st.fill(tb, p)
	token := st.submitAndReveal(tb, p)
	tb.do("save, copy, clear, QR code, download, hide, show, done",
		chromedp.Click(chromedp.ID(tokenapp.IDSave), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDCopy), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDClipClear+"-now"), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDClipClear+"-now"), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDClipClear+"-now"), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDQRToggle), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDQR), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDDownloadEnv), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced), chromedp.Click(chromedp.ID(tokenapp.IDToggle), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDCopy), pageload.Paced), chromedp.WaitVisible(chromedp.ID(tokenapp.IDClipClear+"-now"), pageload.Paced),
		chromedp.Click(chromedp.ID(tokenapp.IDDone), pageload.Paced), chromedp.WaitNotPresent(chromedp.ID(tokenapp.IDToken), pageload.Paced))
	if where := domHolds(tb, token); len(where) > 0 {
		t.Errorf("after Done the token is still in the page: %v", where)
	}
	needles, _ := json.Marshal([]string{token, p.mail})
	rep := eval[sweepReport](tb, sweepJS+"("+string(needles)+")")
	t.Logf("swept:\n  %s", strings.Join(rep.Inventory, "\n  "))
	for _, h := range rep.Hits {
		t.Errorf("secret found: %s", h)
	}
	if rep.Caches == 0 {
		t.Error("the sweep saw no Cache Storage")
	}
	all, err := chromedp.CallBrowser(tb.ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all.Cookies {
		if strings.Contains(c.Name+"="+c.Value, token) {
			t.Errorf("cookie %s holds the token", c.Name)
		}
	}
	hist, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range hist.Entries {
		if strings.Contains(e.URL+e.UserTypedURL+e.Title, token) {
			t.Errorf("history entry %s holds the token", e.URL)
		}
	}
	for _, m := range tb.consoleMessages() {
		if strings.Contains(m, token) {
			t.Errorf("the console shows the token: %.300s", m)
		}
	}
	tb.waitFor("the clipboard emptied by Done", `navigator.clipboard.readText().then(t => t === "")`, 5*time.Second)
}
