package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// The reveal's two ways to use the new token at once: "Check it now"
// (the token check, without showing the token) and "Use it now" (copy-ready
// snippets). Both work on the token the desk holds in memory, and Done
// wipes them with it.

// startCheckNow begins the check of the revealed token and returns the body
// to post.
func (s *state) startCheckNow() (string, bool) {
	if s.phase != Revealed || !s.checkNow.start() {
		return "", false
	}
	return tokendesk.CheckForm(s.token), true
}

// checkNowDone records the answer, unless the token is gone meanwhile.
func (s *state) checkNowDone(a CheckAnswer, f Failure) {
	if s.phase != Revealed {
		return
	}
	if f != 0 {
		s.checkNow.fail(f)
		return
	}
	if s.checkNow.finish(a) {
		// The relay refused the token's shape: it is the one it issued,
		// so this is not the person's doing.
		s.checkNow.outcome = CheckRejected
	}
}

// snippets returns the snippets as shown: with the token while it is
// shown, masked while it is hidden.
func (s *state) snippets() []Snippet {
	if s.phase != Revealed {
		return nil
	}
	if s.hidden {
		return Snippets(MaskToken(s.token))
	}
	return Snippets(s.token)
}

// snippetText is what Copy puts on the clipboard for the snippet id: always
// with the token, hidden or not.
func (s *state) snippetText(id string) (Snippet, bool) {
	if s.phase != Revealed {
		return Snippet{}, false
	}
	for _, sn := range Snippets(s.token) {
		if sn.ID == id {
			return sn, true
		}
	}
	return Snippet{}, false
}

// snippetCopyDone records the outcome of copying a snippet: "Copied" only
// after the clipboard took it. When it refused, the snippet is shown, so
// it can be selected and copied by hand.
func (s *state) snippetCopyDone(sn Snippet, ok bool) {
	if s.phase != Revealed {
		return
	}
	if ok {
		s.snippetCopied = sn.ID
		s.snippetCopyFailed = false
		s.snippetStatus = s.text(lang.KeySnippetCopied, "label", sn.LabelIn(s.lang))
		s.clipStart(sn.Text)
		return
	}
	s.snippetCopied = ""
	s.snippetCopyFailed = true
	s.hidden = false
	s.snippetStatus = s.text(lang.KeySnippetCopyFailed)
}

func (d *Desk) onCheckNow(ctx app.Context, e app.Event) {
	body, ok := d.s.startCheckNow()
	d.changed(ctx)
	if !ok {
		return
	}
	d.env.Check(body, func(a CheckAnswer, f Failure) {
		d.later(ctx, app.Update, func(ctx app.Context) {
			d.s.checkNowDone(a, f)
			d.changed(ctx)
		})
	})
}

func (d *Desk) onCopySnippet(id string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		sn, ok := d.s.snippetText(id)
		if !ok {
			return
		}
		d.env.Copy(sn.Text, func(ok bool) {
			d.later(ctx, app.Update, func(ctx app.Context) {
				d.s.snippetCopyDone(sn, ok)
				d.watchClip(ctx)
				d.changed(ctx)
				if !ok {
					d.later(ctx, app.Defer, func(app.Context) { selectContents(IDSnippet(sn.ID)) })
				}
			})
		})
	}
}

// renderCheckNow is the reveal's check: a button and its answer.
func (d *Desk) renderCheckNow() app.UI {
	label := d.text(lang.KeyCheckNow)
	button := app.Elem("button").
		ID(IDCheckNow).
		Attr("type", "button").
		Class("btn btn-secondary").
		On("click", d.onCheckNow)
	if d.s.checkNow.busy {
		button = button.Class("is-busy").Aria("disabled", "true")
		label = d.text(lang.KeyChecking)
	}
	run := d.s.checkNow
	return app.Elem("div").Class("check-now").Body(
		button.Body(
			app.Elem("span").Class("spinner").Aria("hidden", "true"),
			app.Elem("span").Class("btn-label").Text(label),
		),
		renderCheckResult(d.Lang, IDCheckNowResult, run, ""),
	)
}

// checkLinkPath is the check page in the desk's layout and language.
func (d *Desk) checkLinkPath() string {
	if d.Compact {
		return embedLink(d.Lang.PagePath(tokendesk.EmbedCheckPage))
	}
	return d.Lang.PagePath(tokendesk.CheckPage)
}

// renderUseNow is "Use it now": each snippet with its own Copy button, and
// the API docs.
func (d *Desk) renderUseNow() app.UI {
	snippets := d.s.snippets()
	items := make([]app.UI, 0, len(snippets))
	for _, sn := range snippets {
		label := sn.LabelIn(d.Lang)
		copyLabel := d.text(lang.KeySnippetCopy)
		if d.s.snippetCopied == sn.ID {
			copyLabel = d.text(lang.KeyCopied)
		}
		items = append(items, app.Elem("div").Class("snippet").Body(
			app.Elem("div").Class("snippet-head").Body(
				app.Elem("h3").ID(IDSnippet(sn.ID)+"-label").Class("snippet-label").Text(label),
				app.Elem("button").
					ID(IDSnippetCopy(sn.ID)).
					Attr("type", "button").
					Class("btn btn-secondary btn-small").
					Aria("label", d.text(lang.KeySnippetCopyName, "label", label)).
					On("click", d.onCopySnippet(sn.ID)).
					Text(copyLabel),
			),
			app.Elem("pre").
				Class("snippet-text").
				Aria("labelledby", IDSnippet(sn.ID)+"-label").
				TabIndex(0).
				Body(app.Elem("code").ID(IDSnippet(sn.ID)).Text(sn.Text)),
		))
	}
	statusClass := "copy-status"
	if d.s.snippetCopyFailed {
		statusClass += " is-error"
	} else if d.s.snippetCopied != "" {
		statusClass += " is-ok"
	}
	body := []app.UI{
		app.Elem("p").Class("hint").Text(d.text(lang.KeyUseNowLead)),
		app.Elem("div").Class("snippets").Body(items...),
		app.Elem("p").ID(IDSnippetStatus).Class(statusClass).Attr("role", "status").Body(textIf(d.s.snippetStatus)),
		app.Elem("p").Body(
			app.Elem("a").Attr("href", tokendesk.DocsURL).Attr("target", "_blank").Attr("rel", "noopener").Text(d.text(lang.KeyUseNowDocs)),
		),
	}
	if d.Compact {
		// In a frame on someone's docs page, the snippets open on demand
		// (they would make the frame three times as tall).
		return app.Elem("details").ID(IDUseNow).Class("use-now").Body(
			append([]app.UI{app.Elem("summary").ID(IDUseNow + "-title").Class("subtitle").Text(d.text(lang.KeyUseNowTitle))}, body...)...,
		)
	}
	return app.Elem("section").ID(IDUseNow).Class("use-now").Aria("labelledby", IDUseNow+"-title").Body(
		append([]app.UI{app.Elem("h2").ID(IDUseNow + "-title").Class("subtitle").Text(d.text(lang.KeyUseNowTitle))}, body...)...,
	)
}
