// Command wasm is the token desk's front end.
//
// Built for the browser (GOOS=js GOARCH=wasm) it is app.wasm, which takes
// over the prerendered form. Run natively it generates the static site:
//
//	GOOS=js GOARCH=wasm go build -tags catalogs_from_page -trimpath -ldflags="-s -w" -o dist/web/app.wasm ./wasm
//	go run ./wasm -out dist
//
// The generator lives in files built only natively (!wasm), so none of the
// server-side code reaches app.wasm.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	tokenapp "tokendesk/app"
)

func main() {
	tokenapp.Routes()
	tokenapp.LoadCatalog()
	app.RunWhenOnBrowser() // returns at once natively
	generate()             // a no-op in the browser build
}
