package relay

import (
	"strconv"
	"strings"
	"time"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
	"tokendesk/worker/message"
)

// TurnstileVerifyURL is Cloudflare's siteverify endpoint.
const TurnstileVerifyURL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"

// maxVerifyTimeout bounds the siteverify call, which answers in well
// under a second, so a request's total time stays near UPSTREAM_TIMEOUT.
const maxVerifyTimeout = 3 * time.Second

// What a client over a rate limit is told, per path.
const (
	tokenLimited = lang.KeyRateLimited
	checkLimited = lang.KeyCheckRateLimited
)

// limit applies limiter to the client, then NetworkLimiter to its
// network; it reports whether the request may go on.
func (rl *Relay) limit(x *exchange, limiter Limiter, sentence lang.Key) bool {
	ip := clientIP(x.r)
	if allows(x.r, limiter, ClientKey(ip)) && allows(x.r, rl.NetworkLimiter, NetworkKey(ip)) {
		return true
	}
	period := rl.RateLimitPeriod
	if period <= 0 {
		period = 60e9
	}
	x.answer.Header.Set("Retry-After", strconv.Itoa(int(period.Seconds())))
	rl.fail(x, tokendesk.NewLocalizedError(429, tokendesk.CodeRateLimited, sentence))
	return false
}

// allows reports whether limiter (nil: none) lets key send one more request.
func allows(r *message.Request, limiter Limiter, key string) bool {
	if limiter == nil {
		return true
	}
	ok, err := limiter.Allow(r, key)
	// A broken limiter must not lock everyone out; the upstream still has
	// its own limits.
	return ok || err != nil
}

// challenge verifies the Turnstile answer; it reports whether the request
// may go on.
func (rl *Relay) challenge(x *exchange, s settings) bool {
	if s.turnstileSecret == "" {
		return true
	}
	answer := ""
	if v := x.values[tokendesk.FieldTurnstile]; len(v) == 1 {
		answer = v[0]
	}
	if answer == "" || len(answer) > tokendesk.MaxTurnstileBytes || !rl.verifyChallenge(x, s, answer) {
		rl.fail(x, tokendesk.NewLocalizedError(403, tokendesk.CodeChallengeFailed, lang.KeyChallengeFailed))
		return false
	}
	return true
}

func (rl *Relay) verifyChallenge(x *exchange, s settings, answer string) bool {
	form := "secret=" + stdlite.QueryEscape(s.turnstileSecret) + "&response=" + stdlite.QueryEscape(answer)
	if ip := clientIP(x.r); ip != "" {
		form += "&remoteip=" + stdlite.QueryEscape(ip)
	}
	out := &message.Outbound{
		Method: "POST", URL: s.turnstileVerifyURL, Body: form, Timeout: min(s.timeout, maxVerifyTimeout), MaxAnswerBytes: maxUpstreamBody,
		Header: message.Header{{Name: "Content-Type", Value: stdlite.ContentTypeURLEncoded}},
	}
	in, err := rl.transport().RoundTrip(x.r, out)
	if err != nil || in.Status != 200 {
		return false
	}
	raw, ok := stdlite.JSONLookup(in.Body, "success")
	hostname, _ := stdlite.JSONString(in.Body, "hostname")
	action, _ := stdlite.JSONString(in.Body, "action")
	hostname = strings.ToLower(hostname)
	// An answer solved on another site, or for another action, is someone
	// else's: siteverify passes it, the desk must not.
	return ok && string(raw) == "true" && action == tokendesk.TurnstileAction &&
		(hostname == strings.ToLower(x.url.Hostname()) || s.allowedHosts[hostname])
}

// clientIP is the client's address: CF-Connecting-IP in the Worker,
// the socket's address natively (http.go puts it there).
func clientIP(r *message.Request) string {
	host := r.Header.Get("CF-Connecting-IP")
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.HasSuffix(host, "]") && strings.Count(host, ":") == 1 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}
