package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

// go-app's app.js and app-worker.js, patched. Each patch checks that what
// it replaces is there exactly once, so a go-app upgrade that changes those
// files fails the build (and so make test) with a message naming the file.

// bootScript starts app.wasm lazily, in place of go-app's app.js; see the
// comment at its top. It loads right after app.js, whose functions it uses.
const bootScript = "/web/boot.js"

// fixAppJS keeps go-app's app.js from starting the wasm on page load
// (bootScript starts it on the first interaction), and registers the service
// worker after the load event, so that its precache download does not
// compete with the page's own requests.
func fixAppJS(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	js := string(b)
	for _, r := range [][2]string{
		{"\ngoappInitWebAssembly();\n", "\n// goappInitWebAssembly(): " + bootScript + " starts the wasm.\n"},
		{"\ngoappInitServiceWorker();\n", "\nwindow.addEventListener(\"load\", goappInitServiceWorker, { once: true });\n"},
	} {
		if strings.Count(js, r[0]) != 1 {
			return fmt.Errorf("%s: %q is not there once: go-app's app.js changed", path, strings.TrimSpace(r[0]))
		}
		js = strings.Replace(js, r[0], r[1], 1)
	}
	for _, want := range []string{"function goappCanLoadWebAssembly(", "var goappOnUpdate ="} {
		if !strings.Contains(js, want) {
			return fmt.Errorf("%s: no %s, which %s relies on", path, want, bootScript)
		}
	}
	return os.WriteFile(path, []byte(js), 0o644)
}

// precacheList is the service worker's list of files to cache on install.
var precacheList = regexp.MustCompile(`(?m)^const resourcesToCache = (\[.*\]);$`)

// fixAppWorker leaves the PNG icons out of the service worker's precache:
// only the install UI and the home screen use them, and they fetch them
// when they need them. A first visit then downloads them never, not twice.
func fixAppWorker(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	m := precacheList.FindSubmatchIndex(b)
	if m == nil {
		return fmt.Errorf("%s: no resourcesToCache list: go-app's app-worker.js changed", path)
	}
	var list, kept []string
	if err := json.Unmarshal(b[m[2]:m[3]], &list); err != nil {
		return fmt.Errorf("%s: resourcesToCache: %w", path, err)
	}
	for _, f := range list {
		if !strings.HasSuffix(f, ".png") {
			kept = append(kept, f)
		}
	}
	for _, want := range []string{"/", "/web/app.wasm", bootScript} {
		if !slices.Contains(kept, want) {
			return fmt.Errorf("%s: %s is not precached", path, want)
		}
	}
	js, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	out := append(append(append([]byte{}, b[:m[2]]...), js...), b[m[3]:]...)
	return os.WriteFile(path, out, 0o644)
}
