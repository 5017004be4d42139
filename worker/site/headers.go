// Package site serves the prerendered pages through the Worker and owns
// the security headers of everything the token desk serves: pages, static
// assets (through the generated _headers file) and the relay's answers.
package site

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// TurnstileOrigin is added to the CSP only when Turnstile is on.
const TurnstileOrigin = "https://challenges.cloudflare.com"

// Policy is what the Worker vars change in the headers.
type Policy struct {
	// FrameAncestors lists who may frame /embed (FRAME_ANCESTORS): "*"
	// (the default: the host page cannot read the frame), or origins
	// separated by spaces or commas.
	FrameAncestors string
	// TurnstileSiteKey turns the Turnstile widget on (TURNSTILE_SITE_KEY).
	TurnstileSiteKey string
}

// DefaultFrameAncestors lets any site embed /embed.
const DefaultFrameAncestors = "*"

// CSP is the Content-Security-Policy for a page. embed selects /embed's
// frame-ancestors; every other page refuses to be framed.
func (p Policy) CSP(embed bool) string {
	script, frame := "'self' 'wasm-unsafe-eval'", ""
	if p.TurnstileSiteKey != "" {
		script += " " + TurnstileOrigin
		frame = "; frame-src " + TurnstileOrigin
	}
	ancestors := "'none'"
	if embed {
		ancestors = p.frameAncestors()
	}
	return "default-src 'self'; script-src " + script + "; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; " +
		"frame-ancestors " + ancestors + frame
}

func (p Policy) frameAncestors() string {
	fields := strings.FieldsFunc(p.FrameAncestors, func(r rune) bool { return r == ',' || r == ' ' })
	var kept []string
	for _, f := range fields {
		// Only * or origins: nothing that could end the directive.
		if f == "*" || (strings.Contains(f, "://") && !strings.ContainsAny(f, ";'\"")) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return DefaultFrameAncestors
	}
	return strings.Join(kept, " ")
}

// common are the headers every response carries.
var common = [][2]string{
	{"Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
}

// Set writes the security headers for a response to path.
func (p Policy) Set(h http.Header, path string) {
	for _, kv := range common {
		h.Set(kv[0], kv[1])
	}
	switch {
	case path == EmbedScript:
		// Any site may load the embed script.
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Access-Control-Allow-Origin", "*")
	case IsEmbed(path):
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Content-Security-Policy", p.CSP(true))
	default:
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", p.CSP(false))
	}
}

// EmbedScript is the path of the embed loader.
const EmbedScript = "/embed.js"

// IsEmbed reports whether path is the framable /embed page.
func IsEmbed(path string) bool {
	return path == "/embed" || path == "/embed.html" || path == "/embed/"
}

// HeadersFile is the Workers Static Assets _headers file: the same headers
// for every static file, with the default Policy (the Worker serves the
// pages themselves, so their headers follow the vars). Rules after /* only
// change what differs: Cloudflare joins a header set by two rules.
func HeadersFile() string {
	var p Policy
	base := http.Header{}
	p.Set(base, "/")
	var b strings.Builder
	b.WriteString("# Generated from worker/site by `go run ./wasm`; do not edit.\n/*\n")
	for _, name := range slices.Sorted(maps.Keys(base)) {
		b.WriteString("  " + name + ": " + base.Get(name) + "\n")
	}
	for _, path := range []string{EmbedScript, "/embed"} {
		h := http.Header{}
		p.Set(h, path)
		b.WriteString(path + "\n")
		for _, name := range slices.Sorted(maps.Keys(base)) {
			if h.Get(name) != base.Get(name) {
				b.WriteString("  ! " + name + "\n")
			}
		}
		for _, name := range slices.Sorted(maps.Keys(h)) {
			if h.Get(name) != base.Get(name) {
				b.WriteString("  " + name + ": " + h.Get(name) + "\n")
			}
		}
	}
	return b.String()
}
