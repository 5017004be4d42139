//go:build !js

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tokendesk/internal/stack"
)

// The relay's warm figures: the Go Worker beside the JS comparator.

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
	// cpuWarmup is the workerd CPU per request during the warm-up, while
	// V8 still compiles the hot code with its optimising tier.
	cpuWarmup time.Duration
}

// relayRun is one relay in wrangler dev, warmed up, and its figures.
type relayRun struct {
	f      relayFigures
	s      *stack.Stack
	client *http.Client
	mail   func() string
}

// relayBench measures the Go relay and the JS comparator. Latency at one
// client alternates between the two, request by request, so whatever
// else the machine does weighs on both alike; throughput runs one relay
// at a time, so they do not share the CPUs.
func relayBench(ctx context.Context, jsConfig string) (goFig, jsFig relayFigures) {
	runs := []*relayRun{startRelay(ctx, "Go", ""), startRelay(ctx, "JS", jsConfig)}
	defer func() {
		for _, r := range runs {
			if r.s != nil {
				r.s.Close()
			}
		}
	}()
	var lat [2][]time.Duration
	for range *seqN {
		for i, r := range runs {
			if r.f.err != nil {
				continue
			}
			d, status, err := post(ctx, r.client, r.s.URL, r.mail())
			if err != nil || status != 200 {
				r.f.seqErrors++
				continue
			}
			lat[i] = append(lat[i], d)
		}
	}
	for i, r := range runs {
		slices.Sort(lat[i])
		r.f.p50, r.f.p99 = pct(lat[i], 50), pct(lat[i], 99)
		logf("%s relay: 1 client p50 %s p99 %s", r.f.name, ms(r.f.p50), ms(r.f.p99))
	}
	for _, r := range runs {
		if r.f.err == nil {
			r.throughput(ctx)
		}
	}
	return runs[0].f, runs[1].f
}

// startRelay starts a relay, times its first 200 and warms it up.
func startRelay(ctx context.Context, name, config string) *relayRun {
	r := &relayRun{f: relayFigures{name: name}}
	f := &r.f
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
		return r
	}
	r.s = s
	r.client = &http.Client{
		Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64},
		Timeout:   30 * time.Second,
	}
	var seq atomic.Int64
	r.mail = func() string { return fmt.Sprintf("bench-%s-%d@example.com", strings.ToLower(name), seq.Add(1)) }

	// Cold start: until the first 200 from /auth/token.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, status, err := post(ctx, r.client, s.URL, r.mail()); err == nil && status == 200 {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			f.err = errors.New("no 200 from /auth/token within 60 s of the worker answering")
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.coldStart = time.Since(start)
	logf("%s relay: first 200 after %s", name, f.coldStart.Round(time.Millisecond))

	cpuW0, _ := cpu(s)
	for range *warmN {
		post(ctx, r.client, s.URL, r.mail())
	}
	if cpuW1, _ := cpu(s); *warmN > 0 {
		f.cpuWarmup = (cpuW1 - cpuW0) / time.Duration(*warmN)
	}
	return r
}

// throughput sends the load at -c clients and measures CPU per request.
func (r *relayRun) throughput(ctx context.Context) {
	f, s, client, mail, name := &r.f, r.s, r.client, r.mail, r.f.name
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
	fmt.Fprintf(out, "`POST /auth/token` through `wrangler dev`, against the emulator, RATE_LIMIT=off. Latency: %d sequential requests to each relay, alternating between the two, after %d warm-up requests each: V8 runs new code with its baseline compiler and optimises the hot functions in the background, and Go's wasm takes some hundreds of requests to get there (the warm-up row shows that phase). Throughput: %d requests (at most %s) at %d clients from an in-process Go load generator. CPU: utime+stime of the `workerd` processes from /proc/<pid>/stat before and after the %d-client batch, divided by its requests (10 ms clock ticks).\n\n",
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
	r, t = ratio(g.cpuWorkerd.Seconds(), j.cpuWorkerd.Seconds(), fmt.Sprintf("Go/JS ≤ %.2f×", targetCPURatio), func(r float64) bool { return r <= targetCPURatio })
	fmt.Fprintf(out, "| CPU per request, workerd | %s %s | %s %s | %s | %s; each ≤ %.0f ms (Cloudflare free plan) |\n",
		val(g, ms(g.cpuWorkerd)), budget(g), val(j, ms(j.cpuWorkerd)), budget(j), r, t, cpuBudgetMS)
	r, _ = ratio(g.cpuWarmup.Seconds(), j.cpuWarmup.Seconds(), "", func(float64) bool { return true })
	fmt.Fprintf(out, "| CPU per request, workerd, during the %d warm-up requests | %s | %s | %s | for information |\n",
		*warmN, val(g, ms(g.cpuWarmup)), val(j, ms(j.cpuWarmup)), r)
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
