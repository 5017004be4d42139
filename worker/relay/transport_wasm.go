//go:build js && wasm

package relay

import "net/http"

// defaultTransport is nil in the Worker; main injects one over fetch.
var defaultTransport http.RoundTripper
