//go:build !js

package stack

import (
	"context"
	"sync"
	"testing"
)

// shared holds the stacks the tests of this test binary share, by name.
var shared struct {
	mu     sync.Mutex
	stacks map[string]*sharedStack
}

type sharedStack struct {
	once sync.Once
	s    *Stack
	err  error
}

// Shared returns the stack the tests of this test binary share under name,
// started with opts (and the heartbeat) by the first test that asks for
// it; Main closes it after the last test. One start instead of one a test;
// but its emulator and logs hold what every test did, so a test that needs
// a fault, a count or a log line of its own starts its own with StartT.
func Shared(t testing.TB, name string, opts Options) *Stack {
	t.Helper()
	SkipIfShort(t)
	shared.mu.Lock()
	if shared.stacks == nil {
		shared.stacks = map[string]*sharedStack{}
	}
	ss := shared.stacks[name]
	if ss == nil {
		ss = &sharedStack{}
		shared.stacks[name] = ss
	}
	shared.mu.Unlock()
	ss.once.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if ss.s, ss.err = Start(ctx, opts); ss.err == nil {
			ss.s.startHeartbeat()
		}
	})
	if ss.err != nil {
		t.Fatalf("stack %s: %v", name, ss.err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("wrangler output (tail):\n%s", ss.s.LogTail(60))
		}
	})
	return ss.s
}

// closeShared closes every shared stack.
func closeShared() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	for _, ss := range shared.stacks {
		if ss.s != nil {
			ss.s.Close()
		}
	}
}
