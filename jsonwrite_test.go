package tokendesk

import (
	"bytes"
	"encoding/json"
	"testing"

	"tokendesk/internal/lang"
)

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
