//go:build !js

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"tokendesk/internal/stack"
)

// Cold-start targets (issue: the Go Worker on a cold isolate).
const (
	targetPageColdRatio = 1.5 // first page answer ≤ 1.5 × a static file's first answer
	targetPostFloor     = 1.5 // the Worker's first POST ≤ 1.5 × the bare-Go floor
	targetWorkerBytes   = 4_000_000
)

// passthroughConfig is the page floor: a Worker that only forwards to the
// static assets.
const passthroughConfig = "internal/passthrough/wrangler.toml"

// coldCase is one first answer on a fresh isolate.
type coldCase struct {
	name   string
	config string // a wrangler config, or "" for the token desk's own
	root   string // another checkout's built Worker (before), or ""
	ready  string // a static path for the readiness probe
	method string
	path   string
}

// coldBench starts a fresh `wrangler dev` for every case and round (a
// fresh workerd, so a fresh isolate), waits until a static file answers
// (which does not start the isolate), then times the first answer to the
// case's request. It returns the median per case.
func coldBench(ctx context.Context, rounds int, cases []coldCase) map[string][]time.Duration {
	times := map[string][]time.Duration{}
	for round := range rounds {
		for _, c := range cases {
			d, err := coldOnce(ctx, c)
			if err != nil {
				logf("cold %s, round %d: %v", c.name, round+1, err)
				continue
			}
			logf("cold %-28s round %d: %s", c.name, round+1, ms(d))
			times[c.name] = append(times[c.name], d)
		}
	}
	return times
}

func coldOnce(ctx context.Context, c coldCase) (time.Duration, error) {
	s, err := stack.Start(ctx, stack.Options{Config: c.config, Root: c.root, ReadyPath: c.ready})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	var body io.Reader
	if c.method == "POST" {
		body = strings.NewReader("name=Cold+Start&mail=cold%40example.com&comment=bench")
	}
	req, err := http.NewRequestWithContext(ctx, c.method, s.URL+c.path, body)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("%s %s: %d %s", c.method, c.path, resp.StatusCode, oneLine(string(b)))
	}
	return d, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// writeCold measures and writes the cold-start section.
func writeCold(ctx context.Context, out *bytes.Buffer, root string) {
	fmt.Fprintf(out, "\n## Worker cold start\n\n")
	bare, err := buildBareGo(root)
	if err != nil {
		fmt.Fprintf(out, "error: %v\n", oneLine(err.Error()))
		return
	}
	cases := []coldCase{
		{name: "static file", ready: "/web/icon.svg", method: "GET", path: "/web/desk.css"},
		{name: "GET /", ready: "/web/icon.svg", method: "GET", path: "/"},
		{name: "GET /embed", ready: "/web/icon.svg", method: "GET", path: "/embed"},
		{name: "GET /, pass-through Worker", config: passthroughConfig, ready: "/web/icon.svg", method: "GET", path: "/"},
		{name: "POST /auth/token, Go Worker", ready: "/web/icon.svg", method: "POST", path: "/auth/token"},
		{name: "POST, bare-Go floor", config: bare, ready: "/ready.txt", method: "POST", path: "/auth/token"},
		{name: "POST, JS comparator", config: *jsConfig, ready: "/ready.txt", method: "POST", path: "/auth/token"},
	}
	if *before != "" {
		cases = append(cases,
			coldCase{name: "GET /, before", root: *before, ready: "/web/icon.svg", method: "GET", path: "/"},
			coldCase{name: "POST /auth/token, before", root: *before, ready: "/web/icon.svg", method: "POST", path: "/auth/token"},
		)
	}
	times := coldBench(ctx, *coldRounds, cases)
	med := func(name string) time.Duration { return median(times[name]) }
	ratio := func(a, b time.Duration) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	fmt.Fprintf(out, "Each figure is the median over %d rounds of the first answer from a fresh `wrangler dev` (a fresh workerd, so a fresh isolate), timed by the client from sending the request to the end of the body, after a readiness probe that fetched a static file (which does not start the isolate). Every case gets its own fresh start. The bare-Go floor is internal/barego: a Go program linking only syscall/js and strings, behind a JS entry that fetches the upstream. The pass-through Worker is internal/passthrough: a Worker that only hands the page to the static assets, the floor for any page that runs a Worker first (the pages must, for the absolute oEmbed discovery link and `?theme=`).\n\n", *coldRounds)
	fmt.Fprintf(out, "| first answer on a fresh isolate | median | all rounds | ratio | target |\n|---|---:|---|---:|---|\n")
	static := med("static file")
	floor := med("POST, bare-Go floor")
	goPost := med("POST /auth/token, Go Worker")
	all := func(name string) string {
		var s []string
		for _, d := range times[name] {
			s = append(s, fmt.Sprintf("%.1f", float64(d.Microseconds())/1000))
		}
		return strings.Join(s, ", ")
	}
	passthrough := med("GET /, pass-through Worker")
	fmt.Fprintf(out, "| a static file (`/web/desk.css`) | %s | %s | 1.00× | |\n", ms(static), all("static file"))
	for _, page := range []string{"GET /", "GET /embed"} {
		r := ratio(med(page), static)
		fmt.Fprintf(out, "| `%s` (a page, served without Go) | %s | %s | %.2f× the static file, %.2f× the pass-through | ≤ %.1f× %s |\n", strings.TrimPrefix(page, "GET "), ms(med(page)), all(page), r, ratio(med(page), passthrough), targetPageColdRatio, mark(r <= targetPageColdRatio && r > 0))
	}
	fmt.Fprintf(out, "| `/`, a pass-through Worker (the floor for a page that runs a Worker) | %s | %s | %.2f× the static file | for information |\n", ms(passthrough), all("GET /, pass-through Worker"), ratio(passthrough, static))
	r := ratio(goPost, floor)
	fmt.Fprintf(out, "| `POST /auth/token`, the Go Worker | %s | %s | %.2f× the floor, %.2f× JS | ≤ %.1f× the floor %s |\n", ms(goPost), all("POST /auth/token, Go Worker"), r, ratio(goPost, med("POST, JS comparator")), targetPostFloor, mark(r <= targetPostFloor && r > 0))
	fmt.Fprintf(out, "| `POST`, the bare-Go floor | %s | %s | %.2f× JS | for information |\n", ms(floor), all("POST, bare-Go floor"), ratio(floor, med("POST, JS comparator")))
	fmt.Fprintf(out, "| `POST`, the JS comparator | %s | %s | 1.00× | for information |\n", ms(med("POST, JS comparator")), all("POST, JS comparator"))
	if *before != "" {
		fmt.Fprintf(out, "| `/`, before (%s) | %s | %s | %.2f× the static file | for information |\n", *before, ms(med("GET /, before")), all("GET /, before"), ratio(med("GET /, before"), static))
		fmt.Fprintf(out, "| `POST /auth/token`, before | %s | %s | %.2f× the floor | for information |\n", ms(med("POST /auth/token, before")), all("POST /auth/token, before"), ratio(med("POST /auth/token, before"), floor))
	}
}

func mark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}
