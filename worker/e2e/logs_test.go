package e2e

import (
	"tokendesk/internal/stack"

	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// logLine matches the relay's JSON log line (relay.LogEntry.JSON):
// method, path, status, upstream status (null when nothing was sent).
var logLine = regexp.MustCompile(`\{"method":"(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)","path":"(/[^"]*)","status":(\d{3}),"upstream_status":(null|\d{3})`)

// TestLogs: one log line per request, for every kind of answer, and no
// token or personal value in any of them. It has a stack of its own and
// sends its own requests, so it does not depend on other tests or their
// order.
func TestLogs(t *testing.T) {
	t.Parallel() // a stack of its own
	stack.SkipIfShort(t)
	c := newClient(relayStack(t))
	t.Run("valid", func(t *testing.T) { testValid(t, c) })
	t.Run("client errors", func(t *testing.T) { testClientErrors(t, c) })
	t.Run("upstream faults", func(t *testing.T) { testFaults(t, c) })
	t.Run("cors", func(t *testing.T) { testCORS(t, c) })
	t.Run("browser form post", func(t *testing.T) { testHTML(t, c) })
	testLogs(t, c)
}

// testLogs checks the logs against what c sent.
func testLogs(t *testing.T, c *relayClient) {
	c.mu.Lock()
	sent := slices.Clone(c.sent)
	secrets := slices.Clone(c.secrets)
	tokens := slices.Clone(c.tokens)
	c.mu.Unlock()
	for _, tok := range c.s.Emulator.Tokens() {
		tokens = append(tokens, tok)
	}

	want := map[string]int{}
	for _, r := range sent {
		want[fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status)]++
	}
	count := func(logs string) map[string]int {
		got := map[string]int{}
		for _, m := range logLine.FindAllStringSubmatch(logs, -1) {
			got[m[1]+" "+m[2]+" "+m[3]]++
		}
		return got
	}
	// Console lines may trail the answers a little.
	var logs string
	var got map[string]int
	deadline := time.Now().Add(10 * time.Second)
	for {
		logs = c.s.Logs()
		got = count(logs)
		ok := true
		for k, n := range want {
			if got[k] < n {
				ok = false
			}
		}
		if ok || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d requests sent, %d relay log lines", len(sent), len(logLine.FindAllString(logs, -1)))
	for k, n := range want {
		if got[k] != n {
			t.Errorf("log lines for %q: %d, want %d (one per request)", k, got[k], n)
		}
	}
	for k, n := range got {
		// The harness's readiness probe (GET /) reaches the worker only
		// when dist/ has no index.html.
		if want[k] == 0 && !strings.HasPrefix(k, "GET / ") {
			t.Errorf("unexpected log lines %q ×%d", k, n)
		}
	}

	leaks := func(v string) []string {
		forms := []string{v, url.QueryEscape(v), url.PathEscape(v), strings.TrimSpace(v)}
		if b, err := json.Marshal(v); err == nil {
			forms = append(forms, strings.Trim(string(b), `"`))
		}
		var found []string
		for _, f := range forms {
			if len(f) >= 4 && strings.Contains(logs, f) {
				found = append(found, f)
			}
		}
		return found
	}
	if len(tokens) == 0 {
		t.Error("no tokens were issued; the leak check would be empty")
	}
	for _, tok := range tokens {
		if f := leaks(tok); len(f) > 0 {
			t.Errorf("a token is in the logs: %q", f)
		}
	}
	for _, v := range secrets {
		if f := leaks(v); len(f) > 0 {
			t.Errorf("a personal value (name, mail or comment) is in the logs: %q", f)
		}
	}
	for _, marker := range []string{"e2e-cookie-secret", "e2e-client-auth", "@example.com"} {
		if strings.Contains(logs, marker) {
			t.Errorf("the logs contain %q", marker)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s", logs)
	}
}
