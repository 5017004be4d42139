//go:build js && wasm

// The Worker's Go side: it wires the relay and the oEmbed handler to the
// bridge. Pages never reach it: worker/entry.mjs serves them from the
// static assets.
package main

import (
	"time"

	_ "tokendesk/internal/lang/translations" // the relay answers plain posts in every language
	"tokendesk/internal/stdlite"
	"tokendesk/worker/bridge"
	"tokendesk/worker/message"
	"tokendesk/worker/oembed"
	"tokendesk/worker/relay"
)

// rateLimitPeriod is the period of both [[ratelimits]] in wrangler.toml.
const rateLimitPeriod = 60 * time.Second

func main() { bridge.Serve(setup) }

func setup(getenv func(string) string, version string) (bridge.Handler, time.Duration) {
	rl := &relay.Relay{
		Config:          relay.ConfigFromEnv(getenv),
		Transport:       bridge.Transport{},
		RateLimitPeriod: rateLimitPeriod,
		Log:             func(r *message.Request, e relay.LogEntry) { bridge.Log(r, e.JSON()) },
		Version:         version,
	}
	if getenv("RATE_LIMIT") != "off" {
		rl.TokenLimiter = bridge.Limiter{Binding: "TOKEN_RATE_LIMITER"}
		rl.CheckLimiter = bridge.Limiter{Binding: "CHECK_RATE_LIMITER"}
		rl.NetworkLimiter = bridge.Limiter{Binding: "NETWORK_RATE_LIMITER"}
	}
	embeds := &oembed.Handler{}
	// The security headers are the entry's to add to every answer
	// (site.AnswerHeaders), this one's and its own 500s alike.
	serve := func(r *message.Request) *message.Answer {
		if stdlite.ParseTarget(r.URL).Path == oembed.Path {
			return embeds.Serve(r)
		}
		return rl.Serve(r)
	}
	return serve, rl.Deadline()
}
