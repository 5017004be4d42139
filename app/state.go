package app

import (
	"net/url"
	"strconv"

	"tokendesk"
)

// Phase is where the desk is in its one-way flow: a person edits the form,
// sends it, and sees the token once.
type Phase int

// The phases of the desk.
const (
	Editing Phase = iota
	Sending
	Revealed
)

// Answer is what the relay answered, reduced to the plain values the desk
// needs. The browser code builds it from the JSON body; tests build it by
// hand.
type Answer struct {
	// Status is the HTTP status.
	Status int
	// Token is result.token on success.
	Token string
	// Code, Message and Field are the error's, when the relay sent one.
	Code    string
	Message string
	Field   string
}

// Failure says why a request got no answer at all.
type Failure int

// The ways a request can fail before any answer arrives.
const (
	// Offline: the browser says it has no network.
	Offline Failure = iota + 1
	// Unreachable: the request failed on the way (DNS, TLS, reset…).
	Unreachable
	// TimedOut: nothing came back in time.
	TimedOut
	// Unreadable: an answer came back but it was not the relay's JSON.
	Unreadable
)

// Sentences the desk shows. They are plain language a person can act on and
// never a bare status code.
const (
	msgOffline     = "You are offline. Connect to the internet, then select Create token again. What you typed is kept."
	msgUnreachable = "Could not reach the token service. Check your connection and try again. What you typed is kept."
	msgTimedOut    = "The token service took too long to answer. Try again in a minute. What you typed is kept."
	msgUnreadable  = "The token service sent an answer this page cannot read. Try again in a minute."
	msgNoToken     = "The token service answered without a usable token. Try again in a minute."
	msgRateLimited = "Too many requests from your network. Wait a minute, then try again."
	msgServer      = "The token service is having trouble. Try again in a minute."
	msgGeneric     = "Something went wrong and no token was created. Try again in a minute."
	// The relay sends its own sentence with challenge_failed; this is
	// for an answer without one.
	msgChallenge        = "The check that you are a person did not pass. Complete the check above the button again, then resend; your details are kept."
	msgChallengePending = "Complete the check above the button, then select Create token again. Your details are kept."

	msgSending = "Creating your token…"

	msgCopied       = "Copied. Paste the token into your password manager or secret store now."
	msgCopiedByHand = "Copied. Paste the token into your password manager or secret store now."
	msgCopyFailed   = "Your browser blocked copying. The token is selected: press Ctrl+C (⌘C on a Mac) to copy it."
)

// state is the desk's logic, free of any browser or go-app type so that plain
// Go tests can drive it. The Desk component owns one and renders it.
type state struct {
	phase Phase

	// values are the live field values, by field name.
	values map[string]string
	// errors are the messages shown under fields, by field name.
	errors map[string]string
	// formError is the message about the whole request.
	formError string
	// status is announced by the polite live region under the form.
	status string

	// token is the revealed token. It lives only here and in the token
	// input, and Done wipes both.
	token      string
	hidden     bool
	copied     bool
	copyFailed bool
	copyStatus string

	// checkNow is the reveal's check of the token ("Check it now").
	checkNow checkRun
	// snippetCopied is the id of the snippet last copied, "" before;
	// snippetStatus says how copying a snippet went.
	snippetCopied     string
	snippetCopyFailed bool
	snippetStatus     string

	// focus is the id of the element to focus after the next render.
	focus string
}

func newState() state {
	return state{
		values: make(map[string]string, len(tokendesk.Fields)),
		errors: make(map[string]string, len(tokendesk.Fields)),
	}
}

func (s *state) value(field string) string { return s.values[field] }

func (s *state) fieldError(field string) string { return s.errors[field] }

// setValue records what the person typed. An error already shown for the
// field is re-checked as they type, so it disappears once fixed; a new error
// waits for blur or submit.
func (s *state) setValue(field, v string) {
	s.values[field] = v
	if s.errors[field] != "" {
		s.check(field)
	}
}

// blur checks a field the person leaves. An empty field is left alone: being
// told "required" while tabbing through a form is noise; submit catches it.
func (s *state) blur(field string) {
	if s.values[field] == "" {
		if e := tokendesk.ValidateField(field, ""); e == nil || e.Code == tokendesk.CodeFieldRequired {
			delete(s.errors, field)
		}
		return
	}
	s.check(field)
}

func (s *state) check(field string) {
	if err := tokendesk.ValidateField(field, s.values[field]); err != nil {
		s.errors[field] = err.Message
		return
	}
	delete(s.errors, field)
}

// submit validates every field and, when the form is valid, moves to
// Sending and returns the urlencoded body to post. It refuses while a
// request is already under way, so the form cannot be sent twice.
func (s *state) submit() (body string, ok bool) {
	return s.submitWith(challenge{})
}

// challenge is the Turnstile check as submit sees it.
type challenge struct {
	// on: the page shows the widget, so the relay wants its answer.
	on bool
	// answer is the widget's answer, "" until the check has passed.
	answer string
}

// ChallengeField is the form field that carries the Turnstile answer, as
// the relay reads it (relay.TurnstileField).
const ChallengeField = "cf-turnstile-response"

// maxChallengeBytes bounds the answer sent; the relay refuses longer ones.
const maxChallengeBytes = 2048

// submitWith is submit with the Turnstile check: when it is on, a valid
// form waits for the widget's answer, which goes into the body.
func (s *state) submitWith(c challenge) (body string, ok bool) {
	if s.phase != Editing {
		return "", false
	}
	s.formError = ""
	values := url.Values{}
	first := ""
	for _, field := range tokendesk.Fields {
		values.Set(field, s.values[field])
		s.check(field)
		if s.errors[field] != "" && first == "" {
			first = field
		}
	}
	if first != "" {
		s.focus = first
		s.status = fieldCountSentence(len(s.errors))
		return "", false
	}
	form, err := tokendesk.Validate(values)
	if err != nil {
		// ValidateField passed every field, so this is unexpected; still
		// show it rather than send.
		s.showError(Answer{Code: err.Code, Message: err.Message, Field: err.Field})
		return "", false
	}
	if c.on && (c.answer == "" || len(c.answer) > maxChallengeBytes) {
		s.setFormError(msgChallengePending)
		return "", false
	}
	s.phase = Sending
	s.status = msgSending
	return requestBody(form.Encode(), c.answer), true
}

// requestBody adds the Turnstile answer, if any, to the encoded form.
func requestBody(form, answer string) string {
	if answer == "" {
		return form
	}
	if form != "" {
		form += "&"
	}
	return form + ChallengeField + "=" + url.QueryEscape(answer)
}

func fieldCountSentence(n int) string {
	if n == 1 {
		return "1 field needs your attention."
	}
	return strconv.Itoa(n) + " fields need your attention."
}

// receive handles the relay's answer.
func (s *state) receive(a Answer) {
	if s.phase != Sending {
		return
	}
	s.phase = Editing
	s.status = ""
	if a.Status == 200 {
		if !tokendesk.ValidToken(a.Token) {
			s.setFormError(msgNoToken)
			return
		}
		s.reveal(a.Token)
		return
	}
	s.showError(a)
}

func (s *state) reveal(token string) {
	s.phase = Revealed
	s.token = token
	s.hidden = false
	s.copied = false
	s.copyFailed = false
	s.copyStatus = ""
	s.checkNow = checkRun{}
	s.snippetCopied = ""
	s.snippetCopyFailed = false
	s.snippetStatus = ""
	s.formError = ""
	s.focus = IDResultTitle
}

// showError attaches a field error to its field, and anything else to the
// form, always as a sentence.
func (s *state) showError(a Answer) {
	if a.Field != "" && isField(a.Field) && a.Message != "" {
		s.errors[a.Field] = a.Message
		s.focus = a.Field
		s.status = fieldCountSentence(len(s.errors))
		return
	}
	msg := a.Message
	if msg == "" {
		msg = fallbackMessage(a.Status, a.Code)
	}
	s.setFormError(msg)
}

func (s *state) setFormError(msg string) {
	s.formError = msg
	s.focus = ""
}

func isField(name string) bool {
	for _, f := range tokendesk.Fields {
		if f == name {
			return true
		}
	}
	return false
}

func fallbackMessage(status int, code string) string {
	switch {
	case code == tokendesk.CodeRateLimited || status == 429:
		return msgRateLimited
	case code == tokendesk.CodeChallengeFailed:
		return msgChallenge
	case status >= 500:
		return msgServer
	}
	return msgGeneric
}

// fail handles a request that got no usable answer. The values stay.
func (s *state) fail(f Failure) {
	if s.phase != Sending {
		return
	}
	s.phase = Editing
	s.status = ""
	switch f {
	case Offline:
		s.setFormError(msgOffline)
	case TimedOut:
		s.setFormError(msgTimedOut)
	case Unreadable:
		s.setFormError(msgUnreadable)
	default:
		s.setFormError(msgUnreachable)
	}
}

// copyDone records the outcome of the Clipboard API call.
func (s *state) copyDone(ok bool) {
	if s.phase != Revealed {
		return
	}
	if ok {
		s.copied = true
		s.copyFailed = false
		s.copyStatus = msgCopied
		return
	}
	// The token is shown (a password field cannot be copied from) and the
	// component selects it, so Ctrl+C works at once.
	s.copyFailed = true
	s.hidden = false
	s.copyStatus = msgCopyFailed
	s.focus = IDToken
}

// copiedByHand records a copy the person made themselves (Ctrl+C, menu).
func (s *state) copiedByHand() {
	if s.phase != Revealed || s.hidden {
		return
	}
	s.copied = true
	s.copyFailed = false
	s.copyStatus = msgCopiedByHand
}

// toggle hides or shows the token, for screen sharing.
func (s *state) toggle() {
	if s.phase == Revealed {
		s.hidden = !s.hidden
	}
}

// done forgets the token and returns to an empty form.
func (s *state) done() {
	*s = newState()
	s.focus = tokendesk.FieldName
}

// guardsLeave reports whether leaving the page should ask first: a token is
// shown and was never copied, alone or in a snippet.
func (s *state) guardsLeave() bool {
	return s.phase == Revealed && !s.copied && s.snippetCopied == ""
}

// takeFocus returns the id to focus after this render, once.
func (s *state) takeFocus() string {
	id := s.focus
	s.focus = ""
	return id
}
