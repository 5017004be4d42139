package relay

import (
	"html"
	"strconv"
	"strings"

	"tokendesk"
)

// The server-rendered pages answer a plain form post (JavaScript off, or
// before app.wasm has loaded). They need no script and no inline style.

// stylesheet is the app's stylesheet, which these pages share.
const stylesheet = "/web/desk.css"

func pageHead(b *strings.Builder, title string) {
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">` +
		`<title>`)
	b.WriteString(html.EscapeString(title))
	b.WriteString(` · MetaHuman SDK token desk</title><link rel="stylesheet" href="` + stylesheet +
		`"></head><body><div class="page"><main id="main" class="main"><div class="desk">`)
}

func pageFoot(b *strings.Builder) {
	b.WriteString(`</div></main></div></body></html>`)
}

// pageToken shows the token once, selectable, with the warning.
func pageToken(_ *exchange, token string) []byte {
	var b strings.Builder
	pageHead(&b, "Your token")
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

// pageChecked says that a checked token is registered and the API is up.
func pageChecked(_ *exchange) []byte {
	var b strings.Builder
	pageHead(&b, "Your token works")
	b.WriteString(`<section id="check-result" aria-labelledby="check-heading">` +
		`<h1 id="check-heading" class="title">Your token works</h1>` +
		`<p class="callout" role="status">The token is registered, and the MetaHuman SDK API is up.</p>` +
		`<p><a class="btn btn-secondary" href="/check">Check another token</a></p></section>`)
	pageFoot(&b)
	return []byte(b.String())
}

// pageError explains the error and gives the form back with its values kept.
func pageError(x *exchange, e *tokendesk.Error) []byte {
	check := x.url.Path == tokendesk.CheckPath
	title := "Your token was not created"
	if check {
		title = "Your token could not be checked"
		if e.Code == tokendesk.CodeUpstreamRejected {
			title = "Your token does not work"
		}
	}
	var b strings.Builder
	pageHead(&b, title)
	b.WriteString(`<h1 class="title">` + title + `</h1><p id="form-error" class="form-error" role="alert">`)
	b.WriteString(html.EscapeString(e.Message))
	b.WriteString(`</p>`)
	if x.url.Path != tokendesk.TokenPath && !check || e.Status == 405 {
		b.WriteString(`<p><a class="btn btn-secondary" href="/">Go to the token form</a></p>`)
		pageFoot(&b)
		return []byte(b.String())
	}
	f := formWriter{b: &b, values: x.values, invalid: e.Field}
	if check {
		b.WriteString(`<form id="check-form" class="form" method="post" action="` + tokendesk.CheckPath + `">`)
		f.field(tokendesk.FieldToken, "Token", "password", "off", 64, true)
		b.WriteString(`<button id="check-submit" class="btn btn-primary btn-block" type="submit">Check again</button></form>` +
			`<p><a href="/">Create a new token</a></p>`)
		pageFoot(&b)
		return []byte(b.String())
	}
	b.WriteString(`<form id="token-form" class="form" method="post" action="` + tokendesk.TokenPath + `">`)
	f.field(tokendesk.FieldName, "Name", "text", "name", tokendesk.MaxNameChars, true)
	f.field(tokendesk.FieldMail, "Email", "email", "email", tokendesk.MaxMailBytes, true)
	f.field(tokendesk.FieldComment, "Comment (optional)", "textarea", "", tokendesk.MaxCommentChars, false)
	b.WriteString(`<button id="submit" class="btn btn-primary btn-block" type="submit">Try again</button></form>`)
	pageFoot(&b)
	return []byte(b.String())
}

// formWriter writes form fields refilled with what the client sent.
type formWriter struct {
	b       *strings.Builder
	values  map[string][]string
	invalid string // the field at fault
}

func (f formWriter) field(name, label, typ, autocomplete string, max int, required bool) {
	value := ""
	if v := f.values[name]; len(v) > 0 {
		value = v[0]
	}
	id := html.EscapeString(name)
	f.b.WriteString(`<div class="field"><label class="label" for="` + id + `">` + label + `</label>`)
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
	if f.invalid == name {
		attrs += ` aria-invalid="true" aria-describedby="form-error" autofocus`
	}
	if typ == "textarea" {
		f.b.WriteString(`<textarea` + attrs + ` rows="3">` + html.EscapeString(value) + `</textarea></div>`)
		return
	}
	if typ == "password" {
		attrs += ` spellcheck="false"`
	}
	f.b.WriteString(`<input type="` + typ + `"` + attrs + ` value="` + html.EscapeString(value) + `"></div>`)
}
