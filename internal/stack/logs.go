//go:build !js

package stack

import (
	"bytes"
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
