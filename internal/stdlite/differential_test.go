package stdlite

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"reflect"
	"strings"
	"testing"
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

func FuzzParseMediaType(f *testing.F) {
	for _, s := range []string{ContentTypeURLEncoded, "multipart/form-data; boundary=XYZ", `multipart/form-data; boundary="a b\"c"`, "Text/HTML ; Charset=UTF-8", "a/b;c", "a/b; c=d; c=e", "/", "a/b; x=\"", "a/b;;x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, params, ok := ParseMediaType(s)
		if !ok {
			return
		}
		wantType, wantParams, err := mime.ParseMediaType(s)
		if err != nil {
			t.Fatalf("ParseMediaType(%q) accepted what mime refuses: %v", s, err)
		}
		if typ != wantType || params["boundary"] != wantParams["boundary"] {
			t.Fatalf("ParseMediaType(%q) = %q %v, mime: %q %v", s, typ, params, wantType, wantParams)
		}
	})
}

func FuzzParseMultipart(f *testing.F) {
	f.Add("XYZ", []byte("--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n--XYZ\r\nContent-Disposition: form-data; name=\"mail\"\r\n\r\na@b.io\r\n--XYZ--\r\n"))
	f.Add("b", []byte("preamble\r\n--b\nContent-Disposition: form-data; name=x\n\n1\n--b--"))
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nx\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		got, perr := ParseMultipart(boundary, body)
		if perr != nil || len(got) == 0 {
			return // refused, or no field: nothing reaches the contract
		}
		// mime/multipart takes the first line's newline for the whole body;
		// this parser takes CRLF and LF anywhere. Real clients send CRLF.
		if bytes.Count(body, []byte("\r\n")) != 0 && bytes.Count(body, []byte("\r\n")) != bytes.Count(body, []byte("\n")) {
			return
		}
		want := map[string][]string{}
		r := multipart.NewReader(bytes.NewReader(body), boundary)
		for {
			part, err := r.NextRawPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("ParseMultipart accepted a body mime/multipart refuses (%v): %q", err, body)
			}
			content, err := io.ReadAll(part)
			if err != nil {
				t.Fatalf("mime/multipart could not read a part we accepted (%v): %q", err, body)
			}
			if name := part.FormName(); name != "" {
				want[name] = append(want[name], string(content))
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseMultipart = %v, mime/multipart = %v for %q", got, want, body)
		}
	})
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
