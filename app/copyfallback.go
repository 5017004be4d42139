package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// When the clipboard refuses (a frame without clipboard-write, a denied
// permission), nothing is left a dead button: the token's own field is
// shown and selected (state.copyDone), and a snippet's text is selected,
// so Ctrl+C (⌘C) copies it at once; the status says so.

// selectContents focuses the element id's focusable parent (a snippet's
// <pre>) and selects all of the element's text.
func selectContents(id string) {
	el := elementByID(id)
	if el == nil {
		return
	}
	el.Get("parentElement").Call("focus")
	doc := app.Window().Get("document")
	r := doc.Call("createRange")
	r.Call("selectNodeContents", el)
	sel := app.Window().Call("getSelection")
	sel.Call("removeAllRanges")
	sel.Call("addRange", r)
}
