package stdlite

import (
	"encoding/binary"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	for _, tt := range []struct {
		raw           string
		want          Target
		hostname, uri string
	}{
		{"https://desk.example.com/auth/token?x=1", Target{Scheme: "https", Host: "desk.example.com", Path: "/auth/token", Query: "x=1", HasQuery: true}, "desk.example.com", "/auth/token?x=1"},
		{"HTTP://Desk.example:8787", Target{Scheme: "http", Host: "Desk.example:8787", Path: "/"}, "Desk.example", "/"},
		{"https://desk.example/?", Target{Scheme: "https", Host: "desk.example", Path: "/", HasQuery: true}, "desk.example", "/"},
		{"https://u:p@h.example/p#top", Target{Scheme: "https", Host: "h.example", Path: "/p", UserInfo: "u:p", Fragment: "top"}, "h.example", "/p"},
		{"https://h.example?q#f", Target{Scheme: "https", Host: "h.example", Path: "/", Query: "q", HasQuery: true, Fragment: "f"}, "h.example", "/?q"},
		{"http://[::1]:8787/oembed", Target{Scheme: "http", Host: "[::1]:8787", Path: "/oembed"}, "[::1]", "/oembed"},
		{"http://[::1]/", Target{Scheme: "http", Host: "[::1]", Path: "/"}, "[::1]", "/"},
		{"/embed?lang=de", Target{Path: "/embed", Query: "lang=de", HasQuery: true}, "", "/embed?lang=de"},
		{"embed", Target{Path: "embed"}, "", "embed"},
	} {
		got := ParseTarget(tt.raw)
		if got != tt.want || got.Hostname() != tt.hostname || got.RequestURI() != tt.uri {
			t.Errorf("ParseTarget(%q) = %+v (hostname %q, request URI %q); want %+v, %q, %q", tt.raw, got, got.Hostname(), got.RequestURI(), tt.want, tt.hostname, tt.uri)
		}
	}
}

// ParseURL checks what the Worker vars give (UPSTREAM_URL,
// TURNSTILE_VERIFY_URL, each origin of ALLOWED_ORIGINS) and the page URLs
// oEmbed is asked about.
func TestParseURL(t *testing.T) {
	for _, raw := range []string{
		"https://api.metahumansdk.io",
		"https://api.metahumansdk.io/",
		"http://127.0.0.1:18080",
		"http://localhost:8787/auth/token",
		"http://[::1]:8787",
		"https://docs.example.com",
		"https://challenges.cloudflare.com/turnstile/v0/siteverify",
		"HTTPS://Desk.Example/de/embed?theme=dark",
		"https://desk.example/embed?lang=de&theme=light",
		"https://desk.example/%41",
		"https://desk.example:",
		"/embed?lang=de",
		"/",
		"",
	} {
		if _, ok := ParseURL(raw); !ok {
			t.Errorf("ParseURL(%q) refused it", raw)
		}
	}
	for _, raw := range []string{
		"https://",
		"https:///path",
		"https://api.example.com/a b",
		"https://api.example.com/\x00",
		" https://api.example.com",
		"https://api.exa_mple.com",
		"https://api.example.com:80a",
		"https://api.example.com:8:8",
		"https://[::1",
		"https://a]b",
		"https://api.example.com/%zz",
		"https://api.example.com/#%zz",
		"https://u<v@api.example.com",
		"h2://api.example.com",
		"//evil.example/x",
		"javascript:alert(1)",
		"mailto:a@b.io",
		"/a:b",
	} {
		if u, ok := ParseURL(raw); ok {
			t.Errorf("ParseURL(%q) = %+v, want it refused", raw, u)
		}
	}
}

// FuzzParseURL holds ParseURL to net/url both ways: a URL it takes,
// url.Parse takes too, with the same parts; and an http or https URL that
// url.Parse takes, of a host in letters, digits, dots and dashes or an
// IPv6 literal, ParseURL takes too, unless it holds a space or a control
// character (url.Parse lets them pass in a fragment) or an empty userinfo
// ("http://@host", which a Target could not tell from none).
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"https://api.metahumansdk.io", "http://[::1]:8787/x?y#z", "https://u:p@h.io:443/a%20b?q=1", "/embed?lang=de", "https://h.io:x", "//h.io/p"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseURL(s)
		u, err := url.Parse(s)
		if ok {
			if err != nil {
				t.Fatalf("ParseURL(%q) = %+v; url.Parse: %v", s, got, err)
			}
			if !sameURL(got, u) {
				t.Fatalf("ParseURL(%q) = %+v; url.Parse: %#v", s, got, u)
			}
			return
		}
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && urlPlainHost(u) && !strings.ContainsFunc(s, spaceOrControl) && !emptyUserinfo(u) {
			t.Fatalf("ParseURL(%q) refused what url.Parse takes: %#v", s, u)
		}
	})
}

func spaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

func emptyUserinfo(u *url.URL) bool { return u.User != nil && u.User.String() == "" }

// sameURL reports whether ParseURL's t names what url.Parse's u does: the
// same scheme, host, query and, unescaped, path, fragment and userinfo
// (net/url escapes some characters ParseURL leaves as they were sent).
func sameURL(t Target, u *url.URL) bool {
	unescaped := func(s string) string {
		v, err := url.PathUnescape(s)
		if err != nil {
			return "\x00invalid"
		}
		return v
	}
	path := u.Path
	if u.Scheme != "" && path == "" {
		path = "/"
	}
	user, password, _ := strings.Cut(t.UserInfo, ":")
	wantPassword, _ := u.User.Password()
	return t.Scheme == u.Scheme && t.Host == u.Host && t.Query == u.RawQuery &&
		t.HasQuery == (u.RawQuery != "" || u.ForceQuery) && unescaped(t.Path) == path &&
		unescaped(t.Fragment) == u.Fragment && (t.UserInfo != "") == (u.User != nil) &&
		unescaped(user) == u.User.Username() && unescaped(password) == wantPassword
}

// urlPlainHost reports whether u's host is what ParseURL takes: a name of
// letters, digits, dots and dashes, or an IP address in brackets.
func urlPlainHost(u *url.URL) bool {
	if strings.HasPrefix(u.Host, "[") {
		return net.ParseIP(u.Hostname()) != nil
	}
	name := u.Hostname()
	return name != "" && strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == ""
}

// FuzzIP holds the IP parsers and FormatIPv6 to net/netip.
func FuzzIP(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "1.2.3.04", "256.1.1.1", "::1", "::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:1.2.3.4", "1::2::3", "fe80::1%en0", "12345::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := netip.ParseAddr(s)
		if got, want := IsIPv4(s), err == nil && a.Is4(); got != want {
			t.Fatalf("IsIPv4(%q) = %v; netip: %v, %v", s, got, a, err)
		}
		if got, want := IsIPv6(s), err == nil && a.Is6() && a.Zone() == ""; got != want {
			t.Fatalf("IsIPv6(%q) = %v; netip: %v, %v", s, got, a, err)
		}
		if v, ok := ParseIPv4(s); ok && v != binary.BigEndian.Uint32(a.AsSlice()) {
			t.Fatalf("ParseIPv4(%q) = %#x; netip: %v", s, v, a)
		}
		words, ok := ParseIPv6(s)
		if !ok {
			return
		}
		b := a.As16()
		for i, w := range words {
			if w != binary.BigEndian.Uint16(b[2*i:]) {
				t.Fatalf("ParseIPv6(%q) = %x; netip: %v", s, words, a)
			}
		}
		if got, want := FormatIPv6(words), a.Unmap().String(); !a.Is4In6() && got != want {
			t.Fatalf("FormatIPv6(%x) = %q; netip: %q", words, got, want)
		}
	})
}
