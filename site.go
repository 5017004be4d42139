package tokendesk

import (
	"slices"
	"strings"

	"tokendesk/internal/lang"
)

// The site: every path the desk answers on, every page it serves, the
// themes of its embed, and the API's URLs. The page, the relay, the
// generator, the Worker's page rules and the emulator all refer to these.

// The relay's public paths. Each is a drop-in for the upstream path of the
// same name, so the page, the relay, the emulator and the docs' examples
// all refer to these.
const (
	// TokenPath issues a token: POST name, mail, comment.
	TokenPath = "/auth/token"
	// CheckPath checks a token: POST token. The upstream path it forwards
	// to is a Worker var (CHECK_PATH), since one version of the API docs
	// names it /token_status.
	CheckPath = "/glb_const/status"
)

// The pages besides "/", the token form, in English; lang.Lang.PagePath
// gives each in a language ("/de/embed"). The app registers them, the
// generator prerenders them, and the Worker serves them as pages.
const (
	// EmbedPath is the compact, framable layout of the token form for
	// documentation sites: the same desk with no page chrome. /embed.js
	// and the oEmbed answer both frame it; the Worker lets any origin
	// frame it (FRAME_ANCESTORS), and no other page but EmbedCheckPage.
	EmbedPath = "/embed"
	// CheckPage is the full page "Check a token".
	CheckPage = "/check"
	// EmbedCheckPage is its compact, framable layout, beside /embed.
	EmbedCheckPage = "/embed/check"
)

// The real MetaHuman SDK API: the relay's default upstream (UPSTREAM_URL)
// and what the page's copy-ready snippets call, and its documentation.
const (
	APIURL  = "https://api.metahumansdk.io"
	DocsURL = "https://docs.metahumansdk.io/"
)

// Themes for /embed?theme=. The Worker writes the theme onto <html> as
// data-theme so it applies without JavaScript, and the app does the same
// after a navigation; both read the query with Theme. Anything else is
// auto: prefers-color-scheme.
const (
	ThemeLight = "light"
	ThemeDark  = "dark"
	ThemeAuto  = "auto"
)

// Theme returns ThemeLight, ThemeDark or ThemeAuto for the value of the
// theme query parameter.
func Theme(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case ThemeLight:
		return ThemeLight
	case ThemeDark:
		return ThemeDark
	}
	return ThemeAuto
}

// Pages maps each path the Worker serves as a page to its canonical page:
// "/" and /embed in every language ("/de/", "/de/embed"), and the token
// check, whose canonical page is the desk of its layout and language:
// /de/check is /de/, /de/embed/check is /de/embed (the check is one link
// away, and its embedded layout is framable and themed like /embed). Only
// embed pages take ?theme=.
var Pages = pages()

func pages() map[string]string {
	m := map[string]string{}
	for _, l := range lang.All {
		home, embed := l.PagePath("/"), l.PagePath(EmbedPath)
		check, embedCheck := l.PagePath(CheckPage), l.PagePath(EmbedCheckPage)
		m[home], m[home+"index.html"] = home, home
		m[embed], m[embed+".html"], m[embed+"/"] = embed, embed, embed
		m[check], m[check+".html"] = home, home
		m[embedCheck], m[embedCheck+".html"] = embed, embed
	}
	return m
}

// LangEmbeds maps each value ?lang= may take on the English /embed (a
// language's tag, lower-cased) to that language's embed page: /embed?lang=de
// is /de/embed.
var LangEmbeds = langEmbeds()

func langEmbeds() map[string]string {
	m := map[string]string{}
	for _, l := range lang.All[1:] {
		m[strings.ToLower(l.Tag())] = l.PagePath(EmbedPath)
	}
	return m
}

// LangPaths are the paths of the English /embed, the one page that takes
// ?lang= (the embedded check is served as it is asked for).
var LangPaths = []string{EmbedPath, EmbedPath + ".html", EmbedPath + "/"}

// CanonicalPage maps a page's path, and its ?lang= value, to the canonical
// page it names ("/de/embed"); false when the path is no page.
func CanonicalPage(path, langParam string) (string, bool) {
	if path == "" {
		path = "/"
	}
	page, ok := Pages[path]
	if slices.Contains(LangPaths, path) {
		if embed, ok := LangEmbeds[strings.ToLower(langParam)]; ok {
			page = embed
		}
	}
	return page, ok
}
