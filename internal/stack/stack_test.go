//go:build !js

package stack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// relayJS is a minimal stand-in worker so the harness can be tested
// without the Go worker: it relays the form to UPSTREAM_URL with a
// fixed-length body and logs a marker to the console.
const relayJS = `export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("stand-in worker\n");
    console.log("stack-test-relay " + env.STACK_TEST_MARKER);
    const form = await request.text();
    const upstream = await fetch(env.UPSTREAM_URL + "/auth/token", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: form,
    });
    return new Response(await upstream.text(), {status: upstream.status, headers: {"Content-Type": "application/json"}});
  },
};
`

func writeStandInWorker(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	config := `name = "stack-test-relay"
main = "worker.js"
compatibility_date = "2025-01-01"
`
	if err := os.WriteFile(filepath.Join(dir, "wrangler.toml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "worker.js"), []byte(relayJS), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "wrangler.toml")
}

func TestStackWithStandInWorker(t *testing.T) {
	SkipIfShort(t)
	s := StartT(t, Options{
		Config: writeStandInWorker(t),
		Vars:   map[string]string{"STACK_TEST_MARKER": "marker-42"},
	})

	form := url.Values{"name": {"Ada"}, "mail": {"ada@example.com"}, "comment": {"hi"}}
	resp, err := http.PostForm(s.URL+"/", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var answer struct{ Result struct{ Token string } }
	if err := json.Unmarshal(body, &answer); resp.StatusCode != 200 || err != nil {
		t.Fatalf("status %d, body %q", resp.StatusCode, body)
	}
	if tok, ok := s.Emulator.TokenFor("ada@example.com"); !ok || tok != answer.Result.Token {
		t.Fatalf("client got %q, emulator issued %q", answer.Result.Token, tok)
	}
	if req := s.Emulator.Requests()[0]; !req.HasContentLength || req.Chunked {
		t.Fatalf("upstream request not fixed-length: %+v", req)
	}

	// Console output reaches Logs, possibly a moment after the answer.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.Logs(), "stack-test-relay marker-42") {
		if time.Now().After(deadline) {
			t.Fatalf("worker console log missing from Logs:\n%s", s.LogTail(30))
		}
		time.Sleep(50 * time.Millisecond)
	}

	procs := s.Processes()
	var sawWorkerd bool
	for _, p := range procs {
		sawWorkerd = sawWorkerd || p.Command == "workerd"
	}
	if !sawWorkerd {
		t.Fatalf("no workerd among stack processes %+v", procs)
	}
	if s.CPUTime() <= 0 {
		t.Fatalf("CPUTime is zero for %+v", procs)
	}

	pids := s.Pids()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if processAlive(pid) {
			t.Errorf("pid %d still alive after Close", pid)
		}
	}
	if _, err := http.Get(s.URL + "/"); err == nil {
		t.Error("worker still answers after Close")
	}
}

// TestStartRequiresBuild: a checkout without build output gets a hint to
// run make build, not a wrangler error.
func TestStartRequiresBuild(t *testing.T) {
	unbuilt := t.TempDir()
	if err := os.WriteFile(filepath.Join(unbuilt, "wrangler.toml"), []byte("name = \"x\"\nmain = \"worker/entry.mjs\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{Root: unbuilt, UpstreamURL: "http://127.0.0.1:9"})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("err %v, want a hint to run make build", err)
	}
}

// TestGoWorkerAnswers runs the real Go worker: the page, and a token
// relayed from the emulator, at the Worker's own socket, not through
// wrangler dev's ProxyWorker (direct.go); both serve the same site, down to
// its mark.
func TestGoWorkerAnswers(t *testing.T) {
	SkipIfShort(t)
	if err := Make("build"); err != nil {
		t.Fatal(err)
	}
	s := StartT(t, Options{})
	if s.URL == s.DevURL || s.stopHeartbeat != nil || strings.Contains(s.Logs(), throughProxy) {
		t.Fatalf("URL %s, DevURL %s, heartbeat %v: the test goes through wrangler dev's ProxyWorker:\n%s",
			s.URL, s.DevURL, s.stopHeartbeat != nil, s.LogTail(10))
	}
	for _, base := range []string{s.URL, s.DevURL} {
		resp, err := http.Get(base + heartbeatPath)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != s.mark {
			t.Errorf("%s%s holds %q, want the stack's mark %q", base, heartbeatPath, body, s.mark)
		}
	}
	resp, err := http.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "<form") {
		t.Fatalf("GET /: %d %.200s", resp.StatusCode, page)
	}
	resp, err = http.Post(s.URL+"/auth/token", "application/x-www-form-urlencoded", strings.NewReader("name=Stack+Test&mail=stack%40example.com"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token, ok := s.Emulator.TokenFor("stack@example.com")
	if resp.StatusCode != http.StatusOK || !ok || !strings.Contains(string(body), token) {
		t.Fatalf("POST /auth/token: %d %s", resp.StatusCode, body)
	}
	if len(s.Pids()) == 0 {
		t.Fatal("no stack processes found")
	}
}
