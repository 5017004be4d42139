package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tokendesk/internal/emulator"
)

func testFaults(t *testing.T, c *relayClient) {
	emu := c.s.Emulator
	const emu5xxJSON = `{"error":{"code":503,"message":"Service temporarily unavailable"}}`
	const emu429JSON = `{"error":{"code":429,"message":"Too many requests"}}`
	cases := []struct {
		fault      emulator.Fault
		status     int
		code       string
		upstream   string // wanted error.upstream; "" means absent
		minElapsed time.Duration
		// gaveUp: the answer comes while the upstream still holds its own
		// (the emulator has not answered), so the relay did not wait for it.
		gaveUp       bool
		retryAfterOK bool
	}{
		{fault: emulator.FaultSlow, status: 504, code: "upstream_timeout",
			minElapsed: upstreamTimeout - 100*time.Millisecond, gaveUp: true},
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
			req := lastRequest(t, emu, before)
			if tc.gaveUp && req.Status != 0 {
				t.Errorf("the upstream had answered %d when the relay did, after %s: the relay waited for it", req.Status, a.elapsed)
			}
			if a.elapsed < tc.minElapsed {
				t.Errorf("answered after %s, before the %s timeout", a.elapsed, upstreamTimeout)
			}
			t.Logf("%s → %d %s in %s", tc.fault, a.resp.StatusCode, e.Error.Code, a.elapsed.Round(time.Millisecond))
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
	// mid-request". So these requests go through wrangler dev's port, as
	// make dev's do. Three rounds make the check reliable.
	t.Run("request after an oversize chunked body", func(t *testing.T) {
		c := c.throughDev()
		big := "name=Big+e2e&mail=big.e2e%40example.com&comment=" + strings.Repeat("b", 9<<10)
		broken := 0
		for round := range 3 {
			// doOnce: a 503 here is the relay's fault, not one to send again.
			a := c.doOnce(t, http.MethodPost, "/auth/token", http.Header{"Content-Type": {ctURLEncoded}}, io.MultiReader(strings.NewReader(big)))
			if lostByWrangler(a) {
				broken++ // broken by the previous oversize body
			} else if a.resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("round %d: oversize chunked body got %d %.80q, want 413", round, a.resp.StatusCode, a.body)
			}
			mail := fmt.Sprintf("after.big%d.e2e@example.com", round)
			h, body := c.formPost(url.Values{"name": {"After Big e2e"}, "mail": {mail}}, nil)
			next := c.doOnce(t, http.MethodPost, "/auth/token", h, body)
			if tok, ok := emu.TokenFor(mail); ok {
				c.sawToken(tok)
			}
			if lostByWrangler(next) {
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
