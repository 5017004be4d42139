//go:build !js

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tokendesk/internal/chromium"
)

// A first and a repeat visit in Chromium, every byte counted by a proxy.

type visitResult struct {
	bytes, wasmBytes          int64
	wasmFetches               int
	wasmEncoding              string
	breakdown                 string
	firstFormMS, repeatFormMS float64
	firstTakeoverMS           float64
	repeatTakeoverMS          float64
	controlled                bool
	na                        string
	err                       error
}

// visitProbe runs at the start of every document: it notes when the
// prerendered form is interactive (DOMContentLoaded, #token-form present
// and enabled), the first interaction, and when the wasm took the form
// over, in ms since navigation start.
const visitProbe = `(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("token-form");
    if (form && !form.querySelector(":disabled") && !form.closest("fieldset:disabled")) window.__formShownAt = performance.now();
  });
  for (const t of ["focusin", "pointerdown", "keydown", "touchstart"]) {
    document.addEventListener(t, () => { if (window.__firstInput === undefined) window.__firstInput = performance.now(); }, true);
  }
  const sel = '#token-form[data-wasm="ready"]';
  const check = () => {
    if (window.__formReadyAt === undefined && document.querySelector(sel)) window.__formReadyAt = performance.now();
    return window.__formReadyAt !== undefined;
  };
  if (check()) return;
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-wasm"]});
})();`

func kb(n int64) string { return fmt.Sprintf("%.1f kB", float64(n)/1e3) }

func visits(ctx context.Context, browserPath, stackURL string) (r visitResult) {
	cp, base, stop, err := startCountingProxy(stackURL)
	if err != nil {
		r.err = fmt.Errorf("proxy: %w", err)
		return r
	}
	defer stop()
	u := base + "/"

	profile, err := os.MkdirTemp("", "bench-chromium-")
	if err != nil {
		r.err = err
		return r
	}
	defer os.RemoveAll(profile)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromium.Options(browserPath, profile)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	tctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()

	if _, err := chromedp.Call(tctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		r.err = fmt.Errorf("focus emulation: %w", err)
		return r
	}
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: visitProbe}); err != nil {
		r.err = fmt.Errorf("add probe: %w", err)
		return r
	}
	poll := func(expr string) (float64, error) {
		return chromedp.Run(tctx, chromedp.Poll[float64](expr, chromedp.WithPollingTimeout(30*time.Second)))
	}
	focus := chromedp.Evaluate[chromedp.Void](`document.getElementById("name").focus()`)

	// First visit: everything until the service worker is active and the
	// idle compile (from its precache) is done; no interaction before.
	if err := chromedp.Do(tctx, chromedp.Navigate(u)); err != nil {
		r.err = fmt.Errorf("first visit: %w", err)
		return r
	}
	swCtx, cancelSW := context.WithTimeout(tctx, 30*time.Second)
	hasSW, err := chromedp.Run(swCtx, chromedp.Evaluate[bool](
		`'serviceWorker' in navigator ? navigator.serviceWorker.ready.then(() => true) : false`, chromedp.EvalAwaitPromise))
	cancelSW()
	if err != nil || !hasSW {
		r.na = "no active service worker within 30 s"
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			r.na += ": " + oneLine(err.Error())
		}
		return r
	}
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](`document.documentElement.dataset.wasmBoot === "compiled"`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		r.na = "app.wasm was not compiled at idle within 30 s (web/boot.js)"
		return r
	}
	time.Sleep(time.Second) // anything still in flight
	r.bytes = cp.total()
	cp.mu.Lock()
	r.wasmBytes, r.wasmFetches, r.wasmEncoding = cp.byPath["/web/app.wasm"], cp.fetches["/web/app.wasm"], cp.encoding["/web/app.wasm"]
	cp.mu.Unlock()
	if r.wasmEncoding == "" {
		r.wasmEncoding = "none"
	}
	r.breakdown = cp.table()
	// visit times one visit: the form shown, then, after a focus, the
	// wasm's takeover. It returns why it could not, if it could not.
	visit := func(which string) (formMS, takeoverMS float64, na string, err error) {
		if formMS, err = poll(`window.__formShownAt`); err != nil {
			return 0, 0, "no DOMContentLoaded with #token-form on the " + which + " visit", nil
		}
		if err := chromedp.Do(tctx, focus); err != nil {
			return 0, 0, "", fmt.Errorf("focus: %w", err)
		}
		if takeoverMS, err = poll(`window.__formReadyAt - window.__firstInput`); err != nil {
			return 0, 0, "#token-form never got data-wasm=ready on the " + which + " visit within 30 s of focusing #name", nil
		}
		return formMS, takeoverMS, "", nil
	}
	if r.firstFormMS, r.firstTakeoverMS, r.na, r.err = visit("first"); r.na != "" || r.err != nil {
		return r
	}
	if err := chromedp.Do(tctx, chromedp.Reload()); err != nil {
		r.err = fmt.Errorf("reload: %w", err)
		return r
	}
	if r.repeatFormMS, r.repeatTakeoverMS, r.na, r.err = visit("repeat"); r.na != "" || r.err != nil {
		return r
	}
	r.controlled, _ = chromedp.Run(tctx, chromedp.Evaluate[bool](`!!navigator.serviceWorker.controller`))
	return r
}
