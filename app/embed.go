package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// NewEmbed returns the page at /embed in lang ("/de/embed"): the compact desk and nothing else,
// no masthead, no footer, no update notice. Its height is reported to the
// host page by /web/embed-frame.js, to the origin embed.js says hello from,
// which works before and without wasm;
// the token never leaves the frame. (It is a Page, not a component type of
// its own: each go-app component type costs app.wasm about 10 KB.)
func NewEmbed(lang lang.Lang) *Page { return &Page{Embedded: true, Lang: lang} }

// embedLink is path for a link between the embed's pages: it keeps the
// frame's ?theme= (light or dark; auto needs none), so the colours stay when
// the person moves from the form to the check and back. Prerendered, the
// query is unknown and the link falls back to auto.
func embedLink(path string) string {
	if theme := tokendesk.Theme(queryParam("theme")); theme != tokendesk.ThemeAuto {
		return path + "?theme=" + theme
	}
	return path
}

// queryParam reads a parameter of the page's URL; it is "" natively, where
// there is no page.
func queryParam(name string) string {
	if !app.IsClient {
		return ""
	}
	return app.Window().URL().Query().Get(name)
}

// setDocumentTheme sets data-theme on <html>, or removes it for auto.
func setDocumentTheme(theme string) {
	if !app.IsClient {
		return
	}
	root := app.Window().Get("document").Get("documentElement")
	if !isObject(root) {
		return
	}
	if theme == tokendesk.ThemeLight || theme == tokendesk.ThemeDark {
		root.Call("setAttribute", "data-theme", theme)
		return
	}
	root.Call("removeAttribute", "data-theme")
}
