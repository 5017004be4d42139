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
	"errors"
	"strconv"
	"strings"

	"tokendesk"
	"tokendesk/worker/message"
)

// TurnstileOrigin is added to the CSP only when Turnstile is on.
const TurnstileOrigin = "https://challenges.cloudflare.com"

// Policy is what the settings change in the headers. They are build-time
// settings: the generator writes them into _headers and the pages.
type Policy struct {
	// FrameAncestors lists who may frame /embed (FRAME_ANCESTORS), by
	// spaces or commas: origins, 'self' (or self), or * for any site,
	// which must be written out. Empty means DefaultFrameAncestors.
	FrameAncestors string
	// TurnstileSiteKey turns the Turnstile widget on (TURNSTILE_SITE_KEY).
	TurnstileSiteKey string
}

// DefaultFrameAncestors are who may frame /embed unless FRAME_ANCESTORS
// says otherwise: the desk itself, the MetaHuman SDK docs
// (tokendesk.DocsOrigin, on GitBook), and GitBook's embed host. GitBook's
// embed block renders the HTML that Iframely returns for a URL and loads
// https://cdn.iframe.ly/embed.js (GitbookIO/gitbook,
// packages/gitbook/src/components/DocumentView/Embed.tsx); Iframely serves
// its iframe containers from cdn.iframe.ly (iframely.com/docs/iframes), and
// frame-ancestors must allow every frame between the page and /embed.
const DefaultFrameAncestors = "'self' " + tokendesk.DocsOrigin + " " + IframelyOrigin

// IframelyOrigin hosts the Iframely iframes that GitBook's embeds run in.
const IframelyOrigin = "https://cdn.iframe.ly"

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
		ancestors = strings.Join(p.frameAncestors(), " ")
	}
	return "default-src 'self'; script-src " + script + "; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; " +
		"frame-ancestors " + ancestors + frame
}

// Check reports the first entry of FrameAncestors that is neither an
// origin, 'self' nor *, so a build with a typo fails instead of framing
// the embed for the wrong sites.
func (p Policy) Check() error {
	for _, f := range ancestorFields(p.FrameAncestors) {
		if _, ok := ancestorSource(f); !ok {
			return errors.New("FRAME_ANCESTORS: " + strconv.Quote(f) + " is not an origin such as https://docs.example.com, 'self' or *")
		}
	}
	return nil
}

// frameAncestors are the sources of the frame-ancestors directive: those
// of FrameAncestors, or the default when it is empty or not valid (Check
// says why; the generator refuses to build with it).
func (p Policy) frameAncestors() []string {
	var kept []string
	for _, f := range ancestorFields(p.FrameAncestors) {
		source, ok := ancestorSource(f)
		if !ok {
			return strings.Fields(DefaultFrameAncestors)
		}
		kept = append(kept, source)
	}
	if len(kept) == 0 {
		return strings.Fields(DefaultFrameAncestors)
	}
	return kept
}

func ancestorFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// ancestorSource returns f as a frame-ancestors source: *, 'self', or an
// http(s) origin, nothing that could end the directive.
func ancestorSource(f string) (string, bool) {
	switch {
	case f == "*" || f == "'self'":
		return f, true
	case f == "self":
		return "'self'", true
	case strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "http://"):
		origin := strings.TrimSuffix(f, "/")
		if host := origin[strings.Index(origin, "://")+3:]; host == "" || strings.ContainsAny(host, ";'\"/?#\\") {
			return "", false
		}
		return origin, true
	}
	return "", false
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
	case path == EmbedScript || strings.HasPrefix(path, VersionedDir):
		// Any site may load the embed script (CORS, for its integrity check).
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Access-Control-Allow-Origin", "*")
		if path != EmbedScript {
			// A versioned path never changes.
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		}
	case IsEmbed(path):
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Content-Security-Policy", p.CSP(true))
	default:
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", p.CSP(false))
	}
}
