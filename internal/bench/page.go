//go:build !js

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"tokendesk/internal/stack"
)

// The page: Lighthouse for / and /embed.

type lhResult struct {
	scores                 map[string]float64 // 0–100, -1 when null
	lcp, tbt, cls, byteSum float64
	err                    error
}

func writePage(ctx context.Context, out *bytes.Buffer, root string) {
	fmt.Fprintf(out, "\n## Page\n\n")
	if _, err := os.Stat(filepath.Join(root, "dist", "index.html")); err != nil {
		fmt.Fprintf(out, "n/a (site not built: dist/index.html is missing; run `make build`)\n")
		logf("page: n/a, dist/index.html missing")
		return
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		fmt.Fprintf(out, "n/a (no Chromium at %s; set CHROMIUM)\n", chromium)
		return
	}
	logf("page: starting wrangler dev for the site…")
	startCtx, cancel := context.WithTimeout(ctx, 2*stack.ReadyTimeout)
	defer cancel()
	s, err := stack.Start(startCtx, stack.Options{
		Vars:     map[string]string{"RATE_LIMIT": "off"},
		LogLevel: "warn",
	})
	if err != nil {
		fmt.Fprintf(out, "error: %s\n", oneLine(err.Error()))
		return
	}
	defer s.Close()

	fmt.Fprintf(out, "Lighthouse 12.2.3 against `wrangler dev` (assets as the local server serves them), headless Chromium. Mobile is Lighthouse's default (simulated slow 4G, 4× CPU slowdown); desktop is `--preset=desktop`.\n\n")
	fmt.Fprintf(out, "| page | form factor | performance | accessibility | best practices | SEO | LCP | TBT | CLS | bytes Lighthouse saw |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(out, "| target (mobile `/`) | | ≥ 95 | 100 | 100 | 100 | | ≤ 150 ms | 0 | (see first visit below) |\n")
	for _, path := range []string{"/", "/embed"} {
		status, err := httpStatus(ctx, s.URL+path)
		if err != nil {
			fmt.Fprintf(out, "| `%s` | | error: %s | | | | | | | |\n", path, oneLine(err.Error()))
			continue
		}
		if status == http.StatusNotFound {
			fmt.Fprintf(out, "| `%s` | | n/a (404: no such page yet) | | | | | | | |\n", path)
			continue
		}
		for _, preset := range []string{"mobile", "desktop"} {
			logf("page: Lighthouse %s %s…", path, preset)
			r := runLighthouse(ctx, chromium, s.URL+path, preset)
			if r.err != nil {
				fmt.Fprintf(out, "| `%s` | %s | error: %s | | | | | | | |\n", path, preset, oneLine(r.err.Error()))
				continue
			}
			mark := func(ok bool) string {
				if path != "/" || preset != "mobile" {
					return ""
				}
				if ok {
					return " ✅"
				}
				return " ❌"
			}
			sc := func(k string, min float64) string {
				v := r.scores[k]
				if v < 0 {
					return "n/a"
				}
				return fmt.Sprintf("%.0f%s", v, mark(v >= min))
			}
			fmt.Fprintf(out, "| `%s` | %s | %s | %s | %s | %s | %s | %s%s | %.3f%s | %s%s |\n", path, preset,
				sc("performance", 95), sc("accessibility", 100), sc("best-practices", 100), sc("seo", 100),
				fmt.Sprintf("%.0f ms", r.lcp), fmt.Sprintf("%.0f ms", r.tbt), mark(r.tbt <= 150),
				r.cls, mark(r.cls == 0), mb(r.byteSum), "")
		}
	}

	logf("page: first and repeat visit through the service worker (chromedp)…")
	rv := visits(ctx, chromium, s.URL)
	fmt.Fprintf(out, "\nFirst visit: headless Chromium (chromedp, fresh profile, no throttling) through a counting proxy in front of `wrangler dev`, so every byte the browser downloads is counted as sent (compressed), the service worker's precache included; until the service worker is active and the idle compile of app.wasm is done. ")
	fmt.Fprintf(out, "Repeat visit: reload, served by the service worker. (a) is `performance.now()` at DOMContentLoaded with `#token-form` present and enabled: the form works then, as a plain post. app.wasm starts on the first interaction (web/boot.js), so (b) focuses `#name` right after (a) and times from that focus to `#token-form[data-wasm=ready]`.\n\n")
	fmt.Fprintf(out, "| measure | value | target |\n|---|---:|---|\n")
	switch {
	case rv.err != nil:
		fmt.Fprintf(out, "| visits | error: %s | |\n", oneLine(rv.err.Error()))
	case rv.na != "":
		fmt.Fprintf(out, "| visits | n/a (%s) | |\n", rv.na)
	default:
		verdict := func(ok bool) string {
			if ok {
				return "✅"
			}
			return "❌"
		}
		fmt.Fprintf(out, "| first visit: bytes downloaded, page and service worker precache | %s %s | ≤ 1.6 MB |\n", mb(float64(rv.bytes)), verdict(float64(rv.bytes) <= targetBytes))
		fmt.Fprintf(out, "| of which app.wasm (%s, `Content-Encoding: %s`) | %s | for information |\n", plural(rv.wasmFetches, "download"), rv.wasmEncoding, mb(float64(rv.wasmBytes)))
		fmt.Fprintf(out, "| first visit: prerendered form interactive (DOMContentLoaded) | %.0f ms | for information |\n", rv.firstFormMS)
		fmt.Fprintf(out, "| first visit: focus → wasm took over | %.0f ms | for information |\n", rv.firstTakeoverMS)
		fmt.Fprintf(out, "| (a) repeat visit: prerendered form interactive (DOMContentLoaded, from the service worker) | %.0f ms %s | < 300 ms |\n", rv.repeatFormMS, verdict(rv.repeatFormMS < targetRepeatMS))
		fmt.Fprintf(out, "| (b) repeat visit: focus → wasm took over | %.0f ms | for information |\n", rv.repeatTakeoverMS)
		fmt.Fprintf(out, "| repeat visit controlled by the service worker | %v | true |\n", rv.controlled)
		fmt.Fprintf(out, "\nWhat the first visit downloaded, by path (bytes as sent):\n\n%s", rv.breakdown)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func httpStatus(ctx context.Context, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func runLighthouse(ctx context.Context, chromium, u, preset string) lhResult {
	dir, err := os.MkdirTemp("", "bench-lighthouse-")
	if err != nil {
		return lhResult{err: err}
	}
	defer os.RemoveAll(dir)
	report := filepath.Join(dir, "report.json")
	args := []string{u,
		"--chrome-path=" + chromium,
		"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run",
		"--output=json", "--output-path=" + report, "--quiet",
	}
	if preset == "desktop" {
		args = append(args, "--preset=desktop")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, *lighthouse, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Run(); err != nil {
		return lhResult{err: fmt.Errorf("lighthouse: %v: %s", err, tail(stderr.String(), 300))}
	}
	data, err := os.ReadFile(report)
	if err != nil {
		return lhResult{err: err}
	}
	var lh struct {
		RuntimeError *struct{ Code, Message string } `json:"runtimeError"`
		Categories   map[string]struct {
			Score *float64 `json:"score"`
		} `json:"categories"`
		Audits map[string]struct {
			NumericValue *float64 `json:"numericValue"`
		} `json:"audits"`
	}
	if err := json.Unmarshal(data, &lh); err != nil {
		return lhResult{err: err}
	}
	if lh.RuntimeError != nil && lh.RuntimeError.Code != "" {
		return lhResult{err: fmt.Errorf("lighthouse: %s: %s", lh.RuntimeError.Code, lh.RuntimeError.Message)}
	}
	r := lhResult{scores: map[string]float64{}}
	for _, k := range []string{"performance", "accessibility", "best-practices", "seo"} {
		r.scores[k] = -1
		if c, ok := lh.Categories[k]; ok && c.Score != nil {
			r.scores[k] = *c.Score * 100
		}
	}
	num := func(k string) float64 {
		if a, ok := lh.Audits[k]; ok && a.NumericValue != nil {
			return *a.NumericValue
		}
		return -1
	}
	r.lcp, r.tbt, r.cls = num("largest-contentful-paint"), num("total-blocking-time"), num("cumulative-layout-shift")
	r.byteSum = num("total-byte-weight")
	return r
}
