package app

import (
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

func TestEmbedPrerenderedIsTheCompactForm(t *testing.T) {
	e := NewEmbed(lang.EN)
	disp := app.NewServerTester(e)
	defer disp.Close()
	html := app.HTMLString(e)

	if !strings.HasPrefix(html, `<div class="embed">`) {
		t.Errorf("the embed does not start with its wrapper:\n%s", html)
	}
	for _, chrome := range []string{"masthead", "brand", `class="main"`, `class="foot"`, `class="lead"`, IDUpdate, "toast"} {
		if strings.Contains(html, chrome) {
			t.Errorf("the embed has page chrome: %s", chrome)
		}
	}
	if !strings.Contains(html, "desk-compact") {
		t.Error("the desk is not compact")
	}
	form := attrs(html, IDForm)
	if form == nil || form["method"] != "post" || form["action"] != tokendesk.TokenPath {
		t.Fatalf("form = %v, want a post to %s", form, tokendesk.TokenPath)
	}
	// Before wasm, the relay's answer (which refuses to be framed) opens
	// in a tab of its own.
	if form["target"] != "_blank" {
		t.Errorf("form target = %q, want _blank", form["target"])
	}
	for _, f := range tokendesk.FormFields {
		if a := attrs(html, f.Name); a == nil || a["name"] != f.Name {
			t.Errorf("field %s: %v", f.Name, a)
		}
	}
	if attrs(html, IDSubmit) == nil || attrs(html, IDFormError) == nil {
		t.Error("no submit button or form error region")
	}
}

func TestFullPageIsNotCompact(t *testing.T) {
	p := NewPage(lang.EN)
	disp := app.NewServerTester(p)
	defer disp.Close()
	html := app.HTMLString(p)
	if strings.Contains(html, "desk-compact") || !strings.Contains(html, "masthead") {
		t.Error("the full page lost its layout")
	}
	if _, ok := attrs(html, IDForm)["target"]; ok {
		t.Error("the full page's form opens a new tab")
	}
}

func TestEmbedRevealAndCopy(t *testing.T) {
	const token = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"
	env := &fakeEnv{answer: Answer{Status: 200, Token: token}, copyOK: true}
	d := NewDesk(lang.EN).Compacted().withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()

	fill(disp, d)
	do(disp, d, d.submit)
	html := app.HTMLString(d)
	if !strings.Contains(html, "desk-compact") {
		t.Error("the reveal is not compact")
	}
	if a := attrs(html, IDToken); a["value"] != token {
		t.Fatalf("token input = %v\n%s", a, html)
	}
	do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	if len(env.copied) != 1 || env.copied[0] != token {
		t.Errorf("copied %q", env.copied)
	}
	if !strings.Contains(app.HTMLString(d), en(lang.KeyCopiedStatus)) {
		t.Error("no copied status")
	}

	// A failed copy (no clipboard-write in the frame) explains the way by
	// hand.
	env.copyOK = false
	do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	if !strings.Contains(app.HTMLString(d), "Ctrl+C") {
		t.Error("no manual copy instructions in the embed")
	}
}

func TestNavigationBetweenPageAndEmbed(t *testing.T) {
	p := NewPage(lang.EN)
	disp := app.NewClientTester(p)
	defer disp.Close()
	if !strings.Contains(app.HTMLString(p), "masthead") {
		t.Fatal("the page has no masthead")
	}
	// As the router does on a client-side navigation to /embed: the same
	// component type is updated from the new route's value.
	disp.Mount(NewEmbed(lang.EN))
	disp.Consume()
	if html := app.HTMLString(p); strings.Contains(html, "masthead") || !strings.Contains(html, "desk-compact") {
		t.Errorf("the embed kept the page chrome:\n%s", html)
	}
	u, _ := url.Parse("https://desk.example/embed?theme=dark")
	disp.Nav(u) // OnNav runs; natively it leaves the DOM alone
	disp.Consume()
	if !p.Embedded {
		t.Error("the page is no longer the embed after OnNav")
	}
}

// TestThemeCSS checks that data-theme="dark" on <html> sets the same values
// as the dark scheme, and that data-theme="light" wins over the dark scheme.
func TestThemeCSS(t *testing.T) {
	b, err := os.ReadFile("../web/desk.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	block := func(selector string) string {
		i := strings.Index(css, selector+" {\n")
		if i < 0 {
			t.Fatalf("no rule %s", selector)
		}
		rest := css[i+len(selector)+3:]
		return rest[:strings.Index(rest, "}")]
	}
	decl := regexp.MustCompile(`(?m)^\s*(--[a-z-]+):\s*([^;]+);`)
	vars := func(s string) map[string]string {
		m := map[string]string{}
		for _, d := range decl.FindAllStringSubmatch(s, -1) {
			m[d[1]] = d[2]
		}
		return m
	}
	light := vars(block(":root"))
	scheme := vars(block(`  :root:not([data-theme="light"])`))
	forced := vars(block(`:root[data-theme="dark"]`))
	if len(scheme) < 10 {
		t.Fatalf("found only %d dark values", len(scheme))
	}
	for name, v := range scheme {
		if forced[name] != v {
			t.Errorf("%s: dark scheme %q, data-theme=dark %q", name, v, forced[name])
		}
		if _, ok := light[name]; !ok {
			t.Errorf("%s has no light value", name)
		}
	}
	if len(forced) != len(scheme) {
		t.Errorf("data-theme=dark sets %d values, the dark scheme %d", len(forced), len(scheme))
	}
	if !strings.Contains(block(`:root[data-theme="light"]`), "color-scheme: light") ||
		!strings.Contains(block(`:root[data-theme="dark"]`), "color-scheme: dark") {
		t.Error("data-theme does not set color-scheme")
	}
	if strings.Contains(css, "@media (prefers-color-scheme: dark) {\n  :root {") {
		t.Error("the dark scheme overrides data-theme=light")
	}
}
