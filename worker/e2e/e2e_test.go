// Package e2e runs the real Worker (build/app.wasm) in workerd through
// `wrangler dev`, against the in-process MetaHuman SDK API emulator, and
// checks the relay's contract from the outside: what a client gets, what the
// upstream receives, and what the logs keep.
package e2e

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tokendesk/worker/emulator"
	"tokendesk/worker/stack"
)

const (
	upstreamTimeout = 2 * time.Second
	slowDelay       = 8 * time.Second
	allowedOrigin   = "https://docs.example.com"
	browserAccept   = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	ctURLEncoded    = "application/x-www-form-urlencoded"
	// restartedMidRequest starts the 503 body wrangler's proxy sends when
	// the connection to workerd breaks.
	restartedMidRequest = "Your worker restarted mid-request"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		if err := stack.Make("build/app.wasm"); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: building the worker failed:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// ---- client side ----------------------------------------------------------

// relayClient talks to one stack and remembers every request it sent to the
// worker and every personal value it sent, for the log checks.
type relayClient struct {
	s    *stack.Stack
	http *http.Client

	mu      sync.Mutex
	sent    []sentRequest
	secrets []string
	tokens  []string
}

type sentRequest struct {
	Method, Path string
	Status       int
}

func newClient(s *stack.Stack) *relayClient {
	return &relayClient{
		s: s,
		http: &http.Client{
			Timeout: 20 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
}

// secret registers values that must never appear in the logs.
func (c *relayClient) secret(values ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			c.secrets = append(c.secrets, v)
		}
	}
}

func (c *relayClient) sawToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens = append(c.tokens, tok)
}

// record notes a request the worker answered (so it must be logged).
func (c *relayClient) record(method, p string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, sentRequest{method, p, status})
}

type answer struct {
	resp    *http.Response
	body    []byte
	elapsed time.Duration
}

func (c *relayClient) do(t *testing.T, method, p string, header http.Header, body io.Reader) answer {
	t.Helper()
	req, err := http.NewRequest(method, c.s.URL+p, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			if strings.EqualFold(k, "Host") {
				req.Host = v
				continue
			}
			req.Header.Add(k, v)
		}
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, p, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, p, err)
	}
	// wrangler's proxy answers this itself when workerd drops the
	// connection; the Worker never saw the request, so it logs nothing.
	if resp.StatusCode == http.StatusServiceUnavailable && bytes.HasPrefix(b, []byte(restartedMidRequest)) {
		return answer{resp: resp, body: b, elapsed: elapsed}
	}
	// The worker sees the path with dot segments removed (RFC 3986).
	c.record(method, req.URL.ResolveReference(&url.URL{Path: req.URL.Path}).Path, resp.StatusCode)
	return answer{resp: resp, body: b, elapsed: elapsed}
}

// post sends an urlencoded form (encoded exactly like curl --data-urlencode
// and browsers do) and registers its values as secrets.
func (c *relayClient) post(t *testing.T, form url.Values, header http.Header) answer {
	t.Helper()
	for _, vs := range form {
		c.secret(vs...)
	}
	h := http.Header{"Content-Type": {ctURLEncoded}}
	for k, vs := range header {
		h[k] = vs
	}
	return c.do(t, http.MethodPost, "/auth/token", h, strings.NewReader(encodeOrdered(form)))
}

// encodeOrdered encodes name, mail, comment first (in that order), then the
// other fields sorted, with url.QueryEscape (+ for space, %XX otherwise).
func encodeOrdered(form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := slices.Index([]string{"name", "mail", "comment"}, k); i >= 0 {
			return i
		}
		return 3
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		for _, v := range form[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// upstreamBody is the body the relay must send upstream: exactly name, mail
// and comment, urlencoded, in that order.
func upstreamBody(name, mail, comment string) string {
	return "name=" + url.QueryEscape(name) + "&mail=" + url.QueryEscape(mail) + "&comment=" + url.QueryEscape(comment)
}

type errorBody struct {
	Error struct {
		Code     string          `json:"code"`
		Message  string          `json:"message"`
		Field    string          `json:"field"`
		Upstream json.RawMessage `json:"upstream"`
	} `json:"error"`
}

func decodeError(t *testing.T, a answer) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(a.body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("status %d: body is not the error shape: %q (%v)", a.resp.StatusCode, a.body, err)
	}
	if e.Error.Message == "" {
		t.Errorf("error %s has no message", e.Error.Code)
	}
	return e
}

func wantError(t *testing.T, a answer, status int, code, field string) errorBody {
	t.Helper()
	if a.resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %q", a.resp.StatusCode, status, a.body)
	}
	if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	e := decodeError(t, a)
	if e.Error.Code != code {
		t.Errorf("error.code = %q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Field != field {
		t.Errorf("error.field = %q, want %q", e.Error.Field, field)
	}
	return e
}

// tokenAnswer is the emulator's exact success body for a token.
func tokenAnswer(tok string) []byte {
	b, _ := json.Marshal(map[string]any{"result": map[string]string{"token": tok}})
	return b
}

func jsonEqual(t *testing.T, got, want []byte) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return false
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad want JSON %q", want)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return bytes.Equal(gb, wb)
}

// wantUnchanged fails if the emulator received anything since before.
func wantUnchanged(t *testing.T, emu *emulator.Emulator, before int) {
	t.Helper()
	if n := emu.Count(); n != before {
		reqs := emu.Requests()
		t.Errorf("the upstream received %d request(s); want none. Last: %+v", n-before, reqs[len(reqs)-1])
	}
}

// lastRequest returns the one request the emulator received since before.
func lastRequest(t *testing.T, emu *emulator.Emulator, before int) emulator.Request {
	t.Helper()
	reqs := emu.Requests()
	if len(reqs) != before+1 {
		t.Fatalf("upstream received %d requests, want exactly 1", len(reqs)-before)
	}
	return reqs[before]
}

// ---- the main flow, on one shared stack -----------------------------------

func TestRelay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts wrangler dev")
	}
	startAt := time.Now()
	s := stack.StartT(t, stack.Options{
		Emulator: emulator.Options{SlowDelay: slowDelay},
		Vars: map[string]string{
			"UPSTREAM_TIMEOUT": upstreamTimeout.String(),
			"ALLOWED_ORIGINS":  allowedOrigin + ", https://other.example.org",
			"RATE_LIMIT":       "off",
		},
	})
	t.Logf("stack ready in %s (worker %s, emulator %s)", time.Since(startAt).Round(time.Millisecond), s.URL, s.EmulatorURL)
	c := newClient(s)

	t.Run("valid urlencoded request", func(t *testing.T) { testValid(t, c) })
	t.Run("multipart", func(t *testing.T) { testMultipart(t, c) })
	t.Run("upstream faults", func(t *testing.T) { testFaults(t, c) })
	t.Run("client errors never reach upstream", func(t *testing.T) { testClientErrors(t, c) })
	t.Run("cors", func(t *testing.T) { testCORS(t, c) })
	t.Run("browser form post", func(t *testing.T) { testHTML(t, c) })
	t.Run("python docs example", func(t *testing.T) { testPython(t, c) })
	t.Run("curl data-urlencode", func(t *testing.T) { testCurl(t, c) })
	t.Run("sequential requests", func(t *testing.T) { testSequentialRequests(t, c) })
	// Last: everything above must be in the logs, and nothing personal.
	t.Run("logs", func(t *testing.T) { testLogs(t, c) })
}

func testValid(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	name := "Zoë O'Brien-Łukasz + Co & Sons 日本 e2e1"
	mail := "zoe+e2e.valid&x@example.com"
	comment := "a=b&c=d + 100% ✓ \"quoted\" <tag> e2e-comment-1"
	form := url.Values{
		"name": {name}, "mail": {mail}, "comment": {comment},
		"extra": {"drop me"}, "token": {"client-token-x"}, "redirect": {"https://evil.example"},
	}
	header := http.Header{
		"Cookie":           {"session=e2e-cookie-secret"},
		"Origin":           {allowedOrigin},
		"Referer":          {allowedOrigin + "/docs"},
		"Cf-Connecting-Ip": {"203.0.113.7"},
		"X-Forwarded-For":  {"203.0.113.8"},
		"X-Custom":         {"e2e-custom"},
		"Authorization":    {"Bearer e2e-client-auth"},
		"Accept":           {"application/json"},
	}
	before := emu.Count()
	a := c.post(t, form, header)
	if a.resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, body %q", a.resp.StatusCode, a.body)
	}
	tok, ok := emu.TokenFor(mail)
	if !ok {
		t.Fatalf("the emulator issued no token for %q", mail)
	}
	c.sawToken(tok)

	t.Run("answer", func(t *testing.T) {
		if want := tokenAnswer(tok); !bytes.Equal(a.body, want) {
			t.Errorf("body = %q, want the upstream's body verbatim %q", a.body, want)
		}
		var got struct{ Result struct{ Token string } }
		if err := json.Unmarshal(a.body, &got); err != nil || got.Result.Token != tok {
			t.Errorf("token = %q, want %q (%v)", got.Result.Token, tok, err)
		}
		if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		if acao := a.resp.Header.Get("Access-Control-Allow-Origin"); acao != allowedOrigin {
			t.Errorf("Access-Control-Allow-Origin = %q, want %q", acao, allowedOrigin)
		}
	})

	t.Run("upstream got a fixed-length body with exactly three fields", func(t *testing.T) {
		req := lastRequest(t, emu, before)
		wantBody := upstreamBody(name, mail, comment)
		if !req.HasContentLength || req.Chunked {
			t.Errorf("upstream body: HasContentLength=%v Chunked=%v TE=%v; want a fixed Content-Length",
				req.HasContentLength, req.Chunked, req.TransferEncoding)
		}
		if req.ContentLength != int64(len(wantBody)) {
			t.Errorf("Content-Length = %d, want %d (%q)", req.ContentLength, len(wantBody), wantBody)
		}
		if req.Method != http.MethodPost || req.Path != "/auth/token" {
			t.Errorf("upstream saw %s %s", req.Method, req.Path)
		}
		want := url.Values{"name": {name}, "mail": {mail}, "comment": {comment}}
		if fmt.Sprint(req.Form) != fmt.Sprint(want) {
			t.Errorf("upstream form = %q, want %q", req.Form, want)
		}
		if ct := req.Header.Get("Content-Type"); ct != ctURLEncoded {
			t.Errorf("upstream Content-Type = %q", ct)
		}
		for _, h := range []string{"Cookie", "Origin", "Referer", "Cf-Connecting-Ip", "X-Forwarded-For", "X-Custom", "Authorization"} {
			if v, ok := req.Header[http.CanonicalHeaderKey(h)]; ok {
				t.Errorf("client header %s reached the upstream: %q", h, v)
			}
		}
		for k, vs := range req.Header {
			for _, v := range vs {
				for _, leak := range []string{"e2e-cookie-secret", "203.0.113.", "e2e-custom", "e2e-client-auth", "docs.example.com"} {
					if strings.Contains(v, leak) {
						t.Errorf("upstream header %s: %q carries client data %q", k, v, leak)
					}
				}
			}
		}
		t.Logf("upstream headers: %v", req.Header)
		if req.Token != tok {
			t.Errorf("emulator record token %q != TokenFor %q", req.Token, tok)
		}
	})

	t.Run("same-origin post", func(t *testing.T) {
		mail := "same.origin.e2e@example.com"
		a := c.post(t, url.Values{"name": {"Same Origin e2e"}, "mail": {mail}}, http.Header{"Origin": {c.s.URL}})
		if a.resp.StatusCode != http.StatusOK {
			t.Fatalf("own-origin POST: status %d body %q", a.resp.StatusCode, a.body)
		}
		tok, _ := emu.TokenFor(mail)
		c.sawToken(tok)
		if !bytes.Equal(a.body, tokenAnswer(tok)) {
			t.Errorf("body %q, want token %q", a.body, tok)
		}
	})

	t.Run("values are trimmed", func(t *testing.T) {
		before := emu.Count()
		mail := "trim.e2e@example.com"
		a := c.post(t, url.Values{"name": {"  Trim Me e2e\t"}, "mail": {" " + mail + " "}, "comment": {"\n"}}, nil)
		if a.resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d body %q", a.resp.StatusCode, a.body)
		}
		tok, _ := emu.TokenFor(mail)
		c.sawToken(tok)
		req := lastRequest(t, emu, before)
		if want := upstreamBody("Trim Me e2e", mail, ""); req.ContentLength != int64(len(want)) ||
			req.Form.Get("name") != "Trim Me e2e" || req.Form.Get("mail") != mail || !req.Form.Has("comment") {
			t.Errorf("upstream got %q (len %d), want %q", req.Form, req.ContentLength, want)
		}
	})
}

func testMultipart(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	name, mail, comment := "Multi Part ñ & + e2e", "multipart.e2e@example.com", "line one\r\nline two ✓ e2e-mp"
	c.secret(name, mail, comment)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"name", name}, {"mail", mail}, {"comment", comment}, {"extra", "drop"}} {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	before := emu.Count()
	a := c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {w.FormDataContentType()}}, &buf)
	if a.resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d body %q", a.resp.StatusCode, a.body)
	}
	tok, ok := emu.TokenFor(mail)
	if !ok {
		t.Fatal("no token issued")
	}
	c.sawToken(tok)
	if !bytes.Equal(a.body, tokenAnswer(tok)) {
		t.Errorf("body %q, want %q", a.body, tokenAnswer(tok))
	}
	if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	req := lastRequest(t, emu, before)
	want := upstreamBody(name, mail, comment)
	if !req.HasContentLength || req.Chunked || req.ContentLength != int64(len(want)) {
		t.Errorf("upstream: HasContentLength=%v Chunked=%v ContentLength=%d, want %d",
			req.HasContentLength, req.Chunked, req.ContentLength, len(want))
	}
	if ct := req.Header.Get("Content-Type"); ct != ctURLEncoded {
		t.Errorf("upstream Content-Type = %q, want urlencoded", ct)
	}
	if wantForm := (url.Values{"name": {name}, "mail": {mail}, "comment": {comment}}); fmt.Sprint(req.Form) != fmt.Sprint(wantForm) {
		t.Errorf("upstream form %q, want %q", req.Form, wantForm)
	}
}

func testFaults(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	const emu5xxJSON = `{"error":{"code":503,"message":"Service temporarily unavailable"}}`
	const emu429JSON = `{"error":{"code":429,"message":"Too many requests"}}`
	cases := []struct {
		fault        emulator.Fault
		status       int
		code         string
		upstream     string // wanted error.upstream; "" means absent
		maxElapsed   time.Duration
		minElapsed   time.Duration
		retryAfterOK bool
	}{
		{fault: emulator.FaultSlow, status: 504, code: "upstream_timeout",
			minElapsed: upstreamTimeout - 100*time.Millisecond, maxElapsed: upstreamTimeout + time.Second},
		{fault: emulator.Fault5xx, status: 502, code: "upstream_failed", upstream: emu5xxJSON},
		{fault: emulator.Fault504, status: 502, code: "upstream_failed"},
		{fault: emulator.FaultMalformed, status: 502, code: "upstream_bad_answer"},
		{fault: emulator.FaultBadShape, status: 502, code: "upstream_bad_answer"},
		{fault: emulator.FaultDrop, status: 502, code: "upstream_unreachable"},
		{fault: emulator.Fault4xx, status: 429, code: "upstream_rejected", upstream: emu429JSON},
	}
	for i, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			mail := fmt.Sprintf("fault%d.e2e@example.com", i)
			before := emu.Count()
			emu.FaultNext(tc.fault, 1)
			a := c.post(t, url.Values{"name": {fmt.Sprintf("Fault Person %d e2e", i)}, "mail": {mail}, "comment": {"fault comment e2e " + string(tc.fault)}}, nil)
			e := wantError(t, a, tc.status, tc.code, "")
			if tc.upstream == "" {
				if len(e.Error.Upstream) != 0 {
					t.Errorf("error.upstream = %s, want absent", e.Error.Upstream)
				}
			} else if !jsonEqual(t, e.Error.Upstream, []byte(tc.upstream)) {
				t.Errorf("error.upstream = %s, want %s", e.Error.Upstream, tc.upstream)
			}
			if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
			if tc.maxElapsed > 0 && a.elapsed > tc.maxElapsed {
				t.Errorf("answered after %s, want within %s", a.elapsed, tc.maxElapsed)
			}
			if a.elapsed < tc.minElapsed {
				t.Errorf("answered after %s, before the %s timeout", a.elapsed, upstreamTimeout)
			}
			t.Logf("%s → %d %s in %s", tc.fault, a.resp.StatusCode, e.Error.Code, a.elapsed.Round(time.Millisecond))
			req := lastRequest(t, emu, before)
			if req.Fault != tc.fault && tc.fault != emulator.FaultSlow {
				t.Errorf("emulator applied fault %q, want %q", req.Fault, tc.fault)
			}
			if tok, ok := emu.TokenFor(mail); ok {
				c.sawToken(tok)
				if bytes.Contains(a.body, []byte(tok)) {
					t.Errorf("a token leaked into the error answer")
				}
			}
		})
	}
	t.Run("recovers after faults", func(t *testing.T) {
		mail := "recover.e2e@example.com"
		a := c.post(t, url.Values{"name": {"Recover e2e"}, "mail": {mail}}, nil)
		tok, _ := emu.TokenFor(mail)
		c.sawToken(tok)
		if a.resp.StatusCode != 200 || !bytes.Equal(a.body, tokenAnswer(tok)) {
			t.Errorf("status %d body %q, want token %q", a.resp.StatusCode, a.body, tok)
		}
	})
}

func testClientErrors(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	valid := func() url.Values {
		return url.Values{"name": {"Client Err e2e"}, "mail": {"client.err.e2e@example.com"}, "comment": {"client err comment e2e"}}
	}
	with := func(mod func(url.Values)) url.Values { v := valid(); mod(v); return v }

	t.Run("fields", func(t *testing.T) {
		cases := []struct {
			name  string
			body  string // raw urlencoded body, when set
			form  url.Values
			code  string
			field string
		}{
			{name: "missing name", form: with(func(v url.Values) { v.Del("name") }), code: "field_required", field: "name"},
			{name: "blank name", form: with(func(v url.Values) { v.Set("name", "   ") }), code: "field_required", field: "name"},
			{name: "missing mail", form: with(func(v url.Values) { v.Del("mail") }), code: "field_required", field: "mail"},
			{name: "invalid mail", form: with(func(v url.Values) { v.Set("mail", "not-an-address-e2e") }), code: "field_invalid", field: "mail"},
			{name: "mail with display name", form: with(func(v url.Values) { v.Set("mail", "Ada <ada.e2e@example.com>") }), code: "field_invalid", field: "mail"},
			{name: "mail without domain dot", form: with(func(v url.Values) { v.Set("mail", "ada.e2e@localhost") }), code: "field_invalid", field: "mail"},
			{name: "two mails", form: with(func(v url.Values) { v.Set("mail", "a.e2e@example.com, b.e2e@example.com") }), code: "field_invalid", field: "mail"},
			{name: "name too long", form: with(func(v url.Values) { v.Set("name", strings.Repeat("é", 101)) }), code: "field_too_long", field: "name"},
			{name: "name on two lines", form: with(func(v url.Values) { v.Set("name", "Two\nLines e2e") }), code: "field_invalid", field: "name"},
			{name: "comment too long", form: with(func(v url.Values) { v.Set("comment", strings.Repeat("c", 1001)) }), code: "field_too_long", field: "comment"},
			{name: "duplicated name", form: with(func(v url.Values) { v["name"] = []string{"Dup One e2e", "Dup Two e2e"} }), code: "field_duplicated", field: "name"},
			{name: "duplicated mail", form: with(func(v url.Values) { v["mail"] = []string{"d1.e2e@example.com", "d2.e2e@example.com"} }), code: "field_duplicated", field: "mail"},
			{name: "duplicated comment", form: with(func(v url.Values) { v["comment"] = []string{"x", "y"} }), code: "field_duplicated", field: "comment"},
			{name: "invalid utf-8 name", body: "name=%ff%fe&mail=u.e2e%40example.com", code: "field_invalid", field: "name"},
			{name: "bad percent-encoding", body: "name=%zz&mail=p.e2e%40example.com", code: "bad_form"},
			{name: "empty body", body: "", code: "field_required", field: "name"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := emu.Count()
				var a answer
				if tc.form != nil {
					a = c.post(t, tc.form, nil)
				} else {
					a = c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {ctURLEncoded}}, strings.NewReader(tc.body))
				}
				wantError(t, a, 400, tc.code, tc.field)
				wantUnchanged(t, emu, before)
			})
		}
	})

	t.Run("media type and size", func(t *testing.T) {
		form := encodeOrdered(valid())
		big := "name=Big+e2e&mail=big.e2e%40example.com&comment=" + strings.Repeat("b", 9<<10)
		cases := []struct {
			name        string
			contentType string
			body        io.Reader
			status      int
			code        string
		}{
			{"text/plain", "text/plain", strings.NewReader(form), 415, "unsupported_media_type"},
			{"json", "application/json", strings.NewReader(`{"name":"Json e2e","mail":"json.e2e@example.com"}`), 415, "unsupported_media_type"},
			{"no content type", "", strings.NewReader(form), 415, "unsupported_media_type"},
			{"9 KiB urlencoded", ctURLEncoded, strings.NewReader(big), 413, "body_too_large"},
			{"multipart without boundary", "multipart/form-data", strings.NewReader(form), 400, "bad_form"},
			// No Content-Length (chunked): the size limit must still hold.
			{"9 KiB chunked", ctURLEncoded, io.MultiReader(strings.NewReader(big)), 413, "body_too_large"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := emu.Count()
				h := http.Header{}
				if tc.contentType != "" {
					h.Set("Content-Type", tc.contentType)
				}
				a := c.do(t, http.MethodPost, "/auth/token", h, tc.body)
				wantError(t, a, tc.status, tc.code, "")
				wantUnchanged(t, emu, before)
			})
		}
	})

	// Answering 413 after reading only part of a chunked body must not
	// break the next request. In wrangler dev with [assets] in front, it
	// does (most of the time) unless the Worker consumes the rest of the
	// body: the next request gets wrangler's 503 "Your worker restarted
	// mid-request". Three rounds make the check reliable.
	t.Run("request after an oversize chunked body", func(t *testing.T) {
		big := "name=Big+e2e&mail=big.e2e%40example.com&comment=" + strings.Repeat("b", 9<<10)
		broken := 0
		for round := range 3 {
			a := c.do(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {ctURLEncoded}}, io.MultiReader(strings.NewReader(big)))
			if a.resp.StatusCode == http.StatusServiceUnavailable && bytes.HasPrefix(a.body, []byte(restartedMidRequest)) {
				broken++ // broken by the previous oversize body
			} else if a.resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("round %d: oversize chunked body got %d %.80q, want 413", round, a.resp.StatusCode, a.body)
			}
			mail := fmt.Sprintf("after.big%d.e2e@example.com", round)
			next := c.post(t, url.Values{"name": {"After Big e2e"}, "mail": {mail}}, nil)
			if tok, ok := emu.TokenFor(mail); ok {
				c.sawToken(tok)
			}
			if next.resp.StatusCode == http.StatusServiceUnavailable && bytes.HasPrefix(next.body, []byte(restartedMidRequest)) {
				broken++
			} else if next.resp.StatusCode != http.StatusOK {
				t.Errorf("round %d: the request after the oversize one got %d %.80q, want 200", round, next.resp.StatusCode, next.body)
			}
		}
		if broken > 0 {
			t.Errorf("%d of 6 requests sent after a 413 on a chunked body got wrangler's 503 %q: "+
				"the relay answers with the body half read; it must consume the rest (bounded) before answering 413", broken, restartedMidRequest)
		}
	})

	t.Run("methods", func(t *testing.T) {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			t.Run(method, func(t *testing.T) {
				before := emu.Count()
				var body io.Reader
				h := http.Header{}
				if method != http.MethodGet {
					body = strings.NewReader(encodeOrdered(valid()))
					h.Set("Content-Type", ctURLEncoded)
				}
				a := c.do(t, method, "/auth/token", h, body)
				wantError(t, a, 405, "method_not_allowed", "")
				if allow := a.resp.Header.Get("Allow"); !strings.Contains(allow, "POST") {
					t.Errorf("Allow = %q, want it to list POST", allow)
				}
				wantUnchanged(t, emu, before)
			})
		}
	})

	t.Run("paths", func(t *testing.T) {
		for _, p := range []string{"/auth/token2", "/v1/anything", "/auth/token/../x", "/auth/token/", "/AUTH/TOKEN", "/auth"} {
			t.Run(p, func(t *testing.T) {
				before := emu.Count()
				a := c.do(t, http.MethodPost, p, http.Header{"Content-Type": {ctURLEncoded}}, strings.NewReader(encodeOrdered(valid())))
				if a.resp.StatusCode != 404 {
					t.Fatalf("status %d, want 404; body %q", a.resp.StatusCode, a.body)
				}
				if e := decodeError(t, a); e.Error.Code != "not_found" {
					t.Errorf("code %q, want not_found", e.Error.Code)
				}
				wantUnchanged(t, emu, before)
			})
		}
	})

	t.Run("foreign origin", func(t *testing.T) {
		for _, origin := range []string{"https://evil.example", "null", "http://127.0.0.1:1", allowedOrigin + ".evil.example"} {
			t.Run(origin, func(t *testing.T) {
				before := emu.Count()
				a := c.post(t, valid(), http.Header{"Origin": {origin}})
				wantError(t, a, 403, "origin_forbidden", "")
				if acao := a.resp.Header.Get("Access-Control-Allow-Origin"); acao != "" {
					t.Errorf("Access-Control-Allow-Origin = %q on a refused origin", acao)
				}
				wantUnchanged(t, emu, before)
			})
		}
	})
}

func testCORS(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	t.Run("preflight from an allowed origin", func(t *testing.T) {
		for _, origin := range []string{allowedOrigin, "https://other.example.org"} {
			before := emu.Count()
			a := c.do(t, http.MethodOptions, "/auth/token", http.Header{
				"Origin":                         {origin},
				"Access-Control-Request-Method":  {"POST"},
				"Access-Control-Request-Headers": {"content-type"},
			}, nil)
			if a.resp.StatusCode != 204 && a.resp.StatusCode != 200 {
				t.Fatalf("%s: status %d body %q", origin, a.resp.StatusCode, a.body)
			}
			h := a.resp.Header
			if got := h.Get("Access-Control-Allow-Origin"); got != origin {
				t.Errorf("%s: Access-Control-Allow-Origin = %q, want the origin itself", origin, got)
			}
			if slices.Contains(h.Values("Access-Control-Allow-Origin"), "*") {
				t.Errorf("%s: Access-Control-Allow-Origin is *", origin)
			}
			if !slices.ContainsFunc(h.Values("Vary"), func(v string) bool { return strings.Contains(v, "Origin") }) {
				t.Errorf("%s: Vary = %q, want Origin", origin, h.Values("Vary"))
			}
			if age, err := strconv.Atoi(h.Get("Access-Control-Max-Age")); err != nil || age <= 0 {
				t.Errorf("%s: Access-Control-Max-Age = %q", origin, h.Get("Access-Control-Max-Age"))
			}
			if m := h.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "POST") {
				t.Errorf("%s: Access-Control-Allow-Methods = %q", origin, m)
			}
			if ah := strings.ToLower(h.Get("Access-Control-Allow-Headers")); !strings.Contains(ah, "content-type") {
				t.Errorf("%s: Access-Control-Allow-Headers = %q", origin, ah)
			}
			if h.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("%s: Access-Control-Allow-Credentials set", origin)
			}
			wantUnchanged(t, emu, before)
		}
	})
	t.Run("preflight from a foreign origin", func(t *testing.T) {
		before := emu.Count()
		a := c.do(t, http.MethodOptions, "/auth/token", http.Header{
			"Origin": {"https://evil.example"}, "Access-Control-Request-Method": {"POST"},
		}, nil)
		if a.resp.StatusCode != 403 {
			t.Errorf("status %d, want 403", a.resp.StatusCode)
		}
		if v := a.resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("Access-Control-Allow-Origin = %q", v)
		}
		wantUnchanged(t, emu, before)
	})
}

func testHTML(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	t.Run("success page", func(t *testing.T) {
		mail := "html.ok.e2e@example.com"
		a := c.post(t, url.Values{"name": {"Html Ok e2e"}, "mail": {mail}, "comment": {"html ok comment e2e"}},
			http.Header{"Accept": {browserAccept}, "Origin": {c.s.URL}})
		if a.resp.StatusCode != 200 {
			t.Fatalf("status %d body %q", a.resp.StatusCode, a.body)
		}
		tok, ok := emu.TokenFor(mail)
		if !ok {
			t.Fatal("no token issued")
		}
		c.sawToken(tok)
		if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type = %q, want text/html", ct)
		}
		if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		if !bytes.Contains(a.body, []byte(`value="`+html.EscapeString(tok)+`"`)) {
			t.Errorf("page does not show the token %q:\n%s", tok, a.body)
		}
		if bytes.Contains(a.body, []byte("<script")) {
			t.Errorf("page has a script")
		}
	})
	t.Run("error page keeps the values", func(t *testing.T) {
		before := emu.Count()
		name := `Zoë <b>"Bold"</b> & e2e-html`
		badMail := `not-a-mail"><script>alert(1)</script>`
		comment := "keep me ✓ <i>e2e</i>"
		a := c.post(t, url.Values{"name": {name}, "mail": {badMail}, "comment": {comment}},
			http.Header{"Accept": {browserAccept}})
		if a.resp.StatusCode != 400 {
			t.Fatalf("status %d, want 400; body %s", a.resp.StatusCode, a.body)
		}
		if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type = %q, want text/html", ct)
		}
		if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		page := string(a.body)
		for _, v := range []string{name, badMail, comment} {
			if !strings.Contains(page, html.EscapeString(v)) {
				t.Errorf("page does not keep %q (escaped %q)", v, html.EscapeString(v))
			}
		}
		if strings.Contains(page, "<script>") {
			t.Errorf("a value was not escaped:\n%s", page)
		}
		if !regexp.MustCompile(`id="mail"[^>]*aria-invalid="true"`).MatchString(page) {
			t.Errorf("the mail field is not marked invalid:\n%s", page)
		}
		wantUnchanged(t, emu, before)
	})
	t.Run("upstream error page keeps the values", func(t *testing.T) {
		name, mail := "Html Fault e2e", "html.fault.e2e@example.com"
		emu.FaultNext(emulator.Fault5xx, 1)
		a := c.post(t, url.Values{"name": {name}, "mail": {mail}}, http.Header{"Accept": {browserAccept}})
		if a.resp.StatusCode != 502 || !strings.HasPrefix(a.resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d type %q, want 502 text/html", a.resp.StatusCode, a.resp.Header.Get("Content-Type"))
		}
		for _, v := range []string{name, mail} {
			if !strings.Contains(string(a.body), `value="`+html.EscapeString(v)+`"`) {
				t.Errorf("page does not keep %q", v)
			}
		}
	})
}

// pythonDocsExample is the MetaHuman SDK docs' Python example; only the host
// and the placeholder values are replaced.
const pythonDocsExample = `import requests

url = "http://api.metahumansdk.io/auth/token"

payload = {'name': '<name>',
'mail': '<mail>',
'comment': '<comment>'}

response = requests.request("POST", url, data=payload)

print(response.text)
`

// pythonURLLibExample sends what requests would: an urlencoded body and
// Accept: */*.
const pythonURLLibExample = `import urllib.parse, urllib.request

url = "http://api.metahumansdk.io/auth/token"

payload = {'name': '<name>',
'mail': '<mail>',
'comment': '<comment>'}

data = urllib.parse.urlencode(payload).encode()
req = urllib.request.Request(url, data=data, method="POST", headers={
    "Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"})
with urllib.request.urlopen(req) as response:
    print(response.read().decode())
`

func testPython(t *testing.T, c *relayClient) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed; the docs' Python example cannot be run")
	}
	script, flavour := pythonDocsExample, "requests"
	if err := exec.Command(python, "-c", "import requests").Run(); err != nil {
		script, flavour = pythonURLLibExample, "urllib (requests is not importable)"
	}
	name, mail, comment := "Py Thon & Co + ü e2e", "python.e2e+x@example.com", "from the docs example: 100% + & e2e-py"
	c.secret(name, mail, comment)
	r := strings.NewReplacer(
		"http://api.metahumansdk.io", c.s.URL,
		"<name>", name, "<mail>", mail, "<comment>", comment,
	)
	cmd := exec.Command(python, "-c", r.Replace(script))
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python (%s): %v\n%s", flavour, err, out)
	}
	tok, ok := c.s.Emulator.TokenFor(mail)
	if !ok {
		t.Fatalf("python (%s): the emulator issued no token; printed %q", flavour, out)
	}
	c.sawToken(tok)
	c.record(http.MethodPost, "/auth/token", 200)
	printed := strings.TrimSpace(string(out))
	if printed != string(tokenAnswer(tok)) {
		t.Errorf("python printed %q, want %q", printed, tokenAnswer(tok))
	}
	t.Logf("python example via %s printed the emulator's token", flavour)
}

func testCurl(t *testing.T, c *relayClient) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	name, mail, comment := "Curl User & Sons + ñ e2e", "curl.e2e+tag@example.com", "50% off = great?&e2e-curl"
	c.secret(name, mail, comment)
	before := c.s.Emulator.Count()
	cmd := exec.Command(curl, "-sS", "--fail-with-body",
		"--data-urlencode", "name="+name,
		"--data-urlencode", "mail="+mail,
		"--data-urlencode", "comment="+comment,
		c.s.URL+"/auth/token")
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	tok, ok := c.s.Emulator.TokenFor(mail)
	if !ok {
		t.Fatalf("no token issued; curl printed %q", out)
	}
	c.sawToken(tok)
	c.record(http.MethodPost, "/auth/token", 200)
	var got struct{ Result struct{ Token string } }
	if err := json.Unmarshal(out, &got); err != nil || got.Result.Token != tok {
		t.Errorf("curl printed %q, want token %q", out, tok)
	}
	req := lastRequest(t, c.s.Emulator, before)
	if req.Form.Get("name") != name || req.Form.Get("mail") != mail || req.Form.Get("comment") != comment {
		t.Errorf("upstream form %q", req.Form)
	}
}

// testSequentialRequests sends requests one after another through the one
// Go instance, whose handler goroutines are reused: each must get exactly
// its own token. (Speed is measured by make bench, not here.)
func testSequentialRequests(t *testing.T, c *relayClient) {
	for i := range 20 {
		mail := fmt.Sprintf("sequential%d.e2e@example.com", i)
		a := c.post(t, url.Values{"name": {fmt.Sprintf("Sequential %d e2e", i)}, "mail": {mail}}, nil)
		if a.resp.StatusCode != 200 {
			t.Fatalf("request %d: status %d body %q", i, a.resp.StatusCode, a.body)
		}
		tok, ok := c.s.Emulator.TokenFor(mail)
		if !ok || !bytes.Equal(a.body, tokenAnswer(tok)) {
			t.Fatalf("request %d got %q, want the emulator's token for %s", i, a.body, mail)
		}
		c.sawToken(tok)
	}
}

// logLine matches the relay's JSON log line (relay.LogEntry.JSON):
// method, path, status, upstream status (null when nothing was sent).
var logLine = regexp.MustCompile(`\{"method":"(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)","path":"(/[^"]*)","status":(\d{3}),"upstream_status":(null|\d{3})`)

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

// ---- configuration errors -------------------------------------------------

// TestConfigError checks that a non-loopback http:// UPSTREAM_URL makes every
// /auth/token answer a 500 config_error and sends nothing upstream.
func TestConfigError(t *testing.T) {
	if testing.Short() {
		t.Skip("starts wrangler dev")
	}
	t.Run("example.com", func(t *testing.T) {
		t.Parallel()
		s := stack.StartT(t, stack.Options{UpstreamURL: "http://example.com", Vars: map[string]string{"RATE_LIMIT": "off"}})
		checkConfigError(t, s, nil)
	})
	// The same refusal, provable: a non-loopback address of this machine
	// where an emulator listens, so anything sent would be recorded.
	t.Run("non-loopback address of this host", func(t *testing.T) {
		t.Parallel()
		ip := nonLoopbackIPv4()
		if ip == "" {
			t.Skip("this machine has no non-loopback IPv4 address")
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Skipf("cannot listen on %s: %v", ip, err)
		}
		emu := emulator.New(emulator.Options{})
		srv := &http.Server{Handler: emu, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		s := stack.StartT(t, stack.Options{UpstreamURL: "http://" + l.Addr().String(), Vars: map[string]string{"RATE_LIMIT": "off"}})
		checkConfigError(t, s, emu)
	})
}

func checkConfigError(t *testing.T, s *stack.Stack, emu *emulator.Emulator) {
	c := newClient(s)
	valid := url.Values{"name": {"Config e2e"}, "mail": {"config.e2e@example.com"}, "comment": {"cfg"}}
	cases := []struct {
		name   string
		method string
		header http.Header
		body   string
	}{
		{"valid post", http.MethodPost, http.Header{"Content-Type": {ctURLEncoded}}, encodeOrdered(valid)},
		{"multipart content type, bad body", http.MethodPost, http.Header{"Content-Type": {"multipart/form-data; boundary=x"}}, "junk"},
		{"invalid form", http.MethodPost, http.Header{"Content-Type": {ctURLEncoded}}, "name="},
		{"text/plain", http.MethodPost, http.Header{"Content-Type": {"text/plain"}}, "hi"},
		{"get", http.MethodGet, nil, ""},
		{"preflight", http.MethodOptions, http.Header{"Origin": {allowedOrigin}, "Access-Control-Request-Method": {"POST"}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			a := c.do(t, tc.method, "/auth/token", tc.header, body)
			e := wantError(t, a, 500, "config_error", "")
			if !strings.Contains(e.Error.Message, "UPSTREAM_URL") {
				t.Errorf("message does not name UPSTREAM_URL: %q", e.Error.Message)
			}
			if a.elapsed > 2*time.Second {
				t.Errorf("took %s; a config error must not wait on the network", a.elapsed)
			}
		})
	}
	if emu != nil && emu.Count() != 0 {
		t.Errorf("the upstream received %d request(s): %+v", emu.Count(), emu.Requests())
	}
	// The relay logs "upstream_status":null when nothing was sent. Other paths (the
	// harness's readiness probe) are not part of this check.
	deadline := time.Now().Add(5 * time.Second)
	var lines [][]string
	for time.Now().Before(deadline) {
		lines = lines[:0]
		for _, m := range logLine.FindAllStringSubmatch(s.Logs(), -1) {
			if m[2] == "/auth/token" {
				lines = append(lines, m)
			}
		}
		if len(lines) >= len(cases) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(lines) != len(cases) {
		t.Errorf("%d relay log lines, want %d", len(lines), len(cases))
	}
	for _, m := range lines {
		if m[3] != "500" || m[4] != "null" {
			t.Errorf("log line %q: want status=500 upstream=-", m[0])
		}
	}
}

func nonLoopbackIPv4() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}
