// Package app is the token desk's user interface, built with go-app: a form
// that asks for a MetaHuman SDK API token and shows it once.
//
// The same components render the prerendered static page (no wasm needed to
// use the form) and the page once app.wasm has taken over.
package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// Stable element ids. Browser tests and the CSS rely on them.
const (
	IDForm        = "token-form"
	IDSubmit      = "submit"
	IDFormError   = "form-error"
	IDFormStatus  = "form-status"
	IDResult      = "token-result"
	IDResultTitle = "token-result-title"
	IDToken       = "token"
	IDCopy        = "copy"
	IDToggle      = "toggle"
	IDDone        = "done"
	IDCopyStatus  = "copy-status"
	IDUpdate      = "update"
	// IDLanguages is the language switcher; /web/boot.js reads its links.
	IDLanguages = "languages"
	// IDCatalog holds the page's language's catalog (see LoadCatalog).
	IDCatalog = "catalog"
	// IDTurnstile holds the Turnstile widget when it is on.
	IDTurnstile = "turnstile"

	// The check page.
	IDCheckForm   = "check-form"
	IDCheckToken  = "check-token"
	IDCheckToggle = "check-toggle"
	IDCheckSubmit = "check-submit"
	IDCheckResult = "check-result"
	IDCheckLink   = "check-link" // from the token form and the reveal

	// The reveal's check and "Use it now".
	IDCheckNow       = "check-now"
	IDCheckNowResult = "check-now-result"
	IDUseNow         = "use-now"
	IDSnippetStatus  = "snippet-status"
)

// IDSnippet is the id of a snippet's text, IDSnippetCopy its Copy button.
func IDSnippet(id string) string     { return "snippet-" + id }
func IDSnippetCopy(id string) string { return "copy-snippet-" + id }

// Routes registers the pages, "/", /embed, the check and the embedded
// check in every language ("/de/", "/de/embed", "/de/check",
// "/de/embed/check"). Both the wasm main and the static site generator call it,
// so the prerendered HTML and the client agree.
func Routes() {
	for _, l := range lang.All {
		app.RouteFunc(l.PagePath("/"), func() app.Composer { return NewPage(l) })
		app.RouteFunc(l.PagePath(tokendesk.EmbedPath), func() app.Composer { return NewEmbed(l) })
		app.RouteFunc(l.PagePath(tokendesk.CheckPage), func() app.Composer { return NewCheckPage(l) })
		app.RouteFunc(l.PagePath(tokendesk.EmbedCheckPage), func() app.Composer { return NewEmbedCheck(l) })
	}
}
