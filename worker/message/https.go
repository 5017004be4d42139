package message

import (
	"strconv"
	"strings"
)

// PlainHTTP reports whether t came over plain http to a host that is not
// loopback. The desk answers only over https; loopback hosts may use http,
// for local runs and tests. A GET or HEAD of such a URL is answered with a
// 308 to HTTPSURL; anything else is refused.
func PlainHTTP(t Target) bool { return t.Scheme != "https" && !IsLoopbackHost(t.Hostname()) }

// HTTPSURL is t's URL over https.
func HTTPSURL(t Target) string { return "https://" + t.Host + t.RequestURI() }

// IsLoopbackHost reports whether host (without port) is localhost,
// 127.0.0.0/8 or ::1. (package net would tell as well, but it is the
// largest package the Worker could link.) worker/site/pages.mjs holds the
// same rule for the pages; testdata/loopback.json holds both to it.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	switch strings.ToLower(host) {
	case "localhost", "::1", "0:0:0:0:0:0:0:1":
		return true
	}
	octets := strings.Split(host, ".")
	if len(octets) != 4 || octets[0] != "127" {
		return false
	}
	for _, o := range octets {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 255 || len(o) > 3 || (len(o) > 1 && o[0] == '0') || o[0] == '+' {
			return false
		}
	}
	return true
}
