// Package site owns the security headers of everything the token desk
// serves, and the rules by which the Worker personalises its pages.
//
// The pages and every other file are static assets: they get their headers
// from the _headers file the generator writes with HeadersFile, so a page
// view never waits for Go. The Worker's own answers (the relay, /oembed,
// its 500s) get the same headers (AnswerHeaders), which the Worker's entry
// adds to each. The pages' body rules (the absolute oEmbed discovery link,
// hreflang and og:url, ?theme= on /embed) are applied by
// worker/site/pages.mjs from rules.gen.mjs, which TestPageRules writes.
//
// The Worker's Go imports nothing of this package: everything the Worker
// needs of it reaches it as rules.gen.mjs, so the file writing here (Apply)
// costs the Worker no os.
package site

import (
	"slices"
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/worker/message"
)

// TurnstileOrigin is added to the CSP only when Turnstile is on.
const TurnstileOrigin = "https://challenges.cloudflare.com"

// Policy is what the settings change in the headers. They are build-time
// settings: the generator writes them into _headers and the pages.
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
func (p Policy) Set(h *message.Header, path string) {
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

// IsEmbed reports whether path is a framable page: /embed and the check
// inside it, in any language ("/de/embed", "/de/embed/check":
// tokendesk.CanonicalPage maps them all to their language's /embed).
func IsEmbed(path string) bool {
	canonical, _ := tokendesk.CanonicalPage(path, "")
	_, page := lang.SplitPath(canonical)
	return page == tokendesk.EmbedPath
}

// HeadersFile is the Workers Static Assets _headers file for p: the
// headers of every static file, pages included. Rules after /* only change
// what differs: Cloudflare joins a header set by two rules.
func HeadersFile(p Policy) string {
	var base message.Header
	p.Set(&base, "/")
	var b strings.Builder
	b.WriteString("# Generated from worker/site by `go run ./wasm/prerender`; do not edit.\n/*\n")
	for _, name := range sortedNames(base) {
		b.WriteString("  " + name + ": " + base.Get(name) + "\n")
	}
	paths := []string{EmbedScript}
	for _, l := range lang.All {
		paths = append(paths, l.PagePath(tokendesk.EmbedPath), l.PagePath(tokendesk.EmbedCheckPage))
	}
	for _, path := range paths {
		var h message.Header
		p.Set(&h, path)
		b.WriteString(path + "\n")
		for _, name := range sortedNames(base) {
			if h.Get(name) != base.Get(name) {
				b.WriteString("  ! " + name + "\n")
			}
		}
		for _, name := range sortedNames(h) {
			if h.Get(name) != base.Get(name) {
				b.WriteString("  " + name + ": " + h.Get(name) + "\n")
			}
		}
	}
	return b.String()
}

func sortedNames(h message.Header) []string {
	var names []string
	for _, f := range h {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
