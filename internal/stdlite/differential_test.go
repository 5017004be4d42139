package stdlite

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// These fuzz tests hold each stand-in to the standard package it replaces.

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"name=Ann+Lee&mail=a%40b.io", "a=1&a=2&&b", "x=%zz", "a;b=1", "%41=%42", "=", "a=%", "a=b=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseQuery(s)
		want, err := url.ParseQuery(s)
		if ok != (err == nil) {
			t.Fatalf("ParseQuery(%q) ok=%v, url.ParseQuery err=%v", s, ok, err)
		}
		if ok && !reflect.DeepEqual(got, map[string][]string(want)) {
			t.Fatalf("ParseQuery(%q) = %v, url.ParseQuery = %v", s, got, want)
		}
	})
}

func FuzzQueryEscape(f *testing.F) {
	f.Add("Ann Lee <a@b.io>&ü")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := QueryEscape(s), url.QueryEscape(s); got != want {
			t.Fatalf("QueryEscape(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzParseMediaType holds ParseMediaType to mime.ParseMediaType both
// ways: each accepts what the other does, with the same type and
// parameters. What mime takes beyond RFC 9110 is left out: RFC 2231's
// extended parameters (name*, name*0), which it decodes and no form's
// Content-Type uses; a type with no subtype ("text"), a
// Content-Disposition's shape; { and } in a token, which RFC 2045 allows
// and RFC 9110 does not; and white space other than SP and HTAB, which it
// trims (any Unicode space) and a header value cannot hold.
func FuzzParseMediaType(f *testing.F) {
	for _, s := range []string{ContentTypeURLEncoded, "multipart/form-data; boundary=XYZ", `multipart/form-data; boundary="a b\"c"`, "Text/HTML ; Charset=UTF-8", "a/b;c", "a/b; c=d; c=e", "/", "a/b; x=\"", "a/b;;x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, params, ok := ParseMediaType(s)
		wantType, wantParams, err := mime.ParseMediaType(s)
		base, _, _ := strings.Cut(s, ";")
		if strings.ContainsAny(s, "*{}") || !strings.Contains(base, "/") || strings.ContainsFunc(s, otherSpace) {
			return
		}
		if ok != (err == nil) {
			t.Fatalf("ParseMediaType(%q) ok=%v; mime: %v", s, ok, err)
		}
		if ok && (typ != wantType || !maps.Equal(params, wantParams)) {
			t.Fatalf("ParseMediaType(%q) = %q %v, mime: %q %v", s, typ, params, wantType, wantParams)
		}
	})
}

// token is an RFC 9110 token.
var token = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// otherSpace is white space other than SP and HTAB.
func otherSpace(r rune) bool { return unicode.IsSpace(r) && r != ' ' && r != '\t' }

// FuzzParseMultipart holds ParseMultipart to mime/multipart both ways:
// each reads what the other does, to the same fields.
//
// ParseMultipart takes CRLF or LF anywhere; mime/multipart takes the
// newline of the first delimiter line for the whole body, and before it
// knows one it sees no close delimiter in "--b--\n". So bodies that mix
// the two are left out, LF-only bodies are compared where ParseMultipart
// found a field, and the other way (what mime/multipart reads, this reads
// too) is held for CRLF bodies, as real clients send them, and for what
// ParseMultipart does not refuse on purpose: files, more than
// maxMultipartParts parts, boundaries RFC 2046 does not allow (empty, over
// 70 bytes), bodies without a close delimiter, which mime/multipart reads
// as a form that ends early, and malformed headers that mime/multipart
// passes over: a name that is no RFC 9110 token ("A B:"), a
// Content-Disposition it cannot parse (it drops the part) or can only as
// FuzzParseMediaType leaves out.
func FuzzParseMultipart(f *testing.F) {
	f.Add("XYZ", []byte("--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n--XYZ\r\nContent-Disposition: form-data; name=\"mail\"\r\n\r\na@b.io\r\n--XYZ--\r\n"))
	f.Add("b", []byte("preamble\r\n--b\nContent-Disposition: form-data; name=x\n\n1\n--b--"))
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nx\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		crlf := bytes.Count(body, []byte("\r\n"))
		bareLF := bytes.Count(body, []byte("\n")) - crlf
		if crlf != 0 && bareLF != 0 {
			return
		}
		got, err := ParseMultipart(boundary, body)
		want, parts, files, clean, werr := readMultipart(boundary, body)
		switch {
		case bareLF != 0 && len(got) == 0:
		case err == nil && werr != nil:
			t.Fatalf("ParseMultipart accepted a body mime/multipart refuses (%v): %q", werr, body)
		case err == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("ParseMultipart = %v, mime/multipart = %v for %q", got, want, body)
		case err != nil && werr == nil && bareLF == 0 && files == 0 && parts <= maxMultipartParts && clean &&
			boundary != "" && len(boundary) <= 70 && closes(body, boundary):
			t.Fatalf("ParseMultipart refused (%v) a body mime/multipart reads as %v: %q", err, want, body)
		}
	})
}

// closes reports whether a CRLF body has a close delimiter line: one that
// starts with "--" boundary "--", then only white space.
func closes(body []byte, boundary string) bool {
	for line := range bytes.SplitSeq(body, []byte("\r\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("--"+boundary+"--")); ok && len(bytes.Trim(rest, " \t")) == 0 {
			return true
		}
	}
	return false
}

// readMultipart reads body with mime/multipart: its form fields, how many
// parts and file parts it has, whether its headers are well formed, or why
// it could not be read.
func readMultipart(boundary string, body []byte) (fields map[string][]string, parts, files int, clean bool, err error) {
	fields, clean = map[string][]string{}, true
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			return fields, parts, files, clean, nil
		}
		if err != nil {
			return nil, parts, files, clean, err
		}
		parts++
		for name := range part.Header {
			clean = clean && token.MatchString(name)
		}
		if _, given := part.Header["Content-Disposition"]; given {
			disposition := part.Header.Get("Content-Disposition")
			_, params, err := mime.ParseMediaType(disposition)
			clean = clean && err == nil && !strings.ContainsAny(disposition, "*{}") && !strings.ContainsFunc(disposition, otherSpace)
			if _, ok := params["filename"]; ok {
				files++
			}
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return nil, parts, files, clean, err
		}
		if name := part.FormName(); name != "" {
			fields[name] = append(fields[name], string(content))
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"ann@example.com", "<ann@example.com>", "a.b+c@x.io", "ü@exämple.de", "a@[127.0.0.1]", "Ann <a@b.io>", `"a b"@x.io`, "a..b@x.io", "a@b@c.io", "a@b.io, c@d.io", "(c)a@b.io"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseAddress(s)
		addr, err := mail.ParseAddress(s)
		if ok {
			if err != nil || addr.Name != "" || addr.Address != got {
				t.Fatalf("ParseAddress(%q) = %q; net/mail: %+v, %v", s, got, addr, err)
			}
			return
		}
		// A plain address net/mail takes must be taken here too.
		plain := !strings.ContainsAny(s, " \t\r\n\"(),:;\\[]") && strings.Count(s, "<") == strings.Count(s, ">")
		if err == nil && addr.Name == "" && plain && addr.Address == strings.Trim(s, "<>") {
			t.Fatalf("ParseAddress(%q) refused what net/mail takes as %q", s, addr.Address)
		}
	})
}

// FuzzParseForm holds ParseForm to what it dispatches on: a Content-Type
// ParseMediaType refuses, or of another type, is ErrMediaType; a
// urlencoded body reads as net/http's Request.ParseForm reads it (an error
// for an error, the same fields otherwise); a multipart body as
// ParseMultipart reads it, which FuzzParseMultipart holds to
// mime/multipart.
func FuzzParseForm(f *testing.F) {
	f.Add(ContentTypeURLEncoded, []byte("name=Ann&mail=ann%40example.com&comment=hi"))
	f.Add(ContentTypeURLEncoded+"; charset=utf-8", []byte("name=%zz"))
	f.Add("multipart/form-data; boundary=XYZ", []byte("--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n--XYZ--\r\n"))
	f.Add("text/plain", []byte("name=Ann"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		got, err := ParseForm(contentType, body)
		typ, params, ok := ParseMediaType(contentType)
		switch {
		case !ok || typ != ContentTypeURLEncoded && typ != ContentTypeMultipart:
			if err != ErrMediaType {
				t.Fatalf("ParseForm(%q) = %v, %v; want ErrMediaType", contentType, got, err)
			}
		case typ == ContentTypeURLEncoded:
			r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			r.Header.Set("Content-Type", contentType)
			werr := r.ParseForm()
			if (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(got, map[string][]string(r.PostForm)) {
				t.Fatalf("ParseForm(%q, %q) = %v, %v; net/http: %v, %v", contentType, body, got, err, r.PostForm, werr)
			}
		default:
			want, werr := ParseMultipart(params["boundary"], body)
			if err != werr || !reflect.DeepEqual(got, want) {
				t.Fatalf("ParseForm(%q, %q) = %v, %v; ParseMultipart: %v, %v", contentType, body, got, err, want, werr)
			}
		}
	})
}
