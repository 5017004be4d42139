package app

import (
	"testing"

	"tokendesk"
	"tokendesk/internal/lang"
)

func TestOutcomeOfTheRelaysAnswer(t *testing.T) {
	rejected := func(status, upstream int) CheckAnswer {
		return CheckAnswer{Status: status, Code: tokendesk.CodeUpstreamRejected, Message: "…", UpstreamCode: upstream}
	}
	tests := []struct {
		name   string
		answer CheckAnswer
		want   CheckOutcome
	}{
		{"registered", CheckAnswer{Status: 200, Result: true, UpstreamCode: -1}, CheckRegistered},
		{"200 without result", CheckAnswer{Status: 200, UpstreamCode: -1}, CheckUnreadable},
		{"unregistered (code 0)", rejected(422, 0), CheckUnregistered},
		{"authorization fail (code 1)", rejected(422, 1), CheckAuthFailed},
		{"other upstream code", rejected(422, 7), CheckRejected},
		{"upstream 4xx without a code", rejected(400, -1), CheckRejected},
		{"upstream 429", rejected(429, -1), CheckRateLimited},
		{"relay rate limit", CheckAnswer{Status: 429, Code: tokendesk.CodeRateLimited, UpstreamCode: -1}, CheckRateLimited},
		{"upstream 5xx", CheckAnswer{Status: 502, Code: tokendesk.CodeUpstreamFailed, UpstreamCode: -1}, CheckUnavailable},
		{"upstream unreachable", CheckAnswer{Status: 502, Code: tokendesk.CodeUpstreamUnreachable, UpstreamCode: -1}, CheckUnavailable},
		{"upstream bad answer", CheckAnswer{Status: 502, Code: tokendesk.CodeUpstreamBadAnswer, UpstreamCode: -1}, CheckUnavailable},
		{"upstream timeout", CheckAnswer{Status: 504, Code: tokendesk.CodeUpstreamTimeout, UpstreamCode: -1}, CheckTimedOut},
		{"a proxy's 503 page", CheckAnswer{Status: 503, UpstreamCode: -1}, CheckUnavailable},
		{"a zero code on a 5xx is not 'unregistered'", CheckAnswer{Status: 502, Code: tokendesk.CodeUpstreamFailed}, CheckUnavailable},
		{"forbidden origin", CheckAnswer{Status: 403, Code: tokendesk.CodeOriginForbidden, UpstreamCode: -1}, CheckRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outcomeOf(tt.answer); got != tt.want {
				t.Fatalf("outcomeOf(%+v) = %d, want %d", tt.answer, got, tt.want)
			}
		})
	}
}

func TestEveryOutcomeIsASentence(t *testing.T) {
	for o := CheckRegistered; o <= CheckUnreadable; o++ {
		s := lang.EN.Text(o.Key())
		if len(s) < 20 || s[len(s)-1] != '.' {
			t.Errorf("outcome %d says %q, want a sentence", o, s)
		}
	}
	if CheckNone.Key() != 0 {
		t.Error("no check yet, yet a sentence")
	}
	for _, f := range []Failure{Offline, Unreachable, TimedOut, Unreadable} {
		if outcomeOfFailure(f).Key() == 0 {
			t.Errorf("failure %d has no sentence", f)
		}
	}
}

func TestCheckStateValidatesAndNormalizes(t *testing.T) {
	const tok = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"
	tests := []struct {
		name     string
		typed    string
		pasted   bool
		wantShow string // the field's value after input
		wantBody string // "" when nothing is sent
	}{
		{"typed", tok, false, tok, "token=" + tok},
		{"pasted with spaces", "  " + tok + "\n", true, tok, "token=" + tok},
		{"pasted in quotes", `"` + tok + `"`, true, tok, "token=" + tok},
		{"typed with spaces: trimmed when sent", " " + tok + " ", false, " " + tok + " ", "token=" + tok},
		{"empty", "", false, "", ""},
		{"not a token", "hello", true, "hello", ""},
		{"cut short", tok[:30], false, tok[:30], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s checkState
			if got := s.setValue(tt.typed, tt.pasted); got != tt.wantShow {
				t.Fatalf("field shows %q, want %q", got, tt.wantShow)
			}
			body, ok := s.submit()
			if body != tt.wantBody || ok != (tt.wantBody != "") {
				t.Fatalf("submit = %q, %v; want %q", body, ok, tt.wantBody)
			}
			if !ok && (s.fieldError == "" || s.takeFocus() != IDCheckToken) {
				t.Fatalf("refused without a field error and focus: %+v", s)
			}
			if ok && !s.run.busy {
				t.Fatal("sent, but not busy")
			}
		})
	}
}

func TestCheckStateAnswers(t *testing.T) {
	var s checkState
	s.setValue("0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f", false)
	if _, ok := s.submit(); !ok {
		t.Fatal("not sent")
	}
	if _, ok := s.submit(); ok {
		t.Fatal("sent twice while under way")
	}
	s.receive(CheckAnswer{Status: 400, Code: tokendesk.CodeFieldInvalid, Field: tokendesk.FieldToken, Message: "A token looks like…", UpstreamCode: -1})
	if s.fieldError != "A token looks like…" || s.run.outcome != CheckNone || s.run.busy {
		t.Fatalf("a field error of the relay: %+v", s)
	}
	s.submit()
	s.run.fail(TimedOut)
	if s.run.outcome != CheckTimedOut || s.run.busy {
		t.Fatalf("after a timeout: %+v", s.run)
	}
	s.receive(CheckAnswer{Status: 200, Result: true})
	if s.run.outcome != CheckTimedOut {
		t.Fatal("an answer with no check under way changed the outcome")
	}
}
