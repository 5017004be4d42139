package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// "Keep it safe": the reveal's ways to keep the token once it is shown:
// the password manager (savetoken.go), a QR code for another device
// (qrcode.go), Web Share, a .env file (envfile.go), a clean clipboard
// (clipclear.go), and the secret-scanning rules for a token that leaks
// anyway. Everything happens in the browser: nothing is stored or sent.

// The ids of "Keep it safe". Browser tests and the CSS rely on them.
const (
	IDKeep         = "keep"
	IDKeepStatus   = "keep-status"
	IDSave         = "save"
	IDSaveForm     = "save-form"
	IDSaveMail     = "save-mail"
	IDSavePass     = "save-token"
	IDOpenFull     = "open-full"
	IDQRToggle     = "qr-toggle"
	IDQR           = "qr"
	IDShare        = "share"
	IDDownloadEnv  = "download-env"
	IDClipClear    = "clip-clear"
	IDClipTimer    = "clip-timer"
	IDLeakGitleaks = "leak-gitleaks"
	IDLeakGitHub   = "leak-github"
)

// Keeper is what "Keep it safe" needs from the browser. Natively every
// call is a no-op that never calls done.
type Keeper interface {
	// Framed reports whether the page runs in another page's frame.
	Framed() bool
	// CanStore reports whether the browser has PasswordCredential
	// (Chromium).
	CanStore() bool
	// Store offers a PasswordCredential to the password manager; done
	// says whether the browser took it.
	Store(id, password, name string, done func(ok bool))
	// CanShare reports whether the browser has Web Share.
	CanShare() bool
	// Share hands text to the system's share sheet.
	Share(text string)
	// Download saves text as a file called name.
	Download(name, text string)
	// ClearClipboard empties the clipboard if it still holds text (see
	// clipclear.go); asked says the person asked for it just now.
	ClearClipboard(text string, asked bool, done func(ClipOutcome))
	// Tick calls fn once, a second from now, on any goroutine; Now is
	// the time.
	Tick(fn func())
	Now() time.Time
}

// browserKeeper is the Keeper of a real browser, through go-app's JS
// bridge.
type browserKeeper struct{}

// keepState is what "Keep it safe" shows. Done and a new reveal wipe it.
type keepState struct {
	// qr: the QR code is shown.
	qr bool
	// status says what the last action did; failed marks it as a problem.
	status string
	failed bool
}

// setStatus says what an action did.
func (s *state) setKeepStatus(key lang.Key, failed bool, args ...string) {
	s.keep.status, s.keep.failed = s.text(key, args...), failed
}

// toggleQR shows or hides the QR code. Showing it shows the token too:
// it is the token, for anyone who can see the screen.
func (s *state) toggleQR() {
	if s.phase != Revealed {
		return
	}
	s.keep.qr = !s.keep.qr
	if s.keep.qr {
		s.hidden = false
	}
}

func (d *Desk) onToggleQR(ctx app.Context, e app.Event) {
	d.s.toggleQR()
	d.changed(ctx)
}

func (d *Desk) onShare(ctx app.Context, e app.Event) {
	if d.s.phase == Revealed {
		d.keep.Share(d.s.token)
	}
}

// el is an element with attributes given as name, value pairs, leaving
// out those whose value is "". One call instead of a chain of them keeps
// app.wasm small: each call site in Go's wasm costs hundreds of bytes.
func el(tag string, attrs ...string) app.HTMLElem {
	e := app.Elem(tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			e.Attr(attrs[i], attrs[i+1])
		}
	}
	return e
}

// smallButton is a secondary button with a click handler.
func smallButton(id, label string, onClick app.EventHandler, attrs ...string) app.UI {
	return el("button", append(attrs, "id", id, "type", "button", "class", "btn btn-secondary btn-small")...).On("click", onClick).Text(label)
}

// renderKeep is "Keep it safe".
func (d *Desk) renderKeep() app.UI {
	framed := d.keep.Framed()
	qrLabel, expanded := lang.KeyShowQR, "false"
	if d.s.keep.qr {
		qrLabel, expanded = lang.KeyHideQR, "true"
	}
	statusClass := "copy-status"
	if d.s.keep.failed {
		statusClass += " is-error"
	}
	var share app.UI
	if d.keep.CanShare() && !framed {
		share = smallButton(IDShare, d.text(lang.KeyShare), d.onShare)
	}
	return el("section", "id", IDKeep, "class", "keep", "aria-labelledby", IDKeep+"-title").Body(
		el("h2", "id", IDKeep+"-title", "class", "subtitle").Text(d.text(lang.KeyKeepTitle)),
		d.renderSave(framed),
		el("div", "class", "keep-actions").Body(
			smallButton(IDQRToggle, d.text(qrLabel), d.onToggleQR, "aria-expanded", expanded),
			share,
			smallButton(IDDownloadEnv, d.text(lang.KeyDownloadEnv), d.onDownloadEnv),
		),
		d.renderQR(),
		el("p", "id", IDKeepStatus, "class", statusClass, "role", "status").Body(textIf(d.s.keep.status)),
		el("p", "class", "hint").Body(
			app.Text(d.text(lang.KeyLeakLead)+" "),
			newTabLink(IDLeakGitleaks, GitleaksRulePath, d.text(lang.KeyLeakGitleaks)),
			app.Text(" "),
			newTabLink(IDLeakGitHub, GitHubPatternPath, d.text(lang.KeyLeakGitHub)),
		),
	)
}

// renderQR draws the token's QR code, dark on light in either theme,
// while it is asked for.
func (d *Desk) renderQR() app.UI {
	if !d.s.keep.qr {
		return nil
	}
	m, ok := QRCode(d.s.token)
	if !ok {
		return nil
	}
	const svg = "http://www.w3.org/2000/svg"
	return el("figure", "class", "qr-box").Body(
		el("svg", "id", IDQR, "class", "qr", "viewBox", qrViewBox, "role", "img", "aria-label", d.text(lang.KeyQRName)).XMLNS(svg).
			Body(el("path", "d", m.svgPath()).XMLNS(svg)),
		el("figcaption", "class", "hint").Text(d.text(lang.KeyQRHint)),
	)
}

// The secret-scanning rules, served with the site (web/) for the people
// who keep the token in a repository.
const (
	GitleaksRulePath  = "/web/metahumansdk-gitleaks.toml"
	GitHubPatternPath = "/web/metahumansdk-github-pattern.txt"
)

// newTabLink opens href in a tab of its own: leaving the reveal would
// lose the token.
func newTabLink(id, href, label string) app.UI {
	return el("a", "id", id, "href", href, "target", "_blank", "rel", "noopener").Text(label)
}

func (browserKeeper) Framed() bool {
	win := app.Window()
	return app.IsClient && !win.Get("top").Equal(win.Get("self"))
}

func (browserKeeper) CanShare() bool {
	return app.IsClient && get(app.Window().Get("navigator"), "share").Type() == app.TypeFunction
}

func (browserKeeper) Share(text string) {
	data := newObject()
	data.Set("text", text)
	// The outcome (shared, or the sheet closed) changes nothing here.
	jsCall(func() {
		then(app.Window().Get("navigator").Call("share", data), func(app.Value) {}, func(app.Value) {})
	})
}
