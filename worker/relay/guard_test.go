//go:build !(js && wasm)

package relay

import (
	"tokendesk"
	"tokendesk/worker/message"

	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
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

func TestTurnstile(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	var verified []url.Values
	siteverify := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, map[bool]string{true: `{"success":true}`, false: `{"success":false,"error-codes":["invalid-input-response"]}`}[r.FormValue("response") == "good"])
	})
	rl := &Relay{Config: Config{UpstreamURL: up.URL, TurnstileSecret: "s3cret", TurnstileVerifyURL: siteverify.URL}, Log: func(*message.Request, LogEntry) {}}
	for _, tt := range []struct {
		answer     string
		wantStatus int
	}{{"good", 200}, {"bad", 403}, {"", 403}} {
		before := up.count()
		form := validForm
		if tt.answer != "" {
			form += "&" + tokendesk.FieldTurnstile + "=" + tt.answer
		}
		w := request{body: form, header: map[string]string{"CF-Connecting-IP": "198.51.100.7"}}.do(t, rl)
		if w.Code != tt.wantStatus {
			t.Fatalf("answer %q: status %d: %s", tt.answer, w.Code, w.Body)
		}
		if w.Code == 403 && (decodeError(t, w).Error.Code != "challenge_failed" || up.count() != before) {
			t.Fatalf("a failed check must be challenge_failed and send nothing upstream")
		}
	}
	siteverify.mu.Lock()
	for _, r := range siteverify.requests {
		v, _ := url.ParseQuery(r.body)
		verified = append(verified, v)
	}
	siteverify.mu.Unlock()
	if len(verified) != 2 || verified[0].Get("secret") != "s3cret" || verified[0].Get("remoteip") != "198.51.100.7" {
		t.Fatalf("siteverify saw %v", verified)
	}
	up.mu.Lock()
	sent, _ := url.ParseQuery(up.requests[0].body)
	up.mu.Unlock()
	if sent.Has(tokendesk.FieldTurnstile) || len(sent) != 3 {
		t.Fatalf("the Turnstile answer must not be forwarded: %v", sent)
	}

	bad := &Relay{Config: Config{UpstreamURL: up.URL, TurnstileSecret: "x", TurnstileVerifyURL: "http://challenges.example"}, Log: func(*message.Request, LogEntry) {}}
	if w := (request{body: validForm}).do(t, bad); w.Code != 500 {
		t.Fatalf("plain-http verify URL must be a config error, got %d", w.Code)
	}
}
