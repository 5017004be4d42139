package e2e

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

// TestConfigError checks that a non-loopback http:// UPSTREAM_URL makes every
// /auth/token answer a 500 config_error and sends nothing upstream.
func TestConfigError(t *testing.T) {
	t.Parallel() // a stack of its own for each case
	stack.SkipIfShort(t)
	t.Run("example.com", func(t *testing.T) {
		t.Parallel()
		s := stack.StartT(t, stack.Options{UpstreamURL: "http://example.com", Vars: map[string]string{"RATE_LIMIT": "off"}})
		checkConfigError(t, s, nil)
	})
	// The same refusal, provable: a non-loopback address of this machine
	// where an emulator listens, so anything sent would be recorded.
	t.Run("non-loopback address of this host", func(t *testing.T) {
		t.Parallel()
		ip := nonLoopbackIPv4()
		if ip == "" {
			t.Skip("this machine has no non-loopback IPv4 address")
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Skipf("cannot listen on %s: %v", ip, err)
		}
		emu := emulator.New(emulator.Options{})
		srv := &http.Server{Handler: emu, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		s := stack.StartT(t, stack.Options{UpstreamURL: "http://" + l.Addr().String(), Vars: map[string]string{"RATE_LIMIT": "off"}})
		checkConfigError(t, s, emu)
	})
}

func checkConfigError(t *testing.T, s *stack.Stack, emu *emulator.Emulator) {
	c := newClient(s)
	valid := url.Values{"name": {"Config e2e"}, "mail": {"config.e2e@example.com"}, "comment": {"cfg"}}
	cases := []struct {
		name   string
		method string
		header http.Header
		body   string
	}{
		{"valid post", http.MethodPost, http.Header{"Content-Type": {ctURLEncoded}}, encodeOrdered(valid)},
		{"multipart content type, bad body", http.MethodPost, http.Header{"Content-Type": {"multipart/form-data; boundary=x"}}, "junk"},
		{"invalid form", http.MethodPost, http.Header{"Content-Type": {ctURLEncoded}}, "name="},
		{"text/plain", http.MethodPost, http.Header{"Content-Type": {"text/plain"}}, "hi"},
		{"get", http.MethodGet, nil, ""},
		{"preflight", http.MethodOptions, http.Header{"Origin": {allowedOrigin}, "Access-Control-Request-Method": {"POST"}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			a := c.do(t, tc.method, "/auth/token", tc.header, body)
			e := wantError(t, a, 500, "config_error", "")
			// What is wrong is the operator's business: the log has it.
			if strings.Contains(e.Error.Message, "UPSTREAM_URL") || strings.Contains(string(a.body), "example.com") {
				t.Errorf("the answer shows the configuration to a client: %s", a.body)
			}
			// Nothing was sent to wait on: where an emulator listens, it
			// receives nothing (below).
		})
	}
	if emu != nil && emu.Count() != 0 {
		t.Errorf("the upstream received %d request(s): %+v", emu.Count(), emu.Requests())
	}
	// The relay logs "upstream_status":null when nothing was sent. Other paths (the
	// harness's readiness probe) are not part of this check.
	deadline := time.Now().Add(5 * time.Second)
	var lines [][]string
	for time.Now().Before(deadline) {
		lines = lines[:0]
		for _, m := range logLine.FindAllStringSubmatch(s.Logs(), -1) {
			if m[2] == "/auth/token" {
				lines = append(lines, m)
			}
		}
		if len(lines) >= len(cases) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(lines) != len(cases) {
		t.Errorf("%d relay log lines, want %d", len(lines), len(cases))
	}
	for _, m := range lines {
		if m[3] != "500" || m[4] != "null" {
			t.Errorf("log line %q: want status=500 upstream=-", m[0])
		}
	}
	if !strings.Contains(s.Logs(), `"code":"config_error","detail":"UPSTREAM_URL must use https://`) {
		t.Errorf("no log line names what is wrong with UPSTREAM_URL:\n%s", s.Logs())
	}
}

func nonLoopbackIPv4() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}
