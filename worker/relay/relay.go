// Package relay is the token desk's relay: it takes the token form at
// POST /auth/token and the token check at POST /glb_const/status, checks
// them with the form contract and forwards exactly the contract's fields to
// the MetaHuman SDK API over HTTPS.
//
// Like httputil.ReverseProxy it is one struct configured by fields, with
// the outbound Transport injected. Its core works on the small message.Request and
// message.Answer types and imports no net/http, so the Worker's wasm stays small and
// starts fast; http.go adapts it to net/http for native tests and tools.
package relay

import (
	"strings"
	"sync/atomic"
	"time"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
	"tokendesk/worker/message"
)

// maxUpstreamBody bounds what we read of an upstream answer.
const maxUpstreamBody = 64 << 10

// defaultTransport is what a nil Transport means: net/http natively
// (http.go), none in the Worker.
var defaultTransport Transport

// Relay answers the token paths. Its zero value, given a Config, is ready
// to use natively; the Worker sets Transport and the limiters.
type Relay struct {
	// Config is the Worker vars as strings. An invalid value makes every
	// answer a 500 config_error, and nothing is sent upstream.
	Config Config

	// Transport makes the outbound calls. nil means net/http's default
	// transport natively (http.go); the Worker must set it.
	Transport Transport

	// TokenLimiter, if set, limits token requests per client, and
	// CheckLimiter token checks; a client is an IPv4 address or an IPv6
	// /64 (ClientKey). NetworkLimiter, if set, limits both together per
	// network, an IPv6 /48 (NetworkKey), more loosely. Over a limit the
	// answer is 429 rate_limited with Retry-After, and nothing is sent
	// upstream.
	TokenLimiter, CheckLimiter, NetworkLimiter Limiter
	// RateLimitPeriod is the limiters' window, sent as Retry-After. Zero
	// means one minute.
	RateLimitPeriod time.Duration

	// Log receives one entry per request. nil means no log. Entries never
	// hold a body, a name, an email or a token.
	Log func(*message.Request, LogEntry)
	// Version names the deployed version in the log (the Worker's version
	// metadata); empty when unknown.
	Version string

	parsed atomic.Pointer[parsedConfig]
}

type parsedConfig struct {
	from     Config
	settings settings
	err      string
}

// settings parses Config once, and again only if it changes.
func (rl *Relay) settings() (settings, string) {
	p := rl.parsed.Load()
	if p == nil || p.from != rl.Config {
		p = &parsedConfig{from: rl.Config}
		p.settings, p.err = rl.Config.parse()
		rl.parsed.Store(p)
	}
	return p.settings, p.err
}

// Deadline is the longest a request may take: a siteverify call, then the
// API call (UPSTREAM_TIMEOUT), and a little time between. The Worker's
// bridge gives up on a request after it.
func (rl *Relay) Deadline() time.Duration {
	s, _ := rl.settings()
	return maxVerifyTimeout + s.timeout + 2*time.Second
}

// exchange is one request in flight: what is logged and how to answer.
type exchange struct {
	r      *message.Request
	url    stdlite.Target
	answer message.Answer
	html   bool
	// lang is the posting page's (tokendesk.FieldLang), for the HTML
	// answer; English until the form is read.
	lang           lang.Lang
	upstreamStatus int
	code           string
	detail         string              // for the operator's log only (LogEntry.Detail)
	values         map[string][]string // as the client sent them, to refill an HTML form
}

// Serve answers r.
func (rl *Relay) Serve(r *message.Request) *message.Answer {
	start := time.Now()
	x := &exchange{r: r, url: stdlite.ParseTarget(r.URL), html: prefersHTML(r.Header.Get("Accept"))}
	rl.serve(x)
	if rl.Log != nil {
		rl.Log(r, LogEntry{
			Method: r.Method, Path: x.url.Path, Status: x.answer.Status,
			UpstreamStatus: x.upstreamStatus, Code: x.code, Detail: x.detail, Duration: time.Since(start),
			Colo: r.Colo, Version: rl.Version,
		})
	}
	return &x.answer
}

// serve answers x as rs/cors and the routes would: HTTPS first, then the
// path, the configuration, the origin, and the preflight apart from the
// actual request. Each step that answers itself sets the answer's status.
func (rl *Relay) serve(x *exchange) {
	// Nothing the relay answers may be cached, least of all a token.
	x.answer.Header.Set("Cache-Control", "no-store")
	if rl.requireHTTPS(x); x.answer.Status != 0 {
		return
	}
	route, ok := routes[x.url.Path]
	if !ok {
		rl.fail(x, tokendesk.NewLocalizedError(404, tokendesk.CodeNotFound, lang.KeyNotFound,
			"path", tokendesk.TokenPath, "check", tokendesk.CheckPath))
		return
	}
	s := rl.configured(x)
	if x.answer.Status != 0 || !rl.allowOrigin(x, s) {
		return
	}
	switch x.r.Method {
	case "POST":
		rl.serveForm(x, route, s)
	case "OPTIONS":
		preflight(x)
	default:
		x.answer.Header.Set("Allow", "POST, OPTIONS")
		rl.fail(x, tokendesk.NewLocalizedError(405, tokendesk.CodeMethodNotAllowed, route.usePost))
	}
}

// requireHTTPS answers a request in plain http to a public host: GET and
// HEAD are sent to https, anything else is refused.
func (rl *Relay) requireHTTPS(x *exchange) {
	r, h := x.r, &x.answer.Header
	// Security headers (HSTS, nosniff, CSP) are worker/site's, set on every
	// answer by the Worker; the relay sets only what HTTP needs of it.
	if message.PlainHTTP(x.url) {
		if r.Method == "GET" || r.Method == "HEAD" {
			h.Set("Location", message.HTTPSURL(x.url))
			x.answer.Status = 308
			return
		}
		rl.fail(x, tokendesk.NewLocalizedError(403, tokendesk.CodeHTTPSRequired, lang.KeyHTTPSRequired))
		return
	}
}

// configured returns the relay's settings, or answers 500 config_error
// when they are invalid or the relay has no way out.
func (rl *Relay) configured(x *exchange) (s settings) {
	s, configErr := rl.settings()
	if configErr == "" && rl.transport() == nil {
		configErr = "the relay has no outbound transport."
	}
	if configErr != "" {
		// The client learns only that the desk is misconfigured; what is
		// wrong (a var's name and value) is the operator's, in the log.
		x.detail = configErr
		rl.fail(x, tokendesk.NewLocalizedError(500, tokendesk.CodeConfig, lang.KeyMisconfigured))
		return
	}
	return s
}

// serveForm reads the posted form and hands it to the route.
func (rl *Relay) serveForm(x *exchange, route route, s settings) {
	var err *tokendesk.Error
	x.values, err = readValues(x.r)
	if err != nil {
		rl.fail(x, err)
		return
	}
	// For the HTML answer only; the routes forward just their fields.
	if v := x.values[tokendesk.FieldLang]; len(v) > 0 {
		x.lang, _ = lang.Parse(v[0])
	}
	route.serve(rl, x, s)
}

// route is one path the relay forwards.
type route struct {
	usePost lang.Key // the sentence for another method
	serve   func(rl *Relay, x *exchange, s settings)
}

var routes = map[string]route{
	tokendesk.TokenPath: {lang.KeyUsePost, (*Relay).serveToken},
	tokendesk.CheckPath: {lang.KeyUsePostCheck, (*Relay).serveCheck},
}

func (rl *Relay) transport() Transport {
	if rl.Transport != nil {
		return rl.Transport
	}
	return defaultTransport
}

// readValues checks the body's type and size and parses it.
func readValues(r *message.Request) (map[string][]string, *tokendesk.Error) {
	if len(r.Body) > tokendesk.MaxBodyBytes || r.BodySize > tokendesk.MaxBodyBytes {
		return nil, tokendesk.BodyTooLarge()
	}
	values, err := tokendesk.ParseBody(r.Header.Get("Content-Type"), r.Body)
	return values, err
}

// fail answers with e, as JSON or, for a browser's plain form post, as HTML.
func (rl *Relay) fail(x *exchange, e *tokendesk.Error) {
	x.answer.Status, x.code = e.Status, e.Code
	if x.html {
		rl.writeHTML(x, pageError(x, e))
		return
	}
	x.answer.Header.Set("Content-Type", "application/json")
	x.answer.Body = e.JSON()
}

func (rl *Relay) writeHTML(x *exchange, page []byte) {
	x.answer.Header.Set("Content-Type", "text/html; charset=utf-8")
	x.answer.Body = page
}

func (rl *Relay) writeJSON(x *exchange, status int, body []byte) {
	x.answer.Status = status
	x.answer.Header.Set("Content-Type", "application/json")
	x.answer.Body = body
}

// prefersHTML reports whether Accept ranks text/html above application/json,
// as a browser's plain form post does and fetch with Accept: application/json
// or curl's */* does not.
func prefersHTML(accept string) bool {
	if accept == "" {
		return false
	}
	return acceptQ(accept, "text", "html") > acceptQ(accept, "application", "json")
}

// acceptQ returns the quality Accept gives type/subtype, in thousandths,
// from the most specific matching range.
func acceptQ(accept, typ, sub string) int {
	best, bestSpecificity := 0, -1
	for _, part := range strings.Split(accept, ",") {
		mediaRange, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		t, s, _ := strings.Cut(strings.TrimSpace(mediaRange), "/")
		specificity := 0
		switch {
		case strings.EqualFold(t, typ) && strings.EqualFold(s, sub):
			specificity = 2
		case strings.EqualFold(t, typ) && s == "*":
			specificity = 1
		case t == "*" && s == "*":
		default:
			continue
		}
		q := 1000
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if n, ok := thousandths(v); ok {
					q = n
				}
			}
		}
		if specificity > bestSpecificity {
			best, bestSpecificity = q, specificity
		}
	}
	return best
}

// thousandths reads a decimal number such as a qvalue ("0.8", "1", ".5")
// in thousandths, ignoring digits past the third decimal. (strconv's float
// parser would link its tables into the Worker.)
func thousandths(v string) (int, bool) {
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" && frac == "" || len(whole) > 6 ||
		strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	n := 0
	for _, c := range whole + (frac + "000")[:3] {
		n = n*10 + int(c-'0')
	}
	return n, true
}
