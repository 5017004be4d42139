package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// offChallenge is the check when Turnstile is off.
type offChallenge struct{}

func (offChallenge) On() bool       { return false }
func (offChallenge) Mount(string)   {}
func (offChallenge) Answer() string { return "" }
func (offChallenge) Reset()         {}

// turnstileScript is Turnstile's API, rendered explicitly. The Worker's CSP
// allows it (script-src and frame-src) only when Turnstile is on.
const turnstileScript = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"

// turnstile drives Cloudflare's widget through window.turnstile.
type turnstile struct {
	key       string
	container string
	loading   bool
	widget    app.Value // the widget id render returned, nil before
	answer    string
	callbacks []app.Func
}

// newTurnstile reads the site key from <meta name="turnstile-site-key">;
// "off" (the prerendered placeholder), or no meta, means off (nil).
func newTurnstile() *turnstile {
	if !app.IsClient {
		return nil
	}
	meta := app.Window().Get("document").Call("querySelector", `meta[name="turnstile-site-key"]`)
	key := strings.TrimSpace(str(get(meta, "content")))
	if key == "" || key == "off" {
		return nil
	}
	return &turnstile{key: key}
}

func (t *turnstile) On() bool { return true }

func (t *turnstile) Mount(id string) {
	t.container = id
	win := app.Window()
	if isObject(win.Get("turnstile")) {
		t.render()
		return
	}
	if t.loading {
		return // rendered once the script is there
	}
	t.loading = true
	doc := win.Get("document")
	script := doc.Call("createElement", "script")
	script.Set("src", turnstileScript)
	script.Set("async", true)
	var onload app.Func
	onload = app.FuncOf(func(app.Value, []app.Value) any {
		onload.Release()
		t.loading = false
		t.render()
		return nil
	})
	script.Call("addEventListener", "load", onload)
	doc.Get("head").Call("appendChild", script)
}

// render puts a widget into the container, unless one is there already.
func (t *turnstile) render() {
	el := elementByID(t.container)
	ts := app.Window().Get("turnstile")
	if el == nil || !isObject(ts) || el.Get("childElementCount").Int() > 0 {
		return
	}
	if t.widget != nil {
		// The form was drawn anew (after Done): drop the old widget.
		jsCall(func() { ts.Call("remove", t.widget) })
		t.widget = nil
	}
	for _, f := range t.callbacks {
		f.Release()
	}
	t.answer = ""
	set := func(v string) app.Func {
		return app.FuncOf(func(_ app.Value, args []app.Value) any {
			t.answer = v
			if v == "answer" {
				t.answer = str(arg(args))
			}
			return nil
		})
	}
	t.callbacks = []app.Func{set("answer"), set(""), set("")}
	opts := newObject()
	opts.Set("sitekey", t.key)
	opts.Set("action", tokendesk.TurnstileAction)
	opts.Set("theme", "auto")
	opts.Set("callback", t.callbacks[0])
	opts.Set("expired-callback", t.callbacks[1])
	opts.Set("error-callback", t.callbacks[2])
	jsCall(func() { t.widget = ts.Call("render", el, opts) })
}

func (t *turnstile) Answer() string {
	if t.answer != "" || t.widget == nil {
		return t.answer
	}
	var v string
	jsCall(func() { v = str(app.Window().Get("turnstile").Call("getResponse", t.widget)) })
	return v
}

func (t *turnstile) Reset() {
	t.answer = ""
	if t.widget == nil {
		return
	}
	jsCall(func() { app.Window().Get("turnstile").Call("reset", t.widget) })
}

// jsCall runs fn, turning a JavaScript exception (a widget Turnstile no
// longer knows, say) into nothing rather than a crash of the app.
func jsCall(fn func()) {
	defer func() { recover() }()
	fn()
}
