//go:build !js

// Package chromium starts the headless Chromium the browser tests drive.
package chromium

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// debian is where Debian's package (make chromium) puts the browser.
const debian = "/usr/bin/chromium"

// Path returns the browser to drive: $CHROMIUM (a path or a name on PATH),
// else Debian's /usr/bin/chromium. The error says how to get one.
func Path() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if lp, err := exec.LookPath(p); err == nil {
			return lp, nil
		}
		return "", fmt.Errorf("CHROMIUM=%s: no such browser", p)
	}
	if _, err := os.Stat(debian); err != nil {
		return "", fmt.Errorf("%s is missing and CHROMIUM is unset (run `make chromium` or set CHROMIUM=/path/to/chrome)", debian)
	}
	return debian, nil
}

// PathT is Path for a test: it fails when $CHROMIUM names no browser, and
// skips when there is none at all (`make test` installs Debian's).
func PathT(t testing.TB) string {
	t.Helper()
	p, err := Path()
	switch {
	case err == nil:
		return p
	case os.Getenv("CHROMIUM") != "":
		t.Fatal(err)
	default:
		t.Skipf("browser tests skipped: %v", err)
	}
	return ""
}

// disabledFeatures are chromedp's own (Translate, BlinkGenPropertyTrees)
// and the omnibox's dropdown. Chromium 156 builds that dropdown as a WebUI
// page (chrome://omnibox-popup.top-chrome/) in a renderer of its own for
// every window, and a headless browser opens a window for every tab: about
// 1.3 s of CPU a tab, twice what a JS-off page of the desk costs
// (BENCHMARKS.md, History). No test uses the omnibox, and no page sees it.
const disabledFeatures = "Translate,BlinkGenPropertyTrees,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"

// Options are the flags every browser the tests and benchmarks start has:
// headless, chromedp's defaults, the machine's (no sandbox, no GPU), no
// background traffic, and the profile at profile.
func Options(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", disabledFeatures),
	)
}

// Start starts one headless Chromium at path with a fresh profile and a
// window of width×height, and returns its first tab's context. stop ends
// the browser and removes the profile.
func Start(path string, width, height int) (tab context.Context, stop func(), err error) {
	profile, err := os.MkdirTemp("", "e2e-chromium-profile-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(Options(path, profile), chromedp.WindowSize(width, height))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop = func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	// The first Do starts the browser, bound to ctx (so no timeout here).
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("start Chromium %s: %w", path, err)
	}
	return ctx, stop, nil
}

// Shared is one browser for the tests of a test binary: the first test to
// ask starts it, and the binary's TestMain calls Stop after the last (a
// start is seconds of a loaded machine's CPU). Give each test a browser
// context of its own (chromedp.WithNewBrowserContext), so none shares
// another's storage.
type Shared struct {
	once sync.Once
	ctx  context.Context
	stop func()
	err  error
}

// Get returns the first tab of the browser at path, starting it with a
// window of width×height the first time.
func (b *Shared) Get(t testing.TB, path string, width, height int) context.Context {
	t.Helper()
	b.once.Do(func() { b.ctx, b.stop, b.err = Start(path, width, height) })
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.ctx
}

// Stop ends the browser, if it was started.
func (b *Shared) Stop() {
	if b.stop != nil {
		b.stop()
	}
}
