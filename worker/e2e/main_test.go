// Package e2e runs the real Worker (build/app.wasm) in workerd through
// `wrangler dev`, against the in-process MetaHuman SDK API emulator, and
// checks the relay's contract from the outside: what a client gets, what the
// upstream receives, and what the logs keep.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"tokendesk/internal/stack"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		if err := stack.Make("build/app.wasm"); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: building the worker failed:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}
