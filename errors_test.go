package tokendesk

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"tokendesk/internal/lang"
	_ "tokendesk/internal/lang/translations"
)

func TestErrorJSONShape(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{NewError(502, CodeUpstreamFailed, "Try again."),
			`{"error":{"code":"upstream_failed","message":"Try again."}}`},
		{ValidateField(FieldName, ""),
			`{"error":{"code":"field_required","message":"Enter your name.","field":"name"}}`},
		{&Error{Status: 429, Code: CodeUpstreamRejected, Message: "Wait.", Upstream: []byte(`{"error":{"code":429,"message":"slow down"}}`)},
			`{"error":{"code":"upstream_rejected","message":"Wait.","upstream":{"error":{"code":429,"message":"slow down"}}}}`},
	}
	for _, tt := range tests {
		got := tt.err.JSON()
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("JSON() is not JSON: %s", got)
		}
		json.Unmarshal([]byte(tt.want), &b)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("JSON() = %s, want %s", got, tt.want)
		}
	}
}

func TestUpstreamRejectedKey(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   lang.Key
	}{
		{400, lang.KeyUpstreamRejected},
		{401, lang.KeyUpstreamRefused},
		{403, lang.KeyUpstreamRefused},
		{404, lang.KeyUpstreamRejected},
		{422, lang.KeyUpstreamRejected},
		{429, lang.KeyUpstreamBusy},
	} {
		if got := UpstreamRejectedKey(tt.status); got != tt.want {
			t.Errorf("UpstreamRejectedKey(%d) = %v, want %v", tt.status, got, tt.want)
		}
	}
}

// An error's sentence is English in Message and in any language by Text,
// its numbers grouped as the language writes them.
func TestErrorTextInEveryLanguage(t *testing.T) {
	e := ValidateField(FieldComment, strings.Repeat("x", 1001))
	if e.Message != "Shorten your comment to 1,000 characters or fewer (it has 1,001)." {
		t.Errorf("English message %q", e.Message)
	}
	if got := e.Text(lang.JA); got != "コメントを 1,000 文字以内にしてください（現在 1,001 文字）。" {
		t.Errorf("Japanese %q", got)
	}
}

// The contract writes its JSON by hand (Error.JSON, with
// stdlite.AppendJSONString) so the Worker links no encoding/json. These
// hold it to encoding/json's output and measure it.

// wireError is the error shape as encoding/json would write it.
type wireError struct {
	Error struct {
		Code     string          `json:"code"`
		Message  string          `json:"message"`
		Field    string          `json:"field,omitempty"`
		Upstream json.RawMessage `json:"upstream,omitempty"`
	} `json:"error"`
}

func sampleError() *Error {
	e := fieldError(CodeFieldInvalid, FieldMail, lang.KeyMailInvalid)
	e.Upstream = []byte(`{"error":{"code":0,"message":"unregistered token"}}`)
	return e
}

func TestErrorJSONIsEncodingJSONs(t *testing.T) {
	e := sampleError()
	var w wireError
	w.Error.Code, w.Error.Message, w.Error.Field, w.Error.Upstream = e.Code, e.Message, e.Field, e.Upstream
	want, _ := json.Marshal(w)
	if got := bytes.TrimSuffix(e.JSON(), []byte("\n")); !bytes.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func BenchmarkErrorJSON(b *testing.B) {
	e := sampleError()
	b.Run("by hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e.JSON()
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var w wireError
			w.Error.Code, w.Error.Message, w.Error.Field, w.Error.Upstream = e.Code, e.Message, e.Field, e.Upstream
			json.Marshal(w)
		}
	})
}
