//go:build !(js && wasm)

package relay

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"tokendesk"
	"tokendesk/worker/message"
)

// This file adapts the relay to net/http for native tests, the fuzzer and
// tools. The Worker's build leaves it out: net/http would more than double
// the Worker's wasm and its cold start.

func init() { defaultTransport = HTTPTransport{} }

// ServeHTTP serves r with the relay.
func (rl *Relay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := &message.Request{Method: r.Method, URL: absoluteURL(r)}
	for name, values := range r.Header {
		for _, v := range values {
			req.Header.Add(name, v)
		}
	}
	if req.Header.Get("CF-Connecting-IP") == "" {
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			req.Header.Add("CF-Connecting-IP", host)
		}
	}
	if r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, tokendesk.MaxBodyBytes+1))
		if err != nil {
			http.Error(w, "the body could not be read", http.StatusBadRequest)
			return
		}
		req.Body = body
		if r.ContentLength > int64(len(body)) {
			req.BodySize = int(min(r.ContentLength, 1<<30))
		}
	}
	a := rl.Serve(req)
	WriteAnswer(w, a)
}

// WriteAnswer writes a to w.
func WriteAnswer(w http.ResponseWriter, a *message.Answer) {
	for _, f := range a.Header {
		w.Header().Add(f.Name, f.Value)
	}
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(a.Body)
}

func absoluteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.URL.Scheme == "https" {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host + r.URL.RequestURI()
}

// HTTPTransport makes the relay's outbound calls with net/http.
type HTTPTransport struct {
	// RoundTripper makes the calls; nil means http.DefaultTransport.
	// Redirects are not followed: it is called directly.
	RoundTripper http.RoundTripper
}

func (t HTTPTransport) RoundTrip(_ *message.Request, out *message.Outbound) (*message.Inbound, error) {
	ctx := context.Background()
	if out.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, out.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, out.Method, out.URL, strings.NewReader(out.Body))
	if err != nil {
		return nil, err
	}
	for _, f := range out.Header {
		req.Header.Add(f.Name, f.Value)
	}
	rt := t.RoundTripper
	if rt == nil {
		rt = http.DefaultTransport
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, message.ErrTimeout
		}
		return nil, err
	}
	defer resp.Body.Close()
	var answer io.Reader = resp.Body
	if out.MaxAnswerBytes > 0 {
		answer = io.LimitReader(resp.Body, int64(out.MaxAnswerBytes))
	}
	body, err := io.ReadAll(answer)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil, message.ErrTimeout
		}
		return nil, err
	}
	in := &message.Inbound{Status: resp.StatusCode, Body: body}
	for name, values := range resp.Header {
		for _, v := range values {
			in.Header.Add(name, v)
		}
	}
	return in, nil
}
