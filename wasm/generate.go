//go:build !wasm

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	tokenapp "tokendesk/app"
	"tokendesk/worker/oembed"
	"tokendesk/worker/site"
)

// Colours of the page background, used for the browser UI and the PWA
// splash screen. They match --bg in web/desk.css.
const (
	lightBackground = "#f6f7f9"
	darkBackground  = "#0d1117"
)

// generate writes the static site: index.html for "/", embed.html for
// "/embed" and, for every other language, <tag>/index.html and
// <tag>/embed.html (see pageFiles); go-app's app.js, app-worker.js,
// wasm_exec.js and app.css; manifest.webmanifest and
// <tag>/manifest.webmanifest; a copy of web/; and embed.js (from
// web/embed.js) at the root, where embedding pages load it. It expects app.wasm to be built
// already into <out>/web/app.wasm (GenerateStaticWebsite creates and
// overwrites files but never clears the directory, so the wasm survives).
//
// The PNG icons in web/ are rendered from the SVGs there and committed:
//
//	rsvg-convert -w 192 -h 192 web/icon.svg -o web/icon-192.png
//	rsvg-convert -w 512 -h 512 web/icon.svg -o web/icon-512.png
//	rsvg-convert -w 512 -h 512 web/icon-maskable.svg -o web/icon-maskable-512.png
//	rsvg-convert -w 180 -h 180 web/icon-maskable.svg -o web/apple-touch-icon.png
func generate() {
	out := flag.String("out", "dist", "directory to write the static site to")
	web := flag.String("web", "web", "directory of the static files served under /web/")
	canonical := flag.String("url", "", "public URL of the site for og:url (left out when empty)")
	flag.StringVar(&policy.FrameAncestors, "frame-ancestors", "", "who may frame /embed (FRAME_ANCESTORS): * or origins; empty means *")
	flag.StringVar(&policy.TurnstileSiteKey, "turnstile-site-key", "", "Turnstile site key (TURNSTILE_SITE_KEY); empty turns the widget off")
	flag.Parse()

	log.SetFlags(0)
	log.SetPrefix("generate: ")
	if err := run(*out, *web, *canonical); err != nil {
		log.Fatal(err)
	}
}

func run(out, web, canonical string) error {
	wasm := filepath.Join(out, "web", "app.wasm")
	if _, err := os.Stat(wasm); err != nil {
		return fmt.Errorf("%s is missing: build it first with GOOS=js GOARCH=wasm go build -tags catalogs_from_page -trimpath -ldflags=\"-s -w\" -o %s ./wasm", wasm, wasm)
	}
	version, err := versionOf(wasm, web)
	if err != nil {
		return err
	}
	if err := copyDir(web, filepath.Join(out, "web")); err != nil {
		return err
	}
	// Twice: the version also covers what this generator writes (app.js,
	// app-worker.js, the pages), so a change here alone still reaches
	// the service worker. The first pass writes with a fixed version.
	if err := generateSite(out, web, canonical, "0"); err != nil {
		return err
	}
	if version, err = withGenerated(version, out); err != nil {
		return err
	}
	if err := generateSite(out, web, canonical, version); err != nil {
		return err
	}
	log.Printf("wrote %s (version %s)", out, version)
	return nil
}

// policy holds the build-time settings that go into the pages and
// _headers (worker/site.Apply).
var policy site.Policy

// generatedFiles are the files generateSite writes, apart from copies.
func generatedFiles() []string {
	files := []string{"embed.js", "app.js", "app-worker.js", "app.css", "wasm_exec.js", "_headers"}
	for _, l := range tokendesk.Langs {
		for _, page := range pages {
			files = append(files, pageFile(l, page))
		}
		files = append(files, manifestFile(l))
	}
	return files
}

// pages are the app's routes in English: each is prerendered in every
// language.
var pages = []string{"/", tokenapp.EmbedPath, tokendesk.CheckPage, tokendesk.EmbedCheckPage}

// embedPages are the framable ones among pages.
var embedPages = []string{tokenapp.EmbedPath, tokendesk.EmbedCheckPage}

// pageFile is where the page at l.PagePath(page) is written, so that the
// static assets serve it at that path: index.html, embed.html,
// embed/check.html, de/index.html, de/embed/check.html.
func pageFile(l tokendesk.Lang, page string) string {
	path := strings.TrimPrefix(l.PagePath(page), "/")
	if path == "" || strings.HasSuffix(path, "/") {
		return path + "index.html"
	}
	return path + ".html"
}

// manifestFile is the web app manifest of l's pages.
func manifestFile(l tokendesk.Lang) string {
	return strings.TrimPrefix(l.Path(), "/") + "manifest.webmanifest"
}

// withGenerated mixes the generated files into version.
func withGenerated(version, out string) (string, error) {
	h := sha256.New()
	h.Write([]byte(version))
	for _, name := range generatedFiles() {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			return "", err
		}
		h.Write([]byte("\x00" + name + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func generateSite(out, web, canonical, version string) error {
	if err := app.GenerateStaticWebsite(out, handler(version)); err != nil {
		return err
	}
	// GenerateStaticWebsite renders every route ("/", "/embed", "/de/",
	// "/de/embed"…), each to <route>.html: "/de/" lands in de.html.
	for _, l := range tokendesk.Langs[1:] {
		if err := os.Rename(filepath.Join(out, l.Tag()+".html"), filepath.Join(out, pageFile(l, "/"))); err != nil {
			return err
		}
	}
	for _, l := range tokendesk.Langs {
		for _, page := range pages {
			file := filepath.Join(out, pageFile(l, page))
			if err := fixPage(file, canonical, l, page); err != nil {
				return err
			}
			if slices.Contains(embedPages, page) {
				if err := fixEmbed(file, l); err != nil {
					return err
				}
			}
		}
	}
	if err := writeEmbedJS(filepath.Join(web, "embed.js"), filepath.Join(out, "embed.js")); err != nil {
		return err
	}
	if err := fixManifests(out); err != nil {
		return err
	}
	if err := fixAppJS(filepath.Join(out, "app.js")); err != nil {
		return err
	}
	if err := fixAppWorker(filepath.Join(out, "app-worker.js")); err != nil {
		return err
	}
	// Every file, pages included, gets its security headers from _headers,
	// and the pages their Turnstile key (worker/site owns both).
	if err := site.Apply(out, policy); err != nil {
		return err
	}
	return checkNoBuildHost(out)
}

func handler(version string) *app.Handler {
	return &app.Handler{
		// The English manifest's; each page sets its own title,
		// description and lang (app.Page.OnPreRender), and fixManifests
		// writes each language's manifest.
		Name:            tokendesk.EN.Text(tokendesk.KeyAppName),
		ShortName:       tokendesk.EN.Text(tokendesk.KeyAppShortName),
		Title:           tokendesk.EN.Text(tokendesk.KeyPageTitle),
		Description:     tokendesk.EN.Text(tokendesk.KeyPageDescription),
		Lang:            tokendesk.EN.Tag(),
		ThemeColor:      lightBackground,
		BackgroundColor: lightBackground,
		// Never shown (web/desk.css hides the loader); no words, so it
		// needs no translation.
		LoadingLabel: "{progress}%",
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			SVG:        "/web/icon.svg",
			AppleTouch: "/web/apple-touch-icon.png",
		},
		Styles: []string{"/web/desk.css"},
		CacheableResources: []string{
			"/web/icon.svg",
			embedFrameScript,
			bootScript,
		},
		RawHeaders: []string{
			`<meta name="color-scheme" content="light dark">`,
			site.TurnstileMeta,
			// The Worker makes its href absolute (see worker/oembed).
			oembed.DiscoveryPlaceholder,
			`<meta name="theme-color" media="(prefers-color-scheme: dark)" content="` + darkBackground + `">`,
		},
		Version: version,
	}
}

// versionOf is a short hash of app.wasm and every file in web/, so the
// service worker picks up a new build and only a new build.
func versionOf(wasm, web string) (string, error) {
	h := sha256.New()
	b, err := os.ReadFile(wasm)
	if err != nil {
		return "", err
	}
	h.Write([]byte("app.wasm\x00"))
	h.Write(b)
	files, err := listFiles(web)
	if err != nil {
		return "", err
	}
	for _, rel := range files {
		b, err := os.ReadFile(filepath.Join(web, rel))
		if err != nil {
			return "", err
		}
		h.Write([]byte("\x00" + filepath.ToSlash(rel) + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == "app.wasm" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files = append(files, rel)
		return nil
	})
	sort.Strings(files)
	return files, err
}

func copyDir(src, dst string) error {
	files, err := listFiles(src)
	if err != nil {
		return err
	}
	for _, rel := range files {
		b, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

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
//   - og:url never names the host that ran the generator;
//   - empty author/keywords/og:image metas are dropped;
//   - the default theme-color applies to the light scheme only;
//   - the manifest is the page's language's;
//   - hreflang alternates name the page in every language, and "/" (in
//     English) as x-default.
func fixPage(path, canonical string, lang tokendesk.Lang, pagePath string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var fixErr error
	page := startTag.ReplaceAllStringFunc(string(b), func(tag string) string {
		m := startTag.FindStringSubmatch(tag)
		name, attrs := strings.ToLower(m[1]), parseAttrs(m[2])
		if name == "meta" {
			metaName, _ := lookup(attrs, "name")
			property, _ := lookup(attrs, "property")
			content, _ := lookup(attrs, "content")
			switch {
			case metaName == "viewport":
				attrs = []attr{{"name", "viewport"}, {"content", "width=device-width, initial-scale=1, viewport-fit=cover"}}
			case property == "og:url":
				if canonical == "" {
					return ""
				}
				attrs = []attr{{"property", "og:url"}, {"content", strings.TrimSuffix(canonical, "/") + lang.PagePath(pagePath)}}
			case (metaName != "" || property != "") && content == "":
				return ""
			case metaName == "theme-color":
				if _, ok := lookup(attrs, "media"); !ok {
					attrs = append(attrs, attr{"media", "(prefers-color-scheme: light)"})
				}
			}
		}
		if rel, _ := lookup(attrs, "rel"); name == "link" && rel == "manifest" {
			attrs = []attr{{"href", "/" + manifestFile(lang)}, {"rel", "manifest"}}
		}
		if id, _ := lookup(attrs, "id"); name == "img" && id == "app-wasm-loader-icon" {
			// go-app's loading spinner: its loader is never shown (see
			// web/desk.css), yet a hidden <img> is still downloaded.
			return ""
		}
		if name == "img" {
			if _, ok := lookup(attrs, "alt"); !ok {
				// go-app's loading icon; decorative.
				attrs = append(attrs, attr{"alt", ""})
			}
		}
		for i, a := range attrs {
			if strings.HasPrefix(a.name, "aria-") && a.value == "" {
				// go-app prints the value "true" as a bare attribute,
				// which ARIA reads as empty, not true.
				attrs[i].value = "true"
			}
			if strings.Contains(a.value, `\`) {
				fixErr = fmt.Errorf("%s: attribute %s of <%s> has a backslash (go-app quotes with strconv.Quote): %q", path, a.name, name, a.value)
			}
		}
		sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].name < attrs[j].name })
		var s strings.Builder
		s.WriteString("<" + name)
		for _, a := range attrs {
			s.WriteString(" " + a.name)
			if a.value != "" || name == "img" && a.name == "alt" || a.name == "content" {
				s.WriteString(`="` + a.value + `"`)
			}
		}
		s.WriteString(m[3] + ">")
		return s.String()
	})
	if fixErr != nil {
		return fixErr
	}
	if strings.Count(page, "</title>") != 1 {
		return fmt.Errorf("%s: no </title> to put the hreflang alternates after", path)
	}
	head := alternates(canonical, pagePath)
	if lang != tokendesk.EN {
		catalog, err := catalogScript(lang)
		if err != nil {
			return err
		}
		head += "\n" + catalog
	}
	page = strings.Replace(page, "</title>", "</title>\n"+head, 1)
	if want := site.HTMLStart(lang); strings.Count(page, want) != 1 {
		return fmt.Errorf("%s: no %s", path, want)
	}
	appJS := `<script defer src="/app.js"></script>`
	if strings.Count(page, appJS) != 1 {
		return fmt.Errorf("%s: no %s to load %s after", path, appJS, bootScript)
	}
	page = strings.Replace(page, appJS, appJS+"\n"+`<script defer src="`+bootScript+`"></script>`, 1)
	if strings.Contains(page, "user-scalable") {
		return errors.New(path + ": the viewport still disables zoom")
	}
	if strings.Count(page, oembed.DiscoveryPlaceholder) != 1 {
		return errors.New(path + ": the oEmbed discovery link is not there once, as oembed.DiscoveryPlaceholder prints it")
	}
	return os.WriteFile(path, []byte(page), 0o644)
}

// alternates are the <link rel="alternate" hreflang> of page: one per
// language, and x-default for the English page. Absolute when the site's
// URL is known, as search engines prefer.
func alternates(canonical, page string) string {
	base := strings.TrimSuffix(canonical, "/")
	var b strings.Builder
	for _, l := range tokendesk.Langs {
		b.WriteString(`<link href="` + base + l.PagePath(page) + `" hreflang="` + l.Tag() + `" rel="alternate">` + "\n")
	}
	b.WriteString(`<link href="` + base + tokendesk.EN.PagePath(page) + `" hreflang="x-default" rel="alternate">`)
	return b.String()
}

// catalogScript is the language's catalog as the page's wasm reads it
// (app.LoadCatalog): a JSON list of sentences indexed by tokendesk.Key, in
// a data block, which no CSP blocks since it never runs. json.Marshal
// escapes <, > and &, so nothing in it can close the element.
func catalogScript(lang tokendesk.Lang) (string, error) {
	list, err := json.Marshal(lang.Catalog())
	if err != nil {
		return "", err
	}
	return `<script data-lang="` + lang.Tag() + `" id="` + tokenapp.IDCatalog + `" type="application/json">` + string(list) + `</script>`, nil
}

// embedFrameScript reports /embed's height to the page that frames it. It
// is a file of its own (CSP allows no inline script) and loads first, so
// the frame is sized before wasm arrives, or without it.
const embedFrameScript = "/web/embed-frame.js"

// fixEmbed loads embedFrameScript on /embed, and checks what the Worker
// rewrites there.
func fixEmbed(path string, lang tokendesk.Lang) error {
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
	for _, want := range []string{site.HTMLStart(lang), oembed.DiscoveryPlaceholder} {
		if strings.Count(page, want) != 1 {
			return fmt.Errorf("%s: the Worker rewrites %s, which is not there once", path, want)
		}
	}
	if strings.Contains(page, `class="masthead"`) || strings.Contains(page, `class="foot"`) {
		return fmt.Errorf("%s has page chrome", path)
	}
	return os.WriteFile(path, []byte(page), 0o644)
}

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

// fixManifests adds what go-app's manifest template has no field for (a
// maskable icon, an id and the language), and writes one manifest per
// language from it: the same app (one id), named and described in the
// language, starting at the language's page.
func fixManifests(out string) error {
	path := filepath.Join(out, manifestFile(tokendesk.EN))
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	icons, _ := m["icons"].([]any)
	m["icons"] = append(icons, map[string]any{
		"src":     "/web/icon-maskable-512.png",
		"type":    "image/png",
		"sizes":   "512x512",
		"purpose": "maskable",
	})
	m["id"] = "/"
	m["dir"] = "ltr"
	for _, l := range tokendesk.Langs {
		m["lang"] = l.Tag()
		m["name"] = l.Text(tokendesk.KeyAppName)
		m["short_name"] = l.Text(tokendesk.KeyAppShortName)
		m["description"] = l.Text(tokendesk.KeyPageDescription)
		m["start_url"] = l.Path()
		b, err = json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, manifestFile(l)), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// embedJSLangs is the placeholder in web/embed.js for the languages it
// knows: tag → the frame's title in that language.
const embedJSLangs = "{/* languages: written by the generator */}"

// writeEmbedJS copies web/embed.js to the site's root with the languages
// filled in, from the catalogs.
func writeEmbedJS(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	js := string(b)
	if strings.Count(js, embedJSLangs) != 1 {
		return fmt.Errorf("%s: no %s", src, embedJSLangs)
	}
	titles := make(map[string]string, len(tokendesk.Langs))
	for _, l := range tokendesk.Langs {
		titles[l.Tag()] = l.Text(tokendesk.KeyPageTitle)
	}
	langs, err := json.Marshal(titles)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(strings.Replace(js, embedJSLangs, string(langs), 1)), 0o644)
}

// checkNoBuildHost fails if a generated file names the temporary server the
// generator rendered pages with.
func checkNoBuildHost(out string) error {
	files, err := listFiles(out)
	if err != nil {
		return err
	}
	for _, rel := range files {
		if strings.HasSuffix(rel, ".png") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			return err
		}
		for _, host := range []string{"127.0.0.1", "localhost", "[::1]"} {
			if bytes.Contains(b, []byte(host)) {
				return fmt.Errorf("%s names the build host %s", filepath.Join(out, rel), host)
			}
		}
	}
	return nil
}
