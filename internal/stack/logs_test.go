//go:build !js

package stack

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTailOfAnExitedWrangler: once wrangler dev has exited, the report says
// so and shows its last lines, not the goroutine dump esbuild prints.
func TestTailOfAnExitedWrangler(t *testing.T) {
	s := &Stack{logs: &logBuffer{}, exited: make(chan struct{}), Cmd: &exec.Cmd{}}
	s.logs.Write([]byte("[wrangler:info] GET / 200 OK (3ms)\n✘ [ERROR]\n" + esbuildDump + " - deadlock!\n\ngoroutine 1 [chan receive]:\n"))
	if got := s.Tail(5); got != s.LogTail(5) {
		t.Errorf("a running stack's tail: %q, want LogTail's", got)
	}
	close(s.exited)
	got := s.Tail(5)
	if !strings.HasPrefix(got, "wrangler dev has exited") || !strings.HasSuffix(got, "✘ [ERROR]") || strings.Contains(got, "goroutine") {
		t.Errorf("an exited stack's tail: %q", got)
	}
}
