package relay

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tokendesk"
)

// The server-rendered pages answer a plain form post (JavaScript off, or
// before app.wasm has loaded). They need no script and no inline style.

func pageHead(b *strings.Builder, title, stylesheet string) {
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">` +
		`<title>`)
	b.WriteString(html.EscapeString(title))
	b.WriteString(` · MetaHuman SDK token desk</title><link rel="stylesheet" href="`)
	b.WriteString(html.EscapeString(stylesheet))
	b.WriteString(`"></head><body><div class="page"><main id="main" class="main"><div class="desk">`)
}

func pageFoot(b *strings.Builder) {
	b.WriteString(`</div></main></div></body></html>`)
}

// pageToken shows the token once, selectable, with the warning.
func pageToken(token, stylesheet string) []byte {
	var b strings.Builder
	pageHead(&b, "Your token", stylesheet)
	b.WriteString(`<section id="token-result" aria-labelledby="token-heading">` +
		`<h1 id="token-heading" class="title">Your API token</h1>` +
		`<p class="callout" role="alert"><strong>This token cannot be retrieved again.</strong> Store it now in a safe place, such as a password manager.</p>` +
		`<div class="field"><label class="label" for="token">Token</label>` +
		`<input id="token" class="input mono" type="text" readonly autofocus spellcheck="false" autocomplete="off" value="`)
	b.WriteString(html.EscapeString(token))
	b.WriteString(`"></div>` +
		`<p class="hint">Select the token and copy it with Ctrl+C (⌘C on a Mac).</p>` +
		`<p><a class="btn btn-secondary" href="/">Done</a></p></section>`)
	pageFoot(&b)
	return []byte(b.String())
}

// pageError explains the error and gives the form back with its values kept.
func pageError(e *tokendesk.Error, values url.Values, stylesheet string) []byte {
	var b strings.Builder
	pageHead(&b, "Your token was not created", stylesheet)
	b.WriteString(`<h1 class="title">Your token was not created</h1><p id="form-error" class="form-error" role="alert">`)
	b.WriteString(html.EscapeString(e.Message))
	b.WriteString(`</p>`)
	if e.Status == http.StatusNotFound || e.Status == http.StatusMethodNotAllowed {
		b.WriteString(`<p><a class="btn btn-secondary" href="/">Go to the token form</a></p>`)
		pageFoot(&b)
		return []byte(b.String())
	}
	b.WriteString(`<form id="token-form" class="form" method="post" action="` + TokenPath + `">`)
	field := func(name, label, typ, autocomplete string, max int, required bool) {
		id := html.EscapeString(name)
		b.WriteString(`<div class="field"><label class="label" for="` + id + `">` + label + `</label>`)
		class := "input"
		if typ == "textarea" {
			class = "input textarea"
		}
		attrs := ` id="` + id + `" name="` + id + `" class="` + class + `" maxlength="` + strconv.Itoa(max) + `"`
		if required {
			attrs += ` required`
		}
		if autocomplete != "" {
			attrs += ` autocomplete="` + autocomplete + `"`
		}
		if e.Field == name {
			attrs += ` aria-invalid="true" aria-describedby="form-error" autofocus`
		}
		if typ == "textarea" {
			b.WriteString(`<textarea` + attrs + ` rows="3">` + html.EscapeString(values.Get(name)) + `</textarea></div>`)
			return
		}
		b.WriteString(`<input type="` + typ + `"` + attrs + ` value="` + html.EscapeString(values.Get(name)) + `"></div>`)
	}
	field(tokendesk.FieldName, "Name", "text", "name", tokendesk.MaxNameChars, true)
	field(tokendesk.FieldMail, "Email", "email", "email", tokendesk.MaxMailBytes, true)
	field(tokendesk.FieldComment, "Comment (optional)", "textarea", "", tokendesk.MaxCommentChars, false)
	b.WriteString(`<button id="submit" class="btn btn-primary btn-block" type="submit">Try again</button></form>`)
	pageFoot(&b)
	return []byte(b.String())
}
