package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// Page is the full page at "/" and at each language's path ("/de/"): a
// small masthead, the desk, a footer with the language switcher, and a
// notice when a new version of the app is ready. Embedded, it is the page
// at /embed (see NewEmbed).
type Page struct {
	app.Compo

	// Embedded selects the compact layout of /embed. Exported, so a
	// client-side navigation between "/" and /embed updates it.
	Embedded bool
	// Lang is the page's language, from its route. Exported for the same
	// reason.
	Lang lang.Lang
	// Check shows "Check a token" (tokendesk.CheckPage) instead of the
	// token form.
	Check bool

	updateAvailable bool
}

// NewPage returns the page at lang's path.
func NewPage(lang lang.Lang) *Page { return &Page{Lang: lang} }

// OnInit picks /embed's ?lang= on the client, as the Worker did when it
// served the page (there is one English route for /embed; the embedded
// check takes no ?lang=, see tokendesk.LangPaths).
func (p *Page) OnInit() {
	if p.Embedded && !p.Check && p.Lang == lang.EN {
		if l, ok := lang.OfTag(queryParam("lang")); ok {
			p.Lang = l
		}
	}
}

// NewCheckPage returns the page at tokendesk.CheckPage in lang.
func NewCheckPage(lang lang.Lang) *Page { return &Page{Lang: lang, Check: true} }

// NewEmbedCheck returns the page at tokendesk.EmbedCheckPage in lang: the
// compact check, framable like /embed.
func NewEmbedCheck(lang lang.Lang) *Page {
	return &Page{Embedded: true, Check: true, Lang: lang}
}

// path is the page's path in English: "/", tokendesk.EmbedPath, tokendesk.CheckPage
// or tokendesk.EmbedCheckPage.
func (p *Page) path() string {
	switch {
	case p.Embedded && p.Check:
		return tokendesk.EmbedCheckPage
	case p.Embedded:
		return tokendesk.EmbedPath
	case p.Check:
		return tokendesk.CheckPage
	}
	return "/"
}

// title is the page's <title>.
func (p *Page) title() string {
	if p.Check {
		return p.Lang.Text(lang.KeyCheckPageTitle)
	}
	return p.Lang.Text(lang.KeyPageTitle)
}

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
	ctx.Page().SetTitle(p.title())
}

// content is the page's one job: the token form or the check.
func (p *Page) content() app.UI {
	if p.Check {
		c := NewChecker(p.Lang)
		c.Compact = p.Embedded
		return c
	}
	d := NewDesk(p.Lang)
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
	text := p.Lang.Text
	if p.Embedded {
		return app.Elem("div").Class("embed").Body(
			app.Elem("main").Body(p.content()),
			p.renderLanguages(p.path()),
		)
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
				app.Elem("span").Class("brand-name").Text(BrandName),
				app.Elem("span").Class("brand-sep").Aria("hidden", "true").Text("/"),
				app.Elem("span").Class("brand-product").Text(text(lang.KeyBrandProduct)),
			),
		),
		app.Elem("main").ID("main").Class("main").Body(
			p.content(),
		),
		app.Elem("footer").Class("foot").Body(
			app.Elem("p").Text(text(lang.KeyFooter)),
			p.renderLanguages(p.path()),
		),
		app.Elem("div").Class("toast-region").Attr("role", "status").Body(
			app.If(p.updateAvailable,
				app.Elem("button").
					ID(IDUpdate).
					Attr("type", "button").
					Class("toast").
					On("click", p.onReload).
					Text(text(lang.KeyUpdateReady)),
			),
		),
	)
}

// BrandName is the product's name, the same in every language.
const BrandName = "MetaHuman SDK"

// renderLanguages is the language switcher: plain links to page in every
// language, so it works without JavaScript. Each link carries its
// language's one-line offer, which /web/boot.js shows when the browser
// prefers that language (see IDLanguages); boot.js also makes a click on
// one a page load rather than go-app's in-app navigation, so the head
// (lang, alternates, manifest) and the catalog come with the page.
func (p *Page) renderLanguages(page string) app.UI {
	items := make([]app.UI, 0, len(lang.All))
	for _, l := range lang.All {
		a := app.Elem("a").
			Attr("href", l.PagePath(page)).
			Attr("hreflang", l.Tag()).
			Attr("lang", l.Tag()).
			DataSet("offer", l.Text(lang.KeyOfferLang)).
			Text(l.Text(lang.KeyLangName))
		if l == p.Lang {
			a = a.Aria("current", "page")
		}
		items = append(items, app.Elem("li").Body(a))
	}
	return app.Elem("nav").
		ID(IDLanguages).
		Class("langs").
		Aria("label", p.Lang.Text(lang.KeyLanguages)).
		Body(app.Elem("ul").Body(items...))
}
