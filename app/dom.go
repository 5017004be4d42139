package app

import (
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The page's JavaScript values and elements, through go-app's JS bridge.

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
