//go:build !js

// Command bench measures the relay and the page against their targets and
// writes the table to BENCHMARKS.md at the repository root.
//
//	(a) the Go relay beside the hand-written JS comparator (internal/jsrelay),
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
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"tokendesk/internal/stack"
)

// Targets.
const (
	targetP50Ratio        = 1.25 // Go p50 ≤ 1.25 × JS
	targetThroughputRatio = 0.8  // Go requests/s ≥ 0.8 × JS
	targetCPURatio        = 1.25 // Go CPU per request ≤ 1.25 × JS
	cpuBudgetMS           = 10.0 // Cloudflare free plan, CPU per request
	targetBytes           = 1.6e6
	targetRepeatMS        = 300.0
)

var (
	seqN       = flag.Int("seq", 200, "sequential requests at 1 client (after warm-up)")
	warmN      = flag.Int("warmup", 2000, "warm-up requests before measuring (V8 optimises Go's hot code only after some hundreds)")
	loadN      = flag.Int("n", 2000, "requests at -c clients")
	loadC      = flag.Int("c", 20, "clients for the throughput batch")
	loadMax    = flag.Duration("max", 10*time.Second, "time limit of the throughput batch")
	outFile    = flag.String("o", "BENCHMARKS.md", "output file, relative to the repository root (empty: none)")
	skipPage   = flag.Bool("skip-page", false, "skip Lighthouse and the service-worker timing")
	jsConfig   = flag.String("js-config", "internal/jsrelay/wrangler.toml", "wrangler config of the JS comparator")
	lighthouse = flag.String("lighthouse", "node_modules/.bin/lighthouse", "Lighthouse CLI")
	coldRounds = flag.Int("cold-rounds", 7, "fresh starts per cold-start case")
	before     = flag.String("before", "", "another checkout with a built Worker, measured cold beside this one")
	onlyCold   = flag.Bool("only-cold", false, "measure only the cold starts and sizes")
	skipMemory = flag.Bool("skip-memory", false, "skip the 20,000-request memory run")
	onlySizes  = flag.Bool("only-sizes", false, "measure only the sizes")
	onlyMemory = flag.Bool("only-memory", false, "measure only the memory run")
	onlyWarm   = flag.Bool("only-warm", false, "measure only the warm relay figures (latency, throughput, CPU)")
)

// keptMarker starts the part of BENCHMARKS.md that a run keeps.
const keptMarker = "<!-- kept by make bench: the history below is written by hand -->"

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
	fmt.Fprintf(&out, "# Benchmarks\n\nWritten by `make bench` (`go run ./internal/bench`) on %s: %s, %d CPUs, load average before the run %s.\n",
		started.UTC().Format("2006-01-02 15:04 MST"), hostDesc(), runtime.NumCPU(), loadAvg())
	fmt.Fprintf(&out, "Everything runs locally: `wrangler dev` (workerd) on loopback against the in-process API emulator, not the real API. Figures from a shared machine are noisy; compare the Go/JS ratios from one run rather than absolute numbers across runs.\n")

	if *onlyMemory {
		writeMemory(ctx, &out)
		os.Stdout.Write(out.Bytes())
		return
	}
	if *onlyWarm {
		goFig, jsFig := relayBench(ctx, *jsConfig)
		writeRelay(&out, goFig, jsFig)
		os.Stdout.Write(out.Bytes())
		return
	}
	if *onlySizes {
		*onlyCold, *skipPage = true, true
	} else {
		// Cold starts first, on a machine not yet warmed by the load.
		writeCold(ctx, &out, root)
	}

	// (a) and (b): the relay, Go beside JS (see relayBench).
	if !*onlyCold {
		goFig, jsFig := relayBench(ctx, *jsConfig)
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
		// The history below keptMarker is written by hand (before and
		// after each change); a run keeps it.
		if old, err := os.ReadFile(path); err == nil {
			if i := bytes.Index(old, []byte(keptMarker)); i >= 0 {
				out.WriteString("\n" + string(old[i:]))
			}
		}
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		logf("wrote %s", path)
	}
}
