package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// LoadCatalog reads the catalog of the page's language that the generator
// wrote into the page (<script type="application/json" id="catalog">): the
// page's wasm compiles in English only (see package lang). The wasm main
// calls it before the first render. An English page has none.
func LoadCatalog() {
	if !app.IsClient {
		return
	}
	el := elementByID(IDCatalog)
	if el == nil {
		return
	}
	l, ok := lang.OfTag(str(el.Call("getAttribute", "data-lang")))
	if !ok {
		return
	}
	list := app.Window().Get("JSON").Call("parse", el.Get("textContent"))
	n := list.Length()
	sentences := make([]string, n)
	for i := range n {
		sentences[i] = str(list.Index(i))
	}
	if err := lang.SetCatalog(l, sentences); err != nil {
		app.Log(err)
	}
}
