//go:build !js

package stack

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
)

// What wrangler and the Worker print.

// Logs returns everything wrangler (and the worker's console) printed so far.
func (s *Stack) Logs() string { return s.logs.String() }

// LogTail returns the last n lines of Logs.
func (s *Stack) LogTail(n int) string {
	lines := strings.Split(strings.TrimRight(s.Logs(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Tail is LogTail for a failure's report: when wrangler dev has exited, it
// says so and shows the lines before the exit, not the goroutine dump that
// esbuild's service prints when wrangler leaves it.
func (s *Stack) Tail(n int) string {
	select {
	case <-s.exited:
	default:
		return s.LogTail(n)
	}
	logs := s.Logs()
	if i := strings.Index(logs, esbuildDump); i >= 0 {
		logs = logs[:i]
	}
	lines := strings.Split(strings.TrimRight(logs, "\n"), "\n")
	lines = lines[max(0, len(lines)-n):]
	return fmt.Sprintf("wrangler dev has exited (%v); its last lines:\n%s", s.Cmd.ProcessState, strings.Join(lines, "\n"))
}

// esbuildDump starts what esbuild's service prints when wrangler dev exits
// under it.
const esbuildDump = "fatal error: all goroutines are asleep"

type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lockedWriter serialises stdout and stderr copies into shared writers. It
// ignores their errors: a failing mirror must not stall wrangler's pipes.
type lockedWriter struct {
	mu      sync.Mutex
	writers []io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, w := range l.writers {
		w.Write(p)
	}
	return len(p), nil
}
