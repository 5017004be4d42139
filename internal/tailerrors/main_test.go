//go:build !js

package main

import (
	"bytes"
	"strings"
	"testing"
)

// Events shaped like `wrangler tail --format json` prints them (pretty,
// several lines each); logs hold the Worker's own log line.
const (
	okEvent = `{
  "outcome": "ok",
  "scriptName": "mhsdk-token-desk",
  "exceptions": [],
  "logs": [{"message": ["{\"status\":200}"], "level": "log", "timestamp": 1}],
  "eventTimestamp": 1,
  "event": {"request": {"url": "https://tokens.example.com/auth/token", "method": "POST"}, "response": {"status": 200}}
}`
	upstreamFailedEvent = `{
  "outcome": "ok",
  "logs": [{"message": ["{\"status\":502,\"code\":\"upstream_failed\"}"], "level": "log", "timestamp": 2}],
  "event": {"request": {"url": "https://tokens.example.com/auth/token", "method": "POST"}, "response": {"status": 502}}
}`
	exceptionEvent = `{
  "outcome": "exception",
  "exceptions": [{"name": "Error", "message": "boom", "timestamp": 3}],
  "event": {"request": {"url": "https://tokens.example.com/", "method": "GET"}}
}`
)

func TestFailed(t *testing.T) {
	tests := []struct {
		name  string
		event string
		want  bool
	}{
		{"200", okEvent, false},
		{"4xx is the client's", `{"outcome": "ok", "event": {"response": {"status": 429}}}`, false},
		{"upstream_failed 502", upstreamFailedEvent, true},
		{"500", `{"outcome": "ok", "event": {"response": {"status": 500}}}`, true},
		{"exception", exceptionEvent, true},
		{"CPU limit", `{"outcome": "exceededCpu", "event": {}}`, true},
		{"memory limit", `{"outcome": "exceededMemory"}`, true},
		{"unknown", `{"outcome": "unknown"}`, true},
		{"client went away", `{"outcome": "canceled", "event": {"request": {}}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, notes bytes.Buffer
			if err := filter(strings.NewReader(tt.event), &out, &notes); err != nil {
				t.Fatal(err)
			}
			if got := out.Len() > 0; got != tt.want {
				t.Errorf("kept = %v, want %v (output %q)", got, tt.want, out.String())
			}
			if notes.Len() > 0 {
				t.Errorf("notes for a valid event: %s", notes.String())
			}
		})
	}
}

func TestFilterStream(t *testing.T) {
	in := okEvent + "\n" + upstreamFailedEvent + "\n" + okEvent + "\n" + exceptionEvent + "\n"
	var out, notes bytes.Buffer
	if err := filter(strings.NewReader(in), &out, &notes); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"status":502`) || !strings.Contains(lines[1], `"outcome":"exception"`) {
		t.Fatalf("want the 502 and the exception, one line each; got:\n%s", out.String())
	}
	if !strings.Contains(lines[0], `upstream_failed`) {
		t.Errorf("the event's log lines must be kept: %s", lines[0])
	}
}

func TestFilterPassesOtherInputThrough(t *testing.T) {
	tests := []struct {
		name, in, rest string
	}{
		{"text", "Connected to mhsdk-token-desk, waiting for logs...\n", "Connected to mhsdk-token-desk, waiting for logs...\n"},
		{"text after an event", upstreamFailedEvent + "\nsomething else {\n", "something else {\n"},
		{"a value that is not an event", `["not", "an", "event"]` + "\n" + exceptionEvent, `["not", "an", "event"]` + "\n" + exceptionEvent},
		{"a cut-off event", `{"outcome": "exception", "ev`, `{"outcome": "exception", "ev`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, notes bytes.Buffer
			if err := filter(strings.NewReader(tt.in), &out, &notes); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(out.String(), tt.rest) {
				t.Errorf("output %q does not end with the input's rest %q", out.String(), tt.rest)
			}
			if !strings.Contains(notes.String(), "unfiltered") {
				t.Errorf("no note says the rest is unfiltered: %q", notes.String())
			}
		})
	}
}

// FuzzFilter: any input ends without an error or a panic, and a kept event
// is a single line.
func FuzzFilter(f *testing.F) {
	for _, seed := range []string{okEvent, upstreamFailedEvent, exceptionEvent, "text\n", `{"outcome": 1}`, "null", "{} {}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var out, notes bytes.Buffer
		if err := filter(strings.NewReader(in), &out, &notes); err != nil {
			t.Fatal(err)
		}
		if notes.Len() == 0 {
			for line := range strings.Lines(out.String()) {
				if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
					t.Fatalf("kept event is not one line: %q", line)
				}
			}
		}
	})
}
