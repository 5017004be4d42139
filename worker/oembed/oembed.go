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
// It works on the Worker's message types and writes its JSON by hand, so it
// adds little to the Worker.
package oembed

import (
	"cmp"
	"html"
	"strconv"
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
	"tokendesk/worker/message"
)

// Path is where the Worker serves the Handler.
const Path = "/oembed"

// Defaults of the Handler's fields. The title's is the page's title in the
// language of the page (lang.KeyPageTitle).
const (
	DefaultProviderName = "MetaHuman SDK"
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
// Worker replaces it with DiscoveryLink(origin, page URL), titled in the
// page's language.
var DiscoveryPlaceholder = `<link href="/oembed?format=json&amp;url=%2F" rel="alternate" title="` +
	html.EscapeString(lang.EN.Text(lang.KeyPageTitle)) + `" type="application/json+oembed">`

// DiscoveryLink returns the oEmbed discovery link for a page, with an
// absolute href for origin ("https://host", no trailing slash) and the
// page's canonical absolute URL as url: "/" or "/embed" in the page's
// language ("/de/embed"; index.html and embed.html name the same pages,
// /embed?lang=de is /de/embed) with the theme as its only query
// parameter. pageURL may be absolute or a path with a query. The result
// replaces DiscoveryPlaceholder and has its attribute order.
func DiscoveryLink(origin, pageURL string) string {
	origin = strings.TrimRight(origin, "/")
	page := "/"
	if u, ok := stdlite.ParseURL(pageURL); ok {
		q, _ := stdlite.ParseQuery(u.Query)
		if p, ok := tokendesk.CanonicalPage(u.Path, tokendesk.First(q, "lang")); ok {
			page = p
		}
		if theme := Theme(tokendesk.First(q, "theme")); theme != "" {
			page += "?theme=" + theme
		}
	}
	return FillDiscovery(DiscoveryTemplate(page), origin)
}

// Markers in a DiscoveryTemplate. OriginMarker also starts the absolute
// URLs of the prerendered pages (og:url, the hreflang alternates), which
// the Worker's page handler fills in likewise.
const (
	OriginMarker      = "{origin}"   // the origin, HTML-escaped
	OriginQueryMarker = "{origin_q}" // the origin, query-escaped, then HTML-escaped
)

// DiscoveryTemplate is the discovery link of a canonical page ("/",
// "/embed", "/de/embed?theme=dark") with markers where the origin goes,
// titled in the page's language. The Worker's page handler
// (worker/site/pages.mjs) fills them in per request, as FillDiscovery does.
func DiscoveryTemplate(page string) string {
	path, _, _ := strings.Cut(page, "?")
	l, _ := lang.SplitPath(path)
	return `<link href="` + OriginMarker + Path + `?format=json&amp;url=` + OriginQueryMarker +
		html.EscapeString(stdlite.QueryEscape(page)) + `" rel="alternate" title="` +
		html.EscapeString(l.Text(lang.KeyPageTitle)) + `" type="application/json+oembed">`
}

// FillDiscovery puts origin into a DiscoveryTemplate.
func FillDiscovery(template, origin string) string {
	template = strings.Replace(template, OriginMarker, html.EscapeString(origin), 1)
	return strings.Replace(template, OriginQueryMarker, html.EscapeString(stdlite.QueryEscape(origin)), 1)
}

// Origin is the scheme and host a request reached.
func Origin(t stdlite.Target) string {
	scheme := t.Scheme
	if scheme == "" {
		scheme = "http"
	}
	return scheme + "://" + t.Host
}

// IframeHTML is the embed's markup: an iframe of origin's /embed in lang
// (with ?theme= when theme is light or dark), with the attributes embed.js
// gives its iframe: a title, clipboard-write delegated (for the Copy
// button), lazy loading, no border, the full width up to width.
func IframeHTML(origin string, lang lang.Lang, theme, title string, width, height int) string {
	src := strings.TrimRight(origin, "/") + lang.PagePath(tokendesk.EmbedPath)
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
// "/embed", in every language; a url without a host counts as one of
// them), with an iframe of /embed in the page's language. Its zero value
// uses the defaults.
//
//   - missing url: 400;
//   - url of another host, or another path: 404;
//   - format other than json (xml included): 501, as the spec says;
//   - a method other than GET or HEAD: 405.
type Handler struct {
	// ProviderName is provider_name; DefaultProviderName when empty.
	ProviderName string
	// Title is title and the iframe's title; the page's title in its
	// language when empty.
	Title string
	// Width and Height are the iframe's size before the consumer's
	// maxwidth and maxheight; DefaultWidth and DefaultHeight when zero.
	Width, Height int
	// CacheAge is cache_age in seconds, and the Cache-Control max-age;
	// DefaultCacheAge when zero.
	CacheAge int
}

// Serve answers r.
func (h *Handler) Serve(r *message.Request) *message.Answer {
	a := &message.Answer{}
	if r.Method != "GET" && r.Method != "HEAD" {
		a.Header.Set("Allow", "GET, HEAD")
		return plain(a, 405, "Use GET.")
	}
	target := stdlite.ParseTarget(r.URL)
	if message.PlainHTTP(target) {
		a.Header.Set("Location", message.HTTPSURL(target))
		a.Status = 308
		return a
	}
	q, _ := stdlite.ParseQuery(target.Query)
	if format := tokendesk.First(q, "format"); format != "" && format != "json" {
		return plain(a, 501, "Only format=json is supported.")
	}
	raw := tokendesk.First(q, "url")
	if raw == "" {
		return plain(a, 400, "The url parameter is required.")
	}
	origin := Origin(target)
	canonical, pageQuery, ok := deskPage(raw, target.Host)
	if !ok {
		return plain(a, 404, "No embed for this url.")
	}
	l, _ := lang.SplitPath(canonical)

	res := Response{
		Version:      "1.0",
		Type:         "rich",
		ProviderName: cmp.Or(h.ProviderName, DefaultProviderName),
		ProviderURL:  origin + "/",
		Title:        cmp.Or(h.Title, l.Text(lang.KeyPageTitle)),
		Width:        cmp.Or(h.Width, DefaultWidth),
		Height:       cmp.Or(h.Height, DefaultHeight),
		CacheAge:     cmp.Or(h.CacheAge, DefaultCacheAge),
	}
	res.Width = limit(res.Width, tokendesk.First(q, "maxwidth"))
	res.Height = limit(res.Height, tokendesk.First(q, "maxheight"))
	res.HTML = IframeHTML(origin, l, tokendesk.First(pageQuery, "theme"), res.Title, res.Width, res.Height)

	body := res.JSON()
	a.Status = 200
	a.Header.Set("Content-Type", "application/json")
	a.Header.Set("Cache-Control", "public, max-age="+strconv.Itoa(res.CacheAge))
	// The answer is public; consumers may fetch it from a browser.
	a.Header.Set("Access-Control-Allow-Origin", "*")
	a.Header.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != "HEAD" {
		a.Body = body
	}
	return a
}

// deskPage resolves raw, the url an oEmbed consumer asks about, to the
// desk's canonical page and the page's query, if it names one of the desk's
// pages on host (or is a path).
func deskPage(raw, host string) (canonical string, query map[string][]string, ok bool) {
	page, ok := stdlite.ParseURL(raw)
	if !ok {
		return "", nil, false
	}
	if page.Host != "" || page.Scheme != "" {
		// Either scheme: a page fetched over http names the same desk.
		if (page.Scheme != "http" && page.Scheme != "https") || !strings.EqualFold(page.Host, host) {
			return "", nil, false
		}
	}
	query, _ = stdlite.ParseQuery(page.Query)
	canonical, ok = tokendesk.CanonicalPage(page.Path, tokendesk.First(query, "lang"))
	return canonical, query, ok
}

// JSON is the response's body. It is written by hand, as the relay's are:
// encoding/json would add its reflection to the Worker.
func (res Response) JSON() []byte {
	b := []byte(`{"version":`)
	b = stdlite.AppendJSONString(b, res.Version)
	for _, f := range [][2]string{{"type", res.Type}, {"provider_name", res.ProviderName}, {"provider_url", res.ProviderURL}, {"title", res.Title}, {"html", res.HTML}} {
		b = append(b, `,"`+f[0]+`":`...)
		b = stdlite.AppendJSONString(b, f[1])
	}
	b = append(b, `,"width":`...)
	b = strconv.AppendInt(b, int64(res.Width), 10)
	b = append(b, `,"height":`...)
	b = strconv.AppendInt(b, int64(res.Height), 10)
	b = append(b, `,"cache_age":`...)
	b = strconv.AppendInt(b, int64(res.CacheAge), 10)
	return append(b, '}')
}

func plain(a *message.Answer, status int, text string) *message.Answer {
	a.Status = status
	a.Header.Set("Content-Type", "text/plain; charset=utf-8")
	a.Header.Set("X-Content-Type-Options", "nosniff")
	a.Body = []byte(text + "\n")
	return a
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
