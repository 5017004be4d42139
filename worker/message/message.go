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

// Target is a parsed request URL.
type Target struct {
	Scheme, Host, Path, Query string
	// UserInfo and Fragment are what came before "@" in the authority
	// and after "#"; a request's URL has neither.
	UserInfo, Fragment string
	// HasQuery tells "?" with an empty query from no "?".
	HasQuery bool
}

// ParseTarget splits an absolute URL; the runtime always gives one.
func ParseTarget(raw string) Target {
	var t Target
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		t.Scheme, rest = strings.ToLower(rest[:i]), rest[i+3:]
	}
	rest, t.Fragment, _ = strings.Cut(rest, "#")
	rest, t.Query, t.HasQuery = strings.Cut(rest, "?")
	if t.Scheme == "" {
		t.Path = rest // a path, perhaps relative
		return t
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		t.Host, t.Path = rest[:i], rest[i:]
	} else {
		t.Host, t.Path = rest, "/"
	}
	if i := strings.LastIndexByte(t.Host, '@'); i >= 0 {
		t.UserInfo, t.Host = t.Host[:i], t.Host[i+1:]
	}
	return t
}

// ParseURL parses an absolute http or https URL, or a path with a query,
// and reports whether it is well formed: a scheme of letters, a host of
// letters, digits, dots, dashes, a port or an IPv6 literal, and no
// spaces or control characters anywhere.
func ParseURL(raw string) (Target, bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] <= ' ' || raw[i] == 0x7f {
			return Target{}, false
		}
	}
	t := ParseTarget(raw)
	if t.Scheme == "" {
		return t, !strings.HasPrefix(raw, "//") && !strings.Contains(t.Path, ":")
	}
	if t.Host == "" {
		return t, false
	}
	for _, c := range t.Scheme {
		if c < 'a' || c > 'z' {
			return t, false
		}
	}
	for i := 0; i < len(t.Host); i++ {
		c := t.Host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return t, false
		}
	}
	return t, true
}

// Hostname is Host without its port.
func (t Target) Hostname() string {
	if i := strings.LastIndexByte(t.Host, ':'); i >= 0 && !strings.Contains(t.Host[i:], "]") {
		return t.Host[:i]
	}
	return t.Host
}

// RequestURI is the path and query, as in a Location header.
func (t Target) RequestURI() string {
	if t.Query != "" {
		return t.Path + "?" + t.Query
	}
	return t.Path
}
