//go:build js && wasm

package jsruntime

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
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
// JS code performs it and resumes Go with the outcome.
//
// Each call crosses as one string each way (the format is in entry.mjs):
// every js.Value access is a crossing with a finalizer, and those were a
// large part of a request's cost.
func Serve(h http.Handler) {
	p := &pump{handler: h, calls: map[int]*call{}, idle: make(chan func())}
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
	// idle holds handler goroutines waiting for work. Reusing them keeps
	// their grown stacks: a fresh goroutine copies its stack several times
	// on the way down through net/http and encoding/json.
	idle chan func()
}

// call is one request in flight.
type call struct {
	id      int
	ops     chan op      // handler → JS: an operation to await
	results chan outcome // JS → handler: how it went
	done    chan *responseBuffer
}

// op is an operation for JS to perform: a fetch or a rate-limit check.
type op struct {
	kind    byte // 'F' fetch, 'L' limit
	binding string
	// fetch
	method, url, header string
	timeoutMillis       int
	body                []byte
	// limit
	key string
}

// outcome is what JS reports back: for a fetch the response, for a limit
// "1" or "0" in body.
type outcome struct {
	status int
	header string
	body   string
	err    error
}

type callKey struct{}

// perform hands o to the request's JS code and waits for the outcome.
func perform(ctx context.Context, o op) outcome {
	c, ok := ctx.Value(callKey{}).(*call)
	if !ok {
		return outcome{err: errors.New("jsruntime: I/O outside a request served by jsruntime.Serve")}
	}
	c.ops <- o
	return <-c.results
}

// start("METHOD\nURL\nheader lines\n\nbody") begins a request and returns
// its first step.
func (p *pump) start(_ js.Value, args []js.Value) any {
	p.nextID++
	c := &call{
		id:      p.nextID,
		ops:     make(chan op),
		results: make(chan outcome),
		done:    make(chan *responseBuffer, 1),
	}
	req, err := parseRequest(args[0].String())
	if err != nil {
		return responseStep(&responseBuffer{status: http.StatusBadRequest, header: http.Header{}})
	}
	req = req.WithContext(context.WithValue(context.Background(), callKey{}, c))
	p.calls[c.id] = c
	p.run(func() {
		w := &responseBuffer{header: http.Header{}}
		defer func() {
			if recover() != nil {
				w = &responseBuffer{status: http.StatusInternalServerError, header: http.Header{"Cache-Control": {"no-store"}}}
			}
			c.done <- w
		}()
		p.handler.ServeHTTP(w, req)
	})
	return p.next(c)
}

// run runs job on an idle handler goroutine, or a new one if none is idle.
func (p *pump) run(job func()) {
	select {
	case p.idle <- job:
	default:
		go func() {
			for {
				job()
				job = <-p.idle
			}
		}()
	}
}

// resume("id\n1\nstatus\nheader lines\n\nbody") or resume("id\n0\nerror")
// delivers an operation's outcome.
func (p *pump) resume(_ js.Value, args []js.Value) any {
	msg := args[0].String()
	idText, rest, _ := strings.Cut(msg, "\n")
	id, _ := strconv.Atoi(idText)
	c, ok := p.calls[id]
	if !ok {
		return responseStep(&responseBuffer{status: http.StatusInternalServerError, header: http.Header{}})
	}
	flag, rest, _ := strings.Cut(rest, "\n")
	var o outcome
	switch {
	case flag == "0" && rest == "timeout":
		o.err = context.DeadlineExceeded
	case flag == "0":
		o.err = errors.New(rest)
	default:
		statusText, rest, _ := strings.Cut(rest, "\n")
		o.status, _ = strconv.Atoi(statusText)
		o.header, o.body = splitHead(rest)
	}
	c.results <- o
	return p.next(c)
}

// next waits, without JS, until the handler needs I/O or has answered.
func (p *pump) next(c *call) any {
	select {
	case o := <-c.ops:
		return opStep(c.id, o)
	case w := <-c.done:
		delete(p.calls, c.id)
		return responseStep(w)
	}
}

// opStep is "F id\nbinding\nmethod\nurl\ntimeout\nheader lines\n\nbody" or
// "L id\nbinding\nkey".
func opStep(id int, o op) string {
	var b strings.Builder
	b.WriteByte(o.kind)
	b.WriteString(strconv.Itoa(id))
	b.WriteByte('\n')
	b.WriteString(o.binding)
	b.WriteByte('\n')
	if o.kind == 'L' {
		b.WriteString(o.key)
		return b.String()
	}
	b.WriteString(o.method + "\n" + o.url + "\n" + strconv.Itoa(o.timeoutMillis) + "\n" + o.header + "\n")
	b.Write(o.body)
	return b.String()
}

// responseStep is "R status\nheader lines\n\nbody".
func responseStep(w *responseBuffer) string {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	var b strings.Builder
	b.Grow(64 + w.body.Len())
	b.WriteString("R" + strconv.Itoa(status) + "\n")
	writeHeader(&b, w.header)
	b.WriteByte('\n')
	b.Write(w.body.Bytes())
	return b.String()
}

func parseRequest(msg string) (*http.Request, error) {
	method, rest, _ := strings.Cut(msg, "\n")
	rawURL, rest, _ := strings.Cut(rest, "\n")
	header, body := splitHead(rest)
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	r := &http.Request{
		Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: parseHeader(header), Host: u.Host, RequestURI: u.RequestURI(),
		Body: http.NoBody, ContentLength: int64(len(body)),
	}
	if body != "" {
		r.Body = readCloser{strings.NewReader(body)}
	}
	r.RemoteAddr = r.Header.Get("CF-Connecting-IP")
	return r, nil
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// splitHead splits header lines (each ending in "\n") from the body after
// the blank line.
func splitHead(s string) (header, body string) {
	if strings.HasPrefix(s, "\n") {
		return "", s[1:]
	}
	if i := strings.Index(s, "\n\n"); i >= 0 {
		return s[:i+1], s[i+2:]
	}
	return s, ""
}

// Headers cross as "name:value\n" lines.
func parseHeader(lines string) http.Header {
	h := make(http.Header, strings.Count(lines, "\n")+1)
	for line := range strings.Lines(lines) {
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ":")
		if ok {
			h.Add(name, value)
		}
	}
	return h
}

func writeHeader(b *strings.Builder, h http.Header) {
	for name, values := range h {
		for _, v := range values {
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
}

func headerLines(h http.Header) string {
	var b strings.Builder
	writeHeader(&b, h)
	return b.String()
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
	return max(1, int(time.Until(deadline).Milliseconds()))
}
