package tokendesk

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"tokendesk/internal/stdlite"
)

// FuzzParseAndValidate feeds arbitrary bodies and content types through the
// whole contract. Invariants: no panic; every error is a client error with a
// code and a sentence; a valid form is within the limits, re-validates to
// itself, and its encoding carries exactly the three fields.
func FuzzParseAndValidate(f *testing.F) {
	f.Add(stdlite.ContentTypeURLEncoded, []byte("name=Ann&mail=ann%40example.com&comment=hi"))
	f.Add(stdlite.ContentTypeURLEncoded, []byte("name=Ann&name=Bob&mail=a@b.io"))
	f.Add(stdlite.ContentTypeURLEncoded, []byte("name=%zz"))
	f.Add(stdlite.ContentTypeURLEncoded+"; charset=utf-8", []byte("name=A&mail=%3Cann%40example.com%3E"))
	f.Add("multipart/form-data; boundary=XYZ", []byte("--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n--XYZ\r\nContent-Disposition: form-data; name=\"mail\"\r\n\r\nann@example.com\r\n--XYZ--\r\n"))
	f.Add("multipart/form-data; boundary=XYZ", []byte("--XYZ\r\nContent-Disposition: form-data; name=\"name\"; filename=\"a.txt\"\r\n\r\nAnn\r\n--XYZ--\r\n"))
	f.Add("multipart/form-data", []byte("--\r\n"))
	f.Add("text/plain", []byte("name=Ann"))
	f.Add("", []byte{})
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		if len(body) > MaxBodyBytes {
			body = body[:MaxBodyBytes]
		}
		values, perr := ParseBody(contentType, body)
		if perr != nil {
			checkClientError(t, perr)
			return
		}
		form, verr := Validate(values)
		if verr != nil {
			checkClientError(t, verr)
			if verr.Field == "" {
				t.Fatalf("validation error without a field: %v", verr)
			}
			return
		}
		if n := utf8.RuneCountInString(form.Name); n == 0 || n > MaxNameChars {
			t.Fatalf("valid name has %d characters", n)
		}
		if form.Mail == "" || len(form.Mail) > MaxMailBytes {
			t.Fatalf("valid mail has %d bytes", len(form.Mail))
		}
		if utf8.RuneCountInString(form.Comment) > MaxCommentChars {
			t.Fatal("valid comment is over the limit")
		}
		sent, err := url.ParseQuery(form.Encode())
		if err != nil || len(sent) != 3 {
			t.Fatalf("encoded form %q does not parse to three fields", form.Encode())
		}
		again, err2 := Validate(sent)
		if err2 != nil || again != form {
			t.Fatalf("form %+v does not re-validate to itself: %+v, %v", form, again, err2)
		}
	})
}

func checkClientError(t *testing.T, e *Error) {
	t.Helper()
	if e.Status < 400 || e.Status > 499 || e.Code == "" || e.Message == "" {
		t.Fatalf("bad error %+v", e)
	}
}

// FuzzValidateField checks the per-field rules the UI runs on each keystroke.
func FuzzValidateField(f *testing.F) {
	for _, s := range []string{"", "Ann", "ann@example.com", "a@b", "\"quoted\"@example.com", "x\x00y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, field := range Fields {
			if e := ValidateField(field, value); e != nil {
				checkClientError(t, e)
				if e.Field != field {
					t.Fatalf("error for %s names field %s", field, e.Field)
				}
			}
		}
	})
}
