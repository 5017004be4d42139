package site

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/worker/message"
	"tokendesk/worker/oembed"
)

var update = flag.Bool("update", false, "rewrite rules.gen.mjs")

// TestPageRules keeps rules.gen.mjs, which the Worker's page handler
// imports, in step with the Go rules it is made from.
func TestPageRules(t *testing.T) {
	const file = "rules.gen.mjs"
	want := PageRulesJS()
	if *update {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != want {
		t.Fatalf("%s is stale: run `go test ./worker/site -run TestPage -update`", file)
	}
}

// TestPageFixtures writes testdata/pages.json: what the page handler must
// make of a page for a URL, by the Go rules. pages.test.mjs checks
// pages.mjs against it.
func TestPageFixtures(t *testing.T) {
	type pageCase struct {
		URL  string `json:"url"`
		Page string `json:"page"` // what the handler is given: the placeholder and HTMLStart
		Want string `json:"want"`
	}
	page := HTMLStart + "<head>" + oembed.DiscoveryPlaceholder + "</head>"
	var cases []pageCase
	for _, u := range []string{
		"https://desk.example.com/", "https://desk.example.com/index.html?utm=1",
		"http://127.0.0.1:8787/embed", "https://desk.example.com/embed?theme=dark",
		"https://desk.example.com/embed.html?theme=%20LIGHT%20", "https://desk.example.com/embed/?theme=auto",
		"https://desk.example.com/embed?theme=%22%3E%3Cscript%3E", "https://desk.example.com/?theme=dark",
		"https://[::1]:8443/embed?theme=dark&theme=light",
		"https://desk.example.com/check?theme=dark", "https://desk.example.com/embed/check?theme=dark",
	} {
		target := message.ParseTarget(u)
		canonical, _ := oembed.Pages[target.Path]
		q, _ := tokendesk.ParseQuery(target.Query)
		var theme string
		if v := q["theme"]; canonical == oembed.EmbedPath && len(v) > 0 {
			theme = oembed.Theme(v[0])
		}
		want := strings.Replace(page, oembed.DiscoveryPlaceholder, oembed.DiscoveryLink(oembed.Origin(target), u), 1)
		if theme != "" {
			want = strings.Replace(want, HTMLStart, themedHTMLStart(theme), 1)
		}
		cases = append(cases, pageCase{u, page, want})
	}
	b, err := json.MarshalIndent(cases, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	const file = "testdata/pages.json"
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(file); err != nil || string(got) != string(b) {
		t.Fatalf("%s is stale: run `go test ./worker/site -run TestPage -update`", file)
	}
}
