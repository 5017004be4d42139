// Command wasm is the token desk's front end: built for the browser
// (GOOS=js GOARCH=wasm), it is app.wasm, which takes over the prerendered
// form.
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/web/app.wasm ./wasm
//
// The site it takes over is prerendered by ./wasm/prerender, a native
// program of its own, so none of the generator's code reaches app.wasm.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	tokenapp "tokendesk/app"
)

func main() {
	tokenapp.Routes()
	tokenapp.LoadCatalog()
	app.RunWhenOnBrowser() // returns at once natively
}
