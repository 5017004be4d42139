// Package oembed is the token desk's oEmbed 1.0 provider
// (https://oembed.com): GET /oembed?url=<page>&format=json answers a "rich"
// embed whose html is an iframe of /embed, so documentation sites that
// resolve links through oEmbed (GitBook's {% embed url="…" %}, through
// oEmbed discovery) can show the token form.
//
// Every prerendered page carries DiscoveryPlaceholder, a discovery link with
// a relative href; the Worker replaces it with DiscoveryLink for the
// request's own origin, since the generator cannot know the public host.
//
// The package uses the standard library only, so it adds little to the
// Worker.
package oembed

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tokendesk"
)

// Path is where the Worker serves the Handler.
const Path = "/oembed"

// EmbedPath is the framable page the embed's iframe shows.
const EmbedPath = "/embed"

// Defaults of the Handler's fields.
const (
	DefaultProviderName = "MetaHuman SDK"
	DefaultTitle        = "Get a MetaHuman SDK API token"
	// DefaultWidth and DefaultHeight fit the compact form at that width
	// without an inner scroll bar.
	DefaultWidth    = 480
	DefaultHeight   = 600
	DefaultCacheAge = 86400
)

// Theme returns tokendesk.ThemeLight or tokendesk.ThemeDark for the value
// of a theme query parameter, or "" for auto, which URLs leave out.
func Theme(v string) string {
	if theme := tokendesk.Theme(v); theme != tokendesk.ThemeAuto {
		return theme
	}
	return ""
}

// DiscoveryPlaceholder is the oEmbed discovery link in every prerendered
// page, exactly as the generator prints it (attributes sorted). Its href is
// relative and names "/" as the page; the Handler accepts a url without a
// host as a page of its own host, so the placeholder works as it is. The
// Worker replaces it with DiscoveryLink(origin, page URL).
const DiscoveryPlaceholder = `<link href="/oembed?format=json&amp;url=%2F" rel="alternate" title="` + DefaultTitle + `" type="application/json+oembed">`

// DiscoveryLink returns the oEmbed discovery link for a page, with an
// absolute href for origin ("https://host", no trailing slash) and the
// page's canonical absolute URL as url: "/" or "/embed" (index.html and
// embed.html name the same pages) with the theme as its only query
// parameter. pageURL may be absolute or a path with a query. The result
// replaces DiscoveryPlaceholder and has its attribute order.
func DiscoveryLink(origin, pageURL string) string {
	origin = strings.TrimRight(origin, "/")
	page := "/"
	if u, err := url.Parse(pageURL); err == nil {
		if p, ok := pagePath(u.Path); ok {
			page = p
		}
		if theme := Theme(u.Query().Get("theme")); theme != "" {
			page += "?theme=" + theme
		}
	}
	q := url.Values{"format": {"json"}, "url": {origin + page}}
	return `<link href="` + html.EscapeString(origin+Path+"?"+q.Encode()) +
		`" rel="alternate" title="` + DefaultTitle + `" type="application/json+oembed">`
}

// pagePath maps a path to the page it names, "/" or "/embed".
func pagePath(p string) (string, bool) {
	switch p {
	case "", "/", "/index.html":
		return "/", true
	case EmbedPath, EmbedPath + ".html", EmbedPath + "/":
		return EmbedPath, true
	}
	return "", false
}

// Origin is the scheme and host a request reached: the scheme from r.URL
// (the Worker's requests are absolute) or else from r.TLS, the host from
// r.Host.
func Origin(r *http.Request) string {
	scheme := r.URL.Scheme
	if scheme == "" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host
}

// IframeHTML is the embed's markup: an iframe of origin's /embed (with
// ?theme= when theme is light or dark), with the attributes embed.js gives
// its iframe: a title, clipboard-write delegated (for the Copy button),
// lazy loading, no border, the full width up to width.
func IframeHTML(origin, theme, title string, width, height int) string {
	src := strings.TrimRight(origin, "/") + EmbedPath
	if theme = Theme(theme); theme != "" {
		src += "?theme=" + theme
	}
	w, h := strconv.Itoa(width), strconv.Itoa(height)
	return `<iframe src="` + html.EscapeString(src) + `" title="` + html.EscapeString(title) +
		`" width="` + w + `" height="` + h + `" allow="clipboard-write" loading="lazy" frameborder="0"` +
		` style="border:0;width:100%;max-width:` + w + `px"></iframe>`
}

// Response is an oEmbed 1.0 response of type "rich".
type Response struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	Title        string `json:"title"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	CacheAge     int    `json:"cache_age"`
}

// Handler answers GET /oembed for the pages of its own host ("/" and
// "/embed"; a url without a host counts as one of them). Its zero value
// uses the defaults.
//
//   - missing url: 400;
//   - url of another host, or another path: 404;
//   - format other than json (xml included): 501, as the spec says;
//   - a method other than GET or HEAD: 405.
type Handler struct {
	// ProviderName is provider_name; DefaultProviderName when empty.
	ProviderName string
	// Title is title and the iframe's title; DefaultTitle when empty.
	Title string
	// Width and Height are the iframe's size before the consumer's
	// maxwidth and maxheight; DefaultWidth and DefaultHeight when zero.
	Width, Height int
	// CacheAge is cache_age in seconds, and the Cache-Control max-age;
	// DefaultCacheAge when zero.
	CacheAge int
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Use GET.", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	if format := q.Get("format"); format != "" && format != "json" {
		http.Error(w, "Only format=json is supported.", http.StatusNotImplemented)
		return
	}
	raw := q.Get("url")
	if raw == "" {
		http.Error(w, "The url parameter is required.", http.StatusBadRequest)
		return
	}
	origin := Origin(r)
	page, err := url.Parse(raw)
	if err != nil {
		http.Error(w, "No embed for this url.", http.StatusNotFound)
		return
	}
	if page.Host != "" || page.Scheme != "" {
		// Either scheme: a page fetched over http names the same desk.
		if (page.Scheme != "http" && page.Scheme != "https") || !strings.EqualFold(page.Host, hostOf(origin)) {
			http.Error(w, "No embed for this url.", http.StatusNotFound)
			return
		}
	}
	if _, ok := pagePath(page.Path); !ok {
		http.Error(w, "No embed for this url.", http.StatusNotFound)
		return
	}

	res := Response{
		Version:      "1.0",
		Type:         "rich",
		ProviderName: or(h.ProviderName, DefaultProviderName),
		ProviderURL:  origin + "/",
		Title:        or(h.Title, DefaultTitle),
		Width:        orInt(h.Width, DefaultWidth),
		Height:       orInt(h.Height, DefaultHeight),
		CacheAge:     orInt(h.CacheAge, DefaultCacheAge),
	}
	res.Width = limit(res.Width, q.Get("maxwidth"))
	res.Height = limit(res.Height, q.Get("maxheight"))
	res.HTML = IframeHTML(origin, page.Query().Get("theme"), res.Title, res.Width, res.Height)

	body, err := json.Marshal(res)
	if err != nil {
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(res.CacheAge))
	// The answer is public; consumers may fetch it from a browser.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

func hostOf(origin string) string {
	if i := strings.Index(origin, "://"); i >= 0 {
		return origin[i+3:]
	}
	return origin
}

// limit lowers v to the consumer's maximum when that is a positive integer;
// anything else is ignored.
func limit(v int, max string) int {
	if max == "" {
		return v
	}
	m, err := strconv.Atoi(max)
	if err != nil || m <= 0 {
		return v
	}
	return min(v, m)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
