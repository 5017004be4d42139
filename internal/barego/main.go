//go:build js && wasm

// barego is the floor for a Go Worker's cold start in `make bench`: a Go
// program that links only syscall/js and strings, behind a JS entry that
// fetches the upstream (entry.mjs). It checks the form as little as a
// relay can and is never deployed.
package main

import (
	"strings"
	"syscall/js"
)

func main() {
	hooks := js.Global().Get("__bareGo")
	hooks.Set("form", js.FuncOf(func(_ js.Value, args []js.Value) any {
		body := args[0].String()
		if !strings.Contains(body, "name=") || !strings.Contains(body, "mail=") {
			return ""
		}
		return body
	}))
	hooks.Call("ready")
	select {}
}
