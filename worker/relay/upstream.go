package relay

import (
	"bytes"
	"errors"
	"strings"

	"tokendesk"
	"tokendesk/worker/message"
)

// userAgent names the relay to the API.
const userAgent = "mhsdk-token-desk/1"

// serveToken relays a token request: POST name, mail, comment.
func (rl *Relay) serveToken(x *exchange, s settings) {
	form, err := tokendesk.Validate(x.values)
	if err != nil {
		rl.fail(x, err)
		return
	}
	if !rl.limit(x, rl.TokenLimiter, tokenLimited) || !rl.challenge(x, s) {
		return
	}
	status, body, ok := rl.call(x, s, s.tokenURL, form.Encode())
	if !ok {
		return
	}
	if status != 200 {
		rl.failUpstream(x, status, body)
		return
	}
	token, ok := tokenFrom(body)
	if !ok {
		rl.fail(x, upstreamBadAnswer())
		return
	}
	if x.html {
		x.answer.Status = 200
		rl.writeHTML(x, pageToken(x, token))
		return
	}
	rl.writeJSON(x, 200, body)
}

// tokenFrom reads the token of the API's answer, {"result": {"token"}}: it
// reports false unless the token is one the desk may show (a UUID).
func tokenFrom(body []byte) (string, bool) {
	token, found := jsonString(body, "result", "token")
	return token, found && tokendesk.ValidToken(token)
}

// serveCheck relays a token check: POST token.
func (rl *Relay) serveCheck(x *exchange, s settings) {
	token, err := tokendesk.ValidateCheck(x.values)
	if err != nil {
		rl.fail(x, err)
		return
	}
	if !rl.limit(x, rl.CheckLimiter, checkLimited) {
		return
	}
	status, body, ok := rl.call(x, s, s.checkURL, tokendesk.CheckForm(token))
	if !ok {
		return
	}
	if status != 200 {
		rl.failUpstream(x, status, body)
		return
	}
	if _, found := jsonLookup(body, "result"); !found {
		rl.fail(x, upstreamBadAnswer())
		return
	}
	if x.html {
		x.answer.Status = 200
		rl.writeHTML(x, pageChecked(x))
		return
	}
	rl.writeJSON(x, 200, body)
}

// call POSTs form to url and returns the answer's status and body. On a
// transport failure it answers the client itself and reports false.
func (rl *Relay) call(x *exchange, s settings, url, form string) (int, []byte, bool) {
	out := &message.Outbound{
		Method: "POST", URL: url, Body: form, Timeout: s.timeout, MaxAnswerBytes: maxUpstreamBody,
		Header: message.Header{
			{Name: "Content-Type", Value: tokendesk.ContentTypeURLEncoded},
			{Name: "Accept", Value: "application/json"},
			{Name: "User-Agent", Value: userAgent},
		},
	}
	in, err := rl.transport().RoundTrip(x.r, out)
	switch {
	case errors.Is(err, message.ErrTimeout):
		rl.fail(x, tokendesk.NewLocalizedError(504, tokendesk.CodeUpstreamTimeout, tokendesk.KeyUpstreamTimeout, "timeout", s.timeout.String()))
		return 0, nil, false
	case err != nil:
		rl.fail(x, upstreamUnreachable())
		return 0, nil, false
	}
	x.upstreamStatus = in.Status
	body := in.Body
	if len(body) > maxUpstreamBody { // a Transport that read more than asked
		body = body[:maxUpstreamBody]
	}
	return in.Status, body, true
}

// failUpstream answers an upstream status other than 200.
func (rl *Relay) failUpstream(x *exchange, status int, body []byte) {
	switch {
	case status >= 400 && status < 500:
		e := rejected(x, status, body)
		e.Upstream = upstreamJSON(body)
		rl.fail(x, e)
	case status >= 500 && status < 600:
		e := tokendesk.NewLocalizedError(502, tokendesk.CodeUpstreamFailed, tokendesk.KeyUpstreamFailed)
		e.Upstream = upstreamJSON(body)
		rl.fail(x, e)
	default:
		rl.fail(x, upstreamBadAnswer())
	}
}

// upstreamJSON returns the upstream's body, compacted, if it is a JSON
// object.
func upstreamJSON(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || !jsonValid(trimmed) {
		return nil
	}
	return jsonCompact(trimmed)
}

// The API's error codes for a token check (422 {"error": {"code"}}).
const (
	checkCodeUnregistered = 0
	checkCodeAuthFailed   = 1
)

// rejected turns an upstream 4xx into an error with a sentence, quoting
// the upstream's own message when it sent one.
func rejected(x *exchange, status int, body []byte) *tokendesk.Error {
	said, _ := jsonString(body, "error", "message")
	said = strings.TrimSpace(said)
	if len(said) > 200 {
		said = strings.ToValidUTF8(said[:200], "") + "…"
	}
	key := tokendesk.UpstreamRejectedKey(status)
	code, hasCode := jsonInt(body, "error", "code")
	switch {
	case x.url.Path == tokendesk.CheckPath && status == 422 && hasCode && code == checkCodeUnregistered:
		return tokendesk.NewLocalizedError(status, tokendesk.CodeUpstreamRejected, tokendesk.KeyTokenUnregistered)
	case x.url.Path == tokendesk.CheckPath && status == 422 && hasCode && code == checkCodeAuthFailed:
		return tokendesk.NewLocalizedError(status, tokendesk.CodeUpstreamRejected, tokendesk.KeyTokenAuthFailed)
	case x.url.Path == tokendesk.CheckPath && key == tokendesk.KeyUpstreamRejected:
		key = tokendesk.KeyCheckRefused
	}
	return tokendesk.NewLocalizedError(status, tokendesk.CodeUpstreamRejected, key, "said", said)
}

func upstreamUnreachable() *tokendesk.Error {
	return tokendesk.NewLocalizedError(502, tokendesk.CodeUpstreamUnreachable, tokendesk.KeyUpstreamUnreachable)
}

func upstreamBadAnswer() *tokendesk.Error {
	return tokendesk.NewLocalizedError(502, tokendesk.CodeUpstreamBadAnswer, tokendesk.KeyUpstreamBadAnswer)
}
