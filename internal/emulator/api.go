package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Answering the emulated API: the token endpoint and the token check.

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/emulator/") {
		e.serveControl(w, r)
		return
	}
	if r.URL.Path == SiteverifyPath {
		e.Siteverify.ServeHTTP(w, r)
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
