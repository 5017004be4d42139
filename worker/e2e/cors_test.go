package e2e

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

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
