//go:build js && wasm

package jsruntime

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"syscall/js"
	"time"

	"github.com/syumai/workers"
)

// Serve answers the Worker's requests with h from one long-lived Go
// instance, driven by worker/entry.mjs.
//
// Why not syumai/workers' Serve: it starts a fresh Go instance for every
// request, which costs more than the relay itself. And why not simply keep
// one instance with goroutines calling fetch: workerd ties every I/O object
// to the request that created it, and Go's scheduler runs any ready
// goroutine during whichever request's callback is on the stack. So Go
// never touches I/O here. A request is a series of synchronous calls
// (start, then resume after each await); whenever the handler needs I/O
// (fetch, the rate limiter) it hands JS an operation, and the request's own
// JS code performs it and resumes Go with the result.
func Serve(h http.Handler) {
	p := &pump{handler: h, calls: map[int]*call{}}
	binding := js.Global().Get("context").Get("binding")
	binding.Set("start", js.FuncOf(p.start))
	binding.Set("resume", js.FuncOf(p.resume))
	workers.Ready()
	select {}
}

type pump struct {
	handler http.Handler
	calls   map[int]*call
	nextID  int
}

// call is one request in flight.
type call struct {
	id      int
	ops     chan map[string]any // handler → JS: an operation to await
	results chan opResult       // JS → handler: its outcome
	done    chan *responseBuffer
}

type opResult struct {
	value js.Value
	err   error
}

type callKey struct{}

// errTimeout is what an operation reports when its time ran out in JS.
var errTimeout = context.DeadlineExceeded

// perform hands op to the request's JS code and waits for the outcome.
func perform(ctx context.Context, op map[string]any) (js.Value, error) {
	c, ok := ctx.Value(callKey{}).(*call)
	if !ok {
		return js.Value{}, errors.New("jsruntime: I/O outside a request served by jsruntime.Serve")
	}
	c.ops <- op
	r := <-c.results
	return r.value, r.err
}

// start(method, url, headers, body) begins a request and returns its first
// step: an operation to perform or the response.
func (p *pump) start(_ js.Value, args []js.Value) any {
	p.nextID++
	c := &call{
		id:      p.nextID,
		ops:     make(chan map[string]any),
		results: make(chan opResult),
		done:    make(chan *responseBuffer, 1),
	}
	req, err := newRequest(args[0].String(), args[1].String(), args[2].String(), args[3])
	if err != nil {
		return responseStep(&responseBuffer{status: http.StatusBadRequest, header: http.Header{}})
	}
	req = req.WithContext(context.WithValue(context.Background(), callKey{}, c))
	p.calls[c.id] = c
	go func() {
		w := &responseBuffer{header: http.Header{}}
		defer func() {
			if recover() != nil {
				w = &responseBuffer{status: http.StatusInternalServerError, header: http.Header{"Cache-Control": {"no-store"}}}
			}
			c.done <- w
		}()
		p.handler.ServeHTTP(w, req)
	}()
	return p.next(c)
}

// resume(id, {ok, value, error}) delivers an operation's outcome.
func (p *pump) resume(_ js.Value, args []js.Value) any {
	c, ok := p.calls[args[0].Int()]
	if !ok {
		return responseStep(&responseBuffer{status: http.StatusInternalServerError, header: http.Header{}})
	}
	outcome := args[1]
	r := opResult{value: outcome.Get("value")}
	if !outcome.Get("ok").Bool() {
		if msg := outcome.Get("error").String(); msg == "timeout" {
			r.err = errTimeout
		} else {
			r.err = errors.New(msg)
		}
	}
	c.results <- r
	return p.next(c)
}

// next waits, without JS, until the handler needs I/O or has answered.
func (p *pump) next(c *call) any {
	select {
	case op := <-c.ops:
		op["id"] = c.id
		return op
	case w := <-c.done:
		delete(p.calls, c.id)
		return responseStep(w)
	}
}

func responseStep(w *responseBuffer) any {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	return map[string]any{"status": status, "headers": flattenHeader(w.header), "body": bytesToJS(w.body.Bytes())}
}

func newRequest(method, rawURL, headers string, body js.Value) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	r := &http.Request{
		Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: parseHeader(headers), Host: u.Host, RequestURI: u.RequestURI(),
	}
	var b []byte
	if body.Truthy() {
		b = make([]byte, body.Get("length").Int())
		js.CopyBytesToGo(b, body)
	}
	r.Body = http.NoBody
	if len(b) > 0 {
		r.Body = readCloser{bytes.NewReader(b)}
	}
	r.ContentLength = int64(len(b))
	r.RemoteAddr = r.Header.Get("CF-Connecting-IP")
	return r, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// Headers cross as "name:value\n" lines: one string instead of a JS call
// per header.
func parseHeader(lines string) http.Header {
	h := make(http.Header, strings.Count(lines, "\n"))
	for line := range strings.Lines(lines) {
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ":")
		if ok {
			h.Add(name, value)
		}
	}
	return h
}

func flattenHeader(h http.Header) string {
	var b strings.Builder
	for name, values := range h {
		for _, v := range values {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var uint8Array = js.Global().Get("Uint8Array")

func bytesToJS(b []byte) js.Value {
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// responseBuffer is an http.ResponseWriter that keeps the whole answer; the
// relay's answers are small.
type responseBuffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *responseBuffer) Header() http.Header { return w.header }

func (w *responseBuffer) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *responseBuffer) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// timeoutMillis is what is left of ctx's deadline, for the JS side's abort
// signal; 0 means none.
func timeoutMillis(ctx context.Context) int {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0
	}
	ms := int(time.Until(deadline).Milliseconds())
	if ms < 1 {
		ms = 1
	}
	return ms
}
