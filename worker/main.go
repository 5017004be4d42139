//go:build js && wasm

// The Worker: Workers Static Assets serve the site (dist/); every other
// request reaches this handler, above all POST /auth/token.
package main

import (
	"net/http"
	"time"

	"github.com/syumai/workers/cloudflare"

	"tokendesk/worker/jsruntime"
	"tokendesk/worker/relay"
)

func main() {
	jsruntime.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Vars are read per request: cloudflare.Getenv panics outside one.
		rl := &relay.Relay{
			Config:          relay.ConfigFromEnv(cloudflare.Getenv),
			Transport:       jsruntime.Transport{},
			RateLimitPeriod: 60 * time.Second, // as [[ratelimits]] in wrangler.toml
		}
		if cloudflare.Getenv("RATE_LIMIT") != "off" {
			rl.Limiter = jsruntime.RateLimiter{Binding: "TOKEN_RATE_LIMITER"}
		}
		rl.ServeHTTP(w, r)
	}))
}
