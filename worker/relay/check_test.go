//go:build !(js && wasm)

package relay

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tokendesk/worker/message"
)

const checkTarget = "http://localhost:8787/glb_const/status"

const uuid = "123e4567-e89b-12d3-a456-426614174000"

func TestCheck(t *testing.T) {
	registered := `{"result": {"status": "ok"}}`
	tests := []struct {
		name         string
		upstream     func(http.ResponseWriter, *http.Request)
		config       Config
		body         string
		wantStatus   int
		wantCode     string
		wantField    string
		wantSent     string // the exact upstream body; "" means nothing was sent
		wantPath     string
		wantUpstream string // the upstream JSON under "upstream"
		wantMessage  string
	}{
		{name: "registered", upstream: answerJSON(200, registered), body: "token=" + uuid,
			wantStatus: 200, wantSent: "token=" + uuid, wantPath: "/glb_const/status"},
		{name: "spaces around", upstream: answerJSON(200, registered), body: "token=+%20" + uuid + "%0A",
			wantStatus: 200, wantSent: "token=" + uuid},
		{name: "quotes around", upstream: answerJSON(200, registered), body: "token=%22" + uuid + "%22",
			wantStatus: 200, wantSent: "token=" + uuid},
		{name: "other fields are not forwarded", upstream: answerJSON(200, registered), body: "token=" + uuid + "&name=Ann&lang=de",
			wantStatus: 200, wantSent: "token=" + uuid},
		{name: "CHECK_PATH names the upstream path", upstream: answerJSON(200, registered), config: Config{CheckPath: "/token_status"}, body: "token=" + uuid,
			wantStatus: 200, wantSent: "token=" + uuid, wantPath: "/token_status"},
		{name: "not a UUID", upstream: answerJSON(200, registered), body: "token=abc",
			wantStatus: 400, wantCode: "field_invalid", wantField: "token"},
		{name: "missing", upstream: answerJSON(200, registered), body: "name=x",
			wantStatus: 400, wantCode: "field_required", wantField: "token"},
		{name: "duplicated", upstream: answerJSON(200, registered), body: "token=" + uuid + "&token=" + uuid,
			wantStatus: 400, wantCode: "field_duplicated", wantField: "token"},
		{name: "not registered (422, code 0)", upstream: answerJSON(422, `{"error": {"code": 0, "message": "unregistered token"}}`), body: "token=" + uuid,
			wantStatus: 422, wantCode: "upstream_rejected", wantSent: "token=" + uuid,
			wantUpstream: `{"error":{"code":0,"message":"unregistered token"}}`, wantMessage: "not registered"},
		{name: "authorization fail (422, code 1)", upstream: answerJSON(422, `{"error": {"code": 1, "message": "authorization fail"}}`), body: "token=" + uuid,
			wantStatus: 422, wantCode: "upstream_rejected", wantSent: "token=" + uuid,
			wantUpstream: `{"error":{"code":1,"message":"authorization fail"}}`, wantMessage: "could not authorise"},
		{name: "5xx", upstream: answerJSON(503, `{"error": {"code": 9, "message": "down"}}`), body: "token=" + uuid,
			wantStatus: 502, wantCode: "upstream_failed", wantSent: "token=" + uuid},
		// The upstream holds its answer until the relay gives up, so a
		// timer that fires late under load cannot let an answer in first.
		{name: "timeout", upstream: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
			config: Config{UpstreamTimeout: "100ms"}, body: "token=" + uuid,
			wantStatus: 504, wantCode: "upstream_timeout", wantSent: "token=" + uuid},
		{name: "an answer without result", upstream: answerJSON(200, `{"status": "ok"}`), body: "token=" + uuid,
			wantStatus: 502, wantCode: "upstream_bad_answer", wantSent: "token=" + uuid},
		{name: "a bad CHECK_PATH", upstream: answerJSON(200, registered), config: Config{CheckPath: "token_status?x"}, body: "token=" + uuid,
			wantStatus: 500, wantCode: "config_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpstream(t, tt.upstream)
			cfg := tt.config
			cfg.UpstreamURL = up.URL
			rl := &Relay{Config: cfg, Log: func(*message.Request, LogEntry) {}}
			w := request{target: checkTarget, body: tt.body, header: map[string]string{"Accept": "application/json"}}.do(t, rl)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Error("answer may be cached")
			}
			if tt.wantCode != "" {
				e := decodeError(t, w)
				if e.Error.Code != tt.wantCode || e.Error.Field != tt.wantField {
					t.Errorf("error %+v, want code %s field %q", e.Error, tt.wantCode, tt.wantField)
				}
				if tt.wantUpstream != "" && string(e.Error.Upstream) != tt.wantUpstream {
					t.Errorf("upstream %s, want %s", e.Error.Upstream, tt.wantUpstream)
				}
				if !strings.Contains(e.Error.Message, tt.wantMessage) {
					t.Errorf("message %q lacks %q", e.Error.Message, tt.wantMessage)
				}
			} else if w.Body.String() != `{"result": {"status": "ok"}}` {
				t.Errorf("body %q, want the upstream's verbatim", w.Body)
			}
			if tt.wantSent == "" {
				if up.count() != 0 {
					t.Fatalf("the upstream was called")
				}
				return
			}
			if up.count() != 1 {
				t.Fatalf("upstream saw %d requests", up.count())
			}
			got := up.requests[0]
			if got.body != tt.wantSent || got.chunked || got.contentLength != int64(len(tt.wantSent)) {
				t.Errorf("upstream got %q (length %d, chunked %v), want %q with a fixed length", got.body, got.contentLength, got.chunked, tt.wantSent)
			}
			if tt.wantPath != "" && got.path != tt.wantPath {
				t.Errorf("upstream path %q, want %q", got.path, tt.wantPath)
			}
		})
	}
}

func TestCheckHTMLAnswers(t *testing.T) {
	for _, tt := range []struct {
		name, upstream string
		status         int
		want           []string
	}{
		{"registered", `{"result": {}}`, 200, []string{"Your token works", "registered"}},
		{"not registered", `{"error": {"code": 0, "message": "unregistered token"}}`, 422, []string{"does not work", "not registered", `href="/"`, `action="/glb_const/status"`, `class="input mono token masked"`, `autocomplete="off"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpstream(t, answerJSON(tt.status, tt.upstream))
			rl := &Relay{Config: Config{UpstreamURL: up.URL}}
			w := request{target: checkTarget, body: "token=" + uuid, header: map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}}.do(t, rl)
			if w.Code != tt.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s", w.Code, w.Header().Get("Content-Type"))
			}
			for _, want := range tt.want {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("page lacks %q:\n%s", want, w.Body)
				}
			}
			// Browsers offer to save what a password field in a form held,
			// and the checked token must not land in their storage.
			if strings.Contains(w.Body.String(), `type="password"`) || strings.Contains(w.Body.String(), uuid) {
				t.Errorf("the page has a password field or the token:\n%s", w.Body)
			}
		})
	}
}

func TestCheckHasItsOwnLimit(t *testing.T) {
	up := newUpstream(t, answerJSON(200, `{"result": {}}`))
	tokens, checks := &countingLimiter{n: 100}, &countingLimiter{n: 1}
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, TokenLimiter: tokens, CheckLimiter: checks}
	send := func() int {
		return request{target: checkTarget, body: "token=" + uuid, header: map[string]string{"CF-Connecting-IP": "198.51.100.4"}}.do(t, rl).Code
	}
	if send() != 200 || send() != 429 {
		t.Fatal("the second check must be limited")
	}
	if len(tokens.seen) != 0 {
		t.Error("a check counted against the token limit")
	}
}
