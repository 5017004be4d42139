package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// The one-time reveal's markup: the token, and what to do with it now.

func (d *Desk) renderResult() app.UI {
	copyLabel := tokendesk.KeyCopy
	if d.s.copied {
		copyLabel = tokendesk.KeyCopied
	}
	statusClass := "copy-status"
	if d.s.copyFailed {
		statusClass += " is-error"
	} else if d.s.copied {
		statusClass += " is-ok"
	}

	return app.Elem("div").
		ID(IDResult).
		Class("result").
		Attr("role", "region").
		Aria("labelledby", IDResultTitle).
		Body(
			app.Elem("h1").ID(IDResultTitle).Class("title").TabIndex(-1).Text(d.text(tokendesk.KeyResultTitle)),
			app.Elem("p").ID("token-warning").Class("callout").Body(
				app.Elem("strong").Text(d.text(tokendesk.KeyCannotRetrieve)),
				app.Text(" "+d.text(tokendesk.KeyStoreNow)),
			),
			app.Elem("label").Attr("for", IDToken).Class("label").Text(d.text(tokendesk.KeyTokenLabel)),
			app.Elem("div").Class("token-row").Body(
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
			),
			app.Elem("div").Class("actions").Body(
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
					Text(d.text(tokendesk.KeyDone)),
			),
			app.Elem("p").ID(IDCopyStatus).Class(statusClass).Attr("role", "status").Body(textIf(d.s.copyStatus)),
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
					Text(d.text(tokendesk.KeyCheckAnother)),
			),
		)
}
