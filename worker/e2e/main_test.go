// Package e2e runs the real Worker (build/app.wasm) in workerd through
// `wrangler dev`, against the in-process MetaHuman SDK API emulator, and
// checks the relay's contract from the outside: what a client gets, what the
// upstream receives, and what the logs keep.
package e2e

import (
	"testing"

	"tokendesk/internal/stack"
)

func TestMain(m *testing.M) { stack.Main(m, "worker/e2e", "build/app.wasm") }
