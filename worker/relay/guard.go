package relay

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tokendesk"
)

// Limiter decides whether a client may ask for another token. In the Worker
// it is Cloudflare's rate-limiting binding.
type Limiter interface {
	// Allow reports whether the client identified by key may send one more
	// token request now.
	Allow(ctx context.Context, key string) (bool, error)
}

// TurnstileVerifyURL is Cloudflare's siteverify endpoint.
const TurnstileVerifyURL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"

// TurnstileField is the form field the Turnstile widget fills in.
const TurnstileField = "cf-turnstile-response"

// limit applies the rate limit; it reports whether the request may go on.
func (rl *Relay) limit(x *exchange) bool {
	if rl.Limiter == nil {
		return true
	}
	key := clientIP(x.r)
	ok, err := rl.Limiter.Allow(x.r.Context(), key)
	if err != nil {
		// A broken limiter must not lock everyone out; the upstream still
		// has its own limits.
		return true
	}
	if ok {
		return true
	}
	period := rl.RateLimitPeriod
	if period <= 0 {
		period = time.Minute
	}
	x.w.Header().Set("Retry-After", strconv.Itoa(int(period.Seconds())))
	rl.fail(x, tokendesk.NewError(http.StatusTooManyRequests, tokendesk.CodeRateLimited,
		"You have asked for several tokens in a short time. Wait a minute, then try again; your details are kept."))
	return false
}

// challenge verifies the Turnstile answer; it reports whether the request
// may go on.
func (rl *Relay) challenge(x *exchange, s settings) bool {
	if s.turnstileSecret == "" {
		return true
	}
	answer := x.values.Get(TurnstileField)
	if answer == "" || len(answer) > 2048 || !rl.verifyChallenge(x.r, s, answer) {
		rl.fail(x, tokendesk.NewError(http.StatusForbidden, tokendesk.CodeChallengeFailed,
			"The check that you are a person did not pass. Complete the check above the button again, then resend; your details are kept."))
		return false
	}
	return true
}

func (rl *Relay) verifyChallenge(r *http.Request, s settings, answer string) bool {
	form := url.Values{"secret": {s.turnstileSecret}, "response": {answer}}
	if ip := clientIP(r); ip != "" {
		form.Set("remoteip", ip)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.turnstileVerifyURL, strings.NewReader(form.Encode()))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", tokendesk.ContentTypeURLEncoded)
	resp, err := rl.transport().RoundTrip(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUpstreamBody))
	if err != nil || resp.StatusCode != http.StatusOK {
		return false
	}
	var verdict struct {
		Success bool `json:"success"`
	}
	return json.Unmarshal(body, &verdict) == nil && verdict.Success
}

// clientIP is the client's address: CF-Connecting-IP in the Worker (the
// runtime copies it into RemoteAddr), the socket's address natively.
func clientIP(r *http.Request) string {
	if ip := r.Header.Get("CF-Connecting-IP"); ip != "" {
		return ip
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}
