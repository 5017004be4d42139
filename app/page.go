package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Page is the full page at "/": a small masthead, the desk, a footer, and a
// notice when a new version of the app is ready. Embedded, it is the page
// at /embed (see NewEmbed).
type Page struct {
	app.Compo

	// Embedded selects the compact layout of /embed. Exported, so a
	// client-side navigation between "/" and /embed updates it.
	Embedded bool

	updateAvailable bool
}

// NewPage returns the page at "/".
func NewPage() *Page { return &Page{} }

// OnMount picks up an update that arrived before the page mounted.
func (p *Page) OnMount(ctx app.Context) {
	p.updateAvailable = ctx.AppUpdateAvailable()
}

// OnNav applies /embed's ?theme= to <html>, as the Worker does for the
// first load; the full page follows prefers-color-scheme.
func (p *Page) OnNav(ctx app.Context) {
	theme := ThemeAuto
	if p.Embedded {
		theme = ThemeOf(queryParam("theme"))
	}
	setDocumentTheme(theme)
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
		return app.Div().Class("embed").Body(NewDesk().Compacted())
	}
	return app.Div().Class("page").Body(
		app.Header().Class("masthead").Body(
			app.Div().Class("brand").Body(
				app.Img().
					Class("brand-mark").
					Src("/web/icon.svg").
					Alt("").
					Width(28).
					Height(28),
				app.Span().Class("brand-name").Text("MetaHuman SDK"),
				app.Span().Class("brand-sep").Aria("hidden", "true").Text("/"),
				app.Span().Class("brand-product").Text("API tokens"),
			),
		),
		app.Main().ID("main").Class("main").Body(
			NewDesk(),
		),
		app.Footer().Class("foot").Body(
			app.P().Text("This page keeps nothing. Your token exists only in this tab until you select Done or leave the page."),
		),
		app.Div().Class("toast-region").Attr("role", "status").Body(
			app.If(p.updateAvailable,
				app.Button().
					ID(IDUpdate).
					Type("button").
					Class("toast").
					OnClick(p.onReload).
					Text("A new version is available — Reload to update"),
			),
		),
	)
}
