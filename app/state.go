package app

import (
	"net/url"
	"strconv"

	"tokendesk"
	"tokendesk/internal/lang"
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

// state is the desk's logic, free of any browser or go-app type so that plain
// Go tests can drive it. The Desk component owns one and renders it.
type state struct {
	phase Phase
	// lang is the language of every sentence the state sets.
	lang lang.Lang

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

	// keep is "Keep it safe" (keep.go); clip the clipboard's countdown
	// after a copy (clipclear.go).
	keep keepState
	clip clipClear

	// focus is the id of the element to focus after the next render.
	focus string
}

func newState(lang lang.Lang) state {
	return state{
		lang:   lang,
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
		s.errors[field] = err.Text(s.lang)
		return
	}
	delete(s.errors, field)
}

// challenge is the Turnstile check as submit sees it.
type challenge struct {
	// on: the page shows the widget, so the relay wants its answer.
	on bool
	// answer is the widget's answer, "" until the check has passed.
	answer string
}

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
		s.status = s.fieldCountSentence(len(s.errors))
		return "", false
	}
	form, err := tokendesk.Validate(values)
	if err != nil {
		// ValidateField passed every field, so this is unexpected; still
		// show it rather than send.
		s.setFormError(err.Text(s.lang))
		return "", false
	}
	if c.on && (c.answer == "" || len(c.answer) > tokendesk.MaxTurnstileBytes) {
		s.setFormError(s.text(lang.KeyChallengePending))
		return "", false
	}
	s.phase = Sending
	s.status = s.text(lang.KeySending)
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
	return form + tokendesk.FieldTurnstile + "=" + url.QueryEscape(answer)
}

// text returns the sentence for key in the state's language.
func (s *state) text(key lang.Key, args ...string) string {
	return s.lang.Text(key, args...)
}

func (s *state) fieldCountSentence(n int) string {
	if n == 1 {
		return s.text(lang.KeyFieldsOne)
	}
	return s.text(lang.KeyFieldsMany, "n", strconv.Itoa(n))
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
			s.setFormError(s.text(lang.KeyNoToken))
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
	s.keep = keepState{}
	s.clip = clipClear{}
	s.formError = ""
	s.focus = IDResultTitle
}

// showError attaches a field error to its field, and anything else to the
// form, always as a sentence in the page's language.
func (s *state) showError(a Answer) {
	if a.Field != "" && isField(a.Field) && (a.Message != "" || a.Code != "") {
		s.errors[a.Field] = s.answerSentence(a)
		s.focus = a.Field
		s.status = s.fieldCountSentence(len(s.errors))
		return
	}
	s.setFormError(s.answerSentence(a))
}

// answerSentence says what went wrong in the page's language. The relay's
// message is English (code is the stable key): in English it is shown as
// sent, in the other languages the code picks the sentence.
func (s *state) answerSentence(a Answer) string {
	if s.lang == lang.EN && a.Message != "" {
		return a.Message
	}
	if a.Field != "" {
		// The same check the relay made, in this language.
		if err := tokendesk.ValidateField(a.Field, s.values[a.Field]); err != nil {
			return err.Text(s.lang)
		}
		if a.Code == tokendesk.CodeFieldDuplicated {
			return s.text(lang.KeyFieldDuplicated, "field", a.Field)
		}
	}
	return s.text(errorSentence(a.Status, a.Code))
}

// codeSentences are the sentences for the relay's error codes a person can
// meet on this page, but for CodeUpstreamRejected, whose sentence depends on
// the status (tokendesk.UpstreamRejectedKey).
var codeSentences = map[string]lang.Key{
	tokendesk.CodeRateLimited:         lang.KeyRateLimited,
	tokendesk.CodeChallengeFailed:     lang.KeyChallengeFailed,
	tokendesk.CodeUpstreamTimeout:     lang.KeyTimedOut,
	tokendesk.CodeUpstreamFailed:      lang.KeyUpstreamFailed,
	tokendesk.CodeUpstreamUnreachable: lang.KeyUpstreamUnreachable,
	tokendesk.CodeUpstreamBadAnswer:   lang.KeyUpstreamBadAnswer,
	tokendesk.CodeHTTPSRequired:       lang.KeyHTTPSRequired,
	tokendesk.CodeOriginForbidden:     lang.KeyOriginForbidden,
	tokendesk.CodeBodyTooLarge:        lang.KeyBodyTooLarge,
}

// errorSentence is the sentence for an error that is not about a field:
// by its code, or else by its status.
func errorSentence(status int, code string) lang.Key {
	if code == tokendesk.CodeUpstreamRejected {
		return tokendesk.UpstreamRejectedKey(status)
	}
	if key, ok := codeSentences[code]; ok {
		return key
	}
	switch {
	case status == 429:
		return lang.KeyTooManyRequests
	case status >= 500:
		return lang.KeyServerTrouble
	}
	return lang.KeyGeneric
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

// fail handles a request that got no usable answer. The values stay.
func (s *state) fail(f Failure) {
	if s.phase != Sending {
		return
	}
	s.phase = Editing
	s.status = ""
	switch f {
	case Offline:
		s.setFormError(s.text(lang.KeyOffline))
	case TimedOut:
		s.setFormError(s.text(lang.KeyTimedOut))
	case Unreadable:
		s.setFormError(s.text(lang.KeyUnreadable))
	default:
		s.setFormError(s.text(lang.KeyUnreachable))
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
		s.copyStatus = s.text(lang.KeyCopiedStatus)
		s.clipStart(s.token)
		return
	}
	// The token is shown (a password field cannot be copied from) and the
	// component selects it, so Ctrl+C works at once.
	s.copyFailed = true
	s.hidden = false
	s.copyStatus = s.text(lang.KeyCopyFailed)
	s.focus = IDToken
}

// copiedByHand records a copy the person made themselves (Ctrl+C, menu).
func (s *state) copiedByHand() {
	if s.phase != Revealed || s.hidden {
		return
	}
	s.copied = true
	s.copyFailed = false
	s.copyStatus = s.text(lang.KeyCopiedStatus)
	s.clipStart(s.token)
}

// toggle hides or shows the token, for screen sharing. Hiding it hides
// its QR code too.
func (s *state) toggle() {
	if s.phase == Revealed {
		s.hidden = !s.hidden
		s.keep.qr = s.keep.qr && !s.hidden
	}
}

// done forgets the token and returns to an empty form.
func (s *state) done() {
	*s = newState(s.lang)
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
