package e2e

import (
	"sync"
	"testing"

	"tokendesk/internal/stack"
)

// sharedStack is a stack that several tests use (stack.Shared): one wrangler
// start for them all instead of one each, and a start costs about 1.8 s of
// CPU on a machine the whole suite keeps busy (BENCHMARKS.md). A test that
// only reads what it asked for uses it beside the others (get); a test
// that counts what reaches the emulator between two points holds it alone
// (alone), since another test's request would count.
type sharedStack struct {
	name string
	opts stack.Options
	turn sync.Mutex
}

// plain is the Worker as make demo runs it: the emulator behind it, the
// default settings, the limiter off (stack.Options).
var plain = &sharedStack{name: "plain"}

// rateLimited has Cloudflare's rate-limiting binding on. Its tests each
// send as clients (CF-Connecting-IP) of their own, which have budgets of
// their own, so they do not spend each other's.
var rateLimited = &sharedStack{name: "rate limited", opts: stack.Options{Vars: map[string]string{"RATE_LIMIT": "on"}}}

// get returns the stack, started by the first test that asks.
func (s *sharedStack) get(t *testing.T) *stack.Stack {
	t.Helper()
	return stack.Shared(t, s.name, s.opts)
}

// alone returns the stack, and no other test holds it with alone until t
// ends.
func (s *sharedStack) alone(t *testing.T) *stack.Stack {
	t.Helper()
	st := s.get(t)
	s.turn.Lock()
	t.Cleanup(s.turn.Unlock)
	return st
}
