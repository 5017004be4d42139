package stdlite

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestJSONRead(t *testing.T) {
	body := []byte(` {"error": {"code": 0, "message": "unregistered \u0074oken \ud83d\ude00 \ud800"}, "n": [1.5e3, true, null]} `)
	if msg, ok := JSONString(body, "error", "message"); !ok || msg != "unregistered token 😀 \ufffd" {
		t.Errorf("message = %q, %v", msg, ok)
	}
	if code, ok := JSONInt(body, "error", "code"); !ok || code != 0 {
		t.Errorf("code = %d, %v", code, ok)
	}
	if _, ok := JSONInt(body, "error", "message"); ok {
		t.Error("a string read as an int")
	}
	if got := string(JSONCompact(bytes.TrimSpace(body))); got != `{"error":{"code":0,"message":"unregistered \u0074oken \ud83d\ude00 \ud800"},"n":[1.5e3,true,null]}` {
		t.Errorf("compact = %s", got)
	}
	for _, bad := range []string{"", "{", `{"a":}`, `{"a":01}`, `{"a":1,}`, `[1 2]`, `"\x"`, "\"\xff\"", `{"a":"` + "\t" + `"}`, `tru`, `1.`, `-`, `{"a":1}x`} {
		if JSONValid([]byte(bad)) {
			t.Errorf("JSONValid(%q) = true", bad)
		}
	}
}

// FuzzJSONRead checks the reader against encoding/json on any input.
func FuzzJSONRead(f *testing.F) {
	f.Add(`{"error": {"code": 1, "message": "a\nb"}}`)
	f.Add(`[{"a":"}"}, -0.5e+7, "\ud800\udc00"]`)
	f.Fuzz(func(t *testing.T, body string) {
		b := []byte(body)
		// JSON must be UTF-8 (RFC 8259 §8.1); encoding/json lets invalid
		// bytes inside strings pass, the relay does not.
		if !utf8.Valid(b) {
			if JSONValid(b) {
				t.Fatalf("JSONValid accepted bytes that are not UTF-8: %q", body)
			}
			return
		}
		if got, want := JSONValid(b), json.Valid(b); got != want {
			t.Fatalf("JSONValid = %v, json.Valid = %v: %q", got, want, body)
		}
		if !json.Valid(b) {
			return
		}
		var compact bytes.Buffer
		json.Compact(&compact, b)
		if got := JSONCompact(b); !bytes.Equal(bytes.TrimSpace(got), compact.Bytes()) {
			t.Fatalf("JSONCompact = %s, json.Compact = %s", got, compact.Bytes())
		}
		// The error's message, both ways: exact keys (maps, where a struct
		// would match keys in any case), the last of duplicate keys.
		var answer, inner map[string]json.RawMessage
		var want string
		found := json.Unmarshal(b, &answer) == nil && json.Unmarshal(answer["error"], &inner) == nil &&
			len(inner["message"]) > 0 && inner["message"][0] == '"' && json.Unmarshal(inner["message"], &want) == nil
		if got, ok := JSONString(b, "error", "message"); ok != found || ok && got != want {
			t.Fatalf("JSONString %q, %v; encoding/json %q, %v: %s", got, ok, want, found, body)
		}
	})
}
