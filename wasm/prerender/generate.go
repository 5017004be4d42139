package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
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
	flag.StringVar(&policy.FrameAncestors, "frame-ancestors", "", "who may frame /embed (FRAME_ANCESTORS): origins, 'self' or *; empty means "+site.DefaultFrameAncestors)
	flag.StringVar(&policy.TurnstileSiteKey, "turnstile-site-key", "", "Turnstile site key (TURNSTILE_SITE_KEY); empty turns the widget off")
	flag.Parse()

	log.SetFlags(0)
	log.SetPrefix("generate: ")
	if err := policy.Check(); err != nil {
		log.Fatal(err)
	}
	if err := run(*out, *web, *canonical); err != nil {
		log.Fatal(err)
	}
}

func run(out, web, canonical string) error {
	wasm := filepath.Join(out, "web", "app.wasm")
	if _, err := os.Stat(wasm); err != nil {
		return fmt.Errorf("%s is missing: build it first with GOOS=js GOARCH=wasm go build -trimpath -ldflags=\"-s -w\" -o %s ./wasm", wasm, wasm)
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
	for _, l := range lang.All {
		for _, page := range pages {
			files = append(files, pageFile(l, page))
		}
		files = append(files, manifestFile(l))
	}
	return files
}

// pages are the app's routes in English: each is prerendered in every
// language.
var pages = []string{"/", tokendesk.EmbedPath, tokendesk.CheckPage, tokendesk.EmbedCheckPage}

// embedPages are the framable ones among pages.
var embedPages = []string{tokendesk.EmbedPath, tokendesk.EmbedCheckPage}

// pageFile is where the page at l.PagePath(page) is written, so that the
// static assets serve it at that path: index.html, embed.html,
// embed/check.html, de/index.html, de/embed/check.html.
func pageFile(l lang.Lang, page string) string {
	path := strings.TrimPrefix(l.PagePath(page), "/")
	if path == "" || strings.HasSuffix(path, "/") {
		return path + "index.html"
	}
	return path + ".html"
}

// manifestFile is the web app manifest of l's pages.
func manifestFile(l lang.Lang) string {
	return strings.TrimPrefix(l.Path(), "/") + "manifest.webmanifest"
}

func generateSite(out, web, canonical, version string) error {
	if err := app.GenerateStaticWebsite(out, handler(version)); err != nil {
		return err
	}
	// GenerateStaticWebsite renders every route ("/", "/embed", "/de/",
	// "/de/embed"…), each to <route>.html: "/de/" lands in de.html.
	for _, l := range lang.All[1:] {
		if err := os.Rename(filepath.Join(out, l.Tag()+".html"), filepath.Join(out, pageFile(l, "/"))); err != nil {
			return err
		}
	}
	for _, l := range lang.All {
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
	embedPath, integrity, err := writeEmbedJS(filepath.Join(web, "embed.js"), out)
	if err != nil {
		return err
	}
	if version != "0" {
		log.Printf("embed.js, pinned: <script src=\"https://HOST%s\" integrity=\"%s\" crossorigin=\"anonymous\" async></script>", embedPath, integrity)
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
		Name:            lang.EN.Text(lang.KeyAppName),
		ShortName:       lang.EN.Text(lang.KeyAppShortName),
		Title:           lang.EN.Text(lang.KeyPageTitle),
		Description:     lang.EN.Text(lang.KeyPageDescription),
		Lang:            lang.EN.Tag(),
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
