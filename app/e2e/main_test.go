// Package e2e drives the token desk in a real browser (headless Chromium
// through chromedp) against the real stack: the prerendered site and the Go
// relay in workerd (`wrangler dev`), in front of the in-process MetaHuman SDK
// API emulator. Each scenario asserts what a person sees and what the page,
// the browser's storage and the worker's logs keep.
package e2e

import (
	"testing"

	"tokendesk/internal/stack"
)

func TestMain(m *testing.M) { stack.Main(m, "app/e2e", "build", chrome.Stop) }
