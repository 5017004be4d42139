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
	status int
	header http.Header
	body   string
}

// bridgeClient's timeout turns a request the bridge lets hang into an
// error, well after the fault worker's 2 s deadline.
var bridgeClient = &http.Client{Timeout: 30 * time.Second}

// get asks for url; an error is returned, so a request sent from another
// goroutine reports it through the test's own.
func get(url string) (bridgeAnswer, error) {
	resp, err := bridgeClient.Get(url)
	if err != nil {
		return bridgeAnswer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return bridgeAnswer{resp.StatusCode, resp.Header, string(b)}, err
}

func getAnswer(t *testing.T, url string) bridgeAnswer {
	t.Helper()
	a, err := get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return a
}

// getLater sends a GET from another goroutine; receive its outcome with
// answerOf.
func getLater(url string) <-chan result {
	c := make(chan result, 1)
	go func() {
		a, err := get(url)
		c <- result{a, err}
	}()
	return c
}

type result struct {
	bridgeAnswer
	err error
}

func answerOf(t *testing.T, what string, c <-chan result) bridgeAnswer {
	t.Helper()
	r := <-c
	if r.err != nil {
		t.Fatalf("%s: %v", what, r.err)
	}
	return r.bridgeAnswer
}

// waitForLog waits until the Worker's log holds line n times since it was
// offset bytes long: what the Worker logs orders the steps, not a sleep.
func waitForLog(t *testing.T, s *stack.Stack, offset int, line string, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); strings.Count(s.Logs()[offset:], line) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the Worker's log does not hold %q %d times:\n%s", line, n, s.LogTail(30))
		}
	}
}

// The bridge's log lines (worker/entry.mjs) and the fault worker's.
const (
	logDeadline  = `{"bridge":"deadline passed"`
	logFailed    = `{"bridge":"failed"`
	logNoStart   = `{"bridge":"start failed"`
	logHangBlock = "faultworker: /hang blocks"
)

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
// request, and a dead instance is replaced by the next request. Each step
// waits for what the Worker or its upstream saw, never for a time.
func TestBridgeFailures(t *testing.T) {
	t.Parallel() // a stack of its own
	stack.SkipIfShort(t)
	// The upstream holds each fetch until the test lets it answer.
	fetched, release := make(chan struct{}, 4), make(chan struct{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, "slow answer")
	}))
	defer upstream.Close()
	s := stack.StartT(t, stack.Options{Wasm: buildFaultWorker(t), UpstreamURL: upstream.URL, ReadyPath: "/ok"})
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
	offset := len(s.Logs())
	hung := getLater(u + "/hang")
	waitForLog(t, s, offset, logHangBlock, 1)
	if a := getAnswer(t, u+"/ok"); a.status != 200 || a.body != first.body {
		t.Errorf("while a handler hangs, /ok: %d %s", a.status, a.body)
	}
	select {
	case <-hung:
		t.Error("the hanging handler was answered before the /ok sent while it hung: /ok waited for it")
		hung = nil
	default:
	}
	if hung != nil {
		wantInternalError(t, "a hanging handler", answerOf(t, "GET /hang", hung))
	}
	waitForLog(t, s, offset, logDeadline, 1)

	// Go exits while one request waits on it and another awaits a fetch:
	// the waiting one gets its 500 at the exit (not at its deadline), the
	// fetching one when its fetch returns, and the next request starts a
	// fresh instance.
	offset = len(s.Logs())
	hung = getLater(u + "/hang")
	waitForLog(t, s, offset, logHangBlock, 1)
	fetching := getLater(u + "/fetch")
	<-fetched
	wantInternalError(t, "the request that made Go exit", getAnswer(t, u+"/exit"))
	wantInternalError(t, "a request waiting on Go when it exited", answerOf(t, "GET /hang", hung))
	waitForLog(t, s, offset, logFailed, 2) // the /exit's and the /hang's; the /fetch is held
	if strings.Contains(s.Logs()[offset:], logDeadline) {
		t.Errorf("a request waiting on Go when it exited waited for its deadline:\n%s", s.LogTail(20))
	}
	close(release)
	wantInternalError(t, "a request whose fetch returned into an exited Go", answerOf(t, "GET /fetch", fetching))
	fresh := getAnswer(t, u+"/ok")
	if fresh.status != 200 || fresh.body == first.body {
		t.Errorf("after an exit: %d %q, want 200 from a fresh instance (was %q)", fresh.status, fresh.body, first.body)
	}
	if a := getAnswer(t, u+"/fetch"); a.status != 200 || !strings.HasSuffix(a.body, "slow answer") {
		t.Errorf("the fresh instance's fetch: %d %q", a.status, a.body)
	}
}

// TestBridgeSetupFailure: a Go instance that panics while it starts gives
// every request a 500 JSON error at once (the start's failure, not a
// deadline), never a hang or an HTML error page.
func TestBridgeSetupFailure(t *testing.T) {
	t.Parallel() // a stack of its own
	stack.SkipIfShort(t)
	s := stack.StartT(t, stack.Options{Wasm: buildFaultWorker(t), Vars: map[string]string{"FAULT": "setup-panic"}, ReadyPath: "/ok"})
	offset := len(s.Logs())
	for i := range 2 {
		wantInternalError(t, "a request to an instance that cannot start", getAnswer(t, s.URL+"/ok"))
		waitForLog(t, s, offset, logNoStart, i+1)
	}
	if strings.Contains(s.Logs()[offset:], logDeadline) {
		t.Errorf("a request to an instance that cannot start waited for a deadline:\n%s", s.LogTail(20))
	}
}
