// Package emulator is an EMULATOR of the MetaHuman SDK API token endpoint
// (POST https://api.metahumansdk.io/auth/token) and its token check
// (POST /glb_const/status). It is not the real API.
//
// It also emulates Cloudflare Turnstile's siteverify (siteverify.go), for the
// relay's bot check.
//
// It exists for tests and offline demos: it answers like the documented
// upstream (the check knows the tokens it issued), records every request it receives (including whether the body had
// a fixed Content-Length or was chunked), and can inject the failures seen in
// the wild (slow answers, 5xx, gateway 504s, malformed JSON, dropped
// connections) on demand, from Go or over HTTP under /emulator/.
package emulator

import (
	"fmt"
	"log"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"tokendesk"
)

// Banner names this program for what it is wherever it announces itself.
const Banner = "MetaHuman SDK API emulator — not the real API"

// The upstream endpoints the emulator serves.
const (
	// TokenPath issues a token.
	TokenPath = tokendesk.TokenPath
	// CheckPath checks a token, as the API docs' GLB Constructor section
	// names it.
	CheckPath = tokendesk.CheckPath
	// CheckPathAlt is the name one version of the docs' method table gives
	// the check; the relay's CHECK_PATH can point at either.
	CheckPathAlt = "/token_status"
)

// The error codes of a check that fails, from the API docs.
const (
	CodeUnregistered = 0 // "unregistered token"
	CodeAuthFailed   = 1 // "authorization fail"
)

// Control paths, for out-of-process use (browser tests, demos).
const (
	ControlFaultPath    = "/emulator/fault"
	ControlRequestsPath = "/emulator/requests"
	ControlResetPath    = "/emulator/reset"
	// ControlAuthFailPath takes a form body token=T: checks of T answer
	// "authorization fail" from then on. The token goes in the body, never
	// the URL, so no log line can hold it.
	ControlAuthFailPath = "/emulator/authfail"
)

// maxBodyBytes bounds the form a client may send; the real form is tiny.
const maxBodyBytes = 64 << 10

// DefaultSlowDelay is long enough to exceed any sane relay timeout.
const DefaultSlowDelay = 15 * time.Second

// Fault is a failure mode the emulator can inject into POST /auth/token and
// the token check alike: one-shot and sticky faults apply to the next API
// requests, whichever path they take.
type Fault string

const (
	FaultNone      Fault = "none"      // answer normally
	FaultSlow      Fault = "slow"      // wait Options.SlowDelay, then answer normally
	Fault5xx       Fault = "5xx"       // 503 with the documented error JSON
	Fault504       Fault = "504"       // 504 with an HTML body, like a gateway
	Fault4xx       Fault = "4xx"       // 429 with the documented error JSON
	FaultMalformed Fault = "malformed" // 200 with truncated, non-parseable JSON
	FaultBadShape  Fault = "badshape"  // 200 with valid JSON lacking result.token (the check: lacking result)
	FaultDrop      Fault = "drop"      // close the connection without answering
)

// Faults lists every fault mode, in a stable order.
var Faults = []Fault{FaultNone, FaultSlow, Fault5xx, Fault504, Fault4xx, FaultMalformed, FaultBadShape, FaultDrop}

// ParseFault accepts the names of the Fault constants ("" means none).
func ParseFault(s string) (Fault, error) {
	if s == "" {
		return FaultNone, nil
	}
	f := Fault(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Faults, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown fault %q (want one of %v)", s, Faults)
}

// Options configures an Emulator. The zero value answers every request normally.
type Options struct {
	// Fault is the sticky fault at start and after Reset.
	Fault Fault
	// SlowDelay is how long FaultSlow waits; 0 means DefaultSlowDelay.
	SlowDelay time.Duration
	// FailRate is the fraction of token requests answered with Fault5xx
	// when no sticky or one-shot fault applies (for load tests).
	FailRate float64
	// SlowRate is the fraction of token requests answered with FaultSlow,
	// drawn after FailRate.
	SlowRate float64
	// Seed makes the random faults repeatable; 0 picks seed 1.
	Seed uint64
	// Logger gets one line per request (method, path, status, duration,
	// fault), never the body, name, mail or token. Nil logs nothing.
	Logger *log.Logger
}

// Request is one recorded request to the emulated API (control requests
// under /emulator/ are not recorded).
type Request struct {
	Time   time.Time   `json:"time"`
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Header http.Header `json:"header"`
	// ContentLength is r.ContentLength: -1 when unknown (e.g. chunked).
	ContentLength int64 `json:"contentLength"`
	// HasContentLength reports whether a Content-Length header was sent.
	HasContentLength bool     `json:"hasContentLength"`
	TransferEncoding []string `json:"transferEncoding,omitempty"`
	// Chunked reports whether the body came with Transfer-Encoding: chunked,
	// which a strict upstream does not read.
	Chunked bool `json:"chunked"`
	// Form holds the fields read from the fixed-length body.
	Form  url.Values `json:"form"`
	Fault Fault      `json:"fault"`
	// Status is 0 until answered, and stays 0 for dropped or abandoned requests.
	Status int    `json:"status"`
	Token  string `json:"token,omitempty"`
}

// Emulator is an http.Handler emulating the MetaHuman SDK API token endpoint.
type Emulator struct {
	opts Options

	mu       sync.Mutex
	sticky   Fault
	oneShots []oneShot
	rng      *mathrand.Rand
	requests []*Request
	tokens   map[string]string // mail -> last token issued for it
	// registered holds every token issued since the last Reset, with
	// whether its checks answer "authorization fail".
	registered map[string]bool
	// Siteverify is the stand-in of Turnstile's siteverify, served at
	// SiteverifyPath.
	Siteverify *Siteverify
}

type oneShot struct {
	fault     Fault
	remaining int
}

// New returns an emulator configured by opts.
func New(opts Options) *Emulator {
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = DefaultSlowDelay
	}
	if opts.Fault == "" {
		opts.Fault = FaultNone
	}
	e := &Emulator{opts: opts, Siteverify: NewSiteverify()}
	e.resetLocked()
	return e
}

func (e *Emulator) resetLocked() {
	seed := e.opts.Seed
	if seed == 0 {
		seed = 1
	}
	e.sticky = e.opts.Fault
	e.oneShots = nil
	e.rng = mathrand.New(mathrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	e.requests = nil
	e.tokens = map[string]string{}
	e.registered = map[string]bool{}
}

// Reset forgets recorded requests and issued tokens, drops pending one-shot
// faults, and restores the sticky fault and random sequence of New.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resetLocked()
}

// SetFault sets the fault applied to every token request from now on
// (FaultNone clears it). Pending one-shot faults still come first.
func (e *Emulator) SetFault(f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sticky = f
}

// FaultNext applies f to the next n token requests, after any one-shot
// faults already queued.
func (e *Emulator) FaultNext(f Fault, n int) {
	if n <= 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.oneShots = append(e.oneShots, oneShot{fault: f, remaining: n})
}

// Requests returns a copy of the recorded requests, oldest first.
func (e *Emulator) Requests() []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Request, len(e.requests))
	for i, r := range e.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Form = cloneValues(r.Form)
		out[i].TransferEncoding = slices.Clone(r.TransferEncoding)
	}
	return out
}

// Count returns how many requests have been recorded.
func (e *Emulator) Count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.requests)
}

// TokenFor returns the last token issued for a request with this mail.
func (e *Emulator) TokenFor(mail string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	tok, ok := e.tokens[mail]
	return tok, ok
}

// Tokens returns a copy of all issued tokens, keyed by mail.
func (e *Emulator) Tokens() map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]string, len(e.tokens))
	for k, v := range e.tokens {
		out[k] = v
	}
	return out
}

// FailAuthorization makes every later check of token answer 422 with
// CodeAuthFailed ("authorization fail"), whether or not it was issued.
func (e *Emulator) FailAuthorization(token string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.registered[token] = true
}

// checkCode returns how a check of token fails: CodeUnregistered,
// CodeAuthFailed, or -1 when it passes.
func (e *Emulator) checkCode(token string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	authFails, known := e.registered[token]
	switch {
	case authFails:
		return CodeAuthFailed
	case !known:
		return CodeUnregistered
	}
	return -1
}
