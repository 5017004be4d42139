//go:build js && wasm

// Package jsruntime runs the relay in the Workers runtime: Serve drives an
// http.Handler from worker/entry.mjs, Transport is fetch as an
// http.RoundTripper, and RateLimiter is the rate-limiting binding as a
// relay.Limiter. Both I/O adapters hand their work to the request's own JS
// code (see Serve).
package jsruntime

import (
	"io"
	"net/http"
	"strings"
)

// Transport fetches through the runtime's fetch, or a binding's (such as
// ASSETS). The body goes whole, so the upstream gets a fixed
// Content-Length (syumai/workers' client streams it chunked; see
// shared/NOTES.md). Redirects are not followed. Bodies are text both ways:
// forms out, JSON and HTML back.
type Transport struct {
	// Binding names the env binding whose fetch to use; empty means the
	// global fetch.
	Binding string
}

func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	o := perform(req.Context(), op{
		kind: 'F', binding: t.Binding, method: req.Method, url: req.URL.String(),
		header: headerLines(req.Header), timeoutMillis: timeoutMillis(req.Context()), body: body,
	})
	if o.err != nil {
		return nil, o.err
	}
	return &http.Response{
		Status:        http.StatusText(o.status),
		StatusCode:    o.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        parseHeader(o.header),
		Body:          io.NopCloser(strings.NewReader(o.body)),
		ContentLength: int64(len(o.body)),
		Request:       req,
	}, nil
}
