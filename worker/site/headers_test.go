package site

import (
	"strings"
	"testing"

	"tokendesk/worker/message"
)

func TestCSP(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		embed  bool
		want   string
	}{
		{"page", Policy{}, false,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"},
		{"embed default: the desk, the docs and GitBook's embed host", Policy{}, true,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'self' https://docs.metahumansdk.io https://cdn.iframe.ly"},
		{"any site, written out", Policy{FrameAncestors: "*"}, true,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors *"},
		{"self spelled bare", Policy{FrameAncestors: "self https://docs.example.com/"}, true,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'self' https://docs.example.com"},
		{"embed listed", Policy{FrameAncestors: "https://docs.example.com, https://app.gitbook.com"}, true,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors https://docs.example.com https://app.gitbook.com"},
		{"embed var cannot inject directives", Policy{FrameAncestors: "https://a.example; script-src *"}, true,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'self' https://docs.metahumansdk.io https://cdn.iframe.ly"},
		{"turnstile on", Policy{TurnstileSiteKey: "0x4AAA"}, false,
			"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://challenges.cloudflare.com; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'; frame-src https://challenges.cloudflare.com"},
	}
	for _, tt := range tests {
		if got := tt.policy.CSP(tt.embed); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if strings.Contains(tt.policy.CSP(tt.embed), "unsafe-inline") || strings.Contains(tt.policy.CSP(tt.embed), " 'unsafe-eval'") {
			t.Errorf("%s: CSP allows unsafe code", tt.name)
		}
	}
}

func TestSetHeaders(t *testing.T) {
	for path, want := range map[string]map[string]string{
		"/":         {"Cross-Origin-Resource-Policy": "same-origin", "X-Frame-Options": "DENY", "Access-Control-Allow-Origin": ""},
		"/embed":    {"Cross-Origin-Resource-Policy": "cross-origin", "X-Frame-Options": ""},
		"/embed.js": {"Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*", "Content-Security-Policy": "", "Cache-Control": ""},
		"/v/0a1b2c3d4e5f/embed.js": {"Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*", "Content-Security-Policy": "",
			"Cache-Control": "public, max-age=31536000, immutable"},
	} {
		var h message.Header
		Policy{}.Set(&h, path)
		for name, v := range want {
			if got := h.Get(name); got != v {
				t.Errorf("%s: %s = %q, want %q", path, name, got, v)
			}
		}
		for _, name := range []string{"Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"} {
			if h.Get(name) == "" {
				t.Errorf("%s lacks %s", path, name)
			}
		}
	}
}

func TestHeadersFile(t *testing.T) {
	f := HeadersFile(Policy{})
	if strings.Count(f, "Strict-Transport-Security") != 1 {
		t.Errorf("a header set by two rules is joined by Cloudflare:\n%s", f)
	}
	for _, want := range []string{
		"/*\n", "  Content-Security-Policy: default-src 'self';", "frame-ancestors 'none'",
		"/embed.js\n  ! Content-Security-Policy\n  ! Cross-Origin-Resource-Policy\n  ! X-Frame-Options\n  Access-Control-Allow-Origin: *\n",
		"/embed\n", "frame-ancestors 'self' https://docs.metahumansdk.io https://cdn.iframe.ly",
	} {
		if !strings.Contains(f, want) {
			t.Errorf("_headers lacks %q:\n%s", want, f)
		}
	}
}

// A FRAME_ANCESTORS entry that is no source fails the build, so a typo
// cannot frame the embed for the wrong sites (or, as it once did, for any).
func TestPolicyCheck(t *testing.T) {
	for value, ok := range map[string]bool{
		"":                         true,
		"*":                        true,
		"'self' https://a.example": true,
		"self,https://a.example:8443, http://localhost:8080/": true,
		"https://a.example; script-src *":                     false,
		"docs.example.com":                                    false,
		"https://a.example/path":                              false,
		"https://":                                            false,
		"'none'":                                              false,
		"ftp://a.example":                                     false,
	} {
		if err := (Policy{FrameAncestors: value}).Check(); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok %v", value, err, ok)
		}
	}
}

func TestVersionedEmbedScript(t *testing.T) {
	js := []byte("/* embed.js */\n")
	path, integrity := VersionedEmbedScript(js)
	// printf '/* embed.js */\n' | sha256sum; … | openssl dgst -sha384 -binary | base64
	if want := "/v/d14424507cd1/embed.js"; path != want {
		t.Errorf("path %s, want %s", path, want)
	}
	if want := "sha384-Pt97i/cUpCGCfx5UkM/2QbT7YzpkIUFC0vb9Fp6hElgox8qbUmE0D0f8E2h+a5rC"; integrity != want {
		t.Errorf("integrity %s, want %s", integrity, want)
	}
	if other, _ := VersionedEmbedScript(append(js, ' ')); other == path {
		t.Errorf("two contents share the path %s", path)
	}
}
