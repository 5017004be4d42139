package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// Checker is the "Check a token" form: one masked text field and the
// answer as a sentence. Prerendered, it is a plain
// <form method="post" action="/glb_const/status"> that works without wasm;
// once wasm runs it checks through fetch and shows the answer in place.
// The token lives in this component's memory and the field only.
type Checker struct {
	app.Compo

	// Compact drops the introduction, for the embed.
	Compact bool
	// Lang is the language of every sentence the check shows.
	Lang lang.Lang

	env Env
	s   checkState
	// initial is the value rendered as the value attribute: what was
	// typed before the takeover (go-app trims attributes, so the live
	// value is never bound).
	initial string
	ready   bool
}

// NewChecker returns a check form in lang that talks to the relay through
// the browser.
func NewChecker(lang lang.Lang) *Checker {
	return &Checker{Lang: lang, s: checkState{lang: lang}}
}

// OnInit carries over what was typed before wasm took over.
func (c *Checker) OnInit() {
	if c.env == nil {
		c.env = newBrowserEnv()
	}
	if v := typedBefore(IDCheckToken); v != "" {
		c.initial = v
		c.s.value = v
	}
}

// OnMount marks the form as taken over and puts back the typed value
// exactly.
func (c *Checker) OnMount(ctx app.Context) {
	c.ready = true
	if el := elementByID(IDCheckToken); el != nil && c.initial != "" && str(el.Get("value")) != c.initial {
		el.Set("value", c.initial)
	}
}

// OnDismount forgets the token.
func (c *Checker) OnDismount() {
	c.s = checkState{lang: c.Lang}
	c.initial = ""
}

func (c *Checker) changed(ctx app.Context) {
	if id := c.s.takeFocus(); id != "" {
		ctx.Defer(func(app.Context) { focusByID(id) })
	}
}

func (c *Checker) onInput(ctx app.Context, e app.Event) {
	v := str(ctx.JSSrc().Get("value"))
	pasted := str(e.Get("inputType")) == "insertFromPaste"
	if got := c.s.setValue(v, pasted); got != v {
		ctx.JSSrc().Set("value", got)
	}
}

func (c *Checker) onBlur(ctx app.Context, e app.Event) {
	c.s.value = str(ctx.JSSrc().Get("value"))
	c.s.blur()
}

func (c *Checker) onToggle(ctx app.Context, e app.Event) {
	c.s.toggle()
}

func (c *Checker) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if el := elementByID(IDCheckToken); el != nil {
		c.s.value = str(el.Get("value"))
	}
	body, ok := c.s.submit()
	c.changed(ctx)
	if !ok {
		return
	}
	c.env.Check(body, func(a CheckAnswer, f Failure) {
		ctx.Dispatch(func(ctx app.Context) {
			if f != 0 {
				c.s.run.fail(f)
			} else {
				c.s.receive(a)
			}
			c.changed(ctx)
		})
	})
}

// formPath is the page with the token form, in the same layout and
// language.
func (c *Checker) formPath() string {
	if c.Compact {
		return embedLink(c.Lang.PagePath(tokendesk.EmbedPath))
	}
	return c.Lang.Path()
}

// text returns the sentence for key in the check's language.
func (c *Checker) text(key lang.Key, args ...string) string {
	return c.Lang.Text(key, args...)
}

// Render draws the form and the answer.
func (c *Checker) Render() app.UI {
	class := "desk"
	if c.Compact {
		class += " desk-compact"
	}
	return app.Elem("section").Class(class).Aria("labelledby", "check-title").Body(
		app.Elem("h1").ID("check-title").Class("title").Text(c.text(lang.KeyCheckTitle)),
		app.If(!c.Compact, app.Elem("p").Class("lead").Text(c.text(lang.KeyCheckLead))),
		c.renderForm(),
		app.Elem("p").Class("alt-link").Body(
			app.Text(c.text(lang.KeyNeedToken)+" "),
			app.Elem("a").Attr("href", c.formPath()).Text(c.text(lang.KeyGetNewToken)),
		),
	)
}

func (c *Checker) renderForm() app.UI {
	busy := c.s.run.busy
	form := formShell(IDCheckForm, tokendesk.CheckPath, c.Compact, c.ready, busy)

	msg := c.s.fieldError
	errID, hintID := IDCheckToken+"-error", IDCheckToken+"-hint"
	describedBy := hintID
	if msg != "" {
		describedBy = errID + " " + hintID
	}
	in := app.ElemSelfClosing("input").
		ID(IDCheckToken).
		Attr("name", tokendesk.FieldToken).
		// A text field, masked by CSS while hidden: a password field in a
		// form makes browsers offer to save what is typed, and this one
		// holds someone's token (issue 19).
		Attr("type", "text").
		Class(checkFieldClass(c.s.shown)).
		Attr("autocomplete", "off").
		Attr("data-1p-ignore", true).
		Attr("data-lpignore", "true").
		Attr("autocapitalize", "off").
		Spellcheck(false).
		Attr("required", true).
		Attr("value", c.initial).
		Aria("describedby", describedBy).
		On("input", c.onInput).
		On("blur", c.onBlur)
	if msg != "" {
		in = in.Aria("invalid", "true")
	}
	fieldClass := "field"
	if msg != "" {
		fieldClass += " has-error"
	}

	return form.On("submit", c.onSubmit).Body(
		langField(c.Lang),
		app.Elem("div").Class(fieldClass).Body(
			app.Elem("label").Attr("for", IDCheckToken).Class("label").Text(c.text(lang.KeyTokenLabel)),
			app.Elem("div").Class("token-row").Body(
				in,
				// Only with wasm: without it the button could do nothing.
				app.If(c.ready, visibilityToggle(c.Lang, IDCheckToggle, IDCheckToken, c.s.shown, c.onToggle)),
			),
			app.Elem("p").ID(errID).Class("field-error").Aria("live", "polite").Body(textIf(msg)),
			app.Elem("p").ID(hintID).Class("hint").Text(c.text(lang.KeyCheckTokenHint)),
		),
		submitButton(IDCheckSubmit, c.text(lang.KeyCheckSubmit), c.text(lang.KeyChecking), busy),
		renderCheckResult(c.Lang, IDCheckResult, c.s.run, c.formPath()),
	)
}

// renderCheckResult is a check's answer in a live region: the sentence,
// and a link to the form (formPath) when a new token is the way out; with
// formPath "" there is no link (the reveal is the form's own answer).
func renderCheckResult(l lang.Lang, id string, run checkRun, formPath string) app.UI {
	class := "check-result"
	switch {
	case run.outcome.Good():
		class += " is-ok"
	case run.outcome != CheckNone:
		class += " is-error"
	}
	var body []app.UI
	switch {
	case run.busy:
		body = append(body, app.Elem("p").Text(l.Text(lang.KeyCheckingStatus)))
	case run.outcome != CheckNone:
		body = append(body, app.Elem("p").Text(l.Text(run.outcome.Key())))
		if run.outcome.SuggestsNewToken() && formPath != "" {
			body = append(body, app.Elem("p").Body(app.Elem("a").Attr("href", formPath).Text(l.Text(lang.KeyCreateNew))))
		}
	}
	return app.Elem("div").ID(id).Class(class).Attr("role", "status").Body(body...)
}

// checkFieldClass is the check field's class: masked while the token is
// hidden (web/desk.css), which Chromium, Safari and Firefox 114 and later
// draw as discs.
func checkFieldClass(shown bool) string {
	if shown {
		return tokendesk.CheckFieldClass
	}
	return tokendesk.CheckFieldMasked
}
