//go:build !(js && wasm)

package relay

import "net/http"

var defaultTransport http.RoundTripper = http.DefaultTransport
