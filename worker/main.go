//go:build js && wasm

// The Worker. Workers Static Assets serve the static files (dist/) on their
// own; the pages, /oembed and POST /auth/token reach this handler.
package main

import (
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/syumai/workers/cloudflare"

	"tokendesk/worker/jsruntime"
	"tokendesk/worker/oembed"
	"tokendesk/worker/relay"
	"tokendesk/worker/site"
)

// handlers are built from the vars on the first request (cloudflare.Getenv
// panics outside one) and kept: an isolate's vars never change, and reading
// them is a dozen JS calls.
type handlers struct {
	policy site.Policy
	relay  *relay.Relay
	pages  *site.Pages
	oembed *oembed.Handler
}

func newHandlers() *handlers {
	config := relay.ConfigFromEnv(cloudflare.Getenv)
	policy := site.Policy{
		FrameAncestors:   cloudflare.Getenv("FRAME_ANCESTORS"),
		TurnstileSiteKey: cloudflare.Getenv("TURNSTILE_SITE_KEY"),
	}
	// Turnstile is on only with both halves of the key pair.
	if policy.TurnstileSiteKey == "" || config.TurnstileSecret == "" {
		policy.TurnstileSiteKey, config.TurnstileSecret = "", ""
	}
	h := &handlers{
		policy: policy,
		relay: &relay.Relay{
			Config:          config,
			Transport:       jsruntime.Transport{},
			RateLimitPeriod: 60 * time.Second, // as [[ratelimits]] in wrangler.toml
			// println goes straight to the runtime's synchronous write;
			// os.Stdout would take a callback round trip through JS.
			Log: func(e relay.LogEntry) { println(e.String()) },
		},
		pages:  &site.Pages{Assets: jsruntime.Transport{Binding: "ASSETS"}, Policy: policy},
		oembed: &oembed.Handler{},
	}
	if cloudflare.Getenv("RATE_LIMIT") != "off" {
		h.relay.Limiter = jsruntime.RateLimiter{Binding: "TOKEN_RATE_LIMITER"}
	}
	return h
}

func main() {
	// The live heap is small and an isolate has 128 MB: collect less often,
	// since each collection runs on the request path.
	debug.SetGCPercent(400)
	get := sync.OnceValue(newHandlers)
	jsruntime.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := get()
		h.policy.Set(w.Header(), r.URL.Path)
		switch {
		case r.URL.Path == oembed.Path:
			h.oembed.ServeHTTP(w, r)
		case site.IsPage(r.URL.Path):
			h.pages.ServeHTTP(w, r)
		default:
			h.relay.ServeHTTP(w, r)
		}
	}))
}
