package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// The one-time reveal's markup: the token, and what to do with it now.

func (d *Desk) renderResult() app.UI {
	return app.Elem("div").
		ID(IDResult).
		Class("result").
		Attr("role", "region").
		Aria("labelledby", IDResultTitle).
		Body(
			app.Elem("h1").ID(IDResultTitle).Class("title").TabIndex(-1).Text(d.text(lang.KeyResultTitle)),
			app.Elem("p").ID("token-warning").Class("callout").Body(
				app.Elem("strong").Text(d.text(lang.KeyCannotRetrieve)),
				app.Text(" "+d.text(lang.KeyStoreNow)),
			),
			app.Elem("label").Attr("for", IDToken).Class("label").Text(d.text(lang.KeyTokenLabel)),
			d.renderToken(),
			d.renderActions(),
			app.Elem("p").ID(IDCopyStatus).Class(d.copyStatusClass()).Attr("role", "status").Body(textIf(d.s.copyStatus)),
			d.renderClipClear(),
			d.renderKeep(),
			d.renderCheckNow(),
			d.renderUseNow(),
			// In a tab of its own: leaving the reveal would lose the token.
			app.Elem("p").Class("alt-link").Body(
				app.Elem("a").
					ID(IDCheckLink).
					Attr("href", d.checkLinkPath()).
					Attr("target", "_blank").
					Attr("rel", "noopener").
					Text(d.text(lang.KeyCheckAnother)),
			),
		)
}

// renderToken is the token, read-only, and its show/hide toggle.
func (d *Desk) renderToken() app.UI {
	return app.Elem("div").Class("token-row").Body(
		app.ElemSelfClosing("input").
			ID(IDToken).
			Attr("type", tokenInputType(!d.s.hidden)).
			Class("input mono token").
			Attr("readonly", true).
			Attr("value", d.s.token).
			Attr("autocomplete", "off").
			Attr("autocapitalize", "off").
			Spellcheck(false).
			Aria("describedby", "token-warning").
			On("focus", d.onTokenFocus).
			On("copy", d.onCopiedByHand),
		visibilityToggle(d.Lang, IDToggle, IDToken, !d.s.hidden, d.onToggle),
	)
}

// renderActions is the Copy and Done buttons.
func (d *Desk) renderActions() app.UI {
	copyLabel := lang.KeyCopy
	if d.s.copied {
		copyLabel = lang.KeyCopied
	}
	return app.Elem("div").Class("actions").Body(
		app.Elem("button").
			ID(IDCopy).
			Attr("type", "button").
			Class("btn btn-primary").
			On("click", d.onCopy).
			Text(d.text(copyLabel)),
		app.Elem("button").
			ID(IDDone).
			Attr("type", "button").
			Class("btn btn-secondary").
			On("click", d.onDone).
			Text(d.text(lang.KeyDone)),
	)
}

// copyStatusClass is the class of the line that says what copying did.
func (d *Desk) copyStatusClass() string {
	switch {
	case d.s.copyFailed:
		return "copy-status is-error"
	case d.s.copied:
		return "copy-status is-ok"
	}
	return "copy-status"
}
