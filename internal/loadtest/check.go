//go:build !js

package main

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/internal/stats"
)

// The invariants every answer of a phase must hold.

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

// Percentiles and milliseconds as the benchmark prints them too.
var (
	pct = stats.Percentile
	ms  = stats.MS
)
