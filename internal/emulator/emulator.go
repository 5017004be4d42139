// Package emulator is an EMULATOR of the MetaHuman SDK API token endpoint
// (POST https://api.metahumansdk.io/auth/token) and its token check
// (POST /glb_const/status). It is not the real API.
//
// It exists for tests and offline demos: it answers like the documented
// upstream (the check knows the tokens it issued), records every request it receives (including whether the body had
// a fixed Content-Length or was chunked), and can inject the failures seen in
// the wild (slow answers, 5xx, gateway 504s, malformed JSON, dropped
// connections) on demand, from Go or over HTTP under /emulator/.
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	mathrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	e := &Emulator{opts: opts}
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

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/emulator/") {
		e.serveControl(w, r)
		return
	}
	start := time.Now()
	rec := e.record(r)
	status, fault := e.serveAPI(w, r, rec)
	e.mu.Lock()
	rec.Status = status
	rec.Fault = fault
	e.mu.Unlock()
	if e.opts.Logger != nil {
		e.opts.Logger.Printf("%s %s %s fault=%s %s", r.Method, r.URL.Path, statusText(status), fault, time.Since(start).Round(time.Microsecond))
	}
}

func statusText(status int) string {
	if status == 0 {
		return "no-answer"
	}
	return strconv.Itoa(status)
}

// record stores the request before answering so that in-flight (slow)
// requests are already visible to tests.
func (e *Emulator) record(r *http.Request) *Request {
	rec := &Request{
		Time:             time.Now(),
		Method:           r.Method,
		Path:             r.URL.Path,
		Header:           r.Header.Clone(),
		ContentLength:    r.ContentLength,
		HasContentLength: r.Header.Get("Content-Length") != "",
		TransferEncoding: slices.Clone(r.TransferEncoding),
		Chunked:          slices.Contains(r.TransferEncoding, "chunked"),
		Form:             url.Values{},
		Fault:            FaultNone,
	}
	e.mu.Lock()
	e.requests = append(e.requests, rec)
	e.mu.Unlock()
	return rec
}

// serveAPI answers a non-control request and returns the status sent
// (0 when none was) and the fault applied.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request, rec *Request) (int, Fault) {
	check := r.URL.Path == CheckPath || r.URL.Path == CheckPathAlt
	if r.URL.Path != TokenPath && !check {
		return writeError(w, http.StatusNotFound, "Not found"), FaultNone
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return writeError(w, http.StatusMethodNotAllowed, "Method not allowed"), FaultNone
	}

	form, status, message := readFormStrictly(r)
	e.mu.Lock()
	rec.Form = form
	e.mu.Unlock()
	if status != 0 {
		return writeError(w, status, message), FaultNone
	}

	fault := e.nextFault()
	// Recorded before it acts: a dropped connection reaches the client
	// before this handler returns.
	e.mu.Lock()
	rec.Fault = fault
	e.mu.Unlock()
	switch fault {
	case FaultSlow:
		timer := time.NewTimer(e.opts.SlowDelay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return 0, fault // the client gave up; nobody is listening
		}
	case Fault5xx:
		return writeError(w, http.StatusServiceUnavailable, "Service temporarily unavailable"), fault
	case Fault504:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusGatewayTimeout)
		io.WriteString(w, "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n")
		return http.StatusGatewayTimeout, fault
	case Fault4xx:
		w.Header().Set("Retry-After", "1")
		return writeError(w, http.StatusTooManyRequests, "Too many requests"), fault
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"result": {"token": "`)
		return http.StatusOK, fault
	case FaultBadShape:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		if check {
			io.WriteString(w, `{"status": "ok"}`)
		} else {
			io.WriteString(w, `{"result": {"status": "ok"}}`)
		}
		return http.StatusOK, fault
	case FaultDrop:
		dropConnection(w)
		return 0, fault
	}

	if check {
		return e.serveCheck(w, form.Get("token")), fault
	}
	name, mail := form.Get("name"), form.Get("mail")
	if name == "" || mail == "" {
		return writeError(w, http.StatusBadRequest, "Fields name and mail are required"), fault
	}
	token := newUUIDv4()
	e.mu.Lock()
	rec.Token = token
	e.tokens[mail] = token
	e.registered[token] = false
	e.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"result": map[string]string{"token": token}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return http.StatusOK, fault
}

// HealthBody is the emulator's answer to a check of a registered token: the
// documented {"result": {...}}, with a plausible health report inside.
const HealthBody = `{"result": {"status": "ok", "service": "glb_const", "token": "registered"}}`

// serveCheck answers a token check: 200 for a token it issued, 422 with the
// documented error otherwise.
func (e *Emulator) serveCheck(w http.ResponseWriter, token string) int {
	switch e.checkCode(token) {
	case CodeUnregistered:
		return writeCheckError(w, CodeUnregistered, "unregistered token")
	case CodeAuthFailed:
		return writeCheckError(w, CodeAuthFailed, "authorization fail")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, HealthBody)
	return http.StatusOK
}

// writeCheckError answers 422 with the check's documented error shape,
// whose code is the API's own number, not an HTTP status.
func writeCheckError(w http.ResponseWriter, code int, message string) int {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": message}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnprocessableEntity)
	w.Write(body)
	return http.StatusUnprocessableEntity
}

// readFormStrictly reads exactly Content-Length bytes, the way a strict
// upstream does: a chunked body (no Content-Length) yields an empty form,
// which is the failure this emulator must expose in relays. A status other
// than 0 comes with the message the emulator answers.
func readFormStrictly(r *http.Request) (form url.Values, status int, message string) {
	if r.ContentLength <= 0 {
		return url.Values{}, 0, ""
	}
	if r.ContentLength > maxBodyBytes {
		return url.Values{}, http.StatusRequestEntityTooLarge, "Request body too large"
	}
	mediaType, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if !strings.EqualFold(strings.TrimSpace(mediaType), "application/x-www-form-urlencoded") {
		return url.Values{}, 0, ""
	}
	body := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, body); err != nil {
		return url.Values{}, http.StatusBadRequest, "Request body shorter than Content-Length"
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return url.Values{}, http.StatusBadRequest, "Malformed form body"
	}
	return form, 0, ""
}

// nextFault picks, in order: a queued one-shot fault, the sticky fault, a
// random fault from the configured rates.
func (e *Emulator) nextFault() Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.oneShots) > 0 {
		next := &e.oneShots[0]
		f := next.fault
		next.remaining--
		if next.remaining == 0 {
			e.oneShots = e.oneShots[1:]
		}
		return f
	}
	if e.sticky != FaultNone {
		return e.sticky
	}
	if e.opts.FailRate > 0 || e.opts.SlowRate > 0 {
		x := e.rng.Float64()
		switch {
		case x < e.opts.FailRate:
			return Fault5xx
		case x < e.opts.FailRate+e.opts.SlowRate:
			return FaultSlow
		}
	}
	return FaultNone
}

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// HTTP/2 or a wrapped writer: aborting the handler resets the stream.
	panic(http.ErrAbortHandler)
}

// writeError answers in the documented error shape of the MetaHuman SDK API.
func writeError(w http.ResponseWriter, status int, message string) int {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": status, "message": message}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
	return status
}

func newUUIDv4() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// serveControl handles the /emulator/ control endpoints.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	var allowed string
	switch r.URL.Path {
	case ControlFaultPath, ControlResetPath, ControlAuthFailPath:
		allowed = http.MethodPost
	case ControlRequestsPath:
		allowed = http.MethodGet
	default:
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	if r.Method != allowed {
		w.Header().Set("Allow", allowed)
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}

	switch r.URL.Path {
	case ControlFaultPath:
		e.serveSetFault(w, r)
	case ControlResetPath:
		e.Reset()
		writeJSON(w, map[string]bool{"reset": true})
	case ControlRequestsPath:
		writeJSON(w, e.Requests())
	case ControlAuthFailPath:
		e.serveAuthFail(w, r)
	}
	if e.opts.Logger != nil {
		e.opts.Logger.Printf("%s %s (control)", r.Method, r.URL.Path)
	}
}

// serveSetFault handles POST /emulator/fault?mode=M[&count=N]; without
// count the fault is sticky.
func (e *Emulator) serveSetFault(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fault, err := ParseFault(q.Get("mode"))
	if err != nil || !q.Has("mode") {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("mode must be one of %v", Faults))
		return
	}
	if !q.Has("count") {
		e.SetFault(fault)
		writeJSON(w, map[string]any{"mode": fault, "sticky": true})
		return
	}
	count, err := strconv.Atoi(q.Get("count"))
	if err != nil || count < 1 {
		writeError(w, http.StatusBadRequest, "count must be a positive integer")
		return
	}
	e.FaultNext(fault, count)
	writeJSON(w, map[string]any{"mode": fault, "count": count})
}

// serveAuthFail handles POST /emulator/authfail with a form body token=T.
func (e *Emulator) serveAuthFail(w http.ResponseWriter, r *http.Request) {
	form, status, message := readFormStrictly(r)
	if status != 0 {
		writeError(w, status, message)
		return
	}
	token := form.Get("token")
	if token == "" {
		writeError(w, http.StatusBadRequest, "send token=<the token> as a form body")
		return
	}
	e.FailAuthorization(token)
	writeJSON(w, map[string]bool{"authfail": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}
