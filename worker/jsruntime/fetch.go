//go:build js && wasm

// Package jsruntime runs the relay in the Workers runtime: Serve drives an
// http.Handler from worker/entry.mjs, Transport is fetch as an
// http.RoundTripper, and RateLimiter is the rate-limiting binding as a
// relay.Limiter. Both I/O adapters hand their work to the request's own JS
// code (see Serve).
package jsruntime

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"syscall/js"
)

// Transport fetches through the runtime's fetch, or a binding's (such as
// ASSETS). The body goes as bytes, so the upstream gets a fixed
// Content-Length (syumai/workers' client streams it chunked; see
// shared/NOTES.md). Redirects are not followed.
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
	op := map[string]any{
		"op":      "fetch",
		"method":  req.Method,
		"url":     req.URL.String(),
		"headers": flattenHeader(req.Header),
		"timeout": timeoutMillis(req.Context()),
		"binding": t.Binding,
	}
	if len(body) > 0 {
		op["body"] = bytesToJS(body)
	}
	res, err := perform(req.Context(), op)
	if err != nil {
		if err == errTimeout {
			return nil, context.DeadlineExceeded
		}
		return nil, err
	}
	jsBody := res.Get("body")
	data := make([]byte, jsBody.Get("length").Int())
	js.CopyBytesToGo(data, jsBody)
	status := res.Get("status").Int()
	return &http.Response{
		Status:        http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        parseHeader(res.Get("headers").String()),
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)),
		Request:       req,
	}, nil
}
