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
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
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

type result struct {
	mail    string
	status  int
	code    string
	token   string
	err     error
	latency time.Duration
}

func post(ctx context.Context, client *http.Client, base, mail string) result {
	form := url.Values{"name": {"Load Test"}, "mail": {mail}, "comment": {"load test"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/auth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return result{mail: mail, err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return result{mail: mail, err: err, latency: time.Since(start)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	r := result{mail: mail, status: resp.StatusCode, err: err, latency: time.Since(start)}
	var answer struct {
		Result struct {
			Token string `json:"token"`
		} `json:"result"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err == nil {
		if jerr := json.Unmarshal(body, &answer); jerr != nil && resp.StatusCode == 200 {
			r.err = fmt.Errorf("200 with unreadable JSON: %v", jerr)
		}
	}
	r.token, r.code = answer.Result.Token, answer.Error.Code
	return r
}

type phaseResult struct {
	results []result
	elapsed time.Duration
}

// load sends n requests from c clients, each with a unique mail. It stops
// early, leaving the rest unsent, if maxTime passes or ctx ends.
func load(ctx context.Context, client *http.Client, base, tag string, n, c int, maxTime time.Duration) phaseResult {
	ctx, cancel := context.WithTimeout(ctx, maxTime)
	defer cancel()
	results := make([]result, n)
	var next atomic.Int64
	var done atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	progressDone := make(chan struct{})
	go func() {
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-progressDone:
				return
			case <-tick.C:
				fmt.Fprintf(os.Stderr, "loadtest:   %d/%d done (%.0f req/s)\n", done.Load(), n, float64(done.Load())/time.Since(start).Seconds())
			}
		}
	}()
	for range c {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				results[i] = post(ctx, client, base, fmt.Sprintf("%s-%06d@example.com", tag, i))
				done.Add(1)
			}
		})
	}
	wg.Wait()
	close(progressDone)
	elapsed := time.Since(start)
	sent := int(min(next.Load(), int64(n)))
	return phaseResult{results: results[:sent], elapsed: elapsed}
}

// waitSettled waits until the emulator has finished every request it got
// (answered, or abandoned by the relay), at most max.
func waitSettled(emu *emulator.Emulator, max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		pending := 0
		for _, r := range emu.Requests() {
			if r.Status == 0 && r.Fault == emulator.FaultNone {
				pending++
			}
		}
		if pending == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// check prints the phase's figures and reports whether its invariants held.
func check(p phaseResult, emu *emulator.Emulator, o runOptions, faults bool) bool {
	title := "Phase 1: no faults"
	if faults {
		title = fmt.Sprintf("Phase 2: %.0f%% upstream 5xx, %.0f%% slower than UPSTREAM_TIMEOUT", o.failRate*100, o.slowRate*100)
	}
	// What the emulator did with each request, by mail.
	byMail := map[string][]emulator.Request{}
	for _, r := range emu.Requests() {
		if m := r.Form.Get("mail"); m != "" {
			byMail[m] = append(byMail[m], r)
		}
	}

	var (
		wrongToken, wrongStatus, late, dupUpstream int
		counts                                     = map[string]int{}
		tokenOwner                                 = map[string]string{}
		sharedTokens                               int
		latencies                                  []time.Duration
		examples                                   []string
	)
	bound := o.timeout + time.Second
	note := func(format string, args ...any) {
		if len(examples) < 10 {
			examples = append(examples, fmt.Sprintf(format, args...))
		}
	}
	for _, r := range p.results {
		latencies = append(latencies, r.latency)
		if r.err != nil {
			counts["transport error"]++
			note("%s: %v", r.mail, r.err)
			continue
		}
		key := fmt.Sprintf("%d", r.status)
		if r.code != "" {
			key += " " + r.code
		}
		counts[key]++
		recs := byMail[r.mail]
		if len(recs) != 1 {
			dupUpstream++
			note("%s: the emulator saw %d requests for it", r.mail, len(recs))
		}
		var fault emulator.Fault = "unseen"
		if len(recs) > 0 {
			fault = recs[len(recs)-1].Fault
		}
		if faults && r.latency > bound {
			late++
			note("%s: answered %d after %s (bound %s)", r.mail, r.status, ms(r.latency), bound)
		}
		if r.status == 200 {
			if owner, seen := tokenOwner[r.token]; seen {
				sharedTokens++
				note("token %s went to %s and %s", r.token, owner, r.mail)
			}
			tokenOwner[r.token] = r.mail
			if want, ok := emu.TokenFor(r.mail); !ok || want != r.token {
				wrongToken++
				note("%s: got token %q, the emulator issued %q", r.mail, r.token, want)
			}
		}
		// The documented answer for what the emulator did.
		var wantStatus int
		var wantCode string
		switch fault {
		case emulator.FaultNone:
			wantStatus = 200
		case emulator.Fault5xx:
			wantStatus, wantCode = 502, "upstream_failed"
		case emulator.FaultSlow:
			wantStatus, wantCode = 504, "upstream_timeout"
		default:
			wantStatus, wantCode = -1, string(fault)
		}
		if r.status != wantStatus || r.code != wantCode {
			wrongStatus++
			note("%s: got %d %s, want %d %s (emulator fault %s)", r.mail, r.status, r.code, wantStatus, wantCode, fault)
		}
	}
	unsent := o.n - len(p.results)

	slices.Sort(latencies)
	fmt.Printf("\n%s\n", title)
	fmt.Printf("  requests        %d sent of %d, %d clients, in %s\n", len(p.results), o.n, o.c, p.elapsed.Round(time.Millisecond))
	fmt.Printf("  requests/s      %.1f\n", float64(len(p.results))/p.elapsed.Seconds())
	fmt.Printf("  latency         p50 %s   p99 %s   worst %s\n", ms(pct(latencies, 50)), ms(pct(latencies, 99)), ms(pct(latencies, 100)))
	fmt.Printf("  answers        ")
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		fmt.Printf(" %s: %d;", k, counts[k])
	}
	fmt.Println()
	if faults {
		var f5, fs int
		for _, r := range emu.Requests() {
			switch r.Fault {
			case emulator.Fault5xx:
				f5++
			case emulator.FaultSlow:
				fs++
			}
		}
		fmt.Printf("  emulator        %d upstream requests, %d answered 503, %d slow (%s)\n", emu.Count(), f5, fs, o.timeout+2*time.Second)
	} else {
		fmt.Printf("  emulator        %d upstream requests, %d tokens issued\n", emu.Count(), len(emu.Tokens()))
	}

	type inv struct {
		name  string
		count int
	}
	invs := []inv{
		{"unsent (phase time limit)", unsent},
		{"lost (transport error or non-200 without fault)", lostCount(p.results, byMail)},
		{"mixed-up token (not the one issued for this mail)", wrongToken},
		{"token given to two clients", sharedTokens},
		{"upstream requests per mail ≠ 1", dupUpstream},
	}
	if faults {
		invs = append(invs,
			inv{"status not the documented one for the fault", wrongStatus},
			inv{fmt.Sprintf("slower than UPSTREAM_TIMEOUT + 1 s (%s)", bound), late})
	}
	ok := true
	for _, i := range invs {
		mark := "ok"
		if i.count != 0 {
			mark, ok = "FAIL", false
		}
		fmt.Printf("  %-4s %-52s %d\n", mark, i.name, i.count)
	}
	for _, e := range examples {
		fmt.Printf("       e.g. %s\n", e)
	}
	return ok
}

// lostCount counts transport errors and non-200 answers to requests that the
// emulator answered normally.
func lostCount(results []result, byMail map[string][]emulator.Request) int {
	n := 0
	for _, r := range results {
		if r.err != nil {
			n++
			continue
		}
		recs := byMail[r.mail]
		if r.status != 200 && (len(recs) == 0 || recs[len(recs)-1].Fault == emulator.FaultNone) {
			n++
		}
	}
	return n
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	i = max(min(i, len(sorted)), 1)
	return sorted[i-1]
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
