package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// The token form's markup: the three fields, Turnstile, the submit button.

type fieldSpec struct {
	name         string
	label        lang.Key
	hint         lang.Key
	inputType    string
	autocomplete string
	maxLength    int
	required     bool
	multiline    bool
}

// formFields are the form's fields in tokendesk.Fields order.
var formFields = [3]fieldSpec{
	{
		name:         tokendesk.FieldName,
		label:        lang.KeyLabelName,
		inputType:    "text",
		autocomplete: "name",
		maxLength:    tokendesk.MaxNameChars,
		required:     true,
	},
	{
		name:         tokendesk.FieldMail,
		label:        lang.KeyLabelMail,
		inputType:    "email",
		autocomplete: "email",
		maxLength:    tokendesk.MaxMailBytes,
		required:     true,
	},
	{
		name:      tokendesk.FieldComment,
		label:     lang.KeyLabelComment,
		hint:      lang.KeyCommentHint,
		maxLength: tokendesk.MaxCommentChars,
		multiline: true,
	},
}

func (d *Desk) renderForm() app.UI {
	busy := d.s.phase == Sending
	return formShell(IDForm, tokendesk.TokenPath, d.Compact, d.ready, busy).On("submit", d.onSubmit).Body(
		langField(d.Lang),
		d.renderField(formFields[0]),
		d.renderField(formFields[1]),
		d.renderField(formFields[2]),
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

func (d *Desk) renderField(f fieldSpec) app.UI {
	errID := f.name + "-error"
	hintID := f.name + "-hint"
	msg := d.s.fieldError(f.name)

	describedBy := ""
	if msg != "" {
		describedBy = errID
	}
	if f.hint != 0 {
		if describedBy != "" {
			describedBy += " "
		}
		describedBy += hintID
	}

	class := "field"
	if msg != "" {
		class += " has-error"
	}

	var control app.UI
	if f.multiline {
		ta := app.Elem("textarea").
			ID(f.name).
			Attr("name", f.name).
			Class("input textarea").
			Attr("rows", 3).
			Attr("maxlength", f.maxLength).
			On("input", d.onInput(f.name)).
			On("blur", d.onBlur(f.name))
		if v := d.initial[f.name]; v != "" {
			ta = ta.Text(v)
		}
		if describedBy != "" {
			ta = ta.Aria("describedby", describedBy)
		}
		if msg != "" {
			ta = ta.Aria("invalid", "true")
		}
		control = ta
	} else {
		in := app.ElemSelfClosing("input").
			ID(f.name).
			Attr("name", f.name).
			Attr("type", f.inputType).
			Class("input").
			Attr("autocomplete", f.autocomplete).
			Attr("maxlength", f.maxLength).
			Spellcheck(false).
			Attr("value", d.initial[f.name]).
			On("input", d.onInput(f.name)).
			On("blur", d.onBlur(f.name))
		if f.required {
			in = in.Attr("required", true)
		}
		if describedBy != "" {
			in = in.Aria("describedby", describedBy)
		}
		if msg != "" {
			in = in.Aria("invalid", "true")
		}
		control = in
	}

	label := app.Elem("label").Attr("for", f.name).Class("label").Body(
		app.Text(d.text(f.label)),
		app.If(!f.required, app.Elem("span").Class("optional").Text(" "+d.text(lang.KeyOptional))),
	)

	return app.Elem("div").Class(class).Body(
		label,
		control,
		app.Elem("p").ID(errID).Class("field-error").Aria("live", "polite").Body(textIf(msg)),
		app.If(f.hint != 0, app.Elem("p").ID(hintID).Class("hint").Text(
			d.text(f.hint, "max", strconv.Itoa(f.maxLength)))),
	)
}
