package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// Page is the full page at "/": a small masthead, the desk, a footer, and a
// notice when a new version of the app is ready. Embedded, it is the page
// at /embed (see NewEmbed).
type Page struct {
	app.Compo

	// Embedded selects the compact layout of /embed. Exported, so a
	// client-side navigation between "/" and /embed updates it.
	Embedded bool
	// Check shows "Check a token" (tokendesk.CheckPage) instead of the
	// token form.
	Check bool

	updateAvailable bool
}

// The pages' titles. The generator writes them into the prerendered
// pages; a navigation in the app sets them.
const (
	PageTitle      = "Get a MetaHuman SDK API token"
	CheckPageTitle = "Check a MetaHuman SDK API token"
)

// NewPage returns the page at "/".
func NewPage() *Page { return &Page{} }

// NewCheckPage returns the page at tokendesk.CheckPage.
func NewCheckPage() *Page { return &Page{Check: true} }

// NewEmbedCheck returns the page at tokendesk.EmbedCheckPage: the compact
// check, framable like /embed.
func NewEmbedCheck() *Page { return &Page{Embedded: true, Check: true} }

// OnMount picks up an update that arrived before the page mounted, and
// lets links meant for a new tab open one.
func (p *Page) OnMount(ctx app.Context) {
	p.updateAvailable = ctx.AppUpdateAvailable()
	keepNewTabLinks()
}

// OnNav applies /embed's ?theme= to <html>, as the Worker does for the
// first load; the full page follows prefers-color-scheme.
func (p *Page) OnNav(ctx app.Context) {
	theme := tokendesk.ThemeAuto
	if p.Embedded {
		theme = tokendesk.Theme(queryParam("theme"))
	}
	setDocumentTheme(theme)
	if p.Check {
		ctx.Page().SetTitle(CheckPageTitle)
	} else {
		ctx.Page().SetTitle(PageTitle)
	}
}

// content is the page's one job: the token form or the check.
func (p *Page) content() app.UI {
	if p.Check {
		c := NewChecker()
		c.Compact = p.Embedded
		return c
	}
	d := NewDesk()
	d.Compact = p.Embedded
	return d
}

// OnAppUpdate shows the reload notice.
func (p *Page) OnAppUpdate(ctx app.Context) {
	p.updateAvailable = ctx.AppUpdateAvailable()
}

func (p *Page) onReload(ctx app.Context, e app.Event) {
	ctx.Reload()
}

// Render draws the page.
func (p *Page) Render() app.UI {
	if p.Embedded {
		return app.Elem("div").Class("embed").Body(p.content())
	}
	return app.Elem("div").Class("page").Body(
		app.Elem("header").Class("masthead").Body(
			app.Elem("div").Class("brand").Body(
				app.ElemSelfClosing("img").
					Class("brand-mark").
					Attr("src", "/web/icon.svg").
					Attr("alt", "").
					Attr("width", 28).
					Attr("height", 28),
				app.Elem("span").Class("brand-name").Text("MetaHuman SDK"),
				app.Elem("span").Class("brand-sep").Aria("hidden", "true").Text("/"),
				app.Elem("span").Class("brand-product").Text("API tokens"),
			),
		),
		app.Elem("main").ID("main").Class("main").Body(
			p.content(),
		),
		app.Elem("footer").Class("foot").Body(
			app.Elem("p").Text("This page keeps nothing. Your token exists only in this tab until you select Done or leave the page."),
		),
		app.Elem("div").Class("toast-region").Attr("role", "status").Body(
			app.If(p.updateAvailable,
				app.Elem("button").
					ID(IDUpdate).
					Attr("type", "button").
					Class("toast").
					On("click", p.onReload).
					Text("A new version is available — Reload to update"),
			),
		),
	)
}
