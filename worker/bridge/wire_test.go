package bridge

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"tokendesk/worker/message"
)

// fixtures is testdata/wire.json, which wire.test.mjs reads too.
type fixtures struct {
	HooksGlobal   string `json:"hooks_global"`
	InternalError string `json:"internal_error"`
	Starts        []struct {
		Method, URL, Colo string
		BodySize          int `json:"body_size"`
		Headers           [][2]string
		Head              string
	}
	Fetches []struct {
		Binding, Method, URL string
		TimeoutMS            int `json:"timeout_ms"`
		MaxAnswerBytes       int `json:"max_answer_bytes"`
		Headers              [][2]string
		Body, Step           string
	}
	Limits []struct {
		Binding, Key, Step string
	}
	Answers []struct {
		Status     int
		Log        string
		Headers    [][2]string
		Body, Step string
	}
	Outcomes []struct {
		OK, Timeout bool
		Status      int
		Headers     [][2]string
		Error, Head string
	}
}

func loadFixtures(t *testing.T) fixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/wire.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func header(pairs [][2]string) message.Header {
	h := message.Header{}
	for _, p := range pairs {
		h.Add(p[0], p[1])
	}
	return h
}

func sameHeader(t *testing.T, what string, got message.Header, want [][2]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: headers %v, want %v", what, got, want)
	}
	for i, p := range want {
		if got[i].Name != p[0] || got[i].Value != p[1] {
			t.Fatalf("%s: header %d = %v, want %v", what, i, got[i], p)
		}
	}
}

func TestWireFixtures(t *testing.T) {
	f := loadFixtures(t)
	if HooksGlobal != f.HooksGlobal {
		t.Errorf("HooksGlobal = %q, wire.json %q", HooksGlobal, f.HooksGlobal)
	}
	if got := string(InternalError().JSON()); got != f.InternalError {
		t.Errorf("InternalError JSON:\n got %q\nwant %q (and entry.mjs's fallback)", got, f.InternalError)
	}
	for _, s := range f.Starts {
		body := make([]byte, min(s.BodySize, 5))
		r, err := ParseStart(s.Head, body)
		if err != nil {
			t.Fatalf("ParseStart(%q): %v", s.Head, err)
		}
		if r.Method != s.Method || r.URL != s.URL || r.Colo != s.Colo {
			t.Errorf("ParseStart(%q) = %+v", s.Head, r)
		}
		if wantSize := s.BodySize; (wantSize > len(body)) != (r.BodySize == wantSize) && wantSize > len(body) {
			t.Errorf("BodySize = %d, want %d", r.BodySize, wantSize)
		}
		sameHeader(t, s.Head, r.Header, s.Headers)
	}
	for _, s := range f.Fetches {
		out := &message.Outbound{Method: s.Method, URL: s.URL, Header: header(s.Headers), Body: s.Body, Timeout: time.Duration(s.TimeoutMS) * time.Millisecond, MaxAnswerBytes: s.MaxAnswerBytes}
		if got := FetchStep(s.Binding, out); got != s.Step {
			t.Errorf("FetchStep:\n got %q\nwant %q", got, s.Step)
		}
	}
	for _, s := range f.Limits {
		if got := LimitStep(s.Binding, s.Key); got != s.Step {
			t.Errorf("LimitStep = %q, want %q", got, s.Step)
		}
	}
	for _, s := range f.Answers {
		a := &message.Answer{Status: s.Status, Header: header(s.Headers), Body: []byte(s.Body)}
		if got := AnswerStep(a, s.Log); got != s.Step {
			t.Errorf("AnswerStep:\n got %q\nwant %q", got, s.Step)
		}
	}
	for _, o := range f.Outcomes {
		in, err := ParseOutcome(o.Head, []byte("body"))
		switch {
		case o.OK:
			if err != nil || in.Status != o.Status || string(in.Body) != "body" {
				t.Errorf("ParseOutcome(%q) = %+v, %v", o.Head, in, err)
				continue
			}
			sameHeader(t, o.Head, in.Header, o.Headers)
		case o.Timeout:
			if !errors.Is(err, message.ErrTimeout) {
				t.Errorf("ParseOutcome(%q) error %v, want ErrTimeout", o.Head, err)
			}
		default:
			if err == nil || err.Error() != o.Error {
				t.Errorf("ParseOutcome(%q) error %v, want %q", o.Head, err, o.Error)
			}
		}
	}
}

func TestWireRefusesMalformed(t *testing.T) {
	for _, head := range []string{"", "POST", "POST\nhttps://x/\nFRA\n", "POST\nhttps://x/\n\nnot-a-number\n", "\nhttps://x/\n\n0\n"} {
		if _, err := ParseStart(head, nil); err == nil {
			t.Errorf("ParseStart(%q) accepted", head)
		}
	}
	for _, head := range []string{"", "2\n200\n", "1\nabc\n"} {
		if _, err := ParseOutcome(head, nil); err == nil {
			t.Errorf("ParseOutcome(%q) accepted", head)
		}
	}
}

func TestAnswerStepKeepsHeaderLinesWhole(t *testing.T) {
	a := &message.Answer{Status: 200, Header: message.Header{{Name: "X-Bad", Value: "a\nInjected: yes"}}}
	if got := AnswerStep(a, "log\nline"); got != "R200\nlog line\nX-Bad:a Injected: yes\n\n" {
		t.Errorf("AnswerStep = %q", got)
	}
}
