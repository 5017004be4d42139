// Package relay is the token relay: an http.Handler that takes the token form
// at POST /auth/token, checks it with the form contract and forwards exactly
// name, mail and comment to the MetaHuman SDK API over HTTPS.
//
// Like httputil.ReverseProxy it is one struct configured by fields, with the
// upstream transport injected, so it runs natively under httptest and, in the
// Worker, over the runtime's fetch.
package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"tokendesk"
)

// maxUpstreamBody bounds what we read of an upstream answer.
const maxUpstreamBody = 64 << 10

// corsMaxAge is how long a browser may cache a preflight answer, in seconds.
const corsMaxAge = "7200"

// Relay is the handler for /auth/token. Its zero value, given a Config, is
// ready to use.
type Relay struct {
	// Config is the Worker vars as strings. An invalid value makes every
	// /auth/token answer a 500 config_error, and nothing is sent upstream.
	Config Config

	// Transport makes the upstream call. nil means http.DefaultTransport,
	// except in js/wasm builds, where it must be set (linking the default
	// would bring the TLS stack into the Worker for nothing). Redirects are
	// never followed: RoundTrip is called directly.
	Transport http.RoundTripper

	// Log receives one entry per request. nil means the standard logger.
	// Entries never hold a body, a name, an email or a token.
	Log func(LogEntry)

	// Limiter, if set, limits token requests per client IP. Over the limit
	// the answer is 429 rate_limited with Retry-After, and nothing is sent.
	Limiter Limiter
	// RateLimitPeriod is the limiter's window, sent as Retry-After. Zero
	// means one minute.
	RateLimitPeriod time.Duration

	// Stylesheet is linked from the server-rendered HTML answers.
	Stylesheet string

	parsed atomic.Pointer[parsedConfig]
}

type parsedConfig struct {
	from     Config
	settings settings
	err      string
}

// LogEntry is what the relay logs about one request.
type LogEntry struct {
	Method         string
	Path           string
	Status         int
	UpstreamStatus int // 0 when nothing was sent upstream
	Code           string
	Duration       time.Duration
}

func (e LogEntry) String() string {
	b := make([]byte, 0, 96)
	b = append(b, e.Method...)
	b = append(b, ' ')
	b = append(b, e.Path...)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, " upstream="...)
	if e.UpstreamStatus == 0 {
		b = append(b, '-')
	} else {
		b = strconv.AppendInt(b, int64(e.UpstreamStatus), 10)
	}
	if e.Code != "" {
		b = append(b, " code="...)
		b = append(b, e.Code...)
	}
	b = append(b, " duration="...)
	b = strconv.AppendFloat(b, float64(e.Duration.Microseconds())/1000, 'f', 1, 64)
	b = append(b, "ms"...)
	return string(b)
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

// exchange is one request in flight: what is logged and how to answer.
type exchange struct {
	w              http.ResponseWriter
	r              *http.Request
	html           bool
	upstreamStatus int
	status         int
	code           string
	values         url.Values // as the client sent them, to refill the HTML form
	form           tokendesk.Form
}

func (rl *Relay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	x := &exchange{w: w, r: r, html: prefersHTML(r.Header.Get("Accept"))}
	rl.serve(x)
	entry := LogEntry{
		Method: r.Method, Path: r.URL.Path, Status: x.status,
		UpstreamStatus: x.upstreamStatus, Code: x.code, Duration: time.Since(start),
	}
	if rl.Log != nil {
		rl.Log(entry)
	} else {
		log.Print(entry.String())
	}
}

func (rl *Relay) serve(x *exchange) {
	r, h := x.r, x.w.Header()
	// Nothing the relay answers may be cached, least of all a token.
	h.Set("Cache-Control", "no-store")
	secure := isHTTPS(r)
	if secure {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload")
	} else if !IsLoopbackHost(hostname(r.Host)) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.Set("Location", "https://"+r.Host+r.URL.RequestURI())
			x.status = http.StatusPermanentRedirect
			x.w.WriteHeader(x.status)
			return
		}
		rl.fail(x, tokendesk.NewError(http.StatusForbidden, tokendesk.CodeHTTPSRequired,
			"Use https:// for this request; plain http:// is refused so your details are never sent in the clear."))
		return
	}

	if r.URL.Path != TokenPath {
		rl.fail(x, tokendesk.NewError(http.StatusNotFound, tokendesk.CodeNotFound,
			"There is nothing here. The relay answers only POST "+TokenPath+"."))
		return
	}

	s, configErr := rl.settings()
	if configErr == "" && rl.transport() == nil {
		configErr = "the relay has no upstream transport."
	}
	if configErr != "" {
		rl.fail(x, tokendesk.NewError(http.StatusInternalServerError, tokendesk.CodeConfig,
			"The token desk is misconfigured: "+configErr+" The operator must fix the Worker vars."))
		return
	}

	if origin := r.Header.Get("Origin"); origin != "" {
		h.Add("Vary", "Origin")
		own := ownOrigin(r, secure)
		if !strings.EqualFold(origin, own) && !sameOriginNull(r, origin) {
			if !s.allowedOrigins[strings.ToLower(origin)] {
				rl.fail(x, tokendesk.NewError(http.StatusForbidden, tokendesk.CodeOriginForbidden,
					"This page's origin may not request tokens here. Use the token desk's own page, or ask its operator to add your origin to ALLOWED_ORIGINS."))
				return
			}
			h.Set("Access-Control-Allow-Origin", origin)
		}
	}

	switch r.Method {
	case http.MethodPost:
	case http.MethodOptions:
		h.Set("Allow", "POST, OPTIONS")
		if h.Get("Access-Control-Allow-Origin") != "" {
			h.Set("Access-Control-Allow-Methods", "POST")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Accept")
			h.Set("Access-Control-Max-Age", corsMaxAge)
		}
		x.status = http.StatusNoContent
		x.w.WriteHeader(x.status)
		return
	default:
		h.Set("Allow", "POST, OPTIONS")
		rl.fail(x, tokendesk.NewError(http.StatusMethodNotAllowed, tokendesk.CodeMethodNotAllowed,
			"Use POST to request a token."))
		return
	}

	var ferr *tokendesk.Error
	x.values, ferr = readValues(r)
	if ferr == nil {
		x.form, ferr = tokendesk.Validate(x.values)
	}
	if ferr != nil {
		rl.fail(x, ferr)
		return
	}
	if rl.limit(x) && rl.challenge(x, s) {
		rl.relay(x, s)
	}
}

func (rl *Relay) transport() http.RoundTripper {
	if rl.Transport != nil {
		return rl.Transport
	}
	return defaultTransport
}

// readValues reads and parses the body.
func readValues(r *http.Request) (url.Values, *tokendesk.Error) {
	if r.ContentLength > tokendesk.MaxBodyBytes {
		return nil, tokendesk.BodyTooLarge()
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != tokendesk.ContentTypeURLEncoded && mediaType != tokendesk.ContentTypeMultipart {
		return nil, tokendesk.UnsupportedMediaType()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, tokendesk.MaxBodyBytes+1))
	if err != nil {
		return nil, tokendesk.NewError(http.StatusBadRequest, tokendesk.CodeBadForm,
			"The form body could not be read. Send it again.")
	}
	if len(body) > tokendesk.MaxBodyBytes {
		return nil, tokendesk.BodyTooLarge()
	}
	return tokendesk.ParseBody(r.Header.Get("Content-Type"), body)
}

// relay sends the form upstream and answers with what came back.
func (rl *Relay) relay(x *exchange, s settings) {
	ctx, cancel := context.WithTimeout(x.r.Context(), s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.tokenURL, strings.NewReader(x.form.Encode()))
	if err != nil {
		rl.fail(x, upstreamUnreachable())
		return
	}
	req.Header.Set("Content-Type", tokendesk.ContentTypeURLEncoded)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "mhsdk-token-desk/1")

	resp, err := rl.transport().RoundTrip(req)
	var body []byte
	if err == nil {
		x.upstreamStatus = resp.StatusCode
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxUpstreamBody))
		resp.Body.Close()
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
			rl.fail(x, tokendesk.NewError(http.StatusGatewayTimeout, tokendesk.CodeUpstreamTimeout,
				"The MetaHuman SDK API did not answer within "+s.timeout.String()+". Your details are kept: try again in a minute."))
			return
		}
		rl.fail(x, upstreamUnreachable())
		return
	}

	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		token, ok := parseToken(body)
		if !ok {
			rl.fail(x, upstreamBadAnswer())
			return
		}
		x.status = http.StatusOK
		if x.html {
			rl.writeHTML(x, pageToken(token, rl.stylesheet()))
			return
		}
		x.w.Header().Set("Content-Type", "application/json")
		x.w.WriteHeader(x.status)
		x.w.Write(body)
	case code >= 400 && code < 500:
		e := tokendesk.NewError(code, tokendesk.CodeUpstreamRejected, rejectedMessage(code, body))
		e.Upstream = upstreamJSON(body)
		rl.fail(x, e)
	case code >= 500 && code < 600:
		e := tokendesk.NewError(http.StatusBadGateway, tokendesk.CodeUpstreamFailed,
			"The MetaHuman SDK API is having trouble right now. Your details are kept: try again in a minute.")
		e.Upstream = upstreamJSON(body)
		rl.fail(x, e)
	default:
		rl.fail(x, upstreamBadAnswer())
	}
}

// upstreamJSON returns the upstream's body, compacted, if it is a JSON object.
func upstreamJSON(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil
	}
	var out bytes.Buffer
	if json.Compact(&out, trimmed) != nil {
		return nil
	}
	return out.Bytes()
}

// rejectedMessage turns an upstream 4xx into a sentence, quoting the
// upstream's own message when it sent one.
func rejectedMessage(code int, body []byte) string {
	var answer struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &answer)
	said := strings.TrimSpace(answer.Error.Message)
	if len(said) > 200 {
		said = said[:200] + "…"
	}
	var msg string
	switch code {
	case http.StatusTooManyRequests:
		msg = "The MetaHuman SDK API is getting too many requests. Wait a minute, then try again."
	case http.StatusUnauthorized, http.StatusForbidden:
		msg = "The MetaHuman SDK API refused to issue a token for these details. Check them, or contact MetaHuman SDK support."
	default:
		msg = "The MetaHuman SDK API refused the form. Check your details and try again."
	}
	if said != "" {
		msg += " It said: “" + said + "”"
	}
	return msg
}

func upstreamUnreachable() *tokendesk.Error {
	return tokendesk.NewError(http.StatusBadGateway, tokendesk.CodeUpstreamUnreachable,
		"The MetaHuman SDK API could not be reached. Your details are kept: try again in a minute.")
}

func upstreamBadAnswer() *tokendesk.Error {
	return tokendesk.NewError(http.StatusBadGateway, tokendesk.CodeUpstreamBadAnswer,
		"The MetaHuman SDK API sent an answer we could not read, so no token was shown. Try again in a minute.")
}

// fail answers with e, as JSON or, for a browser's plain form post, as HTML.
func (rl *Relay) fail(x *exchange, e *tokendesk.Error) {
	x.status, x.code = e.Status, e.Code
	if x.html {
		rl.writeHTML(x, pageError(e, x.values, rl.stylesheet()))
		return
	}
	h := x.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	x.w.WriteHeader(e.Status)
	x.w.Write(e.JSON())
}

func (rl *Relay) writeHTML(x *exchange, page []byte) {
	h := x.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	x.w.WriteHeader(x.status)
	x.w.Write(page)
}

func (rl *Relay) stylesheet() string {
	if rl.Stylesheet != "" {
		return rl.Stylesheet
	}
	return "/web/desk.css"
}

// sameOriginNull reports whether an opaque "null" Origin comes from our own
// page: with Referrer-Policy: no-referrer, a browser's plain form post sends
// Origin: null, and Sec-Fetch-Site (which pages cannot set) says where the
// request really came from.
func sameOriginNull(r *http.Request, origin string) bool {
	return origin == "null" && r.Header.Get("Sec-Fetch-Site") == "same-origin"
}

// isHTTPS reports whether the client reached us over https. In the Worker the
// request URL carries the client's scheme.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.URL.Scheme == "https"
}

func ownOrigin(r *http.Request, secure bool) string {
	if secure {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func hostname(hostport string) string {
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.Contains(hostport[i:], "]") {
		return hostport[:i]
	}
	return hostport
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

// acceptQ returns the quality Accept gives type/subtype, from the most
// specific matching range.
func acceptQ(accept, typ, sub string) float64 {
	best, bestSpecificity := 0.0, -1
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
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if specificity > bestSpecificity {
			best, bestSpecificity = q, specificity
		}
	}
	return best
}
