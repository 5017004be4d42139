// Command prerender writes the token desk's static site: every page of the
// app in every language, prerendered with go-app and fixed where go-app's
// defaults are wrong for us, with its manifests and _headers (see
// generate).
//
//	go run ./wasm/prerender -out dist
//
// It expects dist/web/app.wasm, built from ./wasm, whose hash goes into
// the site's version.
package main

import (
	tokenapp "tokendesk/app"
	_ "tokendesk/internal/lang/translations" // the pages of every language
)

func main() {
	tokenapp.Routes()
	generate()
}
