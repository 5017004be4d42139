package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	tokenapp "tokendesk/app"
	"tokendesk/internal/lang"
	"tokendesk/worker/oembed"
	"tokendesk/worker/site"
)

// The prerendered pages: what the generator fixes in go-app's HTML.

var (
	startTag  = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s="'<>/]+(?:="[^"]*")?)*)\s*(/?)>`)
	attribute = regexp.MustCompile(`([^\s="'<>/]+)(?:="([^"]*)")?`)
)

type attr struct{ name, value string }

func parseAttrs(s string) []attr {
	var attrs []attr
	for _, m := range attribute.FindAllStringSubmatch(s, -1) {
		attrs = append(attrs, attr{m[1], m[2]})
	}
	return attrs
}

func lookup(attrs []attr, name string) (string, bool) {
	for _, a := range attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

// fixPage rewrites go-app's head where its defaults are wrong for us, and
// sorts every tag's attributes (go-app prints them in map order) so builds
// are reproducible:
//   - the viewport allows zooming (go-app's disables it);
//   - og:url never names the host that ran the generator: it is absolute
//     (siteBase);
//   - empty author/keywords/og:image metas are dropped;
//   - the default theme-color applies to the light scheme only;
//   - the manifest is the page's language's;
//   - hreflang alternates name the page in every language, and "/" (in
//     English) as x-default, absolute (siteBase) as search engines
//     require.
func fixPage(path, canonical string, l lang.Lang, pagePath string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var fixErr error
	page := startTag.ReplaceAllStringFunc(string(b), func(tag string) string {
		fixed, err := fixTag(tag, siteBase(canonical)+l.PagePath(pagePath), l)
		if err != nil {
			fixErr = err
		}
		return fixed
	})
	if fixErr == nil {
		page, fixErr = addToHead(page, canonical, l, pagePath)
	}
	if fixErr == nil {
		fixErr = checkPage(page, canonical, l)
	}
	if fixErr != nil {
		return fmt.Errorf("%s: %w", path, fixErr)
	}
	return os.WriteFile(path, []byte(page), 0o644)
}

// fixTag rewrites one start tag of a page in l, whose og:url is ogURL,
// with its attributes sorted; "" drops it.
func fixTag(tag, ogURL string, l lang.Lang) (string, error) {
	m := startTag.FindStringSubmatch(tag)
	name, attrs := strings.ToLower(m[1]), parseAttrs(m[2])
	if name == "meta" {
		var keep bool
		if attrs, keep = fixMeta(attrs, ogURL); !keep {
			return "", nil
		}
	}
	if rel, _ := lookup(attrs, "rel"); name == "link" && rel == "manifest" {
		attrs = []attr{{"href", "/" + manifestFile(l)}, {"rel", "manifest"}}
	}
	if id, _ := lookup(attrs, "id"); name == "img" && id == "app-wasm-loader-icon" {
		// go-app's loading spinner: its loader is never shown (see
		// web/desk.css), yet a hidden <img> is still downloaded.
		return "", nil
	}
	if name == "img" {
		if _, ok := lookup(attrs, "alt"); !ok {
			// go-app's loading icon; decorative.
			attrs = append(attrs, attr{"alt", ""})
		}
	}
	var err error
	for i, a := range attrs {
		if strings.HasPrefix(a.name, "aria-") && a.value == "" {
			// go-app prints the value "true" as a bare attribute,
			// which ARIA reads as empty, not true.
			attrs[i].value = "true"
		}
		if strings.Contains(a.value, `\`) {
			err = fmt.Errorf("attribute %s of <%s> has a backslash (go-app quotes with strconv.Quote): %q", a.name, name, a.value)
		}
	}
	return printTag(name, attrs, m[3]), err
}

// fixMeta rewrites a <meta>'s attributes, or reports that it goes.
func fixMeta(attrs []attr, ogURL string) ([]attr, bool) {
	metaName, _ := lookup(attrs, "name")
	property, _ := lookup(attrs, "property")
	content, _ := lookup(attrs, "content")
	switch {
	case metaName == "viewport":
		return []attr{{"name", "viewport"}, {"content", "width=device-width, initial-scale=1, viewport-fit=cover"}}, true
	case property == "og:url":
		return []attr{{"property", "og:url"}, {"content", ogURL}}, true
	case (metaName != "" || property != "") && content == "":
		return nil, false
	case metaName == "theme-color":
		if _, ok := lookup(attrs, "media"); !ok {
			attrs = append(attrs, attr{"media", "(prefers-color-scheme: light)"})
		}
	}
	return attrs, true
}

// printTag prints a start tag with its attributes in name order; end is
// "/" for a self-closing tag.
func printTag(name string, attrs []attr, end string) string {
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].name < attrs[j].name })
	var s strings.Builder
	s.WriteString("<" + name)
	for _, a := range attrs {
		s.WriteString(" " + a.name)
		if a.value != "" || name == "img" && a.name == "alt" || a.name == "content" {
			s.WriteString(`="` + a.value + `"`)
		}
	}
	s.WriteString(end + ">")
	return s.String()
}

// addToHead puts the hreflang alternates (and, but in English, the
// catalog) after the page's </title>, and the boot script after app.js.
func addToHead(page, canonical string, l lang.Lang, pagePath string) (string, error) {
	if strings.Count(page, "</title>") != 1 {
		return "", errors.New("no </title> to put the hreflang alternates after")
	}
	head := alternates(canonical, pagePath)
	if l != lang.EN {
		catalog, err := catalogScript(l)
		if err != nil {
			return "", err
		}
		head += "\n" + catalog
	}
	page = strings.Replace(page, "</title>", "</title>\n"+head, 1)
	appJS := `<script defer src="/app.js"></script>`
	if strings.Count(page, appJS) != 1 {
		return "", fmt.Errorf("no %s to load %s after", appJS, bootScript)
	}
	return strings.Replace(page, appJS, appJS+"\n"+`<script defer src="`+bootScript+`"></script>`, 1), nil
}

// checkPage checks what the Worker and the browser rely on in a fixed page
// in l.
func checkPage(page, canonical string, l lang.Lang) error {
	if want := site.HTMLStart(l); strings.Count(page, want) != 1 {
		return fmt.Errorf("no %s", want)
	}
	if strings.Contains(page, "user-scalable") {
		return errors.New("the viewport still disables zoom")
	}
	if strings.Count(page, oembed.DiscoveryPlaceholder) != 1 {
		return errors.New("the oEmbed discovery link is not there once, as oembed.DiscoveryPlaceholder prints it")
	}
	// The Worker fills in every origin marker of a page; any other (in a
	// sentence of the catalog, say) would be changed too.
	if want := len(lang.All) + 2; canonical == "" && strings.Count(page, oembed.OriginMarker) != want {
		return fmt.Errorf("%d origin markers (%s), want %d: og:url and the hreflang alternates", strings.Count(page, oembed.OriginMarker), oembed.OriginMarker, want)
	}
	return nil
}

// siteBase is what an absolute URL of the site starts with: the site's URL
// when the build is given it (-url), else oembed.OriginMarker, which the
// Worker replaces with the origin the page was asked on
// (worker/site/pages.mjs), so staging and previews name themselves.
func siteBase(canonical string) string {
	if canonical == "" {
		return oembed.OriginMarker
	}
	return strings.TrimSuffix(canonical, "/")
}

// alternates are the <link rel="alternate" hreflang> of page: one per
// language, and x-default for the English page, absolute (siteBase).
func alternates(canonical, page string) string {
	base := siteBase(canonical)
	var b strings.Builder
	for _, l := range lang.All {
		b.WriteString(`<link href="` + base + l.PagePath(page) + `" hreflang="` + l.Tag() + `" rel="alternate">` + "\n")
	}
	b.WriteString(`<link href="` + base + lang.EN.PagePath(page) + `" hreflang="x-default" rel="alternate">`)
	return b.String()
}

// catalogScript is the language's catalog as the page's wasm reads it
// (app.LoadCatalog): a JSON list of sentences indexed by lang.Key, in
// a data block, which no CSP blocks since it never runs. json.Marshal
// escapes <, > and &, so nothing in it can close the element.
func catalogScript(l lang.Lang) (string, error) {
	list, err := json.Marshal(l.Sentences())
	if err != nil {
		return "", err
	}
	return `<script data-lang="` + l.Tag() + `" id="` + tokenapp.IDCatalog + `" type="application/json">` + string(list) + `</script>`, nil
}

// embedFrameScript reports /embed's height to the page that frames it. It
// is a file of its own (CSP allows no inline script) and loads first, so
// the frame is sized before wasm arrives, or without it.
const embedFrameScript = "/web/embed-frame.js"

// fixEmbed loads embedFrameScript on /embed, and checks what the Worker
// rewrites there.
func fixEmbed(path string, l lang.Lang) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	page := string(b)
	first := `<script defer src="/wasm_exec.js"></script>`
	if strings.Count(page, first) != 1 {
		return fmt.Errorf("%s: no %s to load %s before", path, first, embedFrameScript)
	}
	page = strings.Replace(page, first, `<script defer src="`+embedFrameScript+`"></script>`+"\n"+first, 1)
	for _, want := range []string{site.HTMLStart(l), oembed.DiscoveryPlaceholder} {
		if strings.Count(page, want) != 1 {
			return fmt.Errorf("%s: the Worker rewrites %s, which is not there once", path, want)
		}
	}
	if strings.Contains(page, `class="masthead"`) || strings.Contains(page, `class="foot"`) {
		return fmt.Errorf("%s has page chrome", path)
	}
	return os.WriteFile(path, []byte(page), 0o644)
}
