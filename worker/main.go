//go:build js && wasm

// The Worker's Go side: it wires the relay and the oEmbed handler to the
// bridge. Pages never reach it: worker/entry.mjs serves them from the
// static assets.
package main

import (
	"time"

	"tokendesk/worker/bridge"
	"tokendesk/worker/message"
	"tokendesk/worker/oembed"
	"tokendesk/worker/relay"
	"tokendesk/worker/site"
)

// rateLimitPeriod is the period of both [[ratelimits]] in wrangler.toml.
const rateLimitPeriod = 60 * time.Second

func main() { bridge.Serve(setup) }

func setup(getenv func(string) string, version string) (bridge.Handler, time.Duration) {
	config := relay.ConfigFromEnv(getenv)
	// Turnstile is on only with both halves of the key pair; the site key
	// is baked into the pages at build time and passed here as a var too.
	if getenv("TURNSTILE_SITE_KEY") == "" {
		config.TurnstileSecret = ""
	}
	rl := &relay.Relay{
		Config:          config,
		Transport:       bridge.Transport{},
		RateLimitPeriod: rateLimitPeriod,
		Log:             func(r *message.Request, e relay.LogEntry) { bridge.Log(r, e.JSON()) },
		Version:         version,
	}
	if getenv("RATE_LIMIT") != "off" {
		rl.TokenLimiter = bridge.Limiter{Binding: "TOKEN_RATE_LIMITER"}
		rl.CheckLimiter = bridge.Limiter{Binding: "CHECK_RATE_LIMITER"}
	}
	embeds := &oembed.Handler{}
	// The Worker's own answers carry the same security headers as the
	// static files; the build-time parts (frame-ancestors, Turnstile) only
	// matter for pages, which the Worker does not serve.
	var policy site.Policy
	serve := func(r *message.Request) *message.Answer {
		path := message.ParseTarget(r.URL).Path
		var a *message.Answer
		if path == oembed.Path {
			a = embeds.Serve(r)
		} else {
			a = rl.Serve(r)
		}
		policy.Set(&a.Header, path)
		return a
	}
	return serve, rl.Deadline()
}
