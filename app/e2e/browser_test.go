package e2e

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tokendesk/internal/chromium"
	"tokendesk/internal/emulator"
	"tokendesk/internal/pageload"
	"tokendesk/internal/stack"
	"tokendesk/internal/tabwatch"
)

// tabTimeout bounds everything one scenario does in its tab.
const tabTimeout = 90 * time.Second

// chromiumPath returns the browser to drive: $CHROMIUM, else Debian's
// /usr/bin/chromium. It skips only when neither is there (`make test`
// installs Chromium).
func chromiumPath(t *testing.T) string { return chromium.PathT(t) }

// startSuite starts the stack with the timeouts every scenario shares,
// reads axe-core and starts Chromium.
func startSuite(t *testing.T) *suite { return startSuiteWith(t, nil) }

// startSuiteWith is startSuite with more Worker vars or build settings.
func startSuiteWith(t *testing.T, vars map[string]string) *suite {
	exe := chromiumPath(t)
	st := &suite{}
	all := map[string]string{"UPSTREAM_TIMEOUT": upstreamTimeout}
	maps.Copy(all, vars)
	st.s = stack.StartT(t, stack.Options{
		Vars:     all,
		Emulator: emulator.Options{SlowDelay: slowDelay},
	})
	axe, err := os.ReadFile(filepath.Join(st.s.RepoRoot, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core (npm ci installs it): %v", err)
	}
	st.axe = string(axe)
	st.browser = startBrowser(t, exe)
	return st
}

// startBrowser starts a headless Chromium for one suite, stopped after it.
// Scenarios each get a browser context of their own (see newTab), but the
// clipboard is the browser's: with one browser for the package, a token
// another suite copied reached the clipboard between a Clear and the read
// that checked it (TestKeep's 4_clipboard_clear).
func startBrowser(t *testing.T, exe string) context.Context {
	t.Helper()
	browser, stop, err := chromium.Start(exe, 1280, 900)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return browser
}

// tab is one page in its own browser context (a fresh, incognito-like
// profile: no shared storage, cookies, service worker or permissions).
type tab struct {
	t   *testing.T
	ctx context.Context
	// live is the tab's context without the scenario's deadline, for a
	// failure's report after the deadline passed.
	live context.Context
	// browserContext is the id of the tab's browser context.
	browserContext string

	// watch keeps the tab's console and requests since it opened.
	watch *tabwatch.Watch
	// workerLog is the tail of the Worker's log, for a failure's report.
	workerLog func(lines int) string

	// dialogs are the JavaScript dialogs the tab accepted.
	dialogs *dialogLog
}

type dialogLog struct {
	mu   sync.Mutex
	seen []page.EventJavascriptDialogOpening
}

// newTab opens a tab in a new browser context. With scriptsOff, JavaScript
// is disabled before the first navigation.
func (st *suite) newTab(t *testing.T, scriptsOff bool) *tab {
	t.Helper()
	tb := &tab{t: t, watch: tabwatch.New(), workerLog: st.s.Tail, dialogs: &dialogLog{}}
	ctx, cancel := chromedp.NewContext(st.browser,
		chromedp.WithNewBrowserContext(),
		chromedp.WithListener(tb.watch.Listen),
	)
	t.Cleanup(cancel)
	tb.reportOnFailure(t)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	tb.live = ctx
	tb.browserContext = string(chromedp.FromContext(ctx).BrowserContextID)
	tctx, tcancel := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(tcancel)
	tb.ctx = tctx
	st.addTab(tb)

	// A headless window may not count as focused; the Clipboard API and
	// focus assertions need a focused page.
	if _, err := chromedp.Call(tctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatalf("focus emulation: %v", err)
	}
	if scriptsOff {
		if _, err := chromedp.Call(tctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
	}
	// Accept every JavaScript dialog (the leave guard's beforeunload), and
	// remember it, for as long as the tab is open: subtests that share it
	// (see in) outlive its own deadline.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tb.dialogs.mu.Lock()
			tb.dialogs.seen = append(tb.dialogs.seen, ev)
			tb.dialogs.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return tb
}

// in returns the tab for t, a subtest of the test that opened it, with a
// deadline (tabTimeout) of its own. Subtests that only look at pages share
// one tab: a page load in an open tab costs about a third of the CPU of a
// fresh browser context (BENCHMARKS.md). A failing subtest reports where
// the tab was.
func (tb *tab) in(t *testing.T) *tab {
	t.Helper()
	sub := *tb
	sub.t = t
	ctx, cancel := context.WithTimeout(tb.live, tabTimeout)
	t.Cleanup(cancel)
	sub.ctx = ctx
	sub.reportOnFailure(t)
	return &sub
}

// reportOnFailure has t log where the tab was when t ends failed, whatever
// failed it.
func (tb *tab) reportOnFailure(t *testing.T) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(tb.report())
		}
	})
}

func (tb *tab) consoleMessages() []string { return tb.watch.Console() }

// report is what a failure shows: the tab's last console lines and
// requests, and the Worker's last log lines.
func (tb *tab) report() string {
	return tb.pageState() + tb.watch.Report(reportLines) + "the Worker's last log lines:\n" + tb.workerLog(reportLines)
}

// pageState says what the tab shows now, in a line or two.
func (tb *tab) pageState() string {
	if tb.live == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(tb.live, 3*time.Second)
	defer cancel()
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({href: location.href, readyState: document.readyState,
		wasmBoot: document.documentElement.dataset.wasmBoot, focus: document.activeElement?.id,
		main: (document.querySelector("main") || document.body)?.innerText.slice(0, 600)})`))
	if err != nil {
		state = err.Error()
	}
	return "the page now: " + state + "\n"
}

// reportLines is how many of each kind a failure's report shows.
const reportLines = 15

func (tb *tab) dialogsSeen() []page.EventJavascriptDialogOpening {
	tb.dialogs.mu.Lock()
	defer tb.dialogs.mu.Unlock()
	return append([]page.EventJavascriptDialogOpening(nil), tb.dialogs.seen...)
}

// do runs steps, failing the test with what was being done.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	for i, step := range steps {
		if err := chromedp.Do(tb.ctx, step); err != nil {
			// Which step; the tab's cleanup adds where the tab was (see
			// report): a timeout alone tells nothing of why.
			tb.t.Fatalf("%s (step %d of %d): %v", what, i+1, len(steps), err)
		}
	}
}

// settle waits until the tab has no request in flight and its page has
// had an idle period: what the page does on its own has been done by then.
func (tb *tab) settle(what string) {
	tb.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); tb.watch.Pending() > 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: the tab still has %d requests in flight after 20 s", what, tb.watch.Pending())
		}
	}
	eval[bool](tb, `new Promise((resolve) => requestIdleCallback(() => resolve(true), {timeout: 5000}))`)
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes it.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it is truthy (pageload.Until).
func (tb *tab) waitFor(what, expr string, timeout time.Duration) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, pageload.Until(expr, timeout)); err != nil {
		tb.t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

func (tb *tab) value(id string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID(id), pageload.Paced))
	if err != nil {
		tb.t.Fatalf("value of #%s: %v", id, err)
	}
	return v
}

func (tb *tab) text(id string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.TextContent(chromedp.ID(id), pageload.Paced))
	if err != nil {
		tb.t.Fatalf("text of #%s: %v", id, err)
	}
	return strings.TrimSpace(v)
}

func (tb *tab) attr(id, name string) (string, bool) {
	tb.t.Helper()
	r, err := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.ID(id), name, pageload.Paced))
	if err != nil {
		tb.t.Fatalf("attribute %s of #%s: %v", name, id, err)
	}
	return r.Value, r.Exists
}

// setClipboard grants or denies clipboard access to origin in the tab's
// browser context.
func (tb *tab) setClipboard(origin string, setting browser.PermissionSetting) {
	tb.t.Helper()
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(tb.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission:       &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: name == "clipboard-write"},
			Setting:          setting,
			Origin:           origin,
			BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID,
		})
		if err != nil {
			tb.t.Fatalf("set %s permission to %s: %v", name, setting, err)
		}
	}
}
