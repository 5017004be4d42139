package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// Save to a password manager. Chromium has PasswordCredential: the desk
// hands it the mail as the id, the token as the password and the desk's
// name, and the browser shows its own save prompt. Elsewhere a form with
// a username and a new-password field is "submitted" with method=dialog,
// which sends nothing and goes nowhere, but is a submission the browser's
// password manager sees. Neither works in another site's frame (Chromium
// refuses credentials there), and the token cannot leave the frame, so the
// embed says so and links the full page instead.

// saveDone records what the browser did with the credential.
func (s *state) saveDone(ok bool) {
	if s.phase != Revealed {
		return
	}
	if ok {
		s.setKeepStatus(lang.KeySaveOffered, false)
		return
	}
	s.setKeepStatus(lang.KeySaveFailed, true)
}

// onSaveClick fills the form's fields just before its submission, which
// the click starts: the markup never holds the token twice. A second
// later they are empty again.
func (d *Desk) onSaveClick(ctx app.Context, e app.Event) {
	setValue(IDSaveMail, d.s.value(tokendesk.FieldMail))
	setValue(IDSavePass, d.s.token)
	d.keep.Tick(func() {
		setValue(IDSaveMail, "")
		setValue(IDSavePass, "")
	})
}

// onSave runs on the save form's submit. With PasswordCredential the
// form is not submitted: store() says how it went.
func (d *Desk) onSave(ctx app.Context, e app.Event) {
	if d.s.phase != Revealed {
		e.PreventDefault()
		return
	}
	if !d.keep.CanStore() {
		d.s.setKeepStatus(lang.KeySaveAsk, false)
		d.changed(ctx)
		return
	}
	e.PreventDefault()
	d.keep.Store(d.s.value(tokendesk.FieldMail), d.s.token, d.text(lang.KeyAppName), func(ok bool) {
		d.later(ctx, app.Update, func(ctx app.Context) {
			d.s.saveDone(ok)
			d.changed(ctx)
		})
	})
}

// renderSave is the save form, or in a frame the way to the full page.
func (d *Desk) renderSave(framed bool) app.UI {
	if framed {
		return el("p", "class", "hint").Body(
			app.Text(d.text(lang.KeySaveInFrame)+" "),
			newTabLink(IDOpenFull, d.Lang.PagePath("/"), d.text(lang.KeyOpenFullPage)),
		)
	}
	// The fields are for the password manager only: out of sight, out
	// of the tab order and of the accessibility tree (the token is shown
	// above), and empty but while the form is submitted.
	return el("form", "id", IDSaveForm, "method", "dialog").On("submit", d.onSave).Body(
		el("div", "class", "visually-hidden", "aria-hidden", "true").Body(
			el("input", "id", IDSaveMail, "type", "email", "name", "username", "autocomplete", "username", "tabindex", "-1"),
			el("input", "id", IDSavePass, "type", "password", "name", "password", "autocomplete", "new-password", "tabindex", "-1"),
		),
		el("button", "id", IDSave, "type", "submit", "class", "btn btn-secondary").On("click", d.onSaveClick).Text(d.text(lang.KeySave)),
	)
}

// setValue sets the value of the input id.
func setValue(id, v string) {
	if el := elementByID(id); el != nil {
		el.Set("value", v)
	}
}

func (browserKeeper) CanStore() bool {
	win := app.Window()
	return app.IsClient && win.Get("PasswordCredential").Type() == app.TypeFunction &&
		get(win.Get("navigator").Get("credentials"), "store").Type() == app.TypeFunction
}

func (browserKeeper) Store(id, password, name string, done func(ok bool)) {
	if !app.IsClient {
		return
	}
	data := newObject()
	data.Set("id", id)
	data.Set("password", password)
	data.Set("name", name)
	var promise app.Value
	jsCall(func() {
		win := app.Window()
		promise = win.Get("navigator").Get("credentials").Call("store", win.Get("PasswordCredential").New(data))
	})
	then(promise, func(app.Value) { done(true) }, func(app.Value) { done(false) })
}
