//go:build !wasm

package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// OnPreRender names the page's language, title and description in the
// prerendered head. Only the generator prerenders, so the browser's build
// leaves it out; a page of another language is always a page load (see
// renderLanguages).
func (p *Page) OnPreRender(ctx app.Context) {
	ctx.Page().SetLang(p.Lang.Tag())
	ctx.Page().SetTitle(p.title())
	ctx.Page().SetDescription(p.Lang.Text(lang.KeyPageDescription))
}
