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
	"os/exec"

	"testing"

	"tokendesk/worker/stack"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if err := build(); err != nil {
		fmt.Fprintln(os.Stderr, "app/e2e: `make -s build` failed, so there is no site or worker to test:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// build runs `make -s build` at the repository root: the worker (build/)
// and the prerendered site with app.wasm (dist/). Each stack then runs on a
// private snapshot of both.
func build() error {
	root, err := stack.FindRepoRoot()
	if err != nil {
		return err
	}
	// `make build` reinstalls node_modules with `npm ci` when package.json
	// is newer than node_modules/.installed; an npm ci that fails (e.g.
	// offline) leaves node_modules empty for everyone. A test run must not
	// do that as a side effect: ask for `make deps` instead.
	check := exec.Command("make", "-s", "-q", "node_modules/.installed")
	check.Dir = root
	if err := check.Run(); err != nil {
		return fmt.Errorf("node_modules is out of date with package.json (make -q node_modules/.installed: %v): run `make deps` first", err)
	}
	cmd := exec.Command("make", "-s", "build")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("make -s build in %s: %v\n%s", root, err, out)
	}
	return nil
}
