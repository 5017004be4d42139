package e2e

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"tokendesk/worker/site"
)

// TestEmbedScriptIsPinnable: /embed.js and its versioned path serve the
// same bytes, which hash to that path and its integrity; the versioned one
// is cached for good, and both may be loaded by any site with CORS (which
// <script integrity crossorigin> needs).
func TestEmbedScriptIsPinnable(t *testing.T) {
	s := plain.get(t)
	get := func(path string) (*http.Response, []byte) {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return resp, body
	}
	_, latest := get(site.EmbedScript)
	path, integrity := site.VersionedEmbedScript(latest)
	resp, pinned := get(path)
	if !bytes.Equal(pinned, latest) {
		t.Fatalf("%s and %s differ", path, site.EmbedScript)
	}
	t.Logf("pinned: %s %s", path, integrity)
	for name, want := range map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"Cache-Control":                "public, max-age=31536000, immutable",
		"Content-Security-Policy":      "",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: %s = %q, want %q", path, name, got, want)
		}
	}
}
