package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

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
