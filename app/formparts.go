package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// The parts the token form, the reveal and the check form share.

// typedBefore is what the prerendered field id holds when wasm takes the
// form over: what the person typed, or the browser restored, before.
func typedBefore(id string) string {
	if el := elementByID(id); el != nil {
		return str(el.Get("value"))
	}
	return ""
}

// formShell is a form that works as a plain post to action before wasm
// starts. In a frame (compact), that post's answer refuses to be framed,
// so it opens in a tab of its own; wasm never posts this way. Once wasm is
// ready, our own inline messages replace the browser's bubbles.
func formShell(id, action string, compact, ready, busy bool) app.HTMLElem {
	form := app.Elem("form").
		ID(id).
		Class("form").
		Attr("method", "post").
		Attr("action", action)
	if compact {
		form = form.Attr("target", "_blank")
	}
	if ready {
		form = form.Attr("novalidate", true).DataSet("wasm", "ready")
	}
	if busy {
		form = form.Aria("busy", "true")
	}
	return form
}

// langField tells the relay the page's language, for a plain post's
// answer; the relay never forwards it, and wasm's own requests leave it out.
func langField(l lang.Lang) app.UI {
	return app.ElemSelfClosing("input").
		Attr("type", "hidden").
		Attr("name", tokendesk.FieldLang).
		Attr("value", l.Tag())
}

// submitButton is a form's main button, showing busyLabel and a spinner
// while busy. Busy, it is aria-disabled but not disabled: a disabled
// button would drop keyboard focus.
func submitButton(id, label, busyLabel string, busy bool) app.UI {
	button := app.Elem("button").
		ID(id).
		Attr("type", "submit").
		Class("btn btn-primary btn-block")
	if busy {
		button = button.Class("is-busy").Aria("disabled", "true")
		label = busyLabel
	}
	return button.Body(
		app.Elem("span").Class("spinner").Aria("hidden", "true"),
		app.Elem("span").Class("btn-label").Text(label),
	)
}

// tokenInputType is the type of an input that holds a token: text when
// shown, password when hidden.
func tokenInputType(shown bool) string {
	if shown {
		return "text"
	}
	return "password"
}

// visibilityToggle is the button that shows or hides the token in the
// input controls. Its name says what is shown or hidden; it starts with,
// or holds, the visible word.
func visibilityToggle(l lang.Lang, id, controls string, shown bool, onClick app.EventHandler) app.UI {
	label, name := lang.KeyShow, lang.KeyShowToken
	if shown {
		label, name = lang.KeyHide, lang.KeyHideToken
	}
	return app.Elem("button").
		ID(id).
		Attr("type", "button").
		Class("btn btn-secondary").
		Aria("controls", controls).
		Aria("label", l.Text(name)).
		On("click", onClick).
		Text(l.Text(label))
}

// textIf returns a text node, or nothing for an empty string so that CSS
// :empty matches.
func textIf(s string) app.UI {
	if s == "" {
		return nil
	}
	return app.Text(s)
}
