package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// LoadCatalog reads the catalog of the page's language that the generator
// wrote into the page (<script type="application/json" id="catalog">), when
// this build takes catalogs from the page (tokendesk.CatalogsFromPage). The
// wasm main calls it before the first render. An English page has none:
// English is compiled in.
func LoadCatalog() {
	if !app.IsClient || !tokendesk.CatalogsFromPage {
		return
	}
	el := elementByID(IDCatalog)
	if el == nil {
		return
	}
	lang, ok := tokendesk.LangOfTag(str(el.Call("getAttribute", "data-lang")))
	if !ok {
		return
	}
	list := app.Window().Get("JSON").Call("parse", el.Get("textContent"))
	n := list.Length()
	sentences := make([]string, n)
	for i := range n {
		sentences[i] = str(list.Index(i))
	}
	if err := tokendesk.SetCatalog(lang, sentences); err != nil {
		app.Log(err)
	}
}
