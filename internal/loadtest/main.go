//go:build !js

// Command loadtest drives the relay in workerd (`wrangler dev`, through the
// stack harness) against the in-process API emulator, and checks that under
// load nobody gets a token that is not theirs and every failure is the
// documented one.
//
// Phase 1 sends -n token requests from -c concurrent clients, each with a
// unique mail: every client must get exactly the token the emulator issued
// for its own request, no token may go to two clients, and nothing may be
// lost. Phase 2 repeats the load with the emulator answering 10% of requests
// with a 5xx and 10% too slowly: each request must get 200 with its own
// token, 502 upstream_failed or 504 upstream_timeout, matching what the
// emulator did with it, within UPSTREAM_TIMEOUT + 1 s, and the worker must
// still answer afterwards.
//
// It exits non-zero if an invariant fails. Run `make build/app.wasm` first.
//
//	go run ./internal/loadtest            # 5,000 requests at 50 clients per phase
//	go run ./internal/loadtest -n 500 -c 20
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

func main() {
	n := flag.Int("n", 5000, "token requests per phase")
	c := flag.Int("c", 50, "concurrent clients")
	timeout := flag.Duration("upstream-timeout", 3*time.Second, "the worker's UPSTREAM_TIMEOUT")
	failRate := flag.Float64("fail-rate", 0.10, "phase 2: fraction of upstream 5xx answers")
	slowRate := flag.Float64("slow-rate", 0.10, "phase 2: fraction of upstream answers slower than UPSTREAM_TIMEOUT")
	config := flag.String("config", "", "alternative wrangler config (e.g. internal/jsrelay/wrangler.toml); default: the Go worker")
	phases := flag.String("phases", "1,2", "phases to run")
	maxPhase := flag.Duration("max-phase", 5*time.Minute, "give up a phase after this long")
	flag.Parse()
	if *n < 1 || *c < 1 || *c > 1000 || *timeout <= 0 {
		fmt.Fprintln(os.Stderr, "loadtest: -n and -c must be positive (c ≤ 1000), -upstream-timeout > 0")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ok, err := run(ctx, runOptions{
		n: *n, c: *c, timeout: *timeout, failRate: *failRate, slowRate: *slowRate,
		config: *config, phases: *phases, maxPhase: *maxPhase,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	if !ok {
		fmt.Println("\nFAIL: an invariant was violated (see above)")
		os.Exit(1)
	}
	fmt.Println("\nPASS: every invariant held")
}

type runOptions struct {
	n, c               int
	timeout            time.Duration
	failRate, slowRate float64
	config, phases     string
	maxPhase           time.Duration
}

// swapHandler lets one worker run talk to a fresh emulator per phase.
type swapHandler struct {
	h atomic.Pointer[emulator.Emulator]
}

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.Load().ServeHTTP(w, r) }

func run(ctx context.Context, o runOptions) (bool, error) {
	// The emulator runs here, behind a handler we can swap between phases,
	// so the worker starts once.
	upstream := &swapHandler{}
	upstream.h.Store(emulator.New(emulator.Options{}))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return false, err
	}
	server := &http.Server{Handler: upstream, ReadHeaderTimeout: 10 * time.Second}
	go server.Serve(listener)
	defer server.Close()

	fmt.Fprintf(os.Stderr, "loadtest: starting wrangler dev (UPSTREAM_TIMEOUT=%s, RATE_LIMIT=off)…\n", o.timeout)
	startCtx, cancel := context.WithTimeout(ctx, 2*stack.ReadyTimeout)
	defer cancel()
	s, err := stack.Start(startCtx, stack.Options{
		UpstreamURL: "http://" + listener.Addr().String(),
		Config:      o.config,
		Vars:        map[string]string{"RATE_LIMIT": "off", "UPSTREAM_TIMEOUT": o.timeout.String()},
		LogLevel:    "warn", // one console line per request would only load the machine
	})
	if err != nil {
		return false, err
	}
	defer s.Close()
	worker := "Go worker (build/)"
	if o.config != "" {
		worker = o.config
	}
	fmt.Printf("Load test: %s in wrangler dev at %s, %d requests per phase, %d clients, UPSTREAM_TIMEOUT %s\n",
		worker, s.URL, o.n, o.c, o.timeout)

	client := &http.Client{
		Transport: &http.Transport{MaxIdleConns: o.c * 2, MaxIdleConnsPerHost: o.c * 2, IdleConnTimeout: 30 * time.Second},
		// Long enough to see a late answer and report it rather than cut it.
		Timeout: o.timeout + 10*time.Second,
	}

	// Warm up the isolate so the first phase does not measure a cold start.
	warm := emulator.New(emulator.Options{})
	upstream.h.Store(warm)
	for i := range 10 {
		post(ctx, client, s.URL, fmt.Sprintf("warmup-%d@example.com", i))
	}

	allOK := true
	if strings.Contains(o.phases, "1") {
		emu := emulator.New(emulator.Options{Seed: 1})
		upstream.h.Store(emu)
		fmt.Fprintf(os.Stderr, "loadtest: phase 1, %d requests at %d clients…\n", o.n, o.c)
		res := load(ctx, client, s.URL, "p1", o.n, o.c, o.maxPhase)
		ok := check(res, emu, o, false)
		allOK = allOK && ok
	}
	if strings.Contains(o.phases, "2") {
		emu := emulator.New(emulator.Options{
			Seed: 2, FailRate: o.failRate, SlowRate: o.slowRate,
			SlowDelay: o.timeout + 2*time.Second,
		})
		upstream.h.Store(emu)
		fmt.Fprintf(os.Stderr, "loadtest: phase 2, %d requests at %d clients, %.0f%% 5xx and %.0f%% slow…\n",
			o.n, o.c, o.failRate*100, o.slowRate*100)
		res := load(ctx, client, s.URL, "p2", o.n, o.c, o.maxPhase)
		// Slow answers finish (or are abandoned) a little after the relay gave up.
		waitSettled(emu, o.timeout+5*time.Second)
		ok := check(res, emu, o, true)
		allOK = allOK && ok
	}

	// The worker must still be up: a fresh request gets its own token.
	final := emulator.New(emulator.Options{})
	upstream.h.Store(final)
	r := post(ctx, client, s.URL, "health@example.com")
	want, _ := final.TokenFor("health@example.com")
	if r.err != nil || r.status != 200 || r.token == "" || r.token != want {
		fmt.Printf("\nhealth after the load: FAIL (status %d, err %v)\n", r.status, r.err)
		fmt.Printf("wrangler output (tail):\n%s\n", s.LogTail(30))
		allOK = false
	} else {
		fmt.Printf("\nhealth after the load: ok (200 with its own token in %s)\n", ms(r.latency))
	}
	return allOK, nil
}
