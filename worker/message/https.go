package message

import (
	"strings"

	"tokendesk/internal/stdlite"
)

// PlainHTTP reports whether t came over plain http to a host that is not
// loopback. The desk answers only over https; loopback hosts may use http,
// for local runs and tests. A GET or HEAD of such a URL is answered with a
// 308 to HTTPSURL; anything else is refused.
func PlainHTTP(t stdlite.Target) bool { return t.Scheme != "https" && !IsLoopbackHost(t.Hostname()) }

// HTTPSURL is t's URL over https.
func HTTPSURL(t stdlite.Target) string { return "https://" + t.Host + t.RequestURI() }

// IsLoopbackHost reports whether host (without port) is localhost,
// 127.0.0.0/8 or ::1. worker/site/pages.mjs holds the same rule for the
// pages; testdata/loopback.json holds both to it.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	switch strings.ToLower(host) {
	case "localhost", "::1", "0:0:0:0:0:0:0:1":
		return true
	}
	return strings.HasPrefix(host, "127.") && stdlite.IsIPv4(host)
}
