//go:build !(js && wasm)

package relay

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"tokendesk"
	"tokendesk/internal/emulator"
	"tokendesk/worker/message"
)

// countingLimiter allows the first n requests per key.
type countingLimiter struct {
	mu   sync.Mutex
	n    int
	seen map[string]int
	err  error
}

func (l *countingLimiter) Allow(_ *message.Request, key string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]int{}
	}
	l.seen[key]++
	return l.seen[key] <= l.n, l.err
}

func TestRateLimit(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	limiter := &countingLimiter{n: 2}
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, TokenLimiter: limiter, Log: func(*message.Request, LogEntry) {}}
	send := func(ip, body string) int {
		return request{body: body, header: map[string]string{"CF-Connecting-IP": ip}}.do(t, rl).Code
	}
	for i := range 2 {
		if got := send("198.51.100.1", validForm); got != 200 {
			t.Fatalf("request %d: %d, want 200 (the first two must pass)", i+1, got)
		}
	}
	w := request{body: validForm, header: map[string]string{"CF-Connecting-IP": "198.51.100.1"}}.do(t, rl)
	if w.Code != 429 || decodeError(t, w).Error.Code != "rate_limited" || w.Header().Get("Retry-After") != "60" {
		t.Fatalf("third request: %d %s %v", w.Code, w.Body, w.Header())
	}
	if up.count() != 2 {
		t.Fatalf("upstream saw %d requests, want 2", up.count())
	}
	if send("198.51.100.2", validForm) != 200 {
		t.Fatal("another client must not be limited")
	}
	if send("198.51.100.3", "name=&mail=x") != 400 || limiter.seen["198.51.100.3"] != 0 {
		t.Fatal("invalid forms are refused before the limiter counts them")
	}
	limiter.err = errors.New("binding down")
	if send("198.51.100.9", validForm) != 200 {
		t.Fatal("a failing limiter must not lock people out")
	}
}

// TestTurnstile runs the bot check against the emulator's stand-in of
// siteverify: only an answer it passes, for this desk's host (or an allowed
// origin's) and the desk's action, lets a token request through.
func TestTurnstile(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	verify := emulator.NewSiteverify()
	siteverify := httptest.NewServer(verify)
	t.Cleanup(siteverify.Close)
	config := Config{UpstreamURL: up.URL, TurnstileSecret: emulator.SiteverifySecret, TurnstileSiteKey: "site-key",
		TurnstileVerifyURL: siteverify.URL, AllowedOrigins: "https://docs.example.com"}
	reused := verify.Pass("localhost", tokendesk.TurnstileAction)
	tests := []struct {
		name       string
		answer     string
		wantStatus int
	}{
		{"passed for this host", verify.Pass("localhost", tokendesk.TurnstileAction), 200},
		{"passed for an allowed origin's host", verify.Pass("docs.example.com", tokendesk.TurnstileAction), 200},
		{"host in another case", verify.Pass("LocalHost", tokendesk.TurnstileAction), 200},
		{"first use", reused, 200},
		{"used again", reused, 403},
		{"passed for another site", verify.Pass("evil.example", tokendesk.TurnstileAction), 403},
		{"passed for another action", verify.Pass("localhost", "login"), 403},
		{"passed without an action", verify.Pass("localhost", ""), 403},
		{"forged", "forged", 403},
		{"none", "", 403},
		{"too long", strings.Repeat("a", tokendesk.MaxTurnstileBytes+1), 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rl := &Relay{Config: config, Log: func(*message.Request, LogEntry) {}}
			before := up.count()
			form := validForm
			if tt.answer != "" {
				form += "&" + tokendesk.FieldTurnstile + "=" + tt.answer
			}
			w := request{body: form, header: map[string]string{"CF-Connecting-IP": "198.51.100.7"}}.do(t, rl)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if w.Code == 403 && (decodeError(t, w).Error.Code != "challenge_failed" || up.count() != before) {
				t.Fatalf("a failed check must be challenge_failed and send nothing upstream")
			}
		})
	}
	asked := verify.Asked()
	if len(asked) != len(tests)-2 || asked[0]["secret"] != emulator.SiteverifySecret || asked[0]["remoteip"] != "198.51.100.7" {
		t.Fatalf("siteverify was asked %v; want every answer but none and the too long one, with the secret and the client's address", asked)
	}
	up.mu.Lock()
	sent, _ := url.ParseQuery(up.requests[0].body)
	up.mu.Unlock()
	if sent.Has(tokendesk.FieldTurnstile) || len(sent) != 3 {
		t.Fatalf("the Turnstile answer must not be forwarded: %v", sent)
	}
}

// TestTurnstileHalfConfigured: one half of the key pair without the other
// is a config error for every request, so no token is served with the
// check shown but not verified (or verified but never shown).
func TestTurnstileHalfConfigured(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	for _, tt := range []struct {
		name   string
		config Config
		want   int
	}{
		{"neither: off", Config{}, 200},
		{"both: on", Config{TurnstileSecret: "s", TurnstileSiteKey: "k"}, 403},
		{"secret only", Config{TurnstileSecret: "s"}, 500},
		{"site key only", Config{TurnstileSiteKey: "k"}, 500},
		{"blank secret", Config{TurnstileSecret: " ", TurnstileSiteKey: "k"}, 500},
		{"plain-http verify URL", Config{TurnstileSecret: "s", TurnstileSiteKey: "k", TurnstileVerifyURL: "http://challenges.example"}, 500},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.config.UpstreamURL = up.URL
			var logged LogEntry
			rl := &Relay{Config: tt.config, Log: func(_ *message.Request, e LogEntry) { logged = e }}
			before := up.count()
			w := request{body: validForm}.do(t, rl)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if w.Code == 500 && (decodeError(t, w).Error.Code != "config_error" || !strings.Contains(logged.Detail, "TURNSTILE_") || up.count() != before) {
				t.Fatalf("want config_error naming the Turnstile var in the log (%q) and nothing sent upstream: %s", logged.Detail, w.Body)
			}
		})
	}
}

// One IPv6 /64 is one client, however many of its addresses it sends
// from, and one /48 is one network.
func TestRateLimitKeysIPv6Prefixes(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	perClient, perNetwork := &countingLimiter{n: 2}, &countingLimiter{n: 4}
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, TokenLimiter: perClient, NetworkLimiter: perNetwork, Log: func(*message.Request, LogEntry) {}}
	send := func(ip string) int {
		return request{body: validForm, header: map[string]string{"CF-Connecting-IP": ip}}.do(t, rl).Code
	}
	for i, tt := range []struct {
		ip   string
		want int
	}{
		{"2001:db8:1:1::1", 200},
		{"2001:db8:1:1::2", 200},
		{"2001:db8:1:1:ffff:ffff:ffff:ffff", 429}, // the /64's third
		{"2001:0db8:0001:0001::abcd", 429},        // the same /64, spelled out
		{"::ffff:198.51.100.1", 200},              // IPv4-mapped: the IPv4 client
		{"198.51.100.1", 200},
		{"198.51.100.1", 429},
		{"2001:db8:1:2::1", 200}, // another /64 of the /48
		{"2001:db8:1:3::1", 200}, // the /48's fourth
		{"2001:db8:1:4::1", 429}, // the /48's fifth
		{"2001:db8:2:1::1", 200}, // another /48
	} {
		if got := send(tt.ip); got != tt.want {
			t.Fatalf("request %d from %s: %d, want %d (client keys %v, network keys %v)", i+1, tt.ip, got, tt.want, perClient.seen, perNetwork.seen)
		}
	}
}
