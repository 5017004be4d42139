package app

import (
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// Env is what the desk needs from the browser. Both calls start their work
// at once (the clipboard needs the user's click to still be active) and call
// done later, on any goroutine.
type Env interface {
	// Send posts the urlencoded form to the relay.
	Send(body string, done func(Answer, Failure))
	// Check posts a token check (token=…) to the relay.
	Check(body string, done func(CheckAnswer, Failure))
	// Copy writes text to the clipboard.
	Copy(text string, done func(ok bool))
	// Challenge returns the Turnstile check of the page; it is off when
	// the Worker has no site key.
	Challenge() Challenge
}

// Challenge is the Turnstile widget, shown when the Worker filled its site
// key into the page (site.TurnstileMeta).
type Challenge interface {
	// On reports whether the page asks for the check.
	On() bool
	// Mount renders the widget into the element with the id, loading
	// Turnstile's script the first time. Mount again after the element
	// was replaced.
	Mount(id string)
	// Answer is the widget's answer, "" while there is none.
	Answer() string
	// Reset asks the widget for a new answer: each is single use.
	Reset()
}

// requestTimeoutMS bounds a request. The relay answers upstream timeouts
// itself well before this; it only guards against a hung connection.
const requestTimeoutMS = 60000

// browserEnv uses fetch and the Clipboard API through go-app's JS bridge, not
// net/http or encoding/json, to keep app.wasm small. Natively every call is a
// no-op that never calls done.
type browserEnv struct{ challenge *turnstile }

// newBrowserEnv reads the Turnstile site key from the page.
func newBrowserEnv() browserEnv { return browserEnv{challenge: newTurnstile()} }

func (e browserEnv) Challenge() Challenge {
	if e.challenge == nil {
		return offChallenge{}
	}
	return e.challenge
}

func (browserEnv) Send(body string, done func(Answer, Failure)) {
	postAnswer(tokendesk.TokenPath, body, answerOf, done)
}

func (browserEnv) Check(body string, done func(CheckAnswer, Failure)) {
	postAnswer(tokendesk.CheckPath, body, checkAnswerOf, done)
}

// postAnswer posts body to path and reads the answer with read.
func postAnswer[A any](path, body string, read func(int, app.Value) A, done func(A, Failure)) {
	post(path, body, func(status int, v app.Value, f Failure) {
		if f != 0 {
			var zero A
			done(zero, f)
			return
		}
		done(read(status, v), 0)
	})
}

// post sends a urlencoded form to the relay at path and hands done the
// status and the JSON answer (undefined when it is not JSON: the status
// still tells the page what to say), or why no answer came.
func post(path, body string, done func(status int, v app.Value, f Failure)) {
	win := app.Window()
	if !win.Truthy() {
		return
	}
	if online := win.Get("navigator").Get("onLine"); online.Type() == app.TypeBoolean && !online.Bool() {
		done(0, nil, Offline)
		return
	}

	headers := newObject()
	headers.Set("Content-Type", "application/x-www-form-urlencoded")
	headers.Set("Accept", "application/json")
	opts := newObject()
	opts.Set("method", "POST")
	opts.Set("headers", headers)
	opts.Set("body", body)
	opts.Set("credentials", "same-origin")
	opts.Set("cache", "no-store")
	opts.Set("redirect", "error")
	if abort := win.Get("AbortSignal"); abort.Truthy() && abort.Get("timeout").Type() == app.TypeFunction {
		opts.Set("signal", abort.Call("timeout", requestTimeoutMS))
	}

	then(win.Call("fetch", path, opts), func(res app.Value) {
		status := res.Get("status").Int()
		then(res.Call("json"), func(v app.Value) {
			done(status, v, 0)
		}, func(app.Value) {
			done(status, app.Undefined(), 0)
		})
	}, func(err app.Value) {
		switch {
		case isObject(err) && err.Get("name").String() == "TimeoutError":
			done(0, nil, TimedOut)
		case win.Get("navigator").Get("onLine").Type() == app.TypeBoolean && !win.Get("navigator").Get("onLine").Bool():
			done(0, nil, Offline)
		default:
			done(0, nil, Unreachable)
		}
	})
}

func (browserEnv) Copy(text string, done func(ok bool)) {
	clip := app.Window().Get("navigator").Get("clipboard")
	if !isObject(clip) || clip.Get("writeText").Type() != app.TypeFunction {
		done(false)
		return
	}
	then(clip.Call("writeText", text),
		func(app.Value) { done(true) },
		func(app.Value) { done(false) })
}

// answerOf reads the relay's JSON: {"result":{"token"}} or
// {"error":{"code","message","field"}}. Anything else yields an Answer with
// no token and no message, which the desk reports in plain words.
func answerOf(status int, v app.Value) Answer {
	a := Answer{Status: status}
	if result := get(v, "result"); isObject(result) {
		a.Token = str(get(result, "token"))
	}
	if e := get(v, "error"); isObject(e) {
		a.Code = str(get(e, "code"))
		a.Message = str(get(e, "message"))
		a.Field = str(get(e, "field"))
	}
	return a
}

// checkAnswerOf reads the relay's answer to a check: the upstream's
// {"result": {...}}, or {"error": {"code", "message", "field", "upstream":
// {"error": {"code"}}}}.
func checkAnswerOf(status int, v app.Value) CheckAnswer {
	a := CheckAnswer{Status: status, UpstreamCode: -1}
	a.Result = isObject(get(v, "result"))
	if e := get(v, "error"); isObject(e) {
		a.Code = str(get(e, "code"))
		a.Message = str(get(e, "message"))
		a.Field = str(get(e, "field"))
		if code := get(get(get(e, "upstream"), "error"), "code"); code != nil && code.Type() == app.TypeNumber {
			a.UpstreamCode = code.Int()
		}
	}
	return a
}

func newObject() app.Value { return app.Window().Get("Object").New() }

func isObject(v app.Value) bool { return v != nil && v.Type() == app.TypeObject }

func get(v app.Value, key string) app.Value {
	if !isObject(v) {
		return app.Undefined()
	}
	return v.Get(key)
}

func str(v app.Value) string {
	if v == nil || v.Type() != app.TypeString {
		return ""
	}
	return v.String()
}

// then waits for a promise without blocking: ok or fail runs when it
// settles, and both callbacks are released then.
func then(promise app.Value, ok, fail func(app.Value)) {
	if !isObject(promise) {
		fail(app.Undefined())
		return
	}
	var onOK, onFail app.Func
	release := func() {
		onOK.Release()
		onFail.Release()
	}
	onOK = app.FuncOf(func(_ app.Value, args []app.Value) any {
		release()
		ok(arg(args))
		return nil
	})
	onFail = app.FuncOf(func(_ app.Value, args []app.Value) any {
		release()
		fail(arg(args))
		return nil
	})
	promise.Call("then", onOK, onFail)
}

func arg(args []app.Value) app.Value {
	if len(args) == 0 {
		return app.Undefined()
	}
	return args[0]
}

// newTabLinks guards keepNewTabLinks.
var newTabLinks sync.Once

// keepNewTabLinks lets links with target="_blank" open their new tab:
// go-app's window.onclick navigates this tab for every link, target or
// not, which would drop a revealed token. A capturing listener on window
// runs first and stops the click there; the browser's own default (a new
// tab, rel=noopener) still happens.
func keepNewTabLinks() {
	if !app.IsClient {
		return
	}
	newTabLinks.Do(func() {
		fn := app.FuncOf(func(_ app.Value, args []app.Value) any {
			target := get(arg(args), "target")
			if !isObject(target) || target.Get("closest").Type() != app.TypeFunction {
				return nil
			}
			if link := target.Call("closest", `a[target="_blank"]`); isObject(link) {
				args[0].Call("stopPropagation")
			}
			return nil
		})
		app.Window().Call("addEventListener", "click", fn, true)
	})
}

// elementByID returns a DOM element, or nil natively or when absent.
func elementByID(id string) app.Value {
	if !app.IsClient || id == "" {
		return nil
	}
	el := app.Window().GetElementByID(id)
	if !isObject(el) {
		return nil
	}
	return el
}

// focusByID moves keyboard focus to an element.
func focusByID(id string) {
	if el := elementByID(id); el != nil {
		el.Call("focus")
	}
}

// selectByID focuses an input and selects all its text.
func selectByID(id string) {
	if el := elementByID(id); el != nil {
		el.Call("focus")
		el.Call("select")
	}
}

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
