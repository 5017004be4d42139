package app

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// The token form's markup: the three fields, Turnstile, the submit button.

func (d *Desk) renderForm() app.UI {
	busy := d.s.phase == Sending
	return formShell(IDForm, tokendesk.TokenPath, d.Compact, d.ready, busy).On("submit", d.onSubmit).Body(
		langField(d.Lang),
		d.renderField(tokendesk.FormFields[0]),
		d.renderField(tokendesk.FormFields[1]),
		d.renderField(tokendesk.FormFields[2]),
		// Turnstile's widget, when on. Always there, and sized by CSS from
		// the first paint when the page has a site key, so it shifts
		// nothing when it appears; hidden when off. go-app never touches
		// what Turnstile puts inside.
		app.Elem("div").ID(IDTurnstile).Class("turnstile"),
		app.Elem("div").ID(IDFormError).Class("form-error").Attr("role", "alert").Body(textIf(d.s.formError)),
		submitButton(IDSubmit, d.text(lang.KeyCreate), d.text(lang.KeyCreating), busy),
		app.Elem("p").ID(IDFormStatus).Class("visually-hidden").Attr("role", "status").Body(textIf(d.s.status)),
		app.Elem("p").Class("alt-link").Body(
			app.Elem("a").ID(IDCheckLink).Attr("href", d.checkLinkPath()).Text(d.text(lang.KeyCheckFromForm)),
		),
	)
}

// renderField is a field of the token form: its label, the control, the
// field's error and its hint.
func (d *Desk) renderField(f tokendesk.FormField) app.UI {
	errID, hintID := f.Name+"-error", f.Name+"-hint"
	msg := d.s.fieldError(f.Name)
	class := "field"
	if msg != "" {
		class += " has-error"
	}
	var describedBy []string
	if msg != "" {
		describedBy = append(describedBy, errID)
	}
	if f.Hint != lang.NoKey {
		describedBy = append(describedBy, hintID)
	}
	return app.Elem("div").Class(class).Body(
		app.Elem("label").Attr("for", f.Name).Class("label").Body(
			app.Text(d.text(f.Label)),
			app.If(!f.Required, app.Elem("span").Class("optional").Text(" "+d.text(lang.KeyOptional))),
		),
		d.renderControl(f, msg != "", strings.Join(describedBy, " ")),
		app.Elem("p").ID(errID).Class("field-error").Aria("live", "polite").Body(textIf(msg)),
		app.If(f.Hint != lang.NoKey, app.Elem("p").ID(hintID).Class("hint").Text(
			d.text(f.Hint, "max", strconv.Itoa(f.MaxLength)))),
	)
}

// renderControl is a field's input, or its textarea, with what the person
// typed before wasm took the form over.
func (d *Desk) renderControl(f tokendesk.FormField, invalid bool, describedBy string) app.UI {
	attrs := controlAttrs{f: f, onInput: d.onInput(f.Name), onBlur: d.onBlur(f.Name), invalid: invalid, describedBy: describedBy}
	if f.Type == "textarea" {
		ta := app.Elem("textarea").Class("input textarea").Attr("rows", 3)
		if v := d.initial[f.Name]; v != "" {
			ta = ta.Text(v)
		}
		return withControlAttrs(ta, attrs)
	}
	in := app.ElemSelfClosing("input").
		Attr("type", f.Type).
		Class("input").
		Attr("autocomplete", f.Autocomplete).
		Spellcheck(false).
		Attr("value", d.initial[f.Name])
	if f.Required {
		in = in.Attr("required", true)
	}
	return withControlAttrs(in, attrs)
}

// controlAttrs are what a field's input and textarea have alike: its
// name, its length, its events and its accessible state.
type controlAttrs struct {
	f               tokendesk.FormField
	onInput, onBlur app.EventHandler
	invalid         bool
	describedBy     string
}

// control is what go-app's input and textarea elements share, each method
// returning the element's own type.
type control[T any] interface {
	ID(format string, v ...any) T
	Attr(name string, v any) T
	Aria(k string, v any) T
	On(event string, h app.EventHandler, scope ...any) T
}

// withControlAttrs gives a field's control the attributes a.
func withControlAttrs[T control[T]](c T, a controlAttrs) T {
	c = c.ID(a.f.Name).Attr("name", a.f.Name).Attr("maxlength", a.f.MaxLength).On("input", a.onInput).On("blur", a.onBlur)
	if a.describedBy != "" {
		c = c.Aria("describedby", a.describedBy)
	}
	if a.invalid {
		c = c.Aria("invalid", "true")
	}
	return c
}
