//go:build !(js && wasm)

package relay

import (
	"tokendesk/worker/message"

	"tokendesk"

	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRelay sends random methods, paths, headers and bodies through the
// whole handler. Invariants: no panic; no 5xx (the upstream here never
// fails); the upstream is called only for a valid POST /auth/token, and
// then exactly once.
func FuzzRelay(f *testing.F) {
	f.Add("POST", "/auth/token", "application/x-www-form-urlencoded", "", "", validForm)
	f.Add("POST", "/auth/token", "multipart/form-data; boundary=x", "", "text/html", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nA\r\n--x--\r\n")
	f.Add("OPTIONS", "/auth/token", "", "https://docs.example.com", "", "")
	f.Add("GET", "/auth/token/../../etc", "", "", "", "")
	f.Add("POST", "//api.metahumansdk.io/auth/token", "application/x-www-form-urlencoded", "null", "*/*", validForm)
	f.Add("POST", "/auth/token", "application/x-www-form-urlencoded", "http://localhost:8787", "text/html;q=0.1", "name=A&mail=a%40b.io&name=B")
	f.Add("PATCH", "/", "text/plain", "", "", "hello")
	up := newUpstream(f, answerJSON(200, okBody))
	rl := &Relay{Config: Config{UpstreamURL: up.URL, AllowedOrigins: "https://docs.example.com"}, Log: func(*message.Request, LogEntry) {}}
	f.Fuzz(func(t *testing.T, method, path, contentType, origin, accept, body string) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\x00#?") {
			return // not a request a client could send
		}
		r := httptest.NewRequest("GET", "http://localhost:8787/", strings.NewReader(body))
		r.Method, r.URL.Path, r.RequestURI = method, path, path
		for k, v := range map[string]string{"Content-Type": contentType, "Origin": origin, "Accept": accept} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		before := up.count()
		w := httptest.NewRecorder()
		rl.ServeHTTP(w, r)
		calls := up.count() - before
		if w.Code >= 500 {
			t.Fatalf("%s %s answered %d: %s", method, path, w.Code, w.Body)
		}
		if calls > 1 || (calls == 1 && (w.Code != 200 || path != tokendesk.TokenPath || method != http.MethodPost)) {
			t.Fatalf("%s %s -> %d with %d upstream calls", method, path, w.Code, calls)
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < '!' || c > '~' || strings.ContainsRune("()<>@,;:\\\"/[]?={}", c) {
			return false
		}
	}
	return true
}
