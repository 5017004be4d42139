//go:build js && wasm

// The Worker: serves /auth/token with the relay; Workers Static Assets serve
// the site (dist/) before the Worker is ever called.
package main

import (
	"net/http"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"

	"tokendesk/worker/jsruntime"
	"tokendesk/worker/relay"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Vars and bindings are read per request: cloudflare.Getenv panics
		// outside one.
		rl := &relay.Relay{
			Config:          relay.ConfigFromEnv(cloudflare.Getenv),
			Transport:       jsruntime.Transport{},
			RateLimitPeriod: 60 * time.Second, // as [[ratelimits]] in wrangler.toml
		}
		if cloudflare.Getenv("RATE_LIMIT") != "off" {
			rl.Limiter = jsruntime.RateLimiter{Binding: cloudflare.GetBinding("TOKEN_RATE_LIMITER")}
		}
		rl.ServeHTTP(w, r)
	}))
}
