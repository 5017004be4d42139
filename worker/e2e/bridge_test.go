package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokendesk/internal/stack"
	"tokendesk/worker/site"
)

// buildFaultWorker builds worker/bridge/internal/faultworker for js/wasm.
func buildFaultWorker(t *testing.T) string {
	t.Helper()
	root, err := stack.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "faultworker.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./worker/bridge/internal/faultworker")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build faultworker: %v\n%s", err, b)
	}
	return out
}

type bridgeAnswer struct {
	status  int
	header  http.Header
	body    string
	elapsed time.Duration
}

func getAnswer(t *testing.T, url string) bridgeAnswer {
	t.Helper()
	start := time.Now()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return bridgeAnswer{resp.StatusCode, resp.Header, string(b), time.Since(start)}
}

// wantInternalError checks the bridge's 500: JSON in the contract's shape.
func wantInternalError(t *testing.T, what string, a bridgeAnswer) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	if a.status != 500 || json.Unmarshal([]byte(a.body), &e) != nil || e.Error.Code != "internal_error" || e.Error.Message == "" {
		t.Errorf("%s: %d %q, want 500 internal_error JSON", what, a.status, a.body)
	}
	// The same security headers as every answer of the Worker's.
	for _, f := range site.AnswerHeaders() {
		if got := a.header.Get(f.Name); got != f.Value {
			t.Errorf("%s: %s: %q, want %q", what, f.Name, got, f.Value)
		}
	}
	if got := a.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: Cache-Control: %q, want no-store", what, got)
	}
}

// TestBridgeFailures runs a Worker whose Go handler fails on purpose
// behind the real entry.mjs in workerd: no failure of Go may hang a
// request, and a dead instance is replaced by the next request.
func TestBridgeFailures(t *testing.T) {
	stack.SkipIfShort(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(1500 * time.Millisecond)
		io.WriteString(w, "slow answer")
	}))
	defer slow.Close()
	s := stack.StartT(t, stack.Options{Wasm: buildFaultWorker(t), UpstreamURL: slow.URL, ReadyPath: "/ok"})
	u := s.URL

	first := getAnswer(t, u+"/ok")
	if first.status != 200 {
		t.Fatalf("/ok: %d %s", first.status, first.body)
	}

	// A panicking handler: 500, and the instance lives on.
	wantInternalError(t, "a panicking handler", getAnswer(t, u+"/panic"))
	if a := getAnswer(t, u+"/ok"); a.body != first.body {
		t.Errorf("after a panic the instance changed: %q, was %q", a.body, first.body)
	}

	// A handler that blocks on something that is not the bridge's: 500 at
	// the bridge's deadline (2 s here), and other requests are served
	// meanwhile.
	hung := make(chan bridgeAnswer, 1)
	go func() { hung <- getAnswer(t, u+"/hang") }()
	time.Sleep(300 * time.Millisecond)
	if a := getAnswer(t, u+"/ok"); a.status != 200 || a.elapsed > time.Second {
		t.Errorf("while a handler hangs, /ok took %v: %d %s", a.elapsed, a.status, a.body)
	}
	a := <-hung
	wantInternalError(t, "a hanging handler", a)
	if a.elapsed < 1500*time.Millisecond || a.elapsed > 5*time.Second {
		t.Errorf("a hanging handler was answered after %v, want about the 2 s deadline", a.elapsed)
	}

	// Go exits while one request waits on it and another awaits a fetch:
	// the waiting one gets its 500 at once, the fetching one when its
	// fetch returns, and the next request starts a fresh instance.
	hung = make(chan bridgeAnswer, 1)
	fetching := make(chan bridgeAnswer, 1)
	go func() { hung <- getAnswer(t, u+"/hang") }()
	go func() { fetching <- getAnswer(t, u+"/fetch") }()
	time.Sleep(300 * time.Millisecond)
	exitAt := time.Now()
	wantInternalError(t, "the request that made Go exit", getAnswer(t, u+"/exit"))
	a = <-hung
	wantInternalError(t, "a request waiting on Go when it exited", a)
	if waited := time.Since(exitAt); waited > time.Second {
		t.Errorf("a request waiting on Go got its bridgeAnswer %v after the exit, want at once", waited)
	}
	wantInternalError(t, "a request whose fetch returned into an exited Go", <-fetching)
	fresh := getAnswer(t, u+"/ok")
	if fresh.status != 200 || fresh.body == first.body {
		t.Errorf("after an exit: %d %q, want 200 from a fresh instance (was %q)", fresh.status, fresh.body, first.body)
	}
	if a := getAnswer(t, u+"/fetch"); a.status != 200 || !strings.HasSuffix(a.body, "slow answer") {
		t.Errorf("the fresh instance's fetch: %d %q", a.status, a.body)
	}
}

// TestBridgeSetupFailure: a Go instance that panics while it starts gives
// every request a 500 JSON error, never a hang or an HTML error page.
func TestBridgeSetupFailure(t *testing.T) {
	stack.SkipIfShort(t)
	s := stack.StartT(t, stack.Options{Wasm: buildFaultWorker(t), Vars: map[string]string{"FAULT": "setup-panic"}, ReadyPath: "/ok"})
	for range 2 {
		a := getAnswer(t, s.URL+"/ok")
		wantInternalError(t, "a request to an instance that cannot start", a)
		if a.elapsed > 2*time.Second {
			t.Errorf("answered after %v", a.elapsed)
		}
	}
}
