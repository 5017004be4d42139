package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tokendesk"
	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

// TestRateLimitInWorkerd shows Cloudflare's rate-limiting binding at work in
// wrangler dev: 5 token requests per client IP per minute, then 429 with
// Retry-After, and nothing more reaches the upstream.
func TestRateLimitInWorkerd(t *testing.T) {
	t.Parallel()
	s := rateLimited.alone(t)
	c := newClient(s)
	// wrangler dev counts in windows of the wall clock (miniflare's limiter
	// starts a new one at every whole minute), so six requests that span
	// a minute's turn may all pass: that try is made again, as another
	// client, which has a budget of its own.
	for try := 1; ; try++ {
		client := http.Header{"CF-Connecting-IP": {"203.0.113." + strconv.Itoa(try)}}
		started := time.Now()
		sixth, before := rateLimitTry(t, c, func(int) http.Header { return client }, try)
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

// rateLimitTry sends five token requests, the i-th with the headers
// from(i), which must pass, and returns the answer to a sixth (from(5)) and
// the upstream's count before it.
func rateLimitTry(t *testing.T, c *relayClient, from func(i int) http.Header, try int) (answer, int) {
	t.Helper()
	form := func(i int) url.Values {
		return url.Values{"name": {"Rate Tester"}, "mail": {fmt.Sprintf("rate%d.%d@example.com", try, i)}}
	}
	for i := range 5 {
		if a := c.post(t, form(i), from(i)); a.resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d (%v): status %d, want 200: %s", i+1, from(i), a.resp.StatusCode, a.body)
		}
	}
	before := c.s.Emulator.Count()
	return c.post(t, form(5), from(5)), before
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

// TestRateLimitIPv6InWorkerd shows that rotating through the addresses of
// one IPv6 /64 gains nothing: the binding counts the /64 as one client.
func TestRateLimitIPv6InWorkerd(t *testing.T) {
	t.Parallel()
	s := rateLimited.alone(t)
	c := newClient(s)
	// Each try is a /64 of its own, each request another of its addresses.
	// As in TestRateLimitInWorkerd, a try that spans a minute's turn is
	// made again.
	for try := 1; ; try++ {
		from := func(i int) http.Header {
			return http.Header{"CF-Connecting-IP": {fmt.Sprintf("2001:db8:77:%x:%x::%x", try, i*7919, i+1)}}
		}
		started := time.Now()
		sixth, before := rateLimitTry(t, c, from, 60+try)
		if sixth.resp.StatusCode == http.StatusOK && spansMinute(started, time.Now()) && try < 3 {
			t.Logf("try %d spanned a minute's turn: made again", try)
			continue
		}
		wantRateLimited(t, s, sixth, before)
		break
	}
	other := c.post(t, url.Values{"name": {"Rate Tester"}, "mail": {"rate6.other@example.com"}}, http.Header{"CF-Connecting-IP": {"2001:db8:77:ff::1"}})
	if other.resp.StatusCode != http.StatusOK {
		t.Errorf("another /64: status %d, want 200", other.resp.StatusCode)
	}
}

// TestTurnstileInWorkerd runs the relay with Turnstile on against the
// emulator's stand-in for siteverify (TURNSTILE_VERIFY_URL).
func TestTurnstileInWorkerd(t *testing.T) {
	t.Parallel() // a stack of its own
	verify := emulator.NewSiteverify()
	siteverify := httptest.NewServer(verify)
	t.Cleanup(siteverify.Close)

	s := stack.StartT(t, stack.Options{Vars: map[string]string{
		"TURNSTILE_SITE_KEY": "test-site-key", "TURNSTILE_SECRET": emulator.SiteverifySecret, "TURNSTILE_VERIFY_URL": siteverify.URL,
	}})
	c := newClient(s)
	form := url.Values{"name": {"Turn Stile"}, "mail": {"turnstile@example.com"}}

	before := s.Emulator.Count()
	wantError(t, c.post(t, form, nil), http.StatusForbidden, "challenge_failed", "")
	for _, refused := range []string{
		"forged",
		verify.Pass("evil.example", tokendesk.TurnstileAction), // solved on another site
		verify.Pass("127.0.0.1", "login"),                      // for another action
	} {
		form.Set("cf-turnstile-response", refused)
		wantError(t, c.post(t, form, nil), http.StatusForbidden, "challenge_failed", "")
	}
	wantUnchanged(t, s.Emulator, before)

	form.Set("cf-turnstile-response", verify.Pass("127.0.0.1", tokendesk.TurnstileAction))
	if a := c.post(t, form, nil); a.resp.StatusCode != http.StatusOK {
		t.Fatalf("with a passing answer: status %d: %s", a.resp.StatusCode, a.body)
	}
	if got := lastRequest(t, s.Emulator, before).Form; got.Has("cf-turnstile-response") || len(got) != 3 {
		t.Errorf("the upstream got %v; the Turnstile answer must not be forwarded", got)
	}
	// Single use: the same answer again is refused.
	wantError(t, c.post(t, form, nil), http.StatusForbidden, "challenge_failed", "")
	if n := len(verify.Asked()); n != 5 {
		t.Errorf("siteverify was asked %d times, want 5 (no answer means no call)", n)
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
	t.Parallel()
	s := plain.alone(t)
	c := newClient(s)
	before := s.Emulator.Count()
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
	if n := s.Emulator.Count() - before; n != 1 {
		t.Errorf("the upstream saw %d requests, want 1", n)
	}
}

// TestTurnstileHalfConfiguredInWorkerd: a site key without the secret (or
// the secret without the key) serves no token: every relay answer is a 500
// config_error, and nothing reaches the upstream.
func TestTurnstileHalfConfiguredInWorkerd(t *testing.T) {
	t.Parallel() // stacks of its own
	for name, vars := range map[string]map[string]string{
		"site key only": {"TURNSTILE_SITE_KEY": "test-site-key"},
		"secret only":   {"TURNSTILE_SECRET": emulator.SiteverifySecret},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stack.StartT(t, stack.Options{Vars: vars})
			c := newClient(s)
			form := url.Values{"name": {"Half Config"}, "mail": {"half@example.com"}, "cf-turnstile-response": {"x"}}
			wantError(t, c.post(t, form, nil), http.StatusInternalServerError, "config_error", "")
			wantUnchanged(t, s.Emulator, 0)
		})
	}
}
