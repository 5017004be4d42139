//go:build !(js && wasm)

package oembed

import (
	"net/http"

	"tokendesk/worker/message"
)

// ServeHTTP serves r with the handler, for native tests and tools; the
// Worker calls Serve.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil || r.URL.Scheme == "https" {
		scheme = "https"
	}
	a := h.Serve(&message.Request{Method: r.Method, URL: scheme + "://" + r.Host + r.URL.RequestURI()})
	for _, f := range a.Header {
		w.Header().Add(f.Name, f.Value)
	}
	w.WriteHeader(a.Status)
	w.Write(a.Body)
}
