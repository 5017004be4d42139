package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

func TestRelay(t *testing.T) {
	t.Parallel() // a stack of its own
	stack.SkipIfShort(t)
	c := newClient(relayStack(t))

	t.Run("valid urlencoded request", func(t *testing.T) { testValid(t, c) })
	t.Run("multipart", func(t *testing.T) { testMultipart(t, c) })
	t.Run("upstream faults", func(t *testing.T) { testFaults(t, c) })
	t.Run("client errors never reach upstream", func(t *testing.T) { testClientErrors(t, c) })
	t.Run("cors", func(t *testing.T) { testCORS(t, c) })
	t.Run("browser form post", func(t *testing.T) { testHTML(t, c) })
	t.Run("python docs example", func(t *testing.T) { testPython(t, c) })
	t.Run("curl data-urlencode", func(t *testing.T) { testCurl(t, c) })
	t.Run("sequential requests", func(t *testing.T) { testSequentialRequests(t, c) })
}

// relayStack starts the stack the relay's tests share: a short upstream
// timeout, a slow fault slower than it, and one extra allowed origin.
func relayStack(t *testing.T) *stack.Stack {
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
	return s
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
