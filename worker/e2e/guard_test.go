package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tokendesk/internal/stack"
)

// TestRateLimitInWorkerd shows Cloudflare's rate-limiting binding at work in
// wrangler dev: 5 token requests per client IP per minute, then 429 with
// Retry-After, and nothing more reaches the upstream.
func TestRateLimitInWorkerd(t *testing.T) {
	t.Parallel() // a stack of its own
	s := stack.StartT(t, stack.Options{Vars: map[string]string{"RATE_LIMIT": "on"}})
	c := newClient(s)
	// wrangler dev counts in windows of the wall clock (miniflare's limiter
	// starts a new one at every whole minute), so six requests that span
	// a minute's turn may all pass: that try is made again, as another
	// client, which has a budget of its own.
	for try := 1; ; try++ {
		client := http.Header{"CF-Connecting-IP": {"203.0.113." + strconv.Itoa(try)}}
		started := time.Now()
		sixth, before := rateLimitTry(t, c, client, try)
		if sixth.resp.StatusCode == http.StatusOK && spansMinute(started, time.Now()) && try < 3 {
			t.Logf("try %d spanned a minute's turn: made again", try)
			continue
		}
		wantRateLimited(t, s, sixth, before)
		break
	}

	// Another client (CF-Connecting-IP) has its own budget.
	other := c.post(t, url.Values{"name": {"Rate Tester"}, "mail": {"rate.other@example.com"}}, http.Header{"CF-Connecting-IP": {"198.51.100.23"}})
	if other.resp.StatusCode != http.StatusOK {
		t.Errorf("another client: status %d, want 200", other.resp.StatusCode)
	}
}

// rateLimitTry sends five token requests as client, which must pass, and
// returns the answer to a sixth and the upstream's count before it.
func rateLimitTry(t *testing.T, c *relayClient, client http.Header, try int) (answer, int) {
	t.Helper()
	form := func(i int) url.Values {
		return url.Values{"name": {"Rate Tester"}, "mail": {fmt.Sprintf("rate%d.%d@example.com", try, i)}}
	}
	for i := range 5 {
		if a := c.post(t, form(i), client); a.resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200: %s", i+1, a.resp.StatusCode, a.body)
		}
	}
	before := c.s.Emulator.Count()
	return c.post(t, form(5), client), before
}

// spansMinute reports whether a whole minute of the clock falls between
// from and to, give or take a second (workerd's clock moves on I/O only).
func spansMinute(from, to time.Time) bool {
	return from.Add(-time.Second).Truncate(time.Minute) != to.Add(time.Second).Truncate(time.Minute)
}

func wantRateLimited(t *testing.T, s *stack.Stack, a answer, before int) {
	t.Helper()
	e := wantError(t, a, http.StatusTooManyRequests, "rate_limited", "")
	if got := a.resp.Header.Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60", got)
	}
	if !strings.Contains(e.Error.Message, "Wait a minute") {
		t.Errorf("message %q does not say what to do", e.Error.Message)
	}
	wantUnchanged(t, s.Emulator, before)
}

// TestTurnstileInWorkerd runs the relay with Turnstile on against a local
// stand-in for siteverify (TURNSTILE_VERIFY_URL).
func TestTurnstileInWorkerd(t *testing.T) {
	t.Parallel() // a stack of its own
	var mu sync.Mutex
	var verified []url.Values
	siteverify := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		verified = append(verified, r.PostForm)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("response") == "pass-token" && r.PostForm.Get("secret") == "test-secret" {
			w.Write([]byte(`{"success":true}`))
			return
		}
		w.Write([]byte(`{"success":false,"error-codes":["invalid-input-response"]}`))
	}))
	t.Cleanup(siteverify.Close)

	s := stack.StartT(t, stack.Options{Vars: map[string]string{
		"TURNSTILE_SITE_KEY": "test-site-key", "TURNSTILE_SECRET": "test-secret", "TURNSTILE_VERIFY_URL": siteverify.URL,
	}})
	c := newClient(s)
	form := url.Values{"name": {"Turn Stile"}, "mail": {"turnstile@example.com"}}

	before := s.Emulator.Count()
	wantError(t, c.post(t, form, nil), http.StatusForbidden, "challenge_failed", "")
	form.Set("cf-turnstile-response", "forged")
	wantError(t, c.post(t, form, nil), http.StatusForbidden, "challenge_failed", "")
	wantUnchanged(t, s.Emulator, before)

	form.Set("cf-turnstile-response", "pass-token")
	if a := c.post(t, form, nil); a.resp.StatusCode != http.StatusOK {
		t.Fatalf("with a passing answer: status %d: %s", a.resp.StatusCode, a.body)
	}
	if got := lastRequest(t, s.Emulator, before).Form; got.Has("cf-turnstile-response") || len(got) != 3 {
		t.Errorf("the upstream got %v; the Turnstile answer must not be forwarded", got)
	}
	mu.Lock()
	n := len(verified)
	mu.Unlock()
	if n != 2 {
		t.Errorf("siteverify was asked %d times, want 2 (no answer means no call)", n)
	}

	// The page loads the widget's script only now, and its CSP allows it.
	resp, err := http.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `<meta content="test-site-key" name="turnstile-site-key">`) {
		t.Error("the page does not carry the site key for the widget")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval' https://challenges.cloudflare.com") ||
		!strings.Contains(csp, "frame-src https://challenges.cloudflare.com") {
		t.Errorf("CSP with Turnstile on: %s", csp)
	}
}

// TestHugeBodyIsRefused sends bodies well over the limit: the Worker reads at
// most 64 KiB of them, answers 413, and keeps serving.
func TestHugeBodyIsRefused(t *testing.T) {
	t.Parallel() // a stack of its own
	s := stack.StartT(t, stack.Options{})
	c := newClient(s)
	// 256 KiB: four times what the Worker reads, and small enough that the
	// client has written it all before the answer closes the exchange.
	huge := strings.Repeat("comment=aaaaaaaa&", 256<<10/17)
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(huge)
		if chunked {
			body = io.MultiReader(strings.NewReader(huge)) // no length: sent chunked
		}
		a := c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {ctURLEncoded}}, body)
		if a.resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked=%v: status %d, want 413", chunked, a.resp.StatusCode)
		}
	}
	if a := c.post(t, url.Values{"name": {"After Huge"}, "mail": {"after@example.com"}}, nil); a.resp.StatusCode != http.StatusOK {
		t.Fatalf("after the huge bodies: status %d", a.resp.StatusCode)
	}
	if s.Emulator.Count() != 1 {
		t.Errorf("the upstream saw %d requests, want 1", s.Emulator.Count())
	}
}
