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
	APIURL     = "https://api.metahumansdk.io"
	DocsOrigin = "https://docs.metahumansdk.io"
	DocsURL    = DocsOrigin + "/"
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

// pageForms are the paths of each page in English, by the canonical page
// they name: the token form's home and its embed, and the token check,
// whose canonical page is the desk of its layout (the check is one link
// away, and its embedded layout is framable and themed like /embed). In a
// language they are under its prefix: /de/check is /de/, /de/embed/check
// is /de/embed.
var pageForms = [...]struct {
	canonical string
	paths     []string
}{
	{"/", []string{"/", "/index.html", CheckPage, CheckPage + ".html"}},
	{EmbedPath, []string{EmbedPath, EmbedPath + ".html", EmbedPath + "/", EmbedCheckPage, EmbedCheckPage + ".html"}},
}

// LangPaths are the paths of the English /embed, the one page that takes
// ?lang= (the embedded check is served as it is asked for).
var LangPaths = []string{EmbedPath, EmbedPath + ".html", EmbedPath + "/"}

// CanonicalPage maps a page's path, and its ?lang= value, to the canonical
// page it names ("/de/embed"); false when the path is no page. Only embed
// pages take ?theme=. (It reads the table each time rather than keep a
// map: a map built at start would cost every wasm that links the contract
// its building.)
func CanonicalPage(path, langParam string) (string, bool) {
	if path == "" {
		path = "/"
	}
	l, english := lang.SplitPath(path)
	if l.PagePath(english) != path {
		return "", false // "/de" is no page; "/de/" is
	}
	for _, f := range pageForms {
		if !slices.Contains(f.paths, english) {
			continue
		}
		if asked, ok := lang.OfTag(langParam); ok && l == lang.EN && slices.Contains(LangPaths, path) {
			l = asked
		}
		return l.PagePath(f.canonical), true
	}
	return "", false
}

// Pages maps each path the Worker serves as a page, in every language, to
// its canonical page (CanonicalPage without ?lang=), for the Worker's page
// rules and run_worker_first.
func Pages() map[string]string {
	m := map[string]string{}
	for _, l := range lang.All {
		for _, f := range pageForms {
			for _, path := range f.paths {
				m[l.PagePath(path)] = l.PagePath(f.canonical)
			}
		}
	}
	return m
}

// LangEmbeds maps each value ?lang= may take on the English /embed (a
// language's tag, lower-cased) to that language's embed page: /embed?lang=de
// is /de/embed.
func LangEmbeds() map[string]string {
	m := map[string]string{}
	for _, l := range lang.All[1:] {
		m[strings.ToLower(l.Tag())] = l.PagePath(EmbedPath)
	}
	return m
}
