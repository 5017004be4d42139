//go:build js && wasm

// The Worker: serves /auth/token with the relay; Workers Static Assets serve
// the site (dist/) before the Worker is ever called.
package main

import (
	"net/http"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"

	"tokendesk/worker/jsfetch"
	"tokendesk/worker/relay"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Vars are read per request: cloudflare.Getenv panics outside one.
		rl := &relay.Relay{
			Config:    relay.ConfigFromEnv(cloudflare.Getenv),
			Transport: jsfetch.Transport{},
		}
		rl.ServeHTTP(w, r)
	}))
}
