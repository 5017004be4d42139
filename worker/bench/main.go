//go:build !js

// Command bench measures the relay and the page against their targets and
// writes the table to BENCHMARKS.md at the repository root.
//
//	(a) the Go relay beside the hand-written JS comparator (worker/jsrelay),
//	    both in `wrangler dev` against the in-process API emulator: latency
//	    at 1 client, throughput at 20 clients, CPU per request of workerd;
//	(b) cold start: from starting wrangler to the first 200 from /auth/token;
//	(c) the page: Lighthouse 12.2.3 mobile and desktop for / and /embed;
//	    every byte of a first visit (service worker precache included)
//	    through a counting proxy; on a repeat visit served by the service
//	    worker, the time to an interactive prerendered form and, after a
//	    focus, to the wasm's takeover (Chromium via chromedp);
//	(d) sizes of the wasm files, raw, gzip -9 and brotli -q 11.
//
// A failing section prints its error in the table and the run goes on.
// Progress goes to stderr. Run `make build` first (`make bench` does).
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tokendesk/worker/stack"
)

// Targets.
const (
	targetP50Ratio        = 1.25 // Go p50 ≤ 1.25 × JS
	targetThroughputRatio = 0.8  // Go requests/s ≥ 0.8 × JS
	cpuBudgetMS           = 10.0 // Cloudflare free plan, CPU per request
	targetBytes           = 1.6e6
	targetRepeatMS        = 300.0
)

var (
	seqN       = flag.Int("seq", 200, "sequential requests at 1 client (after warm-up)")
	warmN      = flag.Int("warmup", 50, "warm-up requests before measuring")
	loadN      = flag.Int("n", 2000, "requests at -c clients")
	loadC      = flag.Int("c", 20, "clients for the throughput batch")
	loadMax    = flag.Duration("max", 10*time.Second, "time limit of the throughput batch")
	outFile    = flag.String("o", "BENCHMARKS.md", "output file, relative to the repository root (empty: none)")
	skipPage   = flag.Bool("skip-page", false, "skip Lighthouse and the service-worker timing")
	jsConfig   = flag.String("js-config", "worker/jsrelay/wrangler.toml", "wrangler config of the JS comparator")
	lighthouse = flag.String("lighthouse", "node_modules/.bin/lighthouse", "Lighthouse CLI")
	coldRounds = flag.Int("cold-rounds", 5, "fresh starts per cold-start case")
	before     = flag.String("before", "", "another checkout with a built Worker, measured cold beside this one")
	onlyCold   = flag.Bool("only-cold", false, "measure only the cold starts and sizes")
	skipMemory = flag.Bool("skip-memory", false, "skip the 20,000-request memory run")
	onlySizes  = flag.Bool("only-sizes", false, "measure only the sizes")
)

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }

func main() {
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	root, err := stack.FindRepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if err := os.Chdir(root); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}

	var out bytes.Buffer
	started := time.Now()
	fmt.Fprintf(&out, "# Benchmarks\n\nWritten by `make bench` (`go run ./worker/bench`) on %s: %s, %d CPUs, load average before the run %s.\n",
		started.UTC().Format("2006-01-02 15:04 MST"), hostDesc(), runtime.NumCPU(), loadAvg())
	fmt.Fprintf(&out, "Everything runs locally: `wrangler dev` (workerd) on loopback against the in-process API emulator, not the real API. Figures from a shared machine are noisy; compare the Go/JS ratios from one run rather than absolute numbers across runs.\n")

	if *onlySizes {
		*onlyCold, *skipPage = true, true
	} else {
		// Cold starts first, on a machine not yet warmed by the load.
		writeCold(ctx, &out, root)
	}

	// (a) and (b): the relay, Go then JS, one at a time so they do not share the CPUs.
	if !*onlyCold {
		goFig := relayBench(ctx, "Go", "")
		jsFig := relayBench(ctx, "JS", *jsConfig)
		writeRelay(&out, goFig, jsFig)
	}
	if !*onlyCold && !*skipMemory {
		writeMemory(ctx, &out)
	}

	// (c) the page.
	if *skipPage || *onlyCold {
		fmt.Fprintf(&out, "\n## Page\n\nskipped (-skip-page)\n")
	} else {
		writePage(ctx, &out, root)
	}

	// (d) sizes.
	writeSizes(&out, root)

	if _, err := os.Stat(filepath.Join(root, "dist", "index.html")); err != nil && !*skipPage {
		fmt.Fprintf(&out, "\nNote: dist/index.html is missing at the end of the run; if the page rows show errors, the site was rebuilt or removed while the benchmark ran.\n")
	}

	fmt.Fprintf(&out, "\nThe run took %s.\n", time.Since(started).Round(time.Second))
	os.Stdout.Write(out.Bytes())
	if *outFile != "" {
		path := filepath.Join(root, *outFile)
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		logf("wrote %s", path)
	}
}

// ---- (a) and (b): the relay ----

type relayFigures struct {
	name      string
	err       error
	coldStart time.Duration
	p50, p99  time.Duration
	seqErrors int
	rps       float64
	loadReqs  int
	loadErrs  int
	loadP50   time.Duration
	loadP99   time.Duration
	cpuWorkerd,
	cpuAll time.Duration // per request
}

func relayBench(ctx context.Context, name, config string) (f relayFigures) {
	f.name = name
	logf("%s relay: starting wrangler dev…", name)
	start := time.Now()
	startCtx, cancel := context.WithTimeout(ctx, 2*stack.ReadyTimeout)
	defer cancel()
	s, err := stack.Start(startCtx, stack.Options{
		Config:    config,
		Vars:      map[string]string{"RATE_LIMIT": "off", "UPSTREAM_TIMEOUT": "10s"},
		ReadyPath: "/auth/token",
		LogLevel:  "warn", // same for both workers; console lines would only load wrangler
	})
	if err != nil {
		f.err = fmt.Errorf("start: %w", err)
		return f
	}
	defer s.Close()

	client := &http.Client{
		Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64},
		Timeout:   30 * time.Second,
	}
	var seq atomic.Int64
	mail := func() string { return fmt.Sprintf("bench-%s-%d@example.com", strings.ToLower(name), seq.Add(1)) }

	// (b) cold start: until the first 200 from /auth/token.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, status, err := post(ctx, client, s.URL, mail()); err == nil && status == 200 {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			f.err = errors.New("no 200 from /auth/token within 60 s of the worker answering")
			return f
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.coldStart = time.Since(start)
	logf("%s relay: first 200 after %s", name, f.coldStart.Round(time.Millisecond))

	for range *warmN {
		post(ctx, client, s.URL, mail())
	}

	// Latency at 1 client.
	var lat []time.Duration
	for range *seqN {
		d, status, err := post(ctx, client, s.URL, mail())
		if err != nil || status != 200 {
			f.seqErrors++
			continue
		}
		lat = append(lat, d)
	}
	slices.Sort(lat)
	f.p50, f.p99 = pct(lat, 50), pct(lat, 99)
	logf("%s relay: 1 client p50 %s p99 %s", name, ms(f.p50), ms(f.p99))

	// Throughput at 20 clients, and CPU per request.
	cpuW0, cpuA0 := cpu(s)
	loadCtx, cancelLoad := context.WithTimeout(ctx, *loadMax)
	defer cancelLoad()
	var next, errs atomic.Int64
	var mu sync.Mutex
	var loadLat []time.Duration
	var wg sync.WaitGroup
	t0 := time.Now()
	for range *loadC {
		wg.Go(func() {
			for loadCtx.Err() == nil && next.Add(1) <= int64(*loadN) {
				d, status, err := post(loadCtx, client, s.URL, mail())
				if loadCtx.Err() != nil {
					return // cut by the time limit: not counted
				}
				if err != nil || status != 200 {
					errs.Add(1)
				}
				mu.Lock()
				loadLat = append(loadLat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	cpuW1, cpuA1 := cpu(s)
	f.loadReqs, f.loadErrs = len(loadLat), int(errs.Load())
	slices.Sort(loadLat)
	f.loadP50, f.loadP99 = pct(loadLat, 50), pct(loadLat, 99)
	if f.loadReqs > 0 {
		f.rps = float64(f.loadReqs) / elapsed.Seconds()
		f.cpuWorkerd = (cpuW1 - cpuW0) / time.Duration(f.loadReqs)
		f.cpuAll = (cpuA1 - cpuA0) / time.Duration(f.loadReqs)
	}
	logf("%s relay: %d clients %.1f req/s, CPU per request %s (workerd)", name, *loadC, f.rps, ms(f.cpuWorkerd))
	return f
}

// cpu returns the CPU time so far of the workerd processes and of every
// process of the stack (wrangler's node included).
func cpu(s *stack.Stack) (workerd, all time.Duration) {
	for _, p := range s.Processes() {
		all += p.CPU
		if p.Command == "workerd" {
			workerd += p.CPU
		}
	}
	return workerd, all
}

func post(ctx context.Context, client *http.Client, base, mail string) (time.Duration, int, error) {
	form := url.Values{"name": {"Bench Mark"}, "mail": {mail}, "comment": {"benchmark"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/auth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(start), 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(start), resp.StatusCode, err
}

func writeRelay(out *bytes.Buffer, g, j relayFigures) {
	fmt.Fprintf(out, "\n## Relay: Go worker vs hand-written JS worker\n\n")
	fmt.Fprintf(out, "`POST /auth/token` through `wrangler dev`, against the emulator, RATE_LIMIT=off. Latency: %d sequential requests after %d warm-up. Throughput: %d requests (at most %s) at %d clients from an in-process Go load generator. CPU: utime+stime of the `workerd` processes from /proc/<pid>/stat before and after the %d-client batch, divided by its requests (10 ms clock ticks).\n\n",
		*seqN, *warmN, *loadN, *loadMax, *loadC, *loadC)
	for _, f := range []relayFigures{g, j} {
		if f.err != nil {
			fmt.Fprintf(out, "**%s relay failed:** %s\n\n", f.name, oneLine(f.err.Error()))
		}
	}
	val := func(f relayFigures, s string) string {
		if f.err != nil {
			return "error"
		}
		return s
	}
	both := g.err == nil && j.err == nil
	ratio := func(a, b float64, target string, ok func(float64) bool) (string, string) {
		if !both || b == 0 {
			return "n/a", target
		}
		r := a / b
		verdict := "✅"
		if !ok(r) {
			verdict = "❌"
		}
		return fmt.Sprintf("%.2f×", r), target + " " + verdict
	}
	budget := func(f relayFigures) string {
		if f.err != nil || f.loadReqs == 0 {
			return ""
		}
		if f.cpuWorkerd.Seconds()*1000 <= cpuBudgetMS {
			return "✅"
		}
		return "❌"
	}
	fmt.Fprintf(out, "| metric | Go | JS | Go/JS | target |\n|---|---:|---:|---:|---|\n")
	r, t := ratio(g.p50.Seconds(), j.p50.Seconds(), "Go/JS ≤ 1.25×", func(r float64) bool { return r <= targetP50Ratio })
	fmt.Fprintf(out, "| p50 latency, 1 client | %s | %s | %s | %s |\n", val(g, ms(g.p50)), val(j, ms(j.p50)), r, t)
	r, t = ratio(g.p99.Seconds(), j.p99.Seconds(), "", func(float64) bool { return true })
	fmt.Fprintf(out, "| p99 latency, 1 client | %s | %s | %s | %s |\n", val(g, ms(g.p99)), val(j, ms(j.p99)), r, strings.TrimSpace(strings.TrimSuffix(t, "✅")))
	r, t = ratio(g.rps, j.rps, "Go/JS ≥ 0.8×", func(r float64) bool { return r >= targetThroughputRatio })
	fmt.Fprintf(out, "| requests/s, %d clients | %s | %s | %s | %s |\n", *loadC, val(g, fmt.Sprintf("%.1f", g.rps)), val(j, fmt.Sprintf("%.1f", j.rps)), r, t)
	fmt.Fprintf(out, "| p50 / p99 latency, %d clients | %s | %s | | |\n", *loadC,
		val(g, ms(g.loadP50)+" / "+ms(g.loadP99)), val(j, ms(j.loadP50)+" / "+ms(j.loadP99)))
	r, _ = ratio(g.cpuWorkerd.Seconds(), j.cpuWorkerd.Seconds(), "", func(float64) bool { return true })
	fmt.Fprintf(out, "| CPU per request, workerd | %s %s | %s %s | %s | ≤ %.0f ms (Cloudflare free plan) |\n",
		val(g, ms(g.cpuWorkerd)), budget(g), val(j, ms(j.cpuWorkerd)), budget(j), r, cpuBudgetMS)
	r, _ = ratio(g.cpuAll.Seconds(), j.cpuAll.Seconds(), "", func(float64) bool { return true })
	fmt.Fprintf(out, "| CPU per request, all stack processes (workerd + wrangler's node) | %s | %s | %s | for information |\n",
		val(g, ms(g.cpuAll)), val(j, ms(j.cpuAll)), r)
	r, _ = ratio(g.coldStart.Seconds(), j.coldStart.Seconds(), "", func(float64) bool { return true })
	fmt.Fprintf(out, "| cold start: wrangler start → first 200 from /auth/token | %s | %s | %s | for information |\n",
		val(g, secs(g.coldStart)), val(j, secs(j.coldStart)), r)
	fmt.Fprintf(out, "| failed requests (1 client / %d clients) | %s | %s | | 0 |\n", *loadC,
		val(g, fmt.Sprintf("%d / %d of %d", g.seqErrors, g.loadErrs, g.loadReqs)),
		val(j, fmt.Sprintf("%d / %d of %d", j.seqErrors, j.loadErrs, j.loadReqs)))
}

// ---- (c): the page ----

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

// countingProxy forwards to the stack and counts the response bytes as
// sent, compressed or not, with their headers.
type countingProxy struct {
	mu       sync.Mutex
	byPath   map[string]int64
	fetches  map[string]int
	encoding map[string]string
}

type countingBody struct {
	io.ReadCloser
	p    *countingProxy
	path string
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.p.mu.Lock()
	b.p.byPath[b.path] += int64(n)
	b.p.mu.Unlock()
	return n, err
}

func startCountingProxy(target string) (*countingProxy, string, func(), error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, "", nil, err
	}
	cp := &countingProxy{byPath: map[string]int64{}, fetches: map[string]int{}, encoding: map[string]string{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	// Pass the browser's Accept-Encoding through and the body untouched.
	proxy.Transport = &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}
	proxy.ModifyResponse = func(resp *http.Response) error {
		path := resp.Request.URL.Path
		var head int64
		for k, vs := range resp.Header {
			for _, v := range vs {
				head += int64(len(k) + len(v) + 4)
			}
		}
		cp.mu.Lock()
		cp.byPath[path] += head + 17 // + the status line
		cp.fetches[path]++
		cp.encoding[path] = resp.Header.Get("Content-Encoding")
		cp.mu.Unlock()
		resp.Body = countingBody{resp.Body, cp, path}
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	srv := &http.Server{Handler: proxy}
	go srv.Serve(ln)
	return cp, "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func (cp *countingProxy) total() int64 {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	var n int64
	for _, b := range cp.byPath {
		n += b
	}
	return n
}

func (cp *countingProxy) table() string {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	paths := slices.Sorted(maps.Keys(cp.byPath))
	slices.SortStableFunc(paths, func(a, b string) int { return int(cp.byPath[b] - cp.byPath[a]) })
	var b strings.Builder
	b.WriteString("| path | requests | bytes | Content-Encoding |\n|---|---:|---:|---|\n")
	for _, p := range paths {
		enc := cp.encoding[p]
		if enc == "" {
			enc = "none"
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s |\n", p, cp.fetches[p], kb(cp.byPath[p]), enc)
	}
	return b.String()
}

func kb(n int64) string { return fmt.Sprintf("%.1f kB", float64(n)/1e3) }

func visits(ctx context.Context, chromium, stackURL string) (r visitResult) {
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
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
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
	if r.firstFormMS, err = poll(`window.__formShownAt`); err != nil {
		r.na = "no DOMContentLoaded with #token-form on the first visit"
		return r
	}
	if err := chromedp.Do(tctx, focus); err != nil {
		r.err = fmt.Errorf("focus: %w", err)
		return r
	}
	if r.firstTakeoverMS, err = poll(`window.__formReadyAt - window.__firstInput`); err != nil {
		r.na = "#token-form never got data-wasm=ready within 30 s of focusing #name"
		return r
	}

	// Repeat visit.
	if err := chromedp.Do(tctx, chromedp.Reload()); err != nil {
		r.err = fmt.Errorf("reload: %w", err)
		return r
	}
	if r.repeatFormMS, err = poll(`window.__formShownAt`); err != nil {
		r.na = "no DOMContentLoaded with #token-form on the repeat visit"
		return r
	}
	if err := chromedp.Do(tctx, focus); err != nil {
		r.err = fmt.Errorf("focus: %w", err)
		return r
	}
	if r.repeatTakeoverMS, err = poll(`window.__formReadyAt - window.__firstInput`); err != nil {
		r.na = "#token-form never got data-wasm=ready on the repeat visit within 30 s of focusing #name"
		return r
	}
	r.controlled, _ = chromedp.Run(tctx, chromedp.Evaluate[bool](`!!navigator.serviceWorker.controller`))
	return r
}

// ---- (d): sizes ----

func writeSizes(out *bytes.Buffer, root string) {
	logf("sizes…")
	fmt.Fprintf(out, "\n## Sizes\n\n| file | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n")
	brotliPath, brotliErr := exec.LookPath("brotli")
	for _, name := range []string{"dist/web/app.wasm", "build/app.wasm"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			fmt.Fprintf(out, "| `%s` | n/a (missing) | | |\n", name)
			continue
		}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(data)
		w.Close()
		br := "n/a (no brotli CLI)"
		if brotliErr == nil {
			cmd := exec.Command(brotliPath, "-c", "-q", "11")
			cmd.Stdin = bytes.NewReader(data)
			if compressed, err := cmd.Output(); err == nil {
				br = mb(float64(len(compressed)))
			} else {
				br = "error: " + oneLine(err.Error())
			}
		}
		fmt.Fprintf(out, "| `%s` | %s | %s | %s |\n", name, mb(float64(len(data))), mb(float64(gz.Len())), br)
	}
	if info, err := os.Stat(filepath.Join(root, "build", "app.wasm")); err == nil {
		fmt.Fprintf(out, "\nThe Worker's wasm: %d bytes raw, target ≤ %d %s.\n", info.Size(), targetWorkerBytes, mark(info.Size() <= targetWorkerBytes))
	}
	writeStdlibCosts(out)
}

// ---- helpers ----

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(min(i, len(sorted)), 1)-1]
}

func ms(d time.Duration) string   { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
func mb(n float64) string {
	if n < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f MB", n/1e6)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", "/")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func hostDesc() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}
