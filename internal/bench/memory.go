//go:build !js

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

// memoryLine finds the Go instance's memory in the Worker's log lines.
var memoryLine = regexp.MustCompile(`"wasm_memory_bytes":(\d+)`)

// lastMemory is the memory the latest log line reports.
func lastMemory(s *stack.Stack) int {
	m := memoryLine.FindAllStringSubmatch(s.Logs(), -1)
	if len(m) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// memoryPhase is one batch of the memory run.
type memoryPhase struct {
	name    string
	n, c    int
	fault   emulator.Fault
	hangUp  time.Duration // the client gives up after this; 0 means never
	warmUp  bool
	memory  int
	got     map[int]int
	dropped int64
	errs    int64
}

// writeMemory runs 20,000 requests through one isolate (normal ones,
// upstream timeouts, clients that hang up mid-request) and reports the Go
// instance's WebAssembly memory after each phase, which must not grow
// after the warm-up.
func writeMemory(ctx context.Context, out *bytes.Buffer) {
	fmt.Fprintf(out, "\n## Memory of the Go instance\n\n")
	const timeout = time.Second
	s, err := stack.Start(ctx, stack.Options{
		Vars:     map[string]string{"UPSTREAM_TIMEOUT": timeout.String()},
		Emulator: emulator.Options{SlowDelay: 2 * timeout},
	})
	if err != nil {
		fmt.Fprintf(out, "error: %v\n", oneLine(err.Error()))
		return
	}
	defer s.Close()
	// The warm-up is a round of the same requests as the measured one, in
	// the same order, so the heap reaches the size it keeps before the
	// measured round, which must not grow it. GOGC=400 lets the heap grow
	// to five times what is live, and live is largest when hung-up
	// requests (wrangler dev runs each to its end) overlap the normal
	// requests after them. WebAssembly memory never shrinks, so it shows
	// the high-water mark: a leak would raise it in every round.
	round := func(prefix string, warmUp bool) []*memoryPhase {
		return []*memoryPhase{
			{name: prefix + "normal requests", n: 8000, c: 20, warmUp: warmUp},
			{name: prefix + "upstream timeouts", n: 2000, c: 50, fault: emulator.FaultSlow, warmUp: warmUp},
			{name: prefix + "clients that hang up mid-request", n: 2000, c: 50, fault: emulator.FaultSlow, hangUp: timeout / 3, warmUp: warmUp},
			{name: prefix + "normal requests", n: 8000, c: 20, warmUp: warmUp},
		}
	}
	warmUpRound := round("warm-up: ", true)
	phases := append(warmUpRound, round("", false)...)
	total, warmUpTotal := 0, 0
	for _, p := range phases {
		if p.fault != "" {
			s.Emulator.SetFault(p.fault)
		} else {
			s.Emulator.SetFault(emulator.FaultNone)
		}
		logf("memory: %s, %d requests", p.name, p.n)
		runMemoryPhase(ctx, s.URL, p)
		if p.warmUp {
			warmUpTotal += p.n
		} else {
			total += p.n
		}
		// Console lines trail the answers a little.
		time.Sleep(300 * time.Millisecond)
		p.memory = lastMemory(s)
	}
	s.Emulator.SetFault(emulator.FaultNone)
	warm, end := warmUpRound[len(warmUpRound)-1].memory, phases[len(phases)-1].memory
	fmt.Fprintf(out, "After a warm-up round of %d requests, %d requests of the same kinds in the same order through one `wrangler dev` isolate against the emulator (UPSTREAM_TIMEOUT=%s): the Go instance's WebAssembly memory (`memory.buffer.byteLength`, from the Worker's log lines) after each phase. WebAssembly memory never shrinks, so this is the high-water mark. `wrangler dev` runs a hung-up request to its end (on Cloudflare the bridge reaps abandoned calls after its deadline).\n\n", warmUpTotal, total, timeout)
	fmt.Fprintf(out, "| phase | requests | clients | answers | WebAssembly memory after |\n|---|---:|---:|---|---:|\n")
	for _, p := range phases {
		var answers []string
		for status, n := range p.got {
			answers = append(answers, fmt.Sprintf("%d×%d", n, status))
		}
		if p.dropped > 0 {
			answers = append(answers, fmt.Sprintf("%d hung up", p.dropped))
		}
		if p.errs > 0 {
			answers = append(answers, fmt.Sprintf("%d failed", p.errs))
		}
		fmt.Fprintf(out, "| %s | %d | %d | %s | %s |\n", p.name, p.n, p.c, strings.Join(answers, ", "), mb(float64(p.memory)))
	}
	fmt.Fprintf(out, "| **after the warm-up → at the end** | | | | **%s → %s** %s |\n", mb(float64(warm)), mb(float64(end)), mark(end > 0 && end <= warm))
}

func runMemoryPhase(ctx context.Context, base string, p *memoryPhase) {
	p.got = map[int]int{}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 20 * time.Second}
	for range p.c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(p.n) || ctx.Err() != nil {
					return
				}
				rctx := ctx
				var cancel context.CancelFunc = func() {}
				if p.hangUp > 0 {
					rctx, cancel = context.WithTimeout(ctx, p.hangUp)
				}
				body := "name=Memory+Run&mail=m" + strconv.FormatInt(i, 10) + "%40example.com"
				req, _ := http.NewRequestWithContext(rctx, http.MethodPost, base+"/auth/token", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Accept", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					if p.hangUp > 0 {
						atomic.AddInt64(&p.dropped, 1)
					} else {
						atomic.AddInt64(&p.errs, 1)
					}
					cancel()
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				cancel()
				mu.Lock()
				p.got[resp.StatusCode]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
