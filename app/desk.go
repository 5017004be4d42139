package app

import (
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// Desk is the token form and, after a successful request, the one-time token
// reveal. It has no page chrome, so a compact embed can reuse it.
//
// The same Desk renders the prerendered HTML, which is a plain
// <form method="post" action="/auth/token"> that works without wasm, and the
// client, which takes over submit once wasm runs.
type Desk struct {
	app.Compo

	// Compact drops the introduction, for an embedded layout.
	Compact bool
	// Lang is the language of every sentence the desk shows.
	Lang lang.Lang

	env  Env
	keep Keeper
	s    state
	// initial holds the values rendered as value attributes. They change only
	// when the form is (re)created, never while typing: go-app trims
	// attribute values, so binding the live value would eat spaces.
	initial map[string]string
	// ready is set once wasm has taken over the form.
	ready bool
	// leave mirrors s.guardsLeave for the synchronous beforeunload handler.
	leave         atomic.Bool
	stopLeaveHook func()
	// caret restores the cursor in the field focused before takeover.
	caret [2]int
}

// NewDesk returns a desk in lang that talks to the relay through the
// browser.
func NewDesk(lang lang.Lang) *Desk {
	return &Desk{Lang: lang, s: newState(lang), initial: map[string]string{}}
}

// Compacted returns the desk in its compact layout.
func (d *Desk) Compacted() *Desk {
	d.Compact = true
	return d
}

// OnInit runs before the client's first render replaces the prerendered
// markup: it carries over anything the person typed (or the browser
// restored) before wasm was ready, and where their cursor was.
func (d *Desk) OnInit() {
	if d.env == nil {
		d.env = newBrowserEnv()
	}
	if d.keep == nil {
		d.keep = browserKeeper{}
	}
	if d.s.values == nil {
		d.s = newState(d.Lang)
	}
	if d.initial == nil {
		d.initial = map[string]string{}
	}
	if !app.IsClient {
		return
	}
	for _, field := range tokendesk.Fields {
		if v := typedBefore(field); v != "" {
			d.initial[field] = v
			d.s.values[field] = v
		}
	}
	active := app.Window().Get("document").Get("activeElement")
	if isObject(active) && isField(str(active.Get("id"))) {
		d.s.focus = active.Get("id").String()
		d.caret = [2]int{-1, -1}
		if start, end := active.Get("selectionStart"), active.Get("selectionEnd"); start.Type() == app.TypeNumber && end.Type() == app.TypeNumber {
			d.caret = [2]int{start.Int(), end.Int()}
		}
	}
}

// OnMount marks the form as taken over and installs the leave guard.
func (d *Desk) OnMount(ctx app.Context) {
	d.ready = true
	if app.IsClient {
		d.stopLeaveHook = d.hookBeforeUnload()
	}
	d.env.Challenge().Mount(IDTurnstile)
	// go-app trims attribute values: put back what was typed before the
	// takeover exactly, trailing space included, in the same task as the
	// swap.
	for field, v := range d.initial {
		if el := elementByID(field); el != nil && el.Get("value").String() != v {
			el.Set("value", v)
		}
	}
	// The new markup is already on the page: restore focus now, in the same
	// task as the swap, so no keystroke lands on the body in between.
	if id := d.s.takeFocus(); id != "" {
		focusByID(id)
		if el := elementByID(id); el != nil && d.caret[0] >= 0 && el.Get("type").String() != "email" {
			el.Call("setSelectionRange", d.caret[0], d.caret[1])
		}
	}
}

// OnDismount removes the leave guard.
func (d *Desk) OnDismount() {
	if d.stopLeaveHook != nil {
		d.stopLeaveHook()
		d.stopLeaveHook = nil
	}
}

// hookBeforeUnload asks before the page goes away while an uncopied token
// is shown. It is a raw listener so preventDefault runs synchronously.
func (d *Desk) hookBeforeUnload() func() {
	win := app.Window()
	fn := app.FuncOf(func(_ app.Value, args []app.Value) any {
		if !d.leave.Load() || len(args) == 0 {
			return nil
		}
		args[0].Call("preventDefault")
		args[0].Set("returnValue", "")
		return ""
	})
	win.Call("addEventListener", "beforeunload", fn)
	return func() {
		win.Call("removeEventListener", "beforeunload", fn)
		fn.Release()
	}
}

// changed runs after every state change: it updates the leave guard and
// moves focus once the new markup is on the page.
func (d *Desk) changed(ctx app.Context) {
	d.leave.Store(d.s.guardsLeave())
	id := d.s.takeFocus()
	if id == "" {
		return
	}
	// Deferred on the desk itself: the element that raised the event may be
	// gone after this render (Done removes its own button).
	d.later(ctx, app.Defer, func(app.Context) {
		if id == IDToken {
			selectByID(id)
			return
		}
		focusByID(id)
	})
}

// later runs fn on the UI goroutine with the desk as its source, so it runs
// even when the element behind ctx has been removed meanwhile. Update also
// re-renders the desk; Defer runs after the next render.
func (d *Desk) later(ctx app.Context, mode app.DispatchMode, fn func(app.Context)) {
	ctx.Dispatcher().Dispatch(app.Dispatch{Mode: mode, Source: d, Function: fn})
}

// Event handlers: each reads what it needs from the DOM and hands plain
// values to the state.

func (d *Desk) onInput(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		d.s.setValue(field, ctx.JSSrc().Get("value").String())
	}
}

func (d *Desk) onBlur(field string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		d.s.values[field] = ctx.JSSrc().Get("value").String()
		d.s.blur(field)
	}
}

func (d *Desk) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	// Autofill does not always fire input events: read the fields again.
	for _, field := range tokendesk.Fields {
		if el := elementByID(field); el != nil {
			d.s.values[field] = el.Get("value").String()
		}
	}
	d.submit(ctx)
}

// submit sends the form when it is valid.
func (d *Desk) submit(ctx app.Context) {
	ch := d.env.Challenge()
	body, ok := d.s.submitWith(challenge{on: ch.On(), answer: ch.Answer()})
	d.changed(ctx)
	if !ok {
		return
	}
	d.env.Send(body, func(a Answer, f Failure) {
		// A Turnstile answer is single use, whatever the outcome.
		ch.Reset()
		d.later(ctx, app.Update, func(ctx app.Context) {
			if f != 0 {
				d.s.fail(f)
			} else {
				d.s.receive(a)
			}
			d.changed(ctx)
		})
	})
}

func (d *Desk) onCopy(ctx app.Context, e app.Event) {
	d.env.Copy(d.s.token, func(ok bool) {
		d.later(ctx, app.Update, func(ctx app.Context) {
			d.s.copyDone(ok)
			d.watchClip(ctx)
			d.changed(ctx)
		})
	})
}

func (d *Desk) onCopiedByHand(ctx app.Context, e app.Event) {
	d.s.copiedByHand()
	d.watchClip(ctx)
	d.changed(ctx)
}

func (d *Desk) onToggle(ctx app.Context, e app.Event) {
	d.s.toggle()
	d.changed(ctx)
}

func (d *Desk) onTokenFocus(ctx app.Context, e app.Event) {
	ctx.JSSrc().Call("select")
}

func (d *Desk) onDone(ctx app.Context, e app.Event) {
	if d.s.clip.text != "" {
		// Done is a click: every browser lets the page write now.
		d.keep.ClearClipboard(d.s.clip.text, true, func(ClipOutcome) {})
	}
	d.s.done()
	d.initial = map[string]string{}
	d.changed(ctx)
	// The form is drawn anew, with an empty widget container.
	d.later(ctx, app.Defer, func(app.Context) { d.env.Challenge().Mount(IDTurnstile) })
}

// Render draws the form or, once a token arrived, the reveal.
func (d *Desk) Render() app.UI {
	class := "desk"
	if d.Compact {
		class += " desk-compact"
	}
	if d.s.phase == Revealed {
		return app.Elem("section").Class(class).Body(d.renderResult())
	}
	return app.Elem("section").Class(class).Aria("labelledby", "desk-title").Body(
		app.Elem("h1").ID("desk-title").Class("title").Text(d.text(lang.KeyFormTitle)),
		app.If(!d.Compact,
			app.Elem("p").Class("lead").Text(d.text(lang.KeyFormLead)),
		),
		d.renderForm(),
	)
}

// text returns the sentence for key in the desk's language.
func (d *Desk) text(key lang.Key, args ...string) string {
	return d.Lang.Text(key, args...)
}
