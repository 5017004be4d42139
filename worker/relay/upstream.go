package relay

import (
	"bytes"
	"errors"
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/internal/stdlite"
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
	token, found := parseToken(body)
	if !found {
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

// parseToken reads the token of the API's answer, {"result": {"token"}},
// if it is one the page can show (tokendesk.ValidToken).
func parseToken(body []byte) (string, bool) {
	token, ok := stdlite.JSONString(body, "result", "token")
	return token, ok && tokendesk.ValidToken(token)
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
	if _, found := stdlite.JSONLookup(body, "result"); !found {
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
			{Name: "Content-Type", Value: stdlite.ContentTypeURLEncoded},
			{Name: "Accept", Value: "application/json"},
			{Name: "User-Agent", Value: userAgent},
		},
	}
	in, err := rl.transport().RoundTrip(x.r, out)
	switch {
	case errors.Is(err, message.ErrTimeout):
		rl.fail(x, tokendesk.NewLocalizedError(504, tokendesk.CodeUpstreamTimeout, lang.KeyUpstreamTimeout, "timeout", s.timeout.String()))
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
		e := tokendesk.NewLocalizedError(502, tokendesk.CodeUpstreamFailed, lang.KeyUpstreamFailed)
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
	if len(trimmed) == 0 || trimmed[0] != '{' || !stdlite.JSONValid(trimmed) {
		return nil
	}
	return stdlite.JSONCompact(trimmed)
}

// The API's error codes for a token check (422 {"error": {"code"}}).
const (
	checkCodeUnregistered = 0
	checkCodeAuthFailed   = 1
)

// rejected turns an upstream 4xx into an error with a sentence, quoting
// the upstream's own message when it sent one.
func rejected(x *exchange, status int, body []byte) *tokendesk.Error {
	said, _ := stdlite.JSONString(body, "error", "message")
	said = strings.TrimSpace(said)
	if len(said) > 200 {
		said = strings.ToValidUTF8(said[:200], "") + "…"
	}
	key := tokendesk.UpstreamRejectedKey(status)
	code, hasCode := stdlite.JSONInt(body, "error", "code")
	switch {
	case x.url.Path == tokendesk.CheckPath && status == 422 && hasCode && code == checkCodeUnregistered:
		return tokendesk.NewLocalizedError(status, tokendesk.CodeUpstreamRejected, lang.KeyTokenUnregistered)
	case x.url.Path == tokendesk.CheckPath && status == 422 && hasCode && code == checkCodeAuthFailed:
		return tokendesk.NewLocalizedError(status, tokendesk.CodeUpstreamRejected, lang.KeyTokenAuthFailed)
	case x.url.Path == tokendesk.CheckPath && key == lang.KeyUpstreamRejected:
		key = lang.KeyCheckRefused
	}
	return tokendesk.NewLocalizedError(status, tokendesk.CodeUpstreamRejected, key, "said", said)
}

func upstreamUnreachable() *tokendesk.Error {
	return tokendesk.NewLocalizedError(502, tokendesk.CodeUpstreamUnreachable, lang.KeyUpstreamUnreachable)
}

func upstreamBadAnswer() *tokendesk.Error {
	return tokendesk.NewLocalizedError(502, tokendesk.CodeUpstreamBadAnswer, lang.KeyUpstreamBadAnswer)
}
