// Package e2e drives the token desk in a real browser (headless Chromium
// through chromedp) against the real stack: the prerendered site and the Go
// relay in workerd (`wrangler dev`), in front of the in-process MetaHuman SDK
// API emulator. Each scenario asserts what a person sees and what the page,
// the browser's storage and the worker's logs keep.
package e2e

import (
	"flag"
	"fmt"
	"runtime"
	"testing"

	"tokendesk/internal/stack"
)

func TestMain(m *testing.M) {
	flag.Parse()
	// One more suite than GOMAXPROCS at a time, unless -parallel says
	// otherwise: TestKeep's last step waits out the rest of the timed
	// clear's real 90 s in its slot, and then the other suites still
	// have two.
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", fmt.Sprint(runtime.GOMAXPROCS(0)+1))
	}
	stack.Main(m, "app/e2e", "build")
}
