package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

// TestRateLimitInWorkerd shows Cloudflare's rate-limiting binding at work in
// wrangler dev: 5 token requests per client IP per minute, then 429 with
// Retry-After, and nothing more reaches the upstream.
func TestRateLimitInWorkerd(t *testing.T) {
	s := stack.StartT(t, stack.Options{Vars: map[string]string{"RATE_LIMIT": "on"}})
	c := newClient(s)
	form := func(i int) url.Values {
		return url.Values{"name": {"Rate Tester"}, "mail": {"rate" + strconv.Itoa(i) + "@example.com"}}
	}
	for i := range 5 {
		if a := c.post(t, form(i), nil); a.resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200: %s", i+1, a.resp.StatusCode, a.body)
		}
	}
	before := s.Emulator.Count()
	a := c.post(t, form(6), nil)
	e := wantError(t, a, http.StatusTooManyRequests, "rate_limited", "")
	if got := a.resp.Header.Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60", got)
	}
	if !strings.Contains(e.Error.Message, "Wait a minute") {
		t.Errorf("message %q does not say what to do", e.Error.Message)
	}
	wantUnchanged(t, s.Emulator, before)

	// Another client (CF-Connecting-IP) has its own budget.
	other := c.post(t, form(7), http.Header{"CF-Connecting-IP": {"198.51.100.23"}})
	if other.resp.StatusCode != http.StatusOK {
		t.Errorf("another client: status %d, want 200", other.resp.StatusCode)
	}
}

// TestRateLimitIPv6InWorkerd shows that rotating through the addresses of
// one IPv6 /64 gains nothing: the binding counts the /64 as one client.
func TestRateLimitIPv6InWorkerd(t *testing.T) {
	s := stack.StartT(t, stack.Options{Vars: map[string]string{"RATE_LIMIT": "on"}})
	c := newClient(s)
	form := url.Values{"name": {"Rate Tester"}, "mail": {"rate6@example.com"}}
	from := func(ip string) http.Header { return http.Header{"CF-Connecting-IP": {ip}} }
	for i := range 5 {
		ip := "2001:db8:77:1::" + strconv.FormatInt(int64(i+1), 16)
		if a := c.post(t, form, from(ip)); a.resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d from %s: status %d, want 200: %s", i+1, ip, a.resp.StatusCode, a.body)
		}
	}
	before := s.Emulator.Count()
	for _, ip := range []string{"2001:db8:77:1:dead:beef:1:1", "2001:db8:77:1:ffff:ffff:ffff:ffff"} {
		wantError(t, c.post(t, form, from(ip)), http.StatusTooManyRequests, "rate_limited", "")
	}
	wantUnchanged(t, s.Emulator, before)
	if a := c.post(t, form, from("2001:db8:77:2::1")); a.resp.StatusCode != http.StatusOK {
		t.Errorf("another /64: status %d, want 200", a.resp.StatusCode)
	}
}

// TestTurnstileInWorkerd runs the relay with Turnstile on against the
// emulator's stand-in for siteverify (TURNSTILE_VERIFY_URL).
func TestTurnstileInWorkerd(t *testing.T) {
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

// TestTurnstileHalfConfiguredInWorkerd: a site key without the secret (or
// the secret without the key) serves no token: every relay answer is a 500
// config_error, and nothing reaches the upstream.
func TestTurnstileHalfConfiguredInWorkerd(t *testing.T) {
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
