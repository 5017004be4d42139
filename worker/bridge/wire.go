// The wire format, shared with wire.mjs; testdata/wire.json holds
// fixtures that both sides' tests read. Every message is a string of
// newline-separated fields, plus, from JS to Go, the body's bytes beside
// it, so a request's body and an outcome's reach Go byte for byte. From Go
// to JS a body travels inside the step's string, which JS reads as UTF-8:
// bytes that are not UTF-8 reach the client as U+FFFD. Only the relay's
// plain-post error page holds such bytes, when it refills a value that is
// not UTF-8 (relay/html.go); everything else Go sends is UTF-8.
//
//	start     JS→Go  head: method, URL, colo, body size, header lines; body: bytes
//	fetch     Go→JS  "F" binding, method, URL, timeout ms, answer bytes max,
//	                 header lines, "", body
//	limit     Go→JS  "L" binding, key
//	answer    Go→JS  "R" status, log line, header lines, "", body
//	outcome   JS→Go  head: "1", status, header lines; body: bytes
//	                 or head: "0", "timeout" or an error message
//
// Header lines are "name:value" each, ended by a newline.

package bridge

import (
	"errors"
	"strconv"
	"strings"

	"tokendesk"
	"tokendesk/worker/message"
)

// HooksGlobal is the global under which entry.mjs leaves a new instance's
// hooks before it starts Go (wire.mjs's hooksGlobal; wire.json holds it
// for both sides' tests).
const HooksGlobal = "__tokendeskBridge"

// ParseStart decodes a start message.
func ParseStart(head string, body []byte) (*message.Request, error) {
	fields, rest, ok := cutLines(head, 4)
	if !ok || fields[0] == "" || fields[1] == "" {
		return nil, errors.New("bridge: malformed start message")
	}
	size, err := strconv.Atoi(fields[3])
	if err != nil || size < 0 {
		return nil, errors.New("bridge: malformed body size")
	}
	r := &message.Request{Method: fields[0], URL: fields[1], Colo: fields[2], Body: body, Header: parseHeader(rest)}
	if size > len(body) {
		r.BodySize = size
	}
	return r, nil
}

// FetchStep encodes a fetch operation; binding names an env binding with a
// fetch method, or is empty for the global fetch.
func FetchStep(binding string, out *message.Outbound) string {
	var b strings.Builder
	b.Grow(64 + len(out.URL) + len(out.Body))
	b.WriteString("F" + binding + "\n" + out.Method + "\n" + out.URL + "\n")
	b.WriteString(strconv.FormatInt(out.Timeout.Milliseconds(), 10) + "\n")
	b.WriteString(strconv.Itoa(out.MaxAnswerBytes) + "\n")
	writeHeader(&b, out.Header)
	b.WriteString("\n" + out.Body)
	return b.String()
}

// LimitStep encodes a rate-limit check against the binding.
func LimitStep(binding, key string) string {
	return "L" + binding + "\n" + key
}

// AnswerStep encodes the answer, with the request's log line (one line of
// JSON, or empty).
func AnswerStep(a *message.Answer, logLine string) string {
	status := a.Status
	if status == 0 {
		status = 200
	}
	var b strings.Builder
	b.Grow(64 + len(logLine) + len(a.Body))
	b.WriteString("R" + strconv.Itoa(status) + "\n" + strings.ReplaceAll(logLine, "\n", " ") + "\n")
	writeHeader(&b, a.Header)
	b.WriteByte('\n')
	b.Write(a.Body)
	return b.String()
}

// errTimeoutWire is how JS reports an operation that hit its timeout.
const errTimeoutWire = "timeout"

// ParseOutcome decodes an operation's outcome. A timeout is
// message.ErrTimeout.
func ParseOutcome(head string, body []byte) (*message.Inbound, error) {
	flag, rest, _ := strings.Cut(head, "\n")
	switch flag {
	case "1":
		statusText, headerLines, _ := strings.Cut(rest, "\n")
		status, err := strconv.Atoi(statusText)
		if err != nil {
			return nil, errors.New("bridge: malformed outcome status")
		}
		return &message.Inbound{Status: status, Header: parseHeader(headerLines), Body: body}, nil
	case "0":
		if rest == errTimeoutWire {
			return nil, message.ErrTimeout
		}
		return nil, errors.New(rest)
	}
	return nil, errors.New("bridge: malformed outcome")
}

// cutLines splits off the first n newline-ended fields.
func cutLines(s string, n int) ([]string, string, bool) {
	fields := make([]string, n)
	for i := range fields {
		var ok bool
		fields[i], s, ok = strings.Cut(s, "\n")
		if !ok {
			return nil, "", false
		}
	}
	return fields, s, true
}

func parseHeader(lines string) message.Header {
	h := make(message.Header, 0, strings.Count(lines, "\n"))
	for line := range strings.Lines(lines) {
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ":")
		if ok && name != "" {
			h = append(h, message.HeaderField{Name: name, Value: value})
		}
	}
	return h
}

func writeHeader(b *strings.Builder, h message.Header) {
	for _, f := range h {
		// A header value never holds a newline; drop any rather than let
		// it forge a line.
		b.WriteString(strings.ReplaceAll(f.Name, "\n", "") + ":" + strings.ReplaceAll(f.Value, "\n", " ") + "\n")
	}
}

// InternalError is what a request gets when the Go side fails it: a panic,
// an exit, or a handler that never answered. entry.mjs keeps a copy for
// when Go cannot start at all; testdata/wire.json holds it for both sides'
// tests.
func InternalError() *tokendesk.Error {
	return tokendesk.NewError(500, tokendesk.CodeInternal,
		"The token desk failed while answering. Try again in a minute; if it keeps failing, tell the desk's operator.")
}

// InternalAnswer is InternalError as an answer.
func InternalAnswer() *message.Answer {
	a := &message.Answer{Status: 500, Body: InternalError().JSON()}
	a.Header.Set("Content-Type", "application/json")
	a.Header.Set("Cache-Control", "no-store")
	return a
}

// BadStart answers a start message that could not be decoded.
func BadStart() *message.Answer {
	a := &message.Answer{Status: 400, Body: tokendesk.NewError(400, tokendesk.CodeBadForm, "The request could not be read.").JSON()}
	a.Header.Set("Content-Type", "application/json")
	a.Header.Set("Cache-Control", "no-store")
	return a
}
