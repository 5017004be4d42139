//go:build js && wasm

// The Worker. Workers Static Assets serve the static files (dist/) on their
// own; the pages and POST /auth/token reach this handler.
package main

import (
	"net/http"
	"time"

	"github.com/syumai/workers/cloudflare"

	"tokendesk/worker/jsruntime"
	"tokendesk/worker/oembed"
	"tokendesk/worker/relay"
	"tokendesk/worker/site"
)

func main() {
	jsruntime.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Vars are read per request: cloudflare.Getenv panics outside one.
		config := relay.ConfigFromEnv(cloudflare.Getenv)
		policy := site.Policy{
			FrameAncestors:   cloudflare.Getenv("FRAME_ANCESTORS"),
			TurnstileSiteKey: cloudflare.Getenv("TURNSTILE_SITE_KEY"),
		}
		// Turnstile is on only with both halves of the key pair.
		if policy.TurnstileSiteKey == "" || config.TurnstileSecret == "" {
			policy.TurnstileSiteKey, config.TurnstileSecret = "", ""
		}
		policy.Set(w.Header(), r.URL.Path)

		if r.URL.Path == oembed.Path {
			(&oembed.Handler{}).ServeHTTP(w, r)
			return
		}
		if site.IsPage(r.URL.Path) {
			(&site.Pages{Assets: jsruntime.Transport{Binding: "ASSETS"}, Policy: policy}).ServeHTTP(w, r)
			return
		}
		rl := &relay.Relay{
			Config:          config,
			Transport:       jsruntime.Transport{},
			RateLimitPeriod: 60 * time.Second, // as [[ratelimits]] in wrangler.toml
		}
		if cloudflare.Getenv("RATE_LIMIT") != "off" {
			rl.Limiter = jsruntime.RateLimiter{Binding: "TOKEN_RATE_LIMITER"}
		}
		rl.ServeHTTP(w, r)
	}))
}
