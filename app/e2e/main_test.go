// Package e2e drives the token desk in a real browser (headless Chromium
// through chromedp) against the real stack: the prerendered site and the Go
// relay in workerd (`wrangler dev`), in front of the in-process MetaHuman SDK
// API emulator. Each scenario asserts what a person sees and what the page,
// the browser's storage and the worker's logs keep.
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
	if testing.Short() {
		os.Exit(m.Run()) // every test skips (stack.StartT)
	}
	if err := stack.Make("build"); err != nil {
		fmt.Fprintln(os.Stderr, "app/e2e: `make -s build` failed, so there is no site or worker to test:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
