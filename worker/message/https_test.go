package message

import (
	"encoding/json"
	"os"
	"testing"

	"tokendesk/internal/stdlite"
)

// loopbackHosts reads the fixture that the Go and JS rules share.
func loopbackHosts(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile("testdata/loopback.json")
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	hosts := map[string]bool{}
	for host, v := range fields {
		if b, ok := v.(bool); ok {
			hosts[host] = b
		}
	}
	return hosts
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range loopbackHosts(t) {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestPlainHTTP(t *testing.T) {
	for raw, want := range map[string]string{
		"http://desk.example/embed?theme=dark":  "https://desk.example/embed?theme=dark",
		"http://desk.example:8080/oembed?url=x": "https://desk.example:8080/oembed?url=x",
		"https://desk.example/":                 "",
		"http://127.0.0.1:8787/":                "",
		"http://localhost/oembed":               "",
		"http://[::1]:8787/":                    "",
	} {
		target := stdlite.ParseTarget(raw)
		if got := PlainHTTP(target); got != (want != "") {
			t.Errorf("PlainHTTP(%s) = %v", raw, got)
		}
		if want != "" && HTTPSURL(target) != want {
			t.Errorf("HTTPSURL(%s) = %s, want %s", raw, HTTPSURL(target), want)
		}
	}
}
