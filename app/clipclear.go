package app

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// A clean clipboard. After each copy of the token (alone or in a snippet)
// the reveal counts down ClipClearSeconds, as password managers do, and
// then clears the clipboard, but only if it still holds what the desk put
// there. Where the page may not read the clipboard (Firefox, Safari, or
// Chromium without the permission) it does not overwrite it blindly: it
// asks for a click. "Clear the clipboard" and Done clear it at once. A
// timed write works in Chromium while the page has focus; Firefox and
// Safari write only in answer to a click.

// ClipClearSeconds is the countdown after a copy.
const ClipClearSeconds = 90

// ClipOutcome is what an attempt to clear the clipboard came to.
type ClipOutcome int

// The outcomes of ClearClipboard.
const (
	// ClipCleared: the clipboard is empty now.
	ClipCleared ClipOutcome = iota + 1
	// ClipChanged: it holds something else, left as it is.
	ClipChanged
	// ClipAsk: the page could not read it (or not write unasked), so
	// the person is asked to clear it.
	ClipAsk
	// ClipFailed: the browser refused, even on a click.
	ClipFailed
)

// clipRuns numbers countdowns across resets, so a tick of an old one
// never drives a new one.
var clipRuns int

// clipClear is the countdown after the last copy.
type clipClear struct {
	// text is what the desk put on the clipboard; "" when there is
	// nothing to clear.
	text string
	// left is the seconds until the timed clear; 0 once it has run.
	left int
	run  int
	// ends is when the timed clear is due; ticking: ticks for run are
	// scheduled. Each tick reads the clock: a busy page's late ticks must
	// not stretch the countdown.
	ends    time.Time
	ticking bool
}

// clipStart starts the countdown for text, just put on the clipboard.
func (s *state) clipStart(text string) {
	clipRuns++
	s.clip = clipClear{text: text, left: ClipClearSeconds, run: clipRuns}
}

// clipTick sets the seconds left of run at now, and reports whether the
// countdown goes on and whether it has just ended.
func (s *state) clipTick(run int, now time.Time) (more, ended bool) {
	if s.phase != Revealed || s.clip.run != run || s.clip.left == 0 {
		return false, false
	}
	s.clip.left = max(0, int((s.clip.ends.Sub(now)+time.Second-1)/time.Second))
	return s.clip.left > 0, s.clip.left == 0
}

// clipDone records the outcome; asked: the person asked for the clear.
func (s *state) clipDone(run int, asked bool, o ClipOutcome) {
	if s.phase != Revealed || s.clip.run != run {
		return
	}
	s.copyStatus = s.text([...]lang.Key{
		ClipCleared: lang.KeyClipCleared, ClipChanged: lang.KeyClipChanged,
		ClipAsk: lang.KeyClipAsk, ClipFailed: lang.KeyClipFailed,
	}[o])
	if o == ClipCleared || o == ClipChanged {
		s.clip = clipClear{}
		if asked {
			s.focus = IDCopy // the button is gone
		}
	}
}

// watchClip schedules the countdown's next tick, once per countdown.
func (d *Desk) watchClip(ctx app.Context) {
	if d.s.clip.text == "" || d.s.clip.ticking {
		return
	}
	d.s.clip.ticking = true
	d.s.clip.ends = d.keep.Now().Add(ClipClearSeconds * time.Second)
	run := d.s.clip.run
	var tick func()
	tick = func() {
		d.later(ctx, app.Update, func(ctx app.Context) {
			more, ended := d.s.clipTick(run, d.keep.Now())
			if more {
				d.keep.Tick(tick)
			}
			if ended {
				d.clearClip(ctx, false)
			}
		})
	}
	d.keep.Tick(tick)
}

// clearClip clears the clipboard of what the desk put there.
func (d *Desk) clearClip(ctx app.Context, asked bool) {
	run, text := d.s.clip.run, d.s.clip.text
	d.keep.ClearClipboard(text, asked, func(o ClipOutcome) {
		d.later(ctx, app.Update, func(ctx app.Context) {
			d.s.clipDone(run, asked, o)
			d.changed(ctx)
		})
	})
}

func (d *Desk) onClipClear(ctx app.Context, e app.Event) {
	if d.s.clip.text != "" {
		d.clearClip(ctx, true)
	}
}

// renderClipClear is the countdown and "Clear the clipboard", and what
// the browser allows.
func (d *Desk) renderClipClear() app.UI {
	if d.s.clip.text == "" {
		return nil
	}
	var timer app.UI
	if d.s.clip.left > 0 {
		timer = el("span", "id", IDClipTimer).Text(d.text(lang.KeyClipClearIn, "n", strconv.Itoa(d.s.clip.left)) + " ")
	}
	return el("div", "id", IDClipClear, "class", "clip-clear").Body(
		el("p", "class", "hint").Body(timer, app.Text(d.text(lang.KeyClipHint))),
		smallButton(IDClipClear+"-now", d.text(lang.KeyClipClear), d.onClipClear),
	)
}

func (browserKeeper) Now() time.Time { return time.Now() }

func (browserKeeper) Tick(fn func()) {
	if !app.IsClient {
		return
	}
	var f app.Func
	f = app.FuncOf(func(app.Value, []app.Value) any {
		f.Release()
		fn()
		return nil
	})
	app.Window().Call("setTimeout", f, 1000)
}

// ClearClipboard reads the clipboard where the page has the permission
// (Chromium's clipboard-read; Firefox and Safari have none to query), and
// writes "" if it still holds text. Unread, it writes only when asked.
func (browserKeeper) ClearClipboard(text string, asked bool, done func(ClipOutcome)) {
	if !app.IsClient {
		return
	}
	nav := app.Window().Get("navigator")
	clip := nav.Get("clipboard")
	if !isObject(clip) {
		done(ClipFailed)
		return
	}
	write := func() {
		then(clip.Call("writeText", ""), func(app.Value) { done(ClipCleared) }, func(app.Value) {
			if asked {
				done(ClipFailed)
			} else {
				done(ClipAsk)
			}
		})
	}
	unread := func(app.Value) {
		if asked {
			write()
			return
		}
		done(ClipAsk)
	}
	query := newObject()
	query.Set("name", "clipboard-read")
	var permission app.Value
	jsCall(func() { permission = nav.Get("permissions").Call("query", query) })
	then(permission, func(p app.Value) {
		if str(get(p, "state")) != "granted" {
			unread(nil)
			return
		}
		then(clip.Call("readText"), func(v app.Value) {
			if str(v) != text {
				done(ClipChanged)
				return
			}
			write()
		}, unread)
	}, unread)
}
