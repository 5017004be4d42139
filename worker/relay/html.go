package relay

import (
	"html"
	"strconv"
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
)

// The server-rendered pages answer a plain form post (JavaScript off, or
// before app.wasm has loaded), in the language of the page that posted
// (tokendesk.FieldLang). They need no script and no inline style, and hold
// no words of their own: every sentence is the catalog's.

// stylesheet is the app's stylesheet, which these pages share.
const stylesheet = "/web/desk.css"

func pageHead(b *strings.Builder, l lang.Lang, title string) {
	b.WriteString(`<!DOCTYPE html><html lang="` + l.Tag() + `"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">` +
		`<title>`)
	b.WriteString(html.EscapeString(title + " · " + l.Text(lang.KeySiteName)))
	b.WriteString(`</title><link rel="stylesheet" href="` + stylesheet +
		`"></head><body><div class="page"><main id="main" class="main"><div class="desk">`)
}

func pageFoot(b *strings.Builder) {
	b.WriteString(`</div></main></div></body></html>`)
}

// text is a sentence of x's language, escaped for HTML.
func (x *exchange) text(k lang.Key) string { return html.EscapeString(x.lang.Text(k)) }

// pageToken shows the token once, selectable, with the warning.
func pageToken(x *exchange, token string) []byte {
	var b strings.Builder
	pageHead(&b, x.lang, x.lang.Text(lang.KeyResultTitle))
	b.WriteString(`<section id="token-result" aria-labelledby="token-heading">` +
		`<h1 id="token-heading" class="title">` + x.text(lang.KeyResultTitle) + `</h1>` +
		`<p class="callout" role="alert"><strong>` + x.text(lang.KeyCannotRetrieve) + `</strong> ` + x.text(lang.KeyStoreNow) + `</p>` +
		`<div class="field"><label class="label" for="token">` + x.text(lang.KeyTokenLabel) + `</label>` +
		`<input id="token" class="input mono" type="text" readonly autofocus spellcheck="false" autocomplete="off" value="`)
	b.WriteString(html.EscapeString(token))
	b.WriteString(`"></div>` +
		`<p class="hint">` + x.text(lang.KeyCopyByHand) + `</p>` +
		`<p><a class="btn btn-secondary" href="` + x.lang.Path() + `">` + x.text(lang.KeyDone) + `</a></p></section>`)
	pageFoot(&b)
	return []byte(b.String())
}

// pageChecked says that a checked token is registered and the API is up.
func pageChecked(x *exchange) []byte {
	var b strings.Builder
	pageHead(&b, x.lang, x.lang.Text(lang.KeyCheckWorksTitle))
	b.WriteString(`<section id="check-result" aria-labelledby="check-heading">` +
		`<h1 id="check-heading" class="title">` + x.text(lang.KeyCheckWorksTitle) + `</h1>` +
		`<p class="callout" role="status">` + x.text(lang.KeyCheckWorks) + `</p>` +
		`<p><a class="btn btn-secondary" href="` + x.lang.PagePath(tokendesk.CheckPage) + `">` + x.text(lang.KeyCheckAnother) + `</a></p></section>`)
	pageFoot(&b)
	return []byte(b.String())
}

// pageError explains the error and gives the form back with its values kept.
func pageError(x *exchange, e *tokendesk.Error) []byte {
	check := x.url.Path == tokendesk.CheckPath
	title := lang.KeyNotCreated
	if check {
		title = lang.KeyCheckFailedTitle
		if e.Code == tokendesk.CodeUpstreamRejected {
			title = lang.KeyCheckBadTitle
		}
	}
	var b strings.Builder
	pageHead(&b, x.lang, x.lang.Text(title))
	b.WriteString(`<h1 class="title">` + x.text(title) + `</h1><p id="form-error" class="form-error" role="alert">`)
	b.WriteString(html.EscapeString(e.Text(x.lang)))
	b.WriteString(`</p>`)
	if x.url.Path != tokendesk.TokenPath && !check || e.Status == 405 {
		b.WriteString(`<p><a class="btn btn-secondary" href="` + x.lang.Path() + `">` + x.text(lang.KeyGoToForm) + `</a></p>`)
		pageFoot(&b)
		return []byte(b.String())
	}
	f := formWriter{x: x, b: &b, invalid: e.Field}
	// The retry posts in the same language.
	langField := `<input type="hidden" name="` + tokendesk.FieldLang + `" value="` + x.lang.Tag() + `">`
	if check {
		b.WriteString(`<form id="check-form" class="form" method="post" action="` + tokendesk.CheckPath + `">` + langField)
		f.field(tokendesk.FieldToken, lang.KeyTokenLabel, "token", "off", 64, true)
		b.WriteString(`<button id="check-submit" class="btn btn-primary btn-block" type="submit">` + x.text(lang.KeyCheckAgain) + `</button></form>` +
			`<p><a href="` + x.lang.Path() + `">` + x.text(lang.KeyCreateNew) + `</a></p>`)
		pageFoot(&b)
		return []byte(b.String())
	}
	b.WriteString(`<form id="token-form" class="form" method="post" action="` + tokendesk.TokenPath + `">` + langField)
	for _, ff := range tokendesk.FormFields {
		f.field(ff.Name, ff.Label, ff.Type, ff.Autocomplete, ff.MaxLength, ff.Required)
	}
	b.WriteString(`<button id="submit" class="btn btn-primary btn-block" type="submit">` + x.text(lang.KeyTryAgain) + `</button></form>`)
	pageFoot(&b)
	return []byte(b.String())
}

// formWriter writes form fields refilled with what the client sent.
type formWriter struct {
	x       *exchange
	b       *strings.Builder
	invalid string // the field at fault
}

func (f formWriter) field(name string, label lang.Key, typ, autocomplete string, max int, required bool) {
	value := tokendesk.First(f.x.values, name)
	id := html.EscapeString(name)
	f.b.WriteString(`<div class="field"><label class="label" for="` + id + `">` + f.x.text(label))
	if !required {
		f.b.WriteString(`<span class="optional"> ` + f.x.text(lang.KeyOptional) + `</span>`)
	}
	f.b.WriteString(`</label>`)
	class, token := "input", typ == "token"
	switch {
	case typ == "textarea":
		class = "input textarea"
	case token:
		// A token someone typed: masked text, not a password field, which
		// browsers would offer to save; and never written back into the
		// page, so no copy of it stays in the document or its history.
		class = tokendesk.CheckFieldMasked
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
	if token {
		f.b.WriteString(`<input type="text"` + attrs + ` spellcheck="false" autocapitalize="off" data-1p-ignore data-lpignore="true"></div>`)
		return
	}
	f.b.WriteString(`<input type="` + typ + `"` + attrs + ` value="` + html.EscapeString(value) + `"></div>`)
}
