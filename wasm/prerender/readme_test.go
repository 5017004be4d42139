//go:build !wasm

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"tokendesk/worker/site"
)

// TestREADMEPinsTheEmbedScript: the README's pinned embed snippet names the
// versioned path and integrity hash of the embed.js this source builds, so
// a page that copies it loads the script it was checked against.
func TestREADMEPinsTheEmbedScript(t *testing.T) {
	js, err := embedJS(filepath.Join("..", "..", "web", "embed.js"))
	if err != nil {
		t.Fatal(err)
	}
	path, integrity := site.VersionedEmbedScript(js)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := `<script src="https://tokens.example.com` + path + `" integrity="` + integrity + `" crossorigin="anonymous" async></script>`
	pinned := regexp.MustCompile(`<script src="https://tokens\.example\.com/v/[^"]*" integrity="[^"]*"[^>]*></script>`).FindAll(readme, -1)
	if len(pinned) != 1 || string(pinned[0]) != want {
		t.Fatalf("README.md pins %q; put this line in its place:\n%s", pinned, want)
	}
}
