//go:build !js

package stack

import (
	"context"
	"sync"
	"testing"
)

// onceEach runs a function once per key, however many goroutines ask at
// once, and gives every caller its result.
type onceEach[T any] struct {
	mu   sync.Mutex
	runs map[string]func() (T, error)
}

// do returns the result of the first f given for key, running it if no
// caller has yet.
func (o *onceEach[T]) do(key string, f func() (T, error)) (T, error) {
	o.mu.Lock()
	if o.runs == nil {
		o.runs = map[string]func() (T, error){}
	}
	run, ok := o.runs[key]
	if !ok {
		run = sync.OnceValues(f)
		o.runs[key] = run
	}
	o.mu.Unlock()
	return run()
}

// results calls each with every result so far that has no error.
func (o *onceEach[T]) results(each func(T)) {
	o.mu.Lock()
	runs := make([]func() (T, error), 0, len(o.runs))
	for _, run := range o.runs {
		runs = append(runs, run)
	}
	o.mu.Unlock()
	for _, run := range runs {
		if v, err := run(); err == nil {
			each(v)
		}
	}
}

// shared holds the stacks the tests of this test binary share, by name.
var shared onceEach[*Stack]

// Shared returns the stack the tests of this test binary share under name,
// started with opts, and readied as forTest does, by the first test that
// asks for it; Main closes it after the last test. One start instead of one
// a test; but its emulator and logs hold what every test did, so a test
// that needs a fault or a log line of its own starts its own with StartT,
// and one that counts what reaches the emulator counts from where it began,
// while no other test that sends to the upstream runs.
func Shared(t testing.TB, name string, opts Options) *Stack {
	t.Helper()
	SkipIfShort(t)
	s, err := shared.do(name, func() (*Stack, error) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, err := Start(ctx, opts)
		if err == nil {
			s.forTest()
		}
		return s, err
	})
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("wrangler output (tail):\n%s", s.LogTail(60))
		}
	})
	return s
}

// closeShared closes every shared stack.
func closeShared() {
	shared.results(func(s *Stack) { s.Close() })
}
