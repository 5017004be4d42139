package site

import (
	"encoding/json"
	"flag"
	"html"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/internal/lang"
	_ "tokendesk/internal/lang/translations"
	"tokendesk/internal/stdlite"
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
	var cases []pageCase
	for _, u := range []string{
		"https://desk.example.com/", "https://desk.example.com/index.html?utm=1",
		"http://127.0.0.1:8787/embed", "https://desk.example.com/embed?theme=dark",
		"https://desk.example.com/embed.html?theme=%20LIGHT%20", "https://desk.example.com/embed/?theme=auto",
		"https://desk.example.com/embed?theme=%22%3E%3Cscript%3E", "https://desk.example.com/?theme=dark",
		"https://[::1]:8443/embed?theme=dark&theme=light",
		"https://desk.example.com/de/", "https://desk.example.com/ja/index.html?theme=dark",
		"https://desk.example.com/zh-Hans/embed?theme=dark", "https://desk.example.com/pt-BR/embed.html",
		"https://desk.example.com/embed?lang=ko", "https://desk.example.com/embed?lang=PT-br&theme=light",
		"https://desk.example.com/embed?lang=xx", "https://desk.example.com/de/embed?lang=fr",
		"https://desk.example.com/?lang=de",
		"https://desk.example.com/check?theme=dark", "https://desk.example.com/embed/check?theme=dark",
		"https://desk.example.com/de/check", "https://desk.example.com/ja/embed/check?theme=dark",
		"https://desk.example.com/embed/check?lang=de",
	} {
		target := stdlite.ParseTarget(u)
		q, _ := stdlite.ParseQuery(target.Query)
		var langParam string
		if v := q["lang"]; len(v) > 0 {
			langParam = v[0]
		}
		canonical, _ := tokendesk.CanonicalPage(target.Path, langParam)
		pageLang, _ := lang.SplitPath(canonical)
		// What the handler is given: the asset of the canonical page.
		page := HTMLStart(pageLang) + "<head>" + oembed.DiscoveryPlaceholder +
			`<link href="` + oembed.OriginMarker + `/de/" hreflang="de" rel="alternate">` +
			`<meta content="` + oembed.OriginMarker + canonical + `" property="og:url">` + "</head>"
		var theme string
		if v := q["theme"]; strings.HasSuffix(canonical, tokendesk.EmbedPath) && len(v) > 0 {
			theme = oembed.Theme(v[0])
		}
		want := strings.Replace(page, oembed.DiscoveryPlaceholder, oembed.DiscoveryLink(oembed.Origin(target), u), 1)
		want = strings.ReplaceAll(want, oembed.OriginMarker, html.EscapeString(oembed.Origin(target)))
		if theme != "" {
			want = strings.Replace(want, htmlStartPrefix, themedHTMLStartPrefix(theme), 1)
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

// TestWranglerRunsTheWorkerFirstForEveryPage: the assets answer a page
// without the Worker unless run_worker_first names it, and the page would
// keep its relative discovery link and ignore ?theme= and ?lang=.
func TestWranglerRunsTheWorkerFirstForEveryPage(t *testing.T) {
	b, err := os.ReadFile("../../wrangler.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)\nrun_worker_first = \[(.*?)\]`).FindSubmatch(b)
	if m == nil {
		t.Fatal("wrangler.toml has no run_worker_first list")
	}
	var listed []string
	for _, q := range regexp.MustCompile(`"([^"]*)"`).FindAllSubmatch(m[1], -1) {
		listed = append(listed, string(q[1]))
	}
	slices.Sort(listed)
	want := slices.Sorted(maps.Keys(tokendesk.Pages()))
	if !slices.Equal(listed, want) {
		t.Errorf("run_worker_first lists %v,\nwant every page of tokendesk.Pages(): %v", listed, want)
	}
}
