//go:build js && wasm

// Package jsruntime adapts the Workers runtime's JavaScript APIs to the Go
// interfaces the relay takes: fetch as an http.RoundTripper, and the
// rate-limiting binding as a relay.Limiter.
//
// The fetch transport exists because syumai/workers' own client sends every request body as a
// ReadableStream, which the upstream receives chunked and without a
// Content-Length (see shared/NOTES.md). Here the body goes to fetch as a
// string, so it has a fixed length.
package jsruntime

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall/js"
)

// Transport calls globalThis.fetch. Redirects are not followed.
type Transport struct{}

// global is the real global object: js.Global() is a Proxy of it in the
// workers runtime, and fetch called through that Proxy throws
// "Illegal invocation".
var global = js.Global().Get("globalThis")

func (Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body string
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = string(b)
	}

	headers := global.Get("Headers").New()
	for name, values := range req.Header {
		for _, v := range values {
			headers.Call("append", name, v)
		}
	}
	init := map[string]any{
		"method":   req.Method,
		"headers":  headers,
		"redirect": "manual",
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		init["body"] = body
	}
	abort := global.Get("AbortController").New()
	init["signal"] = abort.Get("signal")

	ctx := req.Context()
	res, err := await(ctx.Done(), abort, global.Call("fetch", req.URL.String(), init))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	buf, err := await(ctx.Done(), abort, res.Call("arrayBuffer"))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	bytes := global.Get("Uint8Array").New(buf)
	data := make([]byte, bytes.Get("length").Int())
	js.CopyBytesToGo(data, bytes)

	return &http.Response{
		Status:        res.Get("status").String() + " " + res.Get("statusText").String(),
		StatusCode:    res.Get("status").Int(),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        toHeader(res.Get("headers")),
		Body:          io.NopCloser(strings.NewReader(string(data))),
		ContentLength: int64(len(data)),
		Request:       req,
	}, nil
}

// await waits for a promise, aborting the fetch (if abort is an
// AbortController) when done closes first.
func await(done <-chan struct{}, abort, promise js.Value) (js.Value, error) {
	type outcome struct {
		value js.Value
		err   error
	}
	ch := make(chan outcome, 1)
	onResolve := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{value: args[0]}
		return nil
	})
	onReject := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "fetch failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- outcome{err: errors.New(msg)}
		return nil
	})
	defer onResolve.Release()
	defer onReject.Release()
	promise.Call("then", onResolve, onReject)
	select {
	case o := <-ch:
		return o.value, o.err
	case <-done:
		if abort.Truthy() {
			abort.Call("abort")
		}
		return js.Value{}, errors.New("fetch aborted")
	}
}

func toHeader(h js.Value) http.Header {
	header := http.Header{}
	iter := h.Call("entries")
	for {
		next := iter.Call("next")
		if next.Get("done").Bool() {
			return header
		}
		pair := next.Get("value")
		header.Add(pair.Index(0).String(), pair.Index(1).String())
	}
}
