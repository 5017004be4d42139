// Package message holds the small HTTP message types the Worker's Go code
// works on: a Request, an Answer, an Outbound call and its Inbound answer.
// They stand in for net/http's, which would more than double the Worker's
// wasm and its cold start (BENCHMARKS.md).
package message

import (
	"errors"
	"strings"
	"time"
)

// Request is one incoming request. The Worker's bridge builds it from the
// runtime's Request; relay/http.go builds it from net/http's.
type Request struct {
	Method string
	// URL is absolute, scheme://host/path?query, as the runtime gives it:
	// its scheme is the one the client used.
	URL    string
	Header Header
	Body   []byte
	// BodySize is the body's size as sent, when the bridge kept only the
	// start of a huge body; 0 means len(Body).
	BodySize int
	// Colo is the Cloudflare data centre that took the request, for the
	// log; empty outside Cloudflare.
	Colo string
	// Call identifies the request to the bridge, which routes its I/O
	// through the request's own JavaScript.
	Call any
}

// Answer is the answer to a Request.
type Answer struct {
	Status int
	Header Header
	Body   []byte
}

// Outbound is a call made while serving a Request: to the API, or to
// Turnstile's siteverify. Its body goes whole, so the receiver gets a fixed
// Content-Length.
type Outbound struct {
	Method  string
	URL     string
	Header  Header
	Body    string
	Timeout time.Duration
	// MaxAnswerBytes bounds what is read of the answer's body; the rest is
	// never read. Zero means no bound.
	MaxAnswerBytes int
}

// Inbound is the answer to an Outbound call.
type Inbound struct {
	Status int
	Header Header
	Body   []byte
}

// ErrTimeout is the error of an Outbound call that did not answer within
// its timeout.
var ErrTimeout = errors.New("the call timed out")

// Header is a list of header fields in the order they were added. Names
// compare case-insensitively.
type Header []HeaderField

// HeaderField is one header line.
type HeaderField struct{ Name, Value string }

// Get returns the first value of name, or "".
func (h Header) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Values returns every value of name.
func (h Header) Values(name string) []string {
	var vs []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// Add appends a field.
func (h *Header) Add(name, value string) { *h = append(*h, HeaderField{name, value}) }

// Set replaces every field of name with one.
func (h *Header) Set(name, value string) {
	h.Del(name)
	h.Add(name, value)
}

// Del removes every field of name.
func (h *Header) Del(name string) {
	kept := (*h)[:0]
	for _, f := range *h {
		if !strings.EqualFold(f.Name, name) {
			kept = append(kept, f)
		}
	}
	*h = kept
}
