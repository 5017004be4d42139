//go:build !(js && wasm)

package oembed

import (
	"cmp"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tokendesk/internal/lang"
	_ "tokendesk/internal/lang/translations"
	"tokendesk/internal/stdlite"
)

const host = "desk.example.com"

// iframeAttrs reads the attributes of the one iframe in s.
func iframeAttrs(t *testing.T, s string) map[string]string {
	t.Helper()
	m := regexp.MustCompile(`^<iframe((?:\s+[a-z-]+="[^"]*")*)></iframe>$`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("html is not one iframe: %s", s)
	}
	attrs := map[string]string{}
	for _, a := range regexp.MustCompile(`([a-z-]+)="([^"]*)"`).FindAllStringSubmatch(m[1], -1) {
		attrs[a[1]] = a[2]
	}
	return attrs
}

func TestHandler(t *testing.T) {
	page := url.QueryEscape("https://" + host + "/")
	cases := []struct {
		name    string
		handler Handler
		method  string
		target  string // path and query
		tls     bool
		// want
		status  int
		headers map[string]string
		width   int
		height  int
		src     string // the iframe's src
	}{
		{name: "page", target: "/oembed?url=" + page + "&format=json", tls: true, status: 200,
			headers: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=86400"},
			width:   DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "format defaults to json", target: "/oembed?url=" + page, tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "index.html", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/index.html"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "embed page with theme", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/embed?theme=dark&x=1#top"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed?theme=dark"},
		{name: "page with light theme", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/?theme=LIGHT"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed?theme=light"},
		{name: "auto theme is the default", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/embed?theme=auto"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "unknown theme is auto", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/embed?theme=%22%3E"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "relative url, as in the placeholder", target: "/oembed?format=json&url=%2F", tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "plain http on a public host goes to https", target: "/oembed?format=json&url=%2F", status: 308,
			headers: map[string]string{"Location": "https://" + host + "/oembed?format=json&url=%2F"}},
		{name: "http page of an https desk", target: "/oembed?format=json&url=" + url.QueryEscape("http://"+host+"/"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "maxwidth and maxheight", target: "/oembed?format=json&maxwidth=320&maxheight=400&url=" + page, tls: true, status: 200,
			width: 320, height: 400, src: "https://" + host + "/embed"},
		{name: "max above the size", target: "/oembed?format=json&maxwidth=2000&maxheight=2000&url=" + page, tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "invalid max ignored", target: "/oembed?format=json&maxwidth=-5&maxheight=abc&url=" + page, tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "configured", handler: Handler{Width: 600, Height: 700, CacheAge: 60, Title: "Tokens", ProviderName: "Acme"},
			target: "/oembed?format=json&maxheight=650&url=" + page, tls: true, status: 200,
			headers: map[string]string{"Cache-Control": "public, max-age=60"},
			width:   600, height: 650, src: "https://" + host + "/embed"},
		{name: "German page", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/de/"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/de/embed"},
		{name: "German index.html", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/de/index.html"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/de/embed"},
		{name: "Japanese embed with theme", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/ja/embed?theme=dark"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/ja/embed?theme=dark"},
		{name: "embed with ?lang=", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/embed?lang=pt-br"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/pt-BR/embed"},
		{name: "embed with an unknown ?lang=", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/embed?lang=xx"), tls: true, status: 200,
			width: DefaultWidth, height: DefaultHeight, src: "https://" + host + "/embed"},
		{name: "unknown language prefix", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/xx/"), tls: true, status: 404},
		{name: "HEAD", method: http.MethodHead, target: "/oembed?url=" + page, tls: true, status: 200,
			headers: map[string]string{"Content-Type": "application/json"}},

		{name: "xml", target: "/oembed?format=xml&url=" + page, tls: true, status: 501},
		{name: "other format", target: "/oembed?format=yaml&url=" + page, tls: true, status: 501},
		{name: "missing url", target: "/oembed?format=json", tls: true, status: 400},
		{name: "empty url", target: "/oembed?format=json&url=", tls: true, status: 400},
		{name: "other host", target: "/oembed?format=json&url=" + url.QueryEscape("https://evil.example/"), tls: true, status: 404},
		{name: "host prefix", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+".evil.example/"), tls: true, status: 404},
		{name: "userinfo", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"@evil.example/"), tls: true, status: 404},
		{name: "other path", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/auth/token"), tls: true, status: 404},
		{name: "embed script", target: "/oembed?format=json&url=" + url.QueryEscape("https://"+host+"/embed.js"), tls: true, status: 404},
		{name: "other scheme", target: "/oembed?format=json&url=" + url.QueryEscape("javascript://"+host+"/"), tls: true, status: 404},
		{name: "POST", method: http.MethodPost, target: "/oembed?format=json&url=" + page, tls: true, status: 405,
			headers: map[string]string{"Allow": "GET, HEAD"}},
		{name: "OPTIONS", method: http.MethodOptions, target: "/oembed?format=json&url=" + page, tls: true, status: 405},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tc.target, nil)
			req.Host = host
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			} else {
				req.TLS = nil
			}
			rec := httptest.NewRecorder()
			h := tc.handler
			h.ServeHTTP(rec, req)

			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			for name, want := range tc.headers {
				if got := rec.Header().Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if tc.status != 200 {
				if ct := rec.Header().Get("Content-Type"); ct == "application/json" {
					t.Errorf("an error claims to be an oEmbed answer")
				}
				return
			}
			if method == http.MethodHead {
				if rec.Body.Len() != 0 {
					t.Errorf("HEAD has a body")
				}
				return
			}
			checkResponse(t, rec.Body.Bytes(), tc.handler, tc.tls, tc.width, tc.height, tc.src)
		})
	}
}

// checkResponse checks a rich response against the oEmbed 1.0 spec
// (section 2.3.4): the required fields with their JSON types, and the html.
func checkResponse(t *testing.T, body []byte, h Handler, https bool, width, height int, src string) {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
	for field, kind := range map[string]string{
		"version": "string", "type": "string", "html": "string", "width": "number", "height": "number",
		"provider_name": "string", "provider_url": "string", "title": "string", "cache_age": "number",
	} {
		v, ok := raw[field]
		if !ok {
			t.Errorf("no %s", field)
			continue
		}
		switch v.(type) {
		case string:
			if kind != "string" {
				t.Errorf("%s is a string", field)
			}
		case float64:
			if kind != "number" {
				t.Errorf("%s is a number", field)
			}
		default:
			t.Errorf("%s is %T", field, v)
		}
	}
	var res Response
	json.Unmarshal(body, &res)
	scheme := "http"
	if https {
		scheme = "https"
	}
	if res.Version != "1.0" || res.Type != "rich" {
		t.Errorf("version %q type %q", res.Version, res.Type)
	}
	if res.ProviderURL != scheme+"://"+host+"/" {
		t.Errorf("provider_url %q", res.ProviderURL)
	}
	// The frame's language is the page's: the title is in it.
	srcURL, _ := url.Parse(src)
	l, _ := lang.SplitPath(srcURL.Path)
	if res.ProviderName != cmp.Or(h.ProviderName, DefaultProviderName) || res.Title != cmp.Or(h.Title, l.Text(lang.KeyPageTitle)) {
		t.Errorf("provider_name %q title %q", res.ProviderName, res.Title)
	}
	if res.Width != width || res.Height != height {
		t.Errorf("size %d×%d, want %d×%d", res.Width, res.Height, width, height)
	}
	if res.CacheAge != cmp.Or(h.CacheAge, DefaultCacheAge) {
		t.Errorf("cache_age %d", res.CacheAge)
	}
	a := iframeAttrs(t, res.HTML)
	for name, want := range map[string]string{
		"src": src, "title": res.Title, "allow": "clipboard-write", "loading": "lazy",
		"width": itoa(width), "height": itoa(height),
	} {
		if a[name] != want {
			t.Errorf("iframe %s=%q, want %q", name, a[name], want)
		}
	}
	if !strings.Contains(a["style"], "border:0") || !strings.Contains(a["style"], "width:100%") || !strings.Contains(a["style"], "max-width:"+itoa(width)+"px") {
		t.Errorf("iframe style %q", a["style"])
	}
	for name := range a {
		if strings.HasPrefix(name, "on") || name == "srcdoc" || name == "sandbox" {
			t.Errorf("iframe has %s", name)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTheme(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "auto": "", "light": "light", "dark": "dark", " Dark ": "dark", "LIGHT": "light", "blue": "", `"><script>`: "",
	} {
		if got := Theme(in); got != want {
			t.Errorf("Theme(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiscoveryLink(t *testing.T) {
	const origin = "https://desk.example.com"
	cases := []struct{ page, wantURL string }{
		{"https://desk.example.com/", origin + "/"},
		{"/", origin + "/"},
		{"", origin + "/"},
		{"/index.html?utm=1", origin + "/"},
		{"https://desk.example.com/embed?theme=dark", origin + "/embed?theme=dark"},
		{"/embed.html?theme=light&x=%22", origin + "/embed?theme=light"},
		{"/embed?theme=auto", origin + "/embed"},
		{"/embed?theme=%22%3E%3Cscript%3E", origin + "/embed"},
		{"/elsewhere", origin + "/"},
		{"/ru/", origin + "/ru/"},
		{"/ko/embed?theme=light", origin + "/ko/embed?theme=light"},
		{"/embed?lang=fr", origin + "/fr/embed"},
		{"/embed?lang=ZH-hans&theme=dark", origin + "/zh-Hans/embed?theme=dark"},
	}
	for _, tc := range cases {
		got := DiscoveryLink(origin+"/", tc.page)
		wantPath, _, _ := strings.Cut(strings.TrimPrefix(tc.wantURL, origin), "?")
		l, _ := lang.SplitPath(wantPath)
		tag := regexp.MustCompile(`^<link href="([^"<>]*)" rel="alternate" title="` + regexp.QuoteMeta(l.Text(lang.KeyPageTitle)) + `" type="application/json\+oembed">$`)
		m := tag.FindStringSubmatch(got)
		if m == nil {
			t.Errorf("DiscoveryLink(%q) = %s", tc.page, got)
			continue
		}
		href, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil || href.Scheme+"://"+href.Host != origin || href.Path != Path {
			t.Errorf("DiscoveryLink(%q): href %s", tc.page, m[1])
			continue
		}
		if q := href.Query(); q.Get("format") != "json" || q.Get("url") != tc.wantURL {
			t.Errorf("DiscoveryLink(%q): url=%q format=%q, want url=%q", tc.page, q.Get("url"), q.Get("format"), tc.wantURL)
		}
		if strings.Contains(m[1], "&") && strings.Count(m[1], "&") != strings.Count(m[1], "&amp;") {
			t.Errorf("DiscoveryLink(%q): & not escaped: %s", tc.page, m[1])
		}
	}
}

// TestDiscoveryPlaceholder checks that the placeholder is a working
// discovery link on its own and has DiscoveryLink's form.
func TestDiscoveryPlaceholder(t *testing.T) {
	abs := DiscoveryLink("", "/")
	// The same tag with the origin left out.
	if abs != DiscoveryPlaceholder {
		t.Errorf("placeholder %s\n and link  %s differ in form", DiscoveryPlaceholder, abs)
	}
	m := regexp.MustCompile(`href="([^"]*)"`).FindStringSubmatch(DiscoveryPlaceholder)
	req := httptest.NewRequest(http.MethodGet, strings.ReplaceAll(m[1], "&amp;", "&"), nil)
	req.Host = host
	req.TLS = &tls.ConnectionState{}
	rec := httptest.NewRecorder()
	(&Handler{}).ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("the placeholder's href answers %d: %s", rec.Code, rec.Body)
	}
	checkResponse(t, rec.Body.Bytes(), Handler{}, true, DefaultWidth, DefaultHeight, "https://"+host+"/embed")
}

func TestOrigin(t *testing.T) {
	if got := Origin(stdlite.ParseTarget("https://a.example/oembed?url=x")); got != "https://a.example" {
		t.Errorf("https: %s", got)
	}
	if got := Origin(stdlite.ParseTarget("http://b.example:8787/oembed")); got != "http://b.example:8787" {
		t.Errorf("http: %s", got)
	}
}
