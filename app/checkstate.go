package app

import (
	"tokendesk"
	"tokendesk/internal/lang"
)

// CheckAnswer is what the relay answered to a token check, reduced to plain
// values. The browser code builds it from the JSON; tests by hand.
type CheckAnswer struct {
	// Status is the HTTP status.
	Status int
	// Result: the body had the upstream's {"result": {...}}.
	Result bool
	// Code, Message and Field are the relay's error, when it sent one.
	Code    string
	Message string
	Field   string
	// UpstreamCode is upstream.error.code, the API's own number (0:
	// unregistered token, 1: authorization fail), read only when Code is
	// upstream_rejected; -1 when that answer had none.
	UpstreamCode int
}

// The API's error codes for a check (error.code under upstream).
const (
	upstreamUnregistered = 0
	upstreamAuthFailed   = 1
)

// CheckOutcome is what a check found out, one sentence each.
type CheckOutcome int

// The outcomes of a check.
const (
	CheckNone CheckOutcome = iota
	CheckRegistered
	CheckUnregistered
	CheckAuthFailed
	CheckRejected
	CheckUnavailable
	CheckTimedOut
	CheckRateLimited
	CheckOffline
	CheckUnreachable
	CheckUnreadable
)

// Key is the sentence the page says for the outcome; 0 for CheckNone.
func (o CheckOutcome) Key() lang.Key {
	switch o {
	case CheckRegistered:
		return lang.KeyCheckSaysRegistered
	case CheckUnregistered:
		return lang.KeyCheckSaysUnregistered
	case CheckAuthFailed:
		return lang.KeyCheckSaysAuthFailed
	case CheckRejected:
		return lang.KeyCheckSaysRejected
	case CheckUnavailable:
		return lang.KeyCheckSaysUnavailable
	case CheckTimedOut:
		return lang.KeyCheckSaysTimedOut
	case CheckRateLimited:
		return lang.KeyCheckSaysRateLimited
	case CheckOffline:
		return lang.KeyCheckSaysOffline
	case CheckUnreachable:
		return lang.KeyCheckSaysUnreachable
	case CheckUnreadable:
		return lang.KeyUnreadable
	}
	return 0
}

// SuggestsNewToken reports whether the token itself is the problem, so the
// page offers the form.
func (o CheckOutcome) SuggestsNewToken() bool {
	return o == CheckUnregistered || o == CheckAuthFailed
}

// Good reports whether the token works.
func (o CheckOutcome) Good() bool { return o == CheckRegistered }

// outcomeOf reads the relay's answer (see the README's table for
// /glb_const/status).
func outcomeOf(a CheckAnswer) CheckOutcome {
	switch {
	case a.Status == 200 && a.Result:
		return CheckRegistered
	case a.Status == 200:
		return CheckUnreadable
	case a.Code == tokendesk.CodeRateLimited || a.Status == 429:
		return CheckRateLimited
	case a.Code == tokendesk.CodeUpstreamRejected && a.UpstreamCode == upstreamUnregistered:
		return CheckUnregistered
	case a.Code == tokendesk.CodeUpstreamRejected && a.UpstreamCode == upstreamAuthFailed:
		return CheckAuthFailed
	case a.Status == 504:
		return CheckTimedOut
	case a.Status >= 500:
		return CheckUnavailable
	case a.Status >= 400:
		return CheckRejected
	}
	return CheckUnreadable
}

// outcomeOfFailure says why no answer came.
func outcomeOfFailure(f Failure) CheckOutcome {
	switch f {
	case Offline:
		return CheckOffline
	case TimedOut:
		return CheckTimedOut
	case Unreadable:
		return CheckUnreadable
	}
	return CheckUnreachable
}

// checkRun is one check at a time and what it found; the check page and the
// reveal's "Check it now" each hold one.
type checkRun struct {
	busy    bool
	outcome CheckOutcome
}

// start begins a check, unless one is under way.
func (c *checkRun) start() bool {
	if c.busy {
		return false
	}
	c.busy = true
	c.outcome = CheckNone
	return true
}

// finish records the answer. A field error of the relay is reported for
// the field instead of an outcome.
func (c *checkRun) finish(a CheckAnswer) (fieldError bool) {
	if !c.busy {
		return false
	}
	c.busy = false
	if a.Field == tokendesk.FieldToken && a.Status == 400 {
		return true
	}
	c.outcome = outcomeOf(a)
	return false
}

// fail records a check that got no answer.
func (c *checkRun) fail(f Failure) {
	if !c.busy {
		return
	}
	c.busy = false
	c.outcome = outcomeOfFailure(f)
}

// checkState is the check page's logic, free of browser and go-app types.
type checkState struct {
	// lang is the language of the sentences it sets.
	lang lang.Lang
	// value is the field as typed (a paste is normalized at once).
	value      string
	fieldError string
	// shown: the token is in plain sight rather than masked.
	shown bool
	run   checkRun
	// focus is the id to focus after the next render.
	focus string
}

// setValue records what the person typed; a paste comes back normalized
// (tokendesk.NormalizeToken), for the field to show. An error shown for
// the field is checked again, so it goes once fixed.
func (s *checkState) setValue(v string, pasted bool) string {
	if pasted {
		v = tokendesk.NormalizeToken(v)
	}
	s.value = v
	if s.fieldError != "" {
		s.validate()
	}
	return v
}

// blur checks a non-empty field the person leaves.
func (s *checkState) blur() {
	if s.value == "" {
		s.fieldError = ""
		return
	}
	s.validate()
}

func (s *checkState) validate() (string, bool) {
	token, err := tokendesk.ValidateCheckToken(s.value)
	if err != nil {
		s.fieldError = err.Text(s.lang)
		return "", false
	}
	s.fieldError = ""
	return token, true
}

// submit validates the field and returns the body to post.
func (s *checkState) submit() (string, bool) {
	if s.run.busy {
		return "", false
	}
	token, ok := s.validate()
	if !ok {
		s.run.outcome = CheckNone
		s.focus = IDCheckToken
		return "", false
	}
	s.run.start()
	return tokendesk.CheckForm(token), true
}

// receive handles the relay's answer.
func (s *checkState) receive(a CheckAnswer) {
	if s.run.finish(a) {
		s.fieldError = s.relayFieldError(a)
		s.focus = IDCheckToken
	}
}

// relayFieldError is the relay's refusal of the token as a sentence in the
// page's language: its English message as sent, else the same check made
// here (the page and the relay share the rule).
func (s *checkState) relayFieldError(a CheckAnswer) string {
	if s.lang == lang.EN && a.Message != "" {
		return a.Message
	}
	if _, err := tokendesk.ValidateCheckToken(s.value); err != nil {
		return err.Text(s.lang)
	}
	return s.lang.Text(lang.KeyCheckTokenInvalid)
}

// toggle shows or hides the token.
func (s *checkState) toggle() { s.shown = !s.shown }

// takeFocus returns the id to focus after this render, once.
func (s *checkState) takeFocus() string {
	id := s.focus
	s.focus = ""
	return id
}
