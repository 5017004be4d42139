//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tokendesk/internal/emulator"
)

// Sending the load: one token request each, a phase at c clients.

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
