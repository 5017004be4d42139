//go:build !js

// Package embed_test drives the embedded token form in headless Chromium:
// a documentation page on another site loads /embed.js from the real stack
// (the prerendered site and the Go Worker in workerd, in front of the API
// emulator), and the form works inside the cross-site iframe while the host
// page learns nothing but the frame's height.
//
// The host page is served on http://localhost:PORT and the stack on
// http://127.0.0.1:PORT: two sites, so Chromium runs the frame out of
// process (site isolation stays on), as it does for a real documentation
// site. The test reaches into the frame by attaching to its target
// (chromedp.WithTargetID), and clicks and types through the host page's
// input, as a person would.
package embed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tokendesk/internal/chromium"
	"tokendesk/internal/lang"
	"tokendesk/internal/pageload"
	"tokendesk/internal/stack"
	"tokendesk/internal/tabwatch"
	"tokendesk/worker/oembed"
)

func TestMain(m *testing.M) { stack.Main(m, "app/e2e/embed", "build", chrome.Stop) }

// The package's tests share one stack and one Chromium (each test has a
// browser context of its own): the tests send no faults and count nothing
// but their own tokens, so they need neither of their own. They share one
// documentation site too (hostServer), on another site than the stack,
// which the stack's FRAME_ANCESTORS names beside the desk itself, as a
// deploy for that site would be built.
func sharedStack(t *testing.T) (*stack.Stack, string) {
	t.Helper()
	docs.listen.Do(func() {
		docs.l, docs.err = net.Listen("tcp", "127.0.0.1:0")
		if docs.err == nil {
			_, port, _ := net.SplitHostPort(docs.l.Addr().String())
			docs.origin = "http://localhost:" + port // 127.0.0.1 underneath, another site
		}
	})
	if docs.err != nil {
		t.Fatal(docs.err)
	}
	s := stack.Shared(t, "embed", stack.Options{Vars: map[string]string{"FRAME_ANCESTORS": "'self' " + docs.origin}})
	docs.serve.Do(func() { go (&http.Server{Handler: hostMux(s.URL), ReadHeaderTimeout: 10 * time.Second}).Serve(docs.l) })
	return s, docs.origin
}

// docs is the shared documentation site.
var docs struct {
	listen, serve sync.Once
	l             net.Listener
	origin        string
	err           error
}

// chrome is the package's Chromium.
var chrome chromium.Shared

// watchKey finds a tab's tabwatch.Watch in its context.
type watchKey struct{}

// newTab opens a tab in a new browser context (a fresh, incognito-like
// profile) of the package's Chromium. When the test fails, it logs what the
// tab and its frames said and asked for, and the Worker's last log lines.
func newTab(t *testing.T, s *stack.Stack) context.Context {
	t.Helper()
	first := chrome.Get(t, chromium.PathT(t), 1000, 1400)
	watch := tabwatch.New()
	ctx, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext(), chromedp.WithListener(watch.Listen))
	t.Cleanup(cancel)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(watch.Report(15) + "the Worker's last log lines:\n" + s.Tail(15))
		}
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return context.WithValue(ctx, watchKey{}, watch)
}

// alsoWatched makes a tab or frame opened from tab report into tab's watch.
func alsoWatched(tab context.Context) chromedp.ContextOption {
	if w, ok := tab.Value(watchKey{}).(*tabwatch.Watch); ok {
		return chromedp.WithListener(w.Listen)
	}
	return func(*chromedp.Context) {}
}

const (
	mail           = "ada.embed@example.com"
	initialHeight  = "500px" // as embed.js sets it
	heightMessage  = "mhsdk-token:height"
	darkSurfaceRGB = "rgb(22, 27, 34)" // --surface in the dark theme
)

// hostServer serves a documentation site's pages (hostMux) on l until the
// test ends.
func hostServer(t *testing.T, l net.Listener, stackURL string) {
	t.Helper()
	srv := &http.Server{Handler: hostMux(stackURL), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
}

// hostMux serves a documentation site's pages, on another site than the
// stack: "/" embeds the form the documented way, under a strict CSP of its
// own; "/frame-root" frames the full page, which must refuse.
func hostMux(stackURL string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// A strict host: scripts and frames only from the token desk, no
		// inline anything. embed.js must cope.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src "+stackURL+"; frame-src "+stackURL+"; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Docs</title></head><body>
<h1>Authentication</h1>
<p>Ask for a token here:</p>
<div data-mhsdk-token data-theme="dark"><a href="%[1]s/">Get your MetaHuman SDK API token</a></div>
<p>Then send it as a bearer token.</p>
<script src="%[1]s/embed.js" async></script>
</body></html>`, stackURL)
	})
	// /lang?html=ja&data=de: a host page in html's language, with a slot
	// that asks for data's (none when empty).
	mux.HandleFunc("/lang", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		slot := `<div data-mhsdk-token>`
		if d := r.URL.Query().Get("data"); d != "" {
			slot = `<div data-mhsdk-token data-lang="` + html.EscapeString(d) + `">`
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="%[2]s"><head><meta charset="utf-8"><title>Docs</title></head><body>
%[3]s<a href="%[1]s/">Token</a></div>
<script src="%[1]s/embed.js" async></script>
</body></html>`, stackURL, html.EscapeString(r.URL.Query().Get("html")), slot)
	})
	mux.HandleFunc("/frame-root", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Framing</title></head><body>
<iframe id="root" src="%[1]s/" width="600" height="400"></iframe>
<iframe id="embed" src="%[1]s/embed" width="600" height="400"></iframe>
</body></html>`, stackURL)
	})
	return mux
}

// eval runs expr and decodes its value, awaiting a promise.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, func(p *runtime.EvaluateParams) {
		p.AwaitPromise = new(true)
	}))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor polls expr until it is truthy (pageload.Until).
func waitFor(t *testing.T, ctx context.Context, what, expr string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, pageload.Until(expr, timeout)); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

type point struct{ X, Y float64 }

const slotFrame = `document.querySelector("[data-mhsdk-token] iframe")`

// clickInFrame clicks the centre of the element with the given id in the
// frame, through the host page's mouse, as a person would.
func clickInFrame(t *testing.T, host, frame context.Context, id string) {
	t.Helper()
	in := eval[point](t, frame, `(() => { const r = document.getElementById(`+strconv.Quote(id)+`).getBoundingClientRect(); return {X: r.x + r.width / 2, Y: r.y + r.height / 2}; })()`)
	at := eval[point](t, host, `(() => { const f = `+slotFrame+`, r = f.getBoundingClientRect(); return {X: r.x + f.clientLeft, Y: r.y + f.clientTop}; })()`)
	if err := chromedp.Do(host, chromedp.MouseClickXY(at.X+in.X, at.Y+in.Y)); err != nil {
		t.Fatalf("click #%s: %v", id, err)
	}
}

// typeInFrame clicks a field in the frame and types into it.
func typeInFrame(t *testing.T, host, frame context.Context, id, text string) {
	t.Helper()
	clickInFrame(t, host, frame, id)
	waitFor(t, frame, "focus on #"+id, `document.activeElement && document.activeElement.id === `+strconv.Quote(id), 5*time.Second)
	if err := chromedp.Do(host, chromedp.KeyEvent(text)); err != nil {
		t.Fatalf("type into #%s: %v", id, err)
	}
}

// frameTarget attaches to the out-of-process frame whose URL starts with
// prefix.
func frameTarget(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			// Only this tab's frames: the browser is shared with other tabs.
			if info.Type == "iframe" && info.BrowserContextID == chromedp.FromContext(ctx).BrowserContextID && strings.HasPrefix(info.URL, prefix) {
				fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel(), alsoWatched(ctx))
				t.Cleanup(cancel)
				if err := chromedp.Do(fctx); err != nil {
					t.Fatalf("attach to the frame: %v", err)
				}
				return fctx
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no out-of-process frame at %s", prefix)
	return nil
}

// recordMessages makes every document of the tab keep what it receives by
// postMessage, before any page script runs.
func recordMessages(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__messages = []; addEventListener("message", (e) => window.__messages.push({origin: e.origin, data: JSON.stringify(e.data)}));`,
	})
	if err != nil {
		t.Fatal(err)
	}
}

type message struct {
	Origin string
	Data   string
}

func TestEmbeddedForm(t *testing.T) {
	s, host := sharedStack(t)
	ctx := newTab(t, s)
	tab, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	recordMessages(t, tab)
	if err := chromedp.Do(tab, pageload.Open(host+"/")); err != nil {
		t.Fatal(err)
	}

	// embed.js swaps the fallback link for the iframe.
	waitFor(t, tab, "the iframe", slotFrame+` !== null`, 20*time.Second)
	attrs := eval[map[string]string](t, tab, `(() => { const f = `+slotFrame+`; const m = {}; for (const a of f.attributes) m[a.name] = a.value; m.parentText = f.parentElement.textContent; return m; })()`)
	for name, want := range map[string]string{
		"src": s.URL + "/embed?theme=dark", "allow": "clipboard-write", "loading": "lazy",
		"title": lang.EN.Text(lang.KeyPageTitle), "parentText": "",
	} {
		if attrs[name] != want {
			t.Errorf("iframe %s = %q, want %q", name, attrs[name], want)
		}
	}
	if !strings.Contains(attrs["style"], "width: 100%") || !strings.Contains(attrs["style"], "border: 0") {
		t.Errorf("iframe style = %q", attrs["style"])
	}

	frame := frameTarget(t, tab, s.URL+"/embed")
	// A headless tab never has the window's focus; without it the
	// clipboard refuses to write and clicks focus nothing.
	for _, c := range []context.Context{tab, frame} {
		if _, err := chromedp.Call(c, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	// Typing before wasm takes over would post the plain form.
	ready := `document.getElementById("token-form")?.dataset.wasm === "ready"`
	// app.wasm starts on the first interaction (web/boot.js): focus a field.
	waitFor(t, frame, "the prerendered form", `!!document.getElementById("name")`, 20*time.Second)
	eval[bool](t, frame, `(document.getElementById("name").focus(), true)`)
	if _, err := chromedp.Run(frame, pageload.Until(ready, 60*time.Second)); err != nil {
		// go-app writes a failed start into its (hidden) loader.
		t.Fatalf("wasm did not take over the form in the frame (%v); loader says %q", err,
			eval[string](t, frame, `document.getElementById("app-wasm-loader-label")?.textContent || ""`))
	}

	// The frame's height follows its content: from the initial 500px to
	// the form's height.
	contentHeight := `Math.ceil(document.documentElement.getBoundingClientRect().height)`
	formHeight := eval[int](t, frame, contentHeight)
	if strconv.Itoa(formHeight)+"px" == initialHeight {
		t.Fatalf("the form is exactly as tall as the initial height, %s: resizing cannot be seen", initialHeight)
	}
	waitFor(t, tab, "the iframe to fit the form", slotFrame+`.getBoundingClientRect().height === `+strconv.Itoa(formHeight), 10*time.Second)
	t.Logf("form height %dpx", formHeight)

	// data-theme="dark" on the div reached the frame: dark colours.
	if theme := eval[string](t, frame, `document.documentElement.dataset.theme || ""`); theme != "dark" {
		t.Errorf("frame theme = %q, want dark", theme)
	}
	if bg := eval[string](t, frame, `getComputedStyle(document.querySelector(".desk")).backgroundColor`); bg != darkSurfaceRGB {
		t.Errorf("desk background %s, want the dark %s", bg, darkSurfaceRGB)
	}
	if eval[bool](t, frame, `document.querySelector(".masthead, .foot, .lead") !== null`) {
		t.Error("the embed shows page chrome")
	}

	typeInFrame(t, tab, frame, "name", "Ada Lovelace")
	typeInFrame(t, tab, frame, "mail", mail)
	clickInFrame(t, tab, frame, "submit")

	waitFor(t, frame, "the token", `!!document.getElementById("token")?.value`, 30*time.Second)
	want, ok := s.Emulator.TokenFor(mail)
	if !ok {
		t.Fatalf("the emulator issued no token for %s", mail)
	}
	if got := eval[string](t, frame, `document.getElementById("token").value`); got != want {
		t.Fatalf("token %q, want the emulator's %q", got, want)
	}

	// The reveal has another height (shorter than the form); the iframe
	// follows.
	revealHeight := 0
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		revealHeight = eval[int](t, frame, contentHeight)
		if revealHeight != formHeight && eval[int](t, tab, `Math.round(`+slotFrame+`.getBoundingClientRect().height)`) == revealHeight {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := eval[int](t, tab, `Math.round(`+slotFrame+`.getBoundingClientRect().height)`); got != revealHeight || revealHeight == formHeight {
		t.Errorf("after the reveal the iframe is %dpx, the content %dpx (form %dpx)", got, revealHeight, formHeight)
	}
	t.Logf("reveal height %dpx", revealHeight)

	// Copy inside the cross-site frame: clipboard-write is delegated by
	// allow="clipboard-write".
	grant := func(name, origin, embedded string) {
		t.Helper()
		if _, err := chromedp.CallBrowser(tab, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name},
			Setting:    browser.PermissionSettingGranted,
			Origin:     origin, EmbeddedOrigin: embedded,
			BrowserContextID: chromedp.FromContext(tab).BrowserContextID,
		}); err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	grant("clipboard-write", host, s.URL)
	grant("clipboard-read", s.URL, "")
	clickInFrame(t, tab, frame, "copy")
	waitFor(t, frame, "Copied", `document.getElementById("copy").textContent === "Copied"`, 10*time.Second)
	if status := eval[string](t, frame, `document.getElementById("copy-status").className`); !strings.Contains(status, "is-ok") {
		t.Errorf("copy status class %q", status)
	}
	// The frame has clipboard-write only, so read the clipboard back from
	// a tab of the desk's own origin.
	reader, cancelReader := chromedp.NewContext(ctx, alsoWatched(ctx))
	defer cancelReader()
	if err := chromedp.Do(reader, pageload.Open(s.URL+"/web/icon.svg")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(reader, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, reader, `navigator.clipboard.readText()`); got != want {
		t.Errorf("clipboard %q, want the token", got)
	}

	// The host page cannot reach into the frame, and learnt only heights.
	reach := eval[map[string]bool](t, tab, `(() => {
		const f = `+slotFrame+`;
		let threw = false;
		try { f.contentWindow.document; } catch (e) { threw = e.name === "SecurityError"; }
		return {nullDocument: f.contentDocument === null, threw};
	})()`)
	if !reach["nullDocument"] || !reach["threw"] {
		t.Errorf("the host page can reach the frame's document: %v", reach)
	}
	if strings.Contains(eval[string](t, tab, `document.documentElement.outerHTML`), want) {
		t.Error("the token is in the host page")
	}
	msgs := eval[[]message](t, tab, `window.__messages`)
	heights := 0
	for _, m := range msgs {
		if strings.Contains(m.Data, want) {
			t.Errorf("a message to the host page holds the token: %+v", m)
		}
		if m.Origin != s.URL {
			continue
		}
		var d map[string]any
		if err := json.Unmarshal([]byte(m.Data), &d); err != nil || len(d) != 2 || d["type"] != heightMessage {
			t.Errorf("message from the frame is not just its height: %s", m.Data)
			continue
		}
		if _, ok := d["height"].(float64); !ok {
			t.Errorf("height is not a number: %s", m.Data)
		}
		heights++
	}
	if heights < 2 {
		t.Errorf("the host page got %d height messages, want one for the form and one for the reveal: %+v", heights, msgs)
	}
}

// TestEmbedFallbackWithoutJavaScript: without scripts on the host page the
// div keeps its link to the full page.
func TestEmbedFallbackWithoutJavaScript(t *testing.T) {
	s, host := sharedStack(t)
	ctx := newTab(t, s)
	tab, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	// Scripts are off: once the document is parsed, nothing changes it.
	if err := chromedp.Do(tab, pageload.Open(host+"/")); err != nil {
		t.Fatal(err)
	}
	nodes, err := chromedp.Run(tab, chromedp.Nodes(chromedp.CSS("[data-mhsdk-token] a"), pageload.Paced))
	if err != nil || len(nodes) != 1 || nodes[0].AttributeValue("href") != s.URL+"/" {
		t.Fatalf("fallback link: %v %v", nodes, err)
	}
	if frames, _ := chromedp.Run(tab, chromedp.Nodes(chromedp.CSS("iframe"), chromedp.AtLeast(0), pageload.Paced)); len(frames) != 0 {
		t.Error("an iframe without JavaScript")
	}
}

// TestOnlyEmbedCanBeFramed: "/" refuses to be framed (header and browser);
// /embed lets the sites of FRAME_ANCESTORS frame it, and the browser
// refuses it to any other.
func TestOnlyEmbedCanBeFramed(t *testing.T) {
	s, host := sharedStack(t)
	// Another documentation site, which FRAME_ANCESTORS does not name.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hostServer(t, l, s.URL)
	// A site of its own, as the docs' localhost is: Chromium resolves
	// *.localhost to this machine. At 127.0.0.1, the desk's own site, the
	// frames ran in the page's process, so they were never targets of
	// their own: framedDocs saw neither, waited out its deadline (30 s),
	// and the checks below held for frames nobody had seen.
	_, port, _ := net.SplitHostPort(l.Addr().String())
	other := "http://other-docs.localhost:" + port

	resp, err := http.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("/ CSP %q lacks frame-ancestors 'none'", csp)
	}
	if xfo := resp.Header.Get("X-Frame-Options"); xfo != "DENY" {
		t.Errorf("/ X-Frame-Options %q", xfo)
	}
	resp, err = http.Get(s.URL + "/embed")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self' "+host) || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("/embed: CSP %q, X-Frame-Options %q", csp, resp.Header.Get("X-Frame-Options"))
	}

	for _, site := range []struct {
		origin     string
		embedLoads bool
	}{{host, true}, {other, false}} {
		docs := framedDocs(t, newTab(t, s), s, site.origin+"/frame-root", site.embedLoads)
		t.Logf("%s: framed /: %+v; framed /embed: %+v", site.origin, docs["/"], docs["/embed"])
		if d := docs["/embed"]; d.Form != site.embedLoads || (d.Href == s.URL+"/embed") != site.embedLoads {
			t.Errorf("framed by %s, /embed loaded %v, want %v: %+v", site.origin, d.Form, site.embedLoads, d)
		}
		if d := docs["/"]; d.Form || d.Href == s.URL+"/" || d.Title == "Get a MetaHuman SDK API token" {
			t.Errorf("/ loaded in a frame of %s: %+v", site.origin, d)
		}
	}
}

// framedDoc is what a frame's document shows of itself.
type framedDoc struct {
	Href  string
	Title string
	Form  bool
}

// framedDocs opens pageURL, which frames the desk's / and /embed, and
// returns the documents the two frames hold, by path, once both have one
// (and /embed its form, when embedLoads); it fails the test when they do
// not within 30 s. Both frames are cross-site, so each runs as a target of
// its own; a blocked one holds Chromium's error page instead of the desk.
func framedDocs(t *testing.T, tab context.Context, s *stack.Stack, pageURL string, embedLoads bool) map[string]framedDoc {
	t.Helper()
	tab, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	if err := chromedp.Do(tab, pageload.Open(pageURL)); err != nil {
		t.Fatal(err)
	}
	docs := map[string]framedDoc{}
	done := func() bool {
		return docs["/"].Href != "" && docs["/embed"].Href != "" && (docs["/embed"].Form || !embedLoads)
	}
	deadline := time.Now().Add(30 * time.Second)
	// Only this tab's frames: the browser is shared with other tabs.
	ours := chromedp.FromContext(tab).BrowserContextID
	for time.Now().Before(deadline) && !done() {
		infos, err := chromedp.Targets(tab)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			path := strings.TrimPrefix(info.URL, s.URL)
			if info.Type != "iframe" || info.BrowserContextID != ours || (path != "/" && path != "/embed") {
				continue
			}
			fctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
			d, err := chromedp.Run(fctx, chromedp.Evaluate[framedDoc](`({Href: location.href, Title: document.title, Form: !!document.getElementById("token-form")})`))
			cancel()
			if err == nil && d.Href != "about:blank" {
				docs[path] = d
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !done() {
		t.Fatalf("%s: after 30 s the frames hold %+v", pageURL, docs)
	}
	return docs
}

// TestOEmbed checks what the Worker adds for oEmbed: the endpoint, the
// absolute discovery link on every page, and ?theme= on /embed without
// JavaScript.
func TestOEmbed(t *testing.T) {
	s, _ := sharedStack(t)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	for _, page := range []string{"/", "/embed?theme=dark", "/de/", "/ja/embed?theme=dark", "/embed?lang=ko"} {
		resp, body := get(page)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", page, resp.StatusCode)
		}
		if strings.Contains(body, oembed.DiscoveryPlaceholder) {
			t.Errorf("%s: the discovery link is still the placeholder", page)
		}
		if link := oembed.DiscoveryLink(s.URL, s.URL+page); !strings.Contains(body, link) {
			t.Errorf("%s: no discovery link %s", page, link)
		}
	}
	if _, body := get("/embed?theme=dark"); !strings.Contains(body, `<html data-theme="dark" lang="en">`) {
		t.Errorf("/embed?theme=dark: no data-theme on <html>")
	}
	if _, body := get("/ja/embed?theme=dark"); !strings.Contains(body, `<html data-theme="dark" lang="ja">`) {
		t.Errorf("/ja/embed?theme=dark: no data-theme on <html lang=ja>")
	}
	if _, body := get("/embed?lang=ko&theme=light"); !strings.Contains(body, `<html data-theme="light" lang="ko">`) {
		t.Errorf("/embed?lang=ko&theme=light is not the Korean page with the light theme")
	}
	if resp, body := get(oembed.Path + "?format=json&url=" + url.QueryEscape(s.URL+"/de/")); resp.StatusCode != 200 || !strings.Contains(body, s.URL+`/de/embed`) {
		t.Errorf("oembed of /de/: %d %s, want a frame of /de/embed", resp.StatusCode, body)
	}
	if _, body := get("/embed?theme=%22%3E"); !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("/embed with a bad theme: <html> changed")
	}
	if _, body := get("/?theme=dark"); strings.Contains(body, "data-theme") {
		t.Errorf("/ took a theme")
	}

	resp, body := get(oembed.Path + "?format=json&url=" + url.QueryEscape(s.URL+"/"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("oembed: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var res oembed.Response
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Version != "1.0" || res.Type != "rich" || res.ProviderURL != s.URL+"/" ||
		!strings.Contains(res.HTML, `src="`+s.URL+`/embed"`) || !strings.Contains(res.HTML, `allow="clipboard-write"`) {
		t.Errorf("oembed answer %+v", res)
	}
	for q, want := range map[string]int{
		"?format=xml&url=" + url.QueryEscape(s.URL+"/"): 501,
		"?format=json": 400,
		"?format=json&url=" + url.QueryEscape("https://a.example/"): 404,
	} {
		if resp, _ := get(oembed.Path + q); resp.StatusCode != want {
			t.Errorf("oembed%s: %d, want %d", q, resp.StatusCode, want)
		}
	}
}

// embed.js frames /embed in the language of data-lang, else of the host
// page's <html lang> when the desk speaks it, else English; the frame's
// page is in that language.
func TestEmbedLanguage(t *testing.T) {
	s, host := sharedStack(t)
	ctx := newTab(t, s)
	cases := []struct {
		html, data string
		want       lang.Lang
	}{
		{"ja", "", lang.JA},
		{"de-AT", "", lang.DE},
		{"zh-CN", "", lang.ZhHans},
		{"zh-TW", "", lang.EN},
		{"it", "", lang.EN},
		{"it", "fr", lang.FR},
		{"ja", "ko", lang.KO},
		{"ru", "xx", lang.RU},
		{"en", "pt-br", lang.PtBR},
	}
	for _, c := range cases {
		tab, cancel := context.WithTimeout(ctx, time.Minute)
		tab, cancelTab := chromedp.NewContext(tab, alsoWatched(ctx))
		if err := chromedp.Do(tab, pageload.Open(host+"/lang?html="+c.html+"&data="+c.data)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tab, "the iframe", slotFrame+` !== null`, 20*time.Second)
		got := eval[map[string]string](t, tab, `(() => { const f = `+slotFrame+`; return {src: f.getAttribute("src"), title: f.title}; })()`)
		want := map[string]string{"src": s.URL + c.want.PagePath("/embed"), "title": c.want.Text(lang.KeyPageTitle)}
		if got["src"] != want["src"] || got["title"] != want["title"] {
			t.Errorf("html lang %q, data-lang %q: frame %v, want %v", c.html, c.data, got, want)
		}
		if c.want != lang.EN {
			frame := frameTarget(t, tab, s.URL+c.want.PagePath("/embed"))
			waitFor(t, frame, "the frame's form", `document.getElementById("token-form") !== null`, 20*time.Second)
			if lang := eval[string](t, frame, `document.documentElement.lang`); lang != c.want.Tag() {
				t.Errorf("html lang %q, data-lang %q: the frame's page has lang %q", c.html, c.data, lang)
			}
		}
		cancelTab()
		cancel()
	}
}
