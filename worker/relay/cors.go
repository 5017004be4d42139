package relay

import (
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/worker/message"
)

// CORS, as rs/cors does it: the actual request's origin is checked and
// named in the answer (allowOrigin), and a preflight is answered apart
// (preflight).

// corsMaxAge is how long a browser may cache a preflight answer, in seconds.
const corsMaxAge = "7200"

// allowOrigin checks a request's Origin: the page's own origin, and the
// ones ALLOWED_ORIGINS names (those get Access-Control-Allow-Origin), may
// go on; any other is answered 403 origin_forbidden, and nothing is sent
// upstream. A request without an Origin is not a browser's cross-origin
// one and goes on.
func (rl *Relay) allowOrigin(x *exchange, s settings) bool {
	r, h := x.r, &x.answer.Header
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	h.Add("Vary", "Origin")
	own := "http://" + x.url.Host
	if x.url.Scheme == "https" {
		own = "https://" + x.url.Host
	}
	if strings.EqualFold(origin, own) || sameOriginNull(r, origin) {
		return true
	}
	if !s.allowedOrigins[strings.ToLower(origin)] {
		rl.fail(x, tokendesk.NewLocalizedError(403, tokendesk.CodeOriginForbidden, lang.KeyOriginForbidden))
		return false
	}
	h.Set("Access-Control-Allow-Origin", origin)
	return true
}

// preflight answers OPTIONS: what the path allows and, to an origin
// allowOrigin let through, what it may send.
func preflight(x *exchange) {
	h := &x.answer.Header
	h.Set("Allow", "POST, OPTIONS")
	if h.Get("Access-Control-Allow-Origin") != "" {
		h.Set("Access-Control-Allow-Methods", "POST")
		h.Set("Access-Control-Allow-Headers", "Content-Type, Accept")
		h.Set("Access-Control-Max-Age", corsMaxAge)
	}
	x.answer.Status = 204
}

// sameOriginNull reports whether an opaque "null" Origin comes from our own
// page: with Referrer-Policy: no-referrer, a browser's plain form post sends
// Origin: null, and Sec-Fetch-Site (which pages cannot set) says where the
// request really came from.
func sameOriginNull(r *message.Request, origin string) bool {
	return origin == "null" && r.Header.Get("Sec-Fetch-Site") == "same-origin"
}
